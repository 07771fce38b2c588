"""Dispatch per trade (车间派工): an order's job lines grouped by trade, each trade in a bay of a kind that
takes it, with a lead and technicians; the car goes through its trades' bays in order (mechanical, then
paint), and each trade has planned start and end times from its standard hours.

Rules, decided here:
- a bay takes the trades of its kind (``BAY_TAKES``: a mechanical bay also takes quick service and
  electrical work). Another bay is refused, unless a supervisor or manager gives a reason (the event
  trail keeps it, with who allowed it);
- a dispatch covers every trade with work still open, in the order the car goes through them; the car
  stands in the bay of the first of them (``RepairOrder.bay``, which counts against the bay's capacity),
  and the bay of the next one different from it is kept with the order (``RepairOrder.next_bay``) for the
  board's card;
- the team of each trade goes on each of its open lines (the lead first); a single line can then be
  given another team without touching the rest;
- the car moves on to the next bay when the work in the bay it stands in is finished, and when the next
  bay has room;
- planned times: a trade starts when the trade before it ends and its bay has a place for it for as long as
  it lasts (in a gap before work planned there later, or when the bay's other planned work ends), and lasts
  the standard hours of its open lines, counted in the workshop's opening hours (settings ``shop_opens``,
  ``shop_closes``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from peewee import JOIN, fn

from models.db import run_write
from models.orders import JobLine, JobLineTechnician, RepairOrder
from models.people import TRADE_LABELS, Staff
from models.shop import BAY_KIND_LABELS, Bay
from models.shopfloor import TradeDispatch
from workshop import audit, clock, settings, shops, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, label, local
from workshop.phrase import Phrase
from workshop.lifecycle import (ACTIVE_STATES, BAY_STATES, CHECKED_IN, DISPATCHED, IN_PROGRESS, WAITING_PARTS,
                                add_after, apply_transition, load_for_change, save)
from workshop.permissions import require

# Which trades a bay of each kind takes. A shop does an oil change or an electrical fault in a
# mechanical bay; body work, paint, alignment and washing need their own.
BAY_TAKES: dict[str, frozenset[str]] = {
    "mechanical": frozenset({"mechanical", "quick_service", "electrical"}),
    "quick_service": frozenset({"quick_service"}),
    "electrical": frozenset({"electrical"}),
    "body": frozenset({"body"}),
    "paint": frozenset({"paint"}),
    "wash": frozenset({"wash"}),
    "alignment": frozenset({"alignment"}),
}
DISPATCHABLE = (CHECKED_IN, DISPATCHED, IN_PROGRESS, WAITING_PARTS)
ZERO = Decimal("0")
MAX_HOURS = Decimal("200")


def fits(bay_kind: str, trade: str) -> bool:
    return trade in BAY_TAKES.get(bay_kind, frozenset({bay_kind}))


# --- the workshop's hours -------------------------------------------------------------------------

def _time_setting(key: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(settings.get(key)))
    except ValueError:
        return dt.time(0, 0)


def add_working_hours(start: dt.datetime, hours: Decimal | float) -> dt.datetime:
    """``start`` plus ``hours`` of the workshop's opening hours: work planned after closing time carries
    on the next morning. Opening hours that make no sense (closing before opening) count every hour."""
    seconds = int(round(float(hours) * 3600))
    opens, closes = _time_setting("shop_opens"), _time_setting("shop_closes")
    if seconds <= 0:
        return start
    if closes <= opens:
        return start + dt.timedelta(seconds=seconds)
    t = start
    while True:
        day_open, day_close = dt.datetime.combine(t.date(), opens), dt.datetime.combine(t.date(), closes)
        if t < day_open:
            t = day_open
        if t >= day_close:
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), opens)
            continue
        left = int((day_close - t).total_seconds())
        if seconds <= left:
            return t + dt.timedelta(seconds=seconds)
        seconds -= left
        t = dt.datetime.combine(t.date() + dt.timedelta(days=1), opens)


# --- what the dispatcher asks for ------------------------------------------------------------------

@dataclass(frozen=True)
class TradePlan:
    """One trade of an order: the bay it goes to and its team (the lead first)."""
    trade: str
    bay_id: int
    technician_ids: tuple[int, ...]
    lead_id: int | None = None  # None: the first technician leads
    hours: Decimal | None = None  # the dispatcher's estimate of the bay time; None: the lines' standard hours

    @property
    def team(self) -> tuple[int, ...]:
        ids = tuple(dict.fromkeys(self.technician_ids))
        if self.lead_id is not None and self.lead_id in ids:
            return (self.lead_id,) + tuple(i for i in ids if i != self.lead_id)
        if self.lead_id is not None:
            return (self.lead_id,) + ids
        return ids


def _open_trades(lines: list[JobLine]) -> list[str]:
    """The trades with unfinished lines, in the order their first line was added."""
    return list(dict.fromkeys(line.trade for line in lines if line.status != "finished"))


def _bay_taken(bay: Bay, order_id: int) -> int:
    return (RepairOrder.select().where((RepairOrder.bay == bay.id) & RepairOrder.state.in_(BAY_STATES)
                                       & (RepairOrder.id != order_id)).count())


def _check_room(bay: Bay, order_id: int, where: str | None = None) -> None:
    taken = _bay_taken(bay, order_id)
    if taken >= bay.capacity:
        raise IllegalTransition(_("Bay {bay} is full ({taken} of {capacity} places taken).").format(
            bay=bay.code, taken=taken, capacity=bay.capacity), where)


def _mismatch_message(bay: Bay, trade: str) -> str:
    return _("Bay {bay} is for {kind} work: it does not take {trade} work. A supervisor may allow it with a "
             "reason.").format(bay=bay.code, kind=label(BAY_KIND_LABELS, bay.kind), trade=label(TRADE_LABELS, trade))


def _bay_plans(bay: Bay, order_id: int, now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The planned (start, end) of the open work of other active orders in the bay that has not ended."""
    return sorted((_as_dt(start), _as_dt(end)) for start, end in (
        TradeDispatch.select(TradeDispatch.planned_start, TradeDispatch.planned_end)
        .join(RepairOrder, on=(TradeDispatch.order == RepairOrder.id))
        .where((TradeDispatch.bay == bay.id) & (TradeDispatch.order != order_id)
               & (TradeDispatch.planned_end > now) & RepairOrder.state.in_(list(ACTIVE_STATES))
               & fn.EXISTS(JobLine.select(JobLine.id).where(
                   (JobLine.order == TradeDispatch.order) & (JobLine.trade == TradeDispatch.trade)
                   & (JobLine.status != "finished"))))
        .tuples()))


