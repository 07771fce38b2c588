"""The parts clerk works the pick queue with the keyboard."""
from decimal import Decimal

from models.parts import Part, PartLine
from screens.paged import PagedTable
from tests.ui import app_as, notifications, settled, wait_until
from workshop import parts
from tests.factories import stock


def _queue(app):
    return app.screen.query_one("#queue-table", PagedTable)


async def test_clerk_picks_the_most_urgent_line_with_enter(shop):
    Part.create(code="OF-001", name="Oil filter", unit="pc", bin="A-01-1", sale_price=Decimal("45"))
    parts.receive("OF-001", "3", by=shop.clerk)
    later = shop.in_progress(shop.car, hours_ahead=8)
    sooner = shop.in_progress(shop.car2, bay=1, hours_ahead=1)
    parts.add_part_line(later.id, "OF-001", "1", by=shop.dispatcher)
    urgent = parts.add_part_line(sooner.id, "OF-001", "2", by=shop.dispatcher)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
        table = _queue(app)
        assert [r.order_number for r in table.items] == [sooner.number, later.number]
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: PartLine.get_by_id(urgent.id).picked == 2)
        assert stock("OF-001").on_hand == 1
        assert any("Picked 2 pc OF-001" in m for m in notifications(app))
        assert [r.order_number for r in _queue(app).items] == [later.number]


async def test_picking_more_than_on_hand_shows_why_and_changes_nothing(shop):
    Part.create(code="OF-001", name="Oil filter", unit="pc", bin="A-01-1", sale_price=Decimal("45"))
    parts.receive("OF-001", "1", by=shop.clerk)
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "3", by=shop.dispatcher)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
        await pilot.press("q")
        await pilot.press("3", "enter")
        await settled(pilot)
        form = app.screen
        assert form.__class__.__name__ == "FormDialog"  # still open: the refusal beside the quantity
        assert "can be picked" in str(form.query_one("#note-qty").content)
        assert form.raw("qty") == "3"
        assert PartLine.get_by_id(line.id).picked == 0
        assert stock("OF-001").on_hand == 1


async def test_cashier_does_not_get_the_parts_screen(shop):
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "PartsScreen"
