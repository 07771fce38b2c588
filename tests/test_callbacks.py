"""Follow-up by rule: calls created on the right day, retries, complaints, reminders, figures."""
import datetime as dt
from decimal import Decimal

import pytest

from models.followup import Answer, Callback, CallRecord, Complaint
from models.people import Customer, Vehicle
from workshop import callbacks, clock, followup_figures, reminders, settings
from workshop.errors import InvalidInput, NotAllowed


def test_delivery_creates_the_first_call_due_three_days_after_pickup(shop):
    order = shop.delivered()
    cb = Callback.get()
    assert (cb.kind, cb.order_id, cb.agent_id) == ("first", order.id, shop.agent.id)
    assert cb.due == clock.today() + dt.timedelta(days=3)
    assert cb.window_end == clock.today() + dt.timedelta(days=7)
    assert cb.required and cb.reason == "private owner"


def test_completing_the_first_call_creates_the_second_within_seven_days(shop):
    shop.delivered()
    first = Callback.get()
    clock.advance(days=3)
    callbacks.record_call(first.id, reached=True, by=shop.agent, scores={"Satisfied with the repair?": 5},
                          notes="happy")
    second = Callback.get(Callback.kind == "second")
    assert second.due == clock.today() + dt.timedelta(days=7)
    assert Callback.get_by_id(first.id).status == "done"
    assert Answer.get().score == 5


def test_not_reached_retries_and_after_the_last_try_the_customer_is_unreachable(shop):
    shop.delivered()
    cb = Callback.get()
    for _ in range(int(settings.get("callback_max_tries")) - 1):
        callbacks.record_call(cb.id, reached=False, by=shop.agent)
        assert Callback.get_by_id(cb.id).status == "open"
    callbacks.record_call(cb.id, reached=False, by=shop.agent)
    cb = Callback.get_by_id(cb.id)
    assert (cb.status, cb.letter_due, cb.attempts) == ("unreachable", True, 3)
    assert Customer.get_by_id(cb.customer_id).unreachable
    assert CallRecord.select().count() == 3


def test_scores_outside_one_to_five_are_refused(shop):
    shop.delivered()
    with pytest.raises(InvalidInput, match="1 to 5"):
        callbacks.record_call(Callback.get().id, reached=True, by=shop.agent, scores={"Q": 6})
    assert CallRecord.select().count() == 0


def test_company_customers_are_sampled_but_key_and_insurance_are_always_called(shop):
    settings.put("callback_other_share_pct", 0, by=shop.manager)
    shop.delivered(shop.car2)  # Pearl River Logistics: a company, not key
    assert Callback.select().count() == 0
    Customer.update(is_key=True).where(Customer.id == shop.vip_customer.id).execute()
    shop.delivered(shop.car2)
    assert Callback.get().reason == "key customer"


def test_complaint_raised_on_a_call_escalates_after_two_days_and_resolving_creates_a_verification_call(shop):
    shop.delivered()
    cb = Callback.get()
    callbacks.record_call(cb.id, reached=True, by=shop.agent, complaint="Noise still there", department="service")
    complaint = Complaint.get()
    assert complaint.status == "open" and Customer.get_by_id(cb.customer_id).has_complained
    assert callbacks.escalate_overdue() == 0
    clock.advance(days=2, minutes=1)
    assert callbacks.escalate_overdue() == 1
    assert Complaint.get_by_id(complaint.id).supervisor_id == shop.manager.id
    assert callbacks.escalate_overdue() == 0  # once only
    with pytest.raises(InvalidInput, match="Resolution"):
        callbacks.update_complaint(complaint.id, "resolved", by=shop.agent)
    callbacks.update_complaint(complaint.id, "resolved", resolution="wheel bearing replaced", by=shop.agent)
    assert Callback.get(Callback.kind == "verification").due == clock.today()


def test_a_complaining_customer_gets_a_call_after_the_next_visit_too(shop):
    Customer.update(has_complained=True).where(Customer.id == shop.customer.id).execute()
    shop.delivered()
    assert {c.kind for c in Callback.select()} == {"first", "next_visit"}
    assert Callback.get(Callback.kind == "first").reason == "customer complained before"


