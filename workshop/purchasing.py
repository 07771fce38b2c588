"""Purchasing: suppliers, purchase orders (采购订单) for shortages and low stock, and goods received (到货) against them.

Rules a shop would expect, decided here:
- a PO is for one supplier; its expected date (ETA) is the supplier's lead time from today unless the
  clerk gives one; every line is a part still stocked (a retired part cannot be ordered);
- a PO line serves the short part lines of repair orders it is tied to: those the clerk names, then any
  other short line of that part not yet on order, most urgent promised time first; a part line added
  later while spare quantity is on order is tied to it at once (parts.add_part_line);
- an order whose every missing part is tied to an open PO shows "ordered" with the latest ETA on its card,
  and "late" once that date has passed (workshop/availability.py);
- goods received against a PO line fill its tied lines' reservations first, then the others by promised
  time, as goods-in does; never more than is still due on the line: two clerks receiving the same line
  at once cannot together take in more than was ordered (a conditional UPDATE under the write lock);
- a PO with nothing received can be cancelled; one partly received can be closed (the rest will not
  come); either way its tied orders go back to "short".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from peewee import JOIN, fn

from models.db import run_write
from models.orders import RepairOrder
from models.parts import Part, PartLine, PartStock
from models.people import Staff, Vehicle
from models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink, Supplier
from models.shop import FIRST_SHOP
from workshop import audit, availability, clock, i18n, lifecycle, parts, shops, typed_dates, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _
from workshop.phrase import Items, Phrase, Term, When, Word
from workshop.permissions import require
from workshop.reception import next_number

ZERO = Decimal("0")
EPSILON = Decimal("0.0005")  # quantities have three places; SQLite compares them as floating point
PO_STATE_LABELS = {"open": N_("awaiting goods"), "received": N_("goods received"), "closed": N_("closed short"),
                   "cancelled": N_("cancelled")}


def po_label(number: int) -> str:
    return str(po_ref(number))


def po_ref(number: int) -> Phrase:
    """A purchase order's name as a phrase ("PO 7" / "采购订单 7"), said in each reader's language."""
    return Phrase(N_("PO {number}"), number=number)


# --- suppliers ------------------------------------------------------------------------------------

@dataclass
class SupplierForm:
    name: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    lead_days: str = "3"


def _supplier_values(form: SupplierForm) -> dict:
    name = validation.text(form.name, "name", _("Supplier name"), max_len=60)
    lead = validation.integer(form.lead_days or "0", "lead_days", _("Lead time (days)"), minimum=0, maximum=365)
    return {"name": name, "contact": validation.text(form.contact, "contact", _("Contact"), max_len=60, required=False),
            "phone": validation.phone(form.phone, "phone", _("Phone"), required=False),
            "email": validation.text(form.email, "email", _("Email"), max_len=120, required=False), "lead_days": lead}


def add_supplier(form: SupplierForm, *, by: Staff) -> Supplier:
    """A new supplier: name, contact, lead time."""
    values = _supplier_values(form)

    def work():
        nonlocal by
        by = require(by, "manage_suppliers")
        if Supplier.select().where(fn.LOWER(Supplier.name) == values["name"].lower()).exists():
            raise InvalidInput(_("A supplier named {name} already exists.").format(name=values["name"]), "name")
        supplier = Supplier.create(**values)
        audit.record(by, "supplier_added", "supplier", supplier.id,
                     Phrase(N_("Supplier {name} added"), name=supplier.name), after=values)
        return supplier

    return run_write(work)


def update_supplier(supplier_id: int, form: SupplierForm, *, by: Staff, active: bool = True) -> Supplier:
    """Change a supplier's details (or take it off the list with ``active=False``)."""
    values = dict(_supplier_values(form), active=active)

    def work():
        nonlocal by
        by = require(by, "manage_suppliers")
        supplier = Supplier.get_or_none(Supplier.id == supplier_id)
        if supplier is None:
            raise NotFound(_("That supplier does not exist."))
        clash = Supplier.select().where((fn.LOWER(Supplier.name) == values["name"].lower())
                                        & (Supplier.id != supplier_id)).exists()
        if clash:
            raise InvalidInput(_("A supplier named {name} already exists.").format(name=values["name"]), "name")
        before = {k: getattr(supplier, k) for k in values}
        Supplier.update(**values).where(Supplier.id == supplier_id).execute()
        audit.record(by, "supplier_changed", "supplier", supplier_id,
                     Phrase(N_("Supplier {name} changed"), name=values["name"]), before=before, after=values)
        return Supplier.get_by_id(supplier_id)

    return run_write(work)


