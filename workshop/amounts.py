"""Amounts and counts typed on set-up forms, files being imported and the command line: one place that asks
workshop/validation.py for a number and holds it to the bound the caller states."""
from __future__ import annotations

from decimal import Decimal

from workshop import validation

MAX_PRICE = Decimal("9999999.99")  # a rate, a price, a fee: under ten million yuan
MAX_HOURS = Decimal("999")         # standard hours of one operation
MAX_QTY = Decimal("9999")          # parts in one kit line


def decimal(value, field: str, label: str, *, maximum: Decimal, minimum: Decimal | None = Decimal("0"),
            places: int = 2) -> Decimal:
    """A decimal number from typed text, refused (naming ``field``) when it is not one or out of bounds."""
    return validation.decimal(value, field, label, minimum=minimum, maximum=maximum, places=places)


def optional_decimal(value, field: str, label: str, *, maximum: Decimal, places: int = 2) -> Decimal | None:
    """As ``decimal``, or None when nothing was typed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return decimal(value, field, label, maximum=maximum, places=places)


def integer(value, field: str, label: str, *, minimum: int = 0, maximum: int) -> int:
    return validation.integer(value, field, label, minimum=minimum, maximum=maximum)
