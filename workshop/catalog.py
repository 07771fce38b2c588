"""The operations catalog (工時項目) as a manager keeps it: code, names, trade, standard hours, price class, the
vehicle series an operation applies to, and its parts kit per series.

Rules:
- An operation with no series listed applies to every car; with series listed, reception refuses it for a car
  of another series (an oil change is not sold to a bZ4X) and says which series it is for. A car whose series
  is not on file is not refused (nothing to judge by).
- The kit for a car is the kit of its series if the operation has one, else the operation's general kit
  (series ""), else nothing. A series-only kit means "this series needs other parts", never "add both".
- Codes are unique and kept upper case; an operation used on orders is retired, never deleted (job lines
  keep the code and name they were sold with).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from models.db import run_write
from models.orders import BUSINESS_TYPE_LABELS, BUSINESS_TYPES, JobLine
from models.parts import Part, OperationPart
from models.people import TRADE_LABELS, TRADES, Staff, Vehicle
from models.shop import STANDARD_PRICE_CLASS, LaborRate, Operation, OperationSeries, PackageOperation
from workshop import audit, i18n, validation
from workshop.amounts import MAX_HOURS, MAX_QTY, decimal
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _
from workshop.phrase import Local, Phrase, Word
from workshop.permissions import require
from workshop.pinyin import looks_like_initials

CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


@dataclass
class OperationForm:
    code: str = ""
    name: str = ""
    name_zh: str = ""
    trade: str = "mechanical"
    standard_hours: str = ""
    price_class: str = STANDARD_PRICE_CLASS
    business_type: str = ""                 # the kind of order it usually belongs to ("" none)
    applies_to: str | list[str] = ""        # series, comma separated ("" every series)


def code_of(value, field: str, label: str, *, max_len: int = 20) -> str:
    """A catalog code: trimmed, upper case, letters, digits, - _ . only."""
    code = validation.text(value, field, label, max_len=max_len).upper()
    if not set(code) <= CODE_CHARS:
        raise InvalidInput(_("{label} has only letters, digits, dashes, dots and underscores.").format(label=label),
                           field)
    return code


def price_class_of(value) -> str:
    text = validation.text(value or STANDARD_PRICE_CLASS, "price_class", _("Price class"), max_len=20).lower()
    if not text.replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(_("A price class is one word (letters, digits, - or _)."), "price_class")
    return text


def price_class_label(code: str) -> str:
    """A price class as shown: the standard one in the reader's language, the shop's own as it typed them."""
    return _("standard") if code == STANDARD_PRICE_CLASS else code


def series_list(value) -> list[str]:
    """Series named in ``value`` ("Camry, RAV4" or a list), trimmed, without repeats (case ignored)."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").replace("，", ",").replace(";", ",").split(",")
    out, seen = [], set()
    for item in items:
        name = validation.text(str(item), "applies_to", _("Series"), max_len=40, required=False)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def validate_operation(form: OperationForm) -> tuple[dict, list[str]]:
    if form.trade not in TRADES:
        raise InvalidInput(_("Pick a trade."), "trade")
    btype = (form.business_type or "").strip() or None
    if btype is not None and btype not in BUSINESS_TYPES:
        raise InvalidInput(_("Pick a business type."), "business_type")
    hours = decimal(form.standard_hours, "standard_hours", _("Standard hours"), maximum=MAX_HOURS)
    if hours == 0:
        raise InvalidInput(_("Standard hours must be more than zero."), "standard_hours")
    return dict(code=code_of(form.code, "code", _("Operation code")),
                name=validation.text(form.name, "name", _("Name"), max_len=100),
                name_zh=validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=100, required=False),
                trade=form.trade, standard_hours=hours, price_class=price_class_of(form.price_class),
                business_type=btype), series_list(form.applies_to)


def _operation(operation_id: int) -> Operation:
    op = Operation.get_or_none(Operation.id == operation_id)
    if op is None:
        raise NotFound(_("That operation does not exist."))
    return op


def _code_free(code: str, other_than: int | None) -> None:
    query = Operation.select(Operation.id).where(Operation.code == code)
    if other_than is not None:
        query = query.where(Operation.id != other_than)
    if query.exists():
        raise InvalidInput(_("Operation code {code} is already in the catalog.").format(code=code), "code")


def _set_series(op_id: int, series: list[str]) -> None:
    OperationSeries.delete().where(OperationSeries.operation == op_id).execute()
    for name in series:
        OperationSeries.create(operation=op_id, series=name)


