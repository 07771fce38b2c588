"""Parts: reservation, picking, returns, exchanges, old parts, receipts and stocktaking.

Stock is a ledger per shop's warehouse (仓库): every change is a StockMovement row of one shop, and that shop's
PartStock on_hand / reserved are its balances, written only here (``_post`` and the reservations) in the same
transaction as the row. An order's parts come from its shop's stock; goods in, stocktakes and bins are the
terminal's shop's (``shops.of(by)``); ``move_to_shop`` moves stock between two shops of the group (调拨).
Writes run in BEGIN IMMEDIATE transactions (models.db.run_write), so two clerks picking the last unit are
serialised: the second one re-reads the balance inside its transaction and is refused.

Rules a shop would expect, decided here:
- adding a part line reserves what is available at once; the rest is short until goods arrive;
- goods received fill outstanding reservations in the order of the orders' promised time;
- a line picked and not returned counts as used; an order cannot go to QC while a line still has
  parts neither picked nor cancelled (the guard on 'finish');
- a cancelled order holds nothing: its reservations are released in the cancelling transaction.
  Parts already picked are in the workshop, not on the shelf, so the ledger does not pretend they
  came back: they stay on their lines, listed for the clerk to bring back (``parts_out``, cancelled
  orders first), and can be returned (退料) after the cancel;
- a picked part can be returned, exchanged or recorded as an old part from the order and from the
  clerk's list of parts out, not only while something is left to pick.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from models.db import locked, run_write
from models.orders import RepairOrder
from models.parts import (OLD_PART_DISPOSITIONS, UNIT_LABELS, OldPartRecord, Part, PartLine, PartStock,
                          StockMovement)
from models.people import Staff, Vehicle
from models.shop import FIRST_SHOP, Shop
from workshop import audit, availability, clock, lifecycle, lookup, shops, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, join, label, local
from workshop.phrase import Items, Local, Phrase, Term
from workshop.pinyin import looks_like_initials
from workshop.permissions import require

WHOLE_UNITS = frozenset({"pc", "set"})
OPEN_LINE = ("requested", "picked")
EDITABLE_STATES = frozenset({lifecycle.CHECKED_IN, lifecycle.DISPATCHED, lifecycle.IN_PROGRESS,
                             lifecycle.WAITING_PARTS})
ZERO = Decimal("0")
UNITS_TABLE = "models.parts:UNIT_LABELS"


def unit(part) -> str:
    """A part's unit in the reader's language ("pc" / "个")."""
    return label(UNIT_LABELS, part.unit)


def _unit(part) -> Term:
    return Term(UNITS_TABLE, part.unit)


def _name(part) -> Local:
    return Local(part.name, part.name_zh)


def quantity(value, part: Part, name: str | None = None) -> Decimal:
    """A positive quantity in the part's unit: whole numbers for pieces and sets. ``name``: what the
    field is called on screen (translated), "Quantity" by default."""
    name = name or _("Quantity")
    places = 0 if part.unit in WHOLE_UNITS else 3
    qty = validation.decimal(value, "qty", name, places=places, allow_zero=False, maximum=validation.MAX_QUANTITY)
    if part.unit in WHOLE_UNITS and qty != qty.to_integral_value():
        raise InvalidInput(_("{code} is counted in whole {unit}: {qty} is not whole.").format(
            code=part.code, unit=unit(part), qty=qty), "qty")
    return qty


def fmt(qty: Decimal) -> str:
    """1, 2.5, 0.75 - a quantity as a person writes it."""
    text = f"{Decimal(qty):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def find_part(code: str) -> Part:
    validation.refuse_control_characters(code or "", "part", _("Part code"))  # before it is echoed in a message
    part = Part.get_or_none(Part.code == (code or "").strip().upper())
    if part is None:
        raise NotFound(_("No part with code '{code}'.").format(code=(code or "").strip()), "part")
    return part


def _stock_query(part_id: int, shop: int):
    return PartStock.select().where((PartStock.part == part_id) & (PartStock.shop == shop))


def _stock(part_id: int, shop: int) -> PartStock:
    """Inside a write transaction: the part's stock row in a shop, locked (PostgreSQL: FOR UPDATE; SQLite's
    write transaction holds the database), made on the first need. Two clerks making the same row at once do
    not collide: the second INSERT does nothing (ON CONFLICT DO NOTHING / INSERT OR IGNORE; on PostgreSQL it
    waits for the first to commit) and both then lock the one row."""
    row = locked(_stock_query(part_id, shop)).first()
    if row is None:
        PartStock.insert(part=part_id, shop=shop).on_conflict_ignore().execute()
        row = locked(_stock_query(part_id, shop)).first()
    return row


def stock_of(part_id: int, shop: int) -> PartStock:
    """The part's stock in a shop as it stands (not locked; a row of zeros where the shop never held it)."""
    return _stock_query(part_id, shop).first() or PartStock(part=part_id, shop=shop, on_hand=ZERO, reserved=ZERO)


def bin_of(part: Part, stock: PartStock) -> str | None:
    """Where the shop keeps the part: its own bin, else the catalogue's."""
    return stock.bin or part.bin


