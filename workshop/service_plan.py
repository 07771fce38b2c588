"""A car's maintenance plan (新车保养计划): the first service (首保) and the regular services (定保) after it,
so that a car never serviced here is reminded of its first service, and a planned service that fell due
and was not done stays on the maintenance list until it is done or the next one falls due.

The rules, with their numbers as settings:
- the plan is made for a car with a purchase date that has not been serviced here, as long as its last
  planned service is still ahead (a time-driven rule, ``plan_new_cars``; or ``make_plan`` at once);
- service k (1 = the first) is due at purchase mileage + first_service_km + (k-1) x maintenance_km, or
  first_service_months + (k-1) x maintenance_months after the purchase date, whichever comes first; the km
  are reached at typical_daily_km a day until the car has been here, then at its own pace (from the
  purchase, or from its previous visit, to the last one); there are service_plan_services of them;
- one service at a time is open (the car's next); a maintenance order delivered does it; when the next
  one falls due first, the open one is missed and the next opens (``advance``, a time-driven rule);
- the maintenance list shows the open services due by the look-ahead, however long ago they fell due;
  a car with a plan still running is not on the list by its mileage pace as well (workshop/reminders.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from models.db import run_write
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from models.service_plan import PlannedService
from workshop import audit, clock, lifecycle, settings
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _
from workshop.phrase import Phrase
from workshop.permissions import require
from workshop.winback import add_months

RUNNING = ("planned", "open")
PLANS_PER_RUN = 500  # cars a run of the rule plans: a shop's first run with thousands of new cars is spread


@dataclass(frozen=True)
class Planned:
    seq: int
    due_km: int
    planned_date: dt.date
    due_date: dt.date


def plan_dates(purchase_date: dt.date, purchase_mileage: int | None) -> list[Planned]:
    """The services of a new car's plan (the rule in the module docstring), before the car has been here."""
    first_km, first_months = int(settings.get("first_service_km")), int(settings.get("first_service_months"))
    km, months, daily = int(settings.get("maintenance_km")), int(settings.get("maintenance_months")), int(settings.get("typical_daily_km"))
    start_km = purchase_mileage or 0
    plan = []
    for k in range(int(settings.get("service_plan_services"))):
        due_km = start_km + first_km + k * km
        planned = add_months(purchase_date, first_months + k * months)
        due = planned
        if daily > 0:
            due = min(planned, purchase_date + dt.timedelta(days=(due_km - start_km) // daily))
        plan.append(Planned(k + 1, due_km, planned, due))
    return plan


def _statuses(dates: list[dt.date], today: dt.date) -> list[str]:
    """Missed while the next one is already due; the first not missed is open; the rest planned."""
    statuses, opened = [], False
    for i, _due in enumerate(dates):
        if opened:
            statuses.append("planned")
        elif i + 1 < len(dates) and dates[i + 1] <= today:
            statuses.append("missed")
        else:
            statuses.append("open")
            opened = True
    return statuses


def _insert_plan(vehicle: Vehicle) -> int:
    plan = plan_dates(vehicle.purchase_date, vehicle.purchase_mileage)
    statuses = _statuses([p.due_date for p in plan], clock.today())
    PlannedService.insert_many([dict(vehicle=vehicle.id, seq=p.seq, due_km=p.due_km, planned_date=p.planned_date,
                                     due_date=p.due_date, status=status)
                                for p, status in zip(plan, statuses)]).execute()
    return len(plan)


def _has_plan(vehicle_id: int) -> bool:
    return PlannedService.select().where(PlannedService.vehicle == vehicle_id).exists()


def make_plan(vehicle_id: int, *, by: Staff) -> int:
    """Make a car's maintenance plan now (from its purchase date and mileage); how many services it holds."""

    def work():
        nonlocal by
        by = require(by, "create_callback")
        vehicle = Vehicle.get_or_none(Vehicle.id == vehicle_id)
        if vehicle is None:
            raise NotFound(_("That vehicle does not exist."))
        if vehicle.purchase_date is None:
            raise InvalidInput(_("The car's purchase date is not on file: a plan starts from it."), "purchase_date")
        if _has_plan(vehicle.id):
            raise InvalidInput(_("{plate} already has a maintenance plan.").format(plate=vehicle.plate), "vehicle")
        made = _insert_plan(vehicle)
        audit.record(by, "service_plan_made", "vehicle", vehicle.id,
                     Phrase(N_("Maintenance plan for {plate}: {count} services from {date}"),
                            plate=vehicle.plate, count=made, date=vehicle.purchase_date))
        return made

    return run_write(work)


def plan_registered(vehicle: Vehicle, *, by: Staff | None) -> int:
    """Inside the transaction that registered a car or changed its purchase date or mileage: its plan at
    once, if the rule would plan it (bought within the plan's span, never serviced here), instead of at the
    time-driven rule's next run. A plan none of whose services is done yet is made again from the new date
    (or dropped, if the car no longer qualifies). How many services the car's plan now holds."""
    if vehicle.last_visit_at is not None:
        return 0
    statuses = [status for (status,) in PlannedService.select(PlannedService.status)
                .where(PlannedService.vehicle == vehicle.id).tuples()]
    if "done" in statuses:
        return len(statuses)
    if statuses:
        PlannedService.delete().where(PlannedService.vehicle == vehicle.id).execute()
    today = clock.today()
    bought = vehicle.purchase_date
    if bought is None or not _plan_span_start(today) <= bought <= today:
        if statuses:
            audit.record(by, "service_plan_dropped", "vehicle", vehicle.id,
                         Phrase(N_("Maintenance plan of {plate} dropped: its purchase date no longer starts one"),
                                plate=vehicle.plate))
        return 0
    made = _insert_plan(vehicle)
    audit.record(by, "service_plan_made", "vehicle", vehicle.id,
                 Phrase(N_("Maintenance plan for {plate}: {count} services from {date}"),
                        plate=vehicle.plate, count=made, date=str(bought)))
    return made


def _plan_span_start(today: dt.date) -> dt.date:
    """Cars bought before this have every planned service behind them (all but the last missed, and that
    due long ago): no plan is made for them; they are on the lost or the pace list once they have come."""
    return add_months(today, -(int(settings.get("first_service_months")) + (int(settings.get("service_plan_services")) - 1)
                               * int(settings.get("maintenance_months"))))


def plan_new_cars(*, by: Staff | None = None) -> int:
    """A time-driven rule: a plan for every car with a purchase date, never serviced here and without one
    (an index range on vehicle (last_visit_at, purchase_date): the cars never serviced, by purchase date).
    Idempotent; at most PLANS_PER_RUN cars a run."""
    today = clock.today()
    planned = PlannedService.select().where(PlannedService.vehicle == Vehicle.id)

    def candidates():
        return list(Vehicle.select(Vehicle.id, Vehicle.purchase_date, Vehicle.purchase_mileage)
                    .where(Vehicle.last_visit_at.is_null() & (Vehicle.purchase_date >= _plan_span_start(today))
                           & (Vehicle.purchase_date <= today) & ~fn.EXISTS(planned))
                    .order_by(Vehicle.purchase_date, Vehicle.id).limit(PLANS_PER_RUN))

    if not candidates():
        return 0

    def work():
        made = 0
        for vehicle in candidates():  # again, under the write lock
            _insert_plan(vehicle)
            made += 1
        if made:
            audit.record(by, "service_plans_made", "vehicle", 0, Phrase(Nn_(
                "Maintenance plan made for {n} car never serviced here",
                "Maintenance plans made for {n} cars never serviced here"), n=made),
                after={"cars": made})
        return made

    return run_write(work)


def advance(*, by: Staff | None = None) -> int:
    """A time-driven rule: a car's open service is missed once its next one falls due; the next opens.
    Idempotent; the planned services fallen due are an index range on (status, due_date)."""
    today = clock.today()

    def due_now():  # by date (the index's order): a car's earlier service comes first
        return list(PlannedService.select(PlannedService.id, PlannedService.vehicle, PlannedService.seq)
                    .where((PlannedService.status == "planned") & (PlannedService.due_date <= today))
                    .order_by(PlannedService.due_date, PlannedService.id))

    if not due_now():
        return 0

    def work():
        moved = 0
        opened: set[int] = set()
        for item in due_now():
            if item.vehicle_id in opened:  # its later service falls due too: the next run moves on to it
                continue
            missed = (PlannedService.update(status="missed", closed_at=clock.now())
                      .where((PlannedService.vehicle == item.vehicle_id) & (PlannedService.status.in_(RUNNING))
                             & (PlannedService.seq < item.seq)).execute())
            PlannedService.update(status="open").where(PlannedService.id == item.id).execute()
            opened.add(item.vehicle_id)
            moved += missed + 1
        if moved:
            audit.record(by, "service_plans_advanced", "vehicle", 0,
                         Phrase(N_("Planned services fallen due: {count} moved on"), count=moved))
        return moved

    # Several services of one car may fall due at once (a long pause): run until nothing moves.
    total = 0
    for _round in range(int(settings.get("service_plan_services"))):
        moved = run_write(work) if due_now() else 0
        total += moved
        if not moved:
            break
    return total


def _pace(order: RepairOrder, vehicle: Vehicle) -> float | None:
    """km a day: from the car's previous visit to this one, else from its purchase (None if unknown)."""
    if order.last_visit_date and order.last_visit_mileage is not None:
        start, km = order.last_visit_date, order.last_visit_mileage
    elif vehicle.purchase_date:
        start, km = vehicle.purchase_date, vehicle.purchase_mileage or 0
    else:
        return None
    days = (order.time_in.date() - start).days
    if days <= 0 or order.mileage_in <= km:
        return None
    return (order.mileage_in - km) / days


def _on_delivered(order: RepairOrder, by: Staff) -> None:
    """After-deliver hook (inside the delivery's transaction): a maintenance order does the car's open
    planned service and opens the next; the rest are due at the car's own pace if that comes first."""
    items = list(PlannedService.select().where((PlannedService.vehicle == order.vehicle_id)
                                               & PlannedService.status.in_(RUNNING)).order_by(PlannedService.seq))
    if not items:
        return
    now = clock.now()
    if order.business_type == "maintenance":
        done = next((i for i in items if i.status == "open"), items[0])
        PlannedService.update(status="done", order=order.id, closed_at=now).where(PlannedService.id == done.id).execute()
        items = [i for i in items if i.seq > done.seq]
        if items:
            PlannedService.update(status="open").where(PlannedService.id == items[0].id).execute()
        audit.record(by, "planned_service_done", "vehicle", order.vehicle_id,
                     Phrase(N_("Planned service {number} done by {order}"), number=done.seq, order=order.label),
                     order_id=order.id, after={"seq": done.seq})
    vehicle = Vehicle.get_by_id(order.vehicle_id)
    daily = _pace(order, vehicle)
    visit = order.time_in.date()
    for item in items:
        if item.due_km <= order.mileage_in:
            due = min(item.planned_date, visit)
        elif daily:
            due = min(item.planned_date, visit + dt.timedelta(days=int((item.due_km - order.mileage_in) / daily)))
        else:
            continue
        if due != item.due_date:
            PlannedService.update(due_date=due).where(PlannedService.id == item.id).execute()


lifecycle.add_after("deliver", _on_delivered)


# --- the list ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueService:
    id: int
    vehicle_id: int
    plate: str
    model: str
    customer_id: int
    customer: str
    mobile: str
    seq: int          # 1: the first service (首保)
    due_km: int
    due_date: dt.date
    purchase_date: dt.date | None

    @property
    def key(self) -> tuple:
        return (self.due_date, self.vehicle_id)

    @property
    def detail(self) -> str:
        what = _("first service") if self.seq == 1 else _("planned service {number}").format(number=self.seq)
        return _("{what}: due at {km} km or on {date}, whichever first; bought {bought}").format(
            what=what, km=f"{self.due_km:,}", date=self.due_date, bought=self.purchase_date or "—")


def due_services(*, limit: int = 100, after: tuple | None = None, offset: int = 0) -> list[DueService]:
    """Open planned services due by the look-ahead, however long ago they fell due, soonest first (a car
    has one open at most): one index range on planned_service (status, due_date, vehicle), after ``after``
    (the (due date, car) of the last row shown: keyset) or ``offset`` rows in."""
    horizon = clock.today() + dt.timedelta(days=int(settings.get("reminder_lookahead_days")))
    query = (PlannedService.select(PlannedService.id, Vehicle.id, Vehicle.plate, Vehicle.model, Customer.id,
                                   Customer.name, Customer.mobile, PlannedService.seq, PlannedService.due_km,
                                   PlannedService.due_date, Vehicle.purchase_date)
             .join(Vehicle, on=(PlannedService.vehicle == Vehicle.id))
             .join(Customer, JOIN.INNER, on=(Vehicle.customer == Customer.id))
             .where((PlannedService.status == "open") & (PlannedService.due_date <= horizon)))
    if after is not None:
        due, vehicle_id = after
        query = query.where((PlannedService.due_date >= due)
                            & ((PlannedService.due_date > due) | (PlannedService.vehicle > vehicle_id)))
    rows = query.order_by(PlannedService.due_date, PlannedService.vehicle).limit(limit).offset(offset).tuples()
    return [DueService(*row) for row in rows]


@dataclass(frozen=True)
class PlanLine:
    seq: int
    due_km: int
    planned_date: dt.date
    due_date: dt.date
    status: str
    order_number: int | None


def plan_of(vehicle_id: int) -> list[PlanLine]:
    """A car's plan, service by service (for its file)."""
    rows = (PlannedService.select(PlannedService.seq, PlannedService.due_km, PlannedService.planned_date,
                                  PlannedService.due_date, PlannedService.status, RepairOrder.number)
            .join(RepairOrder, JOIN.LEFT_OUTER, on=(PlannedService.order == RepairOrder.id))
            .where(PlannedService.vehicle == vehicle_id).order_by(PlannedService.seq).tuples())
    return [PlanLine(*row) for row in rows]


def running_plan():
    """A condition on Vehicle: the car has a plan still running (the pace list leaves it to the plan)."""
    return fn.EXISTS(PlannedService.select(PlannedService.id).where(
        (PlannedService.vehicle == Vehicle.id) & PlannedService.status.in_(RUNNING)))


__all__ = ["plan_dates", "make_plan", "plan_registered", "plan_new_cars", "advance", "due_services", "DueService", "plan_of",
           "PlanLine", "running_plan"]
