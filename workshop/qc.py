"""Final QC: the inspector's queue, checklists, sign-off (pass or fail with rework) and comebacks.

Rules decided here:
- every checklist item gets pass, fail or not applicable; a failed item needs a note, and an order
  with a failed item cannot pass;
- a fail needs a rework reason and the responsible technician; a penalty is optional;
- an inspector may not sign an order they worked on as technician (setting qc_forbid_own_work);
- when the work finished after the promised time, a delay reason from DELAY_REASONS is required;
- a comeback is a new order for a vehicle whose earlier order was delivered within comeback_days;
  it is charged to the workshop (internal) unless a manager decides it is the customer's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from models.db import run_write
from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.people import Staff, Vehicle
from models.qc import ITEM_RESULTS, ChecklistItem, Inspection, InspectionResult
from models.shop import Bay
from workshop import audit, clock, lifecycle, settings, validation
from workshop.dispatch import order_technicians
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from workshop.i18n import N_, _, join, label, local
from workshop.phrase import Local, Phrase, Term
from workshop.permissions import can, require

DELAY_REASONS = ("waiting for parts", "extra work found", "customer approval", "technician shortage", "rework",
                 "other")
# The stored reason is the code above; its on-screen name: workshop.i18n.label(DELAY_REASON_LABELS, code).
DELAY_REASON_LABELS = {"waiting for parts": N_("waiting for parts"), "extra work found": N_("extra work found"),
                       "customer approval": N_("waiting for the customer's approval"),
                       "technician shortage": N_("technician shortage"), "rework": N_("rework"),
                       "other": N_("other")}
DEFAULT_CHECKLIST = "general_repair"
BUSINESS_TYPES_TABLE = "models.orders:BUSINESS_TYPE_LABELS"


@dataclass(frozen=True)
class QueueRow:
    order_id: int
    number: int
    version: int
    plate: str
    model: str
    business_type: str
    bay: str
    technicians: str
    completed_at: dt.datetime | None
    promised_at: dt.datetime
    reinspection: bool

    @property
    def late(self) -> bool:
        return lifecycle.finished_late(self.completed_at, self.promised_at)


def qc_queue(*, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[QueueRow]:
    """Orders ready for QC (of ``shop``, in a group), the longest waiting first (three queries, whatever the
    length)."""
    waiting = RepairOrder.state == lifecycle.READY_QC
    if shop is not None:
        waiting &= RepairOrder.shop == shop
    rows = list(RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.version, Vehicle.plate,
                                   Vehicle.model, RepairOrder.business_type, Bay.code, RepairOrder.completed_at,
                                   RepairOrder.promised_at, RepairOrder.rework)
                .join(Vehicle).switch(RepairOrder).join(Bay, JOIN.LEFT_OUTER, on=(RepairOrder.bay == Bay.id))
                .where(waiting)
                .order_by(RepairOrder.completed_at, RepairOrder.id).limit(limit).offset(offset).tuples())
    ids = [r[0] for r in rows]
    techs = order_technicians(ids) if ids else {}
    failed = {oid for (oid,) in Inspection.select(Inspection.order).where(
        Inspection.order.in_(ids) & (Inspection.result == "fail")).distinct().tuples()} if ids else set()
    return [QueueRow(oid, number, version, plate, model, btype, bay or "—", ", ".join(techs.get(oid, [])) or "—",
                     completed, promised, bool(rework) or oid in failed)
            for oid, number, version, plate, model, btype, bay, completed, promised, rework in rows]


@dataclass(frozen=True)
class CheckItem:
    """One line of a QC checklist, as the screens show it."""
    id: int
    text: str


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class InspectionView:
    """What the inspector sees of one order: the car, the promise, the checklist, who worked on it."""
    order_id: int
    number: int
    version: int
    plate: str
    model: str
    business_type: str
    promised_at: dt.datetime
    completed_at: dt.datetime | None
    rework: bool
    rework_reason: str | None
    items: tuple[CheckItem, ...]
    technicians: tuple[Person, ...]

    @property
    def label(self) -> str:
        return _("RO {number}").format(number=self.number)

    @property
    def late(self) -> bool:
        """Finished after the promised time: a pass needs a delay reason."""
        return lifecycle.finished_late(self.completed_at, self.promised_at)

    def unchecked(self, results: dict[int, tuple[str, str]]) -> list[CheckItem]:
        """The items without a result yet: signing either way needs every one checked."""
        return [item for item in self.items if item.id not in results]


def inspection_view(order_id: int) -> InspectionView:
    """One order ready for QC with its checklist and technicians (four queries)."""
    row = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.version, Vehicle.plate, Vehicle.model,
                              RepairOrder.business_type, RepairOrder.promised_at, RepairOrder.completed_at,
                              RepairOrder.rework, RepairOrder.rework_reason)
           .join(Vehicle).where(RepairOrder.id == order_id).tuples().first())
    if row is None:
        raise NotFound(_("Repair order #{id} does not exist.").format(id=order_id))
    items = tuple(CheckItem(item.id, local(item.text, item.text_zh)) for item in checklist(row[5]))
    techs = tuple(Person(s.id, s.name) for s in order_technician_staff(order_id))
    return InspectionView(*row[:8], bool(row[8]), row[9], items, techs)


def checklist_items(business_type: str) -> list[CheckItem]:
    """The business type's own checklist (no fallback to the general one), for editing it."""
    return [CheckItem(item_id, local(text, text_zh)) for item_id, text, text_zh in
            ChecklistItem.select(ChecklistItem.id, ChecklistItem.text, ChecklistItem.text_zh)
            .where((ChecklistItem.business_type == business_type) & (ChecklistItem.active == True))  # noqa: E712
            .order_by(ChecklistItem.position, ChecklistItem.id).tuples()]


