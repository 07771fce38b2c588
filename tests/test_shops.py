"""Several shops in one database (issue 19 item 5): a one-shop database works as before with no extra step; in a
group each terminal works in one shop and sees its board, numbers are per shop and gapless, customers and
vehicles are shared (a car's history spans the shops), and figures come per shop and for the group."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from models.orders import JobLine, OrderCounter, RepairOrder
from models.settlement import Settlement
from models.shop import Bay, Shop
from tests.factories import make_staff
from workshop import board, clock, qc, quality, settlement, shops
from workshop.actor import Actor
from workshop.customer_file import vehicle_file
from workshop.errors import NotAllowed, NotFound
from workshop.reception import OrderForm, create_order


def _form(car, hours: int = 4) -> OrderForm:
    return OrderForm(vehicle_id=car.id, business_type="maintenance", mileage_in="20000", fuel_level="1/2",
                     statement="Service please", promised_at=clock.now() + dt.timedelta(hours=hours),
                     operation_codes=["QS001"])


@pytest.fixture
def group(shop):
    """The small shop (MAIN, shop 1) and a second shop EAST with its own bay and advisor."""
    east = shops.add_shop("east", "East Side Service", by=shop.manager, address="1 East Road",
                          tax_number="91440300EAST")
    advisor = make_staff("east.adv", "Ma Li", "advisor")
    shops.assign(advisor.id, "EAST", by=shop.manager)
    dispatcher = make_staff("east.disp", "Lu Fang", "dispatcher")
    shops.assign(dispatcher.id, "EAST", by=shop.manager)
    from workshop.bay_setup import BayForm, add_bay
    manager_east = shops.at_sign_in(Actor.of(shop.manager), "EAST")
    bay = add_bay(BayForm(code="Q1", name="East quick 1", kind="quick_service", capacity="2"), by=manager_east)
    shop.east = east
    shop.east_bay = bay
    from models.people import Staff
    shop.east_advisor = shops.at_sign_in(Actor.of(Staff.get_by_id(advisor.id)))  # their home shop: EAST
    shop.east_dispatcher = shops.at_sign_in(Actor.of(Staff.get_by_id(dispatcher.id)))
    shop.main_advisor = shops.at_sign_in(Actor.of(shop.advisor))
    return shop


def test_a_one_shop_database_needs_no_extra_step(shop):
    """The first migration's shop 1 holds everything; nobody is asked for a shop; the lists are unfiltered."""
    assert [(s.id, s.code) for s in shops.listing()] == [(1, "MAIN")]
    assert not shops.is_group()
    actor = shops.at_sign_in(Actor.of(shop.advisor))
    assert (actor.shop_id, actor.shop_code) == (1, "")
    assert shops.scope(actor) is None  # the same queries as before there were shops
    order = shop.order()
    assert (order.number, order.shop_id) == (1001, 1)
    assert all(b.shop_id == 1 for b in Bay.select())
    assert [c.id for c in board.active_cards(shops.scope(actor))] == [order.id]
    visit = vehicle_file(shop.car.id).visits[0]
    assert visit.shop == ""  # a one-shop database shows no shop codes


def test_an_existing_database_becomes_shop_1_named_as_its_documents(tmp_path):
    """A database of the previous version: shop 1 takes the identity settings, its rows belong to shop 1."""
    from models.db import db, open_database
    from models.schema import migrate, runner
    open_database(tmp_path / "old.db")
    names = [m.name for m in runner().migrations()]
    before = names[next(i for i, name in enumerate(names) if "multishop" in name) - 1]  # the one just before
    runner().up(target=before)
    db.execute_sql("INSERT INTO setting (key, value) VALUES ('shop_name', '\"Pearl River Auto\"'), "
                   "('shop_tax_number', '\"91440300PRA\"')")
    db.execute_sql("INSERT INTO bay (code, name, kind, capacity, active) VALUES ('M1', 'Mech 1', 'mechanical', 1, 1)")
    migrate()
    main = Shop.get_by_id(1)
    assert (main.code, main.name, main.tax_number) == ("MAIN", "Pearl River Auto", "91440300PRA")
    assert Bay.get(Bay.code == "M1").shop_id == 1
    db.close()


