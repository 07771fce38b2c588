"""The VIN's check digit (GB 16735, as ISO 3779 and the North American rule it follows): the 9th character is
the remainder of a weighted sum of the other sixteen, modulo 11 (10 written X). A misread character (8 for B,
5 for S) almost always changes the sum, so a VIN copied wrong from a licence is caught at the counter."""
from __future__ import annotations

from workshop import settings
from workshop.errors import InvalidInput
from workshop.i18n import _

# Letters' values: A-H 1-8, J-N 1-5, P 7, R 9, S-Z 2-9 (I, O and Q are never in a VIN).
_VALUES = {**{str(d): d for d in range(10)},
           **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
           **dict(zip("STUVWXYZ", range(2, 10)))}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(vin: str) -> str:
    """The check digit a 17-character VIN must carry in position 9."""
    total = sum(_VALUES[c] * w for c, w in zip(vin.upper(), _WEIGHTS))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_digit(vin: str) -> str:
    """The VIN with its 9th character set to its check digit (for generated and test VINs)."""
    vin = vin.upper()
    return vin[:8] + check_digit(vin) + vin[9:]


def verify(vin: str, field: str = "vin") -> str:
    """``vin`` (already 17 valid characters) if its check digit is right or the shop does not check it."""
    if not settings.get("vin_check_digit"):
        return vin
    expected = check_digit(vin)
    if vin[8] != expected:
        raise InvalidInput(_("VIN {vin} does not add up: its 9th character, the check digit, is {found} but the "
                             "other characters give {expected}. Compare it with the vehicle licence: a character is "
                             "probably mistyped (8 and B, 5 and S, 0 and D look alike).").format(
                                 vin=vin, found=vin[8], expected=expected), field)
    return vin