def _first_fit(plans: list[tuple[dt.datetime, dt.datetime]], capacity: int, earliest: dt.datetime,
               hours: Decimal) -> dt.datetime:
    """The first start from ``earliest`` at which ``hours`` of work fit in the bay beside its other planned
    work, ``capacity`` places at a time: a gap before work planned later is used (a car that needs half an
    hour does not wait behind tomorrow's respray), else it starts when enough places free."""
    start = earliest
    for _step in range(len(plans) + 1):
        end = add_working_hours(start, hours)
        if end <= start:
            end = start + dt.timedelta(seconds=1)  # (no hours: it still needs its place for a moment)
        overlapping = [(s, e) for s, e in plans if s < end and e > start]
        # the most places taken at once in [start, end): counted at each start inside it, and at its start
        moments = [start] + [s for s, _e in overlapping if s > start]
        if max(sum(1 for s, e in overlapping if s <= m < e) for m in moments) < capacity:
            return start
        start = max(start, min(e for _s, e in overlapping))
    return start


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _replan(order_id: int, now: dt.datetime, *, keep_started: bool = True) -> None:
    """Planned start and end of each trade with open work, one after the other (inside a transaction)."""
    stages = list(TradeDispatch.select().where(TradeDispatch.order == order_id).order_by(TradeDispatch.position))
    hours: dict[str, Decimal] = {}
    started: dict[str, dt.datetime] = {}
    for trade, std, status, started_at in (JobLine.select(JobLine.trade, JobLine.standard_hours, JobLine.status,
                                                          JobLine.started_at)
                                           .where(JobLine.order == order_id).tuples()):
        if status != "finished":
            hours[trade] = hours.get(trade, ZERO) + Decimal(str(std or 0))
            if started_at is not None:
                first = _as_dt(started_at)
                started[trade] = min(started.get(trade, first), first)
    bays = {b.id: b for b in Bay.select().where(Bay.id.in_([s.bay_id for s in stages] or [0]))}
    previous_end = now
    for stage in stages:
        if stage.trade not in hours:
            continue  # its work is finished: its times are what happened
        if keep_started and stage.trade in started:
            start = min(_as_dt(stage.planned_start), started[stage.trade])
        else:
            planned = Decimal(str(stage.estimated_hours)) if stage.estimated_hours is not None else hours[stage.trade]
            bay = bays[stage.bay_id]
            start = _first_fit(_bay_plans(bay, order_id, now), bay.capacity, previous_end, planned)
        planned = Decimal(str(stage.estimated_hours)) if stage.estimated_hours is not None else hours[stage.trade]
        end = add_working_hours(start, planned)
        TradeDispatch.update(planned_start=start, planned_end=end, planned_hours=planned).where(
            TradeDispatch.id == stage.id).execute()
        previous_end = max(previous_end, end)


