"""Workshop dispatch: bays and technicians on orders, their load, and technicians' clock records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from peewee import JOIN, fn

from models.db import run_write
from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.people import Staff, Vehicle
from models.shop import Bay
from workshop import clock, lifecycle, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, local
from workshop.phrase import Phrase, Word
from workshop.lifecycle import ACTIVE_STATES, BAY_STATES, DISPATCHED, IN_PROGRESS, WAITING_PARTS, apply_transition
from workshop.lifecycle import label as lifecycle_label
from workshop.lifecycle import load_for_change, save
from workshop.permissions import require


@dataclass(frozen=True)
class BayLoad:
    id: int
    code: str
    name: str
    kind: str
    capacity: int
    occupied: int
    orders: tuple[int, ...]  # order numbers in the bay

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)


@dataclass(frozen=True)
class TechnicianLoad:
    id: int
    name: str
    trade: str | None
    open_lines: int          # unfinished job lines assigned on active orders
    clocked_on: str | None   # "RO 1042 Oil change" while clocked on
    idle_since: dt.datetime | None  # last clock-off when idle now


def bay_loads(shop: int | None = None) -> list[BayLoad]:
    """Every active bay (of ``shop``, in a group) with the cars standing in it (two queries); its name in the
    reader's language."""
    bays = Bay.select(Bay.id, Bay.code, Bay.name, Bay.name_zh, Bay.kind, Bay.capacity).where(Bay.active)
    if shop is not None:
        bays = bays.where(Bay.shop == shop)
    bays = [(bay_id, code, local(name, name_zh), kind, capacity) for bay_id, code, name, name_zh, kind, capacity in
            bays.order_by(Bay.code).tuples()]
    rows = (RepairOrder.select(RepairOrder.bay, RepairOrder.number)
            .where(RepairOrder.state.in_(BAY_STATES) & RepairOrder.bay.is_null(False)).tuples())
    by_bay: dict[int, list[int]] = {}
    for bay_id, number in rows:
        by_bay.setdefault(bay_id, []).append(number)
    return [BayLoad(bay_id, code, name, kind, capacity, len(by_bay.get(bay_id, [])),
                    tuple(sorted(by_bay.get(bay_id, [])))) for bay_id, code, name, kind, capacity in bays]


