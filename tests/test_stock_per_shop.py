"""Stock per shop's warehouse (issue 19 item 5): the catalogue is the group's, each shop holds its own stock of it.
An order reserves and picks from its own shop's stock only; goods in, stocktakes, bins and purchase orders are a
shop's; a stock transfer (调拨) moves free stock between two shops in one transaction; the ledger adds up per
(part, shop), also with clerks of two shops booking the same part at once in real processes."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from models.events import Event
from models.orders import RepairOrder
from models.parts import Part, PartLine, PartStock, StockMovement
from models.people import Staff
from models.purchasing import PurchaseOrder
from tests.factories import make_staff, stock
from tests.test_concurrent_counts import run_all
from workshop import clock, parts, purchasing, shops
from workshop.actor import Actor
from workshop.errors import InvalidInput
from workshop.purchasing import POLine, SupplierForm
from workshop.reception import OrderForm, create_order
from workshop.shop_copy import _checks


@pytest.fixture
def group(shop):
    """The small shop (MAIN, shop 1) and EAST, each with a parts clerk and an advisor working there, and one part
    in the group's catalogue."""
    east = shops.add_shop("east", "East Side Service", by=shop.manager)
    for login, name, role in (("east.clerk", "Zhao Lei", "parts_clerk"), ("east.adv", "Ma Li", "advisor")):
        make_staff(login, name, role)
        shops.assign(Staff.get(Staff.login == login).id, "EAST", by=shop.manager)
    shop.east = east.id
    shop.east_clerk = shops.at_sign_in(Actor.of(Staff.get(Staff.login == "east.clerk")))
    shop.east_advisor = shops.at_sign_in(Actor.of(Staff.get(Staff.login == "east.adv")))
    shop.main_clerk = shops.at_sign_in(Actor.of(shop.clerk))
    assert (shop.main_clerk.shop_id, shop.east_clerk.shop_id) == (1, east.id)
    shop.pads = Part.create(code="BP-100", name="Brake pads", unit="pc", bin="A-01-1", sale_price=D("300"),
                            unit_cost=D("150"), reorder_threshold=D("4"), supplier="GAC Parts")
    return shop


def east_order(shop, car=None) -> RepairOrder:
    form = OrderForm(vehicle_id=(car or shop.car2).id, business_type="maintenance", mileage_in="20000",
                     fuel_level="1/2", statement="Brakes squeal", promised_at=clock.now() + dt.timedelta(hours=4),
                     operation_codes=["QS001"])
    return create_order(form, by=shop.east_advisor)


def on_hand(shop_id: int) -> tuple[D, D]:
    row = stock("BP-100", shop_id)
    return row.on_hand, row.reserved


def test_two_shops_hold_separate_stock_of_the_same_part(group):
    shop = group
    parts.receive("BP-100", "5", by=shop.main_clerk)
    parts.receive("BP-100", "3", by=shop.east_clerk)
    assert (on_hand(1), on_hand(shop.east)) == ((5, 0), (3, 0))
    assert [(r.code, r.on_hand) for r in parts.catalog("BP", shop=1)] == [("BP-100", 5)]
    assert [(r.code, r.on_hand) for r in parts.catalog("BP", shop=shop.east)] == [("BP-100", 3)]
    assert [r.code for r in parts.low_stock(shop=shop.east)] == ["BP-100"]  # 3 < threshold 4 at EAST only
    assert parts.low_stock(shop=1) == []
    assert (parts.ledger_balance(shop.pads.id, 1), parts.ledger_balance(shop.pads.id, shop.east)) == (5, 3)
    # A bin move is the shop's: MAIN keeps the catalogue's bin
    parts.transfer("BP-100", "e-07-2", by=shop.east_clerk)
    assert (parts.catalog("BP", shop=shop.east)[0].bin, parts.catalog("BP", shop=1)[0].bin) == ("E-07-2", "A-01-1")


