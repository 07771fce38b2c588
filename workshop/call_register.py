"""The call register (every call, outgoing or incoming, is logged): what each kind of call can come to,
the one check of a call's outcome every kind shares, incoming calls and walk-in visits, and the register
itself, newest first.

A call's outcome has the same fields whatever the call: reached or not, a result from its kind's table
(required: a call that came to nothing says so with "no answer"), satisfaction scores 1-5, notes, and a
complaint (with its department) logged at once on the same call. Follow-up callbacks
(workshop/callbacks.record_call), win-back calls (workshop/winback.py), campaign invitations
(workshop/campaigns.py) and incoming calls (here) all write a ``CallRecord`` row through ``write_call``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from models.db import run_write
from models.followup import CALL_CHANNELS, CallRecord, Answer, Complaint
from models.people import Customer, Staff, Vehicle
from workshop import audit, clock, i18n, validation
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require

# What a call of each kind can come to. Reached is derived: only "no answer" and a message left are not.
RESULTS: dict[str, dict[str, str]] = {
    "incoming": {"enquiry": N_("enquiry"), "booking": N_("wants an appointment"), "complaint": N_("complaint"),
                 "praise": N_("praise"), "other": N_("other")},
    "winback": {"will_come": N_("will come back"), "serviced_elsewhere": N_("services the car elsewhere"),
                "sold_car": N_("sold the car or moved away"), "not_interested": N_("not interested"),
                "call_later": N_("call again later"), "no_answer": N_("no answer")},
    "campaign": {"accepted": N_("will come"), "declined": N_("declined"), "call_later": N_("call again later"),
                 "no_answer": N_("no answer"), "message_sent": N_("message sent")},
}
NOT_REACHED = frozenset({"no_answer", "message_sent"})
# How each kind of call may reach the customer (an incoming one also at the desk).
CHANNELS = {"incoming": CALL_CHANNELS, "winback": ("phone", "sms", "wechat"),
            "campaign": ("phone", "sms", "wechat")}
MESSAGES = frozenset({"sms", "wechat"})
DEPARTMENTS = ("service", "parts", "body shop", "cashier", "sales", "management")
DEPARTMENT_LABELS = {"service": N_("service"), "parts": N_("parts"), "body shop": N_("body shop"),
                     "cashier": N_("cashier"), "sales": N_("sales"), "management": N_("management")}


def result_label(topic: str, code: str | None) -> str:
    """The on-screen name of a call's result, in the reader's language."""
    return i18n.label(RESULTS.get(topic, {}), code)


@dataclass(frozen=True)
class Outcome:
    """A call's outcome, checked (``check_outcome``): what every kind of call records."""
    topic: str
    result: str | None
    reached: bool
    channel: str
    notes: str | None
    complaint: str | None
    department: str
    scores: dict[str, int] = field(default_factory=dict)


def check_scores(scores: dict | None) -> dict[str, int]:
    scores = scores or {}
    for question, score in scores.items():
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
            raise InvalidInput(_("Satisfaction for '{question}' must be 1 to 5.").format(question=question), "scores")
    return dict(scores)


def check_department(department: str) -> str:
    if department not in DEPARTMENTS:
        raise InvalidInput(_("Choose the department the complaint is about from the list."), "department")
    return department


def check_outcome(topic: str, *, result: str | None, channel: str = "phone", notes: str | None = "",
                  complaint: str | None = "", department: str = "service", scores: dict | None = None) -> Outcome:
    """The outcome of a call of ``topic`` checked before anything is written: a result from the topic's
    table (required), a channel the topic uses, notes and a complaint of bounded length, scores 1-5."""
    results = RESULTS[topic]
    if not result:
        raise InvalidInput(_("Say what the call came to ({choices}).").format(
            choices=", ".join(_(text) for text in results.values())), "result")
    if result not in results:
        raise InvalidInput(_("Choose what the call came to from the list."), "result")
    if channel not in CHANNELS[topic]:
        raise InvalidInput(_("Choose how the customer was reached from the list."), "channel")
    if result == "message_sent" and channel not in MESSAGES:
        raise InvalidInput(_("A message is sent by SMS or WeChat: choose one of them, or say what the call came "
                             "to."), "channel")
    notes = validation.text(notes, "notes", _("Notes"), max_len=500, required=False, multiline=True)
    complaint = validation.text(complaint, "complaint", _("Complaint"), max_len=500,
                                required=(result == "complaint"))
    if complaint:
        check_department(department)
    return Outcome(topic, result, result not in NOT_REACHED, channel, notes, complaint, department,
                   check_scores(scores) if result not in NOT_REACHED else {})


