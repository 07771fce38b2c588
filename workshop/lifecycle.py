"""The repair order's lifecycle: one explicit state machine; the board's columns are its states.

Every transition is a service function taking the acting staff member. It checks the actor's role
and the transition's guards, then changes the order and writes the event row in one transaction.
A change based on a stale view (the order's version moved on) is refused with who moved it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from peewee import JOIN, SQL

from models.base import Prepared
from models.db import db, run_write
from models.events import Event
from models.orders import JobLine, JobLineTechnician, RepairOrder
from models.people import Customer, Staff, Vehicle
from models.shop import Bay
from workshop import audit, clock, validation
from workshop.errors import IllegalTransition, NotFound, StaleOrder
from workshop import i18n
from workshop.i18n import N_, NC_, _, pgettext
from workshop.i18n import label as i18n_label
from workshop.phrase import Phrase, Term, Word
from workshop.permissions import require

CHECKED_IN = "checked_in"
DISPATCHED = "dispatched"
IN_PROGRESS = "in_progress"
WAITING_PARTS = "waiting_parts"
READY_QC = "ready_qc"
READY_SETTLEMENT = "ready_settlement"
SETTLED = "settled"
DELIVERED = "delivered"
CANCELLED = "cancelled"

# On-screen names, translated where shown (label() below; i18n.label for COLUMN_TITLES).
STATE_LABELS = {
    CHECKED_IN: N_("Checked in"),
    DISPATCHED: N_("Dispatched"),
    IN_PROGRESS: N_("In progress"),
    WAITING_PARTS: N_("Waiting for parts"),
    READY_QC: N_("Ready for QC"),
    READY_SETTLEMENT: N_("Ready for settlement"),
    SETTLED: N_("Settled"),
    DELIVERED: N_("Delivered"),
    CANCELLED: N_("Cancelled"),
}
# Short column titles of the repair board (维修看板) that fit a narrow column.
COLUMN_TITLES = {CHECKED_IN: N_("Checked in"), DISPATCHED: N_("Dispatched"), IN_PROGRESS: N_("In progress"),
                 WAITING_PARTS: N_("Wait parts"), READY_QC: N_("Ready QC"), READY_SETTLEMENT: N_("To settle"),
                 SETTLED: N_("Settled")}
# The board: one column per active state, in the order a car goes through the shop.
BOARD_STATES = (CHECKED_IN, DISPATCHED, IN_PROGRESS, WAITING_PARTS, READY_QC, READY_SETTLEMENT, SETTLED)
ACTIVE_STATES = frozenset(BOARD_STATES)
CLOSED_STATES = frozenset({DELIVERED, CANCELLED})
# States in which a car stands in its bay and counts against the bay's capacity.
BAY_STATES = frozenset({DISPATCHED, IN_PROGRESS, WAITING_PARTS})


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset[str]
    target: str
    action: str  # permission needed, see workshop.permissions
    phrase: str  # "RO 1042 was <phrase>": said with pgettext("transition", ...), in Chinese as a verb ("已派工")


TRANSITIONS: dict[str, Transition] = {t.name: t for t in (
    Transition("dispatch", frozenset({CHECKED_IN}), DISPATCHED, "dispatch", NC_("transition", "dispatched")),
    Transition("undispatch", frozenset({DISPATCHED}), CHECKED_IN, "dispatch",
               NC_("transition", "taken back to waiting for dispatch")),
    Transition("start", frozenset({DISPATCHED}), IN_PROGRESS, "move_card", NC_("transition", "started")),
    Transition("wait_parts", frozenset({DISPATCHED, IN_PROGRESS}), WAITING_PARTS, "move_card",
               NC_("transition", "put on waiting for parts")),
    Transition("resume", frozenset({WAITING_PARTS}), IN_PROGRESS, "move_card", NC_("transition", "resumed")),
    Transition("stop", frozenset({IN_PROGRESS}), DISPATCHED, "move_card",
               NC_("transition", "stopped (back to dispatched)")),
    Transition("finish", frozenset({IN_PROGRESS}), READY_QC, "move_card", NC_("transition", "moved to QC")),
    Transition("reopen", frozenset({READY_QC}), IN_PROGRESS, "move_card", NC_("transition", "taken back from QC")),
    Transition("qc_pass", frozenset({READY_QC}), READY_SETTLEMENT, "sign_qc", NC_("transition", "passed QC")),
    Transition("qc_fail", frozenset({READY_QC}), IN_PROGRESS, "sign_qc", NC_("transition", "failed QC (rework)")),
    Transition("settle", frozenset({READY_SETTLEMENT}), SETTLED, "settle", NC_("transition", "settled")),
    Transition("deliver", frozenset({SETTLED}), DELIVERED, "release_car", NC_("transition", "delivered")),
    Transition("void", frozenset({SETTLED}), READY_SETTLEMENT, "void_refund",
               NC_("transition", "voided (settlement reversed)")),
    Transition("cancel", frozenset({CHECKED_IN, DISPATCHED, IN_PROGRESS, WAITING_PARTS, READY_QC}),
               CANCELLED, "cancel_order", NC_("transition", "cancelled")),
)}

# What the board's "move forward" and "move back" keys do from each column.
FORWARD = {DISPATCHED: "start", IN_PROGRESS: "finish", WAITING_PARTS: "resume", SETTLED: "deliver"}
BACKWARD = {DISPATCHED: "undispatch", IN_PROGRESS: "stop", READY_QC: "reopen"}
# Where the forward key sends the user instead, with the reason.
FORWARD_ELSEWHERE = {
    CHECKED_IN: N_("Dispatch it first: press d to pick a bay and technicians."),
    READY_QC: N_("QC sign-off is done by an inspector from the QC queue."),
    READY_SETTLEMENT: N_("Settlement is done by the cashier from the cashier's screen."),
}

# Hooks other capabilities add to guard a transition (e.g. parts: no QC with unpicked parts).
# Each takes the order and raises a DomainError to refuse.
GUARDS: dict[str, list[Callable[[RepairOrder], None]]] = {}


def add_guard(transition: str, guard: Callable[[RepairOrder], None]) -> None:
    GUARDS.setdefault(transition, []).append(guard)


# Hooks run after a transition, inside its transaction (e.g. follow-up: a delivery creates the first
# callback). Each takes (order, by); raising a DomainError undoes the whole transition.
AFTER: dict[str, list[Callable[[RepairOrder, Staff], None]]] = {}


def add_after(transition: str, hook: Callable[[RepairOrder, Staff], None]) -> None:
    AFTER.setdefault(transition, []).append(hook)


# Capability modules that register guards and hooks; imported once, before the first transition.
CAPABILITY_MODULES = ("workshop.parts", "workshop.qc", "workshop.settlement", "workshop.callbacks",
                      "workshop.warranty", "workshop.insurance", "workshop.prepick", "workshop.approvals",
                      "workshop.trade_dispatch", "workshop.service_plan")
_capabilities_loaded = False


def load_capabilities() -> None:
    global _capabilities_loaded
    if _capabilities_loaded:
        return
    import importlib
    for name in CAPABILITY_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _capabilities_loaded = True


STATES_TABLE = "workshop.lifecycle:STATE_LABELS"  # (where a phrase finds the state names, workshop/phrase.py)


def label(state: str) -> str:
    """The state's name in the reader's language."""
    return i18n_label(STATE_LABELS, state)


# --- promises -------------------------------------------------------------------------------------

def finished_late(completed_at: dt.datetime | None, promised_at: dt.datetime | None) -> bool:
    """The one rule of lateness: the work was finished after the time promised to the customer
    (QC then asks a delay reason; the QC queue, the inspection and the quality figures say so)."""
    return bool(completed_at and promised_at and completed_at > promised_at)


def overdue(promised_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """The promised time has passed and the car is still in the shop (the board's red bar)."""
    return promised_at < (now or clock.now())


# --- loading and saving with optimistic concurrency ---------------------------------------------

def get_order(order_id: int) -> RepairOrder:
    """The order; inside a write transaction also locked (PostgreSQL: FOR UPDATE) until it ends, so
    that what the change decides from it (state, version, balances) cannot be changed underneath
    by another terminal, and the versioned UPDATE is checked the same way on both engines."""
    order = RepairOrder.by_id(order_id, lock=db.in_transaction())
    if order is None:
        raise NotFound(_("Repair order #{id} does not exist.").format(id=order_id))
    return order


def stale_message(order: RepairOrder) -> str:
    """'RO 1042 was moved to QC by Li Wei 3 s ago' from the order's latest event."""
    return _("{change} Your view has been refreshed.").format(change=last_change(order))


def last_change(order: RepairOrder) -> str:
    """'RO 1042 was started (Dispatched → In progress) by Li Wei 0 s ago': the order's latest change (of
    the events its last change wrote, the one that tells what happened to the order)."""
    from workshop.phrase import render
    recent = list(Event.select().where(Event.order == order.id).order_by(Event.id.desc()).limit(3))
    # (summaries are kept in English: the one about the order itself starts with its English name)
    english = order.ref.english() + " "
    last = next((e for e in recent if e.summary.startswith(english)), recent[0] if recent else None)
    if last is None:
        return _("{order} was changed in another terminal.").format(order=order.label)
    actor = Staff.get_or_none(Staff.id == last.actor_id) if last.actor_id else None
    who = actor.name if actor else _("someone")
    seconds = max(0, int((clock.now() - last.at).total_seconds()))
    return _("{change} by {name} {ago}.").format(change=render(last.message, last.summary), name=who,
                                                  ago=i18n.ago(seconds))


@dataclass(frozen=True)
class OrderHeader:
    """One order as the head of the order screen shows it: the order with its car, owner, advisor and bay."""
    id: int
    number: int
    version: int
    state: str
    business_type: str
    time_in: dt.datetime
    promised_at: dt.datetime
    mileage_in: int
    fuel_level: str | None
    statement: str
    rework: bool
    rework_reason: str | None
    plate: str
    brand: str
    model: str
    vin: str
    owner: str
    mobile: str
    advisor: str
    bay: str | None  # the bay's code; None while the car is in no bay

    @property
    def label(self) -> str:
        return _("RO {number}").format(number=self.number)


def order_header(order_id: int) -> OrderHeader:
    """The order with its car, owner, advisor and bay code, in one query; NotFound if there is no such order."""
    row = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.version, RepairOrder.state,
                              RepairOrder.business_type, RepairOrder.time_in, RepairOrder.promised_at,
                              RepairOrder.mileage_in, RepairOrder.fuel_level, RepairOrder.statement,
                              RepairOrder.rework, RepairOrder.rework_reason, Vehicle.plate, Vehicle.brand,
                              Vehicle.model, Vehicle.vin, Customer.name, Customer.mobile, Staff.name, Bay.code)
           .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id)).switch(RepairOrder)
           .join(Customer, on=(RepairOrder.customer == Customer.id)).switch(RepairOrder)
           .join(Staff, on=(RepairOrder.advisor == Staff.id)).switch(RepairOrder)
           .join(Bay, JOIN.LEFT_OUTER, on=(RepairOrder.bay == Bay.id))
           .where(RepairOrder.id == order_id).tuples().first())
    if row is None:
        raise NotFound(_("Repair order #{id} does not exist.").format(id=order_id))
    return OrderHeader(*row)


