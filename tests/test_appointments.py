"""Appointments through the services: capacity by half-hour and trade, bad input, parts held for the date,
the day-before reminder, no-shows and arrival as a checked-in repair order.

The small shop (tests/factories.py) has one technician each of mechanical, quick service and body work,
a quick-service bay, a mechanical bay and a body bay for two cars; the clock stands at Friday
2026-11-20 09:00; the shop books from 08:00 to 18:00 (20 half-hours) and opens 80% of a day's technician
hours to appointments (8 h of quick service a day).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from models.appointments import Appointment, AppointmentCall, AppointmentLine, AppointmentPart, AppointmentSlot
from models.events import Event
from models.orders import JobLine, RepairOrder
from models.parts import OperationPart, Part, PartLine
from models.shop import Bay, LaborRate, Operation
from workshop import appointments as ap, capacity, clock, parts, prepick
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from tests.factories import stock

TOMORROW = dt.date(2026, 11, 21)


def at(hour: int, minute: int = 0, day: dt.date = TOMORROW) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def form(shop, when, codes=("QS001",), car=None, **kw) -> ap.AppointmentForm:
    return ap.AppointmentForm(vehicle_id=(car or shop.car).id, starts_at=when, operation_codes=list(codes), **kw)


def book(shop, when, codes=("QS001",), car=None, by=None, **kw) -> Appointment:
    return ap.book(form(shop, when, codes, car, **kw), by=by or shop.advisor)


def oil_filter(shop, qty="2") -> Part:
    """QS001 (oil change) uses one oil filter; ``qty`` of them in stock."""
    part = Part.create(code="OF-001", name="Oil filter", unit="pc", bin="A-01-1", sale_price=D("45.00"),
                       unit_cost=D("20"))
    OperationPart.create(operation=Operation.get(Operation.code == "QS001"), part=part, qty=D("1"))
    if D(qty):
        parts.receive("OF-001", qty, by=shop.clerk, reference="opening")
    return part


def reserved(part) -> D:
    return stock(part).reserved


# --- booking and capacity ------------------------------------------------------------------------

def test_booking_takes_the_half_hours_of_its_work_and_carries_an_estimate(shop):
    appointment = book(shop, at(10), ("QS001", "ME001"), notes="noise from the front")
    row = ap.get(appointment.id)
    assert (row.state, row.plate, row.label) == ("booked", "粤B12345", "AP 1")
    assert row.contact_name == "Wang Wei" and row.contact_phone == "13812345678"  # the owner, when not given
    # quick service first (0.5 h at 10:00), then mechanical (1.0 h at 10:30 and 11:00): one bay at a time
    slots = [(s.starts_at, s.trade, s.hours) for s in AppointmentSlot.select().order_by(AppointmentSlot.starts_at)]
    assert slots == [(at(10), "quick_service", D("0.5")), (at(10, 30), "mechanical", D("0.5")),
                     (at(11), "mechanical", D("0.5"))]
    assert row.ends_at == at(11, 30)
    # 0.5 h x 120 + 1.0 h x 180, general customer, VAT inside the prices
    assert row.estimate == D("240.00")
    assert Event.get(Event.kind == "appointment_booked").entity_id == appointment.id


def test_work_past_the_close_goes_on_at_the_next_opening(shop):
    appointment = book(shop, at(17, 30), ("ME001",))
    assert [s.starts_at for s in AppointmentSlot.select().order_by(AppointmentSlot.starts_at)] == [
        at(17, 30), at(8, day=TOMORROW + dt.timedelta(days=1))]
    assert Appointment.get_by_id(appointment.id).ends_at == at(8, 30, TOMORROW + dt.timedelta(days=1))


def test_a_full_half_hour_is_refused_with_the_next_free_times_and_nothing_written(shop):
    book(shop, at(10), ("QS001",))
    events = Event.select().count()
    with pytest.raises(ap.CapacityFull) as refused:
        book(shop, at(10), ("QS001",), car=shop.car2)
    assert refused.value.field == "starts_at"
    assert refused.value.free == [at(10, 30), at(11), at(11, 30)]
    assert "quick service is fully booked from 10:00 to 10:30" in str(refused.value)
    assert Appointment.select().count() == 1 and AppointmentSlot.select().count() == 1
    assert Event.select().count() == events
    book(shop, refused.value.free[0], ("QS001",), car=shop.car2)  # the time offered is really free


def test_a_bay_holds_as_many_cars_as_its_places(shop):
    """Electrical work has no bay of its own here: it takes the mechanical bay, which one car fills."""
    from models.people import Staff
    Bay.update(active=False).where(Bay.code == "M2").execute()  # one mechanical bay of one place
    Staff.create(login="e.tech", name="Liang Hao", roles="technician", trade="electrical")
    Operation.create(code="EL001", name="A/C recharge", trade="electrical", standard_hours=D("0.5"))
    LaborRate.create(trade="electrical", rate=D("180"))
    book(shop, at(10), ("ME001",))
    with pytest.raises(ap.CapacityFull, match="electrical is fully booked from 10:00 to 10:30"):
        book(shop, at(10), ("EL001",), car=shop.car2)


def test_a_days_share_of_a_trade_is_kept_for_walk_ins(shop):
    """80% of a day's 10 h of quick service (8 h) is open to appointments; the next booking goes to the
    next day."""
    cars = [shop.car, shop.car2, shop.car3]
    from tests.factories import make_vehicle
    cars += [make_vehicle(f"粤B2000{i}", f"LVGBM53K5RG00010{i}", shop.customer) for i in range(5)]
    for i in range(16):  # sixteen 0.5 h oil changes, one per half-hour from 08:00, eight cars twice each
        book(shop, at(8) + i * capacity.SLOT, ("QS001",), car=cars[i % 8])
    assert capacity.day_grid(TOMORROW).booked_hours["quick_service"] == D("8.0")
    with pytest.raises(ap.CapacityFull) as refused:
        book(shop, at(17), ("QS001",), car=shop.car)
    assert "no appointment hours left" in str(refused.value)
    assert refused.value.free[0] == at(8, day=TOMORROW + dt.timedelta(days=1))


def test_a_manager_may_book_beyond_capacity_with_a_reason_an_advisor_may_not(shop):
    book(shop, at(10))
    with pytest.raises(NotAllowed):
        book(shop, at(10), car=shop.car2, overbook_reason="fleet customer, promised")
    assert Appointment.select().count() == 1
    appointment = book(shop, at(10), car=shop.car2, by=shop.manager, overbook_reason="fleet customer, promised")
    assert Appointment.get_by_id(appointment.id).overbooked_by_id == shop.manager.id
    event = Event.get(Event.kind == "appointment_overbooked")
    assert "fleet customer, promised" in event.summary and "quick service" in event.after


@pytest.mark.parametrize("change, field, message", [
    (dict(starts_at=dt.datetime(2026, 11, 20, 8, 30)), "starts_at", "in the past"),
    (dict(starts_at=at(10, 15)), "starts_at", "on the hour or half-hour"),
    (dict(starts_at=at(19)), "starts_at", "on the hour or half-hour"),
    (dict(starts_at=at(10, day=dt.date(2027, 6, 1))), "starts_at", "at most 90 days ahead"),
    (dict(starts_at=None), "starts_at", "Pick the day and time"),
    (dict(operation_codes=["XX999"]), "work", "Unknown operation code(s): XX999"),
    (dict(operation_codes=[]), "work", "at least one operation"),
    (dict(operation_codes=["QS001", "qs001"]), "work", "Asked for twice: QS001"),
    (dict(hours={"QS001": "-1"}), "hours", "cannot be negative"),
    (dict(hours={"QS001": "0"}), "hours", "more than zero"),
    (dict(hours={"QS001": "25"}), "hours", "not plausible"),
    (dict(hours={"QS001": "abc"}), "hours", "must be a number"),
    (dict(hours={"ME001": "1"}), "hours", "not asked for"),
    (dict(operation_codes=["PT001"]), "work", "No paint technician"),
    (dict(source="fax"), "source", "phone, walk-in or a reminder"),
    (dict(contact_phone="12"), "contact_phone", "not a valid phone number"),
    (dict(vehicle_id=None), "vehicle", "Find the car first"),
])
def test_bad_input_is_refused_with_a_message_on_its_field_and_nothing_written(shop, change, field, message):
    values = dict(vehicle_id=shop.car.id, starts_at=at(10), operation_codes=["QS001"])
    values.update(change)
    events = Event.select().count()
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        ap.book(ap.AppointmentForm(**values), by=shop.advisor)
    assert refused.value.field == field
    assert Appointment.select().count() == 0 and AppointmentSlot.select().count() == 0
    assert Event.select().count() == events


def test_the_same_car_cannot_be_booked_twice_at_overlapping_times(shop):
    first = book(shop, at(10), ("QS001", "ME001"))   # 10:00 to 11:30
    with pytest.raises(InvalidInput, match="already has an appointment then: AP 1 at"):
        book(shop, at(11), ("QS002",))
    assert Appointment.select().count() == 1
    book(shop, at(11, 30), ("QS002",))   # right after it is fine
    ap.cancel(first.id, "customer away", by=shop.advisor)
    book(shop, at(10), ("QS002",), car=shop.car)  # a cancelled one holds nothing


def test_moving_an_appointment_checks_capacity_and_frees_the_old_time(shop):
    first = book(shop, at(10))
    second = book(shop, at(11), car=shop.car2)
    with pytest.raises(ap.CapacityFull):
        ap.move(second.id, at(10), by=shop.advisor)
    moved = ap.move(first.id, at(14), by=shop.advisor)
    assert moved.starts_at == at(14)
    ap.move(second.id, at(10), by=shop.advisor)  # the old time of the first is free now
    with pytest.raises(ap.StaleAppointment):
        ap.move(first.id, at(15), by=shop.advisor, seen_version=1)


def test_the_day_grid_shows_capacity_booked_and_free_per_trade(shop):
    book(shop, at(10), ("QS001", "ME001"))
    grid = capacity.day_grid(TOMORROW)
    assert grid.trades == ["mechanical", "body", "quick_service"]
    assert len(grid.slots) == 20 and grid.slots[0].starts_at == at(8)
    ten = next(row for row in grid.slots if row.starts_at == at(10))
    assert ten.cells["quick_service"].full and not ten.cells["mechanical"].full
    assert grid.capacity_hours["quick_service"] == D("8.00") and grid.booked_hours["mechanical"] == D("1.0")
    assert grid.free_hours("mechanical") == D("7.0")
    assert list(grid.bay_places.items()) == [("quick_service", 1), ("mechanical", 2), ("body", 2), ("paint", 1)]
    eleven = next(row for row in grid.slots if row.starts_at == at(11))
    assert eleven.cells["mechanical"].free == 0 and eleven.cells["body"].free == D("0.5")


# --- parts held for the date ---------------------------------------------------------------------------

def test_an_appointment_holds_its_parts_and_the_clerk_sees_tomorrows_pre_picks(shop):
    part = oil_filter(shop, qty="1")
    first = book(shop, at(9))
    second = book(shop, at(10), car=shop.car2)
    assert reserved(part) == 1
    assert not Appointment.get_by_id(first.id).parts_short and Appointment.get_by_id(second.id).parts_short
    rows = prepick.prepicks(TOMORROW)
    assert [(r.appointment_number, r.code, r.bin, r.qty, r.held, r.short) for r in rows] == [
        (1, "OF-001", "A-01-1", 1, 1, 0), (2, "OF-001", "A-01-1", 1, 0, 1)]
    assert [r.appointment_number for r in prepick.shortages()] == [2]
    assert parts.reservation_problems() == []


def test_goods_received_fill_the_soonest_need_first_appointments_and_orders_alike(shop):
    part = oil_filter(shop, qty="0")
    later = book(shop, at(14, 0, TOMORROW + dt.timedelta(days=1)))
    sooner = book(shop, at(10), car=shop.car2)
    order = shop.order(shop.car3, hours_ahead=60)  # promised the day after tomorrow at 21:00
    assert PartLine.get(PartLine.order == order.id).reserved == 0
    parts.receive("OF-001", "1", by=shop.clerk)
    assert AppointmentPart.get(AppointmentPart.appointment == sooner.id).reserved == 1
    parts.receive("OF-001", "1", by=shop.clerk)
    assert AppointmentPart.get(AppointmentPart.appointment == later.id).reserved == 1
    parts.receive("OF-001", "1", by=shop.clerk)
    assert PartLine.get(PartLine.order == order.id).reserved == 1
    assert reserved(part) == 3 and parts.reservation_problems() == []
    assert not Appointment.get_by_id(sooner.id).parts_short


def test_a_car_in_the_shop_takes_a_part_held_for_a_later_appointment_which_is_flagged_short(shop):
    part = oil_filter(shop, qty="1")
    appointment = book(shop, at(10))
    order = shop.order(shop.car2)  # promised today at 13:00, needs the filter too
    assert PartLine.get(PartLine.order == order.id).reserved == 1
    assert AppointmentPart.get(AppointmentPart.appointment == appointment.id).reserved == 0
    assert Appointment.get_by_id(appointment.id).parts_short
    assert reserved(part) == 1 and parts.reservation_problems() == []
    assert "now short" in Event.get(Event.kind == "appointment_parts_taken").summary


def test_an_order_promised_after_the_appointment_does_not_take_its_part(shop):
    oil_filter(shop, qty="1")
    appointment = book(shop, at(10))
    order = shop.order(shop.car2, hours_ahead=48)
    assert PartLine.get(PartLine.order == order.id).reserved == 0
    assert AppointmentPart.get(AppointmentPart.appointment == appointment.id).reserved == 1


# --- the day-before reminder and no-shows --------------------------------------------------------------

def test_the_reminder_list_shows_tomorrows_appointments_unconfirmed_first_with_outcomes(shop):
    oil_filter(shop, qty="2")
    a = book(shop, at(9))
    b = book(shop, at(10), car=shop.car2)
    c = book(shop, at(11), car=shop.car3)
    book(shop, at(9, day=TOMORROW + dt.timedelta(days=1)))  # the day after: not on the list
    ap.record_call(a.id, "confirmed", by=shop.agent)
    assert [r.number for r in ap.reminder_list()] == [b.number, c.number, a.number]
    ap.record_call(b.id, "no_answer", channel="sms", by=shop.advisor)
    ap.record_call(c.id, "cancelled", note="car sold", by=shop.advisor)
    rows = {r.number: r for r in ap.reminder_list()}
    assert set(rows) == {a.number, b.number}
    assert (rows[b.number].calls, rows[b.number].last_outcome, rows[b.number].state) == (1, "no_answer", "booked")
    assert Appointment.get_by_id(c.id).state == "cancelled"
    assert AppointmentPart.get(AppointmentPart.appointment == c.id).reserved == 0
    assert parts.reservation_problems() == []
    moved = ap.record_call(b.id, "moved", moved_to=at(15), by=shop.advisor)
    assert (moved.starts_at, moved.state) == (at(15), "booked")
    assert AppointmentCall.select().count() == 4


def test_a_follow_up_agent_may_confirm_but_not_cancel_on_the_call(shop):
    appointment = book(shop, at(9))
    with pytest.raises(NotAllowed):
        ap.record_call(appointment.id, "cancelled", note="no longer needed", by=shop.agent)
    assert Appointment.get_by_id(appointment.id).state == "booked" and AppointmentCall.select().count() == 0


def test_no_shows_are_marked_after_the_grace_period_and_release_capacity_and_parts(shop):
    part = oil_filter(shop, qty="1")
    appointment = book(shop, at(10))
    clock.freeze(at(10, 59))
    assert ap.mark_no_shows() == 0
    clock.freeze(at(11, 1))
    assert ap.mark_no_shows() == 1
    assert ap.mark_no_shows() == 0  # idempotent
    assert Appointment.get_by_id(appointment.id).state == "no_show" and reserved(part) == 0
    assert Event.get(Event.kind == "appointment_no_show").actor_id is None  # the rule, not a person
    book(shop, at(11, 30), car=shop.car2)
    assert capacity.day_grid(TOMORROW).booked_hours["quick_service"] == D("0.5")


# --- arrival ---------------------------------------------------------------------------------------------

def test_arrival_turns_the_appointment_into_a_checked_in_order_with_its_work_parts_and_estimate(shop):
    part = oil_filter(shop, qty="1")
    appointment = book(shop, at(10), ("QS001", "ME001"), notes="noise from the front")
    clock.freeze(at(10, 5))
    order = ap.arrive(appointment.id, mileage_in="21000", by=shop.advisor)
    assert order.state == "checked_in" and order.statement == "noise from the front"
    assert [line.code for line in JobLine.select().where(JobLine.order == order.id).order_by(JobLine.id)] == [
        "QS001", "ME001"]
    assert all(line.approval == "approved" for line in JobLine.select())
    line = PartLine.get(PartLine.order == order.id)
    assert (line.qty, line.reserved) == (1, 1)
    assert reserved(part) == 1 and parts.reservation_problems() == []   # held once, by the order now
    assert order.estimate == D("240.00") + D("45.00")
    row = ap.get(appointment.id)
    assert (row.state, row.order_number) == ("arrived", order.number)
    assert ap.on_time(row.starts_at, Appointment.get_by_id(appointment.id).arrived_at)
    assert ap.expected_arrivals(TOMORROW) == []


def test_arrival_without_the_mileage_is_refused_and_the_appointment_keeps_its_parts(shop):
    part = oil_filter(shop, qty="1")
    appointment = book(shop, at(10))
    clock.freeze(at(10))
    with pytest.raises(InvalidInput) as refused:
        ap.arrive(appointment.id, mileage_in="", by=shop.advisor)
    assert refused.value.field == "mileage_in"
    assert Appointment.get_by_id(appointment.id).state == "booked" and RepairOrder.select().count() == 0
    assert AppointmentPart.get(AppointmentPart.appointment == appointment.id).reserved == 1 and reserved(part) == 1


def test_a_late_car_can_still_arrive_on_its_day_after_being_marked_a_no_show(shop):
    appointment = book(shop, at(10))
    clock.freeze(at(12))
    ap.mark_no_shows()
    order = ap.arrive(appointment.id, mileage_in="21000", by=shop.advisor)
    assert Appointment.get_by_id(appointment.id).state == "arrived" and order.state == "checked_in"
    assert not ap.on_time(at(10), at(12))
    clock.freeze(at(9, day=TOMORROW + dt.timedelta(days=1)))
    other = book(shop, at(10, day=TOMORROW + dt.timedelta(days=1)), car=shop.car2)
    clock.freeze(at(12, day=TOMORROW + dt.timedelta(days=2)))
    ap.mark_no_shows()
    with pytest.raises(IllegalTransition, match="no-show"):
        ap.arrive(other.id, mileage_in="5000", by=shop.advisor)


# --- figures -----------------------------------------------------------------------------------------

def test_figures_give_appointment_no_show_and_on_time_rates_per_advisor_and_shop(shop):
    from models.people import Staff
    from tests.factories import make_vehicle
    from workshop import appointment_figures
    other = Staff.create(login="wang.fang", name="Wang Fang", roles="advisor")
    car4 = make_vehicle("粤B40004", "LVGBM53K5RG000044", shop.customer)
    on_time = book(shop, at(9))
    late = book(shop, at(10), car=shop.car2)
    book(shop, at(11), car=shop.car3)   # never comes
    cancelled = book(shop, at(12), car=car4, by=other)
    ap.cancel(cancelled.id, "customer away", by=other)
    clock.freeze(at(9, 10))
    ap.arrive(on_time.id, mileage_in="21000", by=shop.advisor)
    clock.freeze(at(10, 40))
    ap.arrive(late.id, mileage_in="9000", by=other)   # another advisor at the desk checks it in
    clock.freeze(at(13))
    ap.mark_no_shows()
    shop.order(car4)                                 # a walk-in
    report = appointment_figures.report(at(0), at(0) + dt.timedelta(days=1))
    s = report.shop
    assert (s.check_ins, s.from_appointments, s.arrived, s.no_shows, s.on_time, s.cancelled) == (3, 2, 2, 1, 1, 1)
    assert (s.appointment_pct, s.no_show_pct, s.on_time_pct) == (D("66.7"), D("33.3"), D("50.0"))
    by_name = {f.name: f for f in report.advisors}
    li, wang = by_name["Li Wei"], by_name["Wang Fang"]
    # appointment rate by who checked the car in; no-shows and on-time by who booked it
    assert (li.check_ins, li.from_appointments, li.arrived, li.no_shows, li.on_time) == (2, 1, 2, 1, 1)
    assert (wang.check_ins, wang.from_appointments, wang.cancelled, wang.no_show_pct) == (1, 1, 1, None)


def test_a_booking_typed_in_a_form_finds_the_car_and_reads_the_time_and_codes(shop):
    appointment = ap.book_typed(" 粤b12345 ", "2026-11-21 10:00", "qs001, ME001", by=shop.advisor)
    assert [line.code for line in appointment.lines.order_by(AppointmentLine.position)] == ["QS001", "ME001"]
    with pytest.raises(InvalidInput, match="No car with plate") as refused:
        ap.book_typed("粤B99999", "2026-11-21 10:00", "QS001", by=shop.advisor)
    assert refused.value.field == "vehicle"
    with pytest.raises(InvalidInput, match="such as 2026-11-21 09:30") as refused:
        ap.book_typed("粤A88888", "tomorrow at ten", "QS001", by=shop.advisor)
    assert refused.value.field == "starts_at"
    assert ap.default_start() == at(8)


# --- maintenance packages and what reception will ask when the car comes ----------------------------------

def _first_service(shop):
    """FS: an oil change and front brake pads (0.5 h + 1.0 h) sold at 199.00 with the oil filter."""
    from workshop import packages
    from workshop.packages import PackageForm
    oil_filter(shop, qty="2")
    return packages.add_package(PackageForm(code="FS", name="First service", name_zh="首保", price="199",
                                            operation_codes="QS001, ME001"), by=shop.manager)


def test_a_maintenance_package_is_booked_at_its_price_and_arrives_as_the_package(shop):
    from models.orders import OrderPackage
    from workshop import settlement
    _first_service(shop)
    appointment = book(shop, at(10), ("QS002",), package_codes=["fs"])
    lines = list(AppointmentLine.select().order_by(AppointmentLine.position))
    assert [(line.code, line.package_code) for line in lines] == [("QS002", None), ("QS001", "FS"),
                                                                  ("ME001", "FS")]
    # its hours take capacity like any work: QS002 0.8 h and QS001 0.5 h of quick service, then ME001 1.0 h
    assert AppointmentSlot.select().count() == 5 and Appointment.get_by_id(appointment.id).ends_at == at(12, 30)
    # QS002 0.8 h x 120 = 96.00, the package 199.00 (its operations and filter covered by the price)
    assert Appointment.get_by_id(appointment.id).estimate == D("295.00")
    assert AppointmentPart.get(AppointmentPart.appointment == appointment.id).reserved == 1  # the kit is held
    assert "FS, QS002" in Event.get(Event.kind == "appointment_booked").summary
    clock.freeze(at(10))
    order = ap.arrive(appointment.id, mileage_in="21000", by=shop.advisor)
    assert [p.code for p in OrderPackage.select().where(OrderPackage.order == order.id)] == ["FS"]
    assert sorted(line.code for line in JobLine.select().where(JobLine.order == order.id)) == [
        "ME001", "QS001", "QS002"]
    assert settlement.bill_for(order.id).total == D("295.00") and order.estimate == D("295.00")
    assert parts.reservation_problems() == []


def test_work_reception_would_refuse_when_the_car_comes_is_refused_when_it_is_booked(shop):
    from models.shop import OperationSeries
    _first_service(shop)
    for change, message in (
            (dict(package_codes=["XX"]), "No maintenance package XX is on sale"),
            (dict(codes=["QS002"], hours={"QS001": "1"}), "not asked for"),
    ):
        with pytest.raises(InvalidInput, match=message):
            ap.book(form(shop, at(10), **change), by=shop.advisor)
    Operation.update(active=False).where(Operation.code == "QS002").execute()
    with pytest.raises(InvalidInput, match="No longer offered: QS002") as refused:
        book(shop, at(10), ("QS002",))
    assert refused.value.field == "work"
    OperationSeries.create(operation=Operation.get(Operation.code == "ME001"), series="Highlander")
    with pytest.raises(InvalidInput, match="is not for a Camry") as refused:
        book(shop, at(10), ("ME001",))
    assert refused.value.field == "work"
    with pytest.raises(InvalidInput, match="is not for a Camry"):   # nor inside a package
        book(shop, at(10), (), package_codes=["FS"])
    LaborRate.delete().where(LaborRate.trade == "body").execute()
    with pytest.raises(InvalidInput, match="No labour rate is set for body"):
        book(shop, at(10), ("BD001",))
    assert Appointment.select().count() == 0


def test_a_half_hour_holds_as_many_technician_hours_as_the_trade_has_technicians(shop):
    """One mechanical technician and two mechanical bays: a second car for brake pads at 10:00 has a bay but
    nobody to work on it."""
    book(shop, at(10), ("ME001",))
    with pytest.raises(ap.CapacityFull, match="mechanical is fully booked from 10:00 to 11:00") as refused:
        book(shop, at(10), ("ME001",), car=shop.car2)
    assert refused.value.free[0] == at(11)


def test_a_manager_told_a_time_is_full_is_told_how_to_book_it_anyway(shop):
    book(shop, at(10))
    with pytest.raises(ap.CapacityFull) as advisor:
        book(shop, at(10), car=shop.car2)
    with pytest.raises(ap.CapacityFull) as manager:
        book(shop, at(10), car=shop.car2, by=shop.manager)
    assert "anyway" not in str(advisor.value) and "To book it anyway, say why" in str(manager.value)
