"""Cancelling an order releases what it held: reservations at once, picked parts listed for the clerk to
bring back (and returnable after the cancel). A picked part can be returned, exchanged or recorded as an
old part from the order screen and the clerk's screen, not only while it is in the pick queue."""
import random
from decimal import Decimal

import pytest

from models.orders import JobLine, RepairOrder
from models.parts import OldPartRecord, Part, PartLine
from screens.paged import PagedTable
from tests.ui import app_as, notifications, wait_until
from workshop import lifecycle, parts
from workshop.dispatch import finish_line
from workshop.errors import DomainError, IllegalTransition
from tests.factories import stock as stock_in_shop


def stock(shop, code, qty, unit="pc", name=None):
    Part.create(code=code, name=name or code, unit=unit, bin="A-01-1", sale_price=Decimal("45"))
    parts.receive(code, qty, by=shop.clerk)


def part(code):
    """The part's stock in shop 1."""
    return stock_in_shop(code)


def test_cancelling_releases_reservations_and_lists_picked_parts_for_the_clerk_to_return(shop):
    stock(shop, "OF-001", "5")
    stock(shop, "OIL-0W20", "20", unit="L")
    order = shop.in_progress()
    reserved_only = parts.add_part_line(order.id, "OF-001", "2", by=shop.dispatcher)
    oil = parts.add_part_line(order.id, "OIL-0W20", "4.5", by=shop.dispatcher)
    parts.pick(oil.id, "3", by=shop.clerk)                      # 3 L out, 1.5 L still reserved
    assert (part("OF-001").reserved, part("OIL-0W20").reserved) == (2, Decimal("1.5"))
    lifecycle.cancel(order.id, "Customer took the car elsewhere", by=shop.advisor)
    assert (part("OF-001").reserved, part("OIL-0W20").reserved) == (0, 0)    # nothing held by a closed order
    assert parts.reservation_problems() == []
    assert PartLine.get_by_id(reserved_only.id).status == "cancelled"
    out = parts.parts_out()
    assert [(r.code, r.out, r.order_state) for r in out] == [("OIL-0W20", 3, "cancelled")]
    assert part("OIL-0W20").on_hand == 17                       # the ledger does not pretend it came back
    parts.return_part(oil.id, "3", reason="order cancelled", by=shop.clerk)   # after the cancel
    assert (part("OIL-0W20").on_hand, part("OIL-0W20").reserved) == (20, 0)
    assert parts.ledger_balance(Part.get(Part.code == "OIL-0W20").id, 1) == 20
    assert PartLine.get_by_id(oil.id).status == "returned" and parts.parts_out() == []
    with pytest.raises(IllegalTransition):
        parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_closed_order_holds_a_reservation_after_orders_are_cancelled_or_finished_at_random(shop, seed):
    rng = random.Random(seed)
    stock(shop, "OF-001", "6")
    stock(shop, "OIL-0W20", "9", unit="L")
    from models.shop import Bay
    Bay.update(capacity=20).execute()
    from tests.factories import make_vehicle
    for i in range(8):
        car = make_vehicle(f"粤C{seed}{i:04d}", f"LVGBM53K5RG{seed}{i:05d}", shop.customer)
        order = shop.in_progress(car, bay=1)
        lines = [parts.add_part_line(order.id, code, qty, by=shop.dispatcher)
                 for code, qty in (("OF-001", "1"), ("OIL-0W20", "4.5")) if rng.random() < 0.8]
        for line in lines:
            if rng.random() < 0.6:
                try:
                    parts.pick(line.id, by=shop.clerk)
                except DomainError:
                    pass                                        # short: stays requested
        if rng.random() < 0.5:
            lifecycle.cancel(order.id, "changed plans", by=shop.advisor)
        else:
            try:
                for line in lines:
                    if PartLine.get_by_id(line.id).status == "requested":
                        parts.cancel_line(line.id, by=shop.dispatcher)
                for job in JobLine.select().where(JobLine.order == order.id):
                    finish_line(job.id, by=shop.dispatcher)
                lifecycle.transition(order.id, "finish", by=shop.dispatcher)
            except DomainError:
                lifecycle.cancel(order.id, "gave up", by=shop.advisor)
    assert parts.reservation_problems() == []
    closed = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.not_in(list(parts.EDITABLE_STATES)))
    assert not PartLine.select().where(PartLine.order.in_(closed) & (PartLine.reserved > 0)).exists()


def test_the_demo_generator_leaves_no_reservation_on_closed_or_finished_orders(tmp_path):
    from models.db import db
    from workshop import settings
    from workshop.cli import prepare
    settings.forget_cache()
    prepare(tmp_path / "demo.db", size="demo", quiet=True)
    try:
        assert parts.reservation_problems() == []
    finally:
        db.close()
        settings.forget_cache()


def picked_order(shop):
    stock(shop, "OF-001", "3", name="Oil filter")
    stock(shop, "OF-002", "3", name="Oil filter (aftermarket)")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "1", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)                          # fully picked: gone from the pick queue
    assert parts.pick_queue() == []
    return order, line


async def test_a_fully_picked_part_is_returned_from_the_order_screen(shop):
    order, line = picked_order(shop)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_order(order.id)
        await wait_until(pilot, lambda: type(app.screen).__name__ == "OrderDetailScreen")
        await pilot.press("r")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "FormDialog")
        await pilot.press("enter")  # the form offers the quantity out and "not needed": Enter returns it
        assert await wait_until(pilot, lambda: PartLine.get_by_id(line.id).returned == 1)
        assert part("OF-001").on_hand == 3
        assert any("Returned 1 pc OF-001" in n for n in notifications(app))


async def test_the_clerk_exchanges_and_records_old_parts_from_the_parts_out_list(shop):
    order, line = picked_order(shop)
    other = shop.in_progress(shop.car2, bay=1)
    stock(shop, "BP-001", "2", name="Brake pads")
    cancelled_line = parts.add_part_line(other.id, "BP-001", "1", by=shop.dispatcher)
    parts.pick(cancelled_line.id, by=shop.clerk)
    lifecycle.cancel(other.id, "Customer declined", by=shop.advisor)
    app = app_as(shop.clerk)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("f5")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "PartsScreen")
        await pilot.press("4")
        await pilot.pause()
        table = app.screen.query_one("#out-table", PagedTable)
        assert [(r.code, r.order_state) for r in table.items] == [("BP-001", "cancelled"), ("OF-001", "in_progress")]
        await pilot.press("down", "o")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "FormDialog")
        await pilot.press("enter", "down", "enter")  # goes back to the customer; on to the note
        await pilot.press(*"kept in the boot", "enter")
        assert await wait_until(pilot, lambda: OldPartRecord.select().where(OldPartRecord.part_line == line.id).exists())
        await pilot.press("x")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "FormDialog")
        await pilot.press(*"of-002", "enter")
        assert await wait_until(pilot, lambda: PartLine.get_by_id(line.id).status == "returned")
        assert part("OF-001").on_hand == 3
        assert PartLine.select().where((PartLine.order == order.id) & (PartLine.part == part("OF-002").id)
                                       & (PartLine.reserved == 1)).exists()
        await pilot.press("4")
        await pilot.pause()
        assert [r.code for r in app.screen.query_one("#out-table", PagedTable).items] == ["BP-001"]
        await pilot.press("r")
        assert await wait_until(pilot, lambda: type(app.screen).__name__ == "FormDialog")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: part("BP-001").on_hand == 2)
