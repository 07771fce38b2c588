"""Follow-up callbacks and complaints, created by the rules the documents state.

The rules, with their numbers as settings (workshop/settings.py):
- delivery creates the first call, due callback_first_days (3) after pickup, window to callback_window_days (7);
- completing the first creates the second, due within callback_second_days (7) after it;
- 100% callback for private owners, key customers, major repairs (bill above callback_major_repair_amount),
  insurance/accident repairs and customers who complained; others are called at callback_other_share_pct %;
- not reached: a retry after callback_retry_hours; after callback_max_tries the customer is unreachable
  and a letter or card is due instead;
- a complaint unresolved after complaint_escalate_days is escalated to someone who may act on it: an active
  member of the role complaint_escalation_role (a customer-care supervisor, or the service manager), the one
  holding the fewest unresolved escalations, else a manager; it shows on their screen at sign-in, they can
  hand it to another who may handle complaints, and an escalation whose holder left or lost the role goes to
  someone else; resolving it creates a verification call; a complaining customer gets a call after their
  next visit too;
- agent assignment: the advisor's follow-up agent, or round-robin over active agents (callback_assignment).
"""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from decimal import Decimal

from peewee import JOIN, fn

from models.db import run_write
from models.followup import Answer, Callback, CallRecord, Complaint, Question
from models.orders import JobLine, RepairOrder
from models.people import Customer, Staff, Vehicle
from workshop import audit, clock, lifecycle, lookup, settings, validation
from workshop.call_register import DEPARTMENT_LABELS, DEPARTMENTS, check_department
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _, join, label, local, ngettext
from workshop.permissions import require, roles_for
from workshop.phrase import Phrase, Term, When
OPEN = "open"
DEPARTMENTS_TABLE = "workshop.callbacks:DEPARTMENT_LABELS"
KINDS_TABLE = "models.followup:CALLBACK_KIND_LABELS"
# Why a call is made: stored as its English words (a code), shown through this table (reason_text).
REASON_LABELS = {
    "customer complained before": N_("customer complained before"),
    "insurance / accident repair": N_("insurance / accident repair"),
    "key customer": N_("key customer"), "private owner": N_("private owner"), "major repair": N_("major repair"),
    "sampled": N_("sampled"), "second follow-up": N_("second follow-up"),
    "complained before: call after this visit": N_("complained before: call after this visit"),
}


def _setting_int(key: str) -> int:
    return int(settings.get(key))


# --- creating callbacks by rule ------------------------------------------------------------------

def required_reason(order: RepairOrder, customer: Customer) -> str | None:
    """Why this order needs a 100% callback (a code of REASON_LABELS), or None."""
    if customer.has_complained:
        return "customer complained before"
    if order.business_type == "insurance":
        return "insurance / accident repair"
    if customer.is_key:
        return "key customer"
    if customer.kind == "private":
        return "private owner"
    from models.settlement import Settlement
    total = (Settlement.select(fn.MAX(Settlement.total))
             .where((Settlement.order == order.id) & (Settlement.kind == "invoice")).scalar())
    if total is not None and Decimal(str(total)) >= Decimal(str(settings.get("callback_major_repair_amount"))):
        return "major repair"
    return None


def _agents() -> list[Staff]:
    return [s for s in Staff.select().where((Staff.active == True) & Staff.roles.contains("follow_up_agent"))  # noqa: E712
            .order_by(Staff.id)]


def assign_agent(advisor_id: int | None) -> int | None:
    agents = _agents()
    if not agents:
        return None
    if settings.get("callback_assignment") == "advisor_agent" and advisor_id:
        advisor = Staff.get_or_none(Staff.id == advisor_id)
        if advisor and advisor.follow_up_agent_id and any(a.id == advisor.follow_up_agent_id for a in agents):
            return advisor.follow_up_agent_id
    # Round-robin: the agent with the fewest open calls.
    loads = dict(Callback.select(Callback.agent, fn.COUNT(Callback.id)).where(Callback.status == OPEN)
                 .group_by(Callback.agent).tuples())
    return min(agents, key=lambda a: (loads.get(a.id, 0), a.id)).id