def test_each_terminal_works_in_its_shop_and_numbers_are_per_shop(group):
    shop = group
    assert shops.is_group()
    main_order = create_order(_form(shop.car), by=shop.main_advisor)
    east_order = create_order(_form(shop.car2), by=shop.east_advisor)
    # Each shop numbers its own orders from the same start: the same number at two shops is two orders.
    assert (main_order.shop_id, main_order.number) == (1, 1001)
    assert (east_order.shop_id, east_order.number) == (shop.east.id, 1001)
    assert {(c.shop_id, c.name): c.next_value for c in OrderCounter.select()}[(shop.east.id, "repair_order")] == 1002

    main_board = board.active_cards(shops.scope(shop.main_advisor))
    east_board = board.active_cards(shops.scope(shop.east_advisor))
    assert [c.id for c in main_board] == [main_order.id]
    assert [c.id for c in east_board] == [east_order.id]
    # A live change of the other shop's order never reaches this shop's board.
    assert board.cards_for([main_order.id, east_order.id], shops.scope(shop.east_advisor))[0].id == east_order.id
    assert len(board.cards_for([main_order.id, east_order.id], shops.scope(shop.east_advisor))) == 1
    assert [c.id for c in board.search_active("1001", shop=shops.scope(shop.east_advisor))] == [east_order.id]
    # Dispatch offers the order's shop's bays only, and refuses another shop's bay.
    from workshop.dispatch import dispatch
    from workshop.trade_dispatch import plan_view
    assert [b.code for b in plan_view(east_order.id).bays] == ["Q1"]
    assert {b.id for b in plan_view(east_order.id).bays} == {shop.east_bay.id}
    with pytest.raises(NotFound):
        dispatch(east_order.id, shop.bays[0].id, [shop.techs[1].id], by=shop.east_dispatcher)
    dispatch(east_order.id, shop.east_bay.id, [shop.techs[1].id], by=shop.east_dispatcher)
    assert board.filter_choices(shop.east.id).bays == ((shop.east_bay.id, "Q1", "East quick 1"),)


def test_queues_and_invoices_are_per_shop(group):
    shop = group
    from workshop import lifecycle
    orders = [create_order(_form(car), by=who) for car, who in ((shop.car, shop.main_advisor),
                                                               (shop.car2, shop.east_advisor))]
    RepairOrder.update(state=lifecycle.READY_QC).where(RepairOrder.id.in_([o.id for o in orders])).execute()
    assert [r.order_id for r in qc.qc_queue(shop=shop.east.id)] == [orders[1].id]
    RepairOrder.update(state=lifecycle.READY_SETTLEMENT).where(RepairOrder.id.in_([o.id for o in orders])).execute()
    assert [r.order_id for r in settlement.cashier_queue(shop=1)] == [orders[0].id]
    invoices = [settlement.settle(o.id, by=shop.cashier) for o in orders]
    # Each shop's invoice book starts at 1 (its own tax number); the invoice belongs to the order's shop.
    assert [(i.shop_id, i.number) for i in invoices] == [(1, 1), (shop.east.id, 1)]
    assert Settlement.select().count() == 2
    assert shops.identity(shop.east.id)["shop_tax_number"] == "91440300EAST"
    assert shops.identity(shop.east.id)["shop_name"] == "East Side Service"


def test_a_cars_history_spans_the_shops(group):
    shop = group
    first = shop.delivered(shop.car)  # serviced at MAIN (the small shop's advisor, cashier and bays)
    second = create_order(_form(shop.car), by=shop.east_advisor)  # then at EAST
    visits = vehicle_file(shop.car.id).visits
    assert [(v.order_id, v.shop) for v in visits] == [(second.id, "EAST"), (first.id, "MAIN")]


