"""Reminders that bring the customer back: maintenance due, insurance renewal, warranty expiry,
lost customers and birthdays. Each list is one bounded, indexed query, paged.

Maintenance pace: daily mileage = (mileage at the last visit - at the visit before) / days between
them; the next service is due after ``maintenance_km`` (5,000) at that pace, or after ``maintenance_months``,
whichever comes first. A vehicle with one visit only is due after maintenance_months.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, fn

from models.db import run_write
from models.followup import Callback
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from workshop import audit, clock, i18n, settings
from workshop.i18n import N_, _
from workshop.lookup import birthday_key
from workshop.permissions import require
from workshop.phrase import Phrase

KINDS = {"maintenance": N_("Maintenance due"), "insurance": N_("Insurance renewal"),
         "warranty": N_("Warranty expiry"), "lost": N_("Lost customers"), "birthday": N_("Birthdays")}


@dataclass(frozen=True)
class Reminder:
    kind: str
    customer_id: int
    customer: str
    mobile: str
    vehicle_id: int | None
    plate: str
    due: dt.date | None
    detail: str  # in the reader's language
    key: tuple = ()  # where the list stands at this row (its sort key): ``after=`` starts the next page there


def _after(sort: tuple, after: "Reminder | None", *, descending: bool = False):
    """Rows after ``after`` in the order (first, id) of ``sort``: keyset paging, so the hundredth page
    of a list costs what the first does (an OFFSET reads and drops every row before it). Written so
    that "first >= value" (<= descending) bounds the index range."""
    if after is None or not after.key:
        return SQL("1 = 1")
    first, ident = sort
    value, last_id = after.key
    if descending:
        return (first <= value) & ((first < value) | (ident < last_id))
    return (first >= value) & ((first > value) | (ident > last_id))


def next_service(last_date: dt.date, last_km: int, prev_date: dt.date | None, prev_km: int | None,
                 *, interval_km: int = 5000, months: int = 6) -> dt.date:
    """The date the next service is due (the rule in the module docstring)."""
    by_time = last_date + dt.timedelta(days=months * 30)
    if prev_date is None or prev_km is None or last_date <= prev_date or last_km <= prev_km:
        return by_time
    daily = (last_km - prev_km) / (last_date - prev_date).days
    return min(by_time, last_date + dt.timedelta(days=int(interval_km / daily)))


def _base(query):
    return query.join(Customer, on=(Vehicle.customer == Customer.id))


def maintenance(*, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    """Cars due for a service, soonest first: the open services of maintenance plans due by the look-ahead,
    however long ago (workshop/service_plan.py: first services of cars never serviced here, planned services
    due but not done), and cars without a running plan whose next service by their pace (kept at each
    check-in, see next_service) falls from 30 days ago to the look-ahead. Two index ranges merged by (due
    date, car): a car is in one of them at most; ``after`` the last row shown (keyset) or ``offset`` rows in."""
    from workshop.service_plan import due_services, running_plan
    today = clock.today()
    ahead = int(settings.get("reminder_lookahead_days"))
    rows = (_base(Vehicle.select(Vehicle.id, Vehicle.plate, Vehicle.next_service_due, Vehicle.last_visit_at,
                                 Vehicle.last_mileage, Customer.id, Customer.name, Customer.mobile))
            .where(Vehicle.next_service_due.between(today - dt.timedelta(days=30), today + dt.timedelta(days=ahead))
                   & _after((Vehicle.next_service_due, Vehicle.id), after) & ~running_plan())
            .order_by(Vehicle.next_service_due, Vehicle.id).limit(limit + offset).tuples())
    paced = [Reminder("maintenance", cid, name, mobile, vid, plate, due,
                      _("last visit {date} at {km} km").format(date=i18n.date(last), km=f"{km or 0:,}"), (due, vid))
             for vid, plate, due, last, km, cid, name, mobile in rows]
    planned = [Reminder("maintenance", s.customer_id, s.customer, s.mobile, s.vehicle_id, s.plate, s.due_date, s.detail,
                        s.key) for s in due_services(limit=limit + offset, after=after.key if after else None)]
    return sorted(paced + planned, key=lambda r: r.key)[offset:offset + limit]


def record_visit(vehicle: Vehicle, at: dt.datetime, mileage: int) -> None:
    """At check-in (inside its transaction): the vehicle's and customer's last visit, next service due."""
    prev_at, prev_km = vehicle.last_visit_at, vehicle.last_mileage
    due = next_service(at.date(), mileage, prev_at.date() if prev_at else None, prev_km,
                       interval_km=int(settings.get("maintenance_km")), months=int(settings.get("maintenance_months")))
    Vehicle.update(last_visit_at=at, last_mileage=mileage, next_service_due=due).where(Vehicle.id == vehicle.id).execute()
    Customer.update(last_visit_at=at).where(Customer.id == vehicle.customer_id).execute()


def rebuild_visit_facts() -> None:
    """Fill the visit columns from the order history (demo data and the schema upgrade that added them)."""
    from models.db import db
    db.execute_sql("UPDATE vehicle SET last_visit_at = (SELECT MAX(time_in) FROM repair_order r "
                   "WHERE r.vehicle_id = vehicle.id AND r.state != 'cancelled')")
    rows = db.execute_sql(
        "SELECT v.id, r.time_in, r.mileage_in, r.last_visit_date, r.last_visit_mileage FROM vehicle v "
        "JOIN repair_order r ON r.vehicle_id = v.id AND r.time_in = v.last_visit_at").fetchall()
    km, months = int(settings.get("maintenance_km")), int(settings.get("maintenance_months"))
    updates = {}
    for vid, time_in, mileage, prev_date, prev_km in rows:
        time_in = time_in if isinstance(time_in, dt.datetime) else dt.datetime.fromisoformat(str(time_in))
        prev_date = dt.date.fromisoformat(str(prev_date)[:10]) if prev_date else None
        due = next_service(time_in.date(), mileage, prev_date, prev_km, interval_km=km, months=months)
        updates[vid] = (mileage, due.isoformat(), vid)
    mark = db.param
    db.obj.cursor().executemany(f"UPDATE vehicle SET last_mileage = {mark}, next_service_due = {mark} WHERE id = {mark}",
                                list(updates.values()))
    db.execute_sql("UPDATE customer SET last_visit_at = (SELECT MAX(v.last_visit_at) FROM vehicle v "
                   "WHERE v.customer_id = customer.id)")


def insurance(*, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    today = clock.today()
    end = today + dt.timedelta(days=int(settings.get("insurance_notice_days")))
    rows = (_base(Vehicle.select(Vehicle.id, Vehicle.plate, Vehicle.insurance_expiry, Customer.id, Customer.name,
                                 Customer.mobile))
            .where(Vehicle.insurance_expiry.between(today, end) & _after((Vehicle.insurance_expiry, Vehicle.id), after))
            .order_by(Vehicle.insurance_expiry, Vehicle.id).limit(limit).offset(offset).tuples())
    return [Reminder("insurance", cid, name, mobile, vid, plate, exp,
                     _("insurance expires {date}").format(date=i18n.date(exp)), (exp, vid))
            for vid, plate, exp, cid, name, mobile in rows]


def warranty_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The list made on the 25th covers warranties ending from that 25th to the next month's 25th."""
    anchor = today.replace(day=25) if today.day >= 25 else (today.replace(day=1) - dt.timedelta(days=1)).replace(day=25)
    nxt = (anchor.replace(day=1) + dt.timedelta(days=32)).replace(day=25)
    return anchor, nxt


