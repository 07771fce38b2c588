"""Purchase orders for shortages: suppliers, POs tied to the orders they serve, ETA on the card, goods received."""
import datetime as dt
from decimal import Decimal

import pytest

from models.events import Event
from models.orders import RepairOrder
from models.parts import Part, PartLine, StockMovement
from models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink
from workshop import availability, board, clock, parts, purchasing
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.lifecycle import transition
from workshop.purchasing import POLine, SupplierForm
from tests.factories import stock


def stocked(shop, code="BP-100", qty="0", unit="pc", name="Front brake pads", threshold="0", supplier="GAC Parts"):
    Part.create(code=code, name=name, unit=unit, bin="A-01-1", sale_price=Decimal("520"), unit_cost=Decimal("260"),
                reorder_threshold=Decimal(threshold), supplier=supplier)
    if Decimal(qty):
        parts.receive(code, qty, by=shop.clerk, reference="opening")
    return Part.get(Part.code == code)


@pytest.fixture
def supplier(shop):
    return purchasing.add_supplier(SupplierForm(name="GAC Parts", contact="Mr Liang", phone="020-88886666",
                                                lead_days="3"), by=shop.clerk)


def order_of(order):
    return RepairOrder.get_by_id(order.id)


def card_of(order):
    return board.cards_for([order.id])[0]


def short_order(shop, car=None, qty="1", code="BP-100", **kw):
    order = shop.in_progress(car or shop.car, **kw)
    line = parts.add_part_line(order.id, code, qty, by=shop.dispatcher)
    return order_of(order), line


def test_a_short_part_gets_a_po_and_the_card_shows_its_eta_until_the_goods_arrive(shop, supplier):
    stocked(shop)
    order, line = short_order(shop)
    assert card_of(order).parts_state(clock.today()) == "short"

    po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    eta = clock.today() + dt.timedelta(days=3)  # the supplier's lead time
    assert po.expected_on == eta
    card = card_of(order)
    assert (card.parts_status, card.parts_eta, card.parts_state(clock.today())) == ("ordered", eta, "ordered")
    assert "parts ordered on PO" in Event.select().where(Event.order == order.id).order_by(Event.id.desc()).first().summary

    # The supplier is late: from the day after the ETA the card says so, with no write needed.
    assert card_of(order).parts_state(eta + dt.timedelta(days=1)) == "late"
    assert [row.number for row in purchasing.late_pos()] == []
    clock.advance(days=4)
    assert [row.number for row in purchasing.late_pos()] == [po.number]

    complete = purchasing.receive(po.id, {PurchaseOrderLine.get(PurchaseOrderLine.po == po.id).id: "1"},
                                  by=shop.clerk, reference="DN-778")
    assert complete == [order.label]
    card = card_of(order)
    assert (card.parts_status, card.parts_eta) == ("available", None)
    assert PartLine.get_by_id(line.id).reserved == 1
    assert PurchaseOrder.get_by_id(po.id).state == "received"
    assert purchasing.late_pos() == []


def test_an_order_is_ordered_only_when_every_missing_part_is_on_order(shop, supplier):
    stocked(shop)
    stocked(shop, code="HL-CAMR", name="Headlamp assembly")
    order, pads = short_order(shop)
    lamp = parts.add_part_line(order.id, "HL-CAMR", "1", by=shop.dispatcher)
    purchasing.create_po(supplier.id, [POLine("BP-100", "1", [pads.id])], by=shop.clerk)
    assert order_of(order).parts_status == "short"  # the headlamp is not on order yet
    later = clock.today() + dt.timedelta(days=7)
    purchasing.create_po(supplier.id, [POLine("HL-CAMR", "1", [lamp.id])], by=shop.clerk, expected_on=later)
    assert (order_of(order).parts_status, order_of(order).parts_eta) == ("ordered", later)  # the later of the two


