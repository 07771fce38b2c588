"""Rules that run by the clock rather than by someone's action: complaints unresolved too long are
escalated to a supervisor (callbacks.escalate_overdue), and whatever else a day brings.

Every job is idempotent (it changes only what is due and not yet done, in one transaction with its
audit row), so it may run as often as anyone likes and from many places at once: every signed-in
terminal runs them now and then (screens/app.py), and ``workshop daily`` runs them from cron for a
shop where no terminal is open (e.g. ``0 * * * * workshop --db /srv/workshop/workshop.db daily``).
"""
from __future__ import annotations

import logging
from typing import Callable

from workshop import callbacks
from workshop.i18n import N_

log = logging.getLogger("workshop.daily")

# (name, job): each job takes ``by=`` (None: the system) and returns how many things it changed; the name
# is marked for translation (`workshop daily` says it).
JOBS: list[tuple[str, Callable[..., int]]] = [
    (N_("complaints escalated"), callbacks.escalate_overdue),
]


def run(*, by=None) -> dict[str, int]:
    """Run every time-driven rule once; a job that fails is logged and the others still run."""
    done: dict[str, int] = {}
    for name, job in JOBS:
        try:
            done[name] = job(by=by)
        except Exception:  # one broken rule must not stop the others (nor a terminal's timer)
            log.exception("time-driven rule %r failed", name)
            done[name] = -1
    return done