def load_for_change(order_id: int, seen_version: int | None) -> RepairOrder:
    """Load an order to change it; refuse if this terminal's view of it is stale."""
    order = get_order(order_id)
    if seen_version is not None and order.version != seen_version:
        raise StaleOrder(stale_message(order), order.id)
    return order


def save(order: RepairOrder, changes: dict, *, by: Staff | None, kind: str, summary: Phrase | str,
         op_id: str | None = None, detail: dict | None = None) -> RepairOrder:
    """Apply ``changes`` to the order, bump its version and record the event (call in a transaction);
    ``detail`` adds facts to the event's 'after' (e.g. whom a clock record is for)."""
    now = clock.now()
    before = {k: getattr(order, k) for k in changes}
    changes = dict(changes, updated_at=now)
    if RepairOrder.update_versioned(order.id, order.version, changes) != 1:
        raise StaleOrder(stale_message(get_order(order.id)), order.id)
    for key, value in changes.items():
        setattr(order, key, value)
    order.version += 1
    audit.record(by, kind, "repair_order", order.id, summary, order_id=order.id,
                 before=before, after={**{k: changes[k] for k in before}, **(detail or {})}, op_id=op_id)
    return order


# --- transitions ----------------------------------------------------------------------------------

def _check(order: RepairOrder, transition: Transition) -> None:
    if order.state not in transition.source:
        raise IllegalTransition(_("{order} is {state}: it cannot be {done} from there.").format(
            order=order.label, state=label(order.state), done=pgettext("transition", transition.phrase)))
    for guard in GUARDS.get(transition.name, ()):
        guard(order)