def _series_of(op_id: int) -> list[str]:
    return [s for (s,) in OperationSeries.select(OperationSeries.series).where(OperationSeries.operation == op_id)
            .order_by(OperationSeries.series).tuples()]


def add_operation(form: OperationForm, *, by: Staff) -> Operation:
    """A new catalog operation."""
    data, series = validate_operation(form)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        return insert_operation(data, series, by=by)

    return run_write(work)


def insert_operation(data: dict, series: list[str], *, by: Staff | None) -> Operation:
    """Inside a transaction: a new operation from validated values, with its audit row."""
    _code_free(data["code"], None)
    op = Operation.create(**data)
    _set_series(op.id, series)
    audit.record(by, "operation_added", "operation", op.id, Phrase(N_("Operation {code} {name} added"), code=op.code,
                                                         name=Local(op.name, op.name_zh)),
                 after=dict(data, applies_to=series))
    return op


def edit_operation(operation_id: int, form: OperationForm, *, by: Staff) -> Operation:
    """Change a catalog operation (orders already written keep the code, name and hours they were sold with)."""
    data, series = validate_operation(form)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        op = _operation(operation_id)
        _code_free(data["code"], op.id)
        old_series = _series_of(op.id)
        before = {k: getattr(op, k) for k in data if getattr(op, k) != data[k]}
        after = {k: data[k] for k in before}
        if sorted(s.casefold() for s in old_series) != sorted(s.casefold() for s in series):
            before["applies_to"], after["applies_to"] = old_series, series
        if not after:
            return op
        for key, value in data.items():
            setattr(op, key, value)
        op.save()  # keeps the pinyin initials of the name
        _set_series(op.id, series)
        audit.record(by, "operation_changed", "operation", op.id, Phrase(N_("Operation {code}: {fields} changed"), code=op.code,
                                                                  fields=audit.changed_fields(after)),
                     before=before, after=after)
        return op

    return run_write(work)


def set_active(operation_id: int, active: bool, *, by: Staff) -> Operation:
    """Retire an operation (no longer offered at reception) or bring it back."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        op = _operation(operation_id)
        if op.active == active:
            return op
        if not active:
            packages = (PackageOperation.select(fn.COUNT(PackageOperation.id))
                        .where(PackageOperation.operation == op.id).scalar())
            if packages:
                raise InvalidInput(_("{code} is in {count} maintenance package(s): take it out of them first.")
                                   .format(code=op.code, count=packages), "operation")
        Operation.update(active=active).where(Operation.id == op.id).execute()
        audit.record(by, "operation_retired" if not active else "operation_reactivated", "operation", op.id,
                     (Phrase(N_("Operation {code} retired"), code=op.code) if not active
                      else Phrase(N_("Operation {code} offered again"), code=op.code)),
                     before={"active": op.active}, after={"active": active})
        op.active = active
        return op

    return run_write(work)


def delete_operation(operation_id: int, *, by: Staff) -> None:
    """Remove an operation that was never used on an order (a typing mistake); used ones are retired."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        op = _operation(operation_id)
        if JobLine.select().where(JobLine.operation == op.id).exists():
            raise InvalidInput(_("{code} is on repair orders: retire it instead.").format(code=op.code), "operation")
        if PackageOperation.select().where(PackageOperation.operation == op.id).exists():
            raise InvalidInput(_("{code} is in a maintenance package: take it out first.").format(code=op.code),
                               "operation")
        before = {"code": op.code, "name": op.name, "trade": op.trade, "standard_hours": op.standard_hours}
        OperationPart.delete().where(OperationPart.operation == op.id).execute()
        OperationSeries.delete().where(OperationSeries.operation == op.id).execute()
        op.delete_instance()
        audit.record(by, "operation_deleted", "operation", operation_id, Phrase(N_("Operation {code} deleted"), code=before["code"]),
                     before=before)

    run_write(work)


# --- kits -----------------------------------------------------------------------------------------------------

def kit_items(items) -> list[tuple[str, Decimal]]:
    """(part code, quantity) pairs from a list of pairs or text like "OF-M20A*1; OIL-0W20*4.5"."""
    if isinstance(items, str):
        pairs = []
        for chunk in items.replace("，", ";").replace(",", ";").split(";"):
            chunk = chunk.strip()
            if not chunk:
                continue
            code, sep, qty = chunk.partition("*")
            if not sep:
                code, sep, qty = chunk.partition(" x ")
            pairs.append((code.strip(), qty.strip() or "1"))
        items = pairs
    out: dict[str, Decimal] = {}
    for code, qty in items:
        code = code_of(code, "kit", _("Part code"), max_len=30)
        amount = decimal(qty, "kit", _("Quantity of {code}").format(code=code), maximum=MAX_QTY, places=3)
        if amount == 0:
            raise InvalidInput(_("Quantity of {code} must be more than zero.").format(code=code), "kit")
        if code in out:
            raise InvalidInput(_("{code} is twice in the kit.").format(code=code), "kit")
        out[code] = amount
    return list(out.items())


