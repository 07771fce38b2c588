"""Dates people type (an expected delivery date, the day a payment arrived): ISO 2026-12-03, or a date."""
from __future__ import annotations

import datetime as dt

from workshop import clock, i18n
from workshop.errors import InvalidInput
from workshop.i18n import _


def parse(value, field: str, label: str, *, required: bool = True, latest: dt.date | None = None) -> dt.date | None:
    """A date from a form field, not after ``latest`` if given; blank gives None unless ``required``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        text = str(value or "").strip()
        if not text:
            if required:
                raise InvalidInput(_("{label} is required.").format(label=label), field)
            return None
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(_("{label} must be a date such as {example}.").format(
                label=label, example=i18n.date(clock.today())), field) from None
    if latest is not None and value > latest:
        raise InvalidInput(_("{label} cannot be after {date}.").format(label=label, date=i18n.date(latest)), field)
    return value