def write_call(outcome: Outcome, *, customer_id: int, by: Staff, direction: str = "out",
               vehicle_id: int | None = None, callback_id: int | None = None,
               order_id: int | None = None) -> CallRecord:
    """The register's row of one call with its scores, and the complaint raised on it (inside the caller's
    transaction; the caller has checked the caller's rights and writes its own audit row)."""
    call = CallRecord.create(callback=callback_id, customer=customer_id, direction=direction, by=by,
                             at=clock.now(), reached=outcome.reached, notes=outcome.notes, channel=outcome.channel,
                             topic=outcome.topic, result=outcome.result, vehicle=vehicle_id)
    if outcome.scores:
        Answer.insert_many([dict(call=call.id, question=q, score=s) for q, s in outcome.scores.items()]).execute()
    if outcome.complaint:
        from workshop.callbacks import raise_complaint_in
        raise_complaint_in(customer_id, order_id, outcome.complaint, outcome.department, by, call_id=call.id)
    return call


def _customer_and_car(customer_id: int, vehicle_id: int | None) -> Customer:
    customer = Customer.get_or_none(Customer.id == customer_id)
    if customer is None:
        raise NotFound(_("That customer no longer exists."))
    if vehicle_id is not None and not Vehicle.select().where((Vehicle.id == vehicle_id)
                                                             & (Vehicle.customer == customer_id)).exists():
        raise InvalidInput(_("That car is not this customer's."), "vehicle")
    return customer


def customer_for(text: str) -> tuple[int, int | None]:
    """The one customer (and car, if a plate was typed) that ``text`` names: a plate, the start of a mobile
    number, a name or its pinyin initials, or an owner code; refused on the field ``customer`` when none or
    several match (index lookups only: workshop/customers.py)."""
    from workshop.customers import find_customers
    typed = validation.text(text, "customer", _("Customer"), max_len=60)
    plate = typed.upper().replace(" ", "").replace("·", "").replace("-", "")
    car = Vehicle.select(Vehicle.id, Vehicle.customer).where(Vehicle.plate == plate).first()
    if car is not None:
        return car.customer_id, car.id
    hits = find_customers(typed, limit=6)
    if not hits:
        raise InvalidInput(_("No customer on file matches {text}: type a mobile number, a plate or a name.").format(
            text=typed), "customer")
    if len(hits) > 1:
        names = ", ".join(f"{h.name} {h.mobile}" for h in hits[:3])
        raise InvalidInput(_("Several customers match {text} ({names}…): type more of the mobile number, the plate "
                             "or the name.").format(text=typed, names=names), "customer")
    return hits[0].id, None


def record_incoming(customer: int | str, *, result: str | None, by: Staff, channel: str = "phone",
                    notes: str | None = "", complaint: str | None = "", department: str = "service",
                    scores: dict | None = None, vehicle_id: int | None = None) -> CallRecord:
    """An incoming call, or a customer at the desk (channel ``walk_in``), in the register with its outcome;
    a complaint said on it is logged at once (and escalates like any other). ``customer``: the customer's
    id, or what was typed to find them (``customer_for``)."""
    outcome = check_outcome("incoming", result=result, channel=channel, notes=notes, complaint=complaint,
                            department=department, scores=scores)
    if isinstance(customer, str):
        customer_id, car_id = customer_for(customer)
        vehicle_id = vehicle_id or car_id
    else:
        customer_id = customer

    def work():
        nonlocal by
        by = require(by, "log_call")
        if outcome.complaint:
            by = require(by, "handle_complaint")
        customer = _customer_and_car(customer_id, vehicle_id)
        call = write_call(outcome, customer_id=customer.id, by=by, direction="in", vehicle_id=vehicle_id)
        what = _("Walk-in") if channel == "walk_in" else _("Incoming call")
        audit.record(by, "call_in", "customer", customer.id,
                     Phrase(N_("{what} of {customer}: {result}"),
                            what=what, customer=customer.name, result=result_label("incoming", outcome.result)),
                     after={"channel": channel, "result": outcome.result, "notes": outcome.notes,
                            "complaint": outcome.complaint})
        return call

    return run_write(work)


