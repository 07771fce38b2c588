"""Campaigns (活动: step 1 of the twelve, proactive contact): an event on a date, who is invited by a rule,
the invitations due campaign_invite_days (14) before it, what each call or message came to, and who came.

- A campaign is made for a day ahead (today at the earliest), running one or more days; its rule picks
  who is invited, evaluated when it is made: cars due for a service by its last day (by their plan or their
  pace; of a brand or model if one is given), customers lost by its first day (of any age:
  workshop/winback.py; or lost at most so many months), or cars of a brand or model (a brand, or the start
  of a series or model). A rule that matches nobody, or more than
  campaign_max_invitations customers, is refused with nothing written. One invitation per customer.
- Invitations are due from campaign_invite_days before the first day (today if that is later) and are
  listed from then on, soonest first, until answered: a call or message records its outcome through the
  call register (a result is required). "No answer" and "call again later" leave it due; after
  callback_max_tries unanswered tries it is closed.
- Who came: a check-in of the customer during the campaign's days, or a mark at the event.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from peewee import JOIN, fn

from models.campaigns import CAMPAIGN_RULE_LABELS, CAMPAIGN_RULES, Campaign, Invitation
from models.db import db, run_write
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from models.service_plan import PlannedService
from workshop import audit, clock, i18n, settings, typed_dates, validation
from workshop.call_register import check_outcome, result_label, write_call
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require

RETRY_RESULTS = frozenset({"no_answer", "call_later"})  # the invitation stays due
MAX_DAYS = 31  # a campaign runs a month at most


@dataclass
class CampaignForm:
    name: str = ""
    starts_on: object = ""       # a date, or text typed as 2026-12-12
    ends_on: object = ""         # blank: one day
    rule: str = "service_due"
    rule_value: str = ""         # the brand or model of a "model" rule
    notes: str = ""


@dataclass(frozen=True)
class Checked:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    rule: str
    rule_value: str | None
    notes: str | None


def check_form(form: CampaignForm) -> Checked:
    """The form checked before anything is read or written: a name, a first day not in the past, a last day
    within a month of it, a rule from the list (a model rule names the brand or model)."""
    name = validation.text(form.name, "name", _("Campaign name"), max_len=100)
    today = clock.today()
    starts_on = typed_dates.parse(form.starts_on, "starts_on", _("First day"))
    if starts_on < today:
        raise InvalidInput(_("The campaign's first day {date} has passed: a campaign is planned for today or later.")
                           .format(date=i18n.date(starts_on)), "starts_on")
    ends_on = typed_dates.parse(form.ends_on, "ends_on", _("Last day"), required=False) or starts_on
    if ends_on < starts_on:
        raise InvalidInput(_("The last day is before the first."), "ends_on")
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise InvalidInput(_("A campaign runs {days} days at most.").format(days=MAX_DAYS), "ends_on")
    if form.rule not in CAMPAIGN_RULES:
        raise InvalidInput(_("Choose whom the campaign invites from the list."), "rule")
    value = None
    if form.rule == "model":
        value = validation.text(form.rule_value, "rule_value", _("Brand or model"), max_len=60)
    elif form.rule == "service_due":  # narrowed to a brand or model, if given
        value = validation.text(form.rule_value, "rule_value", _("Brand or model"), max_len=60, required=False)
    elif str(form.rule_value or "").strip():  # lost customers, narrowed to those lost at most so many months
        least = int(settings.get("lost_after_months")) + 1
        value = str(validation.integer(form.rule_value, "rule_value", _("Lost at most (months)"), minimum=least,
                                       maximum=600))
    notes = validation.text(form.notes, "notes", _("Notes"), max_len=500, required=False, multiline=True)
    return Checked(name, starts_on, ends_on, form.rule, value, notes)


def _of_model(value: str):
    """Cars of a brand (as typed, any case) or whose series or model starts with ``value``."""
    return (fn.LOWER(Vehicle.brand) == value.casefold()) | Vehicle.model.startswith(value) | \
        Vehicle.series.startswith(value)


def _matches(checked: Checked, limit: int) -> list[tuple[int, int | None]]:
    """(customer, car) pairs the rule invites, one per customer (their first car the rule names), at most
    ``limit``: grouped by customer in SQL, so that ``limit + 1`` says exactly whether there are more."""
    value = checked.rule_value
    if checked.rule == "lost":
        from workshop.winback import add_months, lost_before
        query = (Customer.select(Customer.id, fn.MIN(Vehicle.id))
                 .join(Vehicle, JOIN.LEFT_OUTER, on=(Vehicle.customer == Customer.id))
                 .where(Customer.last_visit_at < lost_before(checked.starts_on)))
        if value:
            query = query.where(Customer.last_visit_at >= dt.datetime.combine(
                add_months(checked.starts_on, -int(value)), dt.time()))
        return list(query.group_by(Customer.id).limit(limit).tuples())
    if checked.rule == "model":
        return list(Vehicle.select(Vehicle.customer, fn.MIN(Vehicle.id)).where(_of_model(value))
                    .group_by(Vehicle.customer).limit(limit).tuples())
    from workshop.service_plan import running_plan
    today = clock.today()
    paced = (Vehicle.select(Vehicle.customer, fn.MIN(Vehicle.id))
             .where(Vehicle.next_service_due.between(today - dt.timedelta(days=30), checked.ends_on) & ~running_plan()))
    planned = (PlannedService.select(Vehicle.customer, fn.MIN(Vehicle.id))
               .join(Vehicle, on=(PlannedService.vehicle == Vehicle.id))
               .where((PlannedService.status == "open") & (PlannedService.due_date <= checked.ends_on)))
    if value:
        paced, planned = paced.where(_of_model(value)), planned.where(_of_model(value))
    first: dict[int, int | None] = {}
    for query in (planned, paced):  # a car whose plan runs is due by its plan
        for customer_id, vehicle_id in query.group_by(Vehicle.customer).limit(limit).tuples():
            first.setdefault(customer_id, vehicle_id)
    return list(first.items())[:limit]


def invite_from(starts_on: dt.date) -> dt.date:
    """The day a campaign's invitations fall due: campaign_invite_days before it, today at the earliest."""
    return max(clock.today(), starts_on - dt.timedelta(days=int(settings.get("campaign_invite_days"))))