def _post(part: Part, shop: int, kind: str, qty: Decimal, *, by: Staff | None, order_id=None, line_id=None,
          reason=None, reference=None, reserved_delta: Decimal = ZERO) -> StockMovement:
    """Write one ledger row of a shop and move the part's balances there with it (inside a transaction). The
    stock row is read locked and its balances moved in place (``on_hand = on_hand + x``), so two clerks
    booking the same part in the same shop at once both count, on either engine."""
    stock = _stock(part.id, shop)
    on_hand = stock.on_hand + qty
    if on_hand < 0:
        raise InvalidInput(_("Only {qty} {unit} of {code} {name} on hand: cannot take out {out}.").format(
            qty=fmt(stock.on_hand), unit=unit(part), code=part.code, name=local(part.name, part.name_zh),
            out=fmt(-qty)), "qty")
    reserved = stock.reserved + reserved_delta
    if reserved < 0 or reserved > on_hand:
        reserved_delta = max(ZERO, min(reserved, on_hand)) - stock.reserved
    (PartStock.update(on_hand=PartStock.on_hand + qty, reserved=PartStock.reserved + reserved_delta)
     .where(PartStock.id == stock.id).execute())
    return StockMovement.create(part=part.id, shop=shop, kind=kind, qty=qty, on_hand_after=on_hand, order=order_id,
                                part_line=line_id, by=by, at=clock.now(), reason=reason, reference=reference)


# Stock held for other needs than orders' part lines (appointments' pre-picked parts: workshop/prepick.py),
# served with them in the order of the date each is needed (an order's promised time, an appointment's start):
# all within one shop's stock:
# - HELD: () -> {(part id, shop id): quantity held}, for reservation_problems;
# - YIELD: (part id, shop id, quantity, needed at) -> what holds for later dates gave up to this need (it stays
#   in PartStock.reserved: the reservation changes hands);
# - FILL: (part id, shop id, needed by or None, by) -> from free stock, fills holds needed by that time (all: None).
HELD: list = []
YIELD: list = []
FILL: list = []


def _reserve(part_id: int, shop: int, wanted: Decimal) -> Decimal:
    """Reserve up to ``wanted`` of a part's free stock in a shop; returns what was reserved."""
    stock = _stock(part_id, shop)
    take = max(ZERO, min(wanted, stock.on_hand - stock.reserved))
    if take:
        PartStock.update(reserved=PartStock.reserved + take).where(PartStock.id == stock.id).execute()
    return take


def _unreserve(part_id: int, shop: int, qty: Decimal) -> None:
    """Give back ``qty`` reserved of a part in a shop (a line or an appointment no longer holds it)."""
    if qty:
        (PartStock.update(reserved=PartStock.reserved - qty)
         .where((PartStock.part == part_id) & (PartStock.shop == shop)).execute())


# --- availability on the order -----------------------------------------------------------------

def status_of(lines) -> str:
    """none / available / partial / short for part lines, nothing on order (see workshop/availability.py)."""
    return availability.status_of([availability.Need(line.qty, line.used + line.reserved)
                                   for line in lines if line.status in OPEN_LINE])[0]


def _refresh_status(order: RepairOrder, *, by: Staff | None, kind: str, summary: Phrase | str) -> RepairOrder:
    status, eta = availability.order_status(order.id)
    changes = {}
    if status != order.parts_status:
        changes["parts_status"] = status
    if eta != order.parts_eta:
        changes["parts_eta"] = eta
    ready = order.state == lifecycle.WAITING_PARTS and status in ("available", "none")
    if ready != order.parts_ready:
        changes["parts_ready"] = ready
    return lifecycle.save(order, changes, by=by, kind=kind, summary=summary)


def _editable(order: RepairOrder) -> None:
    if order.state not in EDITABLE_STATES:
        raise IllegalTransition(_("{order} is {state}: its parts can no longer change.").format(
            order=order.label, state=lifecycle.label(order.state)))


# --- part lines ----------------------------------------------------------------------------------

def _new_line(order: RepairOrder, part: Part, qty: Decimal, by: Staff, job_line_id=None) -> PartLine:
    reserved = _reserve(part.id, order.shop_id, qty)
    lifecycle.load_capabilities()  # the modules that fill YIELD, FILL and HELD
    for give_up in YIELD:  # what is held for a later appointment goes to the car needed sooner
        if reserved < qty:
            reserved += give_up(part.id, order.shop_id, qty - reserved, order.promised_at)
    position = PartLine.select(fn.COUNT(PartLine.id)).where(PartLine.order == order.id).scalar() or 0
    line = PartLine.create(order=order.id, job_line=job_line_id, part=part.id, qty=qty, reserved=reserved,
                           unit_price=part.sale_price, payer=_payer(order), requested_by=by,
                           requested_at=clock.now(), position=position + 1)
    if reserved < qty:
        from workshop.purchasing import tie_to_open_orders
        tie_to_open_orders(line, order.shop_id)  # what is short may already be on order for the shop, unspoken for
    return line


def _payer(order: RepairOrder) -> str:
    from workshop.reception import payer_for
    return payer_for(order.business_type)


def add_line_in(order: RepairOrder, part: Part, qty: Decimal, *, by: Staff, job_line_id: int | None = None) -> PartLine:
    """Inside the caller's transaction: a part line of the order (and of one of its job lines), reserved at
    once; the caller refreshes the order's parts status (``refresh_status``) with its own event."""
    _editable(order)
    return _new_line(order, part, qty, by, job_line_id)


def refresh_status(order: RepairOrder, *, by: Staff | None, kind: str, summary: str) -> RepairOrder:
    """Inside a transaction: store the order's parts status as its lines stand, with the change's event."""
    return _refresh_status(order, by=by, kind=kind, summary=summary)


