"""A job line's parts from the technician's side: whether they are issued, and asking the parts counter for
them (a pick request, 领料申请) and seeing when they are ready.

- A line's parts are its part lines (those added with its operation, or asked for on it). They are
  **issued** when every one is picked; until then the technician may not clock on (workshop/dispatch.py).
- A pick request is open until every open part line of the job line is picked; the clerk's pick queue
  lists the lines of open requests first. Picking the last of them makes the request **ready** (in the
  picking transaction). Asking again while a request is open adds to it: one open request per line.
- Asking for a part by code adds a part line to the job line (reserved at once, as the advisor's would
  be); asking without a code asks for the line's parts that are still to pick.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import Case, IntegrityError, fn

from models.db import run_write
from models.orders import JobLine, JobLineTechnician, RepairOrder
from models.parts import Part, PartLine
from models.people import Staff
from models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink
from models.shopfloor import PickRequest
from workshop import clock, lifecycle, parts, validation
from workshop.availability import as_date
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, local
from workshop.phrase import Phrase
from workshop.permissions import require

ZERO = Decimal("0")
OPEN = ("requested", "picked")
WORKING_STATES = (lifecycle.DISPATCHED, lifecycle.IN_PROGRESS, lifecycle.WAITING_PARTS)

# A job line's parts, in the words of the technician's screen.
NONE, ISSUED, TO_PICK, SHORT, ORDERED, LATE = "none", "issued", "to_pick", "short", "ordered", "late"
LABELS = {NONE: N_("no parts"), ISSUED: N_("parts issued"), TO_PICK: N_("parts to pick"),
          SHORT: N_("parts short"), ORDERED: N_("parts ordered"), LATE: N_("parts late")}


@dataclass(frozen=True)
class Missing:
    code: str
    name: str
    qty: Decimal
    issued: Decimal


@dataclass(frozen=True)
class LineParts:
    """The parts of one job line: their state, what is still missing, and the technician's request."""
    status: str
    missing: tuple[Missing, ...] = ()
    eta: dt.date | None = None           # when ordered: the latest expected date
    asked_at: dt.datetime | None = None  # the latest pick request
    ready_at: dt.datetime | None = None  # when that request was ready (None while open)

    @property
    def issued(self) -> bool:
        return self.status in (NONE, ISSUED)

    @property
    def asked(self) -> bool:
        """A request is open at the counter."""
        return self.asked_at is not None and self.ready_at is None


def _dec(value) -> Decimal:
    return Decimal(str(value or 0))


def line_parts(line_ids: list[int]) -> dict[int, LineParts]:
    """The parts of each of these job lines (three queries, however many lines)."""
    if not line_ids:
        return {}
    rows = list(PartLine.select(PartLine.id, PartLine.job_line, Part.code, Part.name, Part.name_zh, PartLine.qty,
                                PartLine.reserved, PartLine.picked, PartLine.returned)
                .join(Part).where(PartLine.job_line.in_(line_ids) & PartLine.status.in_(OPEN)).tuples())
    short_ids = [r[0] for r in rows if _dec(r[5]) > _dec(r[7]) - _dec(r[8]) + _dec(r[6])]
    on_order: dict[int, tuple[Decimal, dt.date | None]] = {}
    if short_ids:
        for part_line, qty, eta in (PurchaseOrderLink.select(PurchaseOrderLink.part_line, fn.SUM(PurchaseOrderLink.qty),
                                                             fn.MAX(PurchaseOrder.expected_on).coerce(False))
                                    .join(PurchaseOrderLine).join(PurchaseOrder)
                                    .where(PurchaseOrderLink.part_line.in_(short_ids) & (PurchaseOrder.state == "open")
                                           & (PurchaseOrderLink.qty > 0))
                                    .group_by(PurchaseOrderLink.part_line).tuples()):
            on_order[part_line] = (_dec(qty), as_date(eta))
    requests: dict[int, tuple] = {}
    for line_id, asked, ready in (PickRequest.select(PickRequest.line, PickRequest.requested_at, PickRequest.ready_at)
                                  .where(PickRequest.line.in_(line_ids) & PickRequest.cancelled_at.is_null())
                                  .order_by(PickRequest.id).tuples()):
        requests[line_id] = (asked, ready)  # the latest one wins
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row[1], []).append(row)
    today = clock.today()
    result = {}
    for line_id in line_ids:
        asked, ready = requests.get(line_id, (None, None))
        found = grouped.get(line_id, [])
        missing, worst, etas = [], ISSUED if found else NONE, []
        for pl_id, _job, code, name, name_zh, qty, reserved, picked, returned in found:
            out = _dec(picked) - _dec(returned)
            if out >= _dec(qty):
                continue
            missing.append(Missing(code, local(name, name_zh), _dec(qty), out))
            gap = _dec(qty) - out - _dec(reserved)
            if gap <= 0:
                state = TO_PICK
            elif pl_id in on_order and on_order[pl_id][0] >= gap:
                state = ORDERED
                etas.append(on_order[pl_id][1])
            else:
                state = SHORT
            worst = max(worst, state, key=_SEVERITY.index)
        eta = max((e for e in etas if e is not None), default=None) if worst == ORDERED else None
        if worst == ORDERED and eta is not None and eta < today:
            worst = LATE
        result[line_id] = LineParts(worst, tuple(missing), eta, asked, ready)
    return result