def _create(kind: str, customer_id: int, *, order: RepairOrder | None, due: dt.date, window_days: int,
            reason: str | None, required: bool, by: Staff | None) -> Callback:
    agent = assign_agent(order.advisor_id if order else None)
    callback = Callback.create(order=order.id if order else None, customer=customer_id,
                               vehicle=order.vehicle_id if order else None, kind=kind, reason=reason,
                               required=required, due=due, window_end=due + dt.timedelta(days=window_days),
                               agent=agent, created_at=clock.now())
    values = dict(kind=Term(KINDS_TABLE, kind), due=When(due), reason=reason_phrase(reason))
    if order is not None:
        summary = Phrase(N_("{kind} due {due} for {order} ({reason})"), order=order.ref, **values)
    else:
        summary = Phrase(N_("{kind} due {due} ({reason})"), **values)
    audit.record(by, "callback_created", "callback", callback.id, summary, order_id=order.id if order else None,
                 after={"kind": kind, "due": due, "agent": agent})
    return callback


def _on_delivered(order: RepairOrder, by: Staff) -> None:
    """After-deliver hook: the first follow-up call (inside the delivery's transaction)."""
    customer = Customer.get_by_id(order.customer_id)
    reason = required_reason(order, customer)
    share = _setting_int("callback_other_share_pct")
    if reason is None and (order.id * 37) % 100 >= share:  # a stable sample of the others
        return
    first = _setting_int("callback_first_days")
    window = _setting_int("callback_window_days") - first
    _create("first", customer.id, order=order, due=clock.today() + dt.timedelta(days=first), window_days=window,
            reason=reason or "sampled", required=reason is not None, by=by)
    if customer.has_complained:
        previous = Callback.select().where((Callback.customer == customer.id) & (Callback.kind == "next_visit")
                                           & (Callback.status == OPEN)).exists()
        if not previous:
            _create("next_visit", customer.id, order=order, due=clock.today() + dt.timedelta(days=1), window_days=2,
                    reason="complained before: call after this visit", required=True, by=by)


lifecycle.add_after("deliver", _on_delivered)


_VERIFICATION = "complaint #{number} resolved: check with the customer"


def reason_text(reason: str | None) -> str:
    """Why a call is made, in the reader's language: a known reason translated, a reminder's kind
    translated with its date; anything else as stored."""
    return str(reason_phrase(reason)) if reason else ""


def reason_phrase(reason: str | None):
    """The stored reason as a phrase (or as it is, when it is not one of ours)."""
    import re
    from workshop.reminders import KINDS
    if not reason:
        return ""
    if reason in REASON_LABELS:
        return Phrase(REASON_LABELS[reason])
    match = re.fullmatch(r"complaint #(\d+) resolved: check with the customer", reason)
    if match:
        return Phrase(N_("complaint #{number} resolved: check with the customer"), number=int(match.group(1)))
    for title in KINDS.values():
        if reason.startswith(title + ":"):
            return Phrase(N_("{kind}: {detail}"), kind=Phrase(title), detail=reason[len(title) + 1:].strip())
    return reason


# --- the agent's queue ---------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    id: int
    kind: str
    due: dt.date
    window_end: dt.date
    attempts: int
    required: bool
    reason: str | None
    agent: str
    customer: str
    mobile: str
    plate: str
    order_number: int | None
    business_type: str | None
    order_id: int | None

    @property
    def overdue(self) -> bool:
        return self.window_end < clock.today()

    @property
    def bucket(self) -> str:
        today = clock.today()
        return "overdue" if self.window_end < today else "due" if self.due <= today else "upcoming"


SEARCH_CANDIDATES = 100  # customers (and cars) a search looks at, as many as a page shows: type more to narrow


