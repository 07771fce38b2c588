"""Finding customers, vehicles and orders by what someone types, through indexes only.

Each thing people type has a *key*: a stored, indexed column holding the value in the form it is
searched in (a plate as validation stores it, a name with case, spaces and punctuation folded, the
pinyin initials of a name). The text typed is folded the same way, and a lookup is one index range:
exact (``=``) or prefix (``>= text AND < the next text``), with a LIMIT. So a lookup costs what its
answer holds, never what the shop's history holds (a LIKE '%...%' or an OR across joined tables
would read every row).

A customer's name has the keys listed in NAME_KEYS: its column, how it is worked out from a name
(when the name is saved: models.people.Customer.save, the demo generator, migrations) and how typed
text is folded to compare with it. Every lookup by name tries every key, and the receivables
(models.settlement.OpenBalance) carry copies of them. To add a key: an indexed column on Customer and
OpenBalance and a migration that fills them, and one entry in NAME_KEYS. Nothing else changes.

Sets that do not grow with history (the active orders, the cashier's queue) are filtered among
themselves instead: see ``contains``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from peewee import SQL, Expression, NodeList

from models.people import Customer, Vehicle
from workshop.pinyin import initials, looks_like_initials
from workshop.validation import TRADITIONAL_PROVINCES

KEY_LENGTH = 200  # the name_key columns' size; longer keys (and typed texts) are cut to it
_RO = re.compile(r"^(?:RO)?#?(\d{1,9})$")


# --- folding what is typed into the form a key holds ---------------------------------------------

def name_key(text: str | None) -> str:
    """A name as it is searched: Unicode-normalised (full-width letters become ASCII), case-folded,
    without spaces or punctuation. "Pearl River Logistics, Ltd." -> "pearlriverlogisticsltd"."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P"))[:KEY_LENGTH]


def plate_key(text: str | None) -> str:
    """A plate (or its start) as validation.plate stores plates: upper case, no spaces, dots or
    dashes, traditional province characters in their simplified form."""
    value = unicodedata.normalize("NFKC", text or "").upper()
    for sep in (" ", "·", "-", "."):
        value = value.replace(sep, "")
    return value.translate(TRADITIONAL_PROVINCES)


def phone_key(text: str | None) -> str:
    return (text or "").strip().replace(" ", "")


def order_number(text: str | None) -> int | None:
    """The RO number in "1042", "RO 1042", "ro1042" or "#1042"; None if the text is not one."""
    match = _RO.match(plate_key(text))
    return int(match.group(1)) if match else None


def birthday_key(day: dt.date | str | None) -> str | None:
    """"MM-DD" of a birthday: the birthday reminders are a range of these."""
    if not day:
        return None
    return str(day)[5:10] if not isinstance(day, dt.date) else day.strftime("%m-%d")


def typed_initials(text: str | None) -> str:
    """Typed text as pinyin initials (``CXM`` -> ``cxm``, finding 陈小明), or "" if it cannot be any."""
    compact = (text or "").replace(" ", "")
    return compact.lower() if looks_like_initials(compact) and not compact.isdigit() else ""


@dataclass(frozen=True)
class NameKey:
    column: str                                   # on Customer and on OpenBalance (a copy)
    of_name: Callable[[str, str], str | None]     # (name, customer kind) -> the stored key
    of_typed: Callable[[str], str]                # typed text -> what the key is compared with ("": no)
    inside: bool                                  # among the active orders: anywhere in it (else its start)


NAME_KEYS: list[NameKey] = [
    NameKey("name_key", lambda name, kind: name_key(name), name_key, inside=True),
    NameKey("initials", lambda name, kind: initials(name, person=kind == "private"), typed_initials, inside=False),
]


def customer_keys(name: str, kind: str = "private", birthday: dt.date | str | None = None) -> dict[str, str | None]:
    """The key columns to write beside a customer's name (and birthday)."""
    keys: dict[str, str | None] = {key.column: key.of_name(name, kind) for key in NAME_KEYS}
    keys["birthday_md"] = birthday_key(birthday)
    return keys


