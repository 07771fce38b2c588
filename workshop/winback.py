"""Lost customers (流失客户) and the win-back call (流失客户回访).

A customer is lost when their last visit is more than ``lost_after_months`` calendar months old, however
long ago it was: the list runs from the most recently lost to the longest lost, one page at a time, after
the last row shown (keyset paging on the index of customer.last_visit_at), with the date of the last visit
and the last win-back call and what it came to (one more query per page). A win-back call is recorded
with the call register's outcome (workshop/call_register.py): a result is required.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from models.db import run_write
from models.followup import CallRecord
from models.people import Customer, Staff
from workshop import audit, clock, settings
from workshop.call_register import check_outcome, result_label, write_call
from workshop.errors import NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier if negative), or that month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def lost_before(today: dt.date | None = None) -> dt.datetime:
    """Customers whose last visit is before this moment are lost."""
    today = today or clock.today()
    return dt.datetime.combine(add_months(today, -int(settings.get("lost_after_months"))), dt.time())


@dataclass(frozen=True)
class LostRow:
    customer_id: int
    name: str
    mobile: str
    last_visit_at: dt.datetime
    plates: tuple[str, ...]
    winback_calls: int
    last_call_at: dt.datetime | None
    last_result: str | None  # a code of call_register.RESULTS["winback"]

    @property
    def last_visit(self) -> dt.date:
        return self.last_visit_at.date()

    @property
    def months_away(self) -> int:
        today = clock.today()
        last = self.last_visit_at.date()
        return (today.year - last.year) * 12 + today.month - last.month - (today.day < last.day)

    @property
    def last_result_label(self) -> str:
        return result_label("winback", self.last_result)


def lost_customers(*, limit: int = 100, after: LostRow | None = None, longest_first: bool = False) -> list[LostRow]:
    """One page of lost customers, the most recently lost first (or the longest lost first: thousands of
    pages away the other way), after ``after`` (the last row shown)."""
    query = (Customer.select(Customer.id, Customer.name, Customer.mobile, Customer.last_visit_at)
             .where(Customer.last_visit_at < lost_before()))
    if after is not None and longest_first:  # (last visit, id) after the last row shown
        query = query.where((Customer.last_visit_at >= after.last_visit_at)
                            & ((Customer.last_visit_at > after.last_visit_at) | (Customer.id > after.customer_id)))
    elif after is not None:  # (last visit, id) before the last row shown; "<= ?" bounds the index range
        query = query.where((Customer.last_visit_at <= after.last_visit_at)
                            & ((Customer.last_visit_at < after.last_visit_at) | (Customer.id < after.customer_id)))
    order = (Customer.last_visit_at, Customer.id) if longest_first else (Customer.last_visit_at.desc(),
                                                                         Customer.id.desc())
    rows = list(query.order_by(*order).limit(limit).tuples())
    ids = [row[0] for row in rows]
    calls: dict[int, list] = {}
    if ids:
        for customer_id, at, result in (CallRecord.select(CallRecord.customer, CallRecord.at, CallRecord.result)
                                        .where(CallRecord.customer.in_(ids) & (CallRecord.topic == "winback"))
                                        .order_by(CallRecord.at, CallRecord.id).tuples()):
            calls.setdefault(customer_id, []).append((at, result))
    from workshop.customers import plates_of
    plates = plates_of(ids) if ids else {}
    result = []
    for customer_id, name, mobile, last_visit in rows:
        made = calls.get(customer_id, [])
        last_at, last_result = made[-1] if made else (None, None)
        result.append(LostRow(customer_id, name, mobile, last_visit, tuple(plates.get(customer_id, ())), len(made),
                              last_at, last_result))
    return result


def record_winback(customer_id: int, *, result: str | None, by: Staff, channel: str = "phone",
                   notes: str | None = "", complaint: str | None = "", department: str = "service",
                   vehicle_id: int | None = None) -> CallRecord:
    """A win-back call to a lost customer and what it came to (required); a complaint said on it is logged."""
    outcome = check_outcome("winback", result=result, channel=channel, notes=notes, complaint=complaint,
                            department=department)

    def work():
        nonlocal by
        by = require(by, "close_callback")
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            raise NotFound(_("That customer no longer exists."))
        call = write_call(outcome, customer_id=customer.id, by=by, vehicle_id=vehicle_id)
        audit.record(by, "winback_call", "customer", customer.id,
                     Phrase(N_("Win-back call to {customer}: {result}"),
                            customer=customer.name, result=result_label("winback", outcome.result)),
                     after={"channel": outcome.channel, "result": outcome.result, "notes": outcome.notes,
                            "last_visit_at": customer.last_visit_at})
        return call

    return run_write(work)


__all__ = ["LostRow", "lost_customers", "record_winback", "lost_before", "add_months"]
