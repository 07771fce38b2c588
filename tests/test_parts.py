"""Parts through the services: reservation, picking, returns, exchanges, receipts and the ledger."""
from decimal import Decimal

import pytest

from models.orders import JobLine, RepairOrder
from models.parts import OldPartRecord, OperationPart, Part, PartLine, StockMovement
from models.shop import Operation
from workshop import parts
from workshop.dispatch import finish_line
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.lifecycle import transition
from tests.factories import stock


def stocked(shop, code="OF-001", qty="0", unit="pc", price="45.00", name="Oil filter", threshold="0"):
    part = Part.create(code=code, name=name, unit=unit, bin="A-01-1", sale_price=Decimal(price),
                       unit_cost=Decimal("20"), reorder_threshold=Decimal(threshold))
    if Decimal(qty):
        parts.receive(code, qty, by=shop.clerk, reference="opening")
    return Part.get_by_id(part.id)


def order_state(order):
    return RepairOrder.get_by_id(order.id)


def test_adding_a_part_reserves_stock_and_marks_the_order_available(shop):
    stocked(shop, qty="5")
    order = shop.order()
    line = parts.add_part_line(order.id, "of-001", "2", by=shop.advisor)
    assert line.reserved == 2
    part = stock("OF-001")
    assert (part.on_hand, part.reserved, part.available) == (5, 2, 3)
    assert order_state(order).parts_status == "available"


def test_a_part_not_in_stock_makes_the_card_short_and_partial_only_when_every_part_is_partly_there(shop):
    stocked(shop, qty="1")
    stocked(shop, code="BP-100", name="Brake pads", qty="0")
    stocked(shop, code="OIL-5W30", name="Engine oil", qty="3", unit="L")
    order = shop.order()
    parts.add_part_line(order.id, "BP-100", "1", by=shop.advisor)
    assert order_state(order).parts_status == "short"
    parts.add_part_line(order.id, "OF-001", "1", by=shop.advisor)
    # The brake pads are missing altogether: the job cannot finish, so the card says short, not partial.
    assert order_state(order).parts_status == "short"
    other = shop.order(shop.car2)
    parts.add_part_line(other.id, "OIL-5W30", "4.5", by=shop.advisor)
    assert order_state(other).parts_status == "partial"  # 3 of 4.5 L there: partly available


def test_goods_received_fill_reservations_by_promised_time_and_flag_waiting_orders(shop):
    stocked(shop, qty="0")
    late = shop.in_progress(shop.car, hours_ahead=8)
    early = shop.in_progress(shop.car2, bay=1, hours_ahead=2)
    parts.add_part_line(late.id, "OF-001", "1", by=shop.dispatcher)
    parts.add_part_line(early.id, "OF-001", "1", by=shop.dispatcher)
    transition(early.id, "wait_parts", by=shop.dispatcher)
    complete = parts.receive("OF-001", "1", by=shop.clerk)
    assert complete == [f"RO {early.number}"]
    assert order_state(early).parts_status == "available"
    assert order_state(early).parts_ready is True
    assert order_state(late).parts_status == "short"


def test_picking_takes_stock_out_and_records_who_and_when(shop):
    stocked(shop, qty="3")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "2", by=shop.dispatcher)
    parts.pick(line.id, "1", by=shop.clerk)
    parts.pick(line.id, by=shop.clerk)  # the rest
    line = PartLine.get_by_id(line.id)
    part = stock("OF-001")
    assert (line.picked, line.reserved, line.status) == (2, 0, "picked")
    assert (part.on_hand, part.reserved) == (1, 0)
    issues = list(StockMovement.select().where(StockMovement.kind == "issue"))
    assert [m.qty for m in issues] == [-1, -1] and {m.by_id for m in issues} == {shop.clerk.id}
    assert any("picked 1 pc OF-001" in e.summary for e in RepairOrder.get_by_id(order.id).events)


def test_cannot_pick_more_than_is_on_hand_and_nothing_changes(shop):
    stocked(shop, qty="1")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "3", by=shop.dispatcher)
    with pytest.raises(InvalidInput, match="Only 1 pc of OF-001 can be picked"):
        parts.pick(line.id, "3", by=shop.clerk)
    assert stock("OF-001").on_hand == 1
    assert StockMovement.select().where(StockMovement.kind == "issue").count() == 0


def test_stock_reserved_for_another_order_cannot_be_picked(shop):
    stocked(shop, qty="1")
    first = shop.in_progress(shop.car)
    second = shop.in_progress(shop.car2, bay=1)
    parts.add_part_line(first.id, "OF-001", "1", by=shop.dispatcher)
    other = parts.add_part_line(second.id, "OF-001", "1", by=shop.dispatcher)
    with pytest.raises(InvalidInput, match="reserved for other orders 1"):
        parts.pick(other.id, by=shop.clerk)


@pytest.mark.parametrize("qty, message", [("0", "more than zero"), ("-1", "negative"), ("1.5", "whole number"),
                                          ("abc", "must be a number")])
def test_bad_quantities_are_refused_with_a_message_and_write_nothing(shop, qty, message):
    stocked(shop, qty="5")
    order = shop.order()
    with pytest.raises(InvalidInput, match=message):
        parts.add_part_line(order.id, "OF-001", qty, by=shop.advisor)
    assert PartLine.select().count() == 0


