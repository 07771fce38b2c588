"""Appointments from the keyboard: booking from the maintenance reminder list and from the car's file, a full
half-hour said beside the time with the free ones, the reminder call, and the car's arrival as an order with one
key and the mileage."""
import datetime as dt

from models.appointments import Appointment
from models.orders import RepairOrder
from models.people import Vehicle
from tests.ui import app_as, notifications, settled, wait_until
from workshop import appointments, clock

TOMORROW = dt.date(2026, 11, 21)


def _screen(app, name):
    return lambda: app.screen.__class__.__name__ == name


async def test_an_advisor_books_tomorrow_from_the_maintenance_reminder_list(shop):
    Vehicle.update(next_service_due=clock.today() + dt.timedelta(days=3), last_visit_at=dt.datetime(2026, 5, 20, 9),
                   last_mileage=15000).where(Vehicle.id == shop.car.id).execute()
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, _screen(app, "AppointmentsScreen"))
        await pilot.press("3")
        assert await wait_until(pilot, lambda: app.screen.query_one("#due-table").items)
        await pilot.press("n")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        assert app.screen.raw("plate") == "粤B12345" and app.screen.raw("starts_at") == "2026-11-21 08:00"
        assert app.screen.raw("source") == "reminder"
        await pilot.press(*"QS001", "ctrl+s")
        assert await wait_until(pilot, lambda: Appointment.select().count() == 1)
        await settled(pilot)
        appointment = Appointment.get()
        assert (appointment.vehicle_id, appointment.source, appointment.starts_at) == (
            shop.car.id, "reminder", dt.datetime(2026, 11, 21, 8, 0))
        assert _screen(app, "AppointmentsScreen")()
        assert any("AP 1 booked" in m for m in notifications(app))
        due = app.screen.query_one("#due-table")
        assert "11-21 08:00" in str(due.get_row_at(0)[2])   # the list says the car is booked now


async def test_a_full_half_hour_is_said_beside_the_time_with_the_free_ones_and_every_value_kept(shop):
    appointments.book_typed(shop.car.plate, "2026-11-21 10:00", "QS001", by=shop.advisor)
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, _screen(app, "AppointmentsScreen"))
        await pilot.press("n")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        form = app.screen
        form.widget("starts_at").value = "2026-11-21 10:00"
        await pilot.press(*"粤A88888", "tab", "tab", *"QS001", "ctrl+s")
        assert await wait_until(pilot, lambda: "Free:" in str(form.query_one("#note-starts_at").render()))
        note = str(form.query_one("#note-starts_at").render())
        assert "quick service is fully booked" in note and "11-21 10:30" in note.replace("2026-", "")
        assert app.screen is form and form.raw("plate") == "粤A88888" and form.raw("work") == "QS001"
        assert Appointment.select().count() == 1


async def test_the_reminder_call_records_its_outcome(shop):
    appointment = appointments.book_typed(shop.car.plate, "2026-11-21 10:00", "QS001", by=shop.advisor)
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, _screen(app, "AppointmentsScreen"))
        await pilot.press("2")
        assert await wait_until(pilot, lambda: app.screen.query_one("#calls-table").row_count == 1)
        await pilot.press("enter")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        app.screen.widget("outcome").value = "confirmed"
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: Appointment.get_by_id(appointment.id).state == "confirmed")


async def test_the_car_arrives_and_becomes_an_order_with_one_key_and_the_mileage(shop):
    appointment = appointments.book_typed(shop.car.plate, "2026-11-20 10:00", "QS001 ME001", by=shop.advisor)
    clock.freeze(dt.datetime(2026, 11, 20, 9, 55))
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, _screen(app, "AppointmentsScreen"))
        assert app.screen.query_one("#list").row_count == 1
        await pilot.press("a")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        await pilot.press(*"21000", "enter")
        assert await wait_until(pilot, lambda: RepairOrder.select().count() == 1)
        order = RepairOrder.get()
        assert await wait_until(pilot, _screen(app, "OrderDetailScreen"))
        assert (order.mileage_in, order.state) == (21000, "checked_in")
        assert Appointment.get_by_id(appointment.id).order_id == order.id


async def test_the_board_shows_todays_expected_arrivals_and_a_takes_one_in(shop):
    appointments.book_typed(shop.car2.plate, "2026-11-20 10:00", "QS001", by=shop.advisor)
    appointments.book_typed(shop.car.plate, "2026-11-20 11:00", "ME001", by=shop.advisor)
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        lane = app.screen.query_one("#expected-lane")
        assert await wait_until(pilot, lambda: "粤A88888" in str(lane.render()))
        text = str(lane.render())
        assert "Expected today (2)" in text and text.index("10:00") < text.index("11:00")
        await pilot.press("A")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        await pilot.press(*"9000", "enter")
        assert await wait_until(pilot, lambda: RepairOrder.select().count() == 1)
        assert RepairOrder.get().vehicle_id == shop.car2.id   # the soonest was chosen already
        assert await wait_until(pilot, lambda: "Expected today (1)" in str(lane.render()))