def queue(*, agent_id: int | None = None, view: str = "due", search: str = "", limit: int = 100,
          offset: int = 0, after: QueueRow | None = None) -> list[QueueRow]:
    """Open calls: view 'due' (due today or earlier, overdue first), 'overdue', 'upcoming' or 'all'.
    ``after``: the last row of the page before (keyset paging), or ``offset`` rows in."""
    today = clock.today()
    query = (Callback.select(Callback.id, Callback.kind, Callback.due, Callback.window_end, Callback.attempts,
                             Callback.required, Callback.reason, Staff.name, Customer.name, Customer.mobile,
                             Vehicle.plate, RepairOrder.number, RepairOrder.business_type, RepairOrder.id)
             .join(Customer, on=(Callback.customer == Customer.id)).switch(Callback)
             .join(Staff, JOIN.LEFT_OUTER, on=(Callback.agent == Staff.id)).switch(Callback)
             .join(Vehicle, JOIN.LEFT_OUTER, on=(Callback.vehicle == Vehicle.id)).switch(Callback)
             .join(RepairOrder, JOIN.LEFT_OUTER, on=(Callback.order == RepairOrder.id))
             .where(Callback.status == OPEN))
    if agent_id:
        query = query.where(Callback.agent == agent_id)
    if view == "due":
        query = query.where(Callback.due <= today)
    elif view == "overdue":
        query = query.where(Callback.window_end < today)
    elif view == "upcoming":
        query = query.where(Callback.due > today)
    text = (search or "").strip()
    if text:
        # The callbacks of the first customers and cars the text starts (workshop/lookup.py): a few
        # hundred index probes, where matching the text against every open call's customer read them all.
        customers = lookup.customers_by_name(text, SEARCH_CANDIDATES) + \
            lookup.customers_by_phone(text, SEARCH_CANDIDATES)
        vehicles = lookup.vehicles_by_plate(text, SEARCH_CANDIDATES)
        if not customers and not vehicles:
            return []
        # By id, so that SQLite starts from those customers' and cars' calls, not from every open one.
        parts = [Callback.select(Callback.id).where(field.in_(ids))
                 for field, ids in ((Callback.customer, customers), (Callback.vehicle, vehicles)) if ids]
        query = query.where(Callback.id.in_(reduce(operator.or_, parts)))
    if after is not None:  # (due, id) after the last row shown; "due >= ?" bounds the index range
        query = query.where((Callback.due >= after.due) & ((Callback.due > after.due) | (Callback.id > after.id)))
    rows = query.order_by(Callback.due, Callback.id).limit(limit).offset(offset).tuples()
    return [QueueRow(*row[:7], row[7] or "—", row[8], row[9], row[10] or "", *row[11:]) for row in rows]


def questions(business_type: str | None) -> list[Question]:
    rows = list(Question.select().where(Question.business_type == (business_type or "general"))
                .order_by(Question.position))
    if not rows:
        rows = list(Question.select().where(Question.business_type == "general").order_by(Question.position))
    return rows


@dataclass(frozen=True)
class CallContext:
    """What the agent needs on the call: who, why, what was done, advisor and technicians, the questions."""
    callback_id: int
    kind: str
    reason: str | None
    customer: str
    mobile: str
    lines: tuple[str, ...]
    advisor: str | None
    technicians: tuple[str, ...]
    questions: tuple[str, ...]  # as stored (the scores are kept against these)
    question_texts: tuple[str, ...] = ()  # the same questions in the reader's language


def call_context(callback_id: int) -> CallContext:
    """The callback with its customer, the order's job lines and people, and the script's questions."""
    cb = Callback.get_or_none(Callback.id == callback_id)
    if cb is None:
        raise NotFound(_("That callback no longer exists."))
    lines, advisor, technicians = (), None, ()
    if cb.order_id:
        from workshop.dispatch import order_technicians
        from models.shop import Operation
        lines = tuple(local(name, name_zh) for name, name_zh in (
            JobLine.select(JobLine.name, Operation.name_zh).join(Operation, JOIN.LEFT_OUTER)
            .where(JobLine.order == cb.order_id).tuples()))
        advisor = cb.order.advisor.name
        technicians = tuple(order_technicians([cb.order_id]).get(cb.order_id, []))
    customer = cb.customer
    script = questions(cb.order.business_type if cb.order_id else None)
    return CallContext(cb.id, cb.kind, cb.reason, customer.name, customer.mobile, lines, advisor, technicians,
                       tuple(q.text for q in script), tuple(local(q.text, q.text_zh) for q in script))


# --- recording calls -----------------------------------------------------------------------------