def checklist(business_type: str) -> list[ChecklistItem]:
    items = list(ChecklistItem.select().where((ChecklistItem.business_type == business_type)
                                              & (ChecklistItem.active == True))  # noqa: E712
                 .order_by(ChecklistItem.position, ChecklistItem.id))
    if not items and business_type != DEFAULT_CHECKLIST:
        return checklist(DEFAULT_CHECKLIST)
    return items


def worked_on(order_id: int, staff_id: int) -> bool:
    """Whether this person is on the order's team now, or clocked any time on it (taken off the team
    since, their work is still in the car)."""
    on_team = (JobLineTechnician.select().join(JobLine)
               .where((JobLine.order == order_id) & (JobLineTechnician.technician == staff_id)).exists())
    return on_team or (TimeLog.select().join(JobLine)
                       .where((JobLine.order == order_id) & (TimeLog.technician == staff_id)).exists())


def order_technician_staff(order_id: int) -> list[Staff]:
    return list(Staff.select().join(JobLineTechnician, on=(JobLineTechnician.technician == Staff.id))
                .join(JobLine).where(JobLine.order == order_id).distinct().order_by(Staff.name))


def _check_results(order: RepairOrder, results: dict[int, tuple[str, str]]) -> list[tuple[ChecklistItem, str, str]]:
    items = checklist(order.business_type)
    checked = []
    for item in items:
        text = local(item.text, item.text_zh)
        if item.id not in results:
            raise InvalidInput(_("'{item}' has not been checked yet.").format(item=text), "items")
        result, note = results[item.id]
        if result not in ITEM_RESULTS:
            raise InvalidInput(_("'{item}': choose pass, fail or n/a.").format(item=text), "items")
        note = validation.text(note, "note", _("Note for '{item}'").format(item=text), max_len=200,
                               required=(result == "fail"))
        checked.append((item, result, note))
    return checked