def test_an_order_in_one_shop_cannot_reserve_or_pick_the_other_shops_stock(group):
    shop = group
    parts.receive("BP-100", "5", by=shop.main_clerk)
    order = east_order(shop)
    line = parts.add_part_line(order.id, "BP-100", "2", by=shop.east_advisor)
    assert line.reserved == 0 and RepairOrder.get_by_id(order.id).parts_status == "short"
    assert on_hand(1) == (5, 0)  # MAIN's five are not touched
    with pytest.raises(InvalidInput, match="can be picked"):
        parts.pick(line.id, by=shop.east_clerk)
    assert on_hand(1) == (5, 0) and on_hand(shop.east) == (0, 0)
    # Goods in at MAIN serve MAIN's orders, not EAST's; goods in at EAST serve EAST's.
    main = shop.order()
    main_line = parts.add_part_line(main.id, "BP-100", "1", by=shop.advisor)
    assert main_line.reserved == 1 and on_hand(1) == (5, 1)
    parts.receive("BP-100", "2", by=shop.main_clerk)
    assert PartLine.get_by_id(line.id).reserved == 0 and on_hand(1) == (7, 1)
    parts.receive("BP-100", "2", by=shop.east_clerk)
    assert PartLine.get_by_id(line.id).reserved == 2 and on_hand(shop.east) == (2, 2)
    assert RepairOrder.get_by_id(order.id).parts_status == "available"
    parts.pick(line.id, by=shop.east_clerk)
    assert on_hand(shop.east) == (0, 0) and on_hand(1) == (7, 1)
    assert parts.reservation_problems() == []


def test_goods_in_of_a_shops_purchase_order_lands_in_that_shop(group):
    shop = group
    supplier = purchasing.add_supplier(SupplierForm(name="GAC Parts"), by=shop.main_clerk)
    main = shop.order()
    main_line = parts.add_part_line(main.id, "BP-100", "1", by=shop.advisor)  # short at MAIN
    order = east_order(shop)
    line = parts.add_part_line(order.id, "BP-100", "2", by=shop.east_advisor)  # short at EAST
    assert [s.qty for s in purchasing.suggestions(shop=shop.east)] == [10]  # 2 short + back to twice the threshold
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "2")], by=shop.east_clerk)
    assert PurchaseOrder.get_by_id(po.id).shop_id == shop.east
    assert RepairOrder.get_by_id(order.id).parts_status == "ordered"
    assert RepairOrder.get_by_id(main.id).parts_status == "short"  # EAST's PO brings nothing to MAIN
    assert [p.id for p in purchasing.open_pos(shop=shop.east)] == [po.id] and purchasing.open_pos(shop=1) == []
    with pytest.raises(InvalidInput, match="another shop"):  # a MAIN line named on an EAST PO
        purchasing.create_po(supplier.id, [POLine("BP-100", "1", [main_line.id])], by=shop.east_clerk)
    po_line = purchasing.po_lines(po.id)[0]
    purchasing.receive(po.id, {po_line.id: "2"}, by=shop.main_clerk)  # whoever books it: the PO's shop gets it
    assert on_hand(shop.east) == (2, 2) and on_hand(1) == (0, 0)
    assert PartLine.get_by_id(line.id).reserved == 2 and PartLine.get_by_id(main_line.id).reserved == 0
    assert StockMovement.get(StockMovement.kind == "receipt").shop_id == shop.east


def test_a_stocktake_of_one_shop_leaves_the_other_untouched(group):
    shop = group
    parts.receive("BP-100", "5", by=shop.main_clerk)
    parts.receive("BP-100", "3", by=shop.east_clerk)
    assert parts.count_stock("BP-100", "1", "two damaged", by=shop.east_clerk) == -2
    assert (on_hand(1), on_hand(shop.east)) == ((5, 0), (1, 0))
    adjustment = StockMovement.get(StockMovement.kind == "adjustment")
    assert (adjustment.shop_id, adjustment.qty) == (shop.east, -2)