def add_part_line(order_id: int, part_code: str, qty, *, by: Staff, seen_version: int | None = None) -> PartLine:
    """Add a part to an order and reserve what is in stock at once."""
    part = find_part(part_code)
    if not part.active:
        raise InvalidInput(_("{code} is no longer stocked.").format(code=part.code), "part")
    qty = quantity(qty, part)

    def work():
        nonlocal by
        by = require(by, "request_parts")
        order = lifecycle.load_for_change(order_id, seen_version)
        _editable(order)
        line = _new_line(order, part, qty, by)
        short = qty - line.reserved
        values = dict(order=order.ref, qty=fmt(qty), unit=_unit(part), code=part.code, name=_name(part))
        _refresh_status(order, by=by, kind="part_requested", summary=Phrase(
            N_("{order}: {qty} {unit} {code} {name} requested, {short} short"), short=fmt(short), **values)
            if short else Phrase(N_("{order}: {qty} {unit} {code} {name} requested, reserved"), **values))
        return line

    return run_write(work)


def add_standard_parts(order: RepairOrder, lines: list[tuple[int, int]], by: Staff) -> str:
    """Inside a transaction: the kit of each (operation id, job line id) for this car's series
    (workshop/catalog.kit_for) becomes part lines of the order, reserved at once. Returns the order's
    parts status to store."""
    from workshop.catalog import kit_for
    series = Vehicle.select(Vehicle.series).where(Vehicle.id == order.vehicle_id).scalar()
    for operation_id, job_line_id in lines:
        for part_id, qty in kit_for(operation_id, series):
            _new_line(order, Part.get_by_id(part_id), Decimal(qty), by, job_line_id)
    status, eta = availability.order_status(order.id)
    if eta != order.parts_eta:  # the caller stores the status; the expected date goes with it
        RepairOrder.update(parts_eta=eta).where(RepairOrder.id == order.id).execute()
        order.parts_eta = eta
    return status


def _line_for_change(line_id: int, seen_version: int | None):
    line = PartLine.get_or_none(PartLine.id == line_id)
    if line is None:
        raise NotFound(_("Part line #{id} does not exist.").format(id=line_id))
    order = lifecycle.load_for_change(line.order_id, seen_version)  # locks the order, then the part's stock
    _stock(line.part_id, order.shop_id)
    return line, order, Part.get_by_id(line.part_id)


def pick(line_id: int, qty=None, *, by: Staff, seen_version: int | None = None) -> PartLine:
    """Hand parts out to the job: all that is still to pick, or ``qty`` of it."""

    def work():
        nonlocal by
        by = require(by, "pick_parts")
        line, order, part = _line_for_change(line_id, seen_version)
        _editable(order)
        if line.status not in OPEN_LINE:
            from models.parts import PART_LINE_STATUS_LABELS
            raise IllegalTransition(_("{code} on {order} is {status}: nothing to pick.").format(
                code=part.code, order=order.label, status=label(PART_LINE_STATUS_LABELS, line.status)))
        outstanding = line.qty - line.used
        if outstanding <= 0:
            raise InvalidInput(_("{code} on {order} is already fully picked.").format(code=part.code,
                                                                                   order=order.label), "qty")
        amount = outstanding if qty in (None, "") else quantity(qty, part)
        if amount > outstanding:
            raise InvalidInput(_("Only {qty} {unit} of {code} left to pick on {order}.").format(
                qty=fmt(outstanding), unit=unit(part), code=part.code, order=order.label), "qty")
        stock = _stock(part.id, order.shop_id)
        free_for_line = line.reserved + (stock.on_hand - stock.reserved)
        if amount > free_for_line:
            raise InvalidInput(_("Only {qty} {unit} of {code} can be picked for {order} now (on hand {on_hand}, "
                                 "reserved for other orders {reserved}).").format(
                qty=fmt(max(free_for_line, ZERO)), unit=unit(part), code=part.code, order=order.label,
                on_hand=fmt(stock.on_hand), reserved=fmt(stock.reserved - line.reserved)), "qty")
        from_reserved = min(line.reserved, amount)
        _post(part, order.shop_id, "issue", -amount, by=by, order_id=order.id, line_id=line.id,
              reserved_delta=-from_reserved, reason=f"picked for {order.label}")
        line.picked += amount
        line.reserved -= from_reserved
        line.status = "picked"
        line.save()
        if line.job_line_id is not None:  # a technician's pick request for the job line may be ready now
            from workshop.pick_requests import after_pick
            after_pick(line.job_line_id)
        _refresh_status(order, by=by, kind="part_picked", summary=Phrase(
            N_("{order}: picked {qty} {unit} {code} {name} from bin {bin}"), order=order.ref, qty=fmt(amount),
            unit=_unit(part), code=part.code, name=_name(part), bin=bin_of(part, stock) or "-"))
        return line

    return run_write(work)


def return_part(line_id: int, qty, *, by: Staff, reason: str = "unused", seen_version: int | None = None) -> PartLine:
    """退料: unused parts come back to stock (also after the order was cancelled)."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "pick_parts")
        line, order, part = _line_for_change(line_id, seen_version)
        if order.state != lifecycle.CANCELLED:
            _editable(order)
        amount = quantity(qty, part)
        if amount > line.picked - line.returned:
            raise InvalidInput(_("Only {qty} {unit} of {code} were picked and not returned on {order}.").format(
                qty=fmt(line.picked - line.returned), unit=unit(part), code=part.code, order=order.label), "qty")
        _post(part, order.shop_id, "return", amount, by=by, order_id=order.id, line_id=line.id, reason=reason)
        line.returned += amount
        line.qty = max(line.qty - amount, line.used)  # the job needs less than was picked
        if line.used == 0 and line.qty == 0:
            _release(line, order.shop_id)
            line.status = "returned"
        line.save()
        _refresh_status(order, by=by, kind="part_returned", summary=Phrase(
            N_("{order}: returned {qty} {unit} {code} to stock ({reason})"), order=order.ref, qty=fmt(amount),
            unit=_unit(part), code=part.code, reason=reason))
        return line

    return run_write(work)


def _release(line: PartLine, shop: int) -> None:
    """The line's reservation goes back to its order's shop's free stock."""
    if line.reserved:
        _unreserve(line.part_id, shop, line.reserved)
        line.reserved = ZERO


