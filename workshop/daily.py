"""Rules that run by the clock rather than by someone's action: complaints unresolved too long are
escalated to someone who may act on them, and escalations whose holder left move on
(callbacks.escalate_overdue); appointments whose car never came are marked no-shows
(appointments.mark_no_shows); cars never serviced here get their maintenance plan (service_plan.plan_new_cars)
and a planned service not done is missed once the next falls due (service_plan.advance).

Every job is idempotent (it changes only what is due and not yet done, in one transaction with its
audit row), so it may run as often as anyone likes and from many places at once: every signed-in
terminal runs them now and then (screens/app.py), and ``workshop daily`` runs them from cron for a
shop where no terminal is open (e.g. ``0 * * * * workshop --db /srv/workshop/workshop.db daily``).
"""
from __future__ import annotations

import logging
from typing import Callable

from workshop import appointments, callbacks, labour, service_plan
from workshop.i18n import N_

log = logging.getLogger("workshop.daily")

# (name, job): each job takes ``by=`` (None: the system) and returns how many things it changed; the name
# is marked for translation (`workshop daily` says it).
JOBS: list[tuple[str, Callable[..., int]]] = [
    (N_("complaints escalated"), callbacks.escalate_overdue),
    (N_("appointment no-shows marked"), appointments.mark_no_shows),
    (N_("maintenance plans made"), service_plan.plan_new_cars),
    (N_("planned services moved on"), service_plan.advance),
]
# Work that only saves someone a wait later, run by `workshop daily` (cron) and not by every terminal: the
# labour figures' closed days (computed anyway, once, by whoever first looks at them).
CRON_JOBS: list[tuple[str, Callable[..., int]]] = [
    (N_("labour days kept"), labour.keep_recent_days),
]


def run(*, by=None, cron: bool = False) -> dict[str, int]:
    """Run every time-driven rule once (``cron``: the cron-only jobs too); a job that fails is logged and the
    others still run."""
    done: dict[str, int] = {}
    for name, job in JOBS + (CRON_JOBS if cron else []):
        try:
            done[name] = job(by=by)
        except Exception:  # one broken rule must not stop the others (nor a terminal's timer)
            log.exception("time-driven rule %r failed", name)
            done[name] = -1
    return done
