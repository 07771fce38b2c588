"""What screens show of appointments: the rows of a day, tomorrow's reminder list, today's expected cars (the
board's lane), a car's appointments. Apart from the booking rules (workshop/appointments.py, which re-exports
these), so the board's first frame loads the queries it needs and not capacity, prices and pre-picking."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, fn

from models.appointments import Appointment, AppointmentCall, AppointmentLine
from models.base import built_once
from models.db import db
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from models.shop import Operation
from workshop import clock
from workshop.errors import NotFound
from workshop.i18n import _, local

OPEN = ("booked", "confirmed")


@dataclass(frozen=True)
class AppointmentRow:
    id: int
    number: int
    version: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str
    source: str
    plate: str
    vehicle_id: int
    customer: str
    contact_name: str
    contact_phone: str
    work: str            # the operations' names, in order
    hours: Decimal
    estimate: Decimal
    parts_short: bool
    advisor: str
    overbooked: bool
    order_number: int | None
    calls: int = 0
    last_outcome: str | None = None

    @property
    def label(self) -> str:
        """"AP 12" / "预约 12", in the reader's language."""
        return _("AP {number}").format(number=self.number)


def _as_dt(value):
    return value if value is None or isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _prepared(key: tuple, build, *args):
    """Run the query ``build(*args)`` with its SQL built once per key: Peewee takes milliseconds to build a
    query of four joins, more than SQLite takes to answer it. ``build`` gets one stand-in per argument (a
    datetime or an id) and must use them as given."""
    standins = [dt.datetime(1111, 1, 1, 0, 0, i) if isinstance(a, dt.datetime) else -(2**62) - i
                for i, a in enumerate(args)]

    def compile_():
        sql, params = build(*standins).sql()
        slots = [next((i for i, x in enumerate(standins) if type(p) is type(x) and p == x), None) for p in params]
        return sql, params, slots

    sql, params, slots = built_once(("appointments",) + key, compile_)
    return db.execute_sql(sql, [p if s is None else args[s] for p, s in zip(params, slots)]).fetchall()


def _main_query(where, order_by, limit):
    query = (Appointment.select(Appointment.id, Appointment.number, Appointment.version, Appointment.starts_at,
                                Appointment.ends_at, Appointment.state, Appointment.source, Vehicle.plate,
                                Appointment.vehicle, Customer.name, Appointment.contact_name, Appointment.contact_phone,
                                Appointment.hours, Appointment.estimate, Appointment.parts_short, Staff.name,
                                Appointment.overbooked_by, RepairOrder.number)
             .join(Vehicle, on=(Appointment.vehicle == Vehicle.id)).switch(Appointment)
             .join(Customer, on=(Appointment.customer == Customer.id)).switch(Appointment)
             .join(Staff, on=(Appointment.accepted_by == Staff.id)).switch(Appointment)
             .join(RepairOrder, JOIN.LEFT_OUTER, on=(Appointment.order == RepairOrder.id))
             .where(where).order_by(*order_by))
    return query.limit(limit) if limit is not None else query


def _rows(key: str, where, *args, order_by=None, limit: int | None = None) -> list[AppointmentRow]:
    """The appointments matching ``where(*args)`` (a condition on Appointment) with their car, customer, advisor,
    order, work and calls: three queries over the same index range (no list of ids to send), each built once."""
    order_by = order_by or (Appointment.starts_at, Appointment.id)
    rows = _prepared((key, "main"), lambda *a: _main_query(where(*a), order_by, limit), *args)
    if not rows:
        return []
    names: dict[int, list[str]] = {}
    calls: dict[int, tuple[int, str]] = {}
    lines = _prepared((key, "lines"), lambda *a: (
        AppointmentLine.select(AppointmentLine.appointment, AppointmentLine.name, Operation.name_zh)
        .join(Appointment, on=(AppointmentLine.appointment == Appointment.id))
        .switch(AppointmentLine).join(Operation, on=(AppointmentLine.operation == Operation.id))
        .where(where(*a)).order_by(AppointmentLine.appointment, AppointmentLine.position)), *args)
    for appointment_id, name, name_zh in lines:
        names.setdefault(appointment_id, []).append(local(name, name_zh))  # in the reader's language
    for appointment_id, outcome in _prepared((key, "calls"), lambda *a: (
            AppointmentCall.select(AppointmentCall.appointment, AppointmentCall.outcome)
            .join(Appointment, on=(AppointmentCall.appointment == Appointment.id)).where(where(*a))
            .order_by(AppointmentCall.id)), *args):
        count, _last = calls.get(appointment_id, (0, None))
        calls[appointment_id] = (count + 1, outcome)
    return [AppointmentRow(aid, number, version, _as_dt(starts), _as_dt(ends), state, source, plate, vid, customer,
                           cname, cphone, ", ".join(names.get(aid, ())), _hours_of(hours), _money_of(estimate),
                           bool(short), advisor, over is not None, order_number, *calls.get(aid, (0, None)))
            for (aid, number, version, starts, ends, state, source, plate, vid, customer, cname, cphone, hours,
                 estimate, short, advisor, over, order_number) in rows]


