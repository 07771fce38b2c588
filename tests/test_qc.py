"""Final QC through the services: sign-off, rework, guards, comebacks and the quality figures."""
import datetime as dt
from decimal import Decimal

import pytest

from models.orders import JobLine, RepairOrder
from models.qc import ChecklistItem, Inspection, InspectionResult
from workshop import clock, qc, quality, settings
from workshop.errors import InvalidInput, NotAllowed
from workshop.lifecycle import DELIVERED, IN_PROGRESS, READY_SETTLEMENT


@pytest.fixture
def items(shop):
    return [ChecklistItem.create(business_type="maintenance", position=i, text=text)
            for i, text in enumerate(("Fluid levels", "Torque marks on wheel nuts", "Road test"))]


def all_pass(items, changes=None):
    results = {item.id: ("pass", "") for item in items}
    results.update(changes or {})
    return results


def test_inspector_passes_an_order_to_settlement(shop, items):
    order = shop.ready_for_qc()
    inspection = qc.sign(order.id, all_pass(items), passed=True, by=shop.inspector)
    order = RepairOrder.get_by_id(order.id)
    assert order.state == READY_SETTLEMENT and order.qc_inspector_id == shop.inspector.id
    assert order.qc_passed_at == clock.now()
    assert inspection.result == "pass" and InspectionResult.select().count() == 3


def test_a_failed_item_without_a_note_is_refused_and_nothing_is_written(shop, items):
    order = shop.ready_for_qc()
    with pytest.raises(InvalidInput, match="Note for 'Road test'"):
        qc.sign(order.id, all_pass(items, {items[2].id: ("fail", "")}), passed=False, by=shop.inspector,
                rework_reason="noise", responsible_id=shop.techs[0].id)
    assert Inspection.select().count() == 0
    assert RepairOrder.get_by_id(order.id).state == "ready_qc"


def test_every_item_must_be_checked(shop, items):
    order = shop.ready_for_qc()
    results = all_pass(items)
    del results[items[1].id]
    with pytest.raises(InvalidInput, match="Torque marks on wheel nuts' has not been checked"):
        qc.sign(order.id, results, passed=True, by=shop.inspector)


def test_failing_sends_the_car_back_with_its_reason_and_it_must_pass_again(shop, items):
    order = shop.ready_for_qc()
    qc.sign(order.id, all_pass(items, {items[1].id: ("fail", "no torque mark rear left")}), passed=False,
            by=shop.inspector, rework_reason="torque marks missing", responsible_id=shop.techs[0].id, penalty="50")
    order = RepairOrder.get_by_id(order.id)
    assert order.state == IN_PROGRESS and order.rework and order.rework_reason == "torque marks missing"
    fail = Inspection.get()
    assert (fail.responsible_id, fail.penalty) == (shop.techs[0].id, Decimal("50"))
    assert [r.reinspection for r in qc.qc_queue()] == []
    from workshop.lifecycle import transition
    transition(order.id, "finish", by=shop.dispatcher)
    assert [r.reinspection for r in qc.qc_queue()] == [True]
    with pytest.raises(InvalidInput, match="cannot pass"):
        qc.sign(order.id, all_pass(items, {items[0].id: ("fail", "low coolant")}), passed=True, by=shop.inspector)
    qc.sign(order.id, all_pass(items), passed=True, by=shop.inspector)
    assert RepairOrder.get_by_id(order.id).rework is False
    assert Inspection.select().where(Inspection.reinspection == True).count() == 1  # noqa: E712


def test_fail_needs_a_reason_and_a_technician_who_worked_on_it(shop, items):
    order = shop.ready_for_qc()
    bad = all_pass(items, {items[0].id: ("fail", "leak")})
    with pytest.raises(InvalidInput, match="Rework reason"):
        qc.sign(order.id, bad, passed=False, by=shop.inspector, responsible_id=shop.techs[0].id)
    with pytest.raises(InvalidInput, match="responsible technician"):
        qc.sign(order.id, bad, passed=False, by=shop.inspector, rework_reason="leak", responsible_id=shop.techs[2].id)


