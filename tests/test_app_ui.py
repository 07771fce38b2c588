"""Signing in, the command palette and screens a role may open."""
import pytest

from models.events import Event
from screens.board import BoardScreen
from screens.app import WorkshopApp
from tests.factories import TEST_PIN
from tests.ui import app_as, notifications, wait_until


@pytest.fixture
def quick_idle(monkeypatch):
    """Building ahead steps every 0.2 s instead of every second (it waits as long for idleness)."""
    import screens.app
    monkeypatch.setattr(screens.app, "BUILD_AHEAD_EVERY_S", 0.2)


async def test_staff_signs_in_with_pin_and_lands_on_board(shop):
    app = WorkshopApp(poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = pilot.app.screen
        options = screen.query_one("#staff-list")
        index = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == str(shop.dispatcher.id))
        options.highlighted = index
        await pilot.press("enter")
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "Wrong PIN" in str(screen.query_one("#sign-error").content)
        await pilot.press(*TEST_PIN, "enter")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
        assert pilot.app.staff.id == shop.dispatcher.id
        assert Event.select().where((Event.kind == "signed_in") & (Event.actor == shop.dispatcher.id)).exists()


def palette_shows(app, text: str) -> bool:
    """The command palette lists an option with this text (first, or after others)."""
    options = app.screen.query_one("CommandList")
    return any(text in str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def test_palette_finds_order_by_plate_and_opens_it(shop):
    order = shop.order()
    async with app_as(shop.dispatcher).run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"B12345")
        # The orders come from a worker once typing pauses, after the palette's own commands.
        assert await wait_until(pilot, lambda: palette_shows(pilot.app, f"RO {order.number}"))
        await pilot.press("down", "enter")
        assert await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderDetailScreen")
        assert pilot.app.screen.order_id == order.id


async def test_palette_finds_a_delivered_order_from_the_history_by_phone(shop):
    order = shop.delivered(shop.car2)
    async with app_as(shop.advisor).run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"13900001111")
        assert await wait_until(pilot, lambda: palette_shows(pilot.app, f"RO {order.number}"))
        await pilot.press("down", "enter")
        assert await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderDetailScreen")
        assert pilot.app.screen.order_id == order.id


async def test_cashier_is_told_who_may_open_reception(shop):
    async with app_as(shop.cashier).run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(pilot.app.screen, BoardScreen)
        assert any("Reception is for" in n and "service advisor" in n for n in notifications(pilot.app))


async def test_idle_terminal_builds_the_screens_its_role_may_open_and_shows_them_as_built(shop, quick_idle):
    shop.ready_for_settlement(shop.car2)
    async with app_as(shop.cashier, build_ahead=True).run_test(size=(120, 40)) as pilot:
        kept = pilot.app.kept
        # Nobody types: the cashier's screens are built in the background, the order screen first.
        assert await wait_until(pilot, lambda: "order" in kept.missed and pilot.app._building is None, rounds=400)
        assert "cashier" in kept.missed and "parts" not in kept.missed  # only what a cashier may open
        assert isinstance(pilot.app.screen, BoardScreen)  # built out of sight: the board stayed on screen
        built = pilot.app.get_screen("cashier")
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: pilot.app.screen is built)
        assert "粤A88888" in str(built.query_one("#orders").get_row_at(0))  # its data was read when built


async def test_screens_built_ahead_are_laid_out_out_of_sight_and_again_at_a_new_size(shop, quick_idle):
    async with app_as(shop.cashier, build_ahead=True).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        # Building ends once every screen is built, laid out and drawn (each a step while idle).
        assert await wait_until(pilot, lambda: "order" in app.kept.missed and app._building is None, rounds=600)
        built = app.get_screen("cashier")
        assert isinstance(app.screen, BoardScreen)
        assert built.size == (120, 40) and built.query_one("#orders").size.width > 0  # laid out unseen
        await pilot.resize_terminal(90, 30)
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: app.screen is built)
        orders = built.query_one("#orders")
        # laid out again for the new size (when its resume is handled: waited for, however loaded the machine)
        assert await wait_until(pilot, lambda: built.size == (90, 30) and 0 < orders.region.right <= 90)


@pytest.mark.sqlite_only  # the inotify watcher; PostgreSQL's: tests/test_pg_feed.py
async def test_an_idle_terminal_wakes_for_nothing(shop, monkeypatch):
    """Idle costs nothing: no commit, no key, no wake-up of the change watcher, and the collection in
    pauses runs once after the start's activity and is not asked again (it was asked twice a second,
    the watcher twenty times)."""
    from screens.app import WorkshopApp
    collections = []
    collect = WorkshopApp.collect_when_idle

    def counted(self):
        collections.append(1)
        collect(self)

    monkeypatch.setattr(WorkshopApp, "collect_when_idle", counted)
    # (build_ahead=False: building ahead is a step a second until the screens are built; what this
    # test is about is the terminal once it has nothing left to do)
    async with app_as(shop.dispatcher, build_ahead=False).run_test(size=(100, 30)) as pilot:
        app = pilot.app
        assert await wait_until(pilot, lambda: app.watcher.inotify is not None and len(collections) >= 1)
        wakes, asked = app.watcher.wakes, len(collections)
        await pilot.pause(3.0)  # three seconds of nobody doing anything
        assert app.watcher.inotify and app.watcher.wakes == wakes
        assert len(collections) == asked


@pytest.mark.parametrize("idle_s", [0.1, 0.3, 0.45, 0.6, 0.8, 1.0])
async def test_quitting_while_a_screen_is_built_out_of_sight_fails_nothing(shop, quick_idle, idle_s):
    """Ctrl+Q at any moment of building ahead: the app waits for the screen being built to be mounted
    (tens of milliseconds) before it closes, instead of cutting its mounting short (its handlers then
    failed on missing widgets, and the app ended with a traceback)."""
    app = WorkshopApp(auto_staff=shop.manager, build_ahead=True)  # (not PilotApp: the user's way out)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5 + idle_s)  # the manager's screens are being built, one every 0.2 s
        await pilot.press("ctrl+q")
        for _ in range(200):
            if app._exit:
                break
            await pilot.pause(0.01)
        assert app._exit