def technician_loads(shop: int | None = None) -> list[TechnicianLoad]:
    """Every active technician (who works in ``shop``, in a group) with their current load, clock state and idle
    time (three queries)."""
    techs = Staff.select(Staff.id, Staff.name, Staff.trade).where(Staff.active & Staff.roles.contains("technician"))
    if shop is not None:
        from workshop.shops import works_in
        techs = techs.where(works_in(shop))
    techs = list(techs.order_by(Staff.name).tuples())
    tech_ids = [t[0] for t in techs]
    # Every query starts from an index on what is current (the few hundred active orders, each
    # technician's open time log, each technician's latest log), never from years of history:
    # joining from the lines took 6.7 s on the large shop, this takes milliseconds.
    active = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(ACTIVE_STATES))
    open_counts = dict(
        JobLineTechnician.select(JobLineTechnician.technician, fn.COUNT(JobLineTechnician.id))
        .join(JobLine).where(JobLine.order.in_(active) & (JobLine.status != "finished"))
        .group_by(JobLineTechnician.technician).tuples())
    on_clock = {}
    for tech_id, number, name in (TimeLog.select(TimeLog.technician, RepairOrder.number, JobLine.name)
                                  .join(JobLine).join(RepairOrder)
                                  .where(TimeLog.technician.in_(tech_ids) & TimeLog.ended_at.is_null())
                                  .tuples()):
        on_clock[tech_id] = _("RO {number} {line}").format(number=number, line=name)
    latest = (TimeLog.select(fn.MAX(TimeLog.ended_at)).where(TimeLog.technician == Staff.id))
    last_off = dict(Staff.select(Staff.id, latest).where(Staff.id.in_(tech_ids)).tuples())
    return [TechnicianLoad(tech_id, name, trade, open_counts.get(tech_id, 0), on_clock.get(tech_id),
                           None if tech_id in on_clock else _as_dt(last_off.get(tech_id)))
            for tech_id, name, trade in techs]


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def dispatch(order_id: int, bay_id: int, technician_ids: list[int], *, by: Staff,
             seen_version: int | None = None, reason: str | None = None) -> RepairOrder:
    """Put a car in a bay with its technicians (or change them on an order already in the workshop): every
    trade with open work goes to this bay with this team (workshop/trade_dispatch.py dispatches trade by
    trade; the bay must take each trade, or a supervisor gives a ``reason``).
    The first technician picked leads each line (the one a clock record is for when someone else clocks
    it); when the team changes, those who stay keep their order, so the lead stays lead, and newcomers
    follow in the order picked."""
    from workshop import trade_dispatch
    if not technician_ids:
        raise InvalidInput(_("Pick at least one technician."), "technicians")
    reason = validation.text(reason, "reason", _("Reason"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "dispatch")
        order = load_for_change(order_id, seen_version)
        lines = list(JobLine.select(JobLine.id, JobLine.trade, JobLine.status).where(JobLine.order == order.id)
                     .order_by(JobLine.id))
        team = list(dict.fromkeys(tech_id for (tech_id,) in (
            JobLineTechnician.select(JobLineTechnician.technician)
            .where(JobLineTechnician.line.in_([line.id for line in lines] or [0]))
            .order_by(JobLineTechnician.lead.desc(), JobLineTechnician.id).tuples())))  # lead first
        picked = list(dict.fromkeys(technician_ids))
        order_of = tuple([i for i in team if i in picked] + [i for i in picked if i not in team])
        trades = list(dict.fromkeys(line.trade for line in lines if line.status != "finished"))
        plans = [trade_dispatch.TradePlan(trade, bay_id, order_of) for trade in trades]
        return trade_dispatch.apply_plans(order, plans, by=by, reason=reason)

    return run_write(work)


# --- clocking on and off job lines --------------------------------------------------------------

def _line_for_change(line_id: int, seen_version: int | None):
    line = JobLine.get_or_none(JobLine.id == line_id)
    if line is None:
        raise NotFound(_("That job line does not exist."))
    order = load_for_change(line.order_id, seen_version)
    return line, order


def _clocker(by, technician_id: int) -> Staff:
    """Who clocks: a technician only themself; a dispatcher, supervisor or manager may clock a technician
    on or off for them (the event then names both). Inside the transaction: the fresh row."""
    staff = require(by, "clock_time")
    if technician_id != staff.id:
        staff = require(staff, "clock_for_others")
    return staff


def _clock_summary(by: Staff, tech: Staff, what: str, line: JobLine) -> Phrase:
    """What a clock record says: ``what`` is one of N_("clocked on"), N_("finished"), N_("paused")."""
    if by.id == tech.id:
        return Phrase(N_("{name} {what} '{line}'"), name=tech.name, what=Word(what), line=line.name)
    return Phrase(N_("{name} {what} '{line}' (clocked by {by})"), name=tech.name, what=Word(what), line=line.name,
                  by=by.name)


# Other capabilities that refuse a clock-on add a guard here: fn(line, order) raising a DomainError (a line
# the customer has not approved yet, for instance).
CLOCK_ON_GUARDS: list[Callable[[JobLine, RepairOrder], None]] = []


def check_can_clock_on(line: JobLine, order: RepairOrder, tech: Staff) -> None:
    """Why this technician may not start this line now, as a DomainError (inside the transaction): only
    the line's own team works on it, in the bay the car stands in, once its parts are issued."""
    from models.shopfloor import TradeDispatch
    from workshop import pick_requests
    if not JobLineTechnician.select().where((JobLineTechnician.line == line.id)
                                            & (JobLineTechnician.technician == tech.id)).exists():
        raise IllegalTransition(_("{name} is not dispatched to '{line}' on {order}: the dispatcher puts them on "
                                  "it first.").format(name=tech.name, line=line.name, order=order.label))
    planned = (TradeDispatch.select(TradeDispatch.bay).where((TradeDispatch.order == order.id)
                                                             & (TradeDispatch.trade == line.trade)).scalar())
    if planned is not None and planned != order.bay_id:
        here = Bay.get_or_none(Bay.id == order.bay_id)
        there = Bay.get_by_id(planned)
        raise IllegalTransition(_("{order} stands in bay {here}: '{line}' is done in bay {bay}, once the car has "
                                  "moved there.").format(order=order.label, here=here.code if here else "-",
                                                         line=line.name, bay=there.code))
    pick_requests.check_issued(line)
    for guard in CLOCK_ON_GUARDS:
        guard(line, order)


def clock_on(line_id: int, technician_id: int, *, by: Staff, seen_version: int | None = None,
             pause_other: bool = False) -> RepairOrder:
    """A technician starts (or resumes) work on a job line; the order starts if it was only dispatched.
    A technician not yet clocked in for the day is clocked in by it (workshop/shifts.py). With
    ``pause_other``, the job they are clocked on is paused in the same transaction (one key moves them
    from one job to the next); refused, it keeps running."""

    def work():
        nonlocal by
        by = _clocker(by, technician_id)
        line, order = _line_for_change(line_id, seen_version)
        if order.state not in (DISPATCHED, IN_PROGRESS):
            raise IllegalTransition(_("{order} is not in the workshop's hands ({state}).").format(
                order=order.label, state=lifecycle_label(order.state)))
        if line.status == "finished":
            raise IllegalTransition(_("'{line}' is already finished.").format(line=line.name))
        from workshop.approvals import ensure_workable  # (prices and quotes: not on the board's cold path)
        ensure_workable(line)
        tech = Staff.by_id(technician_id, lock=True)  # clocked on one job at a time, on either engine
        if tech is None or not tech.has_role("technician"):
            raise InvalidInput(_("Only a technician can clock on."), "technician")
        running = TimeLog.select().where((TimeLog.technician == tech.id) & TimeLog.ended_at.is_null()).first()
        if running is not None and (not pause_other or running.line_id == line.id):
            raise IllegalTransition(_("{name} is already clocked on another job: clock off first.").format(
                name=tech.name) if running.line_id != line.id else _("{name} is already clocked on '{line}'.").format(
                name=tech.name, line=line.name))
        check_can_clock_on(line, order, tech)
        if running is not None:  # (only once this line may be started: a refusal leaves the other running)
            other = JobLine.get_by_id(running.line_id)
            stop_clock(other, lifecycle.get_order(other.order_id), tech, by=by, finished=False)
            if other.order_id == order.id:
                order = lifecycle.get_order(order.id)  # its version moved on with the pause
        now = clock.now()
        from workshop import shifts
        shifts.present(tech, by=by, at=now)
        TimeLog.create(line=line, technician=tech, started_at=now)
        JobLine.update(status="in_progress", started_at=line.started_at or now).where(
            JobLine.id == line.id).execute()
        if order.state == DISPATCHED:
            order = apply_transition(order, "start", by=by)
        return save(order, {}, by=by, kind="clock_on", summary=_clock_summary(by, tech, N_("clocked on"), line),
                    detail={"technician": tech.id, "clocked_by": by.id})

    return run_write(work)


def clock_off(line_id: int, technician_id: int, *, finished: bool, by: Staff,
              seen_version: int | None = None) -> RepairOrder:
    """A technician stops work on a line: paused, or finished when the job is done."""

    def work():
        nonlocal by
        by = _clocker(by, technician_id)
        line, order = _line_for_change(line_id, seen_version)
        return stop_clock(line, order, Staff.get_by_id(technician_id), by=by, finished=finished)

    return run_write(work)


def stop_clock(line: JobLine, order: RepairOrder, tech: Staff, *, by: Staff, finished: bool) -> RepairOrder:
    """Inside a transaction: the technician's clock on this line stops (paused, or the line finished)."""
    log = (TimeLog.select().where((TimeLog.line == line.id) & (TimeLog.technician == tech.id)
                                  & TimeLog.ended_at.is_null()).first())
    if log is None:
        raise IllegalTransition(_("That technician is not clocked on this job line."))
    now = clock.now()
    TimeLog.update(ended_at=now).where(TimeLog.id == log.id).execute()
    still_on = (TimeLog.select().where((TimeLog.line == line.id) & TimeLog.ended_at.is_null()).exists())
    status = "finished" if finished else ("in_progress" if still_on else "paused")
    JobLine.update(status=status, finished_at=now if finished else None).where(
        JobLine.id == line.id).execute()
    word = _("finished") if finished else _("paused")
    return save(order, {}, by=by, kind="clock_off", summary=_clock_summary(by, tech, word, line),
                detail={"technician": tech.id, "clocked_by": by.id})


def finish_line(line_id: int, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Mark a job line finished (clocking off anyone still on it)."""

    def work():
        nonlocal by
        by = require(by, "move_card")
        line, order = _line_for_change(line_id, seen_version)
        if order.state not in (DISPATCHED, IN_PROGRESS, WAITING_PARTS):
            raise IllegalTransition(_("{order} is not being worked on.").format(order=order.label))
        if line.status == "finished":
            raise IllegalTransition(_("'{line}' is already finished.").format(line=line.name))
        from workshop.approvals import ensure_workable
        ensure_workable(line)
        now = clock.now()
        TimeLog.update(ended_at=now).where((TimeLog.line == line.id) & TimeLog.ended_at.is_null()).execute()
        JobLine.update(status="finished", finished_at=now, started_at=line.started_at or now).where(
            JobLine.id == line.id).execute()
        return save(order, {}, by=by, kind="line_finished",
                    summary=Phrase(N_("'{line}' finished"), line=line.name))

    return run_write(work)


def actual_hours(line_ids: list[int]) -> dict[int, Decimal]:
    """Clocked hours per job line (closed and running clock records)."""
    now = clock.now()
    totals: dict[int, float] = {}
    for line_id, start, end in (TimeLog.select(TimeLog.line, TimeLog.started_at, TimeLog.ended_at)
                                .where(TimeLog.line.in_(line_ids)).tuples()):
        start, end = _as_dt(start), _as_dt(end) or now
        totals[line_id] = totals.get(line_id, 0.0) + (end - start).total_seconds()
    return {k: (Decimal(v) / 3600).quantize(Decimal("0.01")) for k, v in totals.items()}


def technicians_query(where):
    """(order id, technician's name) of the job lines ``where`` picks, leads first, then by name; a name may
    come more than once (no DISTINCT: with an ORDER BY on a column it does not return, PostgreSQL refuses it)."""
    return (JobLineTechnician.select(JobLine.order, Staff.name)
            .join(JobLine).switch(JobLineTechnician).join(Staff, on=(JobLineTechnician.technician == Staff.id))
            .where(where).order_by(JobLineTechnician.lead.desc(), Staff.name).tuples())


def order_technicians(order_ids: list[int]) -> dict[int, list[str]]:
    """Names of the technicians on each order (one query), the leads first, each once."""
    result: dict[int, list[str]] = {}
    for order_id, name in technicians_query(JobLine.order.in_(order_ids)):
        names = result.setdefault(order_id, [])
        if name not in names:
            names.append(name)
    return result


def order_plates(numbers: list[int]) -> dict[int, str]:
    """The plate of the car on each of these repair order numbers (one query)."""
    if not numbers:
        return {}
    return dict(RepairOrder.select(RepairOrder.number, Vehicle.plate).join(Vehicle)
                .where(RepairOrder.number.in_(numbers)).tuples())


@dataclass(frozen=True)
class LineRow:
    """A job line as the order screen lists it: billed beside actual hours, and who is on it."""
    id: int
    code: str
    name: str
    trade: str
    standard_hours: Decimal
    billed_hours: Decimal
    status: str
    actual_hours: Decimal             # clocked so far, running clocks included
    technicians: tuple[str, ...]      # names of the technicians on the line


def order_lines(order_id: int) -> list[LineRow]:
    """The order's job lines in the order they were added, with actual hours and technicians
    (three queries, however many lines); a line's name in the reader's language where its operation
    has one."""
    from models.shop import Operation
    lines = [(line_id, code, local(name, name_zh), *rest) for line_id, code, name, name_zh, *rest in (
        JobLine.select(JobLine.id, JobLine.code, JobLine.name, Operation.name_zh, JobLine.trade,
                       JobLine.standard_hours, JobLine.billed_hours, JobLine.status)
        .join(Operation, JOIN.LEFT_OUTER, on=(JobLine.operation == Operation.id))
        .where(JobLine.order == order_id).order_by(JobLine.id).tuples())]
    if not lines:
        return []
    line_ids = [line[0] for line in lines]
    actual = actual_hours(line_ids)
    names: dict[int, list[str]] = {}
    for line_id, name in (JobLineTechnician.select(JobLineTechnician.line, Staff.name)
                          .join(Staff, on=(JobLineTechnician.technician == Staff.id))
                          .where(JobLineTechnician.line.in_(line_ids))
                          .order_by(JobLineTechnician.lead.desc(), Staff.name).tuples()):
        names.setdefault(line_id, []).append(name)
    return [LineRow(*line, actual.get(line[0], Decimal("0.00")), tuple(names.get(line[0], ()))) for line in lines]


def lead_technician(line_id: int) -> int | None:
    """The technician a clock record on this line is for when someone else clocks it: the line's
    lead technician, else any technician on it; None when nobody is dispatched to it (one query)."""
    return (JobLineTechnician.select(JobLineTechnician.technician).where(JobLineTechnician.line == line_id)
            .order_by(JobLineTechnician.lead.desc(), JobLineTechnician.id).limit(1).scalar())


__all__ = ["dispatch", "clock_on", "clock_off", "finish_line", "bay_loads", "technician_loads",
           "actual_hours", "order_technicians", "order_plates", "order_lines", "lead_technician", "LineRow",
           "JOIN"]
