"""A real shop from day one, from the keyboard at 80x24: the first manager of `workshop --empty` is taken to the
set-up, adds a bay, a rate, a class, an operation with its kit; reception registers a customer with a car; the
manager gives the customer the class in the customer's file; an advisor checks the car in and the bill gives the
class discount; the insurance expiry typed in the car's file puts the customer on the renewal list."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from models.orders import JobLine, RepairOrder
from models.people import Customer, Vehicle
from models.shop import Bay, LaborRate, Operation
from screens.customer_file import CustomerFileScreen, VehicleFileScreen
from screens.reception import ReceptionScreen
from screens.setup import ShopSetupScreen
from tests.factories import make_staff
from tests.ui import app_as, notifications, settled, wait_until
from workshop import accounts, catalog, parts_import, reminders
from workshop.settlement import bill_for
from workshop.vins import with_check_digit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
KEYS: dict[str, int] = {}


async def press(pilot, what: str, *keys: str) -> None:
    """Press keys as a user would, counting them per step (the figures the README quotes)."""
    KEYS[what] = KEYS.get(what, 0) + len(keys)
    await pilot.press(*keys)


async def test_an_empty_shop_is_set_up_from_the_keyboard_and_checks_in_its_first_car_with_the_class_discount(
        db_path, frozen_clock):
    manager, _pin = accounts.ensure_first_manager()
    parts_import.import_parts(SEEDS / "import-parts.csv", by=manager)   # the parts clerk's `workshop import parts`
    async with app_as(manager).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert await wait_until(pilot, lambda: isinstance(app.screen, ShopSetupScreen)
                                and str(app.screen.query("#start-steps").first().content) if
                                app.screen.query("#start-steps") else False)   # walked to the set-up
        steps = str(app.screen.query_one("#start-steps").content)
        assert "✗ Bays" in steps and "✗ Labour rates" in steps and "✗ Operations catalog" in steps

        await press(pilot, "bay", "2", "a", *"M1", "tab", *"Mechanical 1", "ctrl+s")
        await settled(pilot)
        assert Bay.get(Bay.code == "M1").kind == "mechanical"

        await press(pilot, "operation", "3", "a", *"ME001", "tab", *"Oil and filter change", "tab",
                    *"更换机油机滤", "tab", "tab", *"1", "ctrl+s")
        await settled(pilot)
        op = Operation.get(Operation.code == "ME001")
        assert (op.trade, op.standard_hours, op.name_zh) == ("mechanical", Decimal("1.00"), "更换机油机滤")
        await press(pilot, "kit", "k", "tab", "ctrl+a", "ctrl+k", *"OF-M20A*1", "ctrl+s")   # the general kit
        await settled(pilot)
        # A series no car on file has yet: typed, with its own kit (a Camry takes 4 L of 0W-20 too).
        await press(pilot, "kit", "k", *"Camry", "tab", *"OF-M20A*1; OIL-0W20*4", "ctrl+s")
        await settled(pilot)
        kits = catalog.operation_detail(op.id).kits
        assert [(l.code, l.qty) for l in kits[""]] == [("OF-M20A", Decimal("1"))]
        assert [(l.code, l.qty) for l in kits["Camry"]] == [("OF-M20A", Decimal("1")), ("OIL-0W20", Decimal("4"))]

        await press(pilot, "rate", "4", "a", *"180", "ctrl+s")       # the form starts at the rate the catalog lacks
        await settled(pilot)
        assert LaborRate.get(LaborRate.trade == "mechanical").rate == Decimal("180.00")

        await press(pilot, "class", "5", "a", *"VIP", "tab", *"贵宾", "tab", *"15", "tab", *"8",
                    "ctrl+s")
        await settled(pilot)
        await press(pilot, "start", "1")
        assert "Ready for the first check-in." in str(app.screen.query_one("#start-steps").content)

        # Reception: the car is not on file; register it and its owner.
        await press(pilot, "register", "f4")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReceptionScreen))
        vin = with_check_digit("LVGBM53K0RG200001")
        await press(pilot, "register", *"粤B67890", "enter")
        await press(pilot, "register", "tab", *vin, "tab", "tab", *"ca", "right", "tab", *"Camry 2.0", "tab", "tab",
                    *"Chen Jing", "tab", *"+86 139 2222 3333", "ctrl+r")      # "ca" → the series the kit named
        await settled(pilot)
        car = Vehicle.get(Vehicle.plate == "粤B67890")
        assert Customer.get_by_id(car.customer_id).mobile == "13922223333" and car.series == "Camry"

        # The car's file, then the owner's: give the class; then the insurance expiry.
        await press(pilot, "file", "ctrl+o")
        assert await wait_until(pilot, lambda: isinstance(app.screen, VehicleFileScreen))
        await press(pilot, "file", "c")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CustomerFileScreen))
        await press(pilot, "file", "e", *["tab"] * 10, "enter", "down", "enter", "ctrl+s")   # Class: VIP
        await settled(pilot)
        owner = Customer.get_by_id(car.customer_id)
        assert owner.customer_class.name == "VIP" and owner.class_until == dt.date(2027, 11, 20)
        await press(pilot, "file", "escape")
        assert await wait_until(pilot, lambda: isinstance(app.screen, VehicleFileScreen))
        await press(pilot, "insurance", "e", *["tab"] * 14, *"PICC", "tab", *"2026-12-30", "ctrl+s")
        await settled(pilot)
        assert Vehicle.get_by_id(car.id).insurance_expiry == dt.date(2026, 12, 30)
        assert [r.plate for r in reminders.due("insurance")] == ["粤B67890"]   # 40 days ahead: on the 45-day list
        assert not [m for m in notifications(app) if "could not" in m]

    advisor = make_staff("li.wei", "Li Wei", "advisor")
    async with app_as(advisor).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await press(pilot, "check in", "f4")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ReceptionScreen))
        await press(pilot, "check in", *"粤B67890", "enter", *"12000", "tab", "tab", *"Oil change", "ctrl+e")
        await settled(pilot)
        # No operation typed yet: the estimate says what is missing, where it goes; nothing is written
        assert RepairOrder.select().count() == 0 and app.focused.id == "operations"
        await press(pilot, "check in", *"ME001", "ctrl+e")
        await settled(pilot)
        shown = str(app.screen.query_one("#estimate").content)
        # 180 less 15%; the Camry kit: 58 + 4 x 78 less 8%
        assert "Estimate CN¥493.40" in shown and "labour CN¥153.00" in shown and "parts CN¥340.40" in shown
        await press(pilot, "check in", "ctrl+s")
        await settled(pilot)
    order = RepairOrder.get()
    line = JobLine.get(JobLine.order == order.id)
    bill = bill_for(order.id)
    assert (line.code, line.rate) == ("ME001", Decimal("180.00"))
    assert bill.labor_lines[0].discount == Decimal("27.00")                 # the VIP's 15% labour discount
    assert [(p.code, p.discount) for p in bill.part_lines] == [("OF-M20A", Decimal("4.64")),   # and 8% on the
                                                               ("OIL-0W20", Decimal("24.96"))]  # Camry's kit
    assert order.estimate == bill.total == Decimal("493.40")
    print("keys per step:", KEYS)


async def test_a_setting_out_of_bounds_is_refused_beside_its_field_and_a_good_one_is_saved(shop):
    from workshop import settings
    async with app_as(shop.manager).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.press("f12")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ShopSetupScreen))
        await pilot.press("7")
        await settled(pilot)
        table = app.screen.query_one("#settings-table")
        index = next(i for i, row in enumerate(table.items) if row.key == "insurance_notice_days")
        table.move_cursor(row=index)
        await pilot.pause()
        about = str(app.screen.query_one("#setting-about").content)   # what it means, bounds, default
        assert "renew this many days before" in about and "1 to 180 days" in about and "default: 45" in about
        await pilot.press("enter", *"400", "ctrl+s")
        await settled(pilot)
        form = app.screen
        assert "At most 180" in str(form.query_one("#note-insurance_notice_days").content)
        await pilot.press("ctrl+a", "ctrl+k", *"60", "ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, ShopSetupScreen)
    assert settings.get("insurance_notice_days") == 60


async def test_the_set_up_key_shows_to_managers_only(shop):
    from screens.keybar import KeyBar
    for person, shown in ((shop.manager, True), (shop.advisor, False)):
        async with app_as(person).run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            keys = [key for key, _shown, _description, _enabled in pilot.app.screen.query_one(KeyBar).keys()]
            assert ("f12" in keys) is shown
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ShopSetupScreen) is shown


async def test_the_sign_in_list_lights_the_first_name_and_finds_one_by_its_first_letters(shop):
    from textual.widgets import OptionList
    from screens.app import WorkshopApp
    from screens.signin import SignInScreen
    async with WorkshopApp(build_ahead=False, time_rules=False).run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))
        names = pilot.app.screen.query_one("#staff-list", OptionList)
        await pilot.pause()
        people = list(pilot.app.screen.people.values())
        assert names.highlighted == 0 and people[0].name == "He Ping"
        await pilot.press(*"zh")
        assert people[names.highlighted].name == "Zhang Lei"
        await pilot.press("o")
        assert people[names.highlighted].name == "Zhou Min"
        await pilot.pause(1.2)                         # a pause: the next letters start a new name
        await pilot.press("l", "i")
        assert people[names.highlighted].name == "Li Wei"
        await pilot.press("enter")
        assert pilot.app.screen.picked.name == "Li Wei"


async def test_a_manager_adds_a_part_for_the_first_kits_on_the_parts_screen(shop):
    from models.parts import Part
    from screens.parts import PartsScreen
    async with app_as(shop.manager).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.press("f5")
        assert await wait_until(pilot, lambda: isinstance(app.screen, PartsScreen))
        await pilot.press("2", "a", *"wb-600", "tab", *"Wiper blade 600", "tab", "tab", "tab", *"96", "tab", "tab",
                          *"a-02-2", "tab", *"6", "ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, PartsScreen)
        part = Part.get(Part.code == "WB-600")
        from tests.factories import stock
        assert (part.name, part.unit, part.sale_price, part.bin, stock(part).on_hand) == \
            ("Wiper blade 600", "pc", Decimal("96.00"), "A-02-2", Decimal("6"))
        await pilot.press("a", *"WB-600", "tab", *"Again", "tab", "tab", "tab", *"5", "ctrl+s")   # refused, kept
        await settled(pilot)
        assert "already in the catalog" in str(app.screen.query_one("#note-code").content)
        assert Part.select().where(Part.code == "WB-600").count() == 1