_SEVERITY = [NONE, ISSUED, TO_PICK, ORDERED, LATE, SHORT]


def not_issued_message(line: JobLine, parts_of_line: LineParts) -> str:
    shown = ", ".join(_("{code} {name} {issued} of {qty}").format(
        code=m.code, name=m.name, issued=parts.fmt(m.issued), qty=parts.fmt(m.qty)) for m in parts_of_line.missing[:3])
    return _("The parts for '{line}' are not issued yet ({parts}): ask the parts counter for them and clock on "
             "when they are ready.").format(line=line.name, parts=shown)


def check_issued(line: JobLine) -> None:
    """Refuse work on a job line whose parts are not all picked (inside the clock-on transaction)."""
    state = line_parts([line.id])[line.id]
    if not state.issued:
        raise IllegalTransition(not_issued_message(line, state))


def request(line_id: int, *, by, part_code: str | None = None, qty=None, note: str | None = None,
            seen_version: int | None = None) -> LineParts:
    """Ask the parts counter for a job line's parts: those still to pick, and (with ``part_code``) one more
    part added to the line. Returns the line's parts as they stand after the request."""
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)
    code = (part_code or "").strip()
    part = parts.find_part(code) if code else None
    if part is not None and not part.active:
        raise InvalidInput(_("{code} is no longer stocked.").format(code=part.code), "part")
    amount = parts.quantity(qty if qty not in (None, "") else "1", part) if part is not None else None

    def work():
        nonlocal by
        by = require(by, "request_parts")
        line = JobLine.get_or_none(JobLine.id == line_id)
        if line is None:
            raise NotFound(_("That job line does not exist."))
        order = lifecycle.load_for_change(line.order_id, seen_version)
        if order.state not in WORKING_STATES:
            raise IllegalTransition(_("{order} is not being worked on: its parts are asked for at reception.").format(
                order=order.label))
        if line.status == "finished":
            raise IllegalTransition(_("'{line}' is already finished.").format(line=line.name))
        on_team = JobLineTechnician.select().where((JobLineTechnician.line == line.id)
                                                   & (JobLineTechnician.technician == by.id)).exists()
        if by.has_role("technician") and not by.has_role("dispatcher", "supervisor", "parts_clerk", "manager") \
                and not on_team:
            raise IllegalTransition(_("{name} is not dispatched to '{line}': only its team asks for its parts.").format(
                name=by.name, line=line.name))
        added = parts.add_line_in(order, part, amount, by=by, job_line_id=line.id) if part is not None else None
        state = line_parts([line.id])[line.id]
        if not state.missing:
            raise IllegalTransition(_("The parts for '{line}' are all issued: there is nothing to ask for.").format(
                line=line.name) if state.status == ISSUED else
                _("'{line}' has no parts to pick: give the code of the part it needs.").format(line=line.name))
        now = clock.now()
        open_one = PickRequest.get_or_none((PickRequest.line == line.id) & PickRequest.ready_at.is_null()
                                           & PickRequest.cancelled_at.is_null())
        if open_one is None:
            PickRequest.create(order=order.id, line=line.id, technician=by.id, requested_at=now, note=note,
                               last_part_line=added.id if added else None)
        else:
            changes = {PickRequest.requested_at: now}
            if added is not None:
                changes[PickRequest.last_part_line] = added.id
            if note:
                changes[PickRequest.note] = note
            PickRequest.update(changes).where(PickRequest.id == open_one.id).execute()
        wanted = ", ".join(f"{m.code} {parts.fmt(m.qty - m.issued)}" for m in state.missing[:4])
        parts.refresh_status(order, by=by, kind="pick_requested",
                             summary=Phrase(N_("{order}: {name} asks the parts counter for '{line}' ({parts})"),
                                            order=order.label, name=by.name, line=line.name, parts=wanted))
        return line_parts([line.id])[line.id]

    try:
        return run_write(work)
    except IntegrityError:  # PostgreSQL: the same line asked for at another terminal at the same moment
        raise IllegalTransition(_("The parts for that job line were asked for at another terminal just now: "
                                  "look again.")) from None


