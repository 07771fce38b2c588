"""Every transition of the repair order, legal and illegal, through the services."""
import datetime as dt
from decimal import Decimal

import pytest

from models.db import db
from models.events import Event
from models.orders import JobLine, JobLineTechnician, RepairOrder
from workshop import audit, clock, errors, lifecycle
from workshop import dispatch as dispatching
from workshop.dispatch import clock_off, clock_on, dispatch, finish_line
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed, StaleOrder
from workshop.lifecycle import transition


def state(order):
    return RepairOrder.get_by_id(order.id).state


def test_new_order_is_checked_in_with_event_by_advisor(shop):
    order = shop.order()
    assert state(order) == "checked_in"
    event = Event.get(Event.order == order.id)
    assert event.kind == "order_created" and event.actor_id == shop.advisor.id


def test_dispatch_sets_bay_and_technicians_and_moves_to_dispatched(shop):
    order = shop.order()
    dispatch(order.id, shop.bays[0].id, [shop.techs[0].id, shop.techs[1].id], by=shop.dispatcher)
    fresh = RepairOrder.get_by_id(order.id)
    assert fresh.state == "dispatched" and fresh.bay_id == shop.bays[0].id
    assert Event.select().where((Event.order == order.id) & (Event.kind == "dispatch")).count() == 1


def test_dispatch_refuses_full_bay(shop):
    shop.dispatched(bay=0)
    other = shop.order(shop.car2)
    with pytest.raises(IllegalTransition, match="Bay Q1 is full"):
        dispatch(other.id, shop.bays[0].id, [shop.techs[1].id], by=shop.dispatcher)
    assert state(other) == "checked_in"


def test_dispatch_refuses_non_technician(shop):
    order = shop.order()
    with pytest.raises(InvalidInput):
        dispatch(order.id, shop.bays[0].id, [shop.cashier.id], by=shop.dispatcher)


def test_start_without_dispatch_is_refused(shop):
    order = shop.order()
    with pytest.raises(IllegalTransition):
        transition(order.id, "start", by=shop.dispatcher)
    assert state(order) == "checked_in"


