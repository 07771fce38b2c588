"""Amounts and counts typed on set-up forms, files being imported and the command line: one place that asks
workshop/validation.py for a number and holds it to the bound the caller states."""
from __future__ import annotations

import inspect
from decimal import Decimal

from workshop import validation
from workshop.errors import InvalidInput
from workshop.i18n import _

MAX_PRICE = Decimal("9999999.99")  # a rate, a price, a fee: under ten million yuan
MAX_HOURS = Decimal("999")         # standard hours of one operation
MAX_QTY = Decimal("9999")          # parts in one kit line


# validation.decimal states its upper bound itself once harden-io's strict numbers are in (a required
# ``maximum``); until then the bound is held here. Either way the caller states it.
_STATES_MAXIMUM = "maximum" in inspect.signature(validation.decimal).parameters


def decimal(value, field: str, label: str, *, maximum: Decimal, minimum: Decimal | None = Decimal("0"),
            places: int = 2) -> Decimal:
    """A decimal number from typed text, refused (naming ``field``) when it is not one or out of bounds."""
    if _STATES_MAXIMUM:
        return validation.decimal(value, field, label, minimum=minimum, maximum=maximum, places=places)
    number = validation.decimal(value, field, label, minimum=minimum, places=places)
    if number > Decimal(maximum):
        raise InvalidInput(_("{label} cannot be above {maximum}.").format(label=label, maximum=maximum), field)
    return number


def optional_decimal(value, field: str, label: str, *, maximum: Decimal, places: int = 2) -> Decimal | None:
    """As ``decimal``, or None when nothing was typed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return decimal(value, field, label, maximum=maximum, places=places)


def integer(value, field: str, label: str, *, minimum: int = 0, maximum: int) -> int:
    return validation.integer(value, field, label, minimum=minimum, maximum=maximum)