def cancel(line_id: int, *, by) -> None:
    """Take back an open request (the part was found, the job changed)."""

    def work():
        nonlocal by
        by = require(by, "request_parts")
        open_one = PickRequest.get_or_none((PickRequest.line == line_id) & PickRequest.ready_at.is_null()
                                           & PickRequest.cancelled_at.is_null())
        if open_one is None:
            raise IllegalTransition(_("No request for that job line's parts is open."))
        PickRequest.update(cancelled_at=clock.now()).where(PickRequest.id == open_one.id).execute()
        line = JobLine.get_by_id(line_id)
        order = lifecycle.get_order(line.order_id)
        lifecycle.save(order, {}, by=by, kind="pick_request_cancelled",
                       summary=Phrase(N_("{order}: the request for the parts of '{line}' was taken back by {name}"),
                                      order=order.label, line=line.name, name=by.name))

    run_write(work)


def after_pick(job_line_id: int) -> None:
    """Inside the picking transaction: the job line's open request is ready once nothing is left to pick."""
    if line_parts([job_line_id])[job_line_id].missing:
        return
    (PickRequest.update(ready_at=clock.now())
     .where((PickRequest.line == job_line_id) & PickRequest.ready_at.is_null() & PickRequest.cancelled_at.is_null())
     .execute())


def asked_first():
    """For the clerk's pick queue (ORDER BY): 0 for part lines whose job line has an open request, else 1."""
    open_request = (PickRequest.select(PickRequest.id)
                    .where((PickRequest.line == PartLine.job_line) & PickRequest.ready_at.is_null()
                           & PickRequest.cancelled_at.is_null()))
    return Case(None, ((fn.EXISTS(open_request), 0),), 1)


@dataclass(frozen=True)
class OpenRequest:
    id: int
    order_id: int
    order_number: int
    line_id: int
    line_name: str
    technician: str
    requested_at: dt.datetime
    note: str | None


def open_requests(*, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[OpenRequest]:
    """Requests waiting at the parts counter (of ``shop``'s orders, a group's counter), oldest first (for the
    clerk)."""
    waiting = PickRequest.ready_at.is_null() & PickRequest.cancelled_at.is_null()
    if shop is not None:
        waiting &= RepairOrder.shop == shop
    rows = (PickRequest.select(PickRequest.id, PickRequest.order, RepairOrder.number, PickRequest.line, JobLine.name,
                               Staff.name, PickRequest.requested_at, PickRequest.note)
            .join(RepairOrder, on=(PickRequest.order == RepairOrder.id)).switch(PickRequest)
            .join(JobLine, on=(PickRequest.line == JobLine.id)).switch(PickRequest)
            .join(Staff, on=(PickRequest.technician == Staff.id))
            .where(waiting)
            .order_by(PickRequest.requested_at, PickRequest.id).limit(limit).offset(offset).tuples())
    return [OpenRequest(*row[:6], _moment(row[6]), row[7]) for row in rows]


def _moment(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


__all__ = ["line_parts", "LineParts", "Missing", "check_issued", "request", "cancel", "after_pick", "asked_first",
           "open_requests", "OpenRequest", "LABELS"]