@dataclass(frozen=True)
class SupplierRow:
    id: int
    name: str
    contact: str
    phone: str
    lead_days: int
    active: bool
    email: str = ""


def suppliers(search: str = "", *, include_inactive: bool = False, limit: int = 100,
              offset: int = 0) -> list[SupplierRow]:
    query = Supplier.select(Supplier.id, Supplier.name, Supplier.contact, Supplier.phone, Supplier.lead_days,
                            Supplier.active, Supplier.email)
    if not include_inactive:
        query = query.where(Supplier.active == True)  # noqa: E712
    if (search or "").strip():
        query = query.where(Supplier.name.contains(search.strip()))
    return [SupplierRow(i, n, c or "", p or "", lead, bool(a), e or "")
            for i, n, c, p, lead, a, e in query.order_by(Supplier.name).limit(limit).offset(offset).tuples()]


# --- what is on order for a part line -----------------------------------------------------------------

def _missing(line: PartLine) -> Decimal:
    return max(Decimal(str(line.qty)) - (Decimal(str(line.picked)) - Decimal(str(line.returned)))
               - Decimal(str(line.reserved)), ZERO)


def _line_open(line: PartLine, order_state: str) -> bool:
    return line.status in parts.OPEN_LINE and order_state in parts.EDITABLE_STATES


def _commitments(po_line_ids: list[int]) -> dict[int, Decimal]:
    """How much of each PO line is spoken for by part lines that still miss parts (one query)."""
    if not po_line_ids:
        return {}
    spoken: dict[int, Decimal] = {}
    rows = (PurchaseOrderLink.select(PurchaseOrderLink.po_line, PurchaseOrderLink.qty, PartLine, RepairOrder.state)
            .join(PartLine).join(RepairOrder)
            .where(PurchaseOrderLink.po_line.in_(po_line_ids) & (PurchaseOrderLink.qty > 0)))
    for link in rows:
        line = link.part_line
        if _line_open(line, line.order.state):
            taken = min(Decimal(str(link.qty)), _missing(line))
            spoken[link.po_line_id] = spoken.get(link.po_line_id, ZERO) + taken
    return spoken


def _tied_to(part_line_ids: list[int]) -> dict[int, Decimal]:
    """What open POs still bring for each of these part lines (one query)."""
    if not part_line_ids:
        return {}
    rows = (PurchaseOrderLink.select(PurchaseOrderLink.part_line, fn.SUM(PurchaseOrderLink.qty))
            .join(PurchaseOrderLine).join(PurchaseOrder)
            .where(PurchaseOrderLink.part_line.in_(part_line_ids) & (PurchaseOrder.state == "open"))
            .group_by(PurchaseOrderLink.part_line).tuples())
    return {line_id: Decimal(str(qty or 0)) for line_id, qty in rows}


def _tie(po_line: PurchaseOrderLine, line: PartLine, qty: Decimal) -> None:
    link = PurchaseOrderLink.get_or_none((PurchaseOrderLink.po_line == po_line.id)
                                         & (PurchaseOrderLink.part_line == line.id))
    if link is None:
        PurchaseOrderLink.create(po_line=po_line.id, part_line=line.id, qty=qty)
    else:
        PurchaseOrderLink.update(qty=PurchaseOrderLink.qty + qty).where(PurchaseOrderLink.id == link.id).execute()


