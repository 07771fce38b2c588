"""Checks for what people type: plates, VINs, phone numbers, required and bounded text."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from workshop import settings
from workshop.errors import InvalidInput
from workshop.i18n import _

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# Plates written with traditional characters are stored in the simplified form the plate carries.
TRADITIONAL_PROVINCES = str.maketrans({"粵": "粤", "滬": "沪", "魯": "鲁", "蘇": "苏", "閩": "闽", "遼": "辽",
                                       "貴": "贵", "陝": "陕", "雲": "云", "寧": "宁", "瓊": "琼", "贛": "赣",
                                       "晉": "晋"})


def text(value: str | None, field: str, label: str, *, max_len: int, required: bool = True) -> str | None:
    """Trimmed text, refused when required and empty or when longer than ``max_len``. ``label`` is the
    field's name as the reader reads it (translated by the caller)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(_("{label} is required.").format(label=label), field)
        return None
    if len(value) > max_len:
        raise InvalidInput(_("{label} is too long ({length} characters, {max} at most).").format(
            label=label, length=len(value), max=max_len), field)
    return value


def plate(value: str | None) -> str:
    """A licence plate in the shop's pattern (mainland China by default, e.g. 粵B12345)."""
    value = (value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")
    if not value:
        raise InvalidInput(_("Plate is required."), "plate")
    # Traditional forms of province abbreviations are accepted and stored in simplified form.
    value = value.translate(TRADITIONAL_PROVINCES)
    if not re.match(settings.get("plate_pattern"), value):
        raise InvalidInput(_("'{plate}' is not a valid plate (e.g. 粤B12345, or 粤BD12345 for new energy).").format(
            plate=value), "plate")
    return value


def vin(value: str | None) -> str:
    """A 17-character VIN without I, O or Q."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        raise InvalidInput(_("VIN is required."), "vin")
    if len(value) != 17:
        raise InvalidInput(_("A VIN has 17 characters; this one has {length}.").format(length=len(value)), "vin")
    if any(c in "IOQ" for c in value):
        raise InvalidInput(_("A VIN never contains I, O or Q (they look like 1 and 0)."), "vin")
    if not VIN_RE.match(value):
        raise InvalidInput(_("A VIN has only letters and digits."), "vin")
    return value


def phone(value: str | None, field: str = "mobile", label: str | None = None, *,
          required: bool = True) -> str | None:
    value = (value or "").strip().replace(" ", "")
    if not value:
        if required:
            raise InvalidInput(_("{label} is required.").format(label=label or _("Mobile")), field)
        return None
    if not re.match(settings.get("phone_pattern"), value):
        raise InvalidInput(_("'{phone}' is not a valid phone number (e.g. 13812345678 or 020-12345678).").format(
            phone=value), field)
    return value


def integer(value, field: str, label: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    try:
        number = int(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        raise InvalidInput(_("{label} must be a whole number.").format(label=label), field) from None
    if number < minimum:
        raise InvalidInput(_("{label} cannot be below {minimum}.").format(label=label, minimum=minimum), field)
    if number > maximum:
        raise InvalidInput(_("{label} cannot be above {maximum}.").format(label=label, maximum=maximum), field)
    return number


def decimal(value, field: str, label: str, *, minimum: Decimal | None = Decimal("0"),
            places: int = 2, allow_zero: bool = True) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(_("{label} must be a number.").format(label=label), field) from None
    if not number.is_finite():
        raise InvalidInput(_("{label} must be a number.").format(label=label), field)
    if minimum is not None and number < minimum:
        raise InvalidInput(_("{label} cannot be negative.").format(label=label) if minimum == 0 else
                           _("{label} cannot be below {minimum}.").format(label=label, minimum=minimum), field)
    if not allow_zero and number == 0:
        raise InvalidInput(_("{label} must be more than zero.").format(label=label), field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput(_("{label} has more than {places} decimal places.").format(label=label, places=places),
                           field)
    return number
