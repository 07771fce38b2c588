"""Writes the event row every change leaves behind, inside the change's own transaction."""
from __future__ import annotations

import datetime as dt
import decimal
import json

from dataclasses import dataclass

from peewee import JOIN, IntegrityError

from models.events import Event
from models.people import Staff
from workshop import clock
from workshop.i18n import N_, _, current
from workshop.phrase import Items, Phrase, Term, render, said

# What each kind of change is called on screen (the audit trail's "What" and its filter); a kind not
# listed shows as its code. Translated where shown: kind_label().
KIND_LABELS = {
    # the order's moves (workshop/lifecycle.py TRANSITIONS)
    "dispatch": N_("dispatched"), "undispatch": N_("dispatch taken back"), "start": N_("work started"),
    "wait_parts": N_("parts wait"), "resume": N_("work resumed"), "stop": N_("work stopped"),
    "finish": N_("to QC"), "reopen": N_("back from QC"), "qc_pass": N_("QC passed"), "qc_fail": N_("QC failed"),
    "settle": N_("settled"), "deliver": N_("car delivered"), "void": N_("settlement voided"),
    "cancel": N_("order cancelled"),
    # the order
    "order_created": N_("order created"), "line_added": N_("job line added"), "redispatch": N_("re-dispatched"),
    "technicians_set": N_("technicians set"), "clock_on": N_("clocked on"), "clock_off": N_("clocked off"),
    "line_finished": N_("job line finished"), "comeback_marked": N_("comeback marked"),
    # parts
    "part_requested": N_("part requested"), "part_picked": N_("part picked"), "part_returned": N_("part returned"),
    "part_cancelled": N_("part cancelled"), "part_exchanged": N_("part exchanged"), "old_part": N_("old part"),
    "parts_arrived": N_("parts arrived"), "parts_released": N_("parts released"), "goods_received": N_("goods in"),
    "stock_adjusted": N_("stocktake"), "bin_transfer": N_("bin moved"), "parts_imported": N_("parts imported"),
    "shop_threshold_set": N_("reorder threshold set"),
    "parts_ordered": N_("parts ordered"), "parts_eta": N_("parts date changed"),
    "parts_order_cancelled": N_("parts order cancelled"),
    "supplier_added": N_("supplier added"), "supplier_changed": N_("supplier changed"),
    "po_created": N_("purchase order"), "po_received": N_("purchase order received"),
    "po_rescheduled": N_("purchase order date changed"), "po_closed": N_("purchase order closed"),
    "po_cancelled": N_("purchase order cancelled"),
    # money
    "fee_added": N_("fee added"), "adjustment": N_("extra discount"), "adjustment_set": N_("extra discount"),
    "payment": N_("payment"), "payment_taken": N_("payment taken"), "refund": N_("refund"),
    "payment_refunded": N_("payment refunded"), "invoice_issued": N_("invoice issued"),
    "invoice_voided": N_("invoice voided"), "on_account": N_("on account"),
    # claims
    "warranty_claim_drafted": N_("warranty claim drafted"), "warranty_claim_edited": N_("warranty claim edited"),
    "warranty_claim_submitted": N_("warranty claim submitted"),
    "warranty_claim_accepted": N_("warranty claim accepted"),
    "warranty_claim_partly_accepted": N_("warranty claim partly accepted"),
    "warranty_claim_rejected": N_("warranty claim rejected"), "warranty_claim_corrected": N_("warranty claim corrected"),
    "warranty_claim_charged_internal": N_("warranty claim charged to the shop"),
    "warranty_payment": N_("warranty payment"), "warranty_old_part_returned": N_("old part returned"),
    "insurance_claim_registered": N_("insurance claim registered"),
    "insurance_claim_changed": N_("insurance claim changed"), "insurance_supplement": N_("insurance supplement"),
    "insurance_cover": N_("insurance cover"), "insurance_document": N_("insurance document"),
    "insurer_receivable": N_("insurer's receivable"), "insurer_payment": N_("insurer's payment"),
    # QC
    "checklist_item_added": N_("checklist item added"), "checklist_item_removed": N_("checklist item removed"),
    # follow-up
    "callback_created": N_("callback created"), "call": N_("call"), "call_in": N_("incoming call"),
    "callbacks_reassigned": N_("callbacks reassigned"), "complaint_raised": N_("complaint raised"),
    "complaint_escalated": N_("complaint escalated"), "complaint_open": N_("complaint reopened"),
    "complaint_in_progress": N_("complaint being handled"), "complaint_resolved": N_("complaint resolved"),
    "complaint_verified": N_("complaint verified"),
    # people
    "customer_created": N_("customer registered"), "vehicle_created": N_("vehicle registered"),
    "staff_added": N_("staff added"), "staff_roles_set": N_("roles set"), "staff_language_set": N_("language set"),
    "pin_reset": N_("PIN reset"), "signed_in": N_("signed in"), "signed_out": N_("signed out"),
    "sign_in_locked": N_("sign-in held"), "sign_in_lifted": N_("sign-in lockout lifted"),
    "setting_changed": N_("setting changed"),
    # set-up, the customer's file, the shop floor, tools, campaigns, a group's shops
    "appointment_overbooked": N_("appointment overbooked"),
    "appointment_parts_ready": N_("appointment's parts ready"),
    "appointment_parts_taken": N_("appointment's parts given up"), "bay_added": N_("bay added"),
    "bay_changed": N_("bay changed"), "bay_deleted": N_("bay deleted"), "bay_retired": N_("bay retired"),
    "bay_mismatch_allowed": N_("bay of another trade allowed"), "campaign_came": N_("campaign: customer came"),
    "campaign_created": N_("campaign created"), "campaign_invitation": N_("campaign invitation"),
    "complaint_handed": N_("complaint handed over"), "customer_class_added": N_("customer class added"),
    "customer_class_changed": N_("customer class changed"), "customer_class_retired": N_("customer class retired"),
    "customer_updated": N_("customer's file changed"), "customers_imported": N_("customers imported"),
    "customers_merged": N_("customers merged"), "labor_rate_removed": N_("labour rate removed"),
    "labor_rate_set": N_("labour rate set"), "operation_added": N_("operation added"),
    "operation_changed": N_("operation changed"), "operation_deleted": N_("operation deleted"),
    "operation_kit_set": N_("operation's parts kit set"), "operation_retired": N_("operation retired"),
    "operation_tools_set": N_("operation's tools set"), "operations_imported": N_("operations imported"),
    "package_added": N_("maintenance package added"), "package_changed": N_("maintenance package changed"),
    "package_retired": N_("maintenance package retired"), "part_added": N_("part added"),
    "planned_service_done": N_("planned service done"), "service_plan_dropped": N_("service plan dropped"),
    "service_plan_made": N_("service plan made"), "service_plans_advanced": N_("service plans moved on"),
    "service_plans_made": N_("service plans made"), "shift_ended": N_("shift ended"),
    "shift_recorded": N_("shift recorded"), "shift_started": N_("shift started"), "shop_added": N_("shop added"),
    "shop_identity": N_("shop's identity changed"), "staff_badge_set": N_("badge number set"),
    "staff_shops": N_("staff's shops set"), "stock_moved_to_shop": N_("stock transferred to a shop"),
    "tool_away": N_("tool sent away"), "tool_edited": N_("tool changed"), "tool_in": N_("tool returned"),
    "tool_operations_set": N_("tool's operations set"), "tool_out": N_("tool lent"),
    "tool_registered": N_("tool registered"), "tool_retired": N_("tool retired"),
    "tool_damage": N_("tool damage reported"), "tool_loss": N_("tool loss reported"),
    "tool_found": N_("tool found again"), "tool_maintenance": N_("tool maintained"),
    "tool_calibration": N_("tool calibrated"), "tool_repair": N_("tool repaired"),
    "vehicle_owner_changed": N_("vehicle's owner changed"), "vehicle_updated": N_("vehicle's file changed"),
    "winback_call": N_("win-back call"),
}