def unfinished_lines(order: RepairOrder) -> list[JobLine]:
    """Approved lines not finished (work waiting for the customer's word is guarded by workshop/approvals.py;
    declined work is not done)."""
    return list(JobLine.select().where((JobLine.order == order.id) & (JobLine.status != "finished")
                                       & (JobLine.approval == "approved")))


_HAS_TECHNICIAN = Prepared("order has a technician", lambda order_id: (
    JobLineTechnician.select(SQL("1")).join(JobLine).where(JobLine.order == order_id).limit(1)))


def _guard_dispatched(order: RepairOrder) -> None:
    if order.bay_id is None:
        raise IllegalTransition(_("{order} has no bay: dispatch it to a bay first.").format(order=order.label))
    if _HAS_TECHNICIAN.execute(order.id).fetchone() is None:
        raise IllegalTransition(_("{order} has no technician: dispatch it first.").format(order=order.label))


def _guard_lines_finished(order: RepairOrder) -> None:
    open_lines = unfinished_lines(order)
    if open_lines:
        names = i18n.join(line.name for line in open_lines[:3])
        if len(open_lines) > 3:
            names = _("{names} and {count} more").format(names=names, count=len(open_lines) - 3)
        raise IllegalTransition(i18n.ngettext(
            "{order} cannot go to QC: {count} job line is not finished ({names}). Finish it in the order "
            "(Enter, then f).",
            "{order} cannot go to QC: {count} job lines are not finished ({names}). Finish them in the order "
            "(Enter, then f).", len(open_lines)).format(order=order.label, count=len(open_lines), names=names))