def _next_after(order_id: int, current_bay: int | None) -> int | None:
    """The bay of the first trade with open work that is not in ``current_bay``."""
    open_trades = {t for (t,) in JobLine.select(JobLine.trade).where(
        (JobLine.order == order_id) & (JobLine.status != "finished")).tuples()}
    for trade, bay in (TradeDispatch.select(TradeDispatch.trade, TradeDispatch.bay)
                       .where(TradeDispatch.order == order_id).order_by(TradeDispatch.position).tuples()):
        if trade in open_trades and bay != current_bay:
            return bay
    return None


def _team_names(ids) -> dict[int, str]:
    return dict(Staff.select(Staff.id, Staff.name).where(Staff.id.in_(list(ids) or [0])).tuples())


def field(name: str, trade: str) -> str:
    """The name of one trade's field in the dispatch form, as a refusal names it: ``bay-paint``."""
    return f"{name}-{trade}"


def _hours(value, trade: str) -> Decimal | None:
    """The dispatcher's estimate of a trade's bay time: blank for the standard hours, never negative."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    # validation reads what was typed (1e30, NaN and forty digits are refused there, before Decimal sees them).
    return validation.decimal(value, field("hours", trade), _("Estimated hours"), maximum=MAX_HOURS)


def apply_plans(order: RepairOrder, plans: list[TradePlan], *, by: Staff, reason: str | None) -> RepairOrder:
    """Dispatch the order's trades as planned (inside a transaction, ``by`` already checked for
    'dispatch'); returns the changed order."""
    if order.state not in DISPATCHABLE:
        raise IllegalTransition(_("{order} is past the workshop: it cannot be dispatched now.").format(
            order=order.label))
    lines = list(JobLine.select().where(JobLine.order == order.id).order_by(JobLine.id))
    if not lines:
        raise IllegalTransition(_("{order} has no job lines to dispatch.").format(order=order.label))
    open_trades = _open_trades(lines)
    if not open_trades:
        raise IllegalTransition(_("Every job line of {order} is finished: there is nothing to dispatch.").format(
            order=order.label))
    plans = [replace(p, hours=_hours(p.hours, p.trade)) for p in plans]
    asked = [p.trade for p in plans]
    if len(set(asked)) != len(asked):
        raise InvalidInput(_("Each trade goes to one bay."), "trades")
    unknown = [t for t in asked if t not in open_trades]
    if unknown:
        raise InvalidInput(_("{order} has no open {trade} work.").format(
            order=order.label, trade=label(TRADE_LABELS, unknown[0])), "trades")
    missing = [t for t in open_trades if t not in asked]
    if missing:
        raise InvalidInput(_("The {trade} work of {order} needs a bay and a team too.").format(
            trade=label(TRADE_LABELS, missing[0]), order=order.label), "trades")
    # A car is dispatched to its own shop's bays only (a bay id of another shop is refused like an unknown one).
    bays = {b.id: b for b in Bay.select().where(Bay.id.in_([p.bay_id for p in plans]) & Bay.active
                                                 & (Bay.shop == order.shop_id))}
    team_ids = {i for p in plans for i in p.team}
    staff = {s.id: s for s in Staff.select().where(Staff.id.in_(list(team_ids) or [0]) & Staff.active)}
    mismatched = []
    for plan in plans:
        if plan.bay_id not in bays:
            raise NotFound(_("That bay does not exist or is out of service."), field("bay", plan.trade))
        if not plan.team:
            raise InvalidInput(_("Pick at least one technician for the {trade} work.").format(
                trade=label(TRADE_LABELS, plan.trade)), field("technicians", plan.trade))
        if any(i not in staff or not staff[i].has_role("technician") for i in plan.team):
            raise InvalidInput(_("Only active technicians can be dispatched."), field("technicians", plan.trade))
        if not fits(bays[plan.bay_id].kind, plan.trade):
            mismatched.append(plan)
    if mismatched:
        if not reason:
            bay = bays[mismatched[0].bay_id]
            raise InvalidInput(_mismatch_message(bay, mismatched[0].trade), field("bay", mismatched[0].trade))
        by = require(by, "dispatch_mismatch")
    here = bays[plans[0].bay_id]
    if order.bay_id != here.id:
        Bay.by_id(here.id, lock=True)  # two dispatchers filling the last place: one at a time (PostgreSQL)
        _check_room(here, order.id, field("bay", plans[0].trade))
    now = clock.now()

    open_lines = [line for line in lines if line.status != "finished"]
    before = {}
    for line_id, tech_id in (JobLineTechnician.select(JobLineTechnician.line, JobLineTechnician.technician)
                             .where(JobLineTechnician.line.in_([line.id for line in open_lines]))
                             .order_by(JobLineTechnician.lead.desc(), JobLineTechnician.id).tuples()):
        before.setdefault(line_id, []).append(tech_id)
    JobLineTechnician.delete().where(JobLineTechnician.line.in_([line.id for line in open_lines])).execute()
    by_trade = {p.trade: p for p in plans}
    rows = []
    for line in open_lines:
        for i, tech_id in enumerate(by_trade[line.trade].team):
            rows.append({"line": line.id, "technician": tech_id, "lead": i == 0})
    JobLineTechnician.insert_many(rows).execute()

    done_positions = [p for (p,) in TradeDispatch.select(TradeDispatch.position).where(
        (TradeDispatch.order == order.id) & TradeDispatch.trade.not_in(open_trades)).tuples()]
    TradeDispatch.delete().where((TradeDispatch.order == order.id) & TradeDispatch.trade.in_(open_trades)).execute()
    first = max(done_positions, default=0) + 1
    for i, plan in enumerate(plans):
        bay = bays[plan.bay_id]
        fit = fits(bay.kind, plan.trade)
        TradeDispatch.create(order=order.id, trade=plan.trade, position=first + i, bay=bay.id, lead=plan.team[0],
                             planned_start=now, planned_end=now, estimated_hours=plan.hours,
                             mismatch_reason=None if fit else reason, allowed_by=None if fit else by.id,
                             dispatched_by=by.id, dispatched_at=now)
        if not fit:
            audit.record(by, "bay_mismatch_allowed", "repair_order", order.id,
                         Phrase(N_("{order}: {trade} work put in {kind} bay {bay} by {name}: {reason}"),
                                order=order.label, trade=label(TRADE_LABELS, plan.trade),
                                kind=label(BAY_KIND_LABELS, bay.kind), bay=bay.code, name=by.name, reason=reason),
                         order_id=order.id, after={"trade": plan.trade, "bay": bay.id, "reason": reason})
    _replan(order.id, now)
    later = _next_after(order.id, here.id)
    route = _route(plans, bays, _team_names(team_ids))
    extra = {"bay": here.id, "next_bay": later, "dispatcher": by.id, "dispatched_at": now}
    if order.state == CHECKED_IN:
        order = apply_transition(order, "dispatch", by=by, extra=extra, note=route)
    else:
        order = save(order, extra, by=by, kind="redispatch",
                     summary=Phrase(N_("{order} was re-dispatched to {route}"), order=order.label, route=route))
    audit.record(by, "technicians_set", "repair_order", order.id,
                 Phrase(N_("Technicians: {route}"), route=route), order_id=order.id,
                 before={"lines": {str(k): v for k, v in before.items()}},
                 after={"trades": {p.trade: {"bay": p.bay_id, "team": list(p.team)} for p in plans}})
    return order


def _route(plans: list[TradePlan], bays: dict[int, Bay], names: dict[int, str]) -> str:
    """"bay M1, Xu Gang" for one bay and team; "M1 (mechanical: Xu Gang) → P1 (paint: Cao Yu)" otherwise."""
    if len({(p.bay_id, p.team) for p in plans}) == 1:
        return _("bay {bay}, {names}").format(bay=bays[plans[0].bay_id].code,
                                              names=", ".join(names[i] for i in plans[0].team))
    return " → ".join(_("{bay} ({trade}: {names})").format(
        bay=bays[p.bay_id].code, trade=label(TRADE_LABELS, p.trade), names=", ".join(names[i] for i in p.team))
        for p in plans)


def dispatch_trades(order_id: int, plans: list[TradePlan], *, by, seen_version: int | None = None,
                    reason: str | None = None) -> RepairOrder:
    """Dispatch an order per trade: each trade with open work to its bay and team, in the order the car
    goes through them. ``reason``: why a bay of another kind is used (supervisors and managers only)."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "dispatch")
        order = load_for_change(order_id, seen_version)
        return apply_plans(order, list(plans), by=by, reason=reason)

    return run_write(work)


