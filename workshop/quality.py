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
    shop: Figures                  # the whole shop, or the whole group of a group's report
    technicians: list[Figures]
    advisors: list[Figures]
    shops: list[Figures] = field(default_factory=list)  # a group's report: each shop's (named by its code)


def _hours(later, earlier):
    return hours_between(later, earlier)


def _in_shop(query, shop: int | None):
    """``query`` (joined to RepairOrder) limited to one shop's orders, or the whole group's (None)."""
    return query if shop is None else query.where(RepairOrder.shop == shop)


def _passes(start, end):
    ever_failed = (Inspection.select(Inspection.order).where(Inspection.result == "fail"))
    failed = Case(None, [(RepairOrder.id.in_(ever_failed), 1)], 0)
    late = Case(None, [(Inspection.late == True, 1)], 0)  # noqa: E712
    delay = Case(None, [(Inspection.late == True, _hours(Inspection.completed_at, Inspection.promised_at))], 0)  # noqa: E712
    return (Inspection.select(RepairOrder.advisor, RepairOrder.shop, fn.COUNT(Inspection.id), fn.SUM(failed),
                              fn.SUM(late), fn.SUM(delay))
            .join(RepairOrder).where((Inspection.result == "pass") & (Inspection.signed_at >= start)
                                     & (Inspection.signed_at < end)))


def last_days(days: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The last ``days`` whole days, today included, as [start, end): midnight to midnight."""
    today = dt.datetime.combine(now.date(), dt.time())
    return today - dt.timedelta(days=days - 1), today + dt.timedelta(days=1)


STEPS = 6  # the grouped queries a report runs (for a progress bar: a year of a large shop takes seconds)


def report(start: dt.datetime, end: dt.datetime, progress: Callable[[int, int], None] | None = None, *,
           shop: int | None = None, per_shop: bool = False) -> QualityReport:
    """The figures for [start, end): of one shop (``shop``), or of the whole database. ``per_shop``: also each
    shop's figures (a group manager's view; the same grouped queries, grouped by shop as well).
    ``progress(done, STEPS)`` is called after each query."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, STEPS)

    names = dict(Staff.select(Staff.id, Staff.name).tuples())
    whole = Figures(_("Whole group") if per_shop else _("Whole shop"))
    shop_names = shops_names() if per_shop else {}
    by_shop: dict[int, Figures] = {}

    def of_shop(shop_id: int) -> list[Figures]:
        return [by_shop.setdefault(shop_id, Figures(shop_names.get(shop_id, "?")))] if per_shop else []

    advisors: dict[int, Figures] = {}
    for advisor, shop_id, count, failed, late, delay in _in_shop(_passes(start, end), shop).group_by(
            RepairOrder.advisor, RepairOrder.shop).tuples():
        for fig in [whole, advisors.setdefault(advisor, Figures(names.get(advisor, "?")))] + of_shop(shop_id):
            fig.inspected += count
            fig.reworked += failed or 0
            fig.first_time += count - (failed or 0)
            fig.late += late or 0
            fig.on_time += count - (late or 0)
            fig.delay_hours_total += float(delay or 0)
    step()
    for advisor, shop_id, total in _in_shop(
            Inspection.select(RepairOrder.advisor, RepairOrder.shop, fn.SUM(Inspection.penalty)).join(RepairOrder)
            .where((Inspection.result == "fail") & (Inspection.signed_at >= start)
                   & (Inspection.signed_at < end)), shop).group_by(RepairOrder.advisor, RepairOrder.shop).tuples():
        for fig in [whole, advisors.setdefault(advisor, Figures(names.get(advisor, "?")))] + of_shop(shop_id):
            fig.penalties += Decimal(str(total or 0))
    step()
    Comeback = RepairOrder.alias()
    came_back = Comeback.select(Comeback.comeback_of).where(Comeback.comeback_of.is_null(False))
    for advisor, shop_id, delivered, comebacks in _in_shop(
            RepairOrder.select(RepairOrder.advisor, RepairOrder.shop, fn.COUNT(RepairOrder.id),
                               fn.SUM(Case(None, [(RepairOrder.id.in_(came_back), 1)], 0)))
            .where((RepairOrder.released_at >= start) & (RepairOrder.released_at < end)), shop).group_by(
                RepairOrder.advisor, RepairOrder.shop).tuples():
        for fig in [whole, advisors.setdefault(advisor, Figures(names.get(advisor, "?")))] + of_shop(shop_id):
            fig.delivered += delivered
            fig.comebacks += comebacks or 0
    step()
    return QualityReport(start, end, whole, _technicians(start, end, names, step, shop),
                         sorted(advisors.values(), key=lambda f: f.name),
                         [by_shop[i] for i in sorted(by_shop, key=lambda i: by_shop[i].name)])


def shops_names() -> dict[int, str]:
    from workshop.shops import names
    return names()


def _technicians(start, end, names, step, shop: int | None = None) -> list[Figures]:
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
    if shop is not None:
        per_order = per_order.join(RepairOrder, on=(RepairOrder.id == Inspection.order)).where(
            RepairOrder.shop == shop)
    late_flag = Case(None, [(per_order.c.late == True, 1)], 0)  # noqa: E712
    late_delay = Case(None, [(per_order.c.late == True, per_order.c.delay)], 0)  # noqa: E712
    worked = (JobLineTechnician.select(per_order.c.tech, fn.COUNT(1), fn.SUM(late_flag), fn.SUM(late_delay))
              .from_(per_order).group_by(per_order.c.tech))
    for tech, count, late, delay in worked.tuples():
        f = fig(tech)
        f.inspected, f.late, f.on_time = count, late or 0, count - (late or 0)
        f.delay_hours_total = float(delay or 0)
    step()
    failed = (Inspection.select(Inspection.responsible, fn.COUNT(fn.DISTINCT(Inspection.order)),
                                fn.SUM(Inspection.penalty))
              .where((Inspection.result == "fail") & (Inspection.signed_at >= start)
                     & (Inspection.signed_at < end) & Inspection.responsible.is_null(False)))
    if shop is not None:
        failed = failed.join(RepairOrder, on=(RepairOrder.id == Inspection.order)).where(RepairOrder.shop == shop)
    for tech, count, penalty in failed.group_by(Inspection.responsible).tuples():
        fig(tech).reworked = count
        fig(tech).penalties = Decimal(str(penalty or 0))
    step()
    comebacks = _in_shop(JobLineTechnician.select(JobLineTechnician.technician, fn.COUNT(RepairOrder.id))
                         .join(RepairOrder, on=(RepairOrder.comeback_line_id == JobLineTechnician.line))
                         .where((RepairOrder.time_in >= start) & (RepairOrder.time_in < end)), shop)
    for tech, count in comebacks.group_by(JobLineTechnician.technician).tuples():
        fig(tech).comebacks = count
    step()
    for f in techs.values():
        f.first_time = max(f.inspected - f.reworked, 0)
        f.delivered = f.inspected
    return sorted(techs.values(), key=lambda f: f.name)


__all__ = ["report", "Figures", "QualityReport", "REWORK_TARGET_PCT", "STEPS", "last_days"]
