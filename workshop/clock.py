"""The shop's clock. Tests freeze it; everything else asks it for the time."""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Local wall-clock time of the shop, to the second."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return now().date()


def freeze(at: dt.datetime | None) -> None:
    """Stop the clock at ``at`` (None lets it run again)."""
    global _frozen
    _frozen = at


def advance(**delta) -> dt.datetime:
    global _frozen
    _frozen = (_frozen or now()) + dt.timedelta(**delta)
    return _frozen


@contextmanager
def at(when: dt.datetime):
    """Run a block as if it were ``when`` (the demo writes its history through the services); the clock is
    as it was afterwards, frozen or running."""
    global _frozen
    before = _frozen
    _frozen = when
    try:
        yield
    finally:
        _frozen = before
