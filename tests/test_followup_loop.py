"""After the visit without gaps (issue 24): escalations reach someone who can act, every call in the register,
lost customers of any age, first services of cars never serviced here, campaigns and their invitations."""
import datetime as dt

import pytest

from models.campaigns import Campaign, Invitation
from models.events import Event
from models.followup import CallRecord, Complaint
from models.people import Customer, Staff, Vehicle
from models.service_plan import PlannedService
from tests.factories import make_staff
from workshop import (call_register, callbacks, campaigns, clock, followup_figures, reminders, service_plan,
                      settings, winback)
from workshop.errors import InvalidInput, NotAllowed
from workshop.permissions import roles_for


def _nothing_written(before_events: int) -> None:
    assert Event.select().count() == before_events


# --- escalation ---------------------------------------------------------------------------------------

@pytest.fixture
def care(shop):
    """The demo's trouble: a workshop supervisor (and dispatcher) and a customer-care supervisor."""
    shop.workshop_supervisor = make_staff("liu.yang", "Liu Yang", "supervisor,dispatcher")
    shop.care = make_staff("lin.na", "Lin Na", "follow_up_agent,care_supervisor")
    return shop


def _overdue_complaint(shop, text="Noise still there") -> Complaint:
    complaint = callbacks.raise_complaint(shop.customer.id, text, by=shop.agent)
    return complaint


def test_an_escalated_complaint_goes_to_the_customer_care_supervisor_who_sees_and_resolves_it(care):
    complaint = _overdue_complaint(care)
    clock.advance(days=2, minutes=1)
    assert callbacks.escalate_overdue() == 1
    assert Complaint.get_by_id(complaint.id).supervisor_id == care.care.id  # not Liu Yang, the workshop supervisor
    assert callbacks.escalated_to(care.care.id) == 1 and callbacks.escalated_to(care.workshop_supervisor.id) == 0
    assert callbacks.escalation_notice(care.care.id) == "1 complaint escalated to you"
    assert [c.id for c in callbacks.complaints(escalated_to=care.care.id)] == [complaint.id]
    assert callbacks.complaints(escalated_to=care.care.id)[0].handler == "Lin Na"
    callbacks.update_complaint(complaint.id, "resolved", resolution="bearing replaced", by=care.care)
    assert callbacks.escalated_to(care.care.id) == 0 and callbacks.escalation_notice(care.care.id) is None


def test_the_escalation_role_is_a_setting_and_managers_take_it_when_nobody_has_the_role(care):
    settings.put("complaint_escalation_role", "manager", by=care.manager)
    first = _overdue_complaint(care)
    clock.advance(days=3)
    callbacks.escalate_overdue()
    assert Complaint.get_by_id(first.id).supervisor_id == care.manager.id
    settings.put("complaint_escalation_role", "care_supervisor", by=care.manager)
    Staff.update(active=False).where(Staff.id == care.care.id).execute()
    second = _overdue_complaint(care, "Scratch on the door")
    clock.advance(days=3)
    callbacks.escalate_overdue()
    assert Complaint.get_by_id(second.id).supervisor_id == care.manager.id  # nobody active in the role


def test_every_role_an_escalation_can_go_to_may_handle_complaints():
    for role in callbacks.ESCALATION_ROLES:
        assert role in roles_for("handle_complaint")


def test_whoever_may_handle_complaints_or_take_calls_opens_the_follow_up_screen():
    from screens.registry import ENTRIES
    entry = next(e for e in ENTRIES if e.name == "callbacks")
    for right in ("handle_complaint", "close_callback", "log_call", "plan_campaigns"):
        assert roles_for(right) <= roles_for(entry.action), right


def test_escalations_are_spread_over_the_care_supervisors(care):
    other = make_staff("wu.mei", "Wu Mei", "care_supervisor")
    for text in ("one", "two"):
        _overdue_complaint(care, text)
    clock.advance(days=3)
    assert callbacks.escalate_overdue() == 2
    assert {c.supervisor_id for c in Complaint.select()} == {care.care.id, other.id}


def test_an_escalation_whose_holder_left_goes_to_someone_who_can_act(care):
    other = make_staff("wu.mei", "Wu Mei", "care_supervisor")
    complaint = _overdue_complaint(care)
    clock.advance(days=3)
    callbacks.escalate_overdue()
    holder = Complaint.get_by_id(complaint.id).supervisor_id
    Staff.update(active=False).where(Staff.id == holder).execute()
    assert callbacks.escalate_overdue() == 1
    assert Complaint.get_by_id(complaint.id).supervisor_id == ({care.care.id, other.id} - {holder}).pop()
    assert callbacks.escalate_overdue() == 0  # once