def record_call(callback_id: int, *, reached: bool, by: Staff, scores: dict[str, int] | None = None,
                notes: str = "", complaint: str = "", department: str = "service") -> CallRecord:
    """The outcome of one call. Reached: scores 1-5 per question and the call is done (the first
    creates the second). Not reached: a retry, and after the last try the customer is unreachable."""
    notes = validation.text(notes, "notes", N_("Notes"), max_len=500, required=False, multiline=True)
    scores = scores or {}
    for question, score in scores.items():
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise InvalidInput(_("Satisfaction for '{question}' must be 1 to 5.").format(question=question), "scores")
    complaint = validation.text(complaint, "complaint", N_("Complaint"), max_len=500, required=False,
                                multiline=True)

    def work():
        nonlocal by
        by = require(by, "close_callback")
        cb = Callback.by_id(callback_id, lock=True)  # two agents on one callback: the second sees the first's
        if cb is None:
            raise NotFound(_("That callback no longer exists."))
        if cb.status != OPEN:
            from models.followup import CALLBACK_STATUS_LABELS
            raise IllegalTransition(_("This callback is already {status}.").format(
                status=label(CALLBACK_STATUS_LABELS, cb.status)))
        now = clock.now()
        call = CallRecord.create(callback=cb.id, customer=cb.customer_id, direction="out", by=by, at=now,
                                 reached=reached, notes=notes)
        order = RepairOrder.get_or_none(RepairOrder.id == cb.order_id) if cb.order_id else None
        if reached:
            if scores:
                Answer.insert_many([dict(call=call.id, question=q, score=s) for q, s in scores.items()]).execute()
            Callback.update(status="done", done_at=now, attempts=cb.attempts + 1).where(Callback.id == cb.id).execute()
            if cb.kind == "first" and order is not None:
                _create("second", cb.customer_id, order=order,
                        due=clock.today() + dt.timedelta(days=_setting_int("callback_second_days")), window_days=0,
                        reason="second follow-up", required=cb.required, by=by)
            summary = Phrase(N_("{kind} done: reached"), kind=Term(KINDS_TABLE, cb.kind))
        else:
            attempts = cb.attempts + 1
            if attempts >= _setting_int("callback_max_tries"):
                Callback.update(status="unreachable", attempts=attempts, done_at=now, letter_due=True) \
                    .where(Callback.id == cb.id).execute()
                Customer.update(unreachable=True).where(Customer.id == cb.customer_id).execute()
                summary = Phrase(N_("{kind}: unreachable after {n} tries, letter due"), kind=Term(KINDS_TABLE, cb.kind),
                                 n=attempts)
            else:
                retry = now + dt.timedelta(hours=_setting_int("callback_retry_hours"))
                Callback.update(attempts=attempts, next_try_at=retry, due=max(cb.due, retry.date())) \
                    .where(Callback.id == cb.id).execute()
                summary = Phrase(N_("{kind}: not reached (try {n}), retry {retry}"), kind=Term(KINDS_TABLE, cb.kind),
                                 n=attempts, retry=When(retry, "%a %H:%M"))
        audit.record(by, "call", "callback", cb.id, summary, order_id=cb.order_id,
                     after={"reached": reached, "scores": scores, "notes": notes})
        if complaint:
            _raise_complaint(cb.customer_id, cb.order_id, complaint, department, by, call_id=call.id)
        return call

    return run_write(work)


def log_incoming(customer_id: int, notes: str, *, by: Staff, result: str = "other", **outcome) -> CallRecord:
    """An incoming call goes into the register too (workshop/call_register.record_incoming)."""
    from workshop.call_register import record_incoming
    return record_incoming(customer_id, result=result, notes=notes, by=by, **outcome)


@dataclass(frozen=True)
class Agent:
    id: int
    name: str


def follow_up_agents() -> list[Agent]:
    """The active follow-up agents by name: whom calls can be reassigned from and to (one query)."""
    return [Agent(*row) for row in Staff.select(Staff.id, Staff.name)
            .where(Staff.roles.contains("follow_up_agent") & Staff.active).order_by(Staff.name).tuples()]


def reassign(from_agent_id: int, to_agent_id: int, *, by: Staff) -> int:
    """Hand all of an absent agent's open callbacks to another agent at once."""
    target = Staff.get_or_none(Staff.id == to_agent_id)
    if target is None or not target.active or not target.has_role("follow_up_agent"):
        raise InvalidInput(_("Hand the calls to an active follow-up agent."), "agent")
    if from_agent_id == to_agent_id:
        raise InvalidInput(_("Choose a different agent to hand the calls to."), "agent")

    def work():
        nonlocal by
        by = require(by, "reassign_callbacks")
        moved = (Callback.update(agent=to_agent_id)
                 .where((Callback.agent == from_agent_id) & (Callback.status == OPEN)).execute())
        source = Staff.get_by_id(from_agent_id)
        audit.record(by, "callbacks_reassigned", "staff", from_agent_id,
                     Phrase(Nn_("{n} open call of {source} handed to {target}",
                                "{n} open calls of {source} handed to {target}"), n=moved, source=source.name,
                            target=target.name),
                     before={"agent": from_agent_id}, after={"agent": to_agent_id, "count": moved})
        return moved

    return run_write(work)