# The fields an event's before/after names, on screen; and the label tables of the fields holding codes.
FIELD_LABELS = {
    "state": N_("state"), "bay": N_("bay"), "technicians": N_("technicians"), "dispatcher": N_("dispatcher"),
    "dispatched_at": N_("dispatched at"), "started_at": N_("started at"), "completed_at": N_("finished at"),
    "released_at": N_("released at"), "settled_at": N_("settled at"), "state_changed_at": N_("state changed at"),
    "cancelled_at": N_("cancelled at"), "cancel_reason": N_("cancel reason"), "parts_ready": N_("parts ready"),
    "parts_status": N_("parts"), "parts_eta": N_("parts expected"), "rework": N_("rework"),
    "rework_reason": N_("rework reason"), "qc_inspector": N_("QC inspector"), "qc_passed_at": N_("QC passed at"),
    "delay_reason": N_("delay reason"), "comeback_of": N_("comeback of"), "comeback_charge": N_("charged to"),
    "reason": N_("reason"), "note": N_("note"), "notes": N_("notes"), "amount": N_("amount"), "method": N_("method"),
    "tendered": N_("tendered"), "change": N_("change"), "qty": N_("quantity"), "reference": N_("reference"),
    "description": N_("description"), "department": N_("department"), "status": N_("status"), "roles": N_("roles"),
    "trade": N_("trade"), "active": N_("active"), "language": N_("language"), "failures": N_("wrong PINs"),
    "source": N_("source"), "until": N_("until"), "kind": N_("kind"), "due": N_("due"), "agent": N_("agent"),
    "count": N_("count"), "invoice": N_("invoice"), "total": N_("total"), "customer_share": N_("customer's share"),
    "received": N_("received"), "number": N_("number"), "credit_note": N_("credit note"), "on_hand": N_("on hand"),
    "bin": N_("bin"), "reached": N_("reached"), "scores": N_("scores"), "disposition": N_("goes to"),
    "technician": N_("technician"), "clocked_by": N_("clocked by"), "name": N_("name"), "login": N_("login"),
    # the files and the set-up (customers, cars, bays, operations, packages, classes)
    "code": N_("code"), "name_zh": N_("Chinese name"), "capacity": N_("places"), "mobile": N_("mobile"),
    "email": N_("email"), "address": N_("address"), "customer_class": N_("customer class"),
    "birthday": N_("birthday"), "class_until": N_("class until"), "plate": N_("plate"), "vin": N_("VIN"),
    "brand": N_("brand"), "model": N_("model"), "model_year": N_("model year"), "engine_no": N_("engine no."),
    "colour": N_("colour"), "series": N_("series"), "purchase_date": N_("purchase date"),
    "insurance_expiry": N_("insurance expiry"), "warranty_expiry": N_("warranty expiry"),
    "standard_hours": N_("standard hours"), "price_class": N_("price class"), "applies_to": N_("applies to"),
    "price": N_("price"), "discount": N_("discount"), "rate": N_("rate"), "customer": N_("customer"),
    "vehicle": N_("vehicle"), "badge": N_("badge"),
    # appointments
    "starts_at": N_("starts at"), "ends_at": N_("ends at"), "estimate": N_("estimate"), "over": N_("beyond capacity"),
    "work": N_("work"), "packages": N_("packages"), "arrived_at": N_("arrived at"), "order": N_("order"),
}
FIELD_CODES = {"state": "workshop.lifecycle:STATE_LABELS", "parts_status": "workshop.availability:LABELS",
               "method": "models.settlement:METHOD_LABELS", "delay_reason": "workshop.qc:DELAY_REASON_LABELS",
               "trade": "models.people:TRADE_LABELS", "department": "workshop.callbacks:DEPARTMENT_LABELS",
               "disposition": "models.parts:OLD_PART_DISPOSITION_LABELS", "comeback_charge": "models.orders:PAYER_LABELS",
               "language": "workshop.i18n:LANGUAGE_NAMES"}


