"""The group's other shops' stock where the parts clerk decides (issue 19, stock per shop): before buying a part, the
clerk sees what the sister shops have free (on hand less reserved, the terminal's own shop left out) beside each
part of the catalogue, the low-stock list and the what-to-order list, read with one query per page; Enter / w shows
each shop's figures and bin. A one-shop database shows none of it."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from models.parts import Part
from tests.test_query_budget import counted
from tests.test_stock_per_shop import east_order, group  # noqa: F401 (the fixture)
from tests.ui import app_as, parts_catalog, wait_until
from workshop import group_stock, parts, shops
from workshop.errors import NotAllowed


LONG_NAME = "Oil filter, long-life cartridge with gasket set"


@pytest.fixture
def three(group):  # noqa: F811
    """MAIN (5 pads, all free), EAST (3 pads, 2 of them reserved by an EAST order) and WEST (4 pads, free);
    filters only at WEST."""
    shop = group
    west = shops.add_shop("west", "West Gate Service", by=shop.manager)
    shop.west = west.id
    shop.west_clerk = replace(shop.main_clerk, shop_id=west.id)  # MAIN's clerk at a WEST terminal
    Part.create(code="OF-1", name=LONG_NAME, unit="pc", bin="B-02-1", sale_price=D("50"), unit_cost=D("20"),
                reorder_threshold=D("2"))
    parts.receive("BP-100", "5", by=shop.main_clerk)
    parts.receive("BP-100", "3", by=shop.east_clerk)
    parts.receive("BP-100", "4", by=shop.west_clerk)
    parts.receive("OF-1", "6", by=shop.west_clerk)
    line = parts.add_part_line(east_order(shop).id, "BP-100", "2", by=shop.east_advisor)
    assert line.reserved == 2
    shops.forget_count()
    return shop


def test_other_shops_free_stock_leaves_out_the_own_shop_and_what_is_reserved(three):
    shop = three
    assert group_stock.free_elsewhere(["BP-100", "OF-1"], 1, by=shop.main_clerk) == {"BP-100": 5, "OF-1": 6}  # 1 + 4
    assert group_stock.free_elsewhere(["BP-100", "OF-1"], shop.east, by=shop.east_clerk) == {"BP-100": 9, "OF-1": 6}
    # WEST's own filters are not "elsewhere" for WEST; nobody else has any: the part is left out
    assert group_stock.free_elsewhere(["BP-100", "OF-1"], shop.west, by=shop.west_clerk) == {"BP-100": 6}
    assert group_stock.free_elsewhere([], 1, by=shop.main_clerk) == {}


def test_other_shops_stock_is_for_those_who_may_open_the_parts_screen(three):
    shop = three
    with pytest.raises(NotAllowed):
        group_stock.free_elsewhere(["BP-100"], 1, by=shop.advisor)
    with pytest.raises(NotAllowed):
        group_stock.by_shop("BP-100", 1, by=shop.advisor)


def test_other_shops_stock_is_one_query_per_page_whatever_its_length(three):
    shop = three
    for i in range(30):
        Part.create(code=f"X-{i:03d}", name=f"Part {i}", unit="pc", sale_price=D("1"), unit_cost=D("1"))
        parts.receive(f"X-{i:03d}", "1", by=shop.east_clerk)
    for codes in (["BP-100"], ["BP-100", "OF-1"] + [f"X-{i:03d}" for i in range(30)]):
        with counted() as statements:
            figures = group_stock.free_elsewhere(codes, 1, by=shop.main_clerk)
        assert len(statements) == 1, statements
    assert len(figures) == 32 and figures["X-007"] == 1


def test_each_shop_s_stock_of_a_part_the_own_shop_first(three):
    shop = three
    parts.transfer("BP-100", "w-01-1", by=shop.west_clerk)  # WEST keeps it elsewhere
    rows = group_stock.by_shop("BP-100", shop.east, by=shop.east_clerk)
    assert [(r.shop_code, r.on_hand, r.reserved, r.free, r.bin, r.here) for r in rows] == [
        ("EAST", 3, 2, 1, "A-01-1", True), ("MAIN", 5, 0, 5, "A-01-1", False), ("WEST", 4, 0, 4, "W-01-1", False)]
    assert rows[0].shop_name == "East Side Service"
    # a shop that never held the part shows zeros and the catalogue's bin
    assert [(r.shop_code, r.on_hand, r.bin) for r in group_stock.by_shop("OF-1", 1, by=shop.main_clerk)] == [
        ("MAIN", 0, "B-02-1"), ("WEST", 6, "B-02-1"), ("EAST", 0, "B-02-1")]


def _cells(table, index: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(index)]


def _labels(table) -> list[str]:
    return [str(column.label) for column in table.columns.values()]


async def _catalog(pilot):
    table = await parts_catalog(pilot)
    assert await wait_until(pilot, lambda: len(table.items) > 0 and table.row_count == len(table.items))
    return table


async def test_a_one_shop_database_shows_no_other_shops(shop):
    Part.create(code="BP-100", name="Brake pads", unit="pc", bin="A-01-1", sale_price=D("300"), unit_cost=D("150"),
                reorder_threshold=D("9"))
    parts.receive("BP-100", "5", by=shop.clerk)
    async with app_as(shop.clerk).run_test(size=(80, 24)) as pilot:
        table = await _catalog(pilot)
        assert _labels(table) == ["Code", "Part", "Bin", "On hand", "Resv", "Avail", "Unit", "Price", "Fits"]
        assert _cells(table, 0)[:6] == ["BP-100", "Brake pads", "A-01-1", "5", "0", "5"]
        assert not pilot.app.screen.check_action("where", ())
        await pilot.press("enter", "w")
        await pilot.pause()
        assert pilot.app.screen.__class__.__name__ == "PartsScreen"  # no dialog
        for tab, table_id in (("3", "#low-table"), ("5", "#order-table")):
            await pilot.press(tab)
            other = pilot.app.screen.query_one(table_id)
            assert await wait_until(pilot, lambda other=other: other.row_count == 1)
            assert "Other shops" not in _labels(other)


def _visible_to(table, label: str) -> int:
    """The cell just past a column's right edge, from the table's left."""
    right = 0
    for column in table.columns.values():
        right += column.get_render_width(table)
        if str(column.label) == label:
            return right
    raise AssertionError(label)


async def test_two_shops_the_other_shops_free_stock_beside_each_part_at_80x24(three):
    shop = three
    async with app_as(shop.main_clerk).run_test(size=(80, 24)) as pilot:
        table = await _catalog(pilot)
        labels = _labels(table)
        assert labels[5:7] == ["Avail", "Other shops"]
        rows = {cells[0]: cells for cells in (_cells(table, i) for i in range(table.row_count))}
        assert rows["BP-100"][5:7] == ["5", "5"] and rows["OF-1"][5:7] == ["0", "6"]
        assert _visible_to(table, "Other shops") <= table.size.width  # in view at 80 columns: names are cut
        assert rows["OF-1"][1].endswith("…") and LONG_NAME.startswith(rows["OF-1"][1][:-1])
        # tab 3: OF-1 is low here (0 < 2), WEST has 6 free; tab 5 suggests 4 and says WEST's 6 cover them
        await pilot.press("3")
        low = pilot.app.screen.query_one("#low-table")
        assert await wait_until(pilot, lambda: low.row_count == 1)
        assert _labels(low)[3:5] == ["Avail", "Other shops"] and _cells(low, 0)[3:5] == ["0", "6"]
        await pilot.press("5")
        order = pilot.app.screen.query_one("#order-table")
        assert await wait_until(pilot, lambda: order.row_count == 1)
        cells = _cells(order, 0)
        assert (cells[0], cells[2], _labels(order)[5], cells[5]) == ("OF-1", "4", "Other shops", "6 ✓")
        assert _visible_to(order, "Other shops") <= order.size.width


async def test_the_other_shops_figures_on_a_wide_terminal_and_a_partial_cover(three):
    shop = three
    parts.add_part_line(east_order(shop, shop.car).id, "OF-1", "1", by=shop.east_advisor)  # EAST short, not WEST
    Part.update(reorder_threshold=D("5")).where(Part.code == "OF-1").execute()
    async with app_as(shop.main_clerk).run_test(size=(160, 50)) as pilot:
        table = await _catalog(pilot)
        rows = {cells[0]: cells for cells in (_cells(table, i) for i in range(table.row_count))}
        assert rows["BP-100"][3:7] == ["5", "0", "5", "5"] and rows["OF-1"][1] == LONG_NAME  # (whole names)
        await pilot.press("5")
        order = pilot.app.screen.query_one("#order-table")
        assert await wait_until(pilot, lambda: order.row_count == 1)
        cells = _cells(order, 0)
        assert (cells[0], cells[2], cells[5]) == ("OF-1", "10", "6")  # 6 free at WEST do not cover 10: no ✓


async def test_a_catalogue_page_reads_the_other_shops_stock_in_one_more_query(three):
    """The catalogue's and low stock's page loaders: the page, and one aggregate for its parts, for 2 parts as for
    32 (no query per row)."""
    shop = three
    async with app_as(shop.main_clerk, poll_seconds=3600).run_test(size=(80, 24)) as pilot:
        table = await _catalog(pilot)
        low = pilot.app.screen.query_one("#low-table")
        costs = []
        for more in (0, 30):
            for i in range(more):
                Part.create(code=f"X-{i:03d}", name=f"Part {i}", unit="pc", sale_price=D("1"), unit_cost=D("1"),
                            reorder_threshold=D("1"))
                parts.receive(f"X-{i:03d}", "1", by=shop.east_clerk)
            for loader in (table.loader, low.loader):
                with counted() as statements:
                    rows = loader(101, 0)
                costs.append((len(rows) > 2, len(statements)))
        assert costs == [(False, 2), (False, 2), (True, 2), (True, 2)]


async def test_enter_on_a_part_shows_each_shop_s_stock(three):
    from models.shop import Shop
    shop = three
    Shop.update(name="[b]West[/b] Gate").where(Shop.id == shop.west).execute()  # text is data, not markup
    async with app_as(shop.east_clerk).run_test(size=(80, 24)) as pilot:
        table = await _catalog(pilot)
        assert table.selected.code == "BP-100"
        await pilot.press("enter")
        app = pilot.app
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "StockByShopDialog")
        by_shop = app.screen.query_one("#by-shop")
        assert [_cells(by_shop, i) for i in range(by_shop.row_count)] == [
            ["EAST", "East Side Service (this shop)", "3", "2", "1", "A-01-1"],
            ["MAIN", "Riverside Motors Service", "5", "0", "5", "A-01-1"],
            ["WEST", "[b]West[/b] Gate", "4", "0", "4", "A-01-1"]]
        assert "BP-100 Brake pads" in str(app.screen.query_one("Static").content)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
        await pilot.press("5", "w")  # (tab 5: w, Enter there orders)
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "StockByShopDialog")
