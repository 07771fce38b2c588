"""Each shop's own reorder threshold (临界值) of a part (issue 19, several shops): a small satellite shop and a big
flagship keep different levels. A shop's own threshold (part_stock.reorder_threshold) puts the part on that shop's
low stock and in its suggestions; NULL (cleared, or never set) means the catalogue's Part.reorder_threshold, as
before. Set from the parts screen's catalogue / low stock with `l` (manage_stock), one transaction with its event."""
from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from models.events import Event
from models.parts import Part, PartStock
from tests.test_query_budget import counted
from tests.test_stock_per_shop import group  # noqa: F401 (the fixture)
from workshop import parts, purchasing
from workshop.errors import InvalidInput, NotAllowed

# BP-100 (pieces): catalogue threshold 4; MAIN has 6 and EAST 6 on hand, so neither is low by the catalogue's.


@pytest.fixture
def stocked(group):  # noqa: F811
    shop = group
    parts.receive("BP-100", "6", by=shop.main_clerk)
    parts.receive("BP-100", "6", by=shop.east_clerk)
    return shop


def low(shop_id: int) -> list[str]:
    return [row.code for row in parts.low_stock(shop=shop_id)]


def suggested(shop_id: int) -> dict[str, D]:
    return {s.part_code: s.qty for s in purchasing.suggestions(shop=shop_id)}


def own(shop_id: int):
    return PartStock.get((PartStock.part == Part.get(Part.code == "BP-100").id) & (PartStock.shop == shop_id)).reorder_threshold


def events() -> list[Event]:
    return list(Event.select().where(Event.kind == "shop_threshold_set").order_by(Event.id))


def test_a_shops_own_threshold_puts_the_part_on_its_low_stock_and_in_its_suggestions_only(stocked):
    shop = stocked
    assert low(1) == low(shop.east) == [] and suggested(1) == suggested(shop.east) == {}
    assert parts.set_threshold("bp-100", "10", by=shop.east_clerk) == 10
    assert low(shop.east) == ["BP-100"] and low(1) == []
    assert suggested(shop.east) == {"BP-100": 14} and suggested(1) == {}  # back to twice 10: 20 - 6
    row = parts.low_stock(shop=shop.east)[0]
    assert (row.threshold, row.own_threshold, row.catalogue_threshold, row.suggested) == (10, True, 4, 14)
    catalogue = parts.catalog("BP", shop=1)[0]
    assert (catalogue.threshold, catalogue.own_threshold) == (4, False)
    # A shop's own threshold below the catalogue's keeps the part off its list where the catalogue's would not
    parts.count_stock("BP-100", "3", "damaged box", by=shop.main_clerk)
    assert low(1) == ["BP-100"]
    parts.set_threshold("BP-100", "2", by=shop.main_clerk)
    assert low(1) == [] and suggested(1) == {}
    assert suggested(shop.east) == {"BP-100": 14}


def test_clearing_returns_to_the_catalogues_threshold(stocked):
    shop = stocked
    parts.set_threshold("BP-100", "10", by=shop.east_clerk)
    assert parts.set_threshold("BP-100", "", by=shop.east_clerk) is None
    assert own(shop.east) is None
    assert low(shop.east) == [] and suggested(shop.east) == {}
    Part.update(reorder_threshold=D("8")).where(Part.code == "BP-100").execute()  # the catalogue's applies again
    assert low(shop.east) == low(1) == ["BP-100"]
    assert parts.low_stock(shop=shop.east)[0].own_threshold is False


def test_a_shop_without_stock_of_the_part_gets_its_row_made_with_the_threshold(group):  # noqa: F811
    shop = group
    assert PartStock.select().count() == 0
    parts.set_threshold("BP-100", "1", by=shop.east_clerk)
    assert own(shop.east) == 1 and PartStock.get().on_hand == 0
    assert low(shop.east) == ["BP-100"] and low(1) == ["BP-100"]  # 0 < 1 at EAST; 0 < the catalogue's 4 at MAIN


@pytest.mark.parametrize("typed, words", [
    ("1e3", "must be a number"), ("-1", "cannot be negative"), ("1000000", "cannot be more than 999,999"),
    ("2.5", "must be a whole number"), ("abc", "must be a number"),
])
def test_bad_values_are_refused_and_nothing_is_written(stocked, typed, words):
    shop = stocked
    parts.set_threshold("BP-100", "10", by=shop.east_clerk)
    with pytest.raises(InvalidInput) as refused:
        parts.set_threshold("BP-100", typed, by=shop.east_clerk)
    assert refused.value.field == "reorder_threshold"
    assert words in str(refused.value)
    assert own(shop.east) == 10 and len(events()) == 1


def test_decimal_units_take_decimals(stocked):
    shop = stocked
    Part.create(code="OIL-5W30", name="Engine oil", unit="L", sale_price=D("80"), unit_cost=D("40"),
                reorder_threshold=D("20"))
    assert parts.set_threshold("OIL-5W30", "12.5", by=shop.east_clerk) == D("12.5")
    with pytest.raises(InvalidInput, match="decimal places"):
        parts.set_threshold("OIL-5W30", "1.2345", by=shop.east_clerk)