def redispatch_line(line_id: int, technician_ids: list[int], *, by, lead_id: int | None = None,
                    seen_version: int | None = None) -> RepairOrder:
    """Give one job line another team (the lead first), leaving the other lines as they are."""
    plan = TradePlan("", 0, tuple(technician_ids), lead_id)
    if not plan.team:
        raise InvalidInput(_("Pick at least one technician."), "technicians")

    def work():
        nonlocal by
        by = require(by, "dispatch")
        line = JobLine.get_or_none(JobLine.id == line_id)
        if line is None:
            raise NotFound(_("That job line does not exist."))
        order = load_for_change(line.order_id, seen_version)
        if order.state not in (DISPATCHED, IN_PROGRESS, WAITING_PARTS):
            raise IllegalTransition(_("{order} is not in the workshop: dispatch the order first.").format(
                order=order.label))
        if line.status == "finished":
            raise IllegalTransition(_("'{line}' is already finished.").format(line=line.name))
        staff = {s.id: s for s in Staff.select().where(Staff.id.in_(list(plan.team)) & Staff.active)}
        if any(i not in staff or not staff[i].has_role("technician") for i in plan.team):
            raise InvalidInput(_("Only active technicians can be dispatched."), "technicians")
        before = [t for (t,) in JobLineTechnician.select(JobLineTechnician.technician)
                  .where(JobLineTechnician.line == line.id).order_by(JobLineTechnician.lead.desc()).tuples()]
        JobLineTechnician.delete().where(JobLineTechnician.line == line.id).execute()
        JobLineTechnician.insert_many([{"line": line.id, "technician": t, "lead": i == 0}
                                       for i, t in enumerate(plan.team)]).execute()
        names = ", ".join(staff[i].name for i in plan.team)
        return save(order, {}, by=by, kind="line_redispatched",
                    summary=Phrase(N_("{order}: '{line}' re-dispatched to {names}"),
                                   order=order.label, line=line.name, names=names),
                    detail={"line": line.id, "before": before, "technicians": list(plan.team)})

    return run_write(work)


