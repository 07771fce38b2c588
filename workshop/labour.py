"""Labour figures (工时统计) per technician, trade, advisor and the whole shop for a period.

Definitions (the shop's, stated once):
- **hours sold**: billed hours of the labour lines on orders invoiced in the period (a void counts
  negative on its own day); a line worked by several technicians is shared equally among them;
- **labour revenue**: what those lines were charged (after their discounts, before the bill's extra
  discount and tax), as the invoice's snapshot of the bill says; for history settled without one, the
  invoice's labour charged shared over its lines by billed amount;
- **hours clocked**: technicians' clock records on job lines, the part of each inside the period;
- **hours present**: technicians' shifts (clocked in and out at the terminal), the part inside the period;
- **efficiency** = sold / clocked; **productivity** = clocked / present; **effective labour rate** =
  revenue / hours clocked; **commission** (提成) = revenue x the trade's percentage (setting
  ``labour_commission_pct``: {"*": "5", "paint": "6"});
- per trade: sold, clocked and revenue by the line's trade, present hours by the technician's trade;
  per advisor: the advisor's orders (no hours present);
- rework and comebacks come from the QC and comeback records of the period, counted as the quality
  figures count them (workshop/quality.py): a reworked order against the technician QC named responsible
  and the order's advisor; a comeback (arrived in the period) against the technician of the failed line and
  the advisor of the first visit.

Closed days are computed once from the invoices, clock records and shifts and kept (LabourDay, one row
per day, technician, trade and advisor); today is always computed live. A change to a closed day's facts
(a supervisor recording a forgotten shift) forgets that day, which is computed again when next asked for.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from peewee import JOIN, IntegrityError, fn

from models.db import db, run_write
from models.labour import LabourDay, LabourDayDone
from models.orders import JobLine, JobLineTechnician, RepairOrder, TimeLog
from models.people import TRADE_LABELS, Staff
from models.settlement import Settlement
from models.shopfloor import Shift
from workshop import clock, settings
from workshop.errors import InvalidInput
from workshop.i18n import _
from workshop.permissions import require

ZERO = Decimal("0")
CENT = Decimal("0.01")
HOUR = Decimal(3600)
DAY = dt.timedelta(days=1)
Key = tuple  # (day, technician_id | None, trade, advisor_id | None)


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    return dt.date.fromisoformat(str(value)[:10])


@dataclass
class Fact:
    sold_hours: Decimal = ZERO
    revenue: Decimal = ZERO
    clocked_seconds: int = 0
    present_seconds: int = 0

    def add(self, other: "Fact") -> None:
        self.sold_hours += other.sold_hours
        self.revenue += other.revenue
        self.clocked_seconds += other.clocked_seconds
        self.present_seconds += other.present_seconds


def _shares(total: Decimal, count: int, quantum: Decimal) -> list[Decimal]:
    """``total`` in ``count`` equal shares to ``quantum``; what rounding leaves goes to the first (the lead)."""
    share = (total / count).quantize(quantum, rounding=ROUND_HALF_UP)
    return [total - share * (count - 1)] + [share] * (count - 1)


def _line_revenues(lines: list[tuple[int, Decimal, Decimal]], labor_charged: Decimal, snapshot: str | None
                   ) -> dict[int, Decimal]:
    """What each labour line (id, billed hours, rate) was charged on one invoice."""
    if snapshot:
        try:
            charged = [Decimal(x["charged"]) for x in json.loads(snapshot).get("lines", []) if x.get("section") == "labor"]
        except (ValueError, KeyError, TypeError, ArithmeticError):
            charged = []
        if len(charged) == len(lines):
            return {line_id: amount for (line_id, _, _), amount in zip(lines, charged)}
    billed = [(line_id, (hours * rate).quantize(CENT, rounding=ROUND_HALF_UP)) for line_id, hours, rate in lines]
    whole = sum((b for _, b in billed), ZERO)
    if not billed:
        return {}
    if whole == 0:
        return dict(zip([i for i, _ in billed], _shares(labor_charged, len(billed), CENT)))
    result, given = {}, ZERO
    for line_id, amount in billed[:-1]:
        result[line_id] = (labor_charged * amount / whole).quantize(CENT, rounding=ROUND_HALF_UP)
        given += result[line_id]
    result[billed[-1][0]] = labor_charged - given
    return result


def _raw(query) -> list[tuple]:
    """The query's rows as the driver gives them: a month of invoices and their lines is 100,000 rows, and
    turning each value into a Python type through Peewee cost four times the query (values are converted
    here only where they are used)."""
    return db.execute_sql(*query.sql()).fetchall()


def _moment(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


_DECIMALS: dict = {}


def _dec(value) -> Decimal:
    """A stored hours or money value as a Decimal (SQLite hands back floats and ints, PostgreSQL Decimals)."""
    if isinstance(value, Decimal):
        return value
    found = _DECIMALS.get(value)
    if found is None:
        found = Decimal(str(value or 0)).quantize(CENT)
        if len(_DECIMALS) < 10_000:
            _DECIMALS[value] = found
    return found


def _sold(start: dt.datetime, end: dt.datetime, facts: dict[Key, Fact]) -> None:
    in_period = (Settlement.at >= start) & (Settlement.at < end)
    invoices = _raw(Settlement.select(Settlement.order, Settlement.kind, Settlement.at, Settlement.labor_charged,
                                      Settlement.lines_json, Settlement.reverses, RepairOrder.advisor)
                    .join(RepairOrder, on=(Settlement.order == RepairOrder.id)).where(in_period))
    if not invoices:
        return
    reversed_ids = [r[5] for r in invoices if r[1] == "void" and r[5]]
    originals = {i: (_dec(lc), snap) for i, lc, snap in _raw(
        Settlement.select(Settlement.id, Settlement.labor_charged, Settlement.lines_json)
        .where(Settlement.id.in_(reversed_ids)))} if reversed_ids else {}
    lines: dict[int, list] = {}
    teams: dict[int, list] = {}
    for line_id, order_id, trade, hours, rate, tech in _raw(
            JobLine.select(JobLine.id, JobLine.order, JobLine.trade, JobLine.billed_hours, JobLine.rate,
                           JobLineTechnician.technician)
            .join(JobLineTechnician, JOIN.LEFT_OUTER, on=(JobLineTechnician.line == JobLine.id))
            .where(JobLine.order.in_(Settlement.select(Settlement.order).where(in_period)))
            .order_by(JobLine.id, JobLineTechnician.lead.desc(), JobLineTechnician.id)):
        team = teams.get(line_id)
        if team is None:
            teams[line_id] = [tech]
            lines.setdefault(order_id, []).append((line_id, trade, _dec(hours), _dec(rate)))
        else:
            team.append(tech)
    for order_id, kind, at, labor_charged, snapshot, reverses, advisor in invoices:
        sign = -1 if kind == "void" else 1
        charged = _dec(labor_charged)
        if kind == "void":  # the lines as the voided invoice charged them, counted negative
            charged, snapshot = originals.get(reverses, (-charged, None))
        own = lines.get(order_id, [])
        if not own:
            continue
        if len(own) == 1 and not snapshot:
            revenues = {own[0][0]: charged}
        else:
            revenues = _line_revenues([(i, h, r) for i, _, h, r in own], charged, snapshot)
        day = _moment(at).date()
        for line_id, trade, hours, _rate in own:
            team = teams[line_id]
            money = revenues.get(line_id, ZERO)
            if len(team) == 1:
                shares = ((team[0], hours, money),)
            else:
                shares = zip(team, _shares(hours, len(team), CENT), _shares(money, len(team), CENT))
            for tech, h, m in shares:
                fact = facts.get((day, tech, trade, advisor))
                if fact is None:
                    fact = facts[(day, tech, trade, advisor)] = Fact()
                fact.sold_hours += h * sign
                fact.revenue += m * sign


def _spread(begin: dt.datetime, finish: dt.datetime, start: dt.datetime, end: dt.datetime):
    """(day, seconds) of the part of [begin, finish) inside [start, end), day by day."""
    begin, finish = max(begin, start), min(finish, end)
    if begin >= finish:
        return ()
    if begin.date() == finish.date():
        return ((begin.date(), int((finish - begin).total_seconds())),)
    parts = []
    while begin < finish:
        stop = min(finish, dt.datetime.combine(begin.date() + DAY, dt.time()))
        parts.append((begin.date(), int((stop - begin).total_seconds())))
        begin = stop
    return parts


def _clocked(start: dt.datetime, end: dt.datetime, now: dt.datetime, facts: dict[Key, Fact]) -> None:
    for tech, began, ended, trade, advisor in _raw(
            TimeLog.select(TimeLog.technician, TimeLog.started_at, TimeLog.ended_at, JobLine.trade, RepairOrder.advisor)
            .join(JobLine, on=(TimeLog.line == JobLine.id)).join(RepairOrder, on=(JobLine.order == RepairOrder.id))
            .where((TimeLog.ended_at.is_null() | (TimeLog.ended_at > start)) & (TimeLog.started_at < end))):
        for day, seconds in _spread(_moment(began), _moment(ended) or now, start, end):
            key = (day, tech, trade, advisor)
            fact = facts.get(key)
            if fact is None:
                fact = facts[key] = Fact()
            fact.clocked_seconds += seconds


def _present(start: dt.datetime, end: dt.datetime, now: dt.datetime, facts: dict[Key, Fact]) -> None:
    for tech, began, ended, trade in _raw(
            Shift.select(Shift.technician, Shift.started_at, Shift.ended_at, Staff.trade)
            .join(Staff, on=(Shift.technician == Staff.id))
            .where((Shift.ended_at.is_null() | (Shift.ended_at > start)) & (Shift.started_at < end))):
        for day, seconds in _spread(_moment(began), _moment(ended) or now, start, end):
            facts.setdefault((day, tech, trade or "", None), Fact()).present_seconds += seconds


def facts(start: dt.datetime, end: dt.datetime) -> dict[Key, Fact]:
    """The labour facts of [start, end) from the invoices, clock records and shifts, per day, technician,
    trade and advisor (five queries)."""
    now = clock.now()
    found: dict[Key, Fact] = {}
    _sold(start, end, found)
    _clocked(start, min(end, max(now, start)), now, found)
    _present(start, min(end, max(now, start)), now, found)
    return found


# --- closed days kept ------------------------------------------------------------------------------------

def forget_days(days) -> None:
    """Inside a transaction that changed these days' facts: they are computed again when next asked for."""
    days = [d for d in days if d is not None]
    if days:
        LabourDay.delete().where(LabourDay.day.in_(days)).execute()
        LabourDayDone.delete().where(LabourDayDone.day.in_(days)).execute()


