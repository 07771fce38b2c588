"""Checks for what people type: plates, VINs, phone numbers, required and bounded text."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from workshop import settings
from workshop.errors import InvalidInput

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# Plates written with traditional characters are stored in the simplified form the plate carries.
TRADITIONAL_PROVINCES = str.maketrans({"粵": "粤", "滬": "沪", "魯": "鲁", "蘇": "苏", "閩": "闽", "遼": "辽",
                                       "貴": "贵", "陝": "陕", "雲": "云", "寧": "宁", "瓊": "琼", "贛": "赣",
                                       "晉": "晋"})


def text(value: str | None, field: str, label: str, *, max_len: int, required: bool = True) -> str | None:
    """Trimmed text, refused when required and empty or when longer than ``max_len``."""
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"{label} is required.", field)
        return None
    if len(value) > max_len:
        raise InvalidInput(f"{label} is too long ({len(value)} characters, {max_len} at most).", field)
    return value


def plate(value: str | None) -> str:
    """A licence plate in the shop's pattern (mainland China by default, e.g. 粵B12345)."""
    value = (value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")
    if not value:
        raise InvalidInput("Plate is required.", "plate")
    # Traditional forms of province abbreviations are accepted and stored in simplified form.
    value = value.translate(TRADITIONAL_PROVINCES)
    if not re.match(settings.get("plate_pattern"), value):
        raise InvalidInput(f"'{value}' is not a valid plate (e.g. 粤B12345, or 粤BD12345 for new energy).",
                           "plate")
    return value


def vin(value: str | None) -> str:
    """A 17-character VIN without I, O or Q."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        raise InvalidInput("VIN is required.", "vin")
    if len(value) != 17:
        raise InvalidInput(f"A VIN has 17 characters; this one has {len(value)}.", "vin")
    if any(c in "IOQ" for c in value):
        raise InvalidInput("A VIN never contains I, O or Q (they look like 1 and 0).", "vin")
    if not VIN_RE.match(value):
        raise InvalidInput("A VIN has only letters and digits.", "vin")
    return value


def phone(value: str | None, field: str = "mobile", label: str = "Mobile", *, required: bool = True) -> str | None:
    """A phone number in its stored form (workshop/phones.py: +86 138 1234 5678 is 13812345678)."""
    from workshop.phones import normalise
    return normalise(value, field, label, required=required)


def integer(value, field: str, label: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    try:
        number = int(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        raise InvalidInput(f"{label} must be a whole number.", field) from None
    if number < minimum:
        raise InvalidInput(f"{label} cannot be below {minimum}.", field)
    if number > maximum:
        raise InvalidInput(f"{label} cannot be above {maximum}.", field)
    return number


def decimal(value, field: str, label: str, *, minimum: Decimal | None = Decimal("0"),
            places: int = 2, allow_zero: bool = True) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(f"{label} must be a number.", field) from None
    if not number.is_finite():
        raise InvalidInput(f"{label} must be a number.", field)
    if minimum is not None and number < minimum:
        raise InvalidInput(f"{label} cannot be negative." if minimum == 0 else
                           f"{label} cannot be below {minimum}.", field)
    if not allow_zero and number == 0:
        raise InvalidInput(f"{label} must be more than zero.", field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput(f"{label} has more than {places} decimal places.", field)
    return number
