"""A technician's own queue (我的工单): the job lines dispatched to them on cars in the workshop, in the
order they are planned, each with its bay, the promised time, its parts and the tools it needs, and
whether it can be started now (and if not, why).

Clocking on, pausing and finishing are workshop/dispatch.py's (clock_on, clock_off); asking for parts is
workshop/pick_requests.py's; the shift is workshop/shifts.py's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.people import Staff, Vehicle
from models.shop import Bay, Operation
from models.shopfloor import TradeDispatch
from workshop import clock, lifecycle, pick_requests, shifts, tools
from workshop.errors import NotFound
from workshop.i18n import _, label, local

WORKING_STATES = (lifecycle.DISPATCHED, lifecycle.IN_PROGRESS, lifecycle.WAITING_PARTS)
LIMIT = 200  # a technician's queue is a day's work, not a list that grows


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class MyJob:
    line_id: int
    order_id: int
    order_number: int
    order_version: int
    order_state: str
    plate: str
    model: str
    code: str
    name: str
    trade: str
    status: str                      # pending, in_progress, paused
    standard_hours: Decimal
    lead: bool                       # this technician leads the line
    bay: str | None                  # the bay the line is done in
    car_bay: str | None              # the bay the car stands in now
    promised_at: dt.datetime
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    parts: pick_requests.LineParts
    tools: tuple[tools.ToolWarning, ...]
    clocked_on: bool                 # this technician's clock runs on it now
    blocked: str | None              # why it cannot be started now (None: it can)

    @property
    def late(self) -> bool:
        now = clock.now()
        return self.promised_at < now or (self.planned_end is not None and self.planned_end < now)


@dataclass(frozen=True)
class MyJobs:
    technician_id: int
    name: str
    on_shift_since: dt.datetime | None
    clocked_line_id: int | None
    jobs: tuple[MyJob, ...]

    def job(self, line_id: int) -> MyJob | None:
        return next((j for j in self.jobs if j.line_id == line_id), None)


def my_jobs(technician_id: int) -> MyJobs:
    """The technician's dispatched, unfinished lines on cars in the workshop, planned start first, then the
    most urgent promise (about ten queries, however long the shop's history)."""
    tech = Staff.by_id(technician_id)
    if tech is None:
        raise NotFound(_("No such staff member."))
    working = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(WORKING_STATES))
    rows = list(JobLine.select(JobLine.id, RepairOrder.id, RepairOrder.number, RepairOrder.version, RepairOrder.state,
                               Vehicle.plate, Vehicle.model, JobLine.code, JobLine.name, JobLine.trade, JobLine.status,
                               JobLine.standard_hours, JobLineTechnician.lead, RepairOrder.bay, RepairOrder.promised_at,
                               Operation.name_zh)
                .join(JobLineTechnician, on=(JobLineTechnician.line == JobLine.id))
                .join_from(JobLine, Operation, JOIN.LEFT_OUTER, on=(JobLine.operation == Operation.id))
                .join_from(JobLine, RepairOrder, on=(JobLine.order == RepairOrder.id))
                .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
                .where((JobLineTechnician.technician == tech.id) & (JobLine.status != "finished")
                       & JobLine.order.in_(working))
                .limit(LIMIT).tuples())
    order_ids = list({r[1] for r in rows})
    stages = {(o, t): (b, s, e) for o, t, b, s, e in (
        TradeDispatch.select(TradeDispatch.order, TradeDispatch.trade, TradeDispatch.bay, TradeDispatch.planned_start,
                             TradeDispatch.planned_end)
        .where(TradeDispatch.order.in_(order_ids or [0])).tuples())}
    bay_ids = {r[13] for r in rows} | {b for b, _, _ in stages.values()}
    bay_codes = dict(Bay.select(Bay.id, Bay.code).where(Bay.id.in_([b for b in bay_ids if b] or [0])).tuples())
    clocked = (TimeLog.select(TimeLog.line).where((TimeLog.technician == tech.id) & TimeLog.ended_at.is_null())
               .scalar())
    line_ids = [r[0] for r in rows]
    parts_of = pick_requests.line_parts(line_ids)
    warnings: dict[int, list] = {}
    for warning in tools.warnings_for_lines(line_ids, technician_id=tech.id):
        warnings.setdefault(warning.line_id, []).append(warning)
    jobs = []
    for (line_id, order_id, number, version, state, plate, model, code, name, trade, status, std, lead, car_bay,
         promised, name_zh) in rows:
        name = local(name, name_zh)  # the operation's name in the reader's language
        stage_bay, start, end = stages.get((order_id, trade), (None, None, None))
        line_bay = stage_bay or car_bay
        parts = parts_of[line_id]
        blocked = None
        if state == lifecycle.WAITING_PARTS:
            blocked = _("the order is waiting for parts")
        elif stage_bay is not None and stage_bay != car_bay:
            blocked = _("the car is in {here}; this is done in {bay}").format(
                here=bay_codes.get(car_bay, "-"), bay=bay_codes.get(stage_bay, "-"))
        elif not parts.issued:
            blocked = label(pick_requests.LABELS, parts.status)
        jobs.append(MyJob(line_id, order_id, number, version, state, plate, model, code, name, trade, status,
                          Decimal(str(std or 0)), bool(lead), bay_codes.get(line_bay), bay_codes.get(car_bay),
                          _as_dt(promised), _as_dt(start), _as_dt(end), parts, tuple(warnings.get(line_id, ())),
                          clocked == line_id, None if clocked == line_id else blocked))
    far = dt.datetime.max
    jobs.sort(key=lambda j: (not j.clocked_on, j.planned_start or far, j.promised_at, j.line_id))
    return MyJobs(tech.id, tech.name, shifts.on_shift_since(tech.id), clocked, tuple(jobs))


@dataclass(frozen=True)
class WorkshopJob:
    line_id: int
    order_number: int
    plate: str
    name: str


def workshop_jobs(limit: int = 500, shop: int | None = None) -> list[WorkshopJob]:
    """Unfinished job lines of the cars in the workshop (``shop``'s, in a group), most urgent promise first (the
    tool keeper lends a tool for one of them)."""
    working = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(WORKING_STATES))
    if shop is not None:
        working = working.where(RepairOrder.shop == shop)
    rows = (JobLine.select(JobLine.id, RepairOrder.number, Vehicle.plate, JobLine.name, Operation.name_zh)
            .join(RepairOrder, on=(JobLine.order == RepairOrder.id)).join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .join_from(JobLine, Operation, JOIN.LEFT_OUTER, on=(JobLine.operation == Operation.id))
            .where(JobLine.order.in_(working) & (JobLine.status != "finished"))
            .order_by(RepairOrder.promised_at, JobLine.id).limit(limit).tuples())
    return [WorkshopJob(line_id, number, plate, local(name, name_zh)) for line_id, number, plate, name, name_zh in rows]


__all__ = ["my_jobs", "MyJobs", "MyJob", "workshop_jobs", "WorkshopJob"]