def tie_to_open_orders(line: PartLine, shop: int) -> Decimal:
    """Inside a transaction: tie a new short part line of an order of ``shop`` to quantity already on order
    for that shop and spoken for by no other line (earliest ETA first); returns what was tied. Called by parts
    when a line is added."""
    wanted = _missing(line) - sum(_tied_to([line.id]).values(), ZERO)
    if wanted <= 0:
        return ZERO
    po_lines = list(PurchaseOrderLine.select(PurchaseOrderLine, PurchaseOrder).join(PurchaseOrder)
                    .where((PurchaseOrderLine.part == line.part_id) & (PurchaseOrder.state == "open")
                           & (PurchaseOrder.shop == shop)
                           & (PurchaseOrderLine.qty > PurchaseOrderLine.received + EPSILON))
                    .order_by(PurchaseOrder.expected_on, PurchaseOrder.id))
    spoken = _commitments([p.id for p in po_lines])
    tied = ZERO
    for po_line in po_lines:
        spare = Decimal(str(po_line.qty)) - Decimal(str(po_line.received)) - spoken.get(po_line.id, ZERO)
        take = min(spare, wanted - tied)
        if take > 0:
            _tie(po_line, line, take)
            tied += take
        if tied >= wanted:
            break
    return tied


def _short_lines_of(part_id: int, shop: int, exclude: set[int] = frozenset()) -> list[PartLine]:
    """Open part lines of a part still missing some of it, in a shop's active orders, most urgent first."""
    return [line for line in (PartLine.select(PartLine, RepairOrder).join(RepairOrder)
                              .where(PartLine.order.in_(parts.open_orders(shop)) & (PartLine.part == part_id)
                                     & PartLine.status.in_(parts.OPEN_LINE)
                                     & (PartLine.qty > PartLine.picked - PartLine.returned + PartLine.reserved)
                                     & RepairOrder.state.in_(list(parts.EDITABLE_STATES)))
                              .order_by(RepairOrder.promised_at, PartLine.id))
            if line.id not in exclude]


def _trim_links(po_line: PurchaseOrderLine) -> None:
    """After goods came in: each tied line expects no more than it still misses, and all of them together
    no more than the PO line still brings."""
    po_line = PurchaseOrderLine.get_by_id(po_line.id)
    left = Decimal(str(po_line.qty)) - Decimal(str(po_line.received))
    links = (PurchaseOrderLink.select(PurchaseOrderLink, PartLine, RepairOrder).join(PartLine).join(RepairOrder)
             .where((PurchaseOrderLink.po_line == po_line.id) & (PurchaseOrderLink.qty > 0))
             .order_by(RepairOrder.promised_at, PartLine.id))
    for link in links:
        line = link.part_line
        keep = min(Decimal(str(link.qty)), _missing(line) if _line_open(line, line.order.state) else ZERO,
                   max(left, ZERO))
        left -= keep
        if keep != Decimal(str(link.qty)):
            PurchaseOrderLink.update(qty=keep).where(PurchaseOrderLink.id == link.id).execute()


def _refresh_orders(order_ids, *, by: Staff, kind: str, summary) -> None:
    """Store the parts status and ETA of orders a PO serves; each gets a line of history."""
    for order_id in sorted(set(order_ids)):
        order = lifecycle.get_order(order_id)
        if order.state not in parts.EDITABLE_STATES:
            continue
        parts._refresh_status(order, by=by, kind=kind, summary=summary(order))


def _orders_of(po_line_ids: list[int]) -> list[int]:
    if not po_line_ids:
        return []
    return [oid for (oid,) in (PartLine.select(PartLine.order).join(PurchaseOrderLink)
                               .where(PurchaseOrderLink.po_line.in_(po_line_ids)).distinct().tuples())]


# --- purchase orders -------------------------------------------------------------------------------

@dataclass
class POLine:
    part_code: str
    qty: str | Decimal
    part_line_ids: list[int] = field(default_factory=list)  # the short lines this quantity is for


def _validated_lines(lines: list[POLine]) -> list[tuple[Part, Decimal, list[int]]]:
    if not lines:
        raise InvalidInput(_("A purchase order needs at least one part."), "lines")
    out, seen = [], set()
    for line in lines:
        part = parts.find_part(line.part_code)
        if part.id in seen:
            raise InvalidInput(_("{code} is on the purchase order twice: order it on one line.").format(
                code=part.code), "part")
        seen.add(part.id)
        out.append((part, parts.quantity(line.qty, part, _("Quantity ordered")), list(line.part_line_ids)))
    return out


