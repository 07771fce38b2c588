"""The shops of a dealer group in one database: which shop a terminal works in, and what belongs to a shop.

Customers and vehicles are the group's. Bays, orders, appointments, invoice numbering, staff assignments and
per-shop settings belong to one shop. A database holds shop 1 from its first migration; a one-shop database
(the SQLite default) never asks anyone which shop: everything is shop 1.

A terminal works in one shop: the one fixed by configuration (``workshop --shop CODE`` or the WORKSHOP_SHOP
variable), else the home shop of whoever signs in. It is carried in the terminal's Actor (``Actor.shop_id``) and
handed to the services that list or create a shop's things (``of(by)``).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, replace

from models.db import run_write
from models.people import Staff, StaffShop
from models.shop import FIRST_SHOP, Shop
from workshop import audit, validation
from workshop.actor import Actor
from workshop.errors import InvalidInput, NotAllowed, NotFound
from workshop.i18n import N_, _, local
from workshop.permissions import require
from workshop.phrase import Local, Phrase

SHOP_ENV = "WORKSHOP_SHOP"


@dataclass(frozen=True)
class ShopRow:
    id: int
    code: str
    name: str          # in the reader's language
    address: str
    phone: str
    tax_number: str
    active: bool


def _row(shop: Shop) -> ShopRow:
    return ShopRow(shop.id, shop.code, local(shop.name, shop.name_zh), shop.address or "", shop.phone or "",
                   shop.tax_number or "", bool(shop.active))


def listing(*, include_retired: bool = False) -> list[ShopRow]:
    """The group's shops by code (a group has a handful: no paging)."""
    query = Shop.select().order_by(Shop.code)
    if not include_retired:
        query = query.where(Shop.active)
    return [_row(s) for s in query.limit(500)]


# How many shops a database holds is read once in a while, not on every board refresh: a shop is added
# rarely, and a terminal started before it still works in its own shop.
_count_cache: dict[str, tuple[float, int]] = {}
COUNT_SECONDS = 30.0


def count() -> int:
    """Active shops (1 for a one-shop database)."""
    from models.db import db
    key = str(getattr(db.obj, "database", ""))
    hit = _count_cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < COUNT_SECONDS:
        return hit[1]
    value = Shop.select().where(Shop.active).count() or 1
    _count_cache[key] = (now, value)
    return value


def forget_count() -> None:
    _count_cache.clear()


def is_group() -> bool:
    """More than one shop: terminals say which shop they work in, figures are given per shop."""
    return count() > 1


def of(by) -> int:
    """The shop an action is taken in: the terminal's (an Actor's), else the staff member's home shop."""
    if by is None:
        return FIRST_SHOP
    shop_id = getattr(by, "shop_id", None)
    if shop_id is None:
        shop_id = getattr(by, "home_shop_id", None)
    return shop_id or FIRST_SHOP


def scope(by) -> int | None:
    """The shop a list is limited to: the terminal's shop in a group, None (no filter) in a one-shop database,
    so a one-shop database runs the very same queries as before there were shops."""
    return of(by) if is_group() else None


def by_code(code: str) -> Shop:
    shop = Shop.get_or_none(Shop.code == (code or "").strip().upper())
    if shop is None or not shop.active:
        raise NotFound(_("There is no shop {code}.").format(code=(code or "").strip()))
    return shop


def may_work_in(staff_id: int, shop_id: int) -> bool:
    """Whether a staff member works in a shop: their home shop, or one they are assigned to as well."""
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        return False
    return staff.home_shop_id == shop_id or StaffShop.select().where(
        (StaffShop.staff == staff_id) & (StaffShop.shop == shop_id)).exists()


def works_in(shop_id: int):
    """The condition on Staff of those who work in a shop: their home shop, or one they are assigned to as well
    (for the lists a group's terminal offers: technicians to dispatch, the bays view's technicians)."""
    return (Staff.home_shop == shop_id) | Staff.id.in_(StaffShop.select(StaffShop.staff).where(StaffShop.shop == shop_id))