def move_to_next_bay(order_id: int, *, by, seen_version: int | None = None) -> RepairOrder:
    """The car goes on to the bay of its next trade (mechanical done, on to paint)."""

    def work():
        nonlocal by
        by = require(by, "dispatch")
        order = load_for_change(order_id, seen_version)
        if order.state not in (DISPATCHED, IN_PROGRESS, WAITING_PARTS):
            raise IllegalTransition(_("{order} is not in a bay.").format(order=order.label))
        stages = {trade: bay for trade, bay in TradeDispatch.select(TradeDispatch.trade, TradeDispatch.bay)
                  .where(TradeDispatch.order == order.id).tuples()}
        here = [name for trade, name, status in (JobLine.select(JobLine.trade, JobLine.name, JobLine.status)
                                                .where(JobLine.order == order.id).tuples())
                if status != "finished" and stages.get(trade) == order.bay_id]
        target = _next_after(order.id, order.bay_id)
        if target is None:
            raise IllegalTransition(_("{order} has no further bay to go to: when its work is finished it goes "
                                      "to QC.").format(order=order.label))
        if here:
            raise IllegalTransition(_unfinished_here(order.label, here))
        bay = Bay.by_id(target, lock=True)  # (as in a dispatch: the last place is taken once)
        if not bay.active:
            raise IllegalTransition(_("Bay {bay} is out of service: dispatch the work to another bay.").format(
                bay=bay.code))
        _check_room(bay, order.id)
        now = clock.now()
        old = Bay.get_or_none(Bay.id == order.bay_id)
        later = _next_after(order.id, bay.id)
        _replan(order.id, now, keep_started=True)
        return save(order, {"bay": bay.id, "next_bay": later}, by=by, kind="bay_moved",
                    summary=Phrase(N_("{order} moved from bay {old} to bay {new}"),
                                   order=order.label, old=old.code if old else "-", new=bay.code))

    return run_write(work)


