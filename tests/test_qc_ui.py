"""The inspector works the QC queue with the keyboard."""
from models.orders import RepairOrder
from models.qc import ChecklistItem, Inspection
from tests.ui import app_as, notifications, row_text, settled, wait_until


def _items():
    return [ChecklistItem.create(business_type="maintenance", position=i, text=t)
            for i, t in enumerate(("Fluid levels", "Torque marks", "Road test"))]


async def test_inspector_passes_a_car_with_keys(shop):
    _items()
    order = shop.ready_for_qc()
    app = app_as(shop.inspector)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QCScreen")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "InspectionScreen")
        await pilot.press("p", "n", "p", "ctrl+s")
        assert await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "ready_settlement")
        assert Inspection.get().result == "pass"
        assert any("passed QC" in m for m in notifications(app))


async def test_failed_item_needs_a_note_and_a_fail_goes_back_to_the_board_with_its_reason(shop):
    _items()
    order = shop.ready_for_qc()
    app = app_as(shop.inspector)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QCScreen")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "InspectionScreen")
        await pilot.press("p", "f")
        await pilot.press("enter")  # no note: refused in the dialog, which stays open
        assert app.screen.__class__.__name__ == "FormDialog"
        assert "needed" in str(app.screen.query_one("#note-note").content)
        await pilot.press(*"no torque mark", "enter")
        await pilot.press("a", "ctrl+r")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press(*"torque marks missing", "tab")
        await pilot.press("enter", "down", "enter")  # the responsible technician, from the list
        await pilot.press("enter")  # (penalty left empty) sign
        assert await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "in_progress")
        fresh = RepairOrder.get_by_id(order.id)
        assert fresh.rework and fresh.rework_reason == "torque marks missing"
        assert Inspection.get().responsible_id == shop.techs[0].id


async def test_signing_says_up_front_which_item_is_unchecked(shop):
    _items()
    order = shop.ready_for_qc()
    app = app_as(shop.inspector)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f6")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QCScreen")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "InspectionScreen")
        await pilot.press("p", "ctrl+r")  # one item of three checked: no form asks for a reason first
        await settled(pilot)
        assert app.screen.__class__.__name__ == "InspectionScreen"
        assert any("'Torque marks'" in n and "2 items" in n for n in notifications(app))
        assert app.screen.query_one("#items").cursor_row == 1  # on the first unchecked item
        assert RepairOrder.get_by_id(order.id).state == "ready_qc"


async def test_a_refused_fail_keeps_everything_typed_and_says_why_beside_the_field(shop, monkeypatch):
    from workshop import qc
    from workshop.errors import InvalidInput
    _items()
    order = shop.ready_for_qc()
    real_sign = qc.sign
    calls = []

    def refusing_sign(*args, **kwargs):  # e.g. another rule about penalties: refused, naming the field
        calls.append(kwargs)
        if len(calls) == 1:
            raise InvalidInput("A penalty above 300 needs the manager.", "penalty")
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(qc, "sign", refusing_sign)
    app = app_as(shop.inspector)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QCScreen")
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "InspectionScreen")
        await pilot.press("a", "ctrl+r")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        form = app.screen
        await pilot.press(*"loose wheel nut", "tab", "enter", "down", "enter", *"500", "enter")
        await settled(pilot)
        assert app.screen is form  # still open, every value kept
        assert form.raw("rework_reason") == "loose wheel nut" and form.raw("responsible") == shop.techs[0].id
        assert form.raw("penalty") == "500"
        assert "above 300" in str(form.query_one("#note-penalty").content)
        assert app.focused is form.widget("penalty")
        assert RepairOrder.get_by_id(order.id).state == "ready_qc"
        await pilot.press("backspace", "backspace", "backspace", *"200", "enter")
        assert await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "in_progress")
        assert Inspection.get().penalty == 200


async def test_manager_edits_a_checklist_from_the_quality_screen(shop):
    _items()
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QualityScreen")
        await pilot.press("c")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ChecklistScreen")
        await pilot.press("a", *"Tyre pressures set", "enter")
        assert await wait_until(pilot, lambda: ChecklistItem.select().where(ChecklistItem.text == "Tyre pressures set").exists())
        await pilot.press("home", "d")
        assert await wait_until(pilot, lambda: not ChecklistItem.get(ChecklistItem.text == "Fluid levels").active)


async def test_quality_figures_are_worked_out_in_the_background_and_shown_per_period(shop):
    from textual.widgets import ProgressBar

    from workshop import qc
    items = _items()
    order = shop.ready_for_qc()
    qc.sign(order.id, {item.id: ("pass", "") for item in items}, passed=True, by=shop.inspector)
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QualityScreen")
        screen = app.screen
        shop_row = screen.query_one("#shop")
        assert await wait_until(pilot, lambda: shop_row.row_count == 1)
        assert row_text(shop_row, 0)[:3] == ["Whole shop", "1", "100.0%"]  # one inspected, passed first time
        assert not screen.query_one("#working", ProgressBar).display
        assert "last 30 days" in str(screen.query_one("#period").content)
        await pilot.press("y")
        assert await wait_until(pilot, lambda: "last 12 months" in str(screen.query_one("#period").content)
                                and shop_row.row_count == 1)
        assert "target: rework under 2%" in str(screen.query_one("#period").content)


async def test_the_quality_screen_answers_keys_while_a_long_report_is_worked_out(shop, monkeypatch):
    import threading

    from textual.widgets import ProgressBar

    from workshop import quality
    release, real_report = threading.Event(), quality.report

    def slow_report(start, end, progress=None):  # a year of a large shop: seconds
        progress(1, quality.STEPS)
        release.wait(10)
        return real_report(start, end, progress)

    monkeypatch.setattr(quality, "report", slow_report)
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QualityScreen")
        screen = app.screen
        bar = screen.query_one("#working", ProgressBar)
        assert await wait_until(pilot, lambda: bar.progress == 1)
        assert bar.display and "working out the figures" in str(screen.query_one("#period").content)
        await pilot.press("escape")  # the terminal is not frozen: back to the board at once
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BoardScreen")
        release.set()
        await pilot.pause(0.2)


async def test_figures_that_cannot_be_worked_out_say_so_and_the_terminal_goes_on(shop, monkeypatch):
    from workshop import quality

    def broken_report(start, end, progress=None):
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(quality, "report", broken_report)
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "QualityScreen")
        period = app.screen.query_one("#period")
        assert await wait_until(pilot, lambda: "could not be worked out" in str(period.content))
        assert "disk I/O error" in str(period.content)
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BoardScreen")
