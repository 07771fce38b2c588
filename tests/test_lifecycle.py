"""Every transition of the repair order, legal and illegal, through the services."""
import pytest

from models.events import Event
from models.orders import JobLine, RepairOrder
from workshop import lifecycle
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
    with pytest.raises(StaleOrder, match=r"RO \d+ was started .* by Zhang Lei \d+ s ago"):
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
