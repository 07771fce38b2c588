"""The shop floor: dispatch per trade through the bays, a technician's own jobs, clocking on only what is
ready, pick requests to the parts counter, shifts and badges."""
import datetime as dt
from decimal import Decimal

import pytest

from models.events import Event
from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.parts import OperationPart, Part, PartLine
from models.shopfloor import PickRequest, Shift, TradeDispatch
from models.shop import Operation
from tests.factories import TEST_PIN, make_staff, make_vehicle
from workshop import (accounts, bay_timeline, board, clock, dispatch as dispatching, my_jobs, parts, pick_requests,
                      shifts, trade_dispatch)
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed, SignInFailed
from workshop.trade_dispatch import TradePlan


@pytest.fixture
def floor(shop):
    """The small shop with a paint technician, a supervisor, and brake pads the brake job takes."""
    shop.painter = make_staff("cao.yu", "Cao Yu", "technician", "paint")
    shop.supervisor = make_staff("liu.yang", "Liu Yang", "supervisor,dispatcher")
    shop.q1, shop.m1, shop.b1, shop.p1, shop.m2 = shop.bays
    pads = Part.create(code="BP-100", name="Front brake pads", unit="pc", bin="A-01-1", unit_cost=Decimal("260"),
                       sale_price=Decimal("520"))
    OperationPart.create(operation=Operation.get(Operation.code == "ME001"), part=pads, qty=Decimal("1"))
    parts.receive("BP-100", "4", by=shop.clerk, reference="opening")
    return shop


def lines_of(order) -> dict[str, JobLine]:
    return {line.code: line for line in JobLine.select().where(JobLine.order == order.id)}


def mech_then_paint(shop, vehicle=None, **kw):
    order = shop.order(vehicle, codes=("ME001", "PT001"), business_type="general_repair", **kw)
    return trade_dispatch.dispatch_trades(order.id, [TradePlan("mechanical", shop.m1.id, (shop.techs[0].id,)),
                                                     TradePlan("paint", shop.p1.id, (shop.painter.id,))],
                                          by=shop.dispatcher)


def pick_all(shop, order):
    for line in PartLine.select().where(PartLine.order == order.id):
        parts.pick(line.id, by=shop.clerk)


# --- dispatch per trade, through the bays -----------------------------------------------------------------

def test_an_order_goes_from_mechanical_to_paint_with_the_right_bays_and_teams(floor):
    shop = floor
    order = mech_then_paint(shop)
    lines = lines_of(order)
    assert (order.state, order.bay_id, order.next_bay_id) == ("dispatched", shop.m1.id, shop.p1.id)
    teams = {code: [(t.technician_id, t.lead) for t in JobLineTechnician.select().where(JobLineTechnician.line == line.id)]
             for code, line in lines.items()}
    assert teams == {"ME001": [(shop.techs[0].id, True)], "PT001": [(shop.painter.id, True)]}
    card = board.cards_for([order.id])[0]
    assert (card.bay, card.next_bay) == ("M1", "P1")
    assert [(s.trade, s.bay, s.lead, s.state) for s in trade_dispatch.stages(order.id)] == [
        ("mechanical", "M1", "Xu Gang", "here"), ("paint", "P1", "Cao Yu", "waiting")]

    with pytest.raises(IllegalTransition, match="stands in bay M1: 'Bumper respray' is done in bay P1"):
        dispatching.clock_on(lines["PT001"].id, shop.painter.id, by=shop.painter)
    with pytest.raises(IllegalTransition, match="1 job line in this bay is not finished"):
        trade_dispatch.move_to_next_bay(order.id, by=shop.dispatcher)

    pick_all(shop, order)
    dispatching.clock_on(lines["ME001"].id, shop.techs[0].id, by=shop.techs[0])
    clock.advance(hours=1)
    dispatching.clock_off(lines["ME001"].id, shop.techs[0].id, finished=True, by=shop.techs[0])
    moved = trade_dispatch.move_to_next_bay(order.id, by=shop.dispatcher)
    assert (moved.bay_id, moved.next_bay_id) == (shop.p1.id, None)
    card = board.cards_for([order.id])[0]
    assert (card.bay, card.next_bay) == ("P1", None)
    assert Event.select().where((Event.kind == "bay_moved") & (Event.order == order.id)).get().summary == \
        f"RO {order.number} moved from bay M1 to bay P1"
    dispatching.clock_on(lines["PT001"].id, shop.painter.id, by=shop.painter)
    assert TimeLog.select().where(TimeLog.technician == shop.painter.id).count() == 1
    with pytest.raises(IllegalTransition, match="no further bay"):
        trade_dispatch.move_to_next_bay(order.id, by=shop.dispatcher)


