"""A part added to the catalog by hand, with its opening stock: what a new shop does for the few parts its
operations' kits need before (or instead of) importing a whole catalog (workshop/parts_import.py)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import IntegrityError

from models.db import run_write
from models.parts import UNIT_LABELS, UNITS, Part
from models.people import Staff
from workshop import amounts, audit, i18n, parts, shops, validation
from workshop.errors import InvalidInput
from workshop.i18n import N_, _
from workshop.permissions import require
from workshop.phrase import Phrase
from workshop.pinyin import initials

MAX_PRICE = Decimal("9999999.99")
MAX_STOCK = Decimal("999999")


@dataclass
class PartForm:
    """A new part as typed (strings, as the form gives them)."""
    code: str = ""
    name: str = ""
    name_zh: str = ""
    unit: str = "pc"
    sale_price: str = ""
    unit_cost: str = ""
    bin: str = ""
    reorder_threshold: str = ""
    fits_models: str = ""
    opening_qty: str = ""


def validate_part(form: PartForm) -> dict:
    """The part's columns (and its opening quantity) from the form, or InvalidInput naming the first bad field."""
    code = validation.text(form.code, "code", _("Code"), max_len=30).upper()
    if form.unit not in UNITS:
        raise InvalidInput(_("Unit must be one of: {units}.").format(
            units=", ".join(i18n.label(UNIT_LABELS, u) for u in UNITS)), "unit")
    name = validation.text(form.name, "name", _("Name"), max_len=100)
    name_zh = validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=100, required=False) or None

    def amount(field, label, *, places=2, maximum=MAX_PRICE, required=False):
        raw = str(form.__dict__[field] or "").strip()
        if not raw and not required:
            raw = "0"
        return amounts.decimal(raw, field, label, places=places, maximum=maximum)

    sale_price = amount("sale_price", _("Sale price"), required=True)
    if sale_price <= 0:
        raise InvalidInput(_("Sale price must be more than zero."), "sale_price")
    return dict(
        code=code, name=name, name_zh=name_zh, initials=initials(name_zh or name), unit=form.unit,
        sale_price=sale_price, unit_cost=amount("unit_cost", _("Unit cost")),
        bin=(validation.text(form.bin, "bin", _("Bin"), max_len=20, required=False) or "").upper() or None,
        reorder_threshold=amount("reorder_threshold", _("Reorder threshold"), places=3, maximum=MAX_STOCK),
        fits_models=validation.text(form.fits_models, "fits_models", _("Fits"), max_len=200, required=False) or None,
        opening=amount("opening_qty", _("Opening stock"), places=0 if form.unit in parts.WHOLE_UNITS else 3,
                       maximum=MAX_STOCK))


def add_part(form: PartForm, *, by: Staff) -> Part:
    """Add a part to the catalog, its opening stock on the ledger, in one audited transaction."""
    data = validate_part(form)

    def work():
        nonlocal by
        shop = shops.of(by)  # the opening stock is the terminal's shop's
        by = require(by, "manage_stock")
        if Part.select().where(Part.code == data["code"]).exists():
            raise InvalidInput(_("Part {code} is already in the catalog.").format(code=data["code"]), "code")
        row = dict(data)
        opening = row.pop("opening")
        part = Part.get_by_id(Part.insert(**row).execute())
        if opening:
            parts._post(part, shop, "opening", opening, by=by, reason="opening stock")
        audit.record(by, "part_added", "part", part.id, Phrase(N_("Part {code} {name} added"), code=part.code, name=part.name),
                     after={k: str(v) for k, v in data.items() if v not in (None, "")})
        return Part.get_by_id(part.id)  # with its opening stock

    try:
        return run_write(work)
    except IntegrityError:  # the same code added at this moment at another terminal: now it says which
        return run_write(work)


__all__ = ["PartForm", "add_part", "validate_part"]