def test_a_complaint_is_handed_only_to_someone_who_may_handle_complaints(care):
    complaint = _overdue_complaint(care)
    events = Event.select().count()
    with pytest.raises(InvalidInput) as refused:
        callbacks.hand_complaint(complaint.id, care.dispatcher.id, by=care.care)
    assert refused.value.field == "handler"
    _nothing_written(events)
    callbacks.hand_complaint(complaint.id, care.advisor.id, by=care.care)
    assert callbacks.escalated_to(care.advisor.id) == 1
    assert care.dispatcher.id not in {h.id for h in callbacks.complaint_handlers()}


# --- the call register --------------------------------------------------------------------------------

def test_an_incoming_call_is_in_the_register(shop):
    call_register.record_incoming(shop.customer.id, result="booking", notes="Wants a service Saturday",
                                  by=shop.agent, vehicle_id=shop.car.id)
    row = call_register.calls()[0]
    assert (row.direction, row.topic, row.channel, row.result, row.customer, row.plate) == (
        "in", "incoming", "phone", "booking", "Wang Wei", shop.car.plate)
    assert [r.id for r in call_register.calls(incoming_only=True)] == [row.id]
    assert callbacks.log_incoming(shop.customer.id, "Asked the price of tyres", by=shop.advisor).topic == "incoming"


def test_a_walk_in_complaint_is_logged_with_its_visit_and_escalates_like_any_other(shop):
    call = call_register.record_incoming(shop.customer.id, result="complaint", channel="walk_in",
                                         complaint="Oil stain on the seat", department="service", by=shop.advisor)
    complaint = Complaint.get()
    assert complaint.call_id == call.id and complaint.description == "Oil stain on the seat"
    assert call_register.calls()[0].complaint_id == complaint.id
    clock.advance(days=3)
    assert callbacks.escalate_overdue() == 1


@pytest.mark.parametrize("kwargs, field", [
    (dict(result=""), "result"),
    (dict(result=None), "result"),
    (dict(result="whatever"), "result"),
    (dict(result="complaint", complaint=""), "complaint"),
    (dict(result="enquiry", channel="fax"), "channel"),
])
def test_an_incoming_call_without_a_proper_result_is_refused_and_nothing_written(shop, kwargs, field):
    events = Event.select().count()
    with pytest.raises(InvalidInput) as refused:
        call_register.record_incoming(shop.customer.id, by=shop.agent, **kwargs)
    assert refused.value.field == field
    if not kwargs.get("result", "x"):  # nothing chosen: what it could be is said
        assert str(refused.value).startswith("Say what the call came to (enquiry, wants an appointment,")
    assert CallRecord.select().count() == 0 and Complaint.select().count() == 0
    _nothing_written(events)


def test_only_those_who_take_calls_log_them(shop):
    with pytest.raises(NotAllowed):
        call_register.record_incoming(shop.customer.id, result="enquiry", by=shop.dispatcher)
    assert CallRecord.select().count() == 0


def test_the_register_pages_newest_first_without_repeating_a_call(shop):
    for minute in range(5):
        call_register.record_incoming(shop.customer.id, result="enquiry", notes=f"call {minute}", by=shop.agent)
        clock.advance(minutes=1)
    first = call_register.calls(limit=2)
    second = call_register.calls(limit=2, after=first[-1])
    third = call_register.calls(limit=2, after=second[-1])
    assert [r.notes for r in first + second + third] == [f"call {m}" for m in range(4, -1, -1)]


# --- lost customers -----------------------------------------------------------------------------------

def _last_visit(customer: Customer, days_ago: int) -> None:
    Customer.update(last_visit_at=clock.now() - dt.timedelta(days=days_ago)).where(Customer.id == customer.id).execute()


def _customer(name: str, mobile: str) -> Customer:
    return Customer.create(code=f"C{mobile[-6:]}", name=name, mobile=mobile, created_at=clock.now())


def test_a_customer_absent_for_twenty_months_is_on_the_lost_list(shop):
    _last_visit(shop.customer, 610)  # 20 months
    _last_visit(shop.vip_customer, 150)  # 5 months: not lost yet
    rows = winback.lost_customers()
    assert [r.name for r in rows] == ["Wang Wei"]
    assert rows[0].months_away == 20 and rows[0].plates == (shop.car.plate, shop.car3.plate)
    assert [r.customer for r in reminders.due("lost")] == ["Wang Wei"]  # the reminders' list has no floor either