def balance_keys(customer_id: int, vehicle_id: int) -> dict[str, str | None]:
    """The copies of the customer's name keys and the car's plate an open balance carries (one query each)."""
    columns = [getattr(Customer, key.column) for key in NAME_KEYS]
    keys = Customer.select(*columns).where(Customer.id == customer_id).tuples().first() or (None,) * len(columns)
    plate = Vehicle.select(Vehicle.plate).where(Vehicle.id == vehicle_id).scalar()
    return {**{key.column: value for key, value in zip(NAME_KEYS, keys)}, "plate": plate}


def fill_balance_keys() -> None:
    """Copy the keys into open balances written without them (bulk-loaded history)."""
    from models.db import db
    names = ", ".join(f"{key.column} = (SELECT c.{key.column} FROM customer c WHERE c.id = open_balance.customer_id)"
                      for key in NAME_KEYS)
    db.execute_sql(f"UPDATE open_balance SET {names}, plate = (SELECT v.plate FROM repair_order o "
                   "JOIN vehicle v ON v.id = o.vehicle_id WHERE o.id = open_balance.order_id) WHERE plate IS NULL")


# --- index ranges ---------------------------------------------------------------------------------

def after_prefix(text: str) -> str:
    """The smallest text greater than every text starting with ``text`` (its last character + 1)."""
    following = ord(text[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters: the next one is U+E000
        following = 0xE000
    return text[:-1] + chr(min(following, 0x10FFFF))


def prefix(field, text: str):
    """``field`` starts with ``text``, as an index range."""
    return (field >= text) & (field < after_prefix(text))


def contains(field, text: str, *, inside: bool = True):
    """``field`` contains ``text`` (starts with it if not ``inside``): LIKE, case-insensitive, the typed
    text's % and _ taken literally. For the few rows of a set that does not grow with history only:
    it reads every row it is given."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%" if inside else f"{escaped}%"
    # Peewee's ILIKE is SQLite's LIKE (its LIKE would be GLOB); case does not matter for folded keys.
    return Expression(field, "ILIKE", NodeList((pattern, SQL("ESCAPE '\\'"))))


def name_matches(model, text: str) -> list:
    """Conditions on ``model``'s name keys (Customer's or OpenBalance's) for a set searched among itself."""
    return [contains(getattr(model, key.column), key.of_typed(text), inside=key.inside)
            for key in NAME_KEYS if key.of_typed(text)]


def customers_by_name(text: str, limit: int) -> list[int]:
    """Customers whose name starts with ``text`` by any name key, in key order (one range per key)."""
    found: list[int] = []
    for key in NAME_KEYS:
        typed = key.of_typed(text)
        if not typed:
            continue
        field = getattr(Customer, key.column)
        found += [cid for (cid,) in Customer.select(Customer.id).where(prefix(field, typed))
                  .order_by(field).limit(limit).tuples() if cid not in found]
    return found[:limit]


def customers_by_phone(text: str, limit: int) -> list[int]:
    key = phone_key(text)
    if len(key) < 3:
        return []
    return [cid for (cid,) in Customer.select(Customer.id).where(prefix(Customer.mobile, key))
            .order_by(Customer.mobile).limit(limit).tuples()]


def vehicles_by_plate(text: str, limit: int) -> list[int]:
    key = plate_key(text)
    if not key:
        return []
    return [vid for (vid,) in Vehicle.select(Vehicle.id).where(prefix(Vehicle.plate, key))
            .order_by(Vehicle.plate).limit(limit).tuples()]


def vehicles_by_vin(text: str, limit: int) -> list[int]:
    key = plate_key(text)
    if len(key) < 6:
        return []
    return [vid for (vid,) in Vehicle.select(Vehicle.id).where(prefix(Vehicle.vin, key))
            .order_by(Vehicle.vin).limit(limit).tuples()]


__all__ = ["name_key", "plate_key", "phone_key", "order_number", "birthday_key", "typed_initials", "customer_keys",
           "NAME_KEYS", "NameKey", "prefix", "contains", "name_matches", "customers_by_name", "customers_by_phone", "vehicles_by_plate", "vehicles_by_vin"]