def customer_of(call_id: int) -> str:
    """The name of the customer a call in the register is with (to say whom a typed mobile or plate found)."""
    return (Customer.select(Customer.name).join(CallRecord, on=(CallRecord.customer == Customer.id))
            .where(CallRecord.id == call_id).scalar()) or ""


# --- the register ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CallRow:
    id: int
    at: dt.datetime
    direction: str       # "in" or "out"
    channel: str         # a code of CALL_CHANNEL_LABELS
    topic: str           # a code of CALL_TOPIC_LABELS
    result: str | None   # a code of RESULTS[topic] (None: a follow-up callback, reached or not)
    reached: bool
    customer_id: int
    customer: str
    mobile: str
    plate: str
    by: str
    notes: str
    complaint_id: int | None

    @property
    def key(self) -> tuple:
        return (self.at, self.id)


def calls(*, limit: int = 100, after: CallRow | None = None, incoming_only: bool = False,
          customer_id: int | None = None) -> list[CallRow]:
    """The register, newest first, one page (``after``: the last row of the page before): every call, or
    the incoming ones and walk-ins, or one customer's. An index range on (topic, at), (at) or (customer)."""
    # Outer joins only: SQLite then walks call_record by its index on ``at`` from the newest and stops after
    # a page; with inner joins it started from the few staff and sorted every call (75 ms on the large shop).
    query = (CallRecord.select(CallRecord.id, CallRecord.at, CallRecord.direction, CallRecord.channel,
                               CallRecord.topic, CallRecord.result, CallRecord.reached, Customer.id, Customer.name,
                               Customer.mobile, Vehicle.plate, Staff.name, CallRecord.notes, Complaint.id)
             .join(Customer, JOIN.LEFT_OUTER, on=(CallRecord.customer == Customer.id)).switch(CallRecord)
             .join(Staff, JOIN.LEFT_OUTER, on=(CallRecord.by == Staff.id)).switch(CallRecord)
             .join(Vehicle, JOIN.LEFT_OUTER, on=(CallRecord.vehicle == Vehicle.id)).switch(CallRecord)
             .join(Complaint, JOIN.LEFT_OUTER, on=(Complaint.call == CallRecord.id)))
    if incoming_only:
        query = query.where(CallRecord.topic == "incoming")
    if customer_id is not None:
        query = query.where(CallRecord.customer == customer_id)
    if after is not None:  # written so that "at <= ?" bounds the index range
        query = query.where((CallRecord.at <= after.at) & ((CallRecord.at < after.at) | (CallRecord.id < after.id)))
    rows = query.order_by(CallRecord.at.desc(), CallRecord.id.desc()).limit(limit).tuples()
    return [CallRow(cid, at, direction, channel or "phone", topic or "callback", result, bool(reached), cust_id,
                    name or "", mobile or "", plate or "", by_name or "", notes or "", complaint_id)
            for (cid, at, direction, channel, topic, result, reached, cust_id, name, mobile, plate, by_name, notes,
                 complaint_id) in rows]


__all__ = ["RESULTS", "NOT_REACHED", "CHANNELS", "DEPARTMENTS", "DEPARTMENT_LABELS", "Outcome", "check_outcome",
           "check_scores", "check_department", "write_call", "record_incoming", "customer_for", "customer_of", "CallRow", "calls", "result_label"]