def configured_code() -> str | None:
    """The shop this terminal is fixed to by configuration (WORKSHOP_SHOP, set by ``--shop``), if any."""
    code = os.environ.get(SHOP_ENV, "").strip()
    return code or None


def at_sign_in(actor: Actor, code: str | None = None) -> Actor:
    """The Actor working in this terminal's shop: the configured one (``code``, else WORKSHOP_SHOP), else their
    home shop. A one-shop database asks nothing and checks nothing: everyone works in shop 1. A group refuses
    someone who does not work in the configured shop (a manager or group manager may work in any)."""
    code = code or configured_code()
    if not is_group() and code is None:
        return replace(actor, shop_id=FIRST_SHOP, shop_code="")
    if code is None:
        shop = Shop.get_or_none(Shop.id == actor.shop_id) or Shop.get_by_id(FIRST_SHOP)
    else:
        shop = by_code(code)
        if not (actor.has_role("manager", "group_manager") or may_work_in(actor.id, shop.id)):
            raise NotAllowed(_("{name} does not work in {shop}: ask a manager to assign them.").format(
                name=actor.name, shop=local(shop.name, shop.name_zh)))
    return replace(actor, shop_id=shop.id, shop_code=shop.code if is_group() else "")


def choices(actor: Actor) -> list[ShopRow]:
    """The shops someone signing in may pick from (their home shop first), when the terminal is not fixed to
    one: nothing to pick in a one-shop database, on a fixed terminal, or for someone who works in one shop.
    Managers and group managers may work in any shop."""
    if not is_group() or configured_code():
        return []
    rows = listing()
    if not actor.has_role("manager", "group_manager"):
        also = {s for (s,) in StaffShop.select(StaffShop.shop).where(StaffShop.staff == actor.id).tuples()}
        rows = [r for r in rows if r.id == actor.shop_id or r.id in also]
    rows.sort(key=lambda r: (r.id != actor.shop_id, r.code))
    return rows if len(rows) > 1 else []


def working_in(actor: Actor, shop_id: int) -> Actor:
    """The Actor working in one of the shops ``choices`` offered them."""
    row = next((r for r in choices(actor) if r.id == shop_id), None)
    if row is None:
        raise NotAllowed(_("{name} does not work in {shop}: ask a manager to assign them.").format(
            name=actor.name, shop=shop_id))
    return replace(actor, shop_id=row.id, shop_code=row.code)


def add_shop(code: str, name: str, *, by, name_zh: str = "", address: str = "", phone: str = "",
             tax_number: str = "") -> ShopRow:
    """A new shop of the group (managers)."""
    data = dict(code=validation.text(code, "code", _("Shop code"), max_len=10).upper(),
                name=validation.text(name, "name", _("Name"), max_len=100),
                name_zh=validation.text(name_zh, "name_zh", _("Chinese name"), max_len=100, required=False),
                address=validation.text(address, "address", _("Address"), max_len=200, required=False) or "",
                phone=validation.text(phone, "phone", _("Phone"), max_len=40, required=False) or "",
                tax_number=validation.text(tax_number, "tax_number", _("Tax number"), max_len=30,
                                           required=False) or "")

    def work():
        staff = require(by, "manage_shops")
        if Shop.select().where(Shop.code == data["code"]).exists():
            raise InvalidInput(_("Shop code {code} is taken.").format(code=data["code"]), "code")
        shop = Shop.create(**data)
        audit.record(staff, "shop_added", "shop", shop.id, Phrase(N_("Shop {code} {name} added"), code=shop.code,
                                                                  name=Local(shop.name, shop.name_zh)), after=data)
        return shop

    shop = run_write(work)
    forget_count()
    return _row(shop)