def cancel_line(line_id: int, *, by: Staff, seen_version: int | None = None) -> PartLine:
    """A part no longer needed: its reservation is released (picked parts must be returned first)."""

    def work():
        nonlocal by
        by = require(by, "request_parts")
        line, order, part = _line_for_change(line_id, seen_version)
        _editable(order)
        if line.picked - line.returned > 0:
            raise IllegalTransition(_("{qty} {unit} of {code} were picked: return them to stock first.").format(
                qty=fmt(line.picked - line.returned), unit=unit(part), code=part.code))
        _release(line, order.shop_id)
        line.status = "cancelled"
        line.save()
        _refresh_status(order, by=by, kind="part_cancelled",
                        summary=Phrase(N_("{order}: {code} no longer needed"), order=order.ref, code=part.code))
        return line

    return run_write(work)


def exchange(line_id: int, new_code: str, *, by: Staff, seen_version: int | None = None) -> PartLine:
    """換料: a wrong part goes back to stock and the right one takes its place (reserved at once)."""
    new_part = find_part(new_code)

    def work():
        nonlocal by
        by = require(by, "pick_parts")
        line, order, part = _line_for_change(line_id, seen_version)
        _editable(order)
        if new_part.id == part.id:
            raise InvalidInput(_("{code} is the same part: pick a different one to exchange.").format(code=part.code),
                               "part")
        if line.status not in OPEN_LINE:
            raise IllegalTransition(_("{code} on {order} was returned or cancelled already: there is nothing "
                                      "to exchange.").format(code=part.code, order=order.label))
        back = line.picked - line.returned
        if back:
            _post(part, order.shop_id, "exchange", back, by=by, order_id=order.id, line_id=line.id,
                  reason=f"exchanged for {new_part.code}")
            line.returned += back
        _release(line, order.shop_id)
        line.status = "returned" if back else "cancelled"
        line.save()
        qty = quantity(line.qty, new_part)
        new_line = _new_line(order, new_part, qty, by, line.job_line_id)
        _refresh_status(order, by=by, kind="part_exchanged", summary=Phrase(
            N_("{order}: {code} exchanged for {new_code} {new_name}"), order=order.ref, code=part.code,
            new_code=new_part.code, new_name=_name(new_part)))
        return new_line

    return run_write(work)


def record_old_part(line_id: int, disposition: str, note: str = "", *, by: Staff) -> OldPartRecord:
    """舊件回收: the old part taken off the car is kept for the customer, returned under warranty or scrapped."""
    if disposition not in OLD_PART_DISPOSITIONS:
        raise InvalidInput(_("Old part goes to: customer, warranty or scrap."), "disposition")
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "pick_parts")
        line = PartLine.get_or_none(PartLine.id == line_id)
        if line is None:
            raise NotFound(_("Part line #{id} does not exist.").format(id=line_id))
        part = Part.get_by_id(line.part_id)
        order = RepairOrder.get_by_id(line.order_id)
        stock = _stock(part.id, order.shop_id)  # its on-hand in the order's shop goes on the ledger row
        record = OldPartRecord.create(part_line=line.id, disposition=disposition, note=note, by=by, at=clock.now())
        StockMovement.create(part=part.id, shop=order.shop_id, kind="old_part", qty=ZERO, on_hand_after=stock.on_hand,
                             order=order.id,
                             part_line=line.id, by=by, at=clock.now(), reason=f"old part: {disposition}")
        audit.record(by, "old_part", "part_line", line.id, Phrase(
            N_("{order}: old {code} {name} recorded ({disposition})"), order=order.ref, code=part.code,
            name=_name(part), disposition=Term("models.parts:OLD_PART_DISPOSITION_LABELS", disposition)),
                     order_id=order.id,
                     after={"disposition": disposition, "note": note})
        return record

    return run_write(work)


# --- receipts, stocktaking, transfers -------------------------------------------------------------

def receive(part_code: str, qty, *, by: Staff, reference: str = "") -> list[str]:
    """Goods in, into the terminal's shop's stock. Outstanding reservations of that shop's orders are filled in
    the order of promised time; returns the orders whose parts are now complete."""
    shop = shops.of(by)
    part = find_part(part_code)
    qty = quantity(qty, part)
    reference = validation.text(reference, "reference", _("Delivery note"), max_len=60, required=False)

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        return goods_in(part, qty, shop, by=by, reference=reference)

    return run_write(work)


def goods_in(part: Part, qty: Decimal, shop: int, *, by: Staff, reference: str | None, first=()) -> list[str]:
    """Inside a transaction: ``qty`` of a part into a shop's stock, then that shop's outstanding reservations
    filled, the part lines in ``first`` (those a purchase order was for) before the others; returns the orders
    now complete."""
    _lock_waiting_orders(part.id, shop)
    _post(part, shop, "receipt", qty, by=by, reason="goods received", reference=reference)
    audit.record(by, "goods_received", "part", part.id, Phrase(
        N_("Received {qty} {unit} {code} {name}"), qty=fmt(qty), unit=_unit(part), code=part.code, name=_name(part)),
                 after={"qty": qty, "reference": reference, "shop": shop})
    return _fill_reservations(part.id, shop, by, first)