def test_a_full_next_bay_keeps_the_car_where_it_is(floor):
    shop = floor
    in_booth = shop.order(shop.car2, codes=("PT001",), business_type="paint")
    trade_dispatch.dispatch_trades(in_booth.id, [TradePlan("paint", shop.p1.id, (shop.painter.id,))],
                                   by=shop.dispatcher)
    order = mech_then_paint(shop)
    pick_all(shop, order)
    dispatching.finish_line(lines_of(order)["ME001"].id, by=shop.dispatcher)
    with pytest.raises(IllegalTransition, match="Bay P1 is full"):
        trade_dispatch.move_to_next_bay(order.id, by=shop.dispatcher)
    assert RepairOrder.get_by_id(order.id).bay_id == shop.m1.id


def test_body_work_in_a_quick_service_bay_is_refused_unless_a_supervisor_gives_a_reason(floor):
    shop = floor
    order = shop.order(codes=("BD001",), business_type="body")
    plan = [TradePlan("body", shop.q1.id, (shop.techs[2].id,))]
    with pytest.raises(InvalidInput, match="Bay Q1 is for quick service work: it does not take body work") as refused:
        trade_dispatch.dispatch_trades(order.id, plan, by=shop.dispatcher)
    assert refused.value.field == "bay-body"
    with pytest.raises(InvalidInput, match="does not take body work"):  # the whole-order dispatch says the same
        dispatching.dispatch(order.id, shop.q1.id, [shop.techs[2].id], by=shop.dispatcher)
    with pytest.raises(NotAllowed, match="Zhang Lei may not put a trade in a bay of another kind"):
        trade_dispatch.dispatch_trades(order.id, plan, by=shop.dispatcher, reason="body bays full, small scratch")
    assert RepairOrder.get_by_id(order.id).state == "checked_in" and not TradeDispatch.select().exists()

    done = trade_dispatch.dispatch_trades(order.id, plan, by=shop.supervisor, reason="body bays full, small scratch")
    assert done.bay_id == shop.q1.id
    stage = TradeDispatch.get(TradeDispatch.order == order.id)
    assert (stage.mismatch_reason, stage.allowed_by_id) == ("body bays full, small scratch", shop.supervisor.id)
    event = Event.get((Event.kind == "bay_mismatch_allowed") & (Event.order == order.id))
    assert event.actor_id == shop.supervisor.id and "body bays full, small scratch" in event.summary


def test_every_open_trade_needs_a_bay_and_bad_hours_are_refused(floor):
    shop = floor
    order = shop.order(codes=("ME001", "PT001"))
    with pytest.raises(InvalidInput, match="The paint work of RO .* needs a bay and a team too"):
        trade_dispatch.dispatch_trades(order.id, [TradePlan("mechanical", shop.m1.id, (shop.techs[0].id,))],
                                       by=shop.dispatcher)
    for hours, message in (("-2", "cannot be negative"), ("abc", "must be a number"), ("1.255", "more than 2 decimal places"), ("1e30", "must be a number")):
        with pytest.raises(InvalidInput, match=message) as refused:
            trade_dispatch.dispatch_trades(order.id, [
                TradePlan("mechanical", shop.m1.id, (shop.techs[0].id,), hours=hours),
                TradePlan("paint", shop.p1.id, (shop.painter.id,))], by=shop.dispatcher)
        assert refused.value.field == "hours-mechanical"
    assert RepairOrder.get_by_id(order.id).version == order.version and not TradeDispatch.select().exists()


def test_one_line_is_redispatched_alone(floor):
    shop = floor
    order = shop.order(codes=("ME001", "QS001"))
    dispatching.dispatch(order.id, shop.m1.id, [shop.techs[0].id], by=shop.dispatcher)
    lines = lines_of(order)
    trade_dispatch.redispatch_line(lines["QS001"].id, [shop.techs[1].id], by=shop.dispatcher)
    assert dispatching.order_lines(order.id)[0].technicians == ("Xu Gang",)
    assert [r.technicians for r in dispatching.order_lines(order.id)] == [("Xu Gang",), ("Song Jie",)]
    assert "re-dispatched to Song Jie" in Event.select().where(Event.kind == "line_redispatched").get().summary