def create_po(supplier_id: int, lines: list[POLine], *, by: Staff, expected_on=None, note: str = "") -> PurchaseOrder:
    """Order parts from one supplier for the terminal's shop (the goods go into its stock); each line serves the
    short part lines named, then other short lines of the part in that shop not yet on order. The orders served
    show "ordered" with the PO's expected date."""
    shop = shops.of(by)
    wanted = _validated_lines(lines)
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)
    eta = None if expected_on in (None, "") else typed_dates.parse(expected_on, "expected_on", _("Expected date"))
    if eta is not None and eta < clock.today():
        raise InvalidInput(_("The expected date {date} has already passed.").format(date=i18n.date(eta)),
                           "expected_on")

    def work():
        nonlocal by
        by = require(by, "purchase_parts")
        supplier = Supplier.get_or_none(Supplier.id == supplier_id)
        if supplier is None or not supplier.active:
            raise InvalidInput(_("Choose a supplier from the list."), "supplier")
        for part, _qty, _lines in wanted:  # read under the write lock: retired while the clerk typed?
            if not Part.get_by_id(part.id).active:
                raise InvalidInput(_("{code} {name} is no longer stocked: it cannot be ordered.").format(
                    code=part.code, name=part.name), "part")
        now = clock.now()
        po = PurchaseOrder.create(number=next_number("purchase_order", 1), shop=shop, supplier=supplier.id, state="open",
                                  ordered_at=now, expected_on=eta or now.date() + dt.timedelta(days=supplier.lead_days),
                                  by=by, note=note)
        served: list[int] = []
        for part, qty, named in wanted:
            po_line = PurchaseOrderLine.create(po=po.id, part=part.id, qty=qty, unit_cost=part.unit_cost)
            served += _serve(po_line, part, qty, named, shop)
        audit.record(by, "po_created", "purchase_order", po.id,
                     Phrase(Nn_("{po} to {supplier}: {n} line, expected {date}",
                                "{po} to {supplier}: {n} lines, expected {date}"), n=len(wanted),
                            po=po_ref(po.number), supplier=supplier.name, date=When(po.expected_on)),
                     after={"supplier": supplier.name, "expected_on": po.expected_on, "shop": shop,
                            "lines": [[p.code, str(q)] for p, q, _ in wanted]})
        _refresh_orders(served, by=by, kind="parts_ordered",
                        summary=lambda o: Phrase(N_("{order}: parts ordered on {po}, expected {date}"),
                                                 order=o.ref, po=po_ref(po.number), date=When(po.expected_on)))
        return po

    return run_write(work)


def _serve(po_line: PurchaseOrderLine, part: Part, qty: Decimal, named: list[int], shop: int) -> list[int]:
    """Tie a new PO line to the part lines it is for (those named first, then the other short lines of the
    part in the PO's shop by promised time), each for what it misses and is not yet on order; returns the
    orders served. A named line of another shop's order is refused: the goods would land elsewhere."""
    candidates = {line.id: line for line in _short_lines_of(part.id, shop)}
    for line_id in named:
        if line_id in candidates:
            continue
        line = PartLine.get_or_none(PartLine.id == line_id)
        if line is None or line.part_id != part.id:
            raise InvalidInput(_("That part line is not for {code}.").format(code=part.code), "part_line")
        if RepairOrder.select(RepairOrder.shop).where(RepairOrder.id == line.order_id).scalar() != shop:
            raise InvalidInput(_("{order} is another shop's: order its parts there.").format(
                order=RepairOrder.get_by_id(line.order_id).label), "part_line")
        raise InvalidInput(_("{order} is not short of {code} (any more).").format(
            order=RepairOrder.get_by_id(line.order_id).label, code=part.code), "part_line")
    ordered = [candidates[i] for i in named] + [line for i, line in candidates.items() if i not in named]
    tied_before = _tied_to([line.id for line in ordered])
    left, served = qty, []
    for line in ordered:
        take = min(max(_missing(line) - tied_before.get(line.id, ZERO), ZERO), left)
        if take > 0:
            _tie(po_line, line, take)
            left -= take
            served.append(line.order_id)
        if left <= 0:
            break
    return served


