"""The customer's and the vehicle's file on screen: found from the palette, opened from the order, every field
edited from the keyboard, a refused edit keeping its values, and two files merged by a manager."""
from __future__ import annotations

from models.people import Customer, Vehicle
from screens.customer_file import CustomerFileScreen, FileSearch, VehicleFileScreen
from screens.order_detail import OrderDetailScreen
from tests.ui import app_as, settled, wait_until
from workshop import customer_file
from workshop.customer_file import CustomerForm


async def test_the_palette_finds_a_car_by_plate_and_opens_its_file_with_its_history(shop):
    order = shop.delivered(mileage=20000)
    async with app_as(shop.advisor).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        provider = FileSearch(app.screen)
        hits = [hit async for hit in provider.search("粤B123")]
        assert any("粤B12345" in hit.text for hit in hits)
        vehicle_hit = next(hit for hit in hits if "粤B12345" in hit.text)
        vehicle_hit.command()
        assert await wait_until(pilot, lambda: isinstance(app.screen, VehicleFileScreen))
        await settled(pilot)
        visits = app.screen.query_one("#visits-table")
        assert visits.items[0].number == order.number and visits.items[0].mileage == 20000
        await pilot.press("enter")                           # the visit opens its order
        assert await wait_until(pilot, lambda: isinstance(app.screen, OrderDetailScreen))


async def test_the_order_opens_the_cars_file_and_a_bad_edit_keeps_every_value(shop):
    order = shop.order()
    async with app_as(shop.advisor).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        app.open_order(order.id)
        assert await wait_until(pilot, lambda: isinstance(app.screen, OrderDetailScreen))
        await pilot.press("v")
        assert await wait_until(pilot, lambda: isinstance(app.screen, VehicleFileScreen))
        await pilot.press("c")
        assert await wait_until(pilot, lambda: isinstance(app.screen, CustomerFileScreen))
        await pilot.press("e", "tab", "tab", "ctrl+a", "ctrl+k", *"0000000", "ctrl+s")   # the mobile
        await settled(pilot)
        form = app.screen
        assert "not a valid phone number" in str(form.query_one("#note-mobile").content)
        assert form.raw("name") == "Wang Wei"
        await pilot.press("ctrl+a", "ctrl+k", *"+86 136 0000 1234", "ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, CustomerFileScreen)
    assert Customer.get_by_id(shop.customer.id).mobile == "13600001234"


async def test_a_manager_merges_two_files_of_one_person_from_the_file(shop):
    twin = customer_file.create_customer(CustomerForm(name="Wang Wei", mobile="13611112222", email="w@example.cn"),
                                         by=shop.advisor)
    Vehicle.update(customer=twin.id).where(Vehicle.id == shop.car3.id).execute()
    async with app_as(shop.manager).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        app.push_screen(CustomerFileScreen(shop.customer.id))
        await settled(pilot)
        await pilot.press("m", *twin.code, "ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, CustomerFileScreen)
        assert {car.plate for car in app.screen.query_one("#cars").items} == {"粤B12345", "粤BD12345"}
    assert Customer.get_by_id(twin.id).merged_into_id == shop.customer.id
    assert Customer.get_by_id(shop.customer.id).email == "w@example.cn"


async def test_an_advisor_cannot_merge(shop):
    async with app_as(shop.advisor).run_test(size=(80, 24)) as pilot:
        pilot.app.push_screen(CustomerFileScreen(shop.customer.id))
        await settled(pilot)
        assert pilot.app.screen.check_action("merge", ()) is False
        assert pilot.app.screen.check_action("edit", ()) is True