def open_orders(shop: int | None = None):
    """The ids of orders whose parts can still change (of one shop), as a subquery. Filtering part lines by it
    makes SQLite start from these few hundred orders: by the part's index it read every line of the part ever
    used (256,000 for an oil filter on the large shop: 360 ms against 6 ms)."""
    query = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(list(EDITABLE_STATES)))
    return query if shop is None else query.where(RepairOrder.shop == shop)


def _lock_waiting_orders(part_id: int, shop: int) -> None:
    """Lock the orders that wait for this part before the part itself: picking locks an order, then its
    part, and taking the two in the other order could deadlock (PostgreSQL would break it, and the
    loser would run again, but only after a second)."""
    waiting = (PartLine.select(PartLine.order)
               .where(PartLine.order.in_(open_orders(shop)) & (PartLine.part == part_id)
                      & PartLine.status.in_(OPEN_LINE)))
    list(locked(RepairOrder.select(RepairOrder.id).where(RepairOrder.id.in_(waiting)).order_by(RepairOrder.id)))


def _fill_reservations(part_id: int, shop: int, by: Staff, first=()) -> list[str]:
    waiting = (PartLine.select(PartLine, RepairOrder).join(RepairOrder)
               .where(PartLine.order.in_(open_orders(shop)) & (PartLine.part == part_id) & PartLine.status.in_(OPEN_LINE)
                      & (PartLine.qty > PartLine.picked - PartLine.returned + PartLine.reserved)
                      & RepairOrder.state.in_(list(EDITABLE_STATES))))
    if first:
        waiting = waiting.order_by(Case(None, ((PartLine.id.in_(list(first)), 0),), 1),
                                   RepairOrder.promised_at, PartLine.id)
    else:
        waiting = waiting.order_by(RepairOrder.promised_at, PartLine.id)
    complete = []
    part = Part.get_by_id(part_id)
    lifecycle.load_capabilities()
    for line in waiting:
        for fill in FILL if line.id not in first else ():  # holds needed before this order's promised
            fill(part_id, shop, line.order.promised_at, by)       # time come first (not before a PO's lines)
        got = _reserve(part_id, shop, line.qty - line.used - line.reserved)
        if not got:
            break
        PartLine.update(reserved=PartLine.reserved + got).where(PartLine.id == line.id).execute()
        order = lifecycle.get_order(line.order_id)
        order = _refresh_status(order, by=by, kind="parts_arrived", summary=Phrase(
            N_("{order}: {qty} {unit} {code} reserved from goods received"), order=order.ref, qty=fmt(got),
            unit=_unit(part), code=part.code))
        if order.parts_status in ("available", "none"):
            complete.append(order.label)
    for fill in FILL:
        fill(part_id, shop, None, by)
    return complete