def assign(staff_id: int, home_code: str, *, by, also: tuple[str, ...] = ()) -> None:
    """A staff member's home shop and the other shops they may work in (managers)."""
    home = by_code(home_code)
    others = [by_code(code) for code in also]

    def work():
        manager = require(by, "manage_shops")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("That member of staff does not exist."))
        before = {"home": staff.home_shop_id,
                  "also": sorted(s for (s,) in StaffShop.select(StaffShop.shop).where(StaffShop.staff == staff_id)
                                 .tuples())}
        Staff.update(home_shop=home.id).where(Staff.id == staff_id).execute()
        StaffShop.delete().where(StaffShop.staff == staff_id).execute()
        for shop in others:
            if shop.id != home.id:
                StaffShop.insert(staff=staff_id, shop=shop.id).on_conflict_ignore().execute()
        audit.record(manager, "staff_shops", "staff", staff_id, Phrase(N_("Shops of {name} set"), name=staff.name),
                     before=before, after={"home": home.id, "also": sorted({s.id for s in others} - {home.id})})

    run_write(work)


def identity(shop_id: int | None, *, localised: bool = True) -> dict[str, str]:
    """What heads a shop's documents. Shop 1's identity is the identity settings (the set-up screen edits them;
    the migration copied them into its Shop row); another shop's is its own row, a blank field taking the
    group's setting."""
    from workshop import settings
    values = {"shop_name": settings.get("shop_name"), "shop_address": settings.get("shop_address"),
              "shop_phone": settings.get("shop_phone"), "shop_tax_number": settings.get("shop_tax_number")}
    if not shop_id or shop_id == FIRST_SHOP:
        return values
    shop = Shop.get_or_none(Shop.id == shop_id)
    if shop is None:
        return values
    own = {"shop_name": local(shop.name, shop.name_zh) if localised else shop.name, "shop_address": shop.address, "shop_phone": shop.phone,
           "shop_tax_number": shop.tax_number}
    return {key: own[key] or values[key] for key in values}


IDENTITY_FIELDS = {"shop_name": "name", "shop_address": "address", "shop_phone": "phone",
                   "shop_tax_number": "tax_number"}


def identity_values(shop_id: int | None, keys) -> dict[str, object]:
    """The set-up's identity form for a shop: its identity, and its own value (or the group's) of other keys."""
    from workshop import settings
    own = identity(shop_id, localised=False)  # (the name as stored: the form saves it back)
    return {key: own[key] if key in own else settings.get(key, shop=shop_id if shop_id != FIRST_SHOP else None)
            for key in keys}


def set_identity(shop_id: int | None, values: dict[str, object], *, by) -> None:
    """Save a shop's identity from the set-up: shop 1's (or a one-shop database's) is the identity settings;
    another shop's name, address, phone and tax number are its Shop row, its other values (bank, document
    language) its own settings. One transaction, one event."""
    from models.shop import ShopSetting
    from workshop import settings
    if not shop_id or shop_id == FIRST_SHOP:
        settings.put_many(values, by=by)
        return
    parsed = {key: settings.parse(key, value) for key, value in values.items()}

    def work():
        manager = require(by, "manage_settings")
        shop = Shop.get_or_none(Shop.id == shop_id)
        if shop is None:
            raise NotFound(_("There is no shop {code}.").format(code=shop_id))
        before = {key: getattr(shop, field) for key, field in IDENTITY_FIELDS.items()}
        row = {field: str(parsed[key] or "") for key, field in IDENTITY_FIELDS.items() if key in parsed}
        if not row.get("name", shop.name):
            raise InvalidInput(_("The shop's name is needed."), "shop_name")
        Shop.update(**row).where(Shop.id == shop_id).execute()
        for key, value in parsed.items():
            if key not in IDENTITY_FIELDS:
                text = json.dumps(value, ensure_ascii=False)
                ShopSetting.insert(shop=shop_id, key=key, value=text).on_conflict(
                    conflict_target=[ShopSetting.shop, ShopSetting.key], update={ShopSetting.value: text}).execute()
        audit.record(manager, "shop_identity", "shop", shop_id, Phrase(N_("Identity of shop {code} changed"), code=shop.code),
                     before=before, after=parsed)

    run_write(work)
    settings.forget_cache()


def names() -> dict[int, str]:
    """Shop id -> code, for lists that show where something happened (a car's visits, figures per shop)."""
    return dict(Shop.select(Shop.id, Shop.code).tuples())
