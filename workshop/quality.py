"""Quality figures over a period: first-time QC pass, rework, comebacks, on-time completion, delay.

Definitions (the shop's, stated once):
- inspected: orders that passed final QC in the period;
- first-time pass rate: inspected orders that never failed QC / inspected;
- rework rate: inspected orders that failed QC at least once / inspected (target < 2%);
- on-time rate: inspected orders whose work finished by the promised time / inspected;
- average delay: hours between promised and finished, over the late ones;
- comeback rate: orders delivered in the period that came back as a comeback / delivered;
- per technician, reworks and comebacks count against the responsible technician.
Every figure is a handful of grouped SQL queries, so a year of history stays fast.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import Case, fn

from models.expressions import hours_between
from models.orders import JobLine, JobLineTechnician, RepairOrder
from models.people import Staff
from models.qc import Inspection
from workshop.i18n import _

REWORK_TARGET_PCT = Decimal("2")


@dataclass
class Figures:
    name: str
    inspected: int = 0
    first_time: int = 0
    reworked: int = 0
    on_time: int = 0
    late: int = 0
    delay_hours_total: float = 0.0
    delivered: int = 0
    comebacks: int = 0
    penalties: Decimal = field(default_factory=lambda: Decimal("0"))

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))

    @property
    def first_time_pct(self):
        return self._pct(self.first_time, self.inspected)

    @property
    def rework_pct(self):
        return self._pct(self.reworked, self.inspected)

    @property
    def on_time_pct(self):
        return self._pct(self.on_time, self.inspected)

    @property
    def comeback_pct(self):
        return self._pct(self.comebacks, self.delivered)

    @property
    def avg_delay_hours(self) -> Decimal | None:
        if not self.late:
            return None
        return Decimal(str(self.delay_hours_total / self.late)).quantize(Decimal("0.1"))

    @property
    def rework_on_target(self) -> bool | None:
        pct = self.rework_pct
        return None if pct is None else pct < REWORK_TARGET_PCT


@dataclass
class QualityReport:
    start: dt.datetime
    end: dt.datetime
    shop: Figures
    technicians: list[Figures]
    advisors: list[Figures]


def _hours(later, earlier):
    return hours_between(later, earlier)


def _passes(start, end):
    ever_failed = (Inspection.select(Inspection.order).where(Inspection.result == "fail"))
    failed = Case(None, [(RepairOrder.id.in_(ever_failed), 1)], 0)
    late = Case(None, [(Inspection.late == True, 1)], 0)  # noqa: E712
    delay = Case(None, [(Inspection.late == True, _hours(Inspection.completed_at, Inspection.promised_at))], 0)  # noqa: E712
    return (Inspection.select(RepairOrder.advisor, fn.COUNT(Inspection.id), fn.SUM(failed), fn.SUM(late),
                              fn.SUM(delay))
            .join(RepairOrder).where((Inspection.result == "pass") & (Inspection.signed_at >= start)
                                     & (Inspection.signed_at < end)))


def last_days(days: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last ``days`` whole days, today included, as [start, end): midnight to midnight."""
    today = dt.datetime.combine(now.date(), dt.time())
    return today - dt.timedelta(days=days - 1), today + dt.timedelta(days=1)


STEPS = 6  # the grouped queries a report runs (for a progress bar: a year of a large shop takes seconds)