def _lock_open(po_id: int) -> PurchaseOrder:
    """The PO, taken for a change: its version bumped only while it is open (on PostgreSQL the row stays
    locked until commit, so a second terminal waits here and then sees what the first did)."""
    changed = (PurchaseOrder.update(version=PurchaseOrder.version + 1)
               .where((PurchaseOrder.id == po_id) & (PurchaseOrder.state == "open")).execute())
    po = PurchaseOrder.get_or_none(PurchaseOrder.id == po_id)
    if po is None:
        raise NotFound(_("That purchase order does not exist."))
    if not changed:
        raise IllegalTransition(_("{po} is {state}: nothing more can be received or changed on it.").format(
            po=po_label(po.number), state=i18n.label(PO_STATE_LABELS, po.state)))
    return po


def receive(po_id: int, receipts: dict[int, str | Decimal], *, by: Staff, reference: str = "") -> list[str]:
    """到货: goods received against a PO, part or all of each line; they fill the tied orders' reservations
    first, then others as goods-in does. Returns the orders whose parts are now complete."""
    reference = validation.text(reference, "reference", _("Delivery note"), max_len=60, required=False)
    if not receipts:
        raise InvalidInput(_("Enter the quantity received on at least one line."), "qty")

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        po = _lock_open(po_id)
        complete: list[str] = []
        touched: list[int] = []
        summary = []
        for po_line_id, given in receipts.items():
            line = PurchaseOrderLine.get_or_none((PurchaseOrderLine.id == po_line_id)
                                                 & (PurchaseOrderLine.po == po.id))
            if line is None:
                raise NotFound(_("That line is not on {po}.").format(po=po_label(po.number)))
            part = Part.get_by_id(line.part_id)
            qty = parts.quantity(given, part, _("Quantity received"))
            taken = (PurchaseOrderLine.update(received=PurchaseOrderLine.received + qty)
                     .where((PurchaseOrderLine.id == line.id)
                            & (PurchaseOrderLine.received + qty <= PurchaseOrderLine.qty + EPSILON)).execute())
            if not taken:
                line = PurchaseOrderLine.get_by_id(line.id)
                left = Decimal(str(line.qty)) - Decimal(str(line.received))
                raise InvalidInput(_("Only {left} {unit} of {code} are still due on {po} (ordered {ordered}): "
                                     "{qty} is more than that.").format(
                    left=parts.fmt(left), unit=parts.unit(part), code=part.code, po=po_label(po.number),
                    ordered=parts.fmt(line.qty), qty=parts.fmt(qty)), "qty")
            first = [pl for (pl,) in PurchaseOrderLink.select(PurchaseOrderLink.part_line)
                     .where((PurchaseOrderLink.po_line == line.id) & (PurchaseOrderLink.qty > 0)).tuples()]
            complete += parts.goods_in(part, qty, po.shop_id, by=by, reference=po_label(po.number) + (
                f" {reference}" if reference else ""), first=first)
            _trim_links(line)
            touched.append(line.id)
            summary.append(parts._qty_of(qty, part))
        done = not (PurchaseOrderLine.select().where((PurchaseOrderLine.po == po.id)
                                                    & (PurchaseOrderLine.qty > PurchaseOrderLine.received + EPSILON))
                    .exists())
        if done:
            PurchaseOrder.update(state="received", received_at=clock.now()).where(PurchaseOrder.id == po.id).execute()
        audit.record(by, "po_received", "purchase_order", po.id,
                     Phrase(N_("{po}: received {what}{note}"), po=po_ref(po.number), what=Items(summary),
                            note=Word(N_(" (complete)") if done else "")),
                     after={"receipts": {str(k): str(v) for k, v in receipts.items()}, "reference": reference})
        _refresh_orders(_orders_of(touched), by=by, kind="parts_arrived",
                        summary=lambda o: Phrase(N_("{order}: goods received on {po}"), order=o.ref,
                                                 po=po_ref(po.number)))
        return sorted(set(complete))

    return run_write(work)