def test_only_those_who_manage_stock_set_it(stocked):
    shop = stocked
    with pytest.raises(NotAllowed):
        parts.set_threshold("BP-100", "10", by=shop.advisor)
    assert own(shop.east) is None and own(1) is None and events() == []


def test_the_audit_row_says_who_which_shop_before_and_after(stocked):
    shop = stocked
    parts.set_threshold("BP-100", "10", by=shop.east_clerk)
    parts.set_threshold("BP-100", "10", by=shop.east_clerk)  # no change: no event
    parts.set_threshold("BP-100", None, by=shop.east_clerk)
    first, cleared = events()
    assert first.actor_id == shop.east_clerk.id and first.entity == "part"
    assert json.loads(first.before) == {"reorder_threshold": None, "shop": shop.east}
    assert json.loads(first.after) == {"reorder_threshold": "10", "shop": shop.east}
    assert first.summary == "BP-100: this shop's reorder threshold 4 → 10"
    assert json.loads(cleared.after) == {"reorder_threshold": None, "shop": shop.east}
    assert cleared.summary == "BP-100: this shop's reorder threshold 10 cleared (the catalogue's 4 applies)"


def test_low_stock_and_suggestions_take_the_same_number_of_queries(stocked):
    """The shop's own threshold is read in the same statements (a COALESCE over the joined part_stock row)."""
    shop = stocked
    parts.set_threshold("BP-100", "10", by=shop.east_clerk)
    with counted() as statements:
        parts.low_stock(shop=shop.east)
    assert len(statements) == 1
    with counted() as statements:
        assert suggested(shop.east) == {"BP-100": 14}
    assert len(statements) == 6  # as the docstring of purchasing.suggestions says


async def test_a_clerk_sets_and_clears_the_shops_threshold_from_the_parts_screen(stocked):
    """At 80x24 from the keyboard: `l` on the catalogue opens the form prefilled with the catalogue's 4; a refusal
    keeps what was typed; 10 becomes EAST's own and the part shows on EAST's low stock; emptied, it is cleared."""
    from tests.ui import app_as, parts_catalog, settled, wait_until
    shop = stocked
    async with app_as(shop.east_clerk).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        catalog = await parts_catalog(pilot)
        assert await wait_until(pilot, lambda: [r.code for r in catalog.items] == ["BP-100"])
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        field = app.screen.query_one("#field-reorder_threshold")
        assert field.value == "4"
        assert "catalogue's threshold applies" in str(app.screen.query_one(".form-intro").content)
        await pilot.press("backspace", *"1000000", "ctrl+s")  # above 999,999
        await settled(pilot)
        assert app.screen.__class__.__name__ == "FormDialog" and field.value == "1000000"
        assert "999999" in str(app.screen.query_one("#note-reorder_threshold").content)
        assert own(shop.east) is None
        await pilot.press(*["backspace"] * 7, "1", "0", "ctrl+s")
        assert await wait_until(pilot, lambda: own(shop.east) == 10)
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
        await pilot.press("3")
        low_table = app.screen.query_one("#low-table")
        assert await wait_until(pilot, lambda: [(r.code, r.threshold, r.own_threshold) for r in low_table.items]
                                == [("BP-100", 10, True)])
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        assert app.screen.query_one("#field-reorder_threshold").value == "10"
        assert "own threshold" in str(app.screen.query_one(".form-intro").content)
        await pilot.press("backspace", "backspace", "ctrl+s")
        assert await wait_until(pilot, lambda: own(shop.east) is None)
        assert await wait_until(pilot, lambda: low_table.items == [])
    assert own(1) is None


async def test_in_a_one_shop_database_it_is_that_shops_threshold(shop):
    """No group: the same key sets shop 1's threshold; submitting the catalogue's figure unchanged leaves it the
    catalogue's."""
    from tests.ui import app_as, notifications, parts_catalog, settled, wait_until
    Part.create(code="BP-100", name="Brake pads", unit="pc", sale_price=D("300"), unit_cost=D("150"),
                reorder_threshold=D("4"))
    async with app_as(shop.clerk).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        catalog = await parts_catalog(pilot)
        assert await wait_until(pilot, lambda: [r.code for r in catalog.items] == ["BP-100"])
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press("ctrl+s")  # the catalogue's 4, unchanged
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
        await settled(pilot)
        assert PartStock.select().count() == 0 and events() == []
        assert "BP-100: the catalogue's reorder threshold applies." in notifications(app)
        await pilot.press("l")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press("backspace", "0", "ctrl+s")
        assert await wait_until(pilot, lambda: PartStock.select().count() == 1)
        assert own(1) == 0 and low(1) == []  # 0: this shop keeps none in stock, whatever the catalogue says
