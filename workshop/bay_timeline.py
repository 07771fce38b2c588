"""The bays' timeline of today: which order's trade stands or is planned in which bay from when to when,
which are late, and who is busy until when. Read from the trades of the active orders only (a few
hundred rows on any shop), in six queries."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from models.base import built_once
from models.db import db

from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.people import Staff, Vehicle
from models.shop import Bay
from models.shopfloor import TradeDispatch
from workshop import clock, shops
from workshop.i18n import local
from workshop.lifecycle import ACTIVE_STATES
from workshop.trade_dispatch import _time_setting

# A trade's state on the timeline: waiting (planned, the car is elsewhere or nobody started), working
# (someone started a line of it), done (every line finished).
WAITING, WORKING, DONE = "waiting", "working", "done"


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class Segment:
    order_id: int
    number: int
    plate: str
    trade: str
    lead: str | None
    technicians: tuple[str, ...]
    planned_start: dt.datetime
    planned_end: dt.datetime
    started_at: dt.datetime | None   # the first clock-on of one of its lines
    finished_at: dt.datetime | None  # when its last line was finished (done only)
    state: str
    car_here: bool                   # the car stands in this bay now
    promised_at: dt.datetime
    overdue: bool                    # not done and its planned end has passed
    after_promise: bool              # planned to end after the time promised to the customer


@dataclass(frozen=True)
class Lane:
    bay_id: int
    code: str
    name: str
    kind: str
    capacity: int
    segments: tuple[Segment, ...]

    def busy_until(self, now: dt.datetime) -> dt.datetime | None:
        ends = [s.planned_end for s in self.segments if s.state != DONE and s.planned_end > now]
        return max(ends) if ends else None


@dataclass(frozen=True)
class Busy:
    technician_id: int
    name: str
    trade: str | None
    clocked_on: str | None        # "RO 1042 Front brake pads" while clocked on
    busy_until: dt.datetime | None  # the planned end of the last open trade they are on
    open_lines: int
    late: bool                    # on a trade that is overdue


@dataclass(frozen=True)
class Timeline:
    day: dt.date
    opens: dt.datetime
    closes: dt.datetime
    now: dt.datetime
    lanes: tuple[Lane, ...]
    technicians: tuple[Busy, ...]

    @property
    def late(self) -> list[Segment]:
        return [s for lane in self.lanes for s in lane.segments if s.overdue or s.after_promise]


def _queries(shop: int | None = None) -> dict:
    """The six reads of the timeline. Each has only constants in it, so its SQL is built once per process
    (models/base.py built_once): with the active orders as a subquery rather than a list of ids, Peewee took
    a quarter of the timeline's time building the statements. ``shop``: a group's shop (its bays, its active
    orders, the technicians who work in it)."""
    active = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(sorted(ACTIVE_STATES)))
    bays = Bay.select(Bay.id, Bay.code, Bay.name, Bay.name_zh, Bay.kind, Bay.capacity).where(Bay.active)
    technicians = Staff.select(Staff.id, Staff.name, Staff.trade).where(Staff.active & Staff.roles.contains("technician"))
    if shop is not None:  # (the shop is checked on the active rows, as on the board: see workshop/board.py)
        active = active.where(RepairOrder.shop == shop)
        bays = bays.where(Bay.shop == shop)
        technicians = technicians.where(shops.works_in(shop))
    planned = TradeDispatch.select(TradeDispatch.order).where(TradeDispatch.order.in_(active))
    return {
        "bays": bays.order_by(Bay.code),
        "stages": TradeDispatch.select(TradeDispatch.order, TradeDispatch.trade, TradeDispatch.bay,
                                       TradeDispatch.planned_start, TradeDispatch.planned_end, Staff.name,
                                       RepairOrder.number, RepairOrder.bay, RepairOrder.promised_at, Vehicle.plate)
        .join(RepairOrder, on=(TradeDispatch.order == RepairOrder.id))
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .join_from(TradeDispatch, Staff, JOIN.LEFT_OUTER, on=(TradeDispatch.lead == Staff.id))
        .where(TradeDispatch.order.in_(active)),
        "lines": JobLine.select(JobLine.id, JobLine.order, JobLine.trade, JobLine.status, JobLine.started_at,
                                JobLine.finished_at).where(JobLine.order.in_(planned)),
        "teams": JobLineTechnician.select(JobLineTechnician.line, Staff.id, Staff.name)
        .join(Staff, on=(JobLineTechnician.technician == Staff.id))
        .join_from(JobLineTechnician, JobLine, on=(JobLineTechnician.line == JobLine.id))
        .where(JobLine.order.in_(planned)).order_by(JobLineTechnician.lead.desc(), Staff.name),
        "clocked": TimeLog.select(TimeLog.technician, RepairOrder.number, JobLine.name)
        .join(JobLine, on=(TimeLog.line == JobLine.id)).join(RepairOrder, on=(JobLine.order == RepairOrder.id))
        .where(TimeLog.ended_at.is_null()),
        "technicians": technicians.order_by(Staff.name),
    }


def _rows(name: str, shop: int | None = None) -> list[tuple]:
    sql, params = built_once(("timeline", name, shop), lambda: _queries(shop)[name].sql())
    return db.execute_sql(sql, params).fetchall()


def timeline(day: dt.date | None = None, shop: int | None = None) -> Timeline:
    """Every active bay with the trades of active orders planned in it (done ones of the day too), and every
    active technician with what they are on and until when. ``shop``: a group's shop's bays, orders and
    technicians (None: every one, as in a one-shop database)."""
    now = clock.now()
    day = day or now.date()
    opens = dt.datetime.combine(day, _time_setting("shop_opens"))
    closes = dt.datetime.combine(day, _time_setting("shop_closes"))
    if closes <= opens:
        opens, closes = dt.datetime.combine(day, dt.time()), dt.datetime.combine(day, dt.time(23, 59))
    bays = _rows("bays", shop)
    stage_rows = _rows("stages", shop)
    lines: dict[tuple[int, str], list] = {}
    line_key: dict[int, tuple[int, str]] = {}
    line_open: set[int] = set()
    for line_id, order_id, trade, status, started, finished in _rows("lines", shop):
        lines.setdefault((order_id, trade), []).append((status, _as_dt(started), _as_dt(finished)))
        line_key[line_id] = (order_id, trade)
        if status != "finished":
            line_open.add(line_id)
    team: dict[tuple[int, str], list[str]] = {}
    tech_lines: dict[int, list[int]] = {}
    for line_id, tech_id, name in _rows("teams", shop):
        names = team.setdefault(line_key[line_id], [])
        if name not in names:
            names.append(name)
        tech_lines.setdefault(tech_id, []).append(line_id)
    segments: dict[int, list[Segment]] = {}
    stage_end: dict[tuple[int, str], tuple[dt.datetime, bool]] = {}
    for order_id, trade, bay_id, start, end, lead, number, car_bay, promised, plate in stage_rows:
        start, end, promised = _as_dt(start), _as_dt(end), _as_dt(promised)
        own = lines.get((order_id, trade), [])
        done = bool(own) and all(s == "finished" for s, _, _ in own)
        started = min((st for _, st, _ in own if st is not None), default=None)
        finished = max((f for _, _, f in own if f is not None), default=None) if done else None
        state = DONE if done else (WORKING if any(s in ("in_progress", "paused") for s, _, _ in own) else WAITING)
        overdue = not done and end < now
        stage_end[(order_id, trade)] = (end, overdue)
        if done and (finished is None or finished.date() != day):
            continue  # finished on another day: not on today's timeline
        segments.setdefault(bay_id, []).append(Segment(
            order_id, number, plate, trade, lead, tuple(team.get((order_id, trade), ())), start, end, started,
            finished, state, car_bay == bay_id, promised, overdue, not done and end > promised))
    lanes = tuple(Lane(bid, code, local(name, zh), kind, cap,
                       tuple(sorted(segments.get(bid, []), key=lambda s: (s.planned_start, s.number))))
                  for bid, code, name, zh, kind, cap in bays)
    clocked = {tech: f"RO {number} {name}" for tech, number, name in _rows("clocked", shop)}
    busy = []
    for tech_id, name, trade in _rows("technicians", shop):
        mine = [line_id for line_id in tech_lines.get(tech_id, ()) if line_id in line_open]
        keys = {line_key[line_id] for line_id in mine if line_key[line_id] in stage_end}
        ends = [stage_end[k][0] for k in keys]
        busy.append(Busy(tech_id, name, trade, clocked.get(tech_id), max(ends) if ends else None, len(mine),
                         any(stage_end[k][1] for k in keys)))
    return Timeline(day, opens, closes, now, lanes, tuple(busy))


__all__ = ["timeline", "Timeline", "Lane", "Segment", "Busy", "WAITING", "WORKING", "DONE"]