# --- complaints ------------------------------------------------------------------------------------

def _raise_complaint(customer_id: int, order_id: int | None, description: str, department: str,
                     by: Staff, *, call_id: int | None = None) -> Complaint:
    check_department(department)
    now = clock.now()
    complaint = Complaint.create(customer=customer_id, order=order_id, description=description, department=department,
                                 due=(now + dt.timedelta(days=_setting_int("complaint_escalate_days"))).date(),
                                 created_by=by, created_at=now, call=call_id)
    Customer.update(has_complained=True).where(Customer.id == customer_id).execute()
    audit.record(by, "complaint_raised", "complaint", complaint.id,
                 Phrase(N_("Complaint ({department}): {description}"), department=Term(DEPARTMENTS_TABLE, department),
                        description=description[:80]),
                 order_id=order_id, after={"description": description, "department": department})
    return complaint


raise_complaint_in = _raise_complaint  # inside a transaction that already checked the caller's rights


def raise_complaint(customer_id: int, description: str, *, by: Staff, order_id: int | None = None,
                    department: str = "service") -> Complaint:
    description = validation.text(description, "description", N_("What the customer says"), max_len=500,
                                  multiline=True)
    return run_write(lambda: _raise_complaint(customer_id, order_id, description, department,
                                              require(by, "handle_complaint")))


UNRESOLVED = ("open", "in_progress")
ESCALATION_ROLES = ("care_supervisor", "manager")  # the setting's choices: both may handle complaints


def may_handle_complaints(staff: Staff) -> bool:
    return bool(staff.active) and bool(staff.role_set & roles_for("handle_complaint"))


def _holders(role: str) -> list[Staff]:
    return [s for s in Staff.select().where(Staff.active & Staff.roles.contains(role)).order_by(Staff.id)
            if role in s.role_set and may_handle_complaints(s)]


def escalation_target(*, exclude: int | None = None) -> Staff | None:
    """Whom the next escalated complaint goes to: of the active staff in the role the setting
    complaint_escalation_role names (else the managers), the one holding the fewest unresolved
    escalations (then the longest on the staff). None when nobody may act on it."""
    role = settings.get("complaint_escalation_role")
    candidates = [s for s in _holders(role if role in ESCALATION_ROLES else "care_supervisor") if s.id != exclude]
    if not candidates:
        candidates = [s for s in _holders("manager") if s.id != exclude]
    if not candidates:
        return None
    loads = dict(Complaint.select(Complaint.supervisor, fn.COUNT(Complaint.id))
                 .where(Complaint.supervisor.in_([s.id for s in candidates]) & Complaint.status.in_(UNRESOLVED))
                 .group_by(Complaint.supervisor).tuples())
    return min(candidates, key=lambda s: (loads.get(s.id, 0), s.id))