def test_planned_times_follow_the_standard_hours_the_opening_hours_and_the_bays_queue(floor):
    shop = floor
    clock.freeze(dt.datetime(2026, 11, 20, 16, 0))
    first = mech_then_paint(shop)  # mechanical 1 h from 16:00; paint 3 h: 17:00-18:00, then 08:00-10:00
    planned = {s.trade: (s.planned_start, s.planned_end) for s in trade_dispatch.stages(first.id)}
    assert planned == {"mechanical": (dt.datetime(2026, 11, 20, 16), dt.datetime(2026, 11, 20, 17)),
                       "paint": (dt.datetime(2026, 11, 20, 17), dt.datetime(2026, 11, 21, 10))}
    second = shop.order(shop.car2, codes=("PT001",), business_type="paint")
    # The booth is planned for the first car until 10:00 tomorrow; the second car's paint comes after it.
    trade_dispatch.dispatch_trades(second.id, [TradePlan("paint", shop.p1.id, (shop.painter.id,), hours="1.5")],
                                   by=shop.dispatcher)
    s = trade_dispatch.stages(second.id)[0]
    assert (s.planned_start, s.planned_end) == (dt.datetime(2026, 11, 21, 10), dt.datetime(2026, 11, 21, 11, 30))

    today = bay_timeline.timeline()
    booth = next(lane for lane in today.lanes if lane.code == "P1")
    assert [(seg.number, seg.car_here) for seg in booth.segments] == [(first.number, False), (second.number, True)]
    busy = {b.name: b for b in today.technicians}
    assert busy["Cao Yu"].busy_until == dt.datetime(2026, 11, 21, 11, 30) and busy["Cao Yu"].open_lines == 2
    assert busy["Xu Gang"].busy_until == dt.datetime(2026, 11, 20, 17) and not busy["Xu Gang"].late
    assert busy["Song Jie"].busy_until is None
    clock.freeze(dt.datetime(2026, 11, 20, 17, 30))
    late = bay_timeline.timeline()
    assert any(seg.number == first.number and seg.trade == "mechanical" and seg.overdue for seg in late.late)
    assert {b.name: b.late for b in late.technicians}["Xu Gang"]


def test_a_short_job_is_planned_in_the_gap_before_work_planned_later_in_the_bay(floor):
    shop = floor
    clock.freeze(dt.datetime(2026, 11, 20, 15, 0))
    first = mech_then_paint(shop)  # mechanical 15:00-16:00 in M1; the booth is the first car's from 16:00
    touch_up = shop.order(shop.car2, codes=("PT001",), business_type="paint")
    trade_dispatch.dispatch_trades(touch_up.id, [TradePlan("paint", shop.p1.id, (shop.painter.id,), hours="0.5")],
                                   by=shop.dispatcher)  # half an hour fits before 16:00: now, not tomorrow
    s = trade_dispatch.stages(touch_up.id)[0]
    assert (s.planned_start, s.planned_end) == (dt.datetime(2026, 11, 20, 15), dt.datetime(2026, 11, 20, 15, 30))
    assert {t.trade: t.planned_start for t in trade_dispatch.stages(first.id)}["paint"] == dt.datetime(2026, 11, 20, 16)


# --- a technician's own jobs, and clocking on only what is ready --------------------------------------