def test_a_transfer_moves_exactly_the_quantity_and_refuses_more_than_is_free(group):
    shop = group
    parts.receive("BP-100", "5", by=shop.main_clerk)
    main = shop.order()
    parts.add_part_line(main.id, "BP-100", "2", by=shop.advisor)  # MAIN: 5 on hand, 2 reserved, 3 free
    order = east_order(shop)
    waiting = parts.add_part_line(order.id, "BP-100", "1", by=shop.east_advisor)  # EAST waits for one
    movements, events = StockMovement.select().count(), Event.select().count()
    with pytest.raises(InvalidInput, match="Only 3 pc of BP-100 are free"):
        parts.move_to_shop("BP-100", "4", "EAST", by=shop.main_clerk)
    with pytest.raises(InvalidInput, match="another shop"):
        parts.move_to_shop("BP-100", "1", "MAIN", by=shop.main_clerk)
    assert (StockMovement.select().count(), Event.select().count()) == (movements, events)  # nothing written
    assert on_hand(1) == (5, 2) and on_hand(shop.east) == (0, 0)

    assert parts.move_to_shop("BP-100", "3", "east", by=shop.main_clerk, reason="EAST is out") == 3
    assert on_hand(1) == (2, 2) and on_hand(shop.east) == (3, 1)  # EAST's waiting order took one at once
    assert PartLine.get_by_id(waiting.id).reserved == 1
    rows = list(StockMovement.select().where(StockMovement.id > 0).order_by(StockMovement.id.desc()).limit(2))
    assert sorted((m.kind, m.shop_id, m.qty) for m in rows) == [("shop_in", shop.east, 3), ("shop_out", 1, -3)]
    assert Event.select().where(Event.kind == "stock_moved_to_shop").count() == 1
    assert parts.reservation_problems() == []


def test_the_ledger_check_holds_per_shop(group):
    """After every kind of movement in two shops, each (part, shop)'s on-hand is the sum of its movements there
    (the check workshop copy makes), and what is reserved is what open lines hold."""
    shop = group
    parts.receive("BP-100", "6", by=shop.main_clerk)
    parts.receive("BP-100", "4", by=shop.east_clerk)
    line = parts.add_part_line(east_order(shop).id, "BP-100", "3", by=shop.east_advisor)
    parts.pick(line.id, by=shop.east_clerk)
    parts.return_part(line.id, "1", by=shop.east_clerk)
    parts.count_stock("BP-100", "5", "recount", by=shop.main_clerk)
    parts.move_to_shop("BP-100", "2", "EAST", by=shop.main_clerk)
    assert (on_hand(1), on_hand(shop.east)) == ((3, 0), (4, 0))
    from models.db import db
    ledger, _total = _checks(lambda sql: db.execute_sql(sql).fetchall())
    assert ledger == {(shop.pads.id, 1): (3, 3), (shop.pads.id, shop.east): (4, 4)}
    assert parts.reservation_problems() == []
    # the check does catch a shop's balance changed behind the ledger's back
    PartStock.update(on_hand=PartStock.on_hand + 1).where(PartStock.shop == shop.east).execute()
    ledger, _total = _checks(lambda sql: db.execute_sql(sql).fetchall())
    assert ledger[shop.pads.id, shop.east] == (5, 4)


CLERK = """
    from workshop import parts, shops
    from workshop.actor import Actor
    clerk = shops.at_sign_in(Actor.of(Staff.get(Staff.login == arg["login"])))
    for n in range(arg["times"]):
        for action in (lambda: parts.receive("BP-100", "10", by=clerk, reference=f"DN-{worker}-{n}"),
                       lambda: parts.move_to_shop("BP-100", "3", arg["to"], by=clerk)):
            try:
                as_a_user(action)
                report(ok=True)
            except Exception as error:
                report(ok=False, error=type(error).__name__ + ": " + str(error))
"""