def create_campaign(form: CampaignForm, *, by: Staff) -> Campaign:
    """Plan a campaign and its invitations (all or nothing): refused, with nothing written, for a day that
    has passed, a rule that matches nobody or more customers than a campaign may invite."""
    checked = check_form(form)
    most = int(settings.get("campaign_max_invitations"))

    def work():
        nonlocal by
        by = require(by, "plan_campaigns")
        matches = _matches(checked, most + 1)  # under the write lock: what is invited is what was counted
        if not matches:
            raise InvalidInput(_("Nobody matches this rule ({rule}): the campaign would invite no one.").format(
                rule=_rule_text(checked.rule, checked.rule_value)), "rule")
        if len(matches) > most:
            raise InvalidInput(_("This rule matches more than {most} customers: a campaign invites {most} at most; "
                                 "narrow it (lost customers: lost at most so many months; cars: a brand or model)."
                                 ).format(most=most), "rule_value" if checked.rule != "model" else "rule")
        now = clock.now()
        due = invite_from(checked.starts_on)
        campaign = Campaign.create(name=checked.name, starts_on=checked.starts_on, ends_on=checked.ends_on,
                                   rule=checked.rule, rule_value=checked.rule_value, invite_from=due,
                                   invited=len(matches), notes=checked.notes, created_by=by.id, created_at=now)
        # One prepared statement for every row: building INSERTs of 500 rows with Peewee took ten times as
        # long (15,000 invitations: 414 against 44 ms of processor time, under the write lock).
        mark, day = db.param, Invitation.due.db_value(due)
        db.cursor().executemany(
            f"INSERT INTO invitation (campaign_id, customer_id, vehicle_id, due, status, attempts) "
            f"VALUES ({mark}, {mark}, {mark}, {mark}, {mark}, {mark})",
            [(campaign.id, customer_id, vehicle_id, day, "due", 0) for customer_id, vehicle_id in matches])
        audit.record(by, "campaign_created", "campaign", campaign.id,
                     Phrase(N_("Campaign {name} on {date}: {count} customers invited ({rule}), invitations due from {due}"),
                            name=checked.name, date=i18n.date(checked.starts_on), count=len(matches),
                            rule=_rule_text(checked.rule, checked.rule_value), due=i18n.date(due)),
                     after={"name": checked.name, "starts_on": checked.starts_on, "ends_on": checked.ends_on,
                            "rule": checked.rule, "rule_value": checked.rule_value, "invited": len(matches)})
        return campaign

    return run_write(work)


def _rule_text(rule: str, value: str | None) -> str:
    text = i18n.label(CAMPAIGN_RULE_LABELS, rule)
    if value and rule == "lost":
        return _("{rule}, lost at most {months} months").format(rule=text, months=value)
    return f"{text}: {value}" if value else text