def test_my_jobs_lists_the_lines_dispatched_to_me_in_planned_order_with_bay_promise_and_parts(floor):
    shop = floor
    xu = shop.techs[0]
    later = mech_then_paint(shop, hours_ahead=8)
    sooner = shop.dispatched(shop.car2, bay=4, codes=("QS001",), hours_ahead=2)  # into M2, Xu Gang
    shop.order(shop.car3, codes=("ME001",))  # not dispatched: not Xu Gang's yet
    mine = my_jobs.my_jobs(xu.id)
    # Both are planned to start now, in their own bays: the sooner promise first.
    assert [(j.order_number, j.code, j.bay, j.car_bay) for j in mine.jobs] == [
        (sooner.number, "QS001", "M2", "M2"), (later.number, "ME001", "M1", "M1")]
    brake = mine.jobs[1]
    assert brake.promised_at == later.promised_at and brake.lead
    assert brake.parts.status == "to_pick" and brake.blocked == "parts to pick"
    assert [(m.code, m.qty, m.issued) for m in brake.parts.missing] == [("BP-100", 1, 0)]
    assert mine.jobs[0].parts.status == "none" and mine.jobs[0].blocked is None
    assert [j.code for j in my_jobs.my_jobs(shop.painter.id).jobs] == ["PT001"]
    assert my_jobs.my_jobs(shop.painter.id).jobs[0].blocked == "the car is in M1; this is done in P1"
    clock.advance(hours=1)
    car4 = make_vehicle("粤B55555", "LVGBM53K5RG000004", shop.customer)
    third = shop.dispatched(car4, bay=0, codes=("QS001",), hours_ahead=1)  # planned from 10:00: after them
    assert [j.order_number for j in my_jobs.my_jobs(xu.id).jobs] == [sooner.number, later.number, third.number]

    dispatching.clock_on(mine.jobs[0].line_id, xu.id, by=xu)
    again = my_jobs.my_jobs(xu.id)
    assert again.clocked_line_id == mine.jobs[0].line_id and again.jobs[0].clocked_on
    assert again.on_shift_since == clock.now()  # clocking on a job clocked him in
    dispatching.clock_off(mine.jobs[0].line_id, xu.id, finished=True, by=xu)
    assert [j.code for j in my_jobs.my_jobs(xu.id).jobs] == ["ME001", "QS001"]  # finished lines leave the list


def test_clocking_on_refuses_lines_not_mine_and_parts_not_issued_and_writes_nothing(floor):
    shop = floor
    xu, song = shop.techs[0], shop.techs[1]
    order = shop.dispatched(codes=("ME001",))
    line = lines_of(order)["ME001"]
    version = RepairOrder.get_by_id(order.id).version
    with pytest.raises(IllegalTransition, match="Song Jie is not dispatched to 'Front brake pads'"):
        dispatching.clock_on(line.id, song.id, by=song)
    with pytest.raises(IllegalTransition, match=r"parts for 'Front brake pads' are not issued yet \(BP-100 Front "
                                                r"brake pads 0 of 1\)"):
        dispatching.clock_on(line.id, xu.id, by=xu)
    assert not TimeLog.select().exists() and not Shift.select().exists()
    assert RepairOrder.get_by_id(order.id).version == version and JobLineTechnician.select().count() == 1
    pick_all(shop, order)
    dispatching.clock_on(line.id, xu.id, by=xu)
    assert RepairOrder.get_by_id(order.id).state == "in_progress"


def test_one_key_moves_a_technician_to_the_next_job_pausing_the_one_he_is_on_or_changes_nothing(floor):
    shop = floor
    xu = shop.techs[0]
    order = shop.dispatched(codes=("QS001", "ME001"))  # the oil change needs no part, the pads are still to pick
    oil, brakes = lines_of(order)["QS001"], lines_of(order)["ME001"]
    other = shop.dispatched(shop.car2, bay=4, codes=("QS001",))
    other_oil = lines_of(other)["QS001"]
    dispatching.clock_on(oil.id, xu.id, by=xu)
    with pytest.raises(IllegalTransition, match="already clocked on another job"):  # without asking to pause it
        dispatching.clock_on(other_oil.id, xu.id, by=xu)
    version, events = RepairOrder.get_by_id(order.id).version, Event.select().count()
    with pytest.raises(IllegalTransition, match="not issued yet"):  # refused: he stays on the oil change
        dispatching.clock_on(brakes.id, xu.id, by=xu, pause_other=True)
    assert [log.line_id for log in TimeLog.select().where(TimeLog.ended_at.is_null())] == [oil.id]
    assert (RepairOrder.get_by_id(order.id).version, Event.select().count()) == (version, events)
    with pytest.raises(IllegalTransition, match="Xu Gang is already clocked on 'Oil"):
        dispatching.clock_on(oil.id, xu.id, by=xu, pause_other=True)
    dispatching.clock_on(other_oil.id, xu.id, by=xu, pause_other=True)  # another car: one transaction
    assert [log.line_id for log in TimeLog.select().where(TimeLog.ended_at.is_null())] == [other_oil.id]
    assert JobLine.get_by_id(oil.id).status == "paused" and JobLine.get_by_id(other_oil.id).status == "in_progress"
    pick_all(shop, order)
    dispatching.clock_on(brakes.id, xu.id, by=xu, pause_other=True)  # back to the first car, its brakes
    assert [log.line_id for log in TimeLog.select().where(TimeLog.ended_at.is_null())] == [brakes.id]
    assert JobLine.get_by_id(other_oil.id).status == "paused"
    dispatching.clock_on(oil.id, xu.id, by=xu, pause_other=True)  # within one order (its version moves twice)
    assert [log.line_id for log in TimeLog.select().where(TimeLog.ended_at.is_null())] == [oil.id]
    assert JobLine.get_by_id(brakes.id).status == "paused"