def sign(order_id: int, results: dict[int, tuple[str, str | None]], *, passed: bool, by: Staff,
         seen_version: int | None = None, rework_reason: str = "", responsible_id: int | None = None,
         penalty="0", delay_reason: str = "") -> Inspection:
    """Sign the final inspection: pass sends the car to settlement, fail back to the workshop."""
    penalty = validation.decimal(penalty or "0", "penalty", _("Penalty"), maximum=validation.MAX_PENALTY)

    def work():
        nonlocal by
        by = require(by, "sign_qc")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.state != lifecycle.READY_QC:
            raise IllegalTransition(_("{order} is {state}, not ready for QC.").format(
                order=order.label, state=lifecycle.label(order.state)))
        if settings.get("qc_forbid_own_work") and worked_on(order.id, by.id):
            raise NotAllowed(_("{name} worked on {order} as technician and may not sign its QC: another "
                               "inspector must.").format(name=by.name, order=order.label))
        checked = _check_results(order, results)
        failed_items = [local(item.text, item.text_zh) for item, result, _note in checked if result == "fail"]
        late = lifecycle.finished_late(order.completed_at, order.promised_at)
        reinspection = order.rework or Inspection.select().where(Inspection.order == order.id).exists()
        record = dict(order=order.id, inspector=by.id, signed_at=clock.now(), reinspection=reinspection,
                      promised_at=order.promised_at, completed_at=order.completed_at, late=late)
        if passed:
            if failed_items:
                raise InvalidInput(_("'{item}' failed: an order with a failed item cannot pass. Sign it as failed "
                                     "(rework).").format(item=failed_items[0]), "items")
            reason = delay_reason.strip().lower()
            if late and reason not in DELAY_REASONS:
                raise InvalidInput(_("{order} was finished after the promised time: choose a delay reason "
                                     "({reasons}).").format(order=order.label, reasons=join(
                                         label(DELAY_REASON_LABELS, r) for r in DELAY_REASONS)), "delay_reason")
            record.update(result="pass", delay_reason=reason if late else None)
            lifecycle.apply_transition(order, "qc_pass", by=by, extra=dict(
                qc_inspector=by.id, qc_passed_at=clock.now(), rework=False, delay_reason=reason if late else None))
        else:
            reason = validation.text(rework_reason, "rework_reason", _("Rework reason"), max_len=200)
            techs = {s.id: s for s in order_technician_staff(order.id)}
            if responsible_id not in techs:
                raise InvalidInput(_("Name the responsible technician (one who worked on this order)."),
                                   "responsible")
            record.update(result="fail", rework_reason=reason, responsible=responsible_id, penalty=penalty)
            lifecycle.apply_transition(order, "qc_fail", by=by, note=reason, extra=dict(
                rework=True, rework_reason=reason, completed_at=None))
        inspection = Inspection.create(**record)
        InspectionResult.insert_many([dict(inspection=inspection.id, item=item.id, text=item.text, result=result,
                                           note=note) for item, result, note in checked]).execute()
        return inspection

    return run_write(work)


# --- checklists (manager) ------------------------------------------------------------------------

def add_item(business_type: str, text: str, *, by: Staff) -> ChecklistItem:
    text = validation.text(text, "text", _("Checklist item"), max_len=120)

    def work():
        nonlocal by
        by = require(by, "edit_checklists")
        position = (ChecklistItem.select(ChecklistItem.position).where(ChecklistItem.business_type == business_type)
                    .order_by(ChecklistItem.position.desc()).scalar() or 0) + 1
        item = ChecklistItem.create(business_type=business_type, position=position, text=text)
        audit.record(by, "checklist_item_added", "checklist_item", item.id,
                     Phrase(N_("QC checklist {kind}: + {item}"), kind=Term(BUSINESS_TYPES_TABLE, business_type),
                            item=text))
        return item

    return run_write(work)


def remove_item(item_id: int, *, by: Staff) -> None:

    def work():
        nonlocal by
        by = require(by, "edit_checklists")
        item = ChecklistItem.get_or_none(ChecklistItem.id == item_id)
        if item is None:
            raise NotFound(_("That checklist item no longer exists."))
        ChecklistItem.update(active=False).where(ChecklistItem.id == item_id).execute()
        audit.record(by, "checklist_item_removed", "checklist_item", item.id,
                     Phrase(N_("QC checklist {kind}: - {item}"), kind=Term(BUSINESS_TYPES_TABLE, item.business_type),
                            item=Local(item.text, item.text_zh)))

    run_write(work)