def describe(raw: str | None) -> str:
    """An event's before or after as the reader reads it: "state=In progress, bay=3" with the fields
    and the codes they hold named in the reader's language (ids and typed values as stored)."""
    if not raw:
        return "—"
    try:
        values = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(values, dict):
        return str(values)
    shown = []
    for key, value in values.items():
        name = _(FIELD_LABELS[key]) if key in FIELD_LABELS else key
        if key in FIELD_CODES and isinstance(value, str):
            value = Term(FIELD_CODES[key], value).say(current())
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif value is None:
            value = "—"
        shown.append(f"{name}={value}")
    return ", ".join(shown)


def changed_fields(keys) -> Items:
    """The fields a change touched, for its phrase ("name, capacity changed"): each said in the reader's
    language (FIELD_LABELS; a field not listed shows as its name)."""
    return Items(Term("workshop.audit:FIELD_LABELS", key) for key in sorted(keys))


def kind_label(kind: str) -> str:
    """A kind of change in the reader's language (its code, spaced, when it has no name yet)."""
    text = KIND_LABELS.get(kind)
    return _(text) if text else kind.replace("_", " ")


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "id"):
        return value.id
    return value


def dump(values: dict | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def record(actor, kind: str, entity: str, entity_id: int, summary: Phrase | str, *,
           order_id: int | None = None, before: dict | None = None, after: dict | None = None,
           op_id: str | None = None) -> int:
    """Record one change; returns the event's id. Call it inside the transaction that makes the change.
    ``actor`` is who made it (a Staff row, an Actor, or None for the system). ``summary`` is a Phrase
    (workshop/phrase.py): stored as its English text and as the phrase, which each reader sees in their
    own language; a plain string is stored and shown as written."""
    english, message = said(summary)
    return Event.insert_row(
        at=clock.now(), actor=getattr(actor, "id", actor), kind=kind, entity=entity, entity_id=entity_id,
        order=order_id, summary=english, message=message, before=dump(before), after=dump(after), op_id=op_id)


def already_done(op_id: str | None) -> bool:
    """True when an action with this client-made id was applied before (a retried action)."""
    return op_id is not None and Event.select().where(Event.op_id == op_id).exists()


@dataclass(frozen=True)
class EventRow:
    id: int
    at: dt.datetime
    actor: str
    kind: str
    entity: str
    entity_id: int
    order_number: int | None
    summary: str  # in the reader's language (workshop/phrase.py)
    before: str | None
    after: str | None


def search(*, order_number: int | None = None, actor_id: int | None = None, kind: str | None = None,
           since: dt.datetime | None = None, until: dt.datetime | None = None,
           before: tuple[dt.datetime, int] | None = None, limit: int = 100,
           viewer: Staff | None = None) -> list[EventRow]:
    """The audit trail, newest first (by time, then id), one page at a time: ``before`` is
    ``next_page()`` of the previous page (keyset paging: the thousandth page costs what the first
    does). Each filter has an index ending in the time, so a page reads its rows and stops; sorted
    by id instead, a date range had to fetch and sort every event in it (85-162 ms for 30 days)."""
    from models.orders import RepairOrder
    from workshop.permissions import require
    if viewer is not None:
        require(viewer, "view_audit")
    query = (Event.select(Event.id, Event.at, Staff.name, Event.kind, Event.entity, Event.entity_id,
                          RepairOrder.number, Event.summary, Event.message, Event.before, Event.after)
             .join(Staff, JOIN.LEFT_OUTER, on=(Event.actor == Staff.id)).switch(Event)
             .join(RepairOrder, JOIN.LEFT_OUTER, on=(Event.order == RepairOrder.id)))
    if order_number is not None:
        # Each shop of a dealer group numbers its own orders: the viewer's shop's order of that number (in a
        # one-shop database, the one order).
        from workshop.shops import scope
        orders = RepairOrder.select(RepairOrder.id).where(RepairOrder.number == order_number)
        if viewer is not None and scope(viewer) is not None:
            orders = orders.where(RepairOrder.shop == scope(viewer))
        order = orders.order_by(RepairOrder.id.desc()).limit(1).scalar()
        query = query.where(Event.order == (order or -1))
    if actor_id is not None:
        query = query.where(Event.actor == actor_id)
    if kind:
        query = query.where(Event.kind == kind)
    if since is not None:
        query = query.where(Event.at >= since)
    if until is not None:
        query = query.where(Event.at < until)
    if before is not None:
        at, event_id = before
        # (at, id) < (at, event_id), written so that "at <= ?" bounds the index range.
        query = query.where((Event.at <= at) & ((Event.at < at) | (Event.id < event_id)))
    rows = query.order_by(Event.at.desc(), Event.id.desc()).limit(limit).tuples()
    system = _("system")
    return [EventRow(i, _as_datetime(at), name or system, k, e, eid, number, render(message, summary), b, a)
            for i, at, name, k, e, eid, number, summary, message, b, a in rows]


def next_page(rows: list[EventRow]) -> tuple[dt.datetime, int] | None:
    """Where the page after these rows starts (``before=`` of search); None for an empty page."""
    return (rows[-1].at, rows[-1].id) if rows else None


def _as_datetime(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str  # the staff member's name, "system" for changes nobody signed in made
    summary: str  # in the reader's language (workshop/phrase.py)


def order_history(order_id: int, *, limit: int = 200) -> list[HistoryRow]:
    """An order's changes, newest first, at most ``limit`` of them, with who made each (one query)."""
    rows = (Event.select(Event.at, Staff.name, Event.summary, Event.message)
            .join(Staff, JOIN.LEFT_OUTER, on=(Event.actor == Staff.id))
            .where(Event.order == order_id).order_by(Event.id.desc()).limit(limit).tuples())
    system = _("system")
    return [HistoryRow(_as_datetime(at), name or system, render(message, summary))
            for at, name, summary, message in rows]


def kinds() -> list[str]:
    """The kinds of change on record (for the filter): one index seek per kind, from each kind to the
    next (a recursive query), never a pass over every event (PostgreSQL's DISTINCT would make one)."""
    from models.db import db
    rows = db.execute_sql(
        'WITH RECURSIVE k(kind) AS (SELECT MIN("kind") FROM "event" UNION ALL '
        'SELECT (SELECT MIN("kind") FROM "event" WHERE "kind" > k.kind) FROM k WHERE k.kind IS NOT NULL) '
        "SELECT kind FROM k WHERE kind IS NOT NULL").fetchall()
    return [kind for (kind,) in rows]


__all__ = ["record", "already_done", "dump", "IntegrityError", "search", "next_page", "kinds", "order_history", "HistoryRow"]