def test_a_line_the_customer_has_not_approved_can_be_refused_by_another_capability(floor):
    shop = floor
    order = shop.dispatched()
    line = lines_of(order)["QS001"]

    def not_approved(job_line, _order):
        raise IllegalTransition(f"'{job_line.name}' is not approved by the customer yet.")

    dispatching.CLOCK_ON_GUARDS.append(not_approved)
    try:
        with pytest.raises(IllegalTransition, match="not approved"):
            dispatching.clock_on(line.id, shop.techs[0].id, by=shop.techs[0])
    finally:
        dispatching.CLOCK_ON_GUARDS.remove(not_approved)
    assert not TimeLog.select().exists()


# --- pick requests ---------------------------------------------------------------------------------------

def test_a_pick_request_goes_first_in_the_clerks_queue_and_is_ready_when_picked(floor):
    shop = floor
    xu = shop.techs[0]
    urgent = shop.dispatched(shop.car2, bay=4, codes=("ME001",), hours_ahead=1, tech=0)
    mine = shop.dispatched(codes=("ME001",), hours_ahead=6)
    line = lines_of(mine)["ME001"]
    assert [r.order_number for r in parts.pick_queue()] == [urgent.number, mine.number]  # by promise
    state = pick_requests.request(line.id, by=xu, note="at the car")
    assert state.asked and state.status == "to_pick"
    assert [r.order_number for r in parts.pick_queue()] == [mine.number, urgent.number]  # asked for: first
    assert [(r.order_number, r.technician, r.note) for r in pick_requests.open_requests()] == [
        (mine.number, "Xu Gang", "at the car")]
    assert "Xu Gang asks the parts counter for 'Front brake pads' (BP-100 1)" in \
        Event.select().where(Event.kind == "pick_requested").get().summary

    clock.advance(minutes=7)
    parts.pick(parts.pick_queue()[0].id, by=shop.clerk)
    ready = pick_requests.line_parts([line.id])[line.id]
    assert ready.issued and ready.ready_at == clock.now() and not ready.asked
    assert pick_requests.open_requests() == []
    with pytest.raises(IllegalTransition, match="all issued: there is nothing to ask for"):
        pick_requests.request(line.id, by=xu)


def test_asking_for_another_part_adds_it_to_the_line_and_to_the_open_request(floor):
    shop = floor
    xu = shop.techs[0]
    order = shop.dispatched(codes=("ME001",))
    line = lines_of(order)["ME001"]
    Part.create(code="BF-DOT4", name="Brake fluid", unit="L", sale_price=Decimal("60"))
    parts.receive("BF-DOT4", "5", by=shop.clerk, reference="opening")
    pick_requests.request(line.id, by=xu)
    state = pick_requests.request(line.id, by=xu, part_code="bf-dot4", qty="0.5")
    assert sorted((m.code, m.qty) for m in state.missing) == [("BF-DOT4", Decimal("0.5")), ("BP-100", 1)]
    assert PickRequest.select().count() == 1  # one open request per line
    added = PartLine.get(PartLine.part == Part.get(Part.code == "BF-DOT4"))
    assert (added.job_line_id, added.reserved) == (line.id, Decimal("0.5"))
    with pytest.raises(InvalidInput):
        pick_requests.request(line.id, by=xu, part_code="BF-DOT4", qty="-1")
    with pytest.raises(IllegalTransition, match="Song Jie is not dispatched to 'Front brake pads'"):
        pick_requests.request(line.id, by=shop.techs[1])
    assert PartLine.select().where(PartLine.order == order.id).count() == 2


# --- shifts and badges ----------------------------------------------------------------------------------

