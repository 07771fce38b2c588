"""Checks for what people type: plates, VINs, phone numbers, text without control characters, and numbers
within stated bounds. Every service that stores typed text or numbers goes through here."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from workshop import settings
from workshop.errors import InvalidInput
from workshop.i18n import N_, _

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# Plates written with traditional characters are stored in the simplified form the plate carries.
TRADITIONAL_PROVINCES = str.maketrans({"粵": "粤", "滬": "沪", "魯": "鲁", "蘇": "苏", "閩": "闽", "遼": "辽",
                                       "貴": "贵", "陝": "陕", "雲": "云", "寧": "宁", "瓊": "琼", "贛": "赣",
                                       "晉": "晋"})


# --- text people type -------------------------------------------------------------------------------
# Characters refused in anything stored: they are invisible, or they act on the terminal that shows the text
# (ESC starts escape sequences that retitle windows, write the clipboard or clear other people's screens) or on
# the order in which it is shown (bidirectional overrides and isolates make "1,000" read as "000,1").
# Unicode categories: Cc controls (C0, DEL, C1, NUL), Cf format characters (bidi overrides and isolates
# U+202A-202E, U+2066-2069, marks U+200E/200F/061C, zero-width U+200B-200D, U+2060, BOM U+FEFF, soft hyphen,
# tags), Cs lone surrogates, Zl/Zp line and paragraph separators; and fillers drawn as nothing.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")  # Hangul fillers: letters that draw as blank space
MULTILINE_ALLOWED = frozenset("\n\t\u200d")  # line breaks, tabs, and the joiner inside emoji (👨‍🔧) in notes


def refused_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of ``value`` that may not be stored, or None."""
    for char in value:
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if char in INVISIBLE_LETTERS or unicodedata.category(char) in REFUSED_CATEGORIES:
            return char
    return None


def _character_name(char: str) -> str:
    """How a message names a refused character: U+202E, and what it is when it has a name."""
    name = _("escape") if char == "\x1b" else unicodedata.name(char, "").lower()
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def refuse_control_characters(value: str, field: str, label: str, *, multiline: bool = False) -> None:
    """Raise InvalidInput naming the field and the character if ``value`` holds one that is not stored."""
    char = refused_character(value, multiline=multiline)
    if char is None:
        return
    if char in "\n\t":
        message = _("{label} is one line: remove the line break or tab from it.")
    else:
        message = _("{label} contains a control or invisible character, {character}, which is not stored: "
                    "type it again without it.")
    raise InvalidInput(message.format(label=label, character=_character_name(char)), field)


def text(value: str | None, field: str, label: str, *, max_len: int, required: bool = True,
         multiline: bool = False) -> str | None:
    """Trimmed text, refused when required and empty, longer than ``max_len``, or holding a control or
    invisible character (line breaks and tabs only where ``multiline``)."""
    value = "" if value is None else str(value)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    label = _(label)
    if not value:
        if required:
            raise InvalidInput(_("{label} is required.").format(label=label), field)
        return None
    refuse_control_characters(value, field, label, multiline=multiline)
    if len(value) > max_len:
        raise InvalidInput(_("{label} is too long ({length} characters, {max_len} at most).").format(
            label=label, length=len(value), max_len=max_len), field)
    return value