def test_signing_in_takes_the_configured_shop_or_the_home_shop(group, monkeypatch):
    shop = group
    assert shops.at_sign_in(Actor.of(shop.techs[0])).shop_id == 1  # home shop
    monkeypatch.setenv(shops.SHOP_ENV, "EAST")  # `workshop --shop EAST`
    with pytest.raises(NotAllowed):
        shops.at_sign_in(Actor.of(shop.techs[0]))  # a MAIN technician does not work at EAST...
    shops.assign(shop.techs[0].id, "MAIN", also=("EAST",), by=shop.manager)
    east = shops.at_sign_in(Actor.of(shop.techs[0]))  # ...until a manager assigns them there as well
    assert shops.may_work_in(shop.techs[0].id, 1)
    assert (east.shop_id, east.shop_code) == (shop.east.id, "EAST")
    assert shops.at_sign_in(Actor.of(shop.manager)).shop_id == shop.east.id  # a manager works anywhere
    monkeypatch.setenv(shops.SHOP_ENV, "NOPE")
    with pytest.raises(NotFound):
        shops.at_sign_in(Actor.of(shop.manager))


def test_only_managers_add_shops_and_codes_are_unique(group):
    shop = group
    with pytest.raises(NotAllowed):
        shops.add_shop("WEST", "West", by=shop.advisor)
    from workshop.errors import InvalidInput
    with pytest.raises(InvalidInput):
        shops.add_shop("east", "Another east", by=shop.manager)


def test_a_group_manager_sees_figures_per_shop_and_for_the_group(group):
    shop = group
    orders = [create_order(_form(car), by=who) for car, who in ((shop.car, shop.main_advisor),
                                                               (shop.car2, shop.east_advisor),
                                                               (shop.car3, shop.east_advisor))]
    now = clock.now()
    RepairOrder.update(state="delivered", released_at=now).where(RepairOrder.id.in_([o.id for o in orders])).execute()
    start, end = quality.last_days(7, now)
    whole = quality.report(start, end, per_shop=True)
    assert whole.shop.delivered == 3
    assert [(f.name, f.delivered) for f in whole.shops] == [("EAST", 2), ("MAIN", 1)]
    assert quality.report(start, end, shop=shop.east.id).shop.delivered == 2
    assert quality.report(start, end, shop=1).shop.delivered == 1
    assert quality.report(start, end).shops == []  # a one-shop view: no rows per shop


async def test_each_terminal_s_board_shows_only_its_shop(group, monkeypatch):
    """Two terminals of one database, fixed to MAIN and to EAST: each board shows its own shop's cars, and a car
    checked in at the other shop while it is open never appears on it."""
    from screens.board import BoardScreen
    from tests.ui import app_as, wait_until
    shop = group
    main_order = create_order(_form(shop.car), by=shop.main_advisor)
    east_order = create_order(_form(shop.car2), by=shop.east_advisor)
    monkeypatch.setenv(shops.SHOP_ENV, "EAST")
    async with app_as(shop.manager).run_test(size=(100, 30)) as pilot:
        assert isinstance(pilot.app.screen, BoardScreen)
        assert pilot.app.staff.shop_code == "EAST" and "EAST" in pilot.app.sub_title
        assert set(pilot.app.screen.cards) == {east_order.id}
        later_main = create_order(_form(shop.car3), by=shop.main_advisor)
        from tests.factories import make_vehicle
        car = make_vehicle("粤B99999", "LVGBM53K5RG000009", shop.customer)
        east_again = create_order(_form(car), by=shop.east_advisor)
        assert await wait_until(pilot, lambda: east_again.id in pilot.app.screen.cards)
        assert later_main.id not in pilot.app.screen.cards and main_order.id not in pilot.app.screen.cards
    monkeypatch.setenv(shops.SHOP_ENV, "MAIN")
    async with app_as(shop.manager).run_test(size=(100, 30)) as pilot:
        assert set(pilot.app.screen.cards) == {main_order.id, later_main.id}


def test_an_actor_of_another_shop_checks_in_there_even_when_given_as_a_row(group):
    """A service handed a Staff row (no terminal) works in that person's home shop."""
    shop = group
    from models.people import Staff
    order = create_order(_form(shop.car2), by=Staff.get(Staff.login == "east.adv"))
    assert order.shop_id == shop.east.id
    assert replace(shop.main_advisor, shop_id=shop.east.id).shop_id == shop.east.id


# --- real processes: two shops' terminals checking in and settling at once --------------------------------------