def escalate_overdue(*, by: Staff | None = None) -> int:
    """Escalate complaints still unresolved after the set days to someone who may act on them, and move
    escalations whose holder may no longer handle complaints (left, or another role) to someone who may
    (idempotent: a time-driven rule)."""
    cutoff = clock.now() - dt.timedelta(days=_setting_int("complaint_escalate_days"))
    pending = [c.id for c in Complaint.select(Complaint.id).where(Complaint.status.in_(UNRESOLVED)
                                                                  & Complaint.escalated_at.is_null()
                                                                  & (Complaint.created_at <= cutoff))]
    stranded = _stranded()
    if not pending and (not stranded or escalation_target() is None):
        return 0  # (nobody to move them to: no write every run until someone is)

    def work():
        count = 0
        for complaint_id in pending:
            target = escalation_target()
            changed = (Complaint.update(escalated_at=clock.now(), supervisor=target.id if target else None)
                       .where((Complaint.id == complaint_id) & Complaint.escalated_at.is_null()).execute())
            if changed:
                count += 1
                days = settings.get("complaint_escalate_days")
                audit.record(by, "complaint_escalated", "complaint", complaint_id,
                             Phrase(N_("Complaint #{number} unresolved after {days} days: escalated to {name}"),
                                    number=complaint_id, days=days, name=target.name) if target else
                             Phrase(N_("Complaint #{number} unresolved after {days} days: nobody active may take "
                                       "the escalation (set up a customer-care supervisor or a manager)"),
                                    number=complaint_id, days=days),
                             after={"supervisor": target.id if target else None})
        for complaint_id, holder in _stranded():  # again, under the write lock
            target = escalation_target(exclude=holder.id if holder else None)
            if target is None:
                continue
            Complaint.update(supervisor=target.id).where(Complaint.id == complaint_id).execute()
            count += 1
            audit.record(by, "complaint_escalated", "complaint", complaint_id,
                         Phrase(N_("Complaint #{number} moved to {name}: {holder} may no longer handle complaints"),
                                number=complaint_id, name=target.name, holder=holder.name if holder else "—"),
                         before={"supervisor": holder.id if holder else None}, after={"supervisor": target.id})
        return count

    return run_write(work)


def _stranded() -> list[tuple[int, Staff | None]]:
    """Unresolved escalations held by nobody, or by someone who may no longer handle complaints (few:
    escalations are; their holders are read in one query)."""
    rows = list(Complaint.select(Complaint.id, Complaint.supervisor).where(Complaint.status.in_(UNRESOLVED)
                                                                           & Complaint.escalated_at.is_null(False))
                .tuples())
    holders = {s.id: s for s in Staff.select().where(Staff.id.in_({h for _c, h in rows if h}))}
    stranded = []
    for complaint_id, holder_id in rows:
        holder = holders.get(holder_id)
        if holder is None or not may_handle_complaints(holder):
            stranded.append((complaint_id, holder))
    return stranded


def escalated_to(staff_id: int) -> int:
    """How many unresolved complaints are escalated to this person (an index range): said at sign-in."""
    return (Complaint.select().where((Complaint.supervisor == staff_id) & Complaint.status.in_(UNRESOLVED)
                                     & Complaint.escalated_at.is_null(False)).count())


def escalation_notice(staff_id: int) -> str | None:
    """"2 complaints escalated to you", or None."""
    count = escalated_to(staff_id)
    if not count:
        return None
    return ngettext("{count} complaint escalated to you", "{count} complaints escalated to you", count).format(
        count=count)


@dataclass(frozen=True)
class Handler:
    id: int
    name: str


def complaint_handlers() -> list[Handler]:
    """Active staff who may handle complaints, by name: whom an escalated complaint can be handed to."""
    return [Handler(s.id, s.name) for s in Staff.select().where(Staff.active).order_by(Staff.name)
            if may_handle_complaints(s)]


def hand_complaint(complaint_id: int, to_staff_id: int, *, by: Staff) -> Complaint:
    """Give an escalated complaint (or one not yet escalated) to another person who may handle complaints."""

    def work():
        nonlocal by
        by = require(by, "handle_complaint")
        target = Staff.get_or_none(Staff.id == to_staff_id)
        if target is None or not may_handle_complaints(target):
            raise InvalidInput(_("Hand the complaint to an active member of staff who may handle complaints."),
                               "handler")
        c = Complaint.get_or_none(Complaint.id == complaint_id)
        if c is None:
            raise NotFound(_("That complaint no longer exists."))
        if c.status not in UNRESOLVED:
            raise IllegalTransition(_("Complaint #{number} is already resolved.").format(number=c.id))
        if c.supervisor_id == target.id:
            raise InvalidInput(_("Complaint #{number} is already with {name}.").format(number=c.id, name=target.name),
                               "handler")
        changes = {"supervisor": target.id}
        if c.escalated_at is None:
            changes["escalated_at"] = clock.now()
        Complaint.update(**changes).where(Complaint.id == c.id).execute()
        audit.record(by, "complaint_handed", "complaint", c.id,
                     Phrase(N_("Complaint #{number} handed to {name}"), number=c.id, name=target.name),
                     order_id=c.order_id, before={"supervisor": c.supervisor_id}, after=changes)
        return Complaint.get_by_id(c.id)

    return run_write(work)