def count_stock(part_code: str, counted, reason: str, *, by: Staff) -> Decimal:
    """Stocktaking in the terminal's shop: post the difference between the count and that shop's ledger as an
    adjustment."""
    shop = shops.of(by)
    part = find_part(part_code)
    places = 0 if part.unit in WHOLE_UNITS else 3
    counted = validation.decimal(counted, "counted", N_("Counted quantity"), places=places,
                                 maximum=validation.MAX_STOCK)
    reason = validation.text(reason, "reason", N_("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        current = _stock(part.id, shop).on_hand
        diff = counted - current
        if diff:
            _post(part, shop, "adjustment", diff, by=by, reason=reason)
            audit.record(by, "stock_adjusted", "part", part.id,
                         Phrase(N_("Stocktake {code}: {before} → {after} ({reason})"), code=part.code,
                                before=fmt(current), after=fmt(counted), reason=reason),
                         before={"on_hand": current, "shop": shop}, after={"on_hand": counted, "shop": shop})
        return diff

    return run_write(work)


def transfer(part_code: str, new_bin: str, *, by: Staff) -> Part:
    """Move a part's stock to another bin of the terminal's shop (the other shops keep theirs)."""
    shop = shops.of(by)
    part = find_part(part_code)
    new_bin = validation.text(new_bin, "bin", _("Bin"), max_len=20).upper()

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        current = _stock(part.id, shop)
        old = bin_of(part, current)
        PartStock.update(bin=new_bin).where(PartStock.id == current.id).execute()
        StockMovement.create(part=part.id, shop=shop, kind="transfer", qty=ZERO, on_hand_after=current.on_hand,
                             by=by, at=clock.now(), reason=f"bin {old or '-'} → {new_bin}")
        audit.record(by, "bin_transfer", "part", part.id,
                     Phrase(N_("{code} moved from bin {old} to {new}"), code=part.code, old=old or "-", new=new_bin),
                     before={"bin": old, "shop": shop}, after={"bin": new_bin, "shop": shop})
        return Part.get_by_id(part.id)

    return run_write(work)


def set_threshold(part_code: str, threshold, *, by: Staff) -> Decimal | None:
    """The terminal's shop's own reorder threshold (临界值) of a part: below it the part is on the shop's low stock
    and in its suggestions. Empty (None or "") clears it: the catalogue's threshold applies again. Returns the
    shop's own threshold now (None: the catalogue's). One transaction with its audit event; the shop's stock row
    is made race-free as for a first movement (``_stock``)."""
    shop = shops.of(by)
    part = find_part(part_code)
    if threshold is None or not str(threshold).strip():
        new = None
    else:
        new = validation.decimal(threshold, "reorder_threshold", N_("Reorder threshold"),
                                 places=0 if part.unit in WHOLE_UNITS else 3, maximum=validation.MAX_STOCK)

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        current = _stock(part.id, shop)
        old = current.reorder_threshold
        old = None if old is None else Decimal(str(old))
        if old == new:
            return new
        PartStock.update(reorder_threshold=new).where(PartStock.id == current.id).execute()
        catalogue = Decimal(str(Part.get_by_id(part.id).reorder_threshold))
        summary = (Phrase(N_("{code}: this shop's reorder threshold {old} → {new}"), code=part.code,
                          old=fmt(catalogue if old is None else old), new=fmt(new)) if new is not None else
                   Phrase(N_("{code}: this shop's reorder threshold {old} cleared (the catalogue's {new} applies)"),
                          code=part.code, old=fmt(old), new=fmt(catalogue)))
        audit.record(by, "shop_threshold_set", "part", part.id, summary,
                     before={"reorder_threshold": old, "shop": shop}, after={"reorder_threshold": new, "shop": shop})
        return new

    return run_write(work)


def move_to_shop(part_code: str, qty, to_shop_code: str, *, by: Staff, reason: str = "") -> Decimal:
    """调拨: move ``qty`` of a part from the terminal's shop's stock to another shop of the group, in one
    transaction: a ledger row out of the one and into the other, and the audit event. Only free stock moves
    (what the source's orders and appointments hold stays); the receiving shop's waiting orders are served
    from it as from goods in. Returns what the receiving shop has on hand now."""
    source = shops.of(by)
    part = find_part(part_code)
    qty = quantity(qty, part)
    target = shops.by_code(to_shop_code)
    if target.id == source:
        raise InvalidInput(_("Stock is moved to another shop: {shop} is this one.").format(
            shop=local(target.name, target.name_zh)), "shop")
    reason = validation.text(reason, "reason", _("Reason"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        if not Part.get_by_id(part.id).active:
            raise InvalidInput(_("{code} is no longer stocked.").format(code=part.code), "part")
        # The receiving shop's waiting orders before the stock (as goods in), then both stock rows in shop order:
        # two opposite transfers at once wait for each other, not deadlock.
        _lock_waiting_orders(part.id, target.id)
        rows = {shop: _stock(part.id, shop) for shop in sorted((source, target.id))}
        free = rows[source].on_hand - rows[source].reserved
        if qty > free:
            raise InvalidInput(_("Only {qty} {unit} of {code} are free in this shop (on hand {on_hand}, reserved "
                                 "{reserved}): cannot move {out}.").format(
                qty=fmt(max(free, ZERO)), unit=unit(part), code=part.code, on_hand=fmt(rows[source].on_hand),
                reserved=fmt(rows[source].reserved), out=fmt(qty)), "qty")
        source_code = Shop.select(Shop.code).where(Shop.id == source).scalar()
        note = reason or None
        _post(part, source, "shop_out", -qty, by=by, reason=note, reference=target.code)
        _post(part, target.id, "shop_in", qty, by=by, reason=note, reference=source_code)
        audit.record(by, "stock_moved_to_shop", "part", part.id, Phrase(
            N_("Stock transfer: {qty} {unit} {code} {name} from {source} to {target}"), qty=fmt(qty), unit=_unit(part),
            code=part.code, name=_name(part), source=source_code, target=target.code),
                     before={"shop": source}, after={"shop": target.id, "qty": qty, "reason": reason})
        _fill_reservations(part.id, target.id, by)
        return stock_of(part.id, target.id).on_hand

    return run_write(work)


def ledger_balance(part_id: int, shop: int) -> Decimal:
    """What a shop's ledger says is on hand: the sum of the part's movements there."""
    total = (StockMovement.select(fn.SUM(StockMovement.qty))
             .where((StockMovement.part == part_id) & (StockMovement.shop == shop)).scalar())
    return Decimal(str(total or 0))


# --- guard: no QC with parts neither picked nor cancelled ----------------------------------------

def _guard_parts_settled(order: RepairOrder) -> None:
    open_lines = (PartLine.select(PartLine, Part).join(Part)
                  .where((PartLine.order == order.id) & PartLine.status.in_(OPEN_LINE)
                         & (PartLine.qty > PartLine.picked - PartLine.returned)))
    names = [f"{line.part.code} ({fmt(line.qty - line.used)} {unit(line.part)})" for line in open_lines]
    if names:
        raise IllegalTransition(_("{order} cannot go to QC: parts not picked yet: {parts}. Pick them or cancel "
                                  "the line.").format(order=order.label, parts=join(names[:3])))


def _mark_used(order: RepairOrder, by: Staff) -> None:
    (PartLine.update(status="used")
     .where((PartLine.order == order.id) & (PartLine.status == "picked")).execute())


def _release_on_cancel(order: RepairOrder, by: Staff) -> None:
    """Inside the cancelling transaction: every reservation of the order is released; lines with parts
    out (picked, not returned) now ask for no more than is out and wait for the clerk's return."""
    released: list[str] = []
    out: list[str] = []
    said_released: list[Phrase] = []
    said_out: list[Phrase] = []
    for line in (PartLine.select(PartLine, Part).join(Part)
                 .where((PartLine.order == order.id) & PartLine.status.in_(OPEN_LINE))):
        if line.reserved:
            released.append(f"{fmt(line.reserved)} {line.part.unit} {line.part.code}")
            said_released.append(_qty_of(line.reserved, line.part))
        _release(line, order.shop_id)
        in_hand = line.picked - line.returned
        if in_hand > 0:
            line.qty = in_hand
            out.append(f"{fmt(in_hand)} {line.part.unit} {line.part.code}")
            said_out.append(_qty_of(in_hand, line.part))
        else:
            line.status = "cancelled"
        line.save()
    if released or out:
        summary = Phrase(N_("{order}: parts released on cancel"), order=order.ref)
        if released:
            summary = Phrase(N_("{summary}; reservations released: {parts}"), summary=summary,
                             parts=Items(said_released))
        if out:
            summary = Phrase(N_("{summary}; picked, to return to stock: {parts}"), summary=summary,
                             parts=Items(said_out))
        audit.record(by, "parts_released", "repair_order", order.id, summary, order_id=order.id,
                     after={"released": released, "to_return": out})


def _qty_of(qty: Decimal, part: Part) -> Phrase:
    return Phrase(N_("{qty} {unit} {code}"), qty=fmt(qty), unit=_unit(part), code=part.code)


lifecycle.add_guard("finish", _guard_parts_settled)
lifecycle.add_after("finish", _mark_used)
lifecycle.add_after("cancel", _release_on_cancel)


@dataclass(frozen=True)
class ReservationProblem:
    part_code: str
    what: str


def reservation_problems() -> list[ReservationProblem]:
    """What would break 'reserved is what open orders hold': a reservation on a closed (or finished)
    order, or a part whose reserved balance differs from the sum of its open lines' reservations.
    Empty on a sound shop (tests and the demo generator check it)."""
    problems = []
    for code, number, state, reserved in (
            PartLine.select(Part.code, RepairOrder.number, RepairOrder.state, PartLine.reserved)
            .join(Part).switch(PartLine).join(RepairOrder)
            .where((PartLine.reserved > 0) & RepairOrder.state.not_in(list(EDITABLE_STATES))).tuples()):
        problems.append(ReservationProblem(code, f"RO {number} ({state}) holds {fmt(Decimal(str(reserved)))}"))
    held: dict[tuple[int, int], Decimal] = {}  # (part, shop): what open lines and appointments hold
    for part_id, shop, reserved in (PartLine.select(PartLine.part, RepairOrder.shop, PartLine.reserved)
                                    .join(RepairOrder)
                                    .where(PartLine.status.in_(OPEN_LINE) & (PartLine.reserved > 0)
                                           & RepairOrder.state.in_(list(EDITABLE_STATES))).tuples()):
        held[part_id, shop] = held.get((part_id, shop), ZERO) + Decimal(str(reserved))
    lifecycle.load_capabilities()
    for holder in HELD:
        for key, reserved in holder().items():
            held[key] = held.get(key, ZERO) + reserved
    stocks = {(part_id, shop): (code, Decimal(str(reserved))) for part_id, shop, code, reserved in (
        PartStock.select(PartStock.part, PartStock.shop, Part.code, PartStock.reserved).join(Part)
        .where((PartStock.reserved > 0) | PartStock.part.in_(list({p for p, _s in held}) or [0])).tuples())}
    for key in sorted(set(stocks) | set(held)):
        code, reserved = stocks.get(key) or (Part.select(Part.code).where(Part.id == key[0]).scalar(), ZERO)
        mine = held.get(key, ZERO).quantize(Decimal("0.001"))
        if reserved.quantize(Decimal("0.001")) != mine:
            problems.append(ReservationProblem(code, f"reserved {fmt(reserved)} in shop {key[1]}, open lines hold "
                                                     f"{fmt(mine)}"))
    return problems


# --- what screens show ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LineRow:
    id: int
    order_id: int
    order_number: int
    order_version: int
    plate: str
    promised_at: object
    code: str
    name: str
    unit: str
    bin: str
    qty: Decimal
    reserved: Decimal
    picked: Decimal
    returned: Decimal
    on_hand: Decimal
    status: str
    order_state: str

    @property
    def to_pick(self) -> Decimal:
        return self.qty - (self.picked - self.returned) if self.status in OPEN_LINE else ZERO

    @property
    def out(self) -> Decimal:
        """Picked and not returned: in the workshop."""
        return self.picked - self.returned


def _line_rows(query) -> list[LineRow]:
    """(The part's name in the reader's language; its unit stays a code: ``unit()`` says it. Bin and on-hand
    are the order's shop's.)"""
    rows = (query.select(PartLine.id, PartLine.order, RepairOrder.number, RepairOrder.version, Vehicle.plate,
                         RepairOrder.promised_at, Part.code, Part.name, Part.name_zh, Part.unit,
                         fn.COALESCE(PartStock.bin, Part.bin), PartLine.qty, PartLine.reserved, PartLine.picked,
                         PartLine.returned, fn.COALESCE(PartStock.on_hand, 0), PartLine.status, RepairOrder.state)
            .tuples())
    return [LineRow(*(Decimal(str(v)) if isinstance(v, float) else v
                      for v in (*row[:7], local(row[7], row[8]), *row[9:]))) for row in rows]


def _lines_query():
    return (PartLine.select().join(Part).switch(PartLine).join(RepairOrder)
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .join(PartStock, JOIN.LEFT_OUTER, on=((PartStock.part == PartLine.part)
                                                  & (PartStock.shop == RepairOrder.shop))))


def order_part_lines(order_id: int) -> list[LineRow]:
    return _line_rows(_lines_query().where(PartLine.order == order_id).order_by(PartLine.position, PartLine.id))


def parts_out(search: str = "", *, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[LineRow]:
    """Lines with parts picked and not returned, on orders still in the workshop or cancelled: what a
    clerk may take back (退料), exchange (換料) or record as an old part. Cancelled orders' parts, to
    bring back to stock, come first."""
    query = _lines_query().where((PartLine.status == "picked") & (PartLine.picked > PartLine.returned)
                                 & RepairOrder.state.in_(list(EDITABLE_STATES | {lifecycle.CANCELLED})))
    if shop is not None:  # (in a group: this shop's orders)
        query = query.where(RepairOrder.shop == shop)
    text = (search or "").strip().upper()
    if text:
        number = lookup.order_number(text) or -1  # never "²" or 40 digits as a number
        query = query.where((Part.code.startswith(text)) | (Vehicle.plate.contains(text))
                            | (RepairOrder.number == number))
    cancelled_first = Case(None, ((RepairOrder.state == lifecycle.CANCELLED, 0),), 1)
    return _line_rows(query.order_by(cancelled_first, RepairOrder.promised_at, PartLine.id)
                      .limit(limit).offset(offset))


def pick_queue(search: str = "", *, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[LineRow]:
    """Lines with parts still to hand out (for ``shop``'s orders, in a group), most urgent promised time first."""
    from workshop.pick_requests import asked_first
    query = _lines_query().where(PartLine.status.in_(OPEN_LINE) & (PartLine.qty > PartLine.picked - PartLine.returned)
                                 & RepairOrder.state.in_(list(EDITABLE_STATES)))
    if shop is not None:
        query = query.where(RepairOrder.shop == shop)
    text = (search or "").strip().upper()
    if text:
        number = lookup.order_number(text) or -1
        query = query.where((Part.code.startswith(text)) | (Vehicle.plate.contains(text))
                            | (RepairOrder.number == number))
    # A technician waiting at the counter for a job line's parts (a pick request) comes first.
    return _line_rows(query.order_by(asked_first(), RepairOrder.promised_at, PartLine.id).limit(limit).offset(offset))


@dataclass(frozen=True)
class StockRow:
    code: str
    name: str
    brand: str
    fits: str
    unit: str
    bin: str
    on_hand: Decimal
    reserved: Decimal
    threshold: Decimal  # the shop's own reorder threshold, else the catalogue's
    price: Decimal
    own_threshold: bool = False  # the shop set its own (``set_threshold``)
    catalogue_threshold: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved

    @property
    def suggested(self) -> Decimal:
        """Order enough to reach twice the threshold, in whole units for pieces."""
        need = self.threshold * 2 - self.available
        return max(need, ZERO).to_integral_value() if need > 0 else ZERO


def _stock_rows(query) -> list[StockRow]:
    rows = query.select(Part.code, Part.name, Part.name_zh, Part.brand, Part.fits_models, Part.unit,
                        fn.COALESCE(PartStock.bin, Part.bin), fn.COALESCE(PartStock.on_hand, 0),
                        fn.COALESCE(PartStock.reserved, 0), PartStock.reorder_threshold, Part.reorder_threshold,
                        Part.sale_price).tuples()
    return [StockRow(code, local(name, name_zh), brand or "", fits or "", unit, bin_ or "", Decimal(str(oh)),
                     Decimal(str(rs)), Decimal(str(catalogue if own is None else own)), Decimal(str(pr)),
                     own is not None, Decimal(str(catalogue)))
            for code, name, name_zh, brand, fits, unit, bin_, oh, rs, own, catalogue, pr in rows]


def threshold_sql():
    """The reorder threshold that applies in the shop of the joined PartStock row (LEFT OUTER: none yet): the
    shop's own, else the catalogue's."""
    return fn.COALESCE(PartStock.reorder_threshold, Part.reorder_threshold)


def _with_stock(shop: int):
    """The catalogue with one shop's stock beside it (zeros where the shop never held the part)."""
    return Part.select().join(PartStock, JOIN.LEFT_OUTER, on=((PartStock.part == Part.id) & (PartStock.shop == shop)))


def catalog(search: str = "", *, limit: int = 100, offset: int = 0, shop: int = FIRST_SHOP) -> list[StockRow]:
    """The catalog with ``shop``'s stock, searched by code, English or Chinese name, pinyin initials (``jy``
    finds 机油) or fitting model."""
    query = _with_stock(shop).where(Part.active == True)  # noqa: E712
    text = (search or "").strip()
    if text:
        cond = (Part.code.startswith(text.upper()) | Part.name.contains(text) | Part.name_zh.contains(text)
                | Part.fits_models.contains(text))
        if looks_like_initials(text):
            cond |= Part.initials.contains(text.lower())
        query = query.where(cond)
    return _stock_rows(query.order_by(Part.code).limit(limit).offset(offset))


def low_stock(*, limit: int = 100, offset: int = 0, shop: int = FIRST_SHOP) -> list[StockRow]:
    """Parts whose available quantity in ``shop`` is below their reorder threshold there (the shop's own, else
    the catalogue's)."""
    available = fn.COALESCE(PartStock.on_hand, 0) - fn.COALESCE(PartStock.reserved, 0)
    threshold = threshold_sql()
    query = _with_stock(shop).where((Part.active == True) & (threshold > 0)  # noqa: E712
                                    & (available < threshold))
    return _stock_rows(query.order_by(Part.code).limit(limit).offset(offset))


__all__ = ["add_part_line", "add_line_in", "refresh_status", "pick", "return_part", "exchange", "cancel_line", "record_old_part", "receive",
           "count_stock", "transfer", "set_threshold", "move_to_shop", "stock_of", "pick_queue", "parts_out", "reservation_problems", "catalog", "low_stock", "order_part_lines", "ledger_balance",
           "JOIN"]
