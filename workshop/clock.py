"""The shop's clock. Tests freeze it; everything else asks it for the time."""
from __future__ import annotations

import datetime as dt

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