def test_the_lost_list_pages_from_the_most_recently_lost_without_repeats(shop):
    for i, days in enumerate((200, 300, 300, 300, 500)):  # three lost the same day: a page ends among them
        _last_visit(_customer(f"Lost {i}", f"1370000000{i}"), days)
    first = winback.lost_customers(limit=2)
    rest = winback.lost_customers(limit=2, after=first[-1])
    last = winback.lost_customers(limit=2, after=rest[-1])
    assert [r.name for r in first + rest + last] == ["Lost 0", "Lost 3", "Lost 2", "Lost 1", "Lost 4"]
    first = winback.lost_customers(limit=2, longest_first=True)  # the other way round: the longest lost
    rest = winback.lost_customers(limit=2, after=first[-1], longest_first=True)
    last = winback.lost_customers(limit=2, after=rest[-1], longest_first=True)
    assert [r.name for r in first + rest + last] == ["Lost 4", "Lost 1", "Lost 2", "Lost 3", "Lost 0"]


def test_a_win_back_call_records_its_outcome_and_needs_a_result(shop):
    _last_visit(shop.customer, 610)
    events = Event.select().count()
    with pytest.raises(InvalidInput) as refused:
        winback.record_winback(shop.customer.id, result=None, notes="Called", by=shop.agent)
    assert refused.value.field == "result" and CallRecord.select().count() == 0
    _nothing_written(events)
    winback.record_winback(shop.customer.id, result="no_answer", by=shop.agent)
    clock.advance(hours=3)
    winback.record_winback(shop.customer.id, result="will_come", notes="Comes for a service next week",
                           by=shop.agent)
    row = winback.lost_customers()[0]
    assert (row.winback_calls, row.last_result, row.last_call_at) == (2, "will_come", clock.now())
    assert row.last_result_label == "will come back"
    assert call_register.calls()[0].topic == "winback"


def test_churn_counts_the_lost_of_any_age_and_who_came_back_after_a_win_back_call(shop):
    _last_visit(shop.customer, 610)
    _last_visit(shop.vip_customer, 700)
    before = followup_figures.churn_months()[-1]
    assert before.lost_total == 2
    winback.record_winback(shop.customer.id, result="will_come", by=shop.agent)
    clock.advance(days=2)
    shop.order()  # Wang Wei comes back
    month = followup_figures.churn_months()[-1]
    assert (month.lost_total, month.winback_calls, month.won_back) == (1, 1, 1)


# --- first services and maintenance plans -------------------------------------------------------------

def _bought(vehicle: Vehicle, days_ago: int, km: int = 10) -> None:
    Vehicle.update(purchase_date=clock.today() - dt.timedelta(days=days_ago), purchase_mileage=km) \
        .where(Vehicle.id == vehicle.id).execute()


def test_a_never_serviced_car_bought_seven_months_ago_is_on_the_maintenance_list(shop):
    _bought(shop.car, 213)  # 7 months
    _bought(shop.car2, 60)  # 2 months: its first service is ahead (5,000 km at 40 km a day: 125 days)
    assert service_plan.plan_new_cars() == 2
    assert service_plan.plan_new_cars() == 0  # once
    due = reminders.due("maintenance")
    assert [r.plate for r in due] == [shop.car.plate]
    assert due[0].due == clock.today() - dt.timedelta(days=213 - 125)
    assert "first service" in due[0].detail and "5,010 km" in due[0].detail


def test_a_car_registered_with_its_purchase_date_is_due_its_first_service_at_once(shop):
    from tests.factories import with_check_digit
    from workshop import customer_file
    bought = (clock.today() - dt.timedelta(days=213)).isoformat()  # 7 months ago, never serviced here
    car = customer_file.add_vehicle(shop.customer.id, customer_file.VehicleForm(
        plate="粤B7N001", vin=with_check_digit("LVGBM53K5RG700011"), brand="Toyota", model="Camry 2.0",
        purchase_date=bought, purchase_mileage="10"), by=shop.advisor)
    due = reminders.due("maintenance")  # no run of the time-driven rules in between
    assert [(r.plate, r.due) for r in due] == [(car.plate, clock.today() - dt.timedelta(days=213 - 125))]
    assert "first service" in due[0].detail
    # The purchase date was typed wrong: the plan, none of it done, follows the corrected one.
    form = customer_file.form_of_vehicle(car.id)
    form.purchase_date = (clock.today() - dt.timedelta(days=30)).isoformat()
    customer_file.update_vehicle(car.id, form, by=shop.advisor, seen_version=Vehicle.get_by_id(car.id).version)
    assert reminders.due("maintenance") == []  # its first service is 95 days ahead
    assert service_plan.plan_of(car.id)[0].due_date == clock.today() + dt.timedelta(days=95)
    assert PlannedService.select().where(PlannedService.vehicle == car.id).count() == 4
    assert service_plan.plan_new_cars() == 0