def test_reassign_moves_all_open_calls_of_an_absent_agent(shop):
    from tests.factories import make_staff
    shop.delivered(shop.car)
    shop.delivered(shop.car3)
    other = make_staff("lin.na", "Lin Na", "follow_up_agent")  # joins after the calls were assigned
    with pytest.raises(NotAllowed):
        callbacks.reassign(shop.agent.id, other.id, by=shop.agent)
    assert callbacks.reassign(shop.agent.id, other.id, by=shop.manager) == 2
    assert {c.agent_id for c in Callback.select()} == {other.id}


def test_queue_shows_due_today_and_overdue_first(shop):
    shop.delivered()
    assert callbacks.queue(view="due") == []
    clock.advance(days=8)
    rows = callbacks.queue(view="due")
    assert len(rows) == 1 and rows[0].bucket == "overdue"


def test_next_service_by_mileage_pace_or_months_whichever_first():
    # 12,000 km -> 18,000 km over 100 days = 60 km a day; 5,000 km at that pace = 83 days
    last = dt.date(2026, 9, 1)
    assert reminders.next_service(last, 18000, dt.date(2026, 5, 24), 12000) == last + dt.timedelta(days=83)
    # a slow driver: 1,000 km over 100 days -> 500 days, so 6 months (180 days) comes first
    assert reminders.next_service(last, 13000, dt.date(2026, 5, 24), 12000) == last + dt.timedelta(days=180)
    assert reminders.next_service(last, 13000, None, None) == last + dt.timedelta(days=180)


def test_insurance_renewal_45_days_before_expiry_and_warranty_list_of_the_25th(shop):
    Vehicle.update(insurance_expiry=clock.today() + dt.timedelta(days=40)).where(Vehicle.id == shop.car.id).execute()
    Vehicle.update(insurance_expiry=clock.today() + dt.timedelta(days=50)).where(Vehicle.id == shop.car2.id).execute()
    assert [r.plate for r in reminders.due("insurance")] == [shop.car.plate]
    assert reminders.warranty_window(dt.date(2026, 11, 20)) == (dt.date(2026, 10, 25), dt.date(2026, 11, 25))
    assert reminders.warranty_window(dt.date(2026, 11, 25)) == (dt.date(2026, 11, 25), dt.date(2026, 12, 25))
    assert reminders.create_calls(reminders.due("insurance"), by=shop.agent) == 1
    assert reminders.create_calls(reminders.due("insurance"), by=shop.agent) == 0  # not twice


def test_lost_customers_have_no_visit_for_six_months(shop):
    shop.order()
    Customer.update(last_visit_at=clock.now() - dt.timedelta(days=200)).where(Customer.id == shop.customer.id).execute()
    assert [r.customer for r in reminders.due("lost")] == ["Wang Wei"]


def test_check_in_keeps_the_next_service_date_for_the_maintenance_list(shop):
    shop.order(shop.car, mileage=20000)
    car = Vehicle.get_by_id(shop.car.id)
    assert car.next_service_due == clock.today() + dt.timedelta(days=180)  # first visit: by months
    Vehicle.update(next_service_due=clock.today() + dt.timedelta(days=5)).where(Vehicle.id == car.id).execute()
    assert [r.plate for r in reminders.due("maintenance")] == [car.plate]


def test_csi_is_the_share_of_four_and_five_answers(shop):
    shop.delivered()
    cb = Callback.get()
    callbacks.record_call(cb.id, reached=True, by=shop.agent, scores={"a": 5, "b": 4, "c": 3, "d": 5})
    figures = followup_figures.figures(clock.today() - dt.timedelta(days=30), clock.today() + dt.timedelta(days=30))
    assert figures.csi_pct == Decimal("75.0") and figures.csi_on_target is False
    assert figures.due == 2 and figures.done_on_time == 1


def test_follow_up_agents_are_the_active_ones_by_name(shop):
    from models.people import Staff
    from tests.factories import make_staff
    an = make_staff("an.na", "An Na", "follow_up_agent")
    gone = make_staff("zhu.yi", "Zhu Yi", "follow_up_agent,advisor")
    Staff.update(active=False).where(Staff.id == gone.id).execute()
    assert callbacks.follow_up_agents() == [callbacks.Agent(an.id, "An Na"), callbacks.Agent(shop.agent.id, "He Ping")]
