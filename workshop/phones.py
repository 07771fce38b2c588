"""Phone numbers as one customer file keeps them: parsed with ``phonenumbers`` (Google's libphonenumber), so
``+86 138 1234 5678``, ``138-1234-5678`` and ``13812345678`` are one number, and ``0000000`` is none.

Stored form: a number of the shop's region (setting ``phone_region``, CN by default) as its national digits,
the way the counter types and searches it (``13812345678``, landlines with their area code ``02012345678``);
any other country's number in international form (``+85291234567``).
"""
from __future__ import annotations

import phonenumbers

from workshop import settings
from workshop.errors import InvalidInput
from workshop.i18n import _

# What an input method in full-width mode types, and the separators people write.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+", "－": "-", "（": "(",
                             "）": ")", "\u3000": " "})


def region() -> str:
    return str(settings.get("phone_region") or "CN")


def normalise(value: str | None, field: str = "mobile", label: str | None = None, *,
              required: bool = True) -> str | None:
    """The number in its stored form, or InvalidInput naming ``field``; None when blank and not required."""
    from workshop.validation import refuse_control_characters
    label = label or _("Mobile")
    # Refused before the number is echoed in a message below: an escape sequence in it would act on the terminal.
    refuse_control_characters(value or "", field, label)
    text = (value or "").translate(_FULL_WIDTH).strip()
    if not text:
        if required:
            raise InvalidInput(_("{label} is required.").format(label=label), field)
        return None
    if any(c.isalpha() for c in text) or any(ord(c) < 32 for c in text):
        raise InvalidInput(_("{label}: '{value}' is not a phone number (digits only, e.g. 13812345678 or "
                             "020-12345678).").format(label=label, value=text), field)
    home = region()
    try:
        number = phonenumbers.parse(text, home)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidInput(_("{label}: '{value}' is not a valid phone number (e.g. 13812345678, 020-12345678 or "
                             "+852 9123 4567).").format(label=label, value=text), field)
    if phonenumbers.region_code_for_number(number) == home:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return "".join(c for c in national if c.isdigit())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_valid(value: str | None) -> bool:
    try:
        return normalise(value) is not None
    except InvalidInput:
        return False


def display(stored: str | None) -> str:
    """A stored number grouped for reading (138 1234 5678, 020 1234 5678, +852 9123 4567)."""
    if not stored:
        return ""
    try:
        number = phonenumbers.parse(stored, region())
    except phonenumbers.NumberParseException:
        return stored
    if phonenumbers.region_code_for_number(number) == region():
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