def _guard_has_lines(order: RepairOrder) -> None:
    if not JobLine.select().where(JobLine.order == order.id).exists():
        raise IllegalTransition(_("{order} has no job lines to work on.").format(order=order.label))


add_guard("start", _guard_dispatched)
add_guard("resume", _guard_dispatched)
add_guard("finish", _guard_has_lines)
add_guard("finish", _guard_lines_finished)


def _effects(transition: str, order: RepairOrder, now) -> dict:
    target = TRANSITIONS[transition].target
    changes: dict = {"state": target, "state_changed_at": now}
    if transition == "start" and order.started_at is None:
        changes["started_at"] = now
    if transition == "finish":
        changes["completed_at"] = now
    if transition == "undispatch":
        changes.update(bay=None, next_bay=None, dispatcher=None, dispatched_at=None)
    if transition == "deliver":
        changes["released_at"] = now
    if transition == "resume":
        changes["parts_ready"] = False
    return changes


def apply_transition(order: RepairOrder, name: str, *, by: Staff, extra: dict | None = None,
                     op_id: str | None = None, note: str = "") -> RepairOrder:
    """Run one named transition on an already loaded order (inside a transaction)."""
    load_capabilities()
    transition = TRANSITIONS[name]
    by = require(by, transition.action)
    _check(order, transition)
    changes = _effects(name, order, clock.now())
    changes.update(extra or {})
    if transition.target != order.state:
        summary = Phrase(N_("{order} was {done} ({source} → {target})"), order=order.ref,
                         done=Word(transition.phrase, "transition"), source=Term(STATES_TABLE, order.state),
                         target=Term(STATES_TABLE, transition.target))
    else:
        summary = Phrase(N_("{order} was {done}"), order=order.ref, done=Word(transition.phrase, "transition"))
    if note:
        summary = Phrase(N_("{summary}: {note}"), summary=summary, note=note)
    order = save(order, changes, by=by, kind=name, summary=summary, op_id=op_id)
    for hook in AFTER.get(name, ()):
        hook(order, by)
    return order


def transition(order_id: int, name: str, *, by: Staff, seen_version: int | None = None,
               op_id: str | None = None, note: str = "") -> RepairOrder:
    """Move an order by one named transition; returns the changed order."""
    if name not in TRANSITIONS:
        raise IllegalTransition(_("Unknown move: {name}.").format(name=name))
    note = validation.text(note, "note", N_("Note"), max_len=200, required=False) or ""

    def work():
        if audit.already_done(op_id):
            return get_order(order_id)
        order = load_for_change(order_id, seen_version)
        return apply_transition(order, name, by=by, op_id=op_id, note=note)

    return run_write(work)


def move_forward(order_id: int, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """The board's 'move right': the next step of the service from the card's column."""
    order = get_order(order_id)
    name = FORWARD.get(order.state)
    if name is None:
        elsewhere = FORWARD_ELSEWHERE.get(order.state)
        raise IllegalTransition(_(elsewhere) if elsewhere else _(
            "{order} is {state}: there is no next step from the board.").format(order=order.label,
                                                                                 state=label(order.state)))
    return transition(order_id, name, by=by, seen_version=seen_version)


def move_backward(order_id: int, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """The board's 'move left': step back one column where the shop allows it."""
    order = get_order(order_id)
    name = BACKWARD.get(order.state)
    if name is None:
        raise IllegalTransition(_("{order} is {state}: it cannot be moved back from there.").format(
            order=order.label, state=label(order.state)))
    return transition(order_id, name, by=by, seen_version=seen_version)


def cancel(order_id: int, reason: str, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Cancel an order that is not yet settled; a reason is required."""
    reason = validation.text(reason, "reason", N_("Reason for cancelling"), max_len=200)

    def work():
        order = load_for_change(order_id, seen_version)
        if order.state in (SETTLED, DELIVERED):
            raise IllegalTransition(_("{order} is {state}: a settled order cannot be cancelled; a manager "
                                      "voids the settlement instead.").format(order=order.label,
                                                                              state=label(order.state)))
        return apply_transition(order, "cancel", by=by, note=reason,
                                extra={"cancelled_at": clock.now(), "cancel_reason": reason})

    return run_write(work)


def available_moves(order: RepairOrder) -> list[str]:
    return [t.name for t in TRANSITIONS.values() if order.state in t.source]