async def test_the_parts_clerk_sees_tomorrows_pre_picks_with_bins_and_shortages(shop):
    from tests.test_appointments import oil_filter
    oil_filter(shop, qty="1")
    appointments.book_typed(shop.car.plate, "2026-11-21 09:00", "QS001", by=shop.advisor)
    appointments.book_typed(shop.car2.plate, "2026-11-21 10:00", "QS001", by=shop.advisor)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, _screen(app, "PartsScreen"))
        await pilot.press("7")
        table = app.screen.query_one("#prepick-table")
        assert await wait_until(pilot, lambda: table.row_count == 2 and app.screen.focused is table)
        first, second = [[str(c) for c in table.get_row_at(i)] for i in (0, 1)]
        assert first[1:8] == ["AP 1", "粤B12345", "A-01-1", "OF-001", "1", "1", ""] and first[-1] == "Oil filter"
        assert second[1] == "AP 2" and second[7] == "1"   # one short, flagged the day before


async def test_extra_work_found_in_the_bay_waits_and_the_advisor_records_the_customers_answer(shop):
    from models.orders import JobLine
    from workshop import document_files
    from workshop.reception import add_job_line
    order = shop.in_progress()
    add_job_line(order.id, "ME001", by=shop.dispatcher)   # found in the bay: waits for the customer
    estimate = document_files.folder() / f"estimate-RO{order.number}.txt"   # beside the shop's invoices
    app = app_as(shop.advisor)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_order(order.id)
        assert await wait_until(pilot, lambda: _screen(app, "OrderDetailScreen")() and app.screen.query("#lines")
                                and app.screen.query_one("#lines").row_count == 2)
        table = app.screen.query_one("#lines")
        row = [str(c) for c in table.get_row_at(1)]
        assert (row[2], row[-1]) == ("waiting for approval", "180.00")
        await pilot.press("e")
        assert await wait_until(pilot, estimate.exists)
        await pilot.press("down", "y")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        app.screen.widget("decision").value = "approved"
        app.screen.widget("reference").value = "signed at the desk"
        await pilot.press("ctrl+s")
        line = JobLine.get((JobLine.order == order.id) & (JobLine.code == "ME001"))
        assert await wait_until(pilot, lambda: JobLine.get_by_id(line.id).approval == "approved")
        assert await wait_until(pilot, lambda: [str(c) for c in table.get_row_at(1)][2] == "approved")


async def test_the_figures_show_appointment_and_no_show_rates_beside_the_quality_figures(shop):
    kept = appointments.book_typed(shop.car.plate, "2026-11-20 10:00", "QS001", by=shop.advisor)
    appointments.book_typed(shop.car2.plate, "2026-11-20 11:00", "QS001", by=shop.advisor)
    clock.freeze(dt.datetime(2026, 11, 20, 10, 5))
    appointments.arrive(kept.id, mileage_in="21000", by=shop.advisor)
    shop.order(shop.car3)     # a walk-in
    clock.freeze(dt.datetime(2026, 11, 20, 12, 30))
    appointments.mark_no_shows()
    app = app_as(shop.manager)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: _screen(app, "QualityScreen")() and app.screen.query("#appointments")
                                and app.screen.query_one("#appointments").row_count >= 2)
        shop_row = [str(c) for c in app.screen.query_one("#appointments").get_row_at(0)]
        assert shop_row == ["Whole shop", "50.0%", "50.0%", "100.0%", "2", "1", "2", "1", "0"]


async def test_an_advisor_books_a_maintenance_package_from_the_cars_file_and_sees_it_there(shop):
    from models.appointments import AppointmentLine
    from tests.test_appointments import _first_service
    _first_service(shop)
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        from screens.customer_file import open_vehicle_file
        open_vehicle_file(app, shop.car.id)
        assert await wait_until(pilot, _screen(app, "VehicleFileScreen"))
        await pilot.press("b")
        assert await wait_until(pilot, _screen(app, "FormDialog"))
        assert app.screen.raw("plate") == "粤B12345" and app.screen.raw("starts_at") == "2026-11-21 08:00"
        await pilot.press("tab", *"fs", "ctrl+s")
        assert await wait_until(pilot, lambda: Appointment.select().count() == 1)
        assert [(line.code, line.package_code) for line in AppointmentLine.select().order_by(AppointmentLine.position)
                ] == [("QS001", "FS"), ("ME001", "FS")]
        assert await wait_until(pilot, _screen(app, "VehicleFileScreen"))
        await pilot.press("4")
        table = app.screen.query_one("#appointments-table")
        assert await wait_until(pilot, lambda: table.items and "AP 1" in [str(c) for c in table.get_row_at(0)])
        assert "2026-11-21 08:00" in str(table.get_row_at(0)[0])