def test_clerks_of_two_shops_receiving_and_transferring_one_part_at_once_get_exact_balances(group, db_path,
                                                                                              tmp_path):
    """Four processes, two per shop, each booking goods in of the same part and moving some of it to the other
    shop (opposite transfers at once lock both shops' rows): nothing lost, nothing counted twice, no deadlock
    left unresolved."""
    shop = group
    parts.receive("BP-100", "20", by=shop.main_clerk)
    parts.receive("BP-100", "20", by=shop.east_clerk)
    times = 5
    args = [{"login": "huang.bo", "to": "EAST", "times": times}] * 2 + \
           [{"login": "east.clerk", "to": "MAIN", "times": times}] * 2
    reports = run_all(CLERK, db_path, tmp_path, args)
    assert [r for r in reports if not r["ok"]] == [] and len(reports) == 4 * times * 2
    expected = 20 + 2 * times * 10 - 2 * times * 3 + 2 * times * 3  # 120 in each shop
    assert (on_hand(1), on_hand(shop.east)) == ((expected, 0), (expected, 0))
    for shop_id in (1, shop.east):
        assert parts.ledger_balance(shop.pads.id, shop_id) == expected
        assert StockMovement.select().where(StockMovement.shop == shop_id).count() == 1 + 2 * times * 3


async def test_a_clerk_transfers_stock_from_the_parts_screen_and_sees_only_the_own_shops_stock(group):
    """At 80x24 from the keyboard: the catalogue shows MAIN's stock on MAIN's terminal, `t` moves free stock to
    EAST (a refusal stays in the form, nothing moved), and EAST's terminal shows what arrived."""
    from tests.ui import app_as, parts_catalog, settled, wait_until
    shop = group
    parts.receive("BP-100", "5", by=shop.main_clerk)
    parts.receive("BP-100", "1", by=shop.east_clerk)
    async with app_as(shop.main_clerk).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        catalog = await parts_catalog(pilot)
        assert await wait_until(pilot, lambda: [(r.code, r.on_hand) for r in catalog.items] == [("BP-100", 5)])
        await pilot.press("t")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press("enter", "down", "enter")  # EAST, the only other shop
        await pilot.press("6", "ctrl+s")
        await settled(pilot)
        assert app.screen.__class__.__name__ == "FormDialog"  # refused: only 5 free
        assert "are free in this shop" in str(app.screen.query_one("#note-qty").content)
        assert on_hand(1) == (5, 0)
        await pilot.press("backspace", "4", "ctrl+s")
        assert await wait_until(pilot, lambda: on_hand(shop.east) == (5, 0))
        assert on_hand(1) == (1, 0)
        assert await wait_until(pilot, lambda: [r.on_hand for r in catalog.items] == [1])
    async with app_as(shop.east_clerk).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        catalog = await parts_catalog(pilot)
        assert await wait_until(pilot, lambda: [(r.code, r.on_hand) for r in catalog.items] == [("BP-100", 5)])


def test_the_migration_makes_the_group_figure_shop_1s_stock(tmp_path):
    """A database of the previous version: each part's on-hand and reserved become shop 1's, its ledger rows and
    purchase orders shop 1's, and the old columns are gone."""
    from models.db import db, open_database
    from models.schema import migrate, runner
    open_database(tmp_path / "old.db")
    names = [m.name for m in runner().migrations()]
    runner().up(target=names[names.index("0021_stock_per_shop") - 1])
    db.execute_sql("INSERT INTO part (code, name, unit, warehouse, bin, unit_cost, sale_price, reorder_threshold, oem, "
                   "on_hand, reserved, active) VALUES ('OF-1', 'Oil filter', 'pc', 'MAIN', 'A-1', 1, 2, 0, 1, 7, 2, 1), "
                   "('OF-2', 'Never stocked', 'pc', 'MAIN', NULL, 1, 2, 0, 1, 0, 0, 1)")
    db.execute_sql("INSERT INTO stock_movement (part_id, kind, qty, on_hand_after, at) "
                   "SELECT id, 'opening', 7, 7, '2026-11-01 08:00:00' FROM part WHERE code = 'OF-1'")
    migrate()
    first = Part.get(Part.code == "OF-1")
    assert [(s.part_id, s.shop_id, s.on_hand, s.reserved, s.bin) for s in PartStock.select()] == \
        [(first.id, 1, 7, 2, None)]
    assert parts.ledger_balance(first.id, 1) == 7 and StockMovement.get().shop_id == 1
    assert parts.catalog("OF")[0].bin == "A-1"  # the catalogue's bin until the shop moves it
    columns = {c.name for c in db.get_columns("part")}
    assert not {"on_hand", "reserved"} & columns
    db.close()