# --- invitations ------------------------------------------------------------------------------------

def record_invitation(invitation_id: int, *, result: str | None, by: Staff, channel: str = "phone",
                      notes: str | None = "", complaint: str | None = "", department: str = "service"):
    """A call or message inviting the customer, and what it came to (required)."""
    outcome = check_outcome("campaign", result=result, channel=channel, notes=notes, complaint=complaint,
                            department=department)

    def work():
        nonlocal by
        by = require(by, "close_callback")
        invitation = Invitation.get_or_none(Invitation.id == invitation_id)
        if invitation is None:
            raise NotFound(_("That invitation no longer exists."))
        campaign = Campaign.get_by_id(invitation.campaign_id)
        if campaign.ends_on < clock.today():
            raise IllegalTransition(_("The campaign {name} is over.").format(name=campaign.name))
        call = write_call(outcome, customer_id=invitation.customer_id, by=by, vehicle_id=invitation.vehicle_id)
        attempts = invitation.attempts + 1
        final = outcome.result not in RETRY_RESULTS or (
            outcome.result == "no_answer" and attempts >= int(settings.get("callback_max_tries")))
        Invitation.update(result=outcome.result, attempts=attempts, status="done" if final else "due",
                          answered_at=clock.now()).where(Invitation.id == invitation.id).execute()
        answered = int(final) - int(invitation.status == "done")
        accepted = int(outcome.result == "accepted") - int(invitation.result == "accepted")
        if answered or accepted:
            Campaign.update(answered=Campaign.answered + answered, accepted=Campaign.accepted + accepted) \
                .where(Campaign.id == campaign.id).execute()
        customer = Customer.get_by_id(invitation.customer_id)
        audit.record(by, "campaign_invitation", "campaign", campaign.id,
                     Phrase(N_("{campaign}: {customer} invited, {result}"),
                            campaign=campaign.name, customer=customer.name,
                            result=result_label("campaign", outcome.result)),
                     before={"status": invitation.status, "result": invitation.result},
                     after={"status": "done" if final else "due", "result": outcome.result,
                            "channel": outcome.channel, "call": call.id})
        return call

    return run_write(work)


def mark_came(invitation_id: int, *, by: Staff) -> Invitation:
    """The invited customer came to the event (a check-in during it counts without this)."""

    def work():
        nonlocal by
        by = require(by, "log_call")
        invitation = Invitation.get_or_none(Invitation.id == invitation_id)
        if invitation is None:
            raise NotFound(_("That invitation no longer exists."))
        campaign = Campaign.get_by_id(invitation.campaign_id)
        today = clock.today()
        if not campaign.starts_on <= today <= campaign.ends_on:
            raise IllegalTransition(_("{name} runs from {start} to {end}: who came is marked during it.").format(
                name=campaign.name, start=i18n.date(campaign.starts_on), end=i18n.date(campaign.ends_on)))
        if invitation.came_at is not None:
            raise IllegalTransition(_("Already marked as come."))
        Invitation.update(came_at=clock.now()).where(Invitation.id == invitation.id).execute()
        Campaign.update(marked_came=Campaign.marked_came + 1).where(Campaign.id == campaign.id).execute()
        customer = Customer.get_by_id(invitation.customer_id)
        audit.record(by, "campaign_came", "campaign", campaign.id,
                     Phrase(N_("{campaign}: {customer} came"), campaign=campaign.name, customer=customer.name))
        return Invitation.get_by_id(invitation.id)

    return run_write(work)


@dataclass(frozen=True)
class InvitationRow:
    id: int
    campaign_id: int
    campaign: str
    starts_on: dt.date
    due: dt.date
    customer_id: int
    customer: str
    mobile: str
    plate: str
    status: str
    result: str | None
    attempts: int
    came: bool = False

    @property
    def key(self) -> tuple:
        return (self.due, self.id)

    @property
    def result_label(self) -> str:
        return result_label("campaign", self.result)


def _invitation_query():
    return (Invitation.select(Invitation.id, Campaign.id, Campaign.name, Campaign.starts_on, Invitation.due,
                              Customer.id, Customer.name, Customer.mobile, Vehicle.plate, Invitation.status,
                              Invitation.result, Invitation.attempts, Invitation.came_at)
            .join(Campaign, on=(Invitation.campaign == Campaign.id)).switch(Invitation)
            .join(Customer, on=(Invitation.customer == Customer.id)).switch(Invitation)
            .join(Vehicle, JOIN.LEFT_OUTER, on=(Invitation.vehicle == Vehicle.id)))