def _kit_parts(items: list[tuple[str, Decimal]]) -> list[tuple[Part, Decimal]]:
    codes = [code for code, _qty in items]
    parts = {p.code: p for p in Part.select().where(Part.code.in_(codes))} if codes else {}
    unknown = [c for c in codes if c not in parts]
    if unknown:
        raise InvalidInput(_("Not in the parts catalog: {codes}.").format(codes=", ".join(unknown)), "kit")
    out = []
    for code, qty in items:
        part = parts[code]
        if not part.active:
            raise InvalidInput(_("{code} is no longer stocked.").format(code=code), "kit")
        if part.unit in ("pc", "set") and qty != qty.to_integral():
            raise InvalidInput(_("{code} is counted in whole {unit}.").format(code=code, unit=part.unit), "kit")
        out.append((part, qty))
    return out


def set_kit(operation_id: int, series: str, items, *, by: Staff) -> list[tuple[str, Decimal]]:
    """Replace the operation's parts kit for ``series`` ("" = the general kit); an empty list removes it."""
    series = validation.text(series, "series", _("Series"), max_len=40, required=False) or ""
    wanted = kit_items(items)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        op = _operation(operation_id)
        return replace_kit(op, _spelt_as_on_file(op.id, series), _kit_parts(wanted), by=by)

    return run_write(work)


def _spelt_as_on_file(operation_id: int, series: str) -> str:
    """``series`` as the operation already spells it (its kits, the series it applies to): a kit typed for
    "camry" replaces the Camry kit instead of standing beside it (cars' series are matched ignoring case)."""
    if not series:
        return series
    known = [s for (s,) in OperationPart.select(OperationPart.series).where(OperationPart.operation == operation_id)
             .distinct().tuples()]
    known += [s for (s,) in OperationSeries.select(OperationSeries.series)
              .where(OperationSeries.operation == operation_id).tuples()]
    return next((s for s in known if s.casefold() == series.casefold()), series)


def replace_kit(op: Operation, series: str, parts: list[tuple[Part, Decimal]], *, by: Staff | None):
    """Inside a transaction: the kit of ``op`` for ``series`` becomes ``parts``, with an audit row."""
    old = [(code, qty) for code, qty in (
        OperationPart.select(Part.code, OperationPart.qty).join(Part)
        .where((OperationPart.operation == op.id) & (OperationPart.series == series)).order_by(OperationPart.id)
        .tuples())]
    OperationPart.delete().where((OperationPart.operation == op.id) & (OperationPart.series == series)).execute()
    for part, qty in parts:
        OperationPart.create(operation=op.id, series=series, part=part.id, qty=qty)
    new = [(part.code, qty) for part, qty in parts]
    if old != new:
        audit.record(by, "operation_kit_set", "operation", op.id,
                     Phrase(Nn_("Operation {code}: kit for {series} set ({n} part)", "Operation {code}: kit for {series} set ({n} parts)"),
                            n=len(new), code=op.code, series=series or Word(N_("every series"))),
                     before={"series": series, "kit": [f"{c}*{q}" for c, q in old]},
                     after={"series": series, "kit": [f"{c}*{q}" for c, q in new]})
    return new


def kit_for(operation_id: int, series: str | None) -> list[tuple[int, Decimal]]:
    """(part id, qty) of the kit an operation brings for a car of ``series`` (see the module's rules)."""
    rows = list(OperationPart.select(OperationPart.series, OperationPart.part, OperationPart.qty)
                .join(Part).where((OperationPart.operation == operation_id) & Part.active).tuples())
    key = (series or "").casefold()
    own = [(pid, qty) for s, pid, qty in rows if key and s.casefold() == key]
    return own or [(pid, qty) for s, pid, qty in rows if s == ""]