# (run by tests.test_concurrent_counts.run_all, whose prelude gives report() and as_a_user(): a write held up
# past its deadline on a loaded machine is refused, gives its number back, and is pressed again)
CHECK_IN_AT = """
    import datetime as dt
    from workshop import clock, shops
    from workshop.actor import Actor
    from workshop.reception import CustomerForm, OrderForm, VehicleForm, create_order, register_vehicle
    from workshop.vins import with_check_digit
    advisor = shops.at_sign_in(Actor.of(Staff.get(Staff.login == arg["login"])), arg["shop"])
    for n in range(arg["times"]):
        try:
            car = as_a_user(lambda: register_vehicle(
                CustomerForm(name=f"Driver {worker}-{n}", mobile=f"139{worker:04d}{n:04d}"),
                VehicleForm(plate=f"粤C{worker}{n}{worker}{n}A", vin=with_check_digit(f"LVGBM53K5RC{worker:03d}{n:03d}"),
                            brand="Toyota", model="Corolla"), by=advisor))
            order = as_a_user(lambda: create_order(OrderForm(vehicle_id=car.id, mileage_in="1000", statement="Service",
                                                         promised_at=clock.now() + dt.timedelta(hours=4),
                                                         operation_codes=["QS001"]), by=advisor))
            report(ok=True, shop=order.shop_id, number=order.number, id=order.id)
        except Exception as error:
            report(ok=False, error=type(error).__name__ + ": " + str(error))
"""


def test_two_shops_checking_in_and_settling_at_once_get_gapless_numbers_each(group, db_path, tmp_path):
    """Six terminals, three at each shop, check in four cars each at the same moment, then six cashiers settle
    them all: each shop's RO numbers and invoice numbers come out gapless, none twice."""
    from tests.factories import make_staff as staff
    from tests.test_concurrent_counts import SETTLE, run_all
    PROCESSES, EACH = 6, 4  # (three terminals at each shop: twelve check-ins and twelve settlements per shop)
    from workshop import lifecycle
    shop = group
    args = [{"login": "li.wei" if p % 2 == 0 else "east.adv", "shop": "MAIN" if p % 2 == 0 else "EAST",
             "times": EACH} for p in range(PROCESSES)]
    reports = run_all(CHECK_IN_AT, db_path, tmp_path, args)
    assert [r for r in reports if not r["ok"]] == []
    per_shop = PROCESSES // 2 * EACH
    for shop_id in (1, shop.east.id):
        numbers = sorted(r["number"] for r in reports if r["shop"] == shop_id)
        assert numbers == list(range(1001, 1001 + per_shop))  # gapless at each shop, none twice
    ids = [r["id"] for r in reports]
    RepairOrder.update(state=lifecycle.READY_SETTLEMENT).where(RepairOrder.id.in_(ids)).execute()
    cashiers = ["hu.xin"] + [staff(f"cash{i}", f"Cashier {i}", "cashier").login for i in range(1, PROCESSES)]
    reports = run_all(SETTLE, db_path, tmp_path,
                      [{"login": cashiers[p], "orders": ids[p::PROCESSES]} for p in range(PROCESSES)])
    assert [r for r in reports if not r["ok"]] == []
    for shop_id in (1, shop.east.id):
        numbers = sorted(n for (n,) in Settlement.select(Settlement.number).where(Settlement.shop == shop_id).tuples())
        assert numbers == list(range(1, per_shop + 1))
    assert all(s.shop_id == s.order.shop_id for s in Settlement.select())


