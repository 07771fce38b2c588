"""Dates people type or files carry: 2027-03-31, 2027/3/31, 20270331, 2027年3月31日, or a date an .xlsx cell
holds; refused with a message naming the field when it is not a date or outside the bounds the caller gives."""
from __future__ import annotations

import datetime as dt
import re

from workshop.errors import InvalidInput
from workshop.i18n import _

_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "／": "/", "－": "-", "．": "."})
_PATTERNS = (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"), re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
             re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"))


def date(value, field: str, label: str, *, required: bool = False, earliest: dt.date | None = None,
         latest: dt.date | None = None) -> dt.date | None:
    """The date in ``value`` (text, a date or a datetime), or None when blank and not required."""
    if isinstance(value, dt.datetime):
        found = value.date()
    elif isinstance(value, dt.date):
        found = value
    else:
        text = ("" if value is None else str(value)).translate(_FULL_WIDTH).strip()
        if not text:
            if required:
                raise InvalidInput(_("{label} is required.").format(label=label), field)
            return None
        text = text.split(" ")[0].split("T")[0]  # "2027-03-31 00:00:00" as spreadsheets write dates
        found = None
        for pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    found = dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    found = None
                break
        if found is None:
            raise InvalidInput(_("{label}: '{value}' is not a date (write it as 2027-03-31).").format(
                label=label, value=text), field)
    if earliest is not None and found < earliest:
        raise InvalidInput(_("{label} cannot be before {date}.").format(label=label, date=earliest.isoformat()), field)
    if latest is not None and found > latest:
        raise InvalidInput(_("{label} cannot be after {date}.").format(label=label, date=latest.isoformat()), field)
    return found