def test_first_service_is_at_the_km_or_the_months_whichever_comes_first(db_path):
    bought = dt.date(2026, 1, 10)
    plan = service_plan.plan_dates(bought, 10)
    assert (plan[0].seq, plan[0].due_km, plan[0].planned_date) == (1, 5010, dt.date(2026, 7, 10))
    assert plan[0].due_date == bought + dt.timedelta(days=125)  # 5,000 km at 40 km a day come first
    assert [p.due_km for p in plan] == [5010, 10010, 15010, 20010]
    settings.DEFAULTS["typical_daily_km"], saved = 0, settings.DEFAULTS["typical_daily_km"]
    settings.forget_cache()
    try:
        assert service_plan.plan_dates(bought, 10)[0].due_date == dt.date(2026, 7, 10)  # by months only
    finally:
        settings.DEFAULTS["typical_daily_km"] = saved
        settings.forget_cache()


def test_a_maintenance_visit_does_the_planned_service_and_the_next_one_is_due_at_the_cars_pace(shop):
    _bought(shop.car, 150)
    service_plan.plan_new_cars()
    assert [r.plate for r in reminders.due("maintenance")] == [shop.car.plate]
    order = shop.delivered(shop.car, mileage=6010)  # 6,000 km in 150 days: 40 km a day
    plan = service_plan.plan_of(shop.car.id)
    assert [(p.seq, p.status) for p in plan] == [(1, "done"), (2, "open"), (3, "planned"), (4, "planned")]
    assert plan[0].order_number == order.number
    # 4,000 km to go at 40 km a day: 100 days, before the plan's 12 months
    assert plan[1].due_date == clock.today() + dt.timedelta(days=100)
    assert reminders.due("maintenance") == []  # not by the plan, and not by its pace while the plan runs
    Vehicle.update(next_service_due=clock.today()).where(Vehicle.id == shop.car.id).execute()
    assert reminders.due("maintenance") == []  # the plan says when, even if the pace says now


def test_a_planned_service_not_done_is_missed_when_the_next_falls_due(shop):
    _bought(shop.car, 200)
    service_plan.plan_new_cars()
    clock.advance(days=130)  # the second service falls due (10,000 km at 40 km a day: 250 days)
    assert service_plan.advance() == 2
    assert [p.status for p in service_plan.plan_of(shop.car.id)] == ["missed", "open", "planned", "planned"]
    assert service_plan.advance() == 0
    assert "planned service 2" in reminders.due("maintenance")[0].detail


def test_no_plan_for_cars_serviced_here_or_bought_too_long_ago(shop):
    _bought(shop.car, 5 * 365)
    _bought(shop.car2, 100)
    shop.order(shop.car2)  # serviced here: its pace rules
    assert service_plan.plan_new_cars() == 0
    assert PlannedService.select().count() == 0


# --- campaigns ----------------------------------------------------------------------------------------

def _campaign(shop, days_ahead=30, **kw) -> Campaign:
    form = campaigns.CampaignForm(name="Winter check", starts_on=clock.today() + dt.timedelta(days=days_ahead),
                                  rule=kw.pop("rule", "model"), rule_value=kw.pop("rule_value", "Camry"), **kw)
    return campaigns.create_campaign(form, by=shop.manager)


@pytest.mark.parametrize("kwargs, field", [
    (dict(days_ahead=-1), "starts_on"),
    (dict(rule_value="Ferrari"), "rule"),
    (dict(rule="lost", rule_value=""), "rule"),  # nobody is lost
    (dict(rule="model", rule_value=""), "rule_value"),
    (dict(ends_on="2020-01-01"), "ends_on"),
])
def test_a_campaign_in_the_past_or_inviting_nobody_is_refused_and_nothing_written(shop, kwargs, field):
    events = Event.select().count()
    with pytest.raises(InvalidInput) as refused:
        _campaign(shop, **kwargs)
    assert refused.value.field == field
    assert Campaign.select().count() == 0 and Invitation.select().count() == 0
    _nothing_written(events)


def test_a_rule_matching_more_than_a_campaign_may_invite_is_refused(shop):
    settings.put("campaign_max_invitations", 1, by=shop.manager)
    with pytest.raises(InvalidInput, match="at most"):
        _campaign(shop)
    assert Campaign.select().count() == 0