def set_expected(po_id: int, expected_on, *, by: Staff) -> PurchaseOrder:
    """The supplier gave a new date: every order the PO serves shows it."""
    eta = typed_dates.parse(expected_on, "expected_on", _("Expected date"))

    def work():
        nonlocal by
        by = require(by, "purchase_parts")
        po = _lock_open(po_id)
        before = po.expected_on
        PurchaseOrder.update(expected_on=eta).where(PurchaseOrder.id == po.id).execute()
        audit.record(by, "po_rescheduled", "purchase_order", po.id,
                     Phrase(N_("{po}: expected {date}"), po=po_ref(po.number), date=When(eta)),
                     before={"expected_on": before}, after={"expected_on": eta})
        line_ids = [i for (i,) in PurchaseOrderLine.select(PurchaseOrderLine.id)
                    .where(PurchaseOrderLine.po == po.id).tuples()]
        _refresh_orders(_orders_of(line_ids), by=by, kind="parts_eta",
                        summary=lambda o: Phrase(N_("{order}: {po} now expected {date}"), order=o.ref,
                                                 po=po_ref(po.number), date=When(eta)))
        return PurchaseOrder.get_by_id(po.id)

    return run_write(work)


def cancel(po_id: int, reason: str, *, by: Staff) -> PurchaseOrder:
    """Cancel a PO (nothing received yet) or close it (the rest will not come); its orders are short again."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "purchase_parts")
        po = _lock_open(po_id)
        received = PurchaseOrderLine.select().where((PurchaseOrderLine.po == po.id)
                                                    & (PurchaseOrderLine.received > 0)).exists()
        state = "closed" if received else "cancelled"
        PurchaseOrder.update(state=state).where(PurchaseOrder.id == po.id).execute()
        audit.record(by, "po_" + state, "purchase_order", po.id,
                     Phrase(N_("{po} {state}: {reason}"), po=po_ref(po.number),
                            state=Term("workshop.purchasing:PO_STATE_LABELS", state), reason=reason),
                     before={"state": "open"}, after={"state": state, "reason": reason})
        line_ids = [i for (i,) in PurchaseOrderLine.select(PurchaseOrderLine.id)
                    .where(PurchaseOrderLine.po == po.id).tuples()]
        _refresh_orders(_orders_of(line_ids), by=by, kind="parts_order_cancelled",
                        summary=lambda o: Phrase(N_("{order}: {po} will not deliver"), order=o.ref,
                                                 po=po_ref(po.number)))
        return PurchaseOrder.get_by_id(po.id)

    return run_write(work)


# --- what the clerk sees ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """A part to order: short for repair orders (not yet on order), or below its reorder threshold."""
    part_code: str
    part_name: str
    unit: str
    supplier: str  # the part's usual supplier, by name
    supplier_id: int | None  # None: no supplier record of that name
    available: Decimal
    threshold: Decimal
    short: Decimal  # missing on repair orders, not yet on order
    on_order: Decimal  # still due on open POs
    qty: Decimal  # suggested
    part_line_ids: tuple[int, ...]  # the short lines the quantity is for


def _whole(qty: Decimal, unit: str) -> Decimal:
    if unit in parts.WHOLE_UNITS:
        return qty.to_integral_value(rounding=ROUND_CEILING)
    return qty


def suggestions(*, supplier_id: int | None = None, shop: int = FIRST_SHOP) -> list[Suggestion]:
    """What a shop should order, per part: its orders' short reservations not yet on order plus what brings its
    low stock back to twice its threshold (the shop's own, else the catalogue's), less what its open POs already bring (six queries, whatever the
    number of orders)."""
    short_lines = list(PartLine.select(PartLine.id, PartLine.part, PartLine.qty, PartLine.reserved,
                                       PartLine.picked, PartLine.returned)
                       .join(RepairOrder)
                       .where(PartLine.status.in_(parts.OPEN_LINE) & (RepairOrder.shop == shop)
                              & (PartLine.qty > PartLine.picked - PartLine.returned + PartLine.reserved)
                              & RepairOrder.state.in_(list(parts.EDITABLE_STATES))).tuples())
    tied = _tied_to([row[0] for row in short_lines])
    short: dict[int, tuple[Decimal, list[int]]] = {}
    spoken: dict[int, Decimal] = {}  # per part: what open POs already bring for its short lines
    for line_id, part_id, qty, reserved, picked, returned in short_lines:
        missing = Decimal(str(qty)) - (Decimal(str(picked)) - Decimal(str(returned))) - Decimal(str(reserved))
        covered = min(tied.get(line_id, ZERO), missing)
        spoken[part_id] = spoken.get(part_id, ZERO) + covered
        if missing > covered:
            total, ids = short.get(part_id, (ZERO, []))
            short[part_id] = (total + missing - covered, ids + [line_id])
    stock_of = ((PartStock.part == Part.id) & (PartStock.shop == shop))
    available = fn.COALESCE(PartStock.on_hand, 0) - fn.COALESCE(PartStock.reserved, 0)
    threshold = parts.threshold_sql()  # the shop's own, else the catalogue's
    low = (Part.select(Part.id).join(PartStock, JOIN.LEFT_OUTER, on=stock_of)
           .where((Part.active == True) & (threshold > 0)  # noqa: E712
                  & (available < threshold)))
    part_ids = set(short) | {pid for (pid,) in low.tuples()}
    if not part_ids:
        return []
    due = dict((pid, Decimal(str(q or 0))) for pid, q in (
        PurchaseOrderLine.select(PurchaseOrderLine.part, fn.SUM(PurchaseOrderLine.qty - PurchaseOrderLine.received))
        .join(PurchaseOrder).where((PurchaseOrder.state == "open") & (PurchaseOrder.shop == shop)
                                   & PurchaseOrderLine.part.in_(list(part_ids)))
        .group_by(PurchaseOrderLine.part).tuples()))
    records = {name: sid for sid, name in Supplier.select(Supplier.id, Supplier.name)
               .where(Supplier.active == True).tuples()}  # noqa: E712
    out = []
    stocks, own_thresholds = {}, {}
    for pid, oh, rs, own in (PartStock.select(PartStock.part, PartStock.on_hand, PartStock.reserved,
                                              PartStock.reorder_threshold)
                             .where((PartStock.shop == shop) & PartStock.part.in_(list(part_ids))).tuples()):
        stocks[pid] = Decimal(str(oh)) - Decimal(str(rs))
        if own is not None:
            own_thresholds[pid] = Decimal(str(own))
    for part in Part.select().where(Part.id.in_(list(part_ids)) & (Part.active == True)).order_by(Part.code):  # noqa: E712
        available = stocks.get(part.id, ZERO)
        threshold = own_thresholds.get(part.id, Decimal(str(part.reorder_threshold)))
        short_qty, line_ids = short.get(part.id, (ZERO, []))
        on_order = due.get(part.id, ZERO)
        spare = max(on_order - spoken.get(part.id, ZERO), ZERO)  # due and meant for no order: stock to come
        refill = max(threshold * 2 - available, ZERO) if threshold > 0 and available < threshold else ZERO
        qty = _whole(max(short_qty + refill - spare, ZERO), part.unit)
        if qty <= 0:
            continue
        sid = records.get(part.supplier or "")
        if supplier_id is not None and sid != supplier_id:
            continue
        out.append(Suggestion(part.code, i18n.local(part.name, part.name_zh), part.unit, part.supplier or "", sid, available, threshold,
                              short_qty, on_order, qty, tuple(line_ids)))
    return out


def order_suggested(supplier_id: int, *, by: Staff, expected_on=None) -> PurchaseOrder:
    """One PO to a supplier for everything suggested of its parts (short reservations and low stock)."""
    lines = [POLine(s.part_code, s.qty, list(s.part_line_ids))
             for s in suggestions(supplier_id=supplier_id, shop=shops.of(by)) if s.qty > 0]
    if not lines:
        raise InvalidInput(_("Nothing to order from this supplier."), "supplier")
    return create_po(supplier_id, lines, by=by, expected_on=expected_on)


@dataclass(frozen=True)
class PORow:
    id: int
    number: int
    supplier: str
    state: str
    ordered_at: dt.datetime
    expected_on: dt.date
    lines: int
    ordered: Decimal
    received: Decimal

    def late(self, today: dt.date) -> bool:
        return self.state == "open" and self.expected_on < today


def _po_rows(query) -> list[PORow]:
    rows = (query.select(PurchaseOrder.id, PurchaseOrder.number, Supplier.name, PurchaseOrder.state,
                         PurchaseOrder.ordered_at, PurchaseOrder.expected_on, fn.COUNT(PurchaseOrderLine.id),
                         fn.SUM(PurchaseOrderLine.qty), fn.SUM(PurchaseOrderLine.received))
            .join(Supplier, on=(PurchaseOrder.supplier == Supplier.id)).switch(PurchaseOrder)
            .join(PurchaseOrderLine, JOIN.LEFT_OUTER, on=(PurchaseOrderLine.po == PurchaseOrder.id))
            .group_by(PurchaseOrder.id, PurchaseOrder.number, Supplier.name, PurchaseOrder.state,
                      PurchaseOrder.ordered_at, PurchaseOrder.expected_on).tuples())
    return [PORow(i, n, s, st, at, availability.as_date(eta), count, Decimal(str(q or 0)), Decimal(str(r or 0)))
            for i, n, s, st, at, eta, count, q, r in rows]


def open_pos(search: str = "", *, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[PORow]:
    """Open purchase orders (of ``shop``), earliest expected first (search: PO number, supplier or part code)."""
    query = PurchaseOrder.select().where(PurchaseOrder.state == "open")
    if shop is not None:
        query = query.where(PurchaseOrder.shop == shop)
    text = (search or "").strip()
    if text:
        cond = Supplier.name.contains(text) | PurchaseOrder.id.in_(
            PurchaseOrderLine.select(PurchaseOrderLine.po).join(Part).where(Part.code.startswith(text.upper())))
        digits = text.upper().removeprefix("PO").strip()
        if digits.isdigit():
            cond |= PurchaseOrder.number == int(digits)
        query = query.where(cond)
    return _po_rows(query.order_by(PurchaseOrder.expected_on, PurchaseOrder.number).limit(limit).offset(offset))


def late_pos(*, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[PORow]:
    """Open purchase orders (of ``shop``) whose expected date has passed, the longest overdue first."""
    query = PurchaseOrder.select().where((PurchaseOrder.state == "open")
                                         & (PurchaseOrder.expected_on < clock.today()))
    if shop is not None:
        query = query.where(PurchaseOrder.shop == shop)
    return _po_rows(query.order_by(PurchaseOrder.expected_on, PurchaseOrder.number).limit(limit).offset(offset))


@dataclass(frozen=True)
class POLineRow:
    id: int
    part_code: str
    part_name: str
    unit: str
    qty: Decimal
    received: Decimal
    unit_cost: Decimal
    orders: tuple[str, ...]  # "RO 1042 粤B12345" of the orders the line serves, still expecting it

    @property
    def due(self) -> Decimal:
        return self.qty - self.received


def po_lines(po_id: int) -> list[POLineRow]:
    """A PO's lines with the orders each still serves (two queries)."""
    rows = list(PurchaseOrderLine.select(PurchaseOrderLine.id, Part.code, Part.name, Part.name_zh, Part.unit,
                                         PurchaseOrderLine.qty, PurchaseOrderLine.received, PurchaseOrderLine.unit_cost)
                .join(Part).where(PurchaseOrderLine.po == po_id).order_by(PurchaseOrderLine.id).tuples())
    serves: dict[int, list[str]] = {}
    for po_line, number, plate in (PurchaseOrderLink.select(PurchaseOrderLink.po_line, RepairOrder.number,
                                                            Vehicle.plate)
                                   .join(PartLine).join(RepairOrder)
                                   .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
                                   .where(PurchaseOrderLink.po_line.in_([r[0] for r in rows] or [0])
                                          & (PurchaseOrderLink.qty > 0))
                                   .order_by(RepairOrder.number).tuples()):
        serves.setdefault(po_line, []).append(_("RO {number} {line}").format(number=number, line=plate))
    return [POLineRow(i, code, i18n.local(name, name_zh), unit, Decimal(str(q)), Decimal(str(r)), Decimal(str(c)),
                      tuple(serves.get(i, ()))) for i, code, name, name_zh, unit, q, r, c in rows]


def usual_supplier(part_code: str) -> int | None:
    """The supplier record a part is usually bought from (``Part.supplier`` names it), if there is one."""
    part = parts.find_part(part_code)
    found = Supplier.get_or_none((Supplier.name == (part.supplier or "")) & (Supplier.active == True))  # noqa: E712
    return found.id if found else None


__all__ = ["SupplierForm", "add_supplier", "update_supplier", "suppliers", "POLine", "create_po", "receive",
           "set_expected", "cancel", "suggestions", "order_suggested", "open_pos", "late_pos", "po_lines",
           "tie_to_open_orders", "usual_supplier", "Suggestion", "PORow", "POLineRow"]