def _missing_days(first: dt.date, last: dt.date) -> list[dt.date]:
    done = {_as_date(d) for (d,) in LabourDayDone.select(LabourDayDone.day)
            .where((LabourDayDone.day >= first) & (LabourDayDone.day <= last)).tuples()}
    days, day = [], first
    while day <= last:
        if day not in done:
            days.append(day)
        day += DAY
    return days


def _last_correction() -> int:
    """The newest event that forgets kept days (a shift recorded by hand): kept days computed before it may
    be stale."""
    from models.events import Event
    return Event.select(fn.MAX(Event.id)).where(Event.kind == "shift_recorded").scalar() or 0


def keep_closed_days(first: dt.date, last: dt.date) -> int:
    """Compute and keep the closed days in [first, last] not kept yet (before today only); returns how many.
    The days are computed with no lock held (a month of the large shop takes about a second) and written
    in one short transaction, unless a correction came in meanwhile (then they are computed next time)."""
    last = min(last, clock.today() - DAY)
    if last < first:
        return 0
    missing = _missing_days(first, last)
    if not missing:
        return 0
    seen = _last_correction()
    found = facts(dt.datetime.combine(missing[0], dt.time()), dt.datetime.combine(missing[-1] + DAY, dt.time()))

    def work():
        still = set(_missing_days(missing[0], missing[-1])) & set(missing)  # another terminal may have kept some
        if not still or _last_correction() != seen:
            return 0
        rows = [{"day": day, "technician": tech, "trade": trade, "advisor": advisor, "sold_hours": f.sold_hours,
                 "revenue": f.revenue, "clocked_seconds": f.clocked_seconds, "present_seconds": f.present_seconds}
                for (day, tech, trade, advisor), f in found.items() if day in still]
        for i in range(0, len(rows), 500):
            LabourDay.insert_many(rows[i:i + 500]).execute()
        now = clock.now()
        LabourDayDone.insert_many([{"day": day, "computed_at": now} for day in sorted(still)]).execute()
        return len(still)

    try:
        return run_write(work)
    except IntegrityError:  # another terminal kept the same days at the same moment (PostgreSQL)
        return 0


