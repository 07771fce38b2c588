"""Follow-up figures over a period: callbacks on time, overdue, unreachable, CSI, complaints, churn.

- on time: callbacks done on or before the end of their window / callbacks due in the period;
- CSI: share of satisfaction answers scored 4 or 5 (target >= 93%);
- churn for a month: customers whose last visit fell in the month lost_after_months before it /
  customers who visited in the lost_after_months before the month's start.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import Case, fn

from models.expressions import day_of
from models.followup import Answer, Callback, CallRecord, Complaint
from workshop import clock, settings

CSI_TARGET_PCT = Decimal("93")


def _pct(part, whole) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class FollowUpFigures:
    due: int
    done_on_time: int
    overdue: int
    unreachable: int
    answers: int
    satisfied: int
    complaints_opened: int
    complaints_closed: int
    complaints_escalated: int

    on_time_pct = property(lambda self: _pct(self.done_on_time, self.due))
    unreachable_pct = property(lambda self: _pct(self.unreachable, self.due))
    csi_pct = property(lambda self: _pct(self.satisfied, self.answers))

    @property
    def csi_on_target(self) -> bool | None:
        return None if self.csi_pct is None else self.csi_pct >= CSI_TARGET_PCT


def figures(start: dt.date, end: dt.date) -> FollowUpFigures:
    today = clock.today()
    in_period = (Callback.due >= start) & (Callback.due < end)
    on_time = Case(None, [((Callback.status == "done") & (day_of(Callback.done_at) <= Callback.window_end), 1)], 0)
    overdue = Case(None, [((Callback.status == "open") & (Callback.window_end < today), 1)], 0)
    unreachable = Case(None, [(Callback.status == "unreachable", 1)], 0)
    due, done, late, unreach = (Callback.select(fn.COUNT(Callback.id), fn.SUM(on_time), fn.SUM(overdue),
                                                fn.SUM(unreachable)).where(in_period).tuples().get())
    s, e = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end, dt.time())
    answers, satisfied = (Answer.select(fn.COUNT(Answer.id), fn.SUM(Case(None, [(Answer.score >= 4, 1)], 0)))
                          .join(CallRecord).where((CallRecord.at >= s) & (CallRecord.at < e)).tuples().get())
    opened = Complaint.select().where((Complaint.created_at >= s) & (Complaint.created_at < e)).count()
    closed = Complaint.select().where((Complaint.resolved_at >= s) & (Complaint.resolved_at < e)).count()
    escalated = Complaint.select().where((Complaint.escalated_at >= s) & (Complaint.escalated_at < e)).count()
    return FollowUpFigures(due or 0, done or 0, late or 0, unreach or 0, answers or 0, satisfied or 0, opened, closed,
                           escalated)


@dataclass(frozen=True)
class ChurnMonth:
    month: str                 # "2026-11"
    lost: int                  # customers whose last visit turned lost_after_months old in the month
    base: int                  # customers who visited in the lost_after_months before the month
    churn_pct: Decimal | None  # lost / base
    lost_total: int            # lost at the month's end, however long ago their last visit was
    winback_calls: int         # win-back calls made in the month
    won_back: int              # customers called in the month who have visited since the call


def churn_months(months_back: int = 6) -> list[ChurnMonth]:
    """Per month, oldest first. A customer is lost in the month their last visit turns lost_after_months
    old; the base is everyone who visited in the lost_after_months before the month; the lost in total
    are all whose last visit is older than that at the month's end, of any age (workshop/winback.py lists
    them). Counts are index ranges on customer.last_visit_at, so a customer who came back since counts
    as active in the months before, as the list shows them. Win-back calls and who came back after one:
    the month's win-back calls (an index range on call_record (topic, at))."""
    from models.people import Customer
    lost_after = int(settings.get("lost_after_months"))
    today = clock.today().replace(day=1)

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time())

    first = _add_months(today, -months_back + 1)
    # Two counts of long ranges, then a month's range a month: each month's base is the one before less
    # those it lost, and its lost in total the ones before plus those it lost.
    lost_total = Customer.select().where(Customer.last_visit_at < at(_add_months(first, -lost_after))).count()
    base = Customer.select().where(Customer.last_visit_at >= at(_add_months(first, -lost_after))).count()
    result, lost = [], 0
    for i in range(months_back, 0, -1):
        month = _add_months(today, -i + 1)
        lost_from, lost_to = _add_months(month, -lost_after), _add_months(month, -lost_after + 1)
        base -= lost  # those the month before lost
        lost = Customer.select().where((Customer.last_visit_at >= at(lost_from))
                                       & (Customer.last_visit_at < at(lost_to))).count()
        lost_total += lost
        calls = (CallRecord.select(CallRecord.customer, CallRecord.at)
                 .where((CallRecord.topic == "winback") & (CallRecord.at >= at(month))
                        & (CallRecord.at < at(_add_months(month, 1)))))
        winback_calls = calls.count()
        called = calls.alias("called")
        won_back = (Customer.select(fn.COUNT(fn.DISTINCT(Customer.id)))
                    .join(called, on=(called.c.customer_id == Customer.id))
                    .where(Customer.last_visit_at > called.c.at).scalar() or 0)
        result.append(ChurnMonth(month.strftime("%Y-%m"), lost, base, _pct(lost, base), lost_total, winback_calls,
                                 won_back))
    return result


def churn(months_back: int = 6) -> list[tuple[str, int, int, Decimal | None]]:
    """Per month: (month, customers lost that month, active base, churn %): see churn_months."""
    return [(m.month, m.lost, m.base, m.churn_pct) for m in churn_months(months_back)]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


__all__ = ["figures", "churn", "churn_months", "ChurnMonth", "CSI_TARGET_PCT"]