def plate(value: str | None) -> str:
    """A licence plate in the shop's pattern (mainland China by default, e.g. 粵B12345)."""
    value = (value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")
    if not value:
        raise InvalidInput(_("Plate is required."), "plate")
    refuse_control_characters(value, "plate", _("Plate"))
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
    refuse_control_characters(value, "vin", _("VIN"))
    if len(value) != 17:
        raise InvalidInput(_("A VIN has 17 characters; this one has {length}.").format(length=len(value)), "vin")
    if any(c in "IOQ" for c in value):
        raise InvalidInput(_("A VIN never contains I, O or Q (they look like 1 and 0)."), "vin")
    if not VIN_RE.match(value):
        raise InvalidInput(_("A VIN has only letters and digits."), "vin")
    return value


def phone(value: str | None, field: str = "mobile", label: str = N_("Mobile"), *, required: bool = True) -> str | None:
    """A phone number in its stored form (workshop/phones.py: +86 138 1234 5678 is 13812345678)."""
    from workshop.phones import normalise
    refuse_control_characters(value or "", field, _(label))
    return normalise(value, field, _(label), required=required)


# --- numbers people type ------------------------------------------------------------------------------
# A number is ASCII digits with an optional sign, thousands commas in groups of three and a decimal point.
# Full-width forms (１２３．５, what a Chinese input method types in full-width mode) are the same number and are
# read as such. Everything else is refused with a message: exponents (1e30, 1e309), NaN, Infinity, other
# scripts' digits, underscores, currency signs, and more digits than any bound here allows (Decimal would
# otherwise take them all and fail later with InvalidOperation, which ended the app).
FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                            "．": ".", "，": ",", "－": "-", "＋": "+", "−": "-", "\u3000": " "})
NUMBER_RE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?")
MAX_DIGITS = 18  # more digits than any bound below needs; longer input is refused before Decimal sees it

# The stated upper bounds of what people type (the columns hold more: money 12 digits, quantities 9).
MAX_MONEY = Decimal("9999999.99")    # a payment, refund, fee, price or discount: under ten million yuan
MAX_FEE = Decimal("1000000")          # one fee on a bill
MAX_QUANTITY = Decimal("9999")        # parts on an order line, picked, returned or received at once
MAX_STOCK = Decimal("999999")         # a stocktake count, opening stock, a reorder threshold
MAX_PENALTY = Decimal("10000")        # a QC penalty on a technician
MAX_MILEAGE = 2_000_000               # km on an odometer


def _number_text(value, field: str, label: str, example: str) -> str:
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        # Already a number (a form parsed it): written out in full, so 1E+3 is 1000 and is bounded as such.
        value = str(value) if isinstance(value, int) else format(value, "f") if value.is_finite() else "NaN"
    text = "" if value is None else str(value).translate(FULL_WIDTH).strip()
    digits = sum(c.isdigit() for c in text)
    if not text or not digits or not NUMBER_RE.fullmatch(text):
        raise InvalidInput(_("{label} must be a number, e.g. {example}.").format(label=label, example=example),
                           field)
    if digits > MAX_DIGITS:
        raise InvalidInput(_("{label} has too many digits.").format(label=label), field)
    return text.replace(",", "")


def _check_range(number, field: str, label: str, minimum, maximum) -> None:
    if minimum is not None and number < minimum:
        raise InvalidInput((_("{label} cannot be negative.") if minimum == 0 else
                            _("{label} cannot be below {minimum}.")).format(label=label, minimum=minimum), field)
    if number > maximum:
        raise InvalidInput(_("{label} cannot be more than {maximum}.").format(
            label=label, maximum=f"{maximum:,}"), field)


def integer(value, field: str, label: str, *, minimum: int = 0, maximum: int) -> int:
    """A whole number within [minimum, maximum] (both stated: every count has an upper bound)."""
    label = _(label)
    text = _number_text(value, field, label, "1234")
    if "." in text.rstrip("0").rstrip("."):
        raise InvalidInput(_("{label} must be a whole number.").format(label=label), field)
    number = int(Decimal(text))
    _check_range(number, field, label, minimum, maximum)
    return number


def decimal(value, field: str, label: str, *, maximum: Decimal | int, minimum: Decimal | None = Decimal("0"),
            places: int = 2, allow_zero: bool = True) -> Decimal:
    """A decimal number within [minimum, maximum] with at most ``places`` decimals; -0 is 0."""
    label = _(label)
    text = _number_text(value, field, label, "1234.50" if places else "12")
    number = Decimal(text)
    if number == 0:
        number = abs(number)  # "-0" is zero, not a negative zero stored and shown as -0.00
    _check_range(number, field, label, minimum, Decimal(maximum))
    if not allow_zero and number == 0:
        raise InvalidInput(_("{label} must be more than zero.").format(label=label), field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise InvalidInput((_("{label} must be a whole number.") if places == 0 else
                            _("{label} has more than {places} decimal places.")).format(label=label, places=places),
                           field)
    return number