def test_settings_and_identity_per_shop_fall_back_to_the_group(group):
    """A shop's own value of a setting wins for that shop; every other shop reads the group's. A shop's identity
    (set-up, i) is its own; shop 1's is the identity settings."""
    from workshop import invoice, settings
    shop = group
    settings.put("shop_bank", "Group Bank 1", by=shop.manager)
    settings.put_many({"shop_bank": "East Bank 2"}, by=shop.manager, shop=shop.east.id)
    assert settings.get("shop_bank") == "Group Bank 1"
    assert settings.get("shop_bank", shop=shop.east.id) == "East Bank 2"
    assert settings.get("shop_opens", shop=shop.east.id) == "08:00"  # not set for the shop: the group's default
    shops.set_identity(shop.east.id, {"shop_name": "East Side Motors", "shop_phone": "0755-1234",
                                      "document_language": "en"}, by=shop.manager)
    assert Shop.get_by_id(shop.east.id).name == "East Side Motors"
    assert settings.get("document_language", shop=shop.east.id) == "en"
    assert settings.get("document_language") == "zh_CN"
    with pytest.raises(NotAllowed):
        shops.set_identity(shop.east.id, {"shop_name": "Mine"}, by=shop.advisor)
    east_order = create_order(_form(shop.car2), by=shop.east_advisor)
    main_order = create_order(_form(shop.car), by=shop.main_advisor)
    east_head = invoice.preview_data(east_order.id)["shop"]
    assert (east_head["name"], east_head["phone"], east_head["tax_number"], east_head["bank"]) == (
        "East Side Motors", "0755-1234", "91440300EAST", "East Bank 2")
    main_head = invoice.preview_data(main_order.id)["shop"]
    assert (main_head["name"], main_head["bank"]) == (settings.get("shop_name"), "Group Bank 1")


async def test_someone_who_works_in_two_shops_picks_one_at_sign_in(group):
    """A group's terminal not fixed to a shop asks whoever works in several which one (their home shop first)
    and shows that shop's board; a one-shop database never asks (the other sign-in tests)."""
    from screens.app import WorkshopApp
    from screens.board import BoardScreen
    from screens.forms import FormDialog
    from screens.signin import SignInScreen
    from tests.factories import TEST_PIN
    from tests.ui import wait_until
    shop = group
    east_order = create_order(_form(shop.car2), by=shop.east_advisor)
    main_order = create_order(_form(shop.car), by=shop.main_advisor)
    shops.assign(shop.dispatcher.id, "MAIN", also=("EAST",), by=shop.manager)
    async with WorkshopApp(build_ahead=False, time_rules=False).run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignInScreen))
        await pilot.pause()
        await pilot.press(*"zh", "enter")
        assert pilot.app.screen.picked.name == "Zhang Lei"
        await pilot.press(*TEST_PIN, "enter")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        await pilot.press("enter", "down", "enter")  # MAIN (their home shop) first, then EAST
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
        assert (pilot.app.staff.shop_id, pilot.app.staff.shop_code) == (shop.east.id, "EAST")
        assert set(pilot.app.screen.cards) == {east_order.id} and main_order.id not in pilot.app.screen.cards


# --- what main added since the first phase, in a group: each shop's own ------------------------------------------

TOMORROW = dt.date(2026, 11, 21)  # (the small shop's clock stands at Friday 2026-11-20 09:00)


def _ten_tomorrow() -> dt.datetime:
    return dt.datetime.combine(TOMORROW, dt.time(10))


def test_appointments_take_their_own_shop_s_capacity_and_lists(group):
    """A car booked at EAST takes EAST's capacity (its bays, the technicians whose home it is), never MAIN's, and
    each shop's day, reminder calls and expected lane list its own bookings only."""
    from workshop import appointments, capacity
    from workshop.errors import InvalidInput
    shop = group

    def book(car, who):
        return appointments.book(appointments.AppointmentForm(vehicle_id=car.id, starts_at=_ten_tomorrow(),
                                                              operation_codes=["QS001"]), by=who)

    main = book(shop.car, shop.main_advisor)
    with pytest.raises(InvalidInput, match="technician"):  # MAIN's quick-service technician is not EAST's
        book(shop.car2, shop.east_advisor)
    east_tech = make_staff("east.qs", "Qin Shu", "technician", "quick_service")
    shops.assign(east_tech.id, "EAST", by=shop.manager)
    east = book(shop.car2, shop.east_advisor)
    assert (main.shop_id, east.shop_id) == (1, shop.east.id)
    for shop_id, appointment in ((1, main), (shop.east.id, east)):
        grid = capacity.day_grid(TOMORROW, shop=shop_id)
        assert grid.booked_hours["quick_service"] == Decimal("0.5")  # its own booking, not the other shop's
        assert [r.id for r in appointments.day_list(TOMORROW, shop=shop_id)] == [appointment.id]
        assert [r.id for r in appointments.reminder_list(TOMORROW, shop=shop_id)] == [appointment.id]
        assert appointments.count_open(TOMORROW, shop=shop_id) == 1
    assert capacity.shop_capacity(shop.east.id).bay_places == {"quick_service": 2}
    assert len(appointments.day_list(TOMORROW)) == 2  # (unscoped: a one-shop database's query)
    # Moved within EAST: checked against EAST's capacity (two places in Q1, one technician's half-hours).
    moved = appointments.move(east.id, dt.datetime.combine(TOMORROW, dt.time(11)), by=shop.east_advisor)
    assert moved.starts_at.hour == 11
    clock.freeze(dt.datetime.combine(TOMORROW, dt.time(8)))
    assert [r.id for r in appointments.expected_arrivals(shop=shop.east.id)] == [east.id]


