"""Demo appointments: for the last weeks, the appointments a real shop would have had (most cars came, a few did
not, some were cancelled), and from today on, bookings made through the booking service (so they respect the
shop's capacity and hold their parts), tomorrow's mostly still to be confirmed by the day-before call."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from models.db import db
from seeds import demo

HISTORY_DAYS = 60
FROM_APPOINTMENT = 0.4   # of the cars checked in: how many had booked
NO_SHOW = 0.08           # of appointments due: no-shows
CANCELLED = 0.05


def _own(rng) -> random.Random:
    """A generator of this module's own, derived from the shop's without drawing from it: the other
    capabilities' demo data stays what it was without appointments."""
    return random.Random(hash(rng.getstate()))


def _advisors() -> list[int]:
    return [i for (i,) in db.execute_sql(
        f"SELECT id FROM staff WHERE roles LIKE {db.param} AND active ORDER BY id", ("%advisor%",))]


def _slot(at: dt.datetime) -> dt.datetime:
    return at.replace(minute=0 if at.minute < 30 else 30, second=0, microsecond=0)


def history(rng, closed, progress=None) -> None:
    """Appointments behind the last ``HISTORY_DAYS`` days of closed orders, and the no-shows and cancellations
    beside them (bulk rows: the past is not booked through today's capacity)."""
    from workshop import clock
    rng = _own(rng)
    advisors = _advisors()
    since = clock.now() - dt.timedelta(days=HISTORY_DAYS)
    recent = [c for c in closed if c.time_in >= since]
    if not recent or not advisors:
        return
    number = (db.execute_sql("SELECT MAX(number) FROM appointment").fetchone()[0] or 0) + 1
    rows = []
    vehicles = [(c.vehicle_id, c.customer_id) for c in recent]
    for order in recent:
        starts = _slot(order.time_in - dt.timedelta(minutes=rng.randint(-10, 40)))
        accepted = starts - dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6))
        advisor = order.advisor_id if rng.random() < 0.7 else rng.choice(advisors)
        if rng.random() < FROM_APPOINTMENT:
            rows.append((number, order.vehicle_id, order.customer_id, starts, "arrived", order.id, order.time_in,
                         None, advisor, accepted, order.business_type))
            number += 1
        roll = rng.random()
        if roll < NO_SHOW * FROM_APPOINTMENT + CANCELLED * FROM_APPOINTMENT:
            vid, cid = rng.choice(vehicles)
            state = "no_show" if roll < NO_SHOW * FROM_APPOINTMENT else "cancelled"
            closed_at = starts + dt.timedelta(hours=1) if state == "no_show" else accepted + dt.timedelta(days=1)
            rows.append((number, vid, cid, starts + dt.timedelta(hours=rng.choice([1, 2, 3])), state, None, None,
                         closed_at, advisor, accepted, "maintenance"))
            number += 1
    if not rows:
        return
    phones = dict(db.execute_sql("SELECT id, mobile FROM customer WHERE id IN (%s)"
                                 % ",".join(str(cid) for cid in {r[2] for r in rows})).fetchall())
    names = dict(db.execute_sql("SELECT id, name FROM customer WHERE id IN (%s)"
                                % ",".join(str(cid) for cid in {r[2] for r in rows})).fetchall())
    demo.bulk("appointment", [
        "number", "vehicle_id", "customer_id", "contact_name", "contact_phone", "starts_at", "ends_at",
        "business_type", "hours", "estimate", "state", "source", "accepted_by_id", "accepted_at", "order_id",
        "arrived_at", "closed_at", "close_reason", "updated_at"],
        [(n, vid, cid, names[cid][:60], phones[cid], demo._ts(starts), demo._ts(starts + dt.timedelta(hours=1)),
          btype, "1.0", "0", state, rng.choice(["phone", "phone", "reminder", "walk_in"]), advisor, demo._ts(accepted),
          order_id, demo._ts(arrived), demo._ts(closed_at), "customer asked" if state == "cancelled" else None,
          demo._ts(arrived or closed_at or accepted))
         for n, vid, cid, starts, state, order_id, arrived, closed_at, advisor, accepted, btype in rows])


def _counter() -> None:
    """The appointment numbers go on after those written in bulk."""
    from models.appointments import Appointment
    from models.orders import OrderCounter
    from peewee import fn
    highest = Appointment.select(fn.MAX(Appointment.number)).scalar() or 0
    OrderCounter.delete().where(OrderCounter.name == "appointment").execute()
    OrderCounter.create(name="appointment", next_value=highest + 1)


def upcoming(rng, active=None, *, days: int = 14, per_day: int = 24, by_login: str | None = None) -> int:
    """Bookings from now on through the booking service, ``per_day`` tried per day for ``days`` days; about
    half of them for a maintenance service. Returns how many were booked."""
    from models.people import Staff
    from workshop import appointments, capacity, clock
    from workshop.errors import DomainError
    advisors = list(Staff.select().where(Staff.roles.contains("advisor") & Staff.active))
    if by_login:
        advisors = [s for s in advisors if s.login == by_login] or advisors
    if not advisors:
        return 0
    busy = {vid for (vid,) in db.execute_sql(
        "SELECT vehicle_id FROM repair_order WHERE state NOT IN ('delivered', 'cancelled')")}
    ops = db.execute_sql("SELECT code, trade, standard_hours FROM operation ORDER BY code").fetchall()
    work_of = {c: (t, Decimal(str(h))) for c, t, h in ops}
    maintenance = [c for c, t, _h in ops if t == "quick_service"]
    repairs = [c for c, t, _h in ops if t in ("mechanical", "electrical", "alignment")]
    cap = capacity.shop_capacity()
    if not maintenance:
        return 0
    top = db.execute_sql("SELECT MAX(id) FROM vehicle").fetchone()[0] or 0
    hours = capacity.opening()
    _counter()
    booked = 0
    today = clock.today()
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        slots = [at for at in hours.day_slots(day) if at > clock.now()]
        for _ in range(per_day if slots else 0):
            vid = rng.randint(1, top)
            if vid in busy:
                continue
            codes = [rng.choice(maintenance)]
            if rng.random() < 0.35 and repairs:
                codes.append(rng.choice(repairs))
            starts_at = rng.choice(slots)
            try:
                if capacity.check(starts_at, [work_of[c] for c in codes], cap=cap)[1]:
                    continue  # full then: a real advisor would offer another time (cheaper than a refusal)
            except DomainError:
                continue
            form = appointments.AppointmentForm(
                vehicle_id=vid, starts_at=starts_at, operation_codes=codes,
                source=rng.choice(["phone", "phone", "reminder", "walk_in"]),
                business_type="maintenance" if len(codes) == 1 else "general_repair")
            try:
                appointment = appointments.book(form, by=rng.choice(advisors))
            except DomainError:
                continue   # full then, or the car already booked: a real advisor would offer another time
            busy.add(vid)
            booked += 1
            if offset == 0 or (offset == 1 and rng.random() < 0.3) or (offset > 1 and rng.random() < 0.1):
                appointments.record_call(appointment.id, "confirmed", by=rng.choice(advisors))
    return booked


def _active(rng, active) -> None:
    upcoming(_own(rng), active, days=14, per_day=10)


demo.HISTORY_EXTENSIONS.append(history)
demo.ACTIVE_EXTENSIONS.append(_active)