def test_litres_take_decimals(shop):
    stocked(shop, code="OIL-5W30", name="Engine oil 5W-30", unit="L", qty="20")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OIL-5W30", "4.5", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)
    assert stock("OIL-5W30").on_hand == Decimal("15.5")


def test_unused_parts_are_returned_to_stock(shop):
    stocked(shop, qty="4")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "2", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)
    parts.return_part(line.id, "1", reason="only one needed", by=shop.clerk)
    line = PartLine.get_by_id(line.id)
    assert (line.qty, line.used, line.returned) == (1, 1, 1)
    assert stock("OF-001").on_hand == 3
    with pytest.raises(InvalidInput, match="Only 1 pc of OF-001 were picked"):
        parts.return_part(line.id, "2", by=shop.clerk)


def test_a_wrong_part_is_exchanged_for_the_right_one(shop):
    stocked(shop, qty="2")
    stocked(shop, code="OF-002", name="Oil filter (hybrid)", qty="2")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)
    new_line = parts.exchange(line.id, "OF-002", by=shop.clerk)
    assert PartLine.get_by_id(line.id).status == "returned"
    assert stock("OF-001").on_hand == 2
    assert (new_line.part.code, new_line.reserved) == ("OF-002", 1)


def test_old_part_is_recorded_with_its_disposition(shop):
    stocked(shop, qty="1")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)
    parts.record_old_part(line.id, "warranty", "returned to maker", by=shop.clerk)
    assert OldPartRecord.get().disposition == "warranty"
    with pytest.raises(InvalidInput):
        parts.record_old_part(line.id, "bin", by=shop.clerk)


def test_order_cannot_go_to_qc_with_parts_not_picked(shop):
    stocked(shop, qty="1")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)
    for job in JobLine.select().where(JobLine.order == order.id):
        finish_line(job.id, by=shop.dispatcher)
    with pytest.raises(IllegalTransition, match="parts not picked yet: OF-001"):
        transition(order.id, "finish", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)
    transition(order.id, "finish", by=shop.dispatcher)
    assert PartLine.get_by_id(line.id).status == "used"


def test_standard_parts_of_an_operation_come_with_the_job_line(shop):
    part = stocked(shop, qty="10")
    OperationPart.create(operation=Operation.get(Operation.code == "QS001"), part=part, qty=Decimal("1"))
    order = shop.order(codes=("QS001",))
    lines = list(PartLine.select().where(PartLine.order == order.id))
    assert [(line.part_id, line.reserved) for line in lines] == [(part.id, 1)]
    assert order_state(order).parts_status == "available"


def test_only_clerks_pick_and_the_refusal_names_who_may(shop):
    stocked(shop, qty="1")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)
    with pytest.raises(NotAllowed, match="parts clerk"):
        parts.pick(line.id, by=shop.cashier)
    assert PartLine.get_by_id(line.id).picked == 0


def test_stocktake_posts_the_difference_with_its_reason(shop):
    stocked(shop, qty="10")
    assert parts.count_stock("OF-001", "8", "two damaged", by=shop.clerk) == -2
    with pytest.raises(InvalidInput, match="Reason"):
        parts.count_stock("OF-001", "7", "", by=shop.clerk)
    assert stock("OF-001").on_hand == 8


def test_the_ledger_reproduces_every_on_hand_figure_after_a_day_of_movements(shop):
    a = stocked(shop, qty="10")
    b = stocked(shop, code="OIL-5W30", name="Engine oil", unit="L", qty="40")
    first = shop.in_progress(shop.car)
    second = shop.in_progress(shop.car2, bay=1)
    l1 = parts.add_part_line(first.id, "OF-001", "3", by=shop.dispatcher)
    l2 = parts.add_part_line(second.id, "OIL-5W30", "4.2", by=shop.dispatcher)
    parts.pick(l1.id, "2", by=shop.clerk)
    parts.pick(l2.id, by=shop.clerk)
    parts.return_part(l2.id, "0.7", reason="left over", by=shop.clerk)
    parts.receive("OF-001", "5", by=shop.clerk)
    parts.count_stock("OIL-5W30", "35", "spill", by=shop.clerk)
    parts.exchange(l1.id, "OIL-5W30", by=shop.clerk)
    for part in (a, b):
        assert stock(part).on_hand == parts.ledger_balance(part.id, 1)


def test_low_stock_suggests_an_order_quantity(shop):
    stocked(shop, qty="1", threshold="4")
    stocked(shop, code="OF-002", qty="10", threshold="4")
    rows = parts.low_stock()
    assert [(r.code, r.available, r.suggested) for r in rows] == [("OF-001", 1, 7)]


def test_pick_queue_puts_the_most_urgent_promise_first(shop):
    stocked(shop, qty="5")
    later = shop.in_progress(shop.car, hours_ahead=9)
    sooner = shop.in_progress(shop.car2, bay=1, hours_ahead=1)
    parts.add_part_line(later.id, "OF-001", "1", by=shop.dispatcher)
    parts.add_part_line(sooner.id, "OF-001", "1", by=shop.dispatcher)
    assert [r.order_number for r in parts.pick_queue()] == [sooner.number, later.number]
    assert [r.order_number for r in parts.pick_queue(str(later.number))] == [later.number]