def test_the_shop_floor_of_a_group_s_terminal_is_its_shop_s(group):
    """The bays view, the technicians offered for dispatch or a tool and the jobs a tool is lent for are the
    terminal's shop's: its bays, the technicians who work in it, its cars."""
    from workshop import bay_timeline, my_jobs
    from workshop.dispatch import dispatch, technician_loads
    from workshop.trade_dispatch import plan_view
    shop = group
    east_tech = make_staff("east.qs", "Qin Shu", "technician", "quick_service")
    shops.assign(east_tech.id, "EAST", by=shop.manager)
    main_order = create_order(_form(shop.car), by=shop.main_advisor)
    east_order = create_order(_form(shop.car2), by=shop.east_advisor)
    dispatch(east_order.id, shop.east_bay.id, [east_tech.id], by=shop.east_dispatcher)
    dispatch(main_order.id, shop.bays[0].id, [shop.techs[1].id], by=shop.dispatcher)
    assert [t.name for t in technician_loads(shop.east.id)] == ["Qin Shu"]
    assert "Qin Shu" not in [t.name for t in technician_loads(1)]
    assert [t.name for t in plan_view(east_order.id).technicians] == ["Qin Shu"]
    east = bay_timeline.timeline(TOMORROW - dt.timedelta(days=1), shop=shop.east.id)
    assert [lane.bay_id for lane in east.lanes] == [shop.east_bay.id]
    assert [busy.name for busy in east.technicians] == ["Qin Shu"]
    main = bay_timeline.timeline(shop=1)
    assert shop.east_bay.id not in [lane.bay_id for lane in main.lanes]
    assert all(s.order_id != east_order.id for lane in main.lanes for s in lane.segments)
    # (both orders are RO 1001: the lines tell them apart)
    lines_of = {o.id: {i for (i,) in JobLine.select(JobLine.id).where(JobLine.order == o.id).tuples()}
                for o in (main_order, east_order)}
    assert {j.line_id for j in my_jobs.workshop_jobs(shop=shop.east.id)} == lines_of[east_order.id]
    assert {j.line_id for j in my_jobs.workshop_jobs()} == lines_of[east_order.id] | lines_of[main_order.id]


def test_money_of_the_same_ro_number_at_two_shops(group):
    """Both shops have an RO 1001: the receivables found by that number are both (no 'more than one row' from a
    subquery on PostgreSQL); a group's cash desk lists, ages and cashes up its own shop's only."""
    from workshop import audit, lifecycle
    shop = group
    orders = [create_order(_form(car), by=who) for car, who in ((shop.car, shop.main_advisor),
                                                               (shop.car2, shop.east_advisor))]
    assert [o.number for o in orders] == [1001, 1001]
    RepairOrder.update(state=lifecycle.READY_SETTLEMENT).where(RepairOrder.id.in_([o.id for o in orders])).execute()
    settlement.take_payment(orders[0].id, "cash", "10", by=shop.cashier)
    for order in orders:
        settlement.settle(order.id, by=shop.cashier)
    assert sorted(r.order_id for r in settlement.receivables("1001")) == sorted(o.id for o in orders)
    assert [r.order_id for r in settlement.receivables("1001", shop=shop.east.id)] == [orders[1].id]
    assert [r.order_id for r in settlement.receivables(shop=1)] == [orders[0].id]
    east_owed = settlement.receivables(shop=shop.east.id)[0].amount
    assert sum(settlement.aging(shop.east.id).values()) == east_owed
    assert sum(settlement.aging().values()) > east_owed
    assert settlement.cash_up(clock.today(), shop=shop.east.id) == []
    assert [r.amount for r in settlement.cash_up(clock.today(), shop=1)] == [Decimal("10.00")]
    # The audit trail of "RO 1001" is the viewer's shop's order's.
    from models.events import Event
    for viewer, order in ((shops.at_sign_in(Actor.of(shop.manager), "EAST"), orders[1]),
                          (shops.at_sign_in(Actor.of(shop.manager), "MAIN"), orders[0])):
        events = {e.id for e in audit.search(order_number=1001, viewer=viewer)}
        assert events and events == {e.id for e in Event.select(Event.id).where(Event.order == order.id)}


