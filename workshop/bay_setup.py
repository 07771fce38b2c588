"""Bays as a manager sets them up: add, edit (code, names, kind, places), retire and bring back; a bay that was
never used can be deleted (a typing mistake), one that was is retired: its orders keep naming it.

A bay cannot be retired while a car stands in it, nor given fewer places than cars stand in it now."""
from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from models.db import run_write
from models.orders import RepairOrder
from models.people import Staff
from models.shop import BAY_KIND_LABELS, BAY_KINDS, FIRST_SHOP, Bay
from workshop import audit, i18n, shops, validation
from workshop.amounts import integer
from workshop.catalog import code_of
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.lifecycle import BAY_STATES
from workshop.permissions import require

MAX_PLACES = 20


@dataclass
class BayForm:
    code: str = ""
    name: str = ""
    name_zh: str = ""
    kind: str = "mechanical"
    capacity: str = "1"


@dataclass(frozen=True)
class BayRow:
    id: int
    code: str
    name: str        # in the reader's language
    name_en: str
    name_zh: str
    kind: str
    kind_label: str
    capacity: int
    active: bool
    cars_in: int     # cars standing in it now

    def form(self) -> BayForm:
        return BayForm(self.code, self.name_en, self.name_zh, self.kind, str(self.capacity))


def validate_bay(form: BayForm) -> dict:
    if form.kind not in BAY_KINDS:
        raise InvalidInput(_("Pick the kind of bay."), "kind")
    return dict(code=code_of(form.code, "code", _("Bay code"), max_len=10),
                name=validation.text(form.name, "name", _("Name"), max_len=40),
                name_zh=validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=40, required=False),
                kind=form.kind,
                capacity=integer(form.capacity, "capacity", _("Places"), minimum=1, maximum=MAX_PLACES))


def _bay(bay_id: int) -> Bay:
    bay = Bay.get_or_none(Bay.id == bay_id)
    if bay is None:
        raise NotFound(_("That bay does not exist."))
    return bay


def _cars_in(bay_id: int) -> int:
    return (RepairOrder.select(fn.COUNT(RepairOrder.id))
            .where((RepairOrder.bay == bay_id) & RepairOrder.state.in_(BAY_STATES)).scalar() or 0)


def _code_free(code: str, other_than: int | None, shop: int = FIRST_SHOP) -> None:
    query = Bay.select(Bay.id).where((Bay.code == code) & (Bay.shop == shop))  # codes are unique per shop
    if other_than is not None:
        query = query.where(Bay.id != other_than)
    if query.exists():
        raise InvalidInput(_("Bay code {code} is taken.").format(code=code), "code")


def insert_bay(data: dict, *, by: Staff | None, shop: int = FIRST_SHOP) -> Bay:
    """Inside a transaction: a new bay of ``shop`` from validated values, with its audit row."""
    _code_free(data["code"], None, shop)
    bay = Bay.create(shop=shop, **data)
    audit.record(by, "bay_added", "bay", bay.id, Phrase(N_("Bay {code} {name} added"), code=bay.code, name=bay.name), after=data)
    return bay


def add_bay(form: BayForm, *, by: Staff) -> Bay:
    """A new bay of the terminal's shop, ready for dispatch."""
    data = validate_bay(form)
    return run_write(lambda: insert_bay(data, by=require(by, "shop_setup"), shop=shops.of(by)))


def edit_bay(bay_id: int, form: BayForm, *, by: Staff) -> Bay:
    """Change a bay's code, names, kind or places."""
    data = validate_bay(form)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        bay = _bay(bay_id)
        _code_free(data["code"], bay.id, bay.shop_id)
        cars = _cars_in(bay.id)
        if data["capacity"] < cars:
            raise InvalidInput(_("{count} cars stand in {code} now: it needs at least that many places.").format(
                count=cars, code=bay.code), "capacity")
        before = {k: getattr(bay, k) for k in data if getattr(bay, k) != data[k]}
        if not before:
            return bay
        Bay.update(**data).where(Bay.id == bay.id).execute()
        audit.record(by, "bay_changed", "bay", bay.id, Phrase(N_("Bay {code}: {fields} changed"), code=data["code"],
                            fields=audit.changed_fields(before)),
                     before=before, after={k: data[k] for k in before})
        return _bay(bay.id)

    return run_write(work)


def set_active(bay_id: int, active: bool, *, by: Staff) -> Bay:
    """Retire a bay (no more dispatch to it) or bring it back."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        bay = _bay(bay_id)
        if bay.active == active:
            return bay
        if not active:
            cars = _cars_in(bay.id)
            if cars:
                raise InvalidInput(i18n.ngettext("A car stands in {code}: move it out before retiring the bay.",
                                                 "{count} cars stand in {code}: move them out before retiring the bay.",
                                                 cars).format(count=cars, code=bay.code), "bay")
        Bay.update(active=active).where(Bay.id == bay.id).execute()
        audit.record(by, "bay_retired" if not active else "bay_reactivated", "bay", bay.id,
                     (Phrase(N_("Bay {code} retired"), code=bay.code) if not active
                      else Phrase(N_("Bay {code} back in use"), code=bay.code)),
                     before={"active": bay.active}, after={"active": active})
        return _bay(bay.id)

    return run_write(work)


def delete_bay(bay_id: int, *, by: Staff) -> None:
    """Delete a bay no order ever used; one that was used is retired instead."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        bay = _bay(bay_id)
        if RepairOrder.select().where(RepairOrder.bay == bay.id).exists():
            raise InvalidInput(_("{code} is named on repair orders: retire it instead.").format(code=bay.code), "bay")
        before = {"code": bay.code, "name": bay.name, "kind": bay.kind, "capacity": bay.capacity}
        bay.delete_instance()
        audit.record(by, "bay_deleted", "bay", bay_id, Phrase(N_("Bay {code} deleted"), code=before["code"]), before=before)

    run_write(work)


def list_bays(*, include_retired: bool = True, shop: int | None = None) -> list[BayRow]:
    """Every bay (of ``shop``, in a group) by code with the cars in it now (two queries)."""
    query = Bay.select().order_by(Bay.active.desc(), Bay.code)
    if shop is not None:
        query = query.where(Bay.shop == shop)
    if not include_retired:
        query = query.where(Bay.active)
    cars = dict(RepairOrder.select(RepairOrder.bay, fn.COUNT(RepairOrder.id))
                .where(RepairOrder.state.in_(BAY_STATES) & RepairOrder.bay.is_null(False))
                .group_by(RepairOrder.bay).tuples())
    return [BayRow(b.id, b.code, i18n.local(b.name, b.name_zh), b.name, b.name_zh or "", b.kind,
                   i18n.label(BAY_KIND_LABELS, b.kind), b.capacity, bool(b.active), cars.get(b.id, 0))
            for b in query.limit(500)]