def keep_recent_days(*, by=None) -> int:
    """A time-driven rule (workshop/daily.py): the last 35 closed days are kept, so whoever looks at the
    figures first in the morning does not wait for yesterday to be computed."""
    today = clock.today()
    return keep_closed_days(today - dt.timedelta(days=35), today - DAY)


def _kept(first: dt.date, last: dt.date, *, by_day: bool, technician_id: int | None = None,
          days_only: bool = False) -> dict[Key, Fact]:
    """The kept days' facts summed per technician, trade and advisor (and per day when ``by_day``): a few
    hundred rows for a month. ``days_only``: one row a day (a trend needs no more; 12 weeks of the large
    shop are 84 rows instead of some 100,000)."""
    group = [] if days_only else [LabourDay.technician, LabourDay.trade, LabourDay.advisor]
    if by_day or days_only:
        group = [LabourDay.day] + group
    query = (LabourDay.select(*group, fn.SUM(LabourDay.sold_hours), fn.SUM(LabourDay.revenue),
                              fn.SUM(LabourDay.clocked_seconds), fn.SUM(LabourDay.present_seconds))
             .where((LabourDay.day >= first) & (LabourDay.day <= last)).group_by(*group))
    if technician_id is not None:
        query = query.where(LabourDay.technician == technician_id)
    found: dict[Key, Fact] = {}
    for row in _raw(query):
        if days_only:
            day, sold, revenue, clocked, present = row
            day, tech, trade, advisor = _as_date(day), None, None, None
        elif by_day:
            day, tech, trade, advisor, sold, revenue, clocked, present = row
            day = _as_date(day)
        else:
            day = None
            tech, trade, advisor, sold, revenue, clocked, present = row
        found[(day, tech, trade, advisor)] = Fact(_dec(sold), _dec(revenue), int(clocked or 0), int(present or 0))
    return found