def _unfinished_here(order_label: str, names: list[str]) -> str:
    from workshop.i18n import ngettext
    shown = ", ".join(f"'{n}'" for n in names[:3])
    return ngettext("{order} cannot move on: {n} job line in this bay is not finished ({lines}).",
                    "{order} cannot move on: {n} job lines in this bay are not finished ({lines}).",
                    len(names)).format(order=order_label, n=len(names), lines=shown)


def _undispatched(order: RepairOrder, by) -> None:
    """Taken back to waiting for dispatch: its trades are in no bay any more (the transition clears the
    order's bays)."""
    TradeDispatch.delete().where(TradeDispatch.order == order.id).execute()


add_after("undispatch", _undispatched)


# --- what the dispatch form and the order screen show ------------------------------------------------

@dataclass(frozen=True)
class PlanLine:
    id: int
    code: str
    name: str
    status: str
    standard_hours: Decimal
    technicians: tuple[int, ...]  # the lead first


@dataclass(frozen=True)
class TradeRow:
    trade: str
    lines: tuple[PlanLine, ...]
    open_hours: Decimal
    done: bool                    # every line finished
    bay_id: int | None            # as dispatched now (None: not yet)
    lead_id: int | None
    technicians: tuple[int, ...]  # of its open lines, the lead first
    suggested_bay_id: int | None  # a bay of a kind that takes the trade, with room if any has
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    mismatch_reason: str | None


@dataclass(frozen=True)
class BayChoice:
    id: int
    code: str
    name: str
    kind: str
    capacity: int
    taken: int
    takes: frozenset[str]

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


@dataclass(frozen=True)
class TechnicianChoice:
    id: int
    name: str
    trade: str | None
    open_lines: int


@dataclass(frozen=True)
class DispatchPlan:
    order_id: int
    number: int
    version: int
    state: str
    plate: str
    promised_at: dt.datetime
    bay_id: int | None
    next_bay_id: int | None
    trades: tuple[TradeRow, ...]  # in the order the car goes through them (dispatched ones first)
    bays: tuple[BayChoice, ...]
    technicians: tuple[TechnicianChoice, ...]
    tool_warnings: tuple = ()  # workshop.tools.ToolWarning of the lines' operations

    def bay(self, bay_id: int | None) -> BayChoice | None:
        return next((b for b in self.bays if b.id == bay_id), None)