def test_technician_cannot_sign_qc_of_their_own_job(shop, items):
    from tests.factories import make_staff
    from workshop.dispatch import dispatch
    both = make_staff("dual", "Ma Jun", "qc_inspector,technician", "quick_service")
    order = shop.order()
    dispatch(order.id, shop.bays[0].id, [both.id], by=shop.dispatcher)
    from workshop.dispatch import finish_line
    from workshop.lifecycle import transition
    transition(order.id, "start", by=shop.dispatcher)
    for line in JobLine.select().where(JobLine.order == order.id):
        finish_line(line.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    with pytest.raises(NotAllowed, match="Ma Jun worked on RO"):
        qc.sign(order.id, all_pass(items), passed=True, by=both)
    settings.put("qc_forbid_own_work", False, by=shop.manager)
    qc.sign(order.id, all_pass(items), passed=True, by=both)


def test_only_the_qc_role_signs(shop, items):
    order = shop.ready_for_qc()
    with pytest.raises(NotAllowed, match="QC inspector"):
        qc.sign(order.id, all_pass(items), passed=True, by=shop.manager)


def test_late_work_needs_a_delay_reason_from_the_list(shop, items):
    order = shop.ready_for_qc()
    RepairOrder.update(promised_at=clock.now() - dt.timedelta(hours=1)).where(RepairOrder.id == order.id).execute()
    with pytest.raises(InvalidInput, match="delay reason"):
        qc.sign(order.id, all_pass(items), passed=True, by=shop.inspector)
    qc.sign(order.id, all_pass(items), passed=True, by=shop.inspector, delay_reason="Waiting for parts")
    assert RepairOrder.get_by_id(order.id).delay_reason == "waiting for parts"
    assert Inspection.get().late is True


def _delivered(shop, vehicle, days_ago):
    order = shop.order(vehicle)
    when = clock.now() - dt.timedelta(days=days_ago)
    RepairOrder.update(state=DELIVERED, released_at=when).where(RepairOrder.id == order.id).execute()
    return RepairOrder.get_by_id(order.id)


def test_comeback_within_30_days_is_charged_to_the_workshop(shop):
    earlier = _delivered(shop, shop.car, days_ago=10)
    line = JobLine.get(JobLine.order == earlier.id)
    new = shop.order(shop.car, codes=("ME001",))
    qc.mark_comeback(new.id, earlier.number, line.id, by=shop.advisor)
    new = RepairOrder.get_by_id(new.id)
    assert (new.comeback_of_id, new.comeback_line_id, new.comeback_charge) == (earlier.id, line.id, "internal")
    assert {jl.payer for jl in JobLine.select().where(JobLine.order == new.id)} == {"internal"}


def test_comeback_after_the_period_or_charged_to_customer_by_an_advisor_is_refused(shop):
    old = _delivered(shop, shop.car, days_ago=45)
    line = JobLine.get(JobLine.order == old.id)
    new = shop.order(shop.car)
    with pytest.raises(InvalidInput, match="within 30 days"):
        qc.mark_comeback(new.id, old.number, line.id, by=shop.advisor)
    with pytest.raises(NotAllowed, match="only a manager"):
        qc.mark_comeback(new.id, old.number, line.id, by=shop.advisor, charge="customer")


def test_quality_figures_on_a_known_data_set(shop, items):
    # Four orders: one fails once then passes (rework), one passes late by 3 h, two pass first time.
    orders = [shop.ready_for_qc(car) for car in (shop.car, shop.car2, shop.car3)]
    qc.sign(orders[0].id, all_pass(items, {items[0].id: ("fail", "leak")}), passed=False, by=shop.inspector,
            rework_reason="leak", responsible_id=shop.techs[0].id, penalty="100")
    from workshop.lifecycle import transition
    transition(orders[0].id, "finish", by=shop.dispatcher)
    qc.sign(orders[0].id, all_pass(items), passed=True, by=shop.inspector)
    late = RepairOrder.get_by_id(orders[1].id)
    RepairOrder.update(promised_at=late.completed_at - dt.timedelta(hours=3)).where(RepairOrder.id == late.id).execute()
    qc.sign(orders[1].id, all_pass(items), passed=True, by=shop.inspector, delay_reason="extra work found")
    qc.sign(orders[2].id, all_pass(items), passed=True, by=shop.inspector)
    start, end = clock.now() - dt.timedelta(days=1), clock.now() + dt.timedelta(days=1)
    steps = []
    figures = quality.report(start, end, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(n, quality.STEPS) for n in range(1, quality.STEPS + 1)]  # for the screen's progress bar
    shopwide = figures.shop
    assert shopwide.inspected == 3
    assert shopwide.first_time_pct == Decimal("66.7")
    assert shopwide.rework_pct == Decimal("33.3") and shopwide.rework_on_target is False
    assert shopwide.on_time_pct == Decimal("66.7")
    assert shopwide.avg_delay_hours == Decimal("3.0")
    assert shopwide.penalties == Decimal("100")
    xu = next(f for f in figures.technicians if f.name == "Xu Gang")
    assert (xu.inspected, xu.reworked, xu.penalties) == (3, 1, Decimal("100"))


def test_comeback_choices_list_each_earlier_order_with_its_lines_in_order(shop):
    older = shop.order(shop.car, codes=("QS001", "ME001", "BD001"))
    RepairOrder.update(state=DELIVERED, released_at=clock.now() - dt.timedelta(days=20)).where(
        RepairOrder.id == older.id).execute()
    later = _delivered(shop, shop.car, days_ago=5)
    _delivered(shop, shop.car, days_ago=40)  # outside the comeback period
    new = shop.order(shop.car)
    choices = qc.comeback_choices(new.id)
    assert [c.number for c in choices] == [later.number, older.number]  # the latest delivery first
    assert [name for _, name in choices[1].lines] == ["Oil and filter change", "Front brake pads",
                                                      "Front bumper repair"]
    assert [line_id for line_id, _ in choices[0].lines] == [
        line.id for line in JobLine.select().where(JobLine.order == later.id).order_by(JobLine.id)]
    assert qc.comeback_choices(shop.order(shop.car3).id) == []


def test_a_period_is_whole_days_with_today_included():
    start, end = quality.last_days(7, dt.datetime(2026, 11, 20, 9, 30))
    assert (start, end) == (dt.datetime(2026, 11, 14), dt.datetime(2026, 11, 21))