def test_invitations_appear_two_weeks_before_the_campaign(shop):
    campaign = _campaign(shop, days_ahead=30)
    assert campaign.invited == 2  # Wang Wei (two Camrys: one invitation) and Pearl River Logistics
    assert campaigns.invitations_due() == []
    clock.advance(days=15)
    assert campaigns.invitations_due() == []
    clock.advance(days=1)  # 14 days before
    assert {r.customer for r in campaigns.invitations_due()} == {"Wang Wei", "Pearl River Logistics"}


def test_an_invitation_records_its_answer_and_retries_when_unanswered(shop):
    _campaign(shop, days_ahead=10)
    wang = next(r for r in campaigns.invitations_due() if r.customer == "Wang Wei")
    events = Event.select().count()
    with pytest.raises(InvalidInput):
        campaigns.record_invitation(wang.id, result="", by=shop.agent)
    _nothing_written(events)
    campaigns.record_invitation(wang.id, result="no_answer", by=shop.agent)
    assert [r.attempts for r in campaigns.invitations_due() if r.id == wang.id] == [1]
    campaigns.record_invitation(wang.id, result="accepted", channel="wechat", by=shop.agent)
    assert wang.id not in {r.id for r in campaigns.invitations_due()}
    assert campaigns.campaigns()[0].accepted == 1 and campaigns.campaigns()[0].answered == 1
    assert call_register.calls()[0].topic == "campaign"


def test_who_came_is_a_check_in_during_the_campaign_or_a_mark_at_it(shop):
    campaign = _campaign(shop, days_ahead=3)
    rows = campaigns.invitations_of(campaign.id)
    pearl = next(r for r in rows if r.customer == "Pearl River Logistics")
    with pytest.raises(Exception, match="runs from"):
        campaigns.mark_came(pearl.id, by=shop.advisor)
    clock.advance(days=3)
    shop.order(shop.car)  # Wang Wei checks in on the day
    campaigns.mark_came(pearl.id, by=shop.advisor)
    assert all(r.came for r in campaigns.invitations_of(campaign.id))
    assert campaigns.campaigns()[0].came == 2


def test_the_maintenance_list_pages_through_plans_and_pace_without_repeats(shop):
    from tests.factories import make_vehicle
    cars = [make_vehicle(f"粤B7M00{i}", f"LVGBM53K5RG70000{i}", shop.customer) for i in range(3)]
    for i, car in enumerate(cars):
        _bought(car, 200 + 10 * i)  # first services due 75, 85, 95 days ago
    service_plan.plan_new_cars()
    for i, car in enumerate((shop.car, shop.car2)):  # serviced here: by their pace
        Vehicle.update(next_service_due=clock.today() - dt.timedelta(days=i), last_visit_at=clock.now()) \
            .where(Vehicle.id == car.id).execute()
    seen, after = [], None
    while True:
        page = reminders.due("maintenance", limit=2, after=after)
        if not page:
            break
        seen += [r.plate for r in page]
        after = page[-1]
    assert seen == [cars[2].plate, cars[1].plate, cars[0].plate, shop.car2.plate, shop.car.plate]


def test_a_customer_with_many_cars_counts_once_and_the_cap_is_exact(shop):
    from tests.factories import make_vehicle
    fleet = _customer("Bayview Couriers", "13700000077")
    for i in range(6):
        make_vehicle(f"粤B8F00{i}", f"LVGBM53K5RG80000{i}", fleet)
    make_vehicle("粤B9Z001", "LVGBM53K5RG900001", _customer("Zhao Min", "13700000088"))
    settings.put("campaign_max_invitations", 3, by=shop.manager)  # four customers drive a Camry
    with pytest.raises(InvalidInput, match="more than 3"):
        _campaign(shop)
    settings.put("campaign_max_invitations", 4, by=shop.manager)
    campaign = _campaign(shop)
    assert campaign.invited == 4 and Invitation.select().count() == 4


def test_lost_customers_are_invited_however_long_ago_or_lost_at_most_so_many_months(shop):
    _last_visit(shop.customer, 240)  # 8 months
    _last_visit(shop.vip_customer, 900)  # 30 months
    assert _campaign(shop, rule="lost", rule_value="").invited == 2
    assert _campaign(shop, rule="lost", rule_value="12").invited == 1
    with pytest.raises(InvalidInput) as refused:
        _campaign(shop, rule="lost", rule_value="5")  # not lost yet at 5 months
    assert refused.value.field == "rule_value"


def test_whoever_records_incoming_calls_may_open_the_customers_file_they_record_them_in():
    assert roles_for("log_call") <= roles_for("view_customer_file")
    assert "care_supervisor" in roles_for("view_customer_file")