def test_full_happy_path_to_ready_for_qc(shop):
    order = shop.in_progress()
    assert state(order) == "in_progress"
    with pytest.raises(IllegalTransition, match="not finished"):
        transition(order.id, "finish", by=shop.dispatcher)
    for line in JobLine.select().where(JobLine.order == order.id):
        finish_line(line.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    assert state(order) == "ready_qc"


def test_waiting_parts_and_resume(shop):
    order = shop.in_progress()
    transition(order.id, "wait_parts", by=shop.dispatcher)
    assert state(order) == "waiting_parts"
    transition(order.id, "resume", by=shop.dispatcher)
    assert state(order) == "in_progress"


def test_reopen_from_qc_and_undispatch(shop):
    order = shop.ready_for_qc()
    transition(order.id, "reopen", by=shop.dispatcher)
    assert state(order) == "in_progress"
    other = shop.dispatched(shop.car2, bay=1)
    transition(other.id, "undispatch", by=shop.dispatcher)
    fresh = RepairOrder.get_by_id(other.id)
    assert fresh.state == "checked_in" and fresh.bay_id is None


def test_deliver_only_when_settled(shop):
    order = shop.in_progress()
    with pytest.raises(IllegalTransition):
        transition(order.id, "deliver", by=shop.advisor)


def test_cancel_needs_reason_and_not_after_settlement(shop):
    order = shop.order()
    with pytest.raises(InvalidInput):
        lifecycle.cancel(order.id, "  ", by=shop.advisor)
    assert state(order) == "checked_in"
    lifecycle.cancel(order.id, "Customer changed their mind", by=shop.advisor)
    assert state(order) == "cancelled"
    settled = shop.order(shop.car2)
    RepairOrder.update(state="settled").where(RepairOrder.id == settled.id).execute()
    with pytest.raises(IllegalTransition, match="settled order cannot be cancelled"):
        lifecycle.cancel(settled.id, "oops", by=shop.manager)


def test_role_without_permission_changes_nothing(shop):
    order = shop.dispatched()
    with pytest.raises(NotAllowed, match="only"):
        transition(order.id, "start", by=shop.cashier)
    assert state(order) == "dispatched"
    with pytest.raises(NotAllowed):
        transition(order.id, "qc_pass", by=shop.dispatcher)


def test_stale_version_is_refused_with_who_moved_it(shop):
    order = shop.dispatched()
    seen = RepairOrder.get_by_id(order.id).version
    transition(order.id, "start", by=shop.dispatcher, seen_version=seen)
    with pytest.raises(StaleOrder, match=r"RO \d+ was started .* by Zhang Lei \d+ seconds? ago"):
        transition(order.id, "wait_parts", by=shop.dispatcher, seen_version=seen)
    assert state(order) == "in_progress"


def test_forward_and_backward_follow_the_columns(shop):
    order = shop.dispatched()
    lifecycle.move_forward(order.id, by=shop.dispatcher)
    assert state(order) == "in_progress"
    lifecycle.move_backward(order.id, by=shop.dispatcher)
    assert state(order) == "dispatched"
    checked_in = shop.order(shop.car2)
    with pytest.raises(IllegalTransition, match="Dispatch it first"):
        lifecycle.move_forward(checked_in.id, by=shop.dispatcher)


def test_clock_on_starts_order_and_clock_off_finishes_line(shop):
    order = shop.dispatched()
    line = JobLine.get(JobLine.order == order.id)
    clock_on(line.id, shop.techs[0].id, by=shop.techs[0])
    assert state(order) == "in_progress"
    with pytest.raises(IllegalTransition, match="already clocked on"):
        clock_on(line.id, shop.techs[0].id, by=shop.techs[0])
    clock_off(line.id, shop.techs[0].id, finished=True, by=shop.techs[0])
    assert JobLine.get_by_id(line.id).status == "finished"


def test_every_change_writes_an_event_in_the_same_transaction(shop):
    order = shop.in_progress()
    versions = RepairOrder.get_by_id(order.id).version
    kinds = [e.kind for e in Event.select().where(Event.order == order.id).order_by(Event.id)]
    assert kinds[:2] == ["order_created", "dispatch"] and "start" in kinds
    assert versions >= 3


def test_by_id_reads_the_same_row_as_peewee_and_none_when_missing(shop):
    order = shop.dispatched()
    via_peewee = RepairOrder.get_by_id(order.id)
    via_cached_sql = RepairOrder.by_id(order.id)
    assert via_cached_sql.__data__ == via_peewee.__data__  # dates, decimals and booleans converted alike
    assert RepairOrder.by_id(order.id + 1000) is None


# --- what the order screen shows (read side) -------------------------------------------------------

def test_order_header_carries_the_car_owner_advisor_and_bay(shop):
    order = shop.dispatched(bay=1)
    head = lifecycle.order_header(order.id)
    assert (head.id, head.number, head.version, head.state) == (order.id, order.number, order.version, "dispatched")
    assert (head.plate, head.brand, head.model, head.vin) == ("粤B12345", "Toyota", "Camry 2.0", "LVGBM53KXRG000001")
    assert (head.owner, head.mobile, head.advisor, head.bay) == ("Wang Wei", "13812345678", "Li Wei", "M1")
    assert (head.business_type, head.mileage_in, head.fuel_level, head.statement) == (
        "maintenance", 20000, "1/2", "Service please")
    assert head.time_in == clock.now() and head.promised_at == clock.now() + dt.timedelta(hours=4)
    assert (head.rework, head.rework_reason, head.label) == (False, None, f"RO {order.number}")


def test_order_header_of_an_order_in_no_bay_and_of_no_order(shop):
    order = shop.order(shop.car2)
    head = lifecycle.order_header(order.id)
    assert (head.bay, head.owner, head.plate) == (None, "Pearl River Logistics", "粤A88888")
    with pytest.raises(errors.NotFound):
        lifecycle.order_header(order.id + 1000)


def test_order_lines_show_billed_beside_actual_hours_and_their_technicians(shop):
    order = shop.order(codes=("QS001", "ME001"))
    dispatch(order.id, shop.bays[1].id, [shop.techs[0].id, shop.techs[2].id], by=shop.dispatcher)
    lines = dispatching.order_lines(order.id)
    assert [(x.code, x.name, x.trade, x.standard_hours, x.status) for x in lines] == [
        ("QS001", "Oil and filter change", "quick_service", Decimal("0.5"), "pending"),
        ("ME001", "Front brake pads", "mechanical", Decimal("1.0"), "pending")]
    assert lines[0].id < lines[1].id
    assert all(sorted(x.technicians) == ["Tang Kai", "Xu Gang"] for x in lines)
    assert [x.actual_hours for x in lines] == [Decimal("0.00"), Decimal("0.00")]
    clock_on(lines[1].id, shop.techs[0].id, by=shop.techs[0])
    clock.advance(minutes=90)
    clock_off(lines[1].id, shop.techs[0].id, finished=True, by=shop.techs[0])
    after = dispatching.order_lines(order.id)
    assert [(x.actual_hours, x.status) for x in after] == [(Decimal("0.00"), "pending"),
                                                           (Decimal("1.50"), "finished")]
    assert dispatching.order_lines(order.id + 1000) == []


def test_lead_technician_is_the_lines_lead_else_anyone_on_it_and_none_before_dispatch(shop):
    order = shop.order()
    line = JobLine.get(JobLine.order == order.id)
    assert dispatching.lead_technician(line.id) is None
    dispatch(order.id, shop.bays[1].id, [shop.techs[2].id, shop.techs[1].id], by=shop.dispatcher)
    lead = JobLineTechnician.get((JobLineTechnician.line == line.id) & JobLineTechnician.lead)
    assert dispatching.lead_technician(line.id) == lead.technician_id
    JobLineTechnician.update(lead=False).where(JobLineTechnician.line == line.id).execute()
    assert dispatching.lead_technician(line.id) in (shop.techs[2].id, shop.techs[1].id)


def test_order_plates_by_repair_order_number(shop):
    a = shop.dispatched(bay=0)
    b = shop.dispatched(shop.car2, bay=1)
    shop.order(shop.car3)
    assert dispatching.order_plates([a.number, b.number]) == {a.number: "粤B12345", b.number: "粤A88888"}
    assert dispatching.order_plates([]) == {}


def test_order_history_is_newest_first_with_who_and_is_limited(shop):
    order = shop.dispatched()
    with db.atomic():
        audit.record(None, "note", "repair_order", order.id, "Nightly check", order_id=order.id)
    history = audit.order_history(order.id)
    assert (history[0].actor, history[0].summary) == ("system", "Nightly check")
    assert history[-1].actor == "Li Wei" and history[-1].at == clock.now()
    assert any(h.actor == "Zhang Lei" and "dispatched" in h.summary for h in history)
    assert len(history) == Event.select().where(Event.order == order.id).count()
    assert [h.summary for h in audit.order_history(order.id, limit=2)] == [h.summary for h in history[:2]]
    assert audit.order_history(order.id + 1000) == []


def test_the_first_technician_picked_leads_and_names_come_lead_first(shop):
    order = shop.order()
    line = JobLine.get(JobLine.order == order.id)
    second, first = shop.techs[0], shop.techs[2]  # picked against the order of their ids
    dispatch(order.id, shop.bays[1].id, [first.id, second.id], by=shop.dispatcher)
    assert dispatching.lead_technician(line.id) == first.id
    assert dispatching.order_lines(order.id)[0].technicians == (first.name, second.name)


def test_a_changed_team_keeps_its_lead_and_newcomers_follow_as_picked(shop):
    order = shop.order()
    line = JobLine.get(JobLine.order == order.id)
    xu, song, tang = shop.techs
    dispatch(order.id, shop.bays[1].id, [xu.id, song.id], by=shop.dispatcher)
    dispatch(order.id, shop.bays[1].id, [tang.id, song.id, xu.id], by=shop.dispatcher)  # as listed by name
    assert dispatching.lead_technician(line.id) == xu.id
    assert dispatching.order_lines(order.id)[0].technicians == ("Xu Gang", "Song Jie", "Tang Kai")