def test_goods_received_fill_the_orders_the_po_was_for_before_others(shop, supplier):
    stocked(shop)
    urgent, _line = short_order(shop, hours_ahead=1)
    po_for, line = short_order(shop, shop.car2, bay=1, hours_ahead=8)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    # The PO was made for the second order; the first, more urgent, was tied to nothing.
    assert order_of(po_for).parts_status == "ordered" and order_of(urgent).parts_status == "short"
    po_line = PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)
    assert purchasing.receive(po.id, {po_line.id: "1"}, by=shop.clerk) == [po_for.label]
    assert order_of(urgent).parts_status == "short"


def test_part_of_a_po_received_serves_the_first_orders_and_the_rest_stay_ordered(shop, supplier):
    stocked(shop)
    first, line_a = short_order(shop, hours_ahead=2)
    second, line_b = short_order(shop, shop.car2, bay=1, hours_ahead=6)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "2")], by=shop.clerk)  # from low stock: ties both
    assert {order_of(first).parts_status, order_of(second).parts_status} == {"ordered"}
    po_line = PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)
    purchasing.receive(po.id, {po_line.id: "1"}, by=shop.clerk)
    assert order_of(first).parts_status == "available"
    assert (order_of(second).parts_status, order_of(second).parts_eta) == ("ordered", po.expected_on)
    assert PurchaseOrder.get_by_id(po.id).state == "open"
    assert [link.qty for link in PurchaseOrderLink.select().where(PurchaseOrderLink.part_line == line_a.id)] == [0]


def test_a_part_requested_later_is_tied_to_spare_quantity_already_on_order(shop, supplier):
    stocked(shop, threshold="2")
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "4")], by=shop.clerk)  # low stock, no order yet
    order, line = short_order(shop)
    assert (order.parts_status, order.parts_eta) == ("ordered", po.expected_on)
    assert PurchaseOrderLink.get(PurchaseOrderLink.part_line == line.id).qty == 1


def test_receiving_more_than_ordered_is_refused_and_nothing_is_written(shop, supplier):
    stocked(shop)
    order, line = short_order(shop)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "2", [line.id])], by=shop.clerk)
    po_line = PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)
    purchasing.receive(po.id, {po_line.id: "1"}, by=shop.clerk)
    events, movements = Event.select().count(), StockMovement.select().count()
    with pytest.raises(InvalidInput, match="Only 1 pc of BP-100 are still due on PO 1 \\(ordered 2\\)") as error:
        purchasing.receive(po.id, {po_line.id: "2"}, by=shop.clerk)
    assert error.value.field == "qty"
    assert PurchaseOrderLine.get_by_id(po_line.id).received == 1
    assert (Event.select().count(), StockMovement.select().count()) == (events, movements)
    assert stock("BP-100").on_hand == 1


def test_a_po_for_a_retired_part_is_refused_and_nothing_is_written(shop, supplier):
    stocked(shop)
    Part.update(active=False).where(Part.code == "BP-100").execute()
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="BP-100 Front brake pads is no longer stocked: it cannot be ordered"):
        purchasing.create_po(supplier.id, [POLine("BP-100", "1")], by=shop.clerk)
    assert PurchaseOrder.select().count() == PurchaseOrderLine.select().count() == 0
    assert Event.select().count() == events


@pytest.mark.parametrize("lines, expected_on, message", [
    ([], None, "needs at least one part"),
    ([POLine("BP-100", "0")], None, "must be more than zero"),
    ([POLine("BP-100", "1.5")], None, "more than 0 decimal places|whole"),
    ([POLine("BP-100", "1"), POLine("bp-100", "2")], None, "twice"),
    ([POLine("NOPE", "1")], None, "No part with code"),
    ([POLine("BP-100", "1")], "yesterday", "must be a date"),
    ([POLine("BP-100", "1")], "2026-11-19", "has already passed"),
])
def test_bad_purchase_orders_are_refused_with_a_message(shop, supplier, lines, expected_on, message):
    stocked(shop)
    with pytest.raises(Exception, match=message):
        purchasing.create_po(supplier.id, lines, by=shop.clerk, expected_on=expected_on)
    assert PurchaseOrder.select().count() == 0