# --- comebacks ------------------------------------------------------------------------------------

def comeback_candidates(order_id: int) -> list[RepairOrder]:
    """The vehicle's orders delivered within the comeback period before this one came in."""
    order = lifecycle.get_order(order_id)
    since = order.time_in - dt.timedelta(days=int(settings.get("comeback_days")))
    return list(RepairOrder.select().where((RepairOrder.vehicle == order.vehicle_id) & (RepairOrder.id != order.id)
                                           & (RepairOrder.state == lifecycle.DELIVERED)
                                           & (RepairOrder.released_at >= since))
                .order_by(RepairOrder.released_at.desc()))


@dataclass(frozen=True)
class ComebackChoice:
    """An earlier order this one may be a comeback of, with its job lines (id, name) in the order added."""
    number: int
    lines: tuple[tuple[int, str], ...]


def comeback_choices(order_id: int) -> list[ComebackChoice]:
    """The comeback candidates (latest delivery first) with their job lines, for naming the failed line:
    the candidates, then all their lines in one query."""
    earlier = comeback_candidates(order_id)
    if not earlier:
        return []
    lines: dict[int, list[tuple[int, str]]] = {}
    for line_id, earlier_id, name in (JobLine.select(JobLine.id, JobLine.order, JobLine.name)
                                      .where(JobLine.order.in_([o.id for o in earlier]))
                                      .order_by(JobLine.id).tuples()):
        lines.setdefault(earlier_id, []).append((line_id, name))
    return [ComebackChoice(o.number, tuple(lines.get(o.id, ()))) for o in earlier]


def mark_comeback(order_id: int, earlier_number: int, failed_line_id: int, *, by: Staff, charge: str = "internal",
                  seen_version: int | None = None) -> RepairOrder:
    """Mark an order as a comeback of an earlier one, naming the job line that failed."""
    if charge not in ("internal", "customer"):
        raise InvalidInput(_("A comeback is charged to the workshop (internal) or the customer."), "charge")
    if charge == "customer" and not by.has_role("manager"):
        raise NotAllowed(_("{name} may not charge a comeback to the customer: only a manager decides that.").format(
            name=by.name))

    def work():
        nonlocal by
        by = require(by, "mark_comeback")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.state in lifecycle.CLOSED_STATES or order.state in (lifecycle.SETTLED,):
            raise IllegalTransition(_("{order} is {state}: too late to mark it.").format(
                order=order.label, state=lifecycle.label(order.state)))
        earlier = {o.number: o for o in comeback_candidates(order.id)}.get(int(earlier_number))
        if earlier is None:
            raise InvalidInput(_("RO {number} is not a delivered order of this vehicle within {days} days.").format(
                number=earlier_number, days=settings.get("comeback_days")), "earlier")
        line = JobLine.get_or_none((JobLine.id == failed_line_id) & (JobLine.order == earlier.id))
        if line is None:
            raise InvalidInput(_("Name the job line of RO {number} that failed.").format(number=earlier.number),
                               "line")
        if charge == "internal":
            JobLine.update(payer="internal").where(JobLine.order == order.id).execute()
        return lifecycle.save(order, dict(comeback_of=earlier.id, comeback_line_id=line.id, comeback_charge=charge),
                              by=by, kind="comeback_marked",
                              summary=Phrase(N_("{order} marked as comeback of {earlier} ({line}), charged to {payer}"),
                                             order=order.ref, earlier=earlier.ref, line=line.name,
                                             payer=Term("models.orders:PAYER_LABELS", charge)))

    return run_write(work)


__all__ = ["qc_queue", "checklist", "checklist_items", "inspection_view", "InspectionView", "CheckItem", "sign", "add_item", "remove_item", "mark_comeback", "comeback_candidates",
           "comeback_choices", "ComebackChoice",
           "DELAY_REASONS", "DELAY_REASON_LABELS", "Decimal", "can"]
