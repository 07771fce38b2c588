"""Finding customers, vehicles and orders by what someone types, through indexes only.

Each thing people type has a *key*: a stored, indexed column holding the value in the form it is
searched in (a plate as validation stores it, a name with case, spaces and punctuation folded).
The text typed is folded the same way, and a lookup is one index range: exact (``=``) or prefix
(``>= text AND < the next text``), with a LIMIT. So a lookup costs what its answer holds, never
what the shop's history holds (a LIKE '%...%' or an OR across joined tables would read every row).

Keys of a customer's name are listed in NAME_KEYS: (column, fold) pairs. Whatever writes a
customer's name writes ``customer_keys(name)`` beside it, every lookup by name tries every key, and
the receivables (models.settlement.OpenBalance) carry copies of them. To add a key, e.g. the pinyin
initials of a name so that "zw" finds 张伟: an indexed column on Customer and OpenBalance and a
migration that fills them, a fold (name -> initials; a typed "zw" must fold to the same), and one
entry in NAME_KEYS. Nothing else changes.

Sets that do not grow with history (the active orders, the cashier's queue) are filtered with a
substring match among themselves instead: see ``contains``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Callable

from peewee import SQL, Expression, NodeList

from models.people import Customer, Vehicle
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


NAME_KEYS: list[tuple[str, Callable[[str], str]]] = [("name_key", name_key)]


def customer_keys(name: str, birthday: dt.date | str | None = None) -> dict[str, str | None]:
    """The key columns to write beside a customer's name (and birthday)."""
    keys: dict[str, str | None] = {column: fold(name) for column, fold in NAME_KEYS}
    keys["birthday_md"] = birthday_key(birthday)
    return keys


def balance_keys(customer_id: int, vehicle_id: int) -> dict[str, str | None]:
    """The copies of the customer's name keys and the car's plate an open balance carries (one query each)."""
    columns = [getattr(Customer, column) for column, _ in NAME_KEYS]
    keys = Customer.select(*columns).where(Customer.id == customer_id).tuples().first() or (None,) * len(columns)
    plate = Vehicle.select(Vehicle.plate).where(Vehicle.id == vehicle_id).scalar()
    return {**{column: key for (column, _), key in zip(NAME_KEYS, keys)}, "plate": plate}


def fill_balance_keys() -> None:
    """Copy the keys into open balances written without them (bulk-loaded history)."""
    from models.db import db
    names = ", ".join(f"{column} = (SELECT c.{column} FROM customer c WHERE c.id = open_balance.customer_id)"
                      for column, _ in NAME_KEYS)
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


def contains(field, text: str):
    """``field`` contains ``text`` (LIKE, case-insensitive, with the typed text's % and _ taken literally). For the few
    rows of a set that does not grow with history only: it reads every row it is given."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # Peewee's ILIKE is SQLite's LIKE (its LIKE would be GLOB); case does not matter for folded keys.
    return Expression(field, "ILIKE", NodeList((f"%{escaped}%", SQL("ESCAPE '\\'"))))


def customers_by_name(text: str, limit: int) -> list[int]:
    """Customers whose name starts with ``text`` by any name key, in key order (one range per key)."""
    found: list[int] = []
    for column, fold in NAME_KEYS:
        key = fold(text)
        if not key:
            continue
        field = getattr(Customer, column)
        found += [cid for (cid,) in Customer.select(Customer.id).where(prefix(field, key))
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


__all__ = ["name_key", "plate_key", "phone_key", "order_number", "birthday_key", "customer_keys", "NAME_KEYS",
           "prefix", "contains", "customers_by_name", "customers_by_phone", "vehicles_by_plate", "vehicles_by_vin"]