def warranty(*, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    start, end = warranty_window(clock.today())
    rows = (_base(Vehicle.select(Vehicle.id, Vehicle.plate, Vehicle.warranty_expiry, Customer.id, Customer.name,
                                 Customer.mobile))
            .where(Vehicle.warranty_expiry.between(start, end) & _after((Vehicle.warranty_expiry, Vehicle.id), after))
            .order_by(Vehicle.warranty_expiry, Vehicle.id).limit(limit).offset(offset).tuples())
    return [Reminder("warranty", cid, name, mobile, vid, plate, exp,
                     _("warranty ends {date} (list of the 25th: {start} to {end})").format(
                         date=i18n.date(exp), start=f"{start:%m-%d}", end=f"{end:%m-%d}"), (exp, vid))
            for vid, plate, exp, cid, name, mobile in rows]


def lost(*, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    """Customers whose last visit was more than lost_after_months ago, however long ago, the most recently
    seen first (workshop/winback.py lists them with their win-back calls)."""
    from workshop.winback import lost_before
    rows = (Customer.select(Customer.id, Customer.name, Customer.mobile, Customer.last_visit_at)
            .where((Customer.last_visit_at < lost_before())
                   & _after((Customer.last_visit_at, Customer.id), after, descending=True))
            .order_by(Customer.last_visit_at.desc(), Customer.id.desc()).limit(limit).offset(offset).tuples())
    return [Reminder("lost", cid, name, mobile, None, "", when.date(),
                     _("no visit since {date}").format(date=i18n.date(when)), (when, cid))
            for cid, name, mobile, when in rows]


BIRTHDAY_DAYS = 8  # today and the week after


def birthdays(*, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    """Customers whose birthday falls in the next week, soonest first: ranges of the customers'
    "MM-DD" key (workshop/lookup.py), two when the week runs into January."""
    today = clock.today()
    first, last = (birthday_key(today + dt.timedelta(days=d)) for d in (0, BIRTHDAY_DAYS - 1))
    ranges = [(first, last)] if first <= last else [(first, "12-31"), ("01-01", last)]
    if after is not None and after.key:  # from the range the last row shown is in
        ranges = ranges[next((i for i, (low, high) in enumerate(ranges) if low <= after.key[0] <= high), 0):]
    rows = []
    for i, (low, high) in enumerate(ranges):
        rows.extend(Customer.select(Customer.id, Customer.name, Customer.mobile, Customer.birthday,
                                    Customer.birthday_md)
                    .where(Customer.birthday_md.between(low, high)
                           & _after((Customer.birthday_md, Customer.id), after if i == 0 else None))
                    .order_by(Customer.birthday_md, Customer.id).limit(limit + offset - len(rows)).tuples())
        if len(rows) >= limit + offset:
            break
    return [Reminder("birthday", cid, name, mobile, None, "", b, _("birthday {day}").format(day=f"{b:%m-%d}"), (md, cid))
            for cid, name, mobile, b, md in rows[offset:offset + limit]]


LISTS = {"maintenance": maintenance, "insurance": insurance, "warranty": warranty, "lost": lost,
         "birthday": birthdays}


def due(kind: str, *, limit: int = 100, offset: int = 0, after: Reminder | None = None) -> list[Reminder]:
    """One page of a reminder list: ``after`` the last row of the page before (keyset), or ``offset`` rows in."""
    return LISTS[kind](limit=limit, offset=offset, after=after)


def create_calls(reminders: list[Reminder], *, by: Staff) -> int:
    """A reminder call for each (skipping customers who already have an open reminder call of that kind)."""
    from workshop.callbacks import assign_agent

    def work():
        nonlocal by
        by = require(by, "create_callback")
        made = 0
        for r in reminders:
            # (stored in no one's language: the list's English name, a code, and the date it is about)
            reason = f"{KINDS[r.kind]}: {r.due:%Y-%m-%d}" if r.due else KINDS[r.kind]
            exists = Callback.select().where((Callback.customer == r.customer_id) & (Callback.kind == "reminder")
                                             & (Callback.status == "open")
                                             & Callback.reason.startswith(KINDS[r.kind])).exists()
            if exists:
                continue
            cb = Callback.create(customer=r.customer_id, vehicle=r.vehicle_id, kind="reminder", reason=reason,
                                 required=False, due=clock.today(), window_end=clock.today() + dt.timedelta(days=7),
                                 agent=assign_agent(None), created_at=clock.now())
            audit.record(by, "callback_created", "callback", cb.id, Phrase(
                N_("Reminder call: {kind} {due}"), kind=Phrase(KINDS[r.kind]), due=f"{r.due:%Y-%m-%d}" if r.due else ""))
            made += 1
        return made

    return run_write(work)


__all__ = ["due", "create_calls", "next_service", "KINDS", "warranty_window", "record_visit", "rebuild_visit_facts",
           "SQL", "fn", "RepairOrder"]
