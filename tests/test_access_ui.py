"""Managers manage staff; anyone allowed reads the audit trail, filtered and paged."""
from models.events import Event
from models.people import Staff
from tests.ui import app_as, settled, wait_until
from workshop import accounts


async def test_manager_adds_a_staff_member_who_can_then_sign_in(shop):
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "StaffScreen")
        await pilot.press("a")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press(*"Wu Fang", "tab", *"wu.fang", "tab", *["down"] * 6, "space")  # roles: cashier
        await pilot.press("tab", "tab", *"5678", "ctrl+s")
        assert await wait_until(pilot, lambda: Staff.get_or_none(Staff.login == "wu.fang") is not None)
    new = Staff.get(Staff.login == "wu.fang")
    assert new.roles == "cashier"
    assert accounts.sign_in(new.id, "5678").id == new.id


async def test_bad_staff_form_shows_why_and_adds_nobody(shop):
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "StaffScreen")
        await pilot.press("a")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press(*"Wu Fang", "tab", *"li.wei", "tab", *["down"] * 6, "space")
        await pilot.press("tab", "tab", *"5678", "ctrl+s")
        await settled(pilot)
        form = app.screen  # refused: the message beside the login, every value kept
        assert "is taken" in str(form.query_one("#note-login").content)
        assert (form.raw("name"), form.raw("login"), form.raw("roles"), form.raw("pin")) == (
            "Wu Fang", "li.wei", ["cashier"], "5678")
        assert app.focused is form.widget("login")
    assert Staff.select().where(Staff.name == "Wu Fang").count() == 0


async def test_a_cashier_cannot_open_the_staff_screen(shop):
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "StaffScreen"


async def test_audit_trail_filters_by_order_and_pages(shop):
    order = shop.dispatched()
    for i in range(130):
        Event.create(at=order.time_in, kind="note", entity="repair_order", entity_id=order.id, summary=f"n{i}")
    app = app_as(shop.manager)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "AuditScreen")
        screen = app.screen
        assert await wait_until(pilot, lambda: len(screen.rows) == 100 and screen.has_more)
        await pilot.press(">")                         # pages are read in a worker
        assert await wait_until(pilot, lambda: len(screen.rows) == Event.select().count() - 100)
        await pilot.press("<")
        assert await wait_until(pilot, lambda: screen.rows[0].summary == "n129")
        screen.query_one("#ro").value = str(order.number)
        await pilot.press("slash")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: all(r.order_number == order.number for r in screen.rows))
        kinds = {r.kind for r in screen.rows}
        assert {"order_created", "dispatch"} <= kinds and "note" not in kinds


async def test_an_ro_filter_that_is_not_a_number_is_a_message_not_a_crash(shop):
    from tests.ui import notifications
    shop.dispatched()
    app = app_as(shop.manager)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("f9")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "AuditScreen")
        for typed in ("1" * 40, "RO" + "9" * 25):  # SQLite cannot take such a number: it is a message
            shown = len(notifications(app))
            app.screen.query_one("#ro").value = typed
            await pilot.press("slash", "enter")
            assert await wait_until(pilot, lambda shown=shown: len(notifications(app)) > shown)
            assert app.is_running and "RO number is digits only" in notifications(app)[-1]