def test_a_shift_clocks_in_and_out_and_clocking_out_pauses_the_job(floor):
    shop = floor
    xu = shop.techs[0]
    order = shop.dispatched()
    line = lines_of(order)["QS001"]
    shifts.clock_in(xu.id, by=xu)
    with pytest.raises(IllegalTransition, match="already clocked in"):
        shifts.clock_in(xu.id, by=xu)
    with pytest.raises(NotAllowed):
        shifts.clock_in(shop.techs[1].id, by=xu)
    dispatching.clock_on(line.id, xu.id, by=xu)
    clock.advance(hours=2)
    shifts.clock_out(xu.id, by=xu)
    assert JobLine.get_by_id(line.id).status == "paused"
    assert TimeLog.get().ended_at == clock.now() and Shift.get().ended_at == clock.now()
    with pytest.raises(IllegalTransition, match="not clocked in"):
        shifts.clock_out(xu.id, by=xu)


def test_a_shift_recorded_by_hand_must_make_sense_and_nothing_is_written_otherwise(floor):
    shop = floor
    xu = shop.techs[0]
    day = dt.date(2026, 11, 19)
    cases = [
        ("2026-11-19 17:00", "2026-11-19 08:00", "cannot end before it starts", "ended_at"),
        ("2026-11-19 08:00", "2026-11-19 08:00", "cannot end before it starts", "ended_at"),
        ("2026-11-19 08:00", "2026-11-21 08:00", "at most 24 hours", "ended_at"),
        ("2026-11-20 08:00", "2026-11-20 17:00", "cannot end in the future", "ended_at"),
        ("yesterday", "2026-11-19 17:00", "must be a date and time", "started_at"),
    ]
    for start, end, message, field in cases:
        with pytest.raises(InvalidInput, match=message) as refused:
            shifts.record_shift(xu.id, start, end, by=shop.supervisor)
        assert refused.value.field == field
    assert not Shift.select().exists()
    with pytest.raises(NotAllowed):
        shifts.record_shift(xu.id, "2026-11-19 08:00", "2026-11-19 17:00", by=xu)
    shifts.record_shift(xu.id, "2026-11-19 08:00", "2026-11-19 17:00", by=shop.supervisor, note="forgot to clock")
    with pytest.raises(InvalidInput, match="has a shift from 2026-11-19 08:00 to 2026-11-19 17:00 already"):
        shifts.record_shift(xu.id, "2026-11-19 16:00", "2026-11-19 18:00", by=shop.supervisor)
    assert [s.seconds for s in shifts.shifts_of(xu.id, dt.datetime.combine(day, dt.time()),
                                                dt.datetime.combine(day, dt.time(23)))] == [9 * 3600]


def test_a_technician_signs_in_with_badge_and_pin(floor):
    shop = floor
    xu = shop.techs[0]
    accounts.set_badge(xu.id, " 1015 ", by=shop.manager)
    with pytest.raises(InvalidInput, match="Badge 1015 is Xu Gang's already"):
        accounts.set_badge(shop.techs[1].id, "1015", by=shop.manager)
    with pytest.raises(NotAllowed):
        accounts.set_badge(shop.techs[1].id, "1016", by=xu)
    actor = accounts.sign_in_badge("1015", TEST_PIN, source="floor-1")
    assert (actor.id, actor.name) == (xu.id, "Xu Gang")
    with pytest.raises(SignInFailed, match="Wrong PIN"):
        accounts.sign_in_badge("1015", "0000", source="floor-1")
    with pytest.raises(SignInFailed, match="Badge 9999 is not known here"):
        accounts.sign_in_badge("9999", TEST_PIN, source="floor-1")
    with pytest.raises(InvalidInput, match="1 to 16 letters and digits"):
        accounts.sign_in_badge("10 15", TEST_PIN, source="floor-1")


def test_the_demo_shop_runs_clocks_only_on_lines_whose_parts_are_issued(db_path):
    """The shop-floor terminal's first look at the demo must not contradict its own rule (clocking on
    needs the line's parts issued)."""
    from models.orders import TimeLog
    from seeds.demo import generate
    from workshop import pick_requests, settings
    settings.forget_cache()
    clock.freeze(dt.datetime(2026, 11, 20, 11, 0))  # working hours: shifts and clocks are running
    generate("tiny", seed=5)  # (a seed whose first in-progress line had parts still to pick)
    running = [line for (line,) in TimeLog.select(TimeLog.line).where(TimeLog.ended_at.is_null()).tuples()]
    assert running
    assert [line for line, parts in pick_requests.line_parts(running).items() if not parts.issued] == []
