"""Every word on every screen goes through translation: each role walks its screens, their tabs and
dialogs in a pseudo-locale (tests/pseudo.py) where every translated message has its letters changed, so
a plain English word left on screen escaped translation. Data (names, plates, codes, statements) and
key names are allowed."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.orders import RepairOrder
from models.parts import Part
from models.qc import ChecklistItem
from screens import registry
from tests.factories import make_vehicle
from tests.pseudo import kept_words, pseudo_locale, stored_words, untranslated
from tests.test_hostile_text import screen_text
from tests.ui import app_as, settled, wait_until
from workshop import callbacks, clock, parts

ROLES = ["manager", "advisor", "dispatcher", "clerk", "inspector", "cashier", "agent", "technician"]

# What each screen is walked through after it opens, step by step, every step read: "k" presses k (a
# tab, another list, a screen on top); "!k" opens a dialog with k, reads it and closes it with Esc;
# "type:text" types into the focused box. Keys a role may not use open nothing (then nothing is read).
# Every screen also gets "!f1" (the keys screen) first.
WALKS: dict[str, list[str]] = {
    "board": ["!f", "!ctrl+p", "ctrl+p", "type:12", "escape", "l", "l", "!d", "!x", "!enter"],
    "bays": [],
    "reception": ["type:粤B77777", "enter"],
    "parts": ["!q", "!r", "!x", "!o", "2", "!g", "!c", "!m", "3", "4"],
    "qc": ["enter", "!f1", "!f", "a", "!ctrl+r", "escape"],
    "cashier": ["!m", "!e", "!a", "!v", "!u", "b", "c"],
    "callbacks": ["!enter", "!R", "2", "!s", "3", "4"],
    "audit": [],
    "staff": ["!a", "!r", "!p", "!l"],
    "quality": ["y", "c", "!a", "escape"],
    "order": ["!a", "!k", "!b", "!m", "tab", "tab", "!r", "!x", "!O", "!e", "!y"],
    "myjobs": ["!r", "!i", "!t"],
    "setup": ["2", "!a", "!e", "3", "!a", "!k", "4", "!a", "5", "!a", "6", "!a", "7", "!e", "!i"],
    "appointments": ["!n", "2", "3", "4", "5"],
    "tools": ["!a", "!h", "2", "3"],
    "labour": ["!enter", "!s"],
    "warranty": ["!f", "2", "3", "4", "5", "6"],
    "vehicle file": [],
    "customer file": [],
}
# Each screen's further walk where it has more tabs than the walk above (main's follow-up, cashier and
# parts screens grew tabs for campaigns, the call register, insurers, purchase orders and pre-picks).
WALKS["callbacks"] += ["5", "6", "!i", "!w", "7"]
WALKS["cashier"] += ["n"]
WALKS["parts"] += ["5", "6", "!u", "7"]


@pytest.fixture
def walk_shop(shop):
    """A shop with an order in each part of the service, a part short, a complaint, a call due."""
    shop.ready_for_settlement(shop.car2)
    ChecklistItem.create(business_type="maintenance", position=1, text="Wheel nuts torqued", text_zh="轮胎螺母扭矩")
    shop.ready_for_qc(shop.car3)
    Part.create(code="OF-001", name="Oil filter", name_zh="机油滤清器", unit="pc", bin="A-01-1",
                sale_price=Decimal("45"), threshold=5)
    parts.receive("OF-001", "1", by=shop.clerk)
    in_bay = shop.in_progress(shop.car, bay=1)
    parts.add_part_line(in_bay.id, "OF-001", "3", by=shop.dispatcher)
    gone = shop.delivered(make_vehicle("粤B99999", "LVGBM53K5RG000009", shop.customer))
    callbacks.raise_complaint(shop.customer.id, "Noise after the service", by=shop.agent, order_id=gone.id)
    clock.advance(days=3)  # the first follow-up call is due
    shop.technician = shop.techs[0]
    # A car booked for this afternoon: the board's lane of expected arrivals and the appointments' day.
    from workshop import appointments
    booked = make_vehicle("粤B55555", "LVGBM53K5RG000055", shop.customer)
    today = clock.now().date()
    appointments.book(appointments.AppointmentForm(
        vehicle_id=booked.id, starts_at=dt.datetime.combine(today, dt.time(14, 0)), operation_codes=["QS001"]),
        by=shop.advisor)
    return shop


# English on screen that is neither data nor a key, and is meant to stay: each with why. (Every other
# word of ASCII letters on a screen in the pseudo-locale fails the walk.)
ALLOWED = {
    "OIL": "the set-up's kit form shows typed part codes as its example: OF-M20A*1; OIL-0W20*4.5",
    "null": "a structured setting (warranty claim terms per maker) is shown and typed as the JSON it is",
}


def allowed_words(app) -> set[str]:
    """Data and key names: every word stored in the database, every key as the key bar shows it; the
    settings' defaults (the shop's name until it sets its own); each language named in its own words."""
    import re
    from workshop import settings
    from workshop.i18n import LANGUAGES
    words = stored_words() | kept_words() | set(ALLOWED)
    for value in [*settings.DEFAULTS.values(), *LANGUAGES.values()]:
        words.update(re.findall(r"[A-Za-z]{2,}", str(value)))
    for screen in app.screen_stack:
        for _key, (_node, binding, _enabled, _tooltip) in screen.active_bindings.items():
            words.update(w.lower() for w in app.get_key_display(binding).replace("+", " ").split())
    words.update({"esc", "enter", "tab", "ctrl", "shift", "pgup", "pgdn", "home", "end", "space", "del"})
    return words


@pytest.mark.parametrize("role", ROLES)
async def test_every_screen_of_every_role_is_translated(walk_shop, role):
    from workshop.permissions import can
    staff = getattr(walk_shop, role)
    with pseudo_locale():
        app = app_as(staff)
        found: dict[str, list[str]] = {}
        seen: list[str] = []
        async with app.run_test(size=(160, 50), notifications=True) as pilot:
            allowed = allowed_words(app)

            def look(where: str) -> None:
                seen.append(where)
                bad = untranslated(screen_text(app.screen), allowed | allowed_words(app))
                if bad:
                    found[where] = bad

            async def back_to_board() -> None:
                for _try in range(5):
                    if app.screen.__class__.__name__ == "BoardScreen":
                        return
                    await pilot.press("escape")
                    await pilot.pause(0.1)
                assert app.screen.__class__.__name__ == "BoardScreen", app.screen

            async def visit(name: str) -> None:
                await settled(pilot)  # (reports come from a worker)
                look(name)
                for step in ["!f1", *WALKS.get(name, [])]:
                    if step.startswith("type:"):
                        await pilot.press(*step[5:])
                    elif step.startswith("!"):
                        screen = app.screen
                        await pilot.press(step[1:])
                        await settled(pilot)
                        if app.screen is not screen:
                            look(f"{name}: dialog {step[1:]}")
                            await pilot.press("escape")
                            assert await wait_until(pilot, lambda under=screen: app.screen is under), f"{name} {step}"
                        continue
                    else:
                        await pilot.press(step)
                    await settled(pilot)
                    look(f"{name} after {step}")

            await visit("board")
            for entry in registry.ENTRIES:  # every screen of the registry this role may open
                if entry.name == "board" or (entry.action and not can(staff, entry.action)):
                    continue
                app.open_screen(entry.name)  # (F12 and the palette's screens: opened by name)
                assert await wait_until(pilot, lambda: app.screen.__class__.__name__ != "BoardScreen"
                                        and app.screen.is_attached), entry.name
                await visit(entry.name)
                await back_to_board()
            order = RepairOrder.get(RepairOrder.vehicle == walk_shop.car.id)
            app.open_order(order.id)
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "OrderDetailScreen")
            await visit("order")
            await back_to_board()
            if can(staff, "view_customer_file"):  # the car's file and its owner's (from the palette)
                from screens.customer_file import open_customer_file, open_vehicle_file
                open_vehicle_file(app, walk_shop.car.id)
                assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "VehicleFileScreen")
                await visit("vehicle file")
                await back_to_board()
                open_customer_file(app, walk_shop.customer.id)
                assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CustomerFileScreen")
                await visit("customer file")
    # (the walk reached what it meant to read: each screen's keys, and a dialog of the board)
    assert "board: dialog f1" in seen and "order: dialog f1" in seen, seen
    if role in ("manager", "dispatcher"):
        assert "board: dialog d" in seen, seen
    assert not found, "untranslated text:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


async def test_the_sign_in_screen_is_translated(walk_shop):
    from screens.app import WorkshopApp
    from workshop import accounts
    accounts.mark_demo_shop()  # (the sign-in screen then says the demo PIN)
    with pseudo_locale():
        app = WorkshopApp(poll_seconds=0.05, build_ahead=False, time_rules=False,
                          first_run_message="New shop")
        async with app.run_test(size=(100, 40)) as pilot:
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "SignInScreen")
            await pilot.pause()
            allowed = allowed_words(app) | {"New", "shop"}  # (the first-run message: the CLI's, translated there)
            found = untranslated(screen_text(app.screen), allowed)
            await pilot.press("enter")  # a name picked: the PIN box
            await pilot.pause()
            found += untranslated(screen_text(app.screen), allowed)
            await pilot.press(*"0000", "enter")  # a wrong PIN: the refusal
            assert await wait_until(pilot, lambda: "0000" not in str(app.screen.query_one("#pin").value))
            await pilot.pause(0.5)
            found += untranslated(screen_text(app.screen), allowed)
    assert not found, "untranslated text:\n" + "\n".join(found)


async def test_the_shop_floor_sign_in_is_translated(walk_shop):
    """The shop-floor terminal's sign-in (badge number and PIN), and its refusal of a wrong badge."""
    from screens.app import WorkshopApp
    from workshop import accounts
    accounts.mark_demo_shop()
    with pseudo_locale():
        app = WorkshopApp(poll_seconds=0.05, build_ahead=False, time_rules=False, shop_floor=True)
        async with app.run_test(size=(100, 40)) as pilot:
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BadgeSignInScreen")
            await pilot.pause()
            allowed = allowed_words(app)
            found = untranslated(screen_text(app.screen), allowed)
            await pilot.press(*"999", "enter", *"0000", "enter")  # a badge nobody has: the refusal
            assert await wait_until(pilot, lambda: str(app.screen.query_one("#sign-error").content).strip())
            await pilot.pause(0.3)
            found += untranslated(screen_text(app.screen), allowed)
    assert not found, "untranslated text:\n" + "\n".join(found)