def report(start: dt.datetime, end: dt.datetime, progress: Callable[[int, int], None] | None = None) -> QualityReport:
    """The figures for [start, end). ``progress(done, STEPS)`` is called after each query."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, STEPS)

    names = dict(Staff.select(Staff.id, Staff.name).tuples())
    shop = Figures(_("Whole shop"))
    advisors: dict[int, Figures] = {}
    for advisor, count, failed, late, delay in _passes(start, end).group_by(RepairOrder.advisor).tuples():
        for fig in (shop, advisors.setdefault(advisor, Figures(names.get(advisor, "?")))):
            fig.inspected += count
            fig.reworked += failed or 0
            fig.first_time += count - (failed or 0)
            fig.late += late or 0
            fig.on_time += count - (late or 0)
            fig.delay_hours_total += float(delay or 0)
    step()
    for advisor, total in (Inspection.select(RepairOrder.advisor, fn.SUM(Inspection.penalty)).join(RepairOrder)
                           .where((Inspection.result == "fail") & (Inspection.signed_at >= start)
                                  & (Inspection.signed_at < end)).group_by(RepairOrder.advisor).tuples()):
        advisors.setdefault(advisor, Figures(names.get(advisor, "?"))).penalties += Decimal(str(total or 0))
        shop.penalties += Decimal(str(total or 0))
    step()
    Comeback = RepairOrder.alias()
    came_back = Comeback.select(Comeback.comeback_of).where(Comeback.comeback_of.is_null(False))
    for advisor, delivered, comebacks in (
            RepairOrder.select(RepairOrder.advisor, fn.COUNT(RepairOrder.id),
                               fn.SUM(Case(None, [(RepairOrder.id.in_(came_back), 1)], 0)))
            .where((RepairOrder.released_at >= start) & (RepairOrder.released_at < end))
            .group_by(RepairOrder.advisor).tuples()):
        for fig in (shop, advisors.setdefault(advisor, Figures(names.get(advisor, "?")))):
            fig.delivered += delivered
            fig.comebacks += comebacks or 0
    step()
    return QualityReport(start, end, shop, _technicians(start, end, names, step),
                         sorted(advisors.values(), key=lambda f: f.name))


def _technicians(start, end, names, step) -> list[Figures]:
    techs: dict[int, Figures] = {}

    def fig(tech_id):
        return techs.setdefault(tech_id, Figures(names.get(tech_id, "?")))

    # One row per (technician, order) first, so an order with two lines of the same technician counts once.
    per_order = (JobLineTechnician.select(JobLineTechnician.technician.alias("tech"), Inspection.late.alias("late"),
                                          _hours(Inspection.completed_at, Inspection.promised_at).alias("delay"))
                 .join(JobLine).join(Inspection, on=(Inspection.order == JobLine.order))
                 .where((Inspection.result == "pass") & (Inspection.signed_at >= start)
                        & (Inspection.signed_at < end))
                 .group_by(JobLineTechnician.technician, Inspection.id))
    late_flag = Case(None, [(per_order.c.late == True, 1)], 0)  # noqa: E712
    late_delay = Case(None, [(per_order.c.late == True, per_order.c.delay)], 0)  # noqa: E712
    worked = (JobLineTechnician.select(per_order.c.tech, fn.COUNT(1), fn.SUM(late_flag), fn.SUM(late_delay))
              .from_(per_order).group_by(per_order.c.tech))
    for tech, count, late, delay in worked.tuples():
        f = fig(tech)
        f.inspected, f.late, f.on_time = count, late or 0, count - (late or 0)
        f.delay_hours_total = float(delay or 0)
    step()
    for tech, count, penalty in (Inspection.select(Inspection.responsible, fn.COUNT(fn.DISTINCT(Inspection.order)),
                                                   fn.SUM(Inspection.penalty))
                                 .where((Inspection.result == "fail") & (Inspection.signed_at >= start)
                                        & (Inspection.signed_at < end) & Inspection.responsible.is_null(False))
                                 .group_by(Inspection.responsible).tuples()):
        fig(tech).reworked = count
        fig(tech).penalties = Decimal(str(penalty or 0))
    step()
    for tech, count in (JobLineTechnician.select(JobLineTechnician.technician, fn.COUNT(RepairOrder.id))
                        .join(RepairOrder, on=(RepairOrder.comeback_line_id == JobLineTechnician.line))
                        .where((RepairOrder.time_in >= start) & (RepairOrder.time_in < end))
                        .group_by(JobLineTechnician.technician).tuples()):
        fig(tech).comebacks = count
    step()
    for f in techs.values():
        f.first_time = max(f.inspected - f.reworked, 0)
        f.delivered = f.inspected
    return sorted(techs.values(), key=lambda f: f.name)


__all__ = ["report", "Figures", "QualityReport", "REWORK_TARGET_PCT", "STEPS", "last_days"]