def _hours_of(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


_money_of = _hours_of  # two places too; SQLite hands both back as floats


def _day(day: dt.date):
    start = dt.datetime.combine(day, dt.time())
    return (Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1))


def _between(start, end):
    return (Appointment.starts_at >= start) & (Appointment.starts_at < end)


def _open_between(start, end):
    return _between(start, end) & Appointment.state.in_(OPEN)


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time())
    return start, start + dt.timedelta(days=1)


def _in_shop(key: str, where, args: tuple, shop: int | None):
    """A list's key, condition and arguments, limited to ``shop``'s appointments (a group's terminal; None: every
    one, as in a one-shop database). The shop is one more argument, so each statement is still built once."""
    if shop is None:
        return (key, where, *args)
    return (f"{key} shop", lambda *a: where(*a[:-1]) & (Appointment.shop == a[-1]), *args, shop)


def day_list(day: dt.date, *, include_closed: bool = True, shop: int | None = None) -> list[AppointmentRow]:
    """A day's appointments (at ``shop``, in a group) by time (a day holds a few hundred at most: no paging
    needed)."""
    if include_closed:
        return _rows(*_in_shop("day", _between, _bounds(day), shop))
    return _rows(*_in_shop("day open", _open_between, _bounds(day), shop))


def reminder_list(day: dt.date | None = None, shop: int | None = None) -> list[AppointmentRow]:
    """Tomorrow's (or ``day``'s) appointments (at ``shop``, in a group) to call or message: not yet confirmed
    first, then by time."""
    rows = _rows(*_in_shop("day open", _open_between, _bounds(day or clock.today() + dt.timedelta(days=1)), shop))
    return sorted(rows, key=lambda r: (r.state == "confirmed", r.starts_at, r.id))


def expected_arrivals(day: dt.date | None = None, shop: int | None = None) -> list[AppointmentRow]:
    """Cars still expected today (booked or confirmed; at ``shop``, in a group), by time: the board's lane
    beside 'checked in'."""
    return _rows(*_in_shop("day open", _open_between, _bounds(day or clock.today()), shop))


def of_vehicle(vehicle_id: int, *, limit: int = 20) -> list[AppointmentRow]:
    """A car's appointments, newest first (the customer's file)."""
    return _rows(f"vehicle {limit}", lambda vid: Appointment.vehicle == vid, vehicle_id,
                 order_by=(Appointment.starts_at.desc(), Appointment.id.desc()), limit=limit)


def get(appointment_id: int) -> AppointmentRow:
    rows = _rows("one", lambda aid: Appointment.id == aid, appointment_id)
    if not rows:
        raise NotFound(_("That appointment does not exist."))
    return rows[0]


def open_for_vehicles(vehicle_ids: list[int]) -> dict[int, dt.datetime]:
    """The time of each of these cars' next open appointment (one query, for a page of a reminder list)."""
    if not vehicle_ids:
        return {}
    result: dict[int, dt.datetime] = {}
    for vehicle_id, starts_at in (Appointment.select(Appointment.vehicle, Appointment.starts_at)
                                  .where(Appointment.vehicle.in_(vehicle_ids) & Appointment.state.in_(OPEN))
                                  .order_by(Appointment.starts_at).tuples()):
        result.setdefault(vehicle_id, _as_dt(starts_at))
    return result


def count_open(day: dt.date, shop: int | None = None) -> int:
    where = _day(day) & Appointment.state.in_(OPEN)
    if shop is not None:
        where &= Appointment.shop == shop
    return Appointment.select(fn.COUNT(Appointment.id)).where(where).scalar()