def check_applies(operations: list[Operation], series: str | None) -> None:
    """InvalidInput naming the first operation that is not for a car of ``series``."""
    if not series or not operations:
        return
    listed: dict[int, list[str]] = {}
    for op_id, name in (OperationSeries.select(OperationSeries.operation, OperationSeries.series)
                        .where(OperationSeries.operation.in_([op.id for op in operations])).tuples()):
        listed.setdefault(op_id, []).append(name)
    for op in operations:
        names = listed.get(op.id)
        if names and series.casefold() not in {n.casefold() for n in names}:
            raise InvalidInput(_("{code} {name} is not for a {series}: it applies to {listed}.").format(
                code=op.code, name=i18n.local(op.name, op.name_zh), series=series, listed=", ".join(sorted(names))),
                "operations")


# --- reading --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OperationRow:
    id: int
    code: str
    name: str          # in the reader's language
    name_en: str
    name_zh: str
    trade: str
    trade_label: str
    standard_hours: Decimal
    price_class: str
    rate: Decimal | None    # the labour rate it is sold at (None: no rate set for its trade and class)
    active: bool


def list_operations(text: str = "", *, include_retired: bool = True, limit: int = 100,
                    offset: int = 0) -> list[OperationRow]:
    """Catalog operations by code, matching ``text`` in code, either name or pinyin initials (a page)."""
    query = Operation.select(Operation.id, Operation.code, Operation.name, Operation.name_zh, Operation.trade,
                             Operation.standard_hours, Operation.price_class, Operation.active)
    text = (text or "").strip()
    if text:
        cond = Operation.code.contains(text) | Operation.name.contains(text) | Operation.name_zh.contains(text)
        if looks_like_initials(text):
            cond |= Operation.initials.contains(text.lower())
        query = query.where(cond)
    if not include_retired:
        query = query.where(Operation.active)
    rates = {(t, c): r for t, c, r in LaborRate.select(LaborRate.trade, LaborRate.price_class, LaborRate.rate).tuples()}
    return [OperationRow(oid, code, i18n.local(name, zh), name, zh or "", trade, i18n.label(TRADE_LABELS, trade),
                         hours, pclass, rates.get((trade, pclass)), bool(active))
            for oid, code, name, zh, trade, hours, pclass, active in
            query.order_by(Operation.code).limit(limit).offset(offset).tuples()]


@dataclass(frozen=True)
class KitLine:
    code: str
    name: str
    qty: Decimal
    unit: str


@dataclass(frozen=True)
class OperationDetail:
    id: int
    code: str
    name: str
    name_zh: str
    trade: str
    standard_hours: Decimal
    price_class: str
    business_type: str
    business_type_label: str
    active: bool
    applies_to: tuple[str, ...]
    kits: dict   # series ("" general) -> tuple[KitLine, ...]

    def form(self) -> OperationForm:
        return OperationForm(self.code, self.name, self.name_zh, self.trade, str(self.standard_hours),
                             self.price_class, self.business_type, ", ".join(self.applies_to))


def operation_detail(operation_id: int) -> OperationDetail:
    op = _operation(operation_id)
    kits: dict[str, list[KitLine]] = {}
    for series, code, name, name_zh, qty, unit in (
            OperationPart.select(OperationPart.series, Part.code, Part.name, Part.name_zh, OperationPart.qty, Part.unit)
            .join(Part).where(OperationPart.operation == op.id).order_by(OperationPart.series, OperationPart.id)
            .tuples()):
        kits.setdefault(series, []).append(KitLine(code, i18n.local(name, name_zh), qty, unit))
    return OperationDetail(op.id, op.code, op.name, op.name_zh or "", op.trade, op.standard_hours, op.price_class,
                           op.business_type or "", i18n.label(BUSINESS_TYPE_LABELS, op.business_type),
                           bool(op.active), tuple(_series_of(op.id)), {k: tuple(v) for k, v in kits.items()})


def known_series(limit: int = 200) -> list[str]:
    """Series to offer in pick lists: those the catalog names, and those of the last cars registered (a
    DISTINCT over every car on file read the whole vehicle table: 0.2 s on the large shop)."""
    names = {s for (s,) in OperationSeries.select(OperationSeries.series).distinct().tuples()}
    names |= {s for (s,) in OperationPart.select(OperationPart.series).where(OperationPart.series != "").distinct()
              .tuples()}
    recent = Vehicle.select(Vehicle.series).where(Vehicle.series.is_null(False)).order_by(Vehicle.id.desc()).limit(500)
    names |= {s for (s,) in recent.tuples()}
    return sorted(names, key=str.casefold)[:limit]


__all__ = ["OperationForm", "add_operation", "edit_operation", "set_active", "delete_operation", "set_kit",
           "kit_for", "check_applies", "list_operations", "operation_detail", "known_series", "insert_operation",
           "replace_kit", "kit_items", "validate_operation", "code_of"]