def test_only_the_parts_clerk_or_a_manager_orders_parts(shop, supplier):
    stocked(shop)
    with pytest.raises(NotAllowed):
        purchasing.create_po(supplier.id, [POLine("BP-100", "1")], by=shop.advisor)
    purchasing.create_po(supplier.id, [POLine("BP-100", "1")], by=shop.manager)


def test_a_new_eta_shows_on_every_order_the_po_serves(shop, supplier):
    stocked(shop)
    order, line = short_order(shop)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    later = clock.today() + dt.timedelta(days=10)
    purchasing.set_expected(po.id, later.isoformat(), by=shop.clerk)
    assert order_of(order).parts_eta == later


def test_cancelling_a_po_puts_its_orders_back_to_short_and_nothing_more_is_received(shop, supplier):
    stocked(shop)
    order, line = short_order(shop)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    purchasing.cancel(po.id, "supplier out of stock", by=shop.clerk)
    assert (order_of(order).parts_status, order_of(order).parts_eta) == ("short", None)
    po_line = PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)
    with pytest.raises(IllegalTransition, match="PO 1 is cancelled"):
        purchasing.receive(po.id, {po_line.id: "1"}, by=shop.clerk)
    assert stock("BP-100").on_hand == 0


def test_suggestions_list_short_reservations_and_low_stock_less_what_is_due(shop, supplier):
    stocked(shop)                                                  # short for an order
    stocked(shop, code="OF-001", name="Oil filter", qty="2", threshold="5")  # low: 2 of 5
    stocked(shop, code="WB-100", name="Wiper blades", qty="9", threshold="3")  # fine
    order, line = short_order(shop, qty="2")
    rows = {row.part_code: row for row in purchasing.suggestions()}
    assert set(rows) == {"BP-100", "OF-001"}
    assert (rows["BP-100"].short, rows["BP-100"].qty, rows["BP-100"].part_line_ids) == (2, 2, (line.id,))
    assert rows["OF-001"].qty == 8  # back to twice the threshold
    assert rows["OF-001"].supplier_id == supplier.id
    po = purchasing.order_suggested(supplier.id, by=shop.clerk)
    assert {(line.part.code, line.qty) for line in po.lines} == {("BP-100", 2), ("OF-001", 8)}
    assert order_of(order).parts_status == "ordered"
    assert purchasing.suggestions() == []  # everything is on order now
    assert [row.lines for row in purchasing.open_pos("OF-001")] == [2]
    assert purchasing.po_lines(po.id)[0].orders == (f"RO {order.number} 粤B12345",)


def test_suppliers_are_records_with_a_lead_time_and_names_are_unique(shop, supplier):
    with pytest.raises(InvalidInput, match="already exists"):
        purchasing.add_supplier(SupplierForm(name="gac parts"), by=shop.clerk)
    with pytest.raises(InvalidInput, match="Lead time"):
        purchasing.add_supplier(SupplierForm(name="Other", lead_days="-1"), by=shop.clerk)
    purchasing.update_supplier(supplier.id, SupplierForm(name="GAC Parts", lead_days="5"), by=shop.clerk,
                               active=False)
    assert purchasing.suppliers() == []
    assert purchasing.suppliers(include_inactive=True)[0].lead_days == 5


def test_an_order_waiting_for_parts_is_ready_when_the_po_arrives(shop, supplier):
    stocked(shop)
    order, line = short_order(shop)
    transition(order.id, "wait_parts", by=shop.dispatcher)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    assert order_of(order).parts_ready is False
    purchasing.receive(po.id, {PurchaseOrderLine.get(PurchaseOrderLine.po == po.id).id: "1"}, by=shop.clerk)
    assert order_of(order).parts_ready is True