def period_facts(first: dt.date, last: dt.date, *, by_day: bool = True,
                 technician_id: int | None = None, days_only: bool = False) -> dict[Key, Fact]:
    """The facts of the days [first, last]: closed days as kept (computed once), today live; per day, or
    (``by_day`` False) summed over the period with None for the day; ``days_only``: per day, with None
    for the technician, trade and advisor."""
    today = clock.today()
    keep_closed_days(first, last)
    found = _kept(first, min(last, today - DAY), by_day=by_day, technician_id=technician_id, days_only=days_only)
    if first <= today <= last:
        live = facts(dt.datetime.combine(today, dt.time()), dt.datetime.combine(today + DAY, dt.time()))
        for (day, tech, trade, advisor), fact in live.items():
            if technician_id is not None and tech != technician_id:
                continue
            if days_only:
                tech, trade, advisor = None, None, None
            found.setdefault((day if by_day or days_only else None, tech, trade, advisor), Fact()).add(fact)
    return found


# --- the figures ------------------------------------------------------------------------------------------

def commission_pct(trade: str) -> Decimal:
    rule = settings.get("labour_commission_pct") or {}
    value = rule.get(trade, rule.get("*", "0")) if isinstance(rule, dict) else rule
    return Decimal(str(value))


@dataclass
class Figures:
    key: object          # technician or advisor id, trade code, or None for the shop
    name: str
    sold_hours: Decimal = ZERO
    revenue: Decimal = ZERO
    clocked_seconds: int = 0
    present_seconds: int | None = 0
    commission: Decimal = ZERO
    reworked: int = 0
    comebacks: int = 0
    inspected: int = 0

    @property
    def clocked_hours(self) -> Decimal:
        return (Decimal(self.clocked_seconds) / HOUR).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def present_hours(self) -> Decimal | None:
        if self.present_seconds is None:
            return None
        return (Decimal(self.present_seconds) / HOUR).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def efficiency_pct(self) -> Decimal | None:
        """Hours sold per hour clocked, in percent."""
        if not self.clocked_seconds:
            return None
        return (self.sold_hours * HOUR * 100 / self.clocked_seconds).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def productivity_pct(self) -> Decimal | None:
        """Hours clocked on jobs per hour present, in percent."""
        if not self.present_seconds:
            return None
        return (Decimal(self.clocked_seconds) * 100 / self.present_seconds).quantize(Decimal("0.1"),
                                                                                     rounding=ROUND_HALF_UP)

    @property
    def effective_rate(self) -> Decimal | None:
        """Labour revenue per hour clocked."""
        if not self.clocked_seconds:
            return None
        return (self.revenue * HOUR / self.clocked_seconds).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def rework_pct(self) -> Decimal | None:
        if not self.inspected:
            return None
        return (Decimal(self.reworked) * 100 / self.inspected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class LabourReport:
    first: dt.date
    last: dt.date
    shop: Figures
    technicians: list[Figures] = field(default_factory=list)
    trades: list[Figures] = field(default_factory=list)
    advisors: list[Figures] = field(default_factory=list)


STEPS = 3  # the steps a report takes (for a progress bar)


def _period(first, last) -> tuple[dt.date, dt.date]:
    first, last = _as_date(first), _as_date(last)
    if first is None or last is None:
        raise InvalidInput(_("Give the first and the last day of the period."), "first")
    if last < first:
        raise InvalidInput(_("The period cannot end before it starts."), "last")
    if (last - first).days > 400:
        raise InvalidInput(_("A period is at most 400 days."), "last")
    return first, last


def _rework_and_comebacks(start: dt.datetime, end: dt.datetime):
    """From the QC and comeback records of [start, end): reworked orders per responsible technician and per
    advisor, comebacks per technician of the failed line and per advisor of the first visit, and the
    shop's inspected, reworked and comeback counts (as workshop/quality.py counts them)."""
    from models.qc import Inspection
    failed = (Inspection.result == "fail") & (Inspection.signed_at >= start) & (Inspection.signed_at < end)
    per_tech = dict(_raw(Inspection.select(Inspection.responsible, fn.COUNT(fn.DISTINCT(Inspection.order)))
                         .where(failed & Inspection.responsible.is_null(False)).group_by(Inspection.responsible)))
    per_advisor = dict(_raw(Inspection.select(RepairOrder.advisor, fn.COUNT(fn.DISTINCT(Inspection.order)))
                            .join(RepairOrder, on=(Inspection.order == RepairOrder.id)).where(failed)
                            .group_by(RepairOrder.advisor)))
    passed = (Inspection.result == "pass") & (Inspection.signed_at >= start) & (Inspection.signed_at < end)
    inspected = dict(_raw(Inspection.select(RepairOrder.advisor, fn.COUNT(Inspection.id))
                          .join(RepairOrder, on=(Inspection.order == RepairOrder.id)).where(passed)
                          .group_by(RepairOrder.advisor)))
    shop_reworked = Inspection.select(fn.COUNT(fn.DISTINCT(Inspection.order))).where(failed).scalar() or 0
    arrived = (RepairOrder.time_in >= start) & (RepairOrder.time_in < end) & RepairOrder.comeback_of.is_null(False)
    came_back_tech = dict(_raw(JobLineTechnician.select(JobLineTechnician.technician, fn.COUNT(RepairOrder.id))
                               .join(RepairOrder, on=(RepairOrder.comeback_line_id == JobLineTechnician.line))
                               .where(arrived).group_by(JobLineTechnician.technician)))
    First = RepairOrder.alias("first_visit")
    came_back_advisor = dict(_raw(RepairOrder.select(First.advisor, fn.COUNT(RepairOrder.id))
                                  .join(First, on=(RepairOrder.comeback_of == First.id)).where(arrived)
                                  .group_by(First.advisor)))
    return per_tech, per_advisor, inspected, shop_reworked, came_back_tech, came_back_advisor


def report(first, last, *, viewer=None, progress: Callable[[int, int], None] | None = None) -> LabourReport:
    """The labour figures of the days [first, last] per technician, trade, advisor and shop."""
    first, last = _period(first, last)
    if viewer is not None:
        require(viewer, "view_labour")
    if progress:
        progress(0, STEPS)
    found = period_facts(first, last, by_day=False)
    if progress:
        progress(1, STEPS)
    staff = {i: (name, trade) for i, name, trade in _raw(Staff.select(Staff.id, Staff.name, Staff.trade))}
    shop = Figures(None, _("Whole shop"))
    techs: dict[int | None, Figures] = {}
    trades: dict[str, Figures] = {}
    advisors: dict[int, Figures] = {}
    for (_day, tech, trade, advisor), fact in found.items():
        tech_fig = techs.get(tech)
        if tech_fig is None:
            tech_fig = techs[tech] = Figures(tech, staff.get(tech, (_("nobody"), None))[0])
        targets = [shop, tech_fig, trades.setdefault(trade, Figures(trade, trade))]
        if advisor is not None:
            targets.append(advisors.setdefault(advisor, Figures(advisor, staff.get(advisor, ("?", None))[0],
                                                                present_seconds=None)))
        for fig in targets:
            fig.sold_hours += fact.sold_hours
            fig.revenue += fact.revenue
            fig.clocked_seconds += fact.clocked_seconds
            if fig.present_seconds is not None:
                fig.present_seconds += fact.present_seconds
        if tech is not None:
            tech_fig.commission += fact.revenue * commission_pct(trade) / 100
    for fig in techs.values():
        fig.commission = fig.commission.quantize(CENT, rounding=ROUND_HALF_UP)
    shop.commission = sum((f.commission for f in techs.values()), ZERO)
    (per_tech, per_advisor, inspected, shop_reworked, came_back_tech,
     came_back_advisor) = _rework_and_comebacks(dt.datetime.combine(first, dt.time()),
                                                dt.datetime.combine(last + DAY, dt.time()))
    if progress:
        progress(2, STEPS)
    for tech_id, fig in techs.items():
        fig.reworked, fig.comebacks = per_tech.get(tech_id, 0), came_back_tech.get(tech_id, 0)
        trade = staff.get(tech_id, (None, None))[1]
        if tech_id is not None and trade in trades:
            trades[trade].reworked += fig.reworked
            trades[trade].comebacks += fig.comebacks
    for advisor_id, fig in advisors.items():
        fig.reworked, fig.inspected = per_advisor.get(advisor_id, 0), inspected.get(advisor_id, 0)
        fig.comebacks = came_back_advisor.get(advisor_id, 0)
    shop.reworked, shop.inspected = shop_reworked, sum(inspected.values())
    shop.comebacks = sum(came_back_advisor.values())
    for fig in trades.values():
        fig.name = trade_label(fig.key)
    if progress:
        progress(3, STEPS)
    return LabourReport(first, last, shop,
                        sorted(techs.values(), key=lambda f: (f.key is None, f.name)),
                        sorted(trades.values(), key=lambda f: f.name),
                        sorted(advisors.values(), key=lambda f: f.name))


def trade_label(code: str) -> str:
    from workshop.i18n import label
    return label(TRADE_LABELS, code) if code else _("no trade")


@dataclass(frozen=True)
class WeekPoint:
    start: dt.date
    sold_hours: Decimal
    clocked_hours: Decimal
    present_hours: Decimal
    revenue: Decimal

    @property
    def efficiency_pct(self) -> Decimal | None:
        return (self.sold_hours * 100 / self.clocked_hours).quantize(Decimal("0.1")) if self.clocked_hours else None

    @property
    def productivity_pct(self) -> Decimal | None:
        return (self.clocked_hours * 100 / self.present_hours).quantize(Decimal("0.1")) if self.present_hours else None


def weekly_trend(weeks: int = 12, *, until: dt.date | None = None, technician_id: int | None = None,
                 viewer=None) -> list[WeekPoint]:
    """The shop's (or one technician's) labour week by week, Monday to Sunday, the last ``weeks`` weeks
    up to the week of ``until`` (today)."""
    if not 1 <= weeks <= 104:
        raise InvalidInput(_("Between 1 and 104 weeks."), "weeks")
    if viewer is not None:
        require(viewer, "view_labour")
    until = until or clock.today()
    monday = until - dt.timedelta(days=until.weekday())
    first = monday - dt.timedelta(weeks=weeks - 1)
    totals: dict[dt.date, Fact] = {}
    for (day, _tech, _trade, _advisor), fact in period_facts(first, monday + dt.timedelta(days=6),
                                                            technician_id=technician_id, days_only=True).items():
        week = day - dt.timedelta(days=day.weekday())
        totals.setdefault(week, Fact()).add(fact)
    points = []
    for i in range(weeks):
        week = first + dt.timedelta(weeks=i)
        f = totals.get(week, Fact())
        points.append(WeekPoint(week, f.sold_hours, (Decimal(f.clocked_seconds) / HOUR).quantize(CENT),
                                (Decimal(f.present_seconds) / HOUR).quantize(CENT), f.revenue))
    return points


__all__ = ["facts", "period_facts", "keep_closed_days", "forget_days", "report", "weekly_trend", "LabourReport",
           "Figures", "WeekPoint", "commission_pct", "STEPS"]