def test_warranty_claims_and_staff_added_at_a_shop_are_that_shop_s(group):
    from models.people import Staff
    from tests.test_warranty import settled_warranty_job
    from workshop import accounts, warranty
    shop = group
    main_claim = settled_warranty_job(shop, shop.car)
    from tests.claims_helpers import worked
    from workshop.settlement import settle_fully
    order = worked(shop, shop.car2)
    RepairOrder.update(shop=shop.east.id).where(RepairOrder.id == order.id).execute()  # (worked at EAST)
    settle_fully(order.id, shop.cashier)
    from models.warranty import WarrantyClaim
    east_claim = WarrantyClaim.get(WarrantyClaim.order == order.id)
    assert [c.id for c in warranty.to_submit(shop=shop.east.id)] == [east_claim.id]
    assert [c.id for c in warranty.to_submit(shop=1)] == [main_claim.id]
    assert {c.id for c in warranty.to_submit()} == {main_claim.id, east_claim.id}
    assert [c.id for c in warranty.to_submit("粤A", shop=1)] == []
    manager_east = shops.at_sign_in(Actor.of(shop.manager), "EAST")
    added = accounts.add_staff("east.cash", "Fang Yu", ["cashier"], "7391", by=manager_east)
    assert Staff.get_by_id(added.id).home_shop_id == shop.east.id


async def test_a_group_s_appointments_screen_shows_its_shop_s_bookings(group):
    """EAST's advisor opens Appointments (F12): tomorrow's reminder calls and the day's capacity are EAST's."""
    from models.people import Staff
    from tests.ui import app_as, wait_until
    from workshop import appointments
    shop = group
    east_tech = make_staff("east.qs", "Qin Shu", "technician", "quick_service")
    shops.assign(east_tech.id, "EAST", by=shop.manager)
    form = appointments.AppointmentForm
    main = appointments.book(form(vehicle_id=shop.car.id, starts_at=_ten_tomorrow(), operation_codes=["QS001"]),
                             by=shop.main_advisor)
    east = appointments.book(form(vehicle_id=shop.car2.id, starts_at=_ten_tomorrow(), operation_codes=["QS001"]),
                             by=shop.east_advisor)
    app = app_as(Staff.get(Staff.login == "east.adv"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "AppointmentsScreen")
        assert app.staff.shop_code == "EAST"
        assert await wait_until(pilot, lambda: [r.id for r in app.screen.call_rows] == [east.id])
        assert main.id not in [r.id for r in app.screen.call_rows]
        assert app.screen.grid.bay_places == {"quick_service": 2}  # EAST's one bay for two cars


def test_a_group_s_appointment_figures_are_headed_for_the_whole_group(shop):
    """The appointment figures of the whole database: "Whole shop" for one shop, "Whole group" for a group
    (a group manager's line covers every shop); one shop's figures stay "Whole shop"."""
    from workshop import appointment_figures
    start, end = clock.now() - dt.timedelta(days=30), clock.now()
    assert appointment_figures.report(start, end).shop.name == "Whole shop"
    shops.add_shop("east", "East Side Service", by=shop.manager)
    shops.forget_count()
    assert appointment_figures.report(start, end).shop.name == "Whole group"
    assert appointment_figures.report(start, end, shop=1).shop.name == "Whole shop"