def update_complaint(complaint_id: int, status: str, *, by: Staff, resolution: str = "",
                     responsible_id: int | None = None) -> Complaint:
    """Move a complaint on. Resolving needs a resolution and creates the verification call."""
    order = ("open", "in_progress", "resolved", "verified")
    if status not in order:
        from models.followup import COMPLAINT_STATUS_LABELS
        raise InvalidInput(_("Status must be one of: {statuses}.").format(
            statuses=join(label(COMPLAINT_STATUS_LABELS, s) for s in order)), "status")
    resolution = validation.text(resolution, "resolution", N_("Resolution"), max_len=500,
                                 required=(status == "resolved"), multiline=True)

    def work():
        nonlocal by
        by = require(by, "handle_complaint")
        c = Complaint.by_id(complaint_id, lock=True)
        if c is None:
            raise NotFound(_("That complaint no longer exists."))
        if order.index(status) < order.index(c.status):
            from models.followup import COMPLAINT_STATUS_LABELS
            raise IllegalTransition(_("Complaint #{number} is already {status}.").format(
                number=c.id, status=label(COMPLAINT_STATUS_LABELS, c.status)))
        changes = {"status": status}
        if responsible_id:
            changes["responsible"] = responsible_id
        if status == "resolved":
            changes.update(resolution=resolution, resolved_at=clock.now())
            ro = RepairOrder.get_or_none(RepairOrder.id == c.order_id) if c.order_id else None
            _create("verification", c.customer_id, order=ro, due=clock.today(), window_days=1,
                    reason=_VERIFICATION.format(number=c.id), required=True, by=by)
        if status == "verified":
            changes["verified_at"] = clock.now()
        Complaint.update(**changes).where(Complaint.id == c.id).execute()
        said = Phrase(N_("Complaint #{number} {status}"), number=c.id,
                      status=Term("models.followup:COMPLAINT_STATUS_LABELS", status))
        if resolution:
            said = Phrase(N_("{summary}: {note}"), summary=said, note=resolution)
        audit.record(by, "complaint_" + status, "complaint", c.id, said, order_id=c.order_id,
                     before={"status": c.status}, after=changes)
        return Complaint.get_by_id(c.id)

    return run_write(work)


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    created_at: dt.datetime
    customer: str
    mobile: str
    description: str
    department: str
    status: str
    due: dt.date
    escalated: bool
    handler: str = ""  # whom it is escalated to
    handler_id: int | None = None


def complaints(*, open_only: bool = True, limit: int = 100, offset: int = 0,
               escalated_to: int | None = None) -> list[ComplaintRow]:
    """Complaints, escalated ones first, then by due date; ``escalated_to``: only the unresolved ones
    escalated to that person (an index range on (supervisor, status))."""
    handler = Staff.alias()
    query = (Complaint.select(Complaint.id, Complaint.created_at, Customer.name, Customer.mobile,
                              Complaint.description, Complaint.department, Complaint.status, Complaint.due,
                              Complaint.escalated_at.is_null(False), handler.name, Complaint.supervisor)
             .join(Customer, on=(Complaint.customer == Customer.id)).switch(Complaint)
             .join(handler, JOIN.LEFT_OUTER, on=(Complaint.supervisor == handler.id)))
    if escalated_to is not None:
        query = query.where((Complaint.supervisor == escalated_to) & Complaint.status.in_(UNRESOLVED)
                            & Complaint.escalated_at.is_null(False))
    elif open_only:
        query = query.where(Complaint.status.in_(["open", "in_progress", "resolved"]))
    rows = query.order_by(Complaint.escalated_at.is_null(), Complaint.due, Complaint.id).limit(limit).offset(offset)
    return [ComplaintRow(*row[:9], row[9] or "", row[10]) for row in rows.tuples()]


__all__ = ["queue", "record_call", "reassign", "raise_complaint", "update_complaint", "escalate_overdue",
           "complaints", "call_context", "CallContext", "log_incoming", "required_reason", "follow_up_agents",
           "Agent", "DEPARTMENTS", "DEPARTMENT_LABELS", "reason_text", "escalation_target", "escalated_to",
           "escalation_notice", "complaint_handlers", "hand_complaint", "Handler", "may_handle_complaints",
           "raise_complaint_in"]