def _rows(rows) -> list[InvitationRow]:
    return [InvitationRow(iid, cid, name, starts, due, cust, cname, mobile, plate or "", status, result, attempts,
                          came_at is not None)
            for iid, cid, name, starts, due, cust, cname, mobile, plate, status, result, attempts, came_at in rows]


def invitations_due(*, limit: int = 100, after: InvitationRow | None = None) -> list[InvitationRow]:
    """Invitations to make today, of every campaign: due (from two weeks before the campaign) and not yet
    answered, soonest first; one index range on invitation (status, due), after ``after`` (keyset)."""
    query = _invitation_query().where((Invitation.status == "due") & (Invitation.due <= clock.today()))
    if after is not None:
        query = query.where((Invitation.due >= after.due) & ((Invitation.due > after.due) | (Invitation.id > after.id)))
    return _rows(query.order_by(Invitation.due, Invitation.id).limit(limit).tuples())


def invitations_of(campaign_id: int, *, limit: int = 100, after: InvitationRow | None = None) -> list[InvitationRow]:
    """A campaign's invitations with their answers and who came (a check-in during it, or marked), by
    customer: one range of the index (campaign, customer), after ``after`` (keyset)."""
    campaign = Campaign.get_or_none(Campaign.id == campaign_id)
    if campaign is None:
        raise NotFound(_("That campaign no longer exists."))
    query = _invitation_query().where(Invitation.campaign == campaign_id)
    if after is not None:
        query = query.where(Invitation.customer > after.customer_id)
    rows = _rows(query.order_by(Invitation.customer).limit(limit).tuples())
    came = _came_by_visit(campaign, [r.customer_id for r in rows])
    return [replace(r, came=True) if r.customer_id in came else r for r in rows]


def _window(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(campaign.starts_on, dt.time()),
            dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time()))


def _came_by_visit(campaign: Campaign, customer_ids: list[int]) -> set[int]:
    start, end = _window(campaign)
    if not customer_ids or start > clock.now():
        return set()
    return {cid for (cid,) in RepairOrder.select(RepairOrder.customer).where(
        RepairOrder.customer.in_(customer_ids) & (RepairOrder.time_in >= start) & (RepairOrder.time_in < end)
        & (RepairOrder.state != "cancelled")).distinct().tuples()}


@dataclass(frozen=True)
class CampaignRow:
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    rule: str
    rule_value: str | None
    invite_from: dt.date
    invited: int
    answered: int   # invitations closed: answered, message sent or given up
    accepted: int   # said they will come
    came: int       # checked in during the campaign, or marked at the event

    @property
    def rule_text(self) -> str:
        return _rule_text(self.rule, self.rule_value)


def campaigns(*, limit: int = 50, include_past: bool = False) -> list[CampaignRow]:
    """Campaigns not over yet, soonest first (or every campaign, latest first), with their figures: the
    counts kept on the campaign, and who came by a check-in during it."""
    query = Campaign.select()
    if include_past:
        query = query.order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    else:
        query = query.where(Campaign.ends_on >= clock.today()).order_by(Campaign.starts_on, Campaign.id)
    return [CampaignRow(c.id, c.name, c.starts_on, c.ends_on, c.rule, c.rule_value, c.invite_from, c.invited,
                        c.answered, c.accepted, came_count(c)) for c in query.limit(limit)]


def came_count(campaign: Campaign) -> int:
    """Invited customers who came: marked at the event (kept on the campaign), and those not marked who
    checked in during it (the campaign's days of check-ins, an index range on repair_order.time_in, each
    looked up among its invitations): nothing to read before it starts."""
    start, end = _window(campaign)
    if start > clock.now():
        return campaign.marked_came
    visited = (RepairOrder.select(fn.COUNT(fn.DISTINCT(RepairOrder.customer)))
               .join(Invitation, on=((Invitation.customer == RepairOrder.customer)
                                     & (Invitation.campaign == campaign.id)))
               .where((RepairOrder.time_in >= start) & (RepairOrder.time_in < end)
                      & (RepairOrder.state != "cancelled") & Invitation.came_at.is_null()).scalar())
    return campaign.marked_came + (visited or 0)


__all__ = ["CampaignForm", "check_form", "create_campaign", "record_invitation", "mark_came", "invitations_due",
           "invitations_of", "campaigns", "CampaignRow", "InvitationRow", "invite_from", "came_count"]