def plan_view(order_id: int) -> DispatchPlan:
    """What the dispatch form needs for one order: its trades with their lines and teams, the bays (with
    what each takes and how full it is), the technicians with their load, and the tools its operations need
    that are out, broken or overdue."""
    from models.people import Vehicle
    from workshop import tools
    from workshop.dispatch import technician_loads
    row = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.version, RepairOrder.state,
                              Vehicle.plate, RepairOrder.promised_at, RepairOrder.bay, RepairOrder.next_bay)
           .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id)).where(RepairOrder.id == order_id).tuples().first())
    if row is None:
        raise NotFound(_("Repair order #{id} does not exist.").format(id=order_id))
    lines = list(JobLine.select(JobLine.id, JobLine.code, JobLine.name, JobLine.trade, JobLine.status,
                                JobLine.standard_hours, JobLine.operation)
                 .where(JobLine.order == order_id).order_by(JobLine.id).tuples())
    teams: dict[int, list[int]] = {}
    for line_id, tech in (JobLineTechnician.select(JobLineTechnician.line, JobLineTechnician.technician)
                          .where(JobLineTechnician.line.in_([r[0] for r in lines] or [0]))
                          .order_by(JobLineTechnician.lead.desc(), JobLineTechnician.id).tuples()):
        teams.setdefault(line_id, []).append(tech)
    stages = {s.trade: s for s in TradeDispatch.select().where(TradeDispatch.order == order_id)}
    shop = RepairOrder.select(RepairOrder.shop).where(RepairOrder.id == order_id).scalar()
    bay_rows = list(Bay.select().where(Bay.active & (Bay.shop == shop)).order_by(Bay.code))  # the order's shop's
    taken: dict[int, int] = dict(RepairOrder.select(RepairOrder.bay, fn.COUNT(RepairOrder.id))
                                 .where(RepairOrder.state.in_(list(BAY_STATES)) & RepairOrder.bay.is_null(False)
                                        & (RepairOrder.id != order_id))
                                 .group_by(RepairOrder.bay).tuples())
    bays = tuple(BayChoice(b.id, b.code, local(b.name, b.name_zh), b.kind, b.capacity, taken.get(b.id, 0),
                           BAY_TAKES.get(b.kind, frozenset({b.kind}))) for b in bay_rows)
    trades: dict[str, list] = {}
    for line_id, code, name, trade, status, std, _op in lines:
        trades.setdefault(trade, []).append(PlanLine(line_id, code, name, status, Decimal(str(std or 0)),
                                                     tuple(teams.get(line_id, ()))))
    rows = []
    for trade, plan_lines in trades.items():
        stage = stages.get(trade)
        open_lines = [pl for pl in plan_lines if pl.status != "finished"]
        team = tuple(dict.fromkeys(t for pl in open_lines for t in pl.technicians))
        rows.append(TradeRow(
            trade=trade, lines=tuple(plan_lines), open_hours=sum((pl.standard_hours for pl in open_lines), ZERO),
            done=not open_lines, bay_id=stage.bay_id if stage else None,
            lead_id=stage.lead_id if stage else (team[0] if team else None), technicians=team,
            suggested_bay_id=_suggest(bays, trade, stage.bay_id if stage else None),
            planned_start=_as_dt(stage.planned_start) if stage else None,
            planned_end=_as_dt(stage.planned_end) if stage else None,
            mismatch_reason=stage.mismatch_reason if stage else None))
    rows.sort(key=lambda r: (stages[r.trade].position if r.trade in stages else 10_000))
    techs = tuple(TechnicianChoice(t.id, t.name, t.trade, t.open_lines)
                  for t in technician_loads(shop if shops.is_group() else None))  # who works in the order's shop
    warnings = tuple(tools.warnings_for_lines([r[0] for r in lines if r[4] != "finished"]))
    return DispatchPlan(row[0], row[1], row[2], row[3], row[4], _as_dt(row[5]), row[6], row[7], tuple(rows), bays,
                        techs, warnings)


def _suggest(bays: tuple[BayChoice, ...], trade: str, current: int | None) -> int | None:
    if current is not None:
        return current
    fitting = [b for b in bays if trade in b.takes]
    own_kind = [b for b in fitting if b.kind == trade] or fitting
    with_room = [b for b in own_kind if b.free > 0] or [b for b in fitting if b.free > 0] or own_kind
    return with_room[0].id if with_room else None


@dataclass(frozen=True)
class Stage:
    """One trade of an order on its way through the bays, as the order screen and the card say it."""
    trade: str
    bay: str
    lead: str | None
    planned_start: dt.datetime
    planned_end: dt.datetime
    state: str  # done, here (the car is in its bay), waiting (a later bay)


def stages(order_id: int) -> list[Stage]:
    """The order's trades in the order the car goes through their bays (three queries)."""
    order = RepairOrder.by_id(order_id)
    if order is None:
        raise NotFound(_("Repair order #{id} does not exist.").format(id=order_id))
    open_trades = {t for (t,) in JobLine.select(JobLine.trade).where(
        (JobLine.order == order_id) & (JobLine.status != "finished")).tuples()}
    result = []
    for trade, code, lead, start, end, bay_id in (
            TradeDispatch.select(TradeDispatch.trade, Bay.code, Staff.name, TradeDispatch.planned_start,
                                 TradeDispatch.planned_end, TradeDispatch.bay)
            .join(Bay, on=(TradeDispatch.bay == Bay.id)).switch(TradeDispatch)
            .join(Staff, JOIN.LEFT_OUTER, on=(TradeDispatch.lead == Staff.id))
            .where(TradeDispatch.order == order_id).order_by(TradeDispatch.position).tuples()):
        state = "done" if trade not in open_trades else ("here" if bay_id == order.bay_id else "waiting")
        result.append(Stage(trade, code, lead, _as_dt(start), _as_dt(end), state))
    return result


__all__ = ["BAY_TAKES", "fits", "field", "add_working_hours", "TradePlan", "apply_plans", "dispatch_trades",
           "redispatch_line", "move_to_next_bay", "plan_view", "DispatchPlan", "TradeRow", "BayChoice",
           "TechnicianChoice", "PlanLine", "stages", "Stage"]