def test_availability_states_as_the_shop_says_them():
    N, D = availability.Need, Decimal
    day = dt.date(2026, 12, 3)
    assert availability.status_of([]) == ("none", None)
    assert availability.status_of([N(D(1), D(1))]) == ("available", None)
    assert availability.status_of([N(D(2), D(1)), N(D(1), D(1))]) == ("partial", None)
    assert availability.status_of([N(D(1), D(0)), N(D(1), D(1))]) == ("short", None)
    assert availability.status_of([N(D(1), D(0), D(1), day)]) == ("ordered", day)
    assert availability.status_of([N(D(2), D(0), D(1), day)]) == ("short", None)  # half on order is not enough
    assert availability.shown("ordered", day, day) == "ordered"
    assert availability.shown("ordered", day, day + dt.timedelta(days=1)) == "late"


async def test_the_board_card_shows_the_parts_eta_live_until_the_goods_arrive(shop, supplier):
    from tests.ui import app_as, wait_until
    stocked(shop)
    order, line = short_order(shop)
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert "PARTS" in screen.card_text(order.id) and "ETA" not in screen.card_text(order.id)
        # The clerk orders the part at the parts counter (another connection): this terminal sees it by itself.
        po = purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
        assert await wait_until(pilot, lambda: "ETA 11-23" in screen.card_text(order.id))
        clock.advance(days=4)  # the supplier is late: the next redraw says so
        assert "LATE 11-23" in screen.card_text(order.id)
        purchasing.receive(po.id, {PurchaseOrderLine.get(PurchaseOrderLine.po == po.id).id: "1"}, by=shop.clerk)
        assert await wait_until(pilot, lambda: "LATE" not in screen.card_text(order.id))
        text = screen.card_text(order.id)
        assert "ETA" not in text and "PARTS" not in text


def test_the_board_and_the_clerks_lists_cost_the_same_queries_however_many_orders_are_on_order(shop, supplier):
    from tests.factories import make_vehicle
    from tests.test_query_budget import counted
    stocked(shop)
    stocked(shop, code="OF-001", name="Oil filter", qty="1", threshold="5")

    def costs():
        with counted() as board_q:
            board.active_cards()
        with counted() as suggest_q:
            purchasing.suggestions()
        with counted() as open_q:
            purchasing.open_pos()
        return len(board_q), len(suggest_q), len(open_q)

    def more(start, count):
        for i in range(start, start + count):
            car = make_vehicle(f"粤Q{i:05d}", f"LFV2A21K9N3{i:06d}", shop.customer)
            order, line = short_order(shop, car, bay=1)
            purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
            short_order(shop, make_vehicle(f"粤R{i:05d}", f"LFV2A21K9N4{i:06d}", shop.customer), bay=1)

    from models.shop import Bay
    Bay.update(capacity=1000).where(Bay.id == shop.bays[1].id).execute()
    more(0, 2)
    few = costs()
    more(100, 10)
    assert costs() == few, (few, costs())
    assert few[0] == 2  # the board reads the ETA with the card: no query more than before


def test_a_narrow_card_says_the_parts_date_on_its_third_line(shop, supplier):
    from screens.card import card_lines
    stocked(shop)
    order = shop.order()  # still waiting for dispatch: its third line names the business type too
    line = parts.add_part_line(order.id, "BP-100", "1", by=shop.advisor)
    purchasing.create_po(supplier.id, [POLine("BP-100", "1", [line.id])], by=shop.clerk)
    head, _who, where, _due = card_lines(card_of(order), 22)
    assert head.plain.endswith(" E") and where.plain.startswith("ETA 11-23 to dispatch")
    wide = card_lines(card_of(order), 40)
    assert "ETA 11-23" in wide[0].plain and "ETA" not in wide[2].plain
    clock.advance(days=4)
    assert card_lines(card_of(order), 22)[2].plain.startswith("LATE 11-23")
