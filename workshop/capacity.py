"""What the shop can take by appointment, half-hour by half-hour and trade by trade.

The rule, stated once:

- **Opening hours**: appointments start on the hour or half-hour between ``shop_opens`` and
  ``shop_closes`` (every day; ``appointment_closed_weekdays`` lists days the shop is shut).
- **Capacity of a half-hour**, per trade: 0.5 technician hours for each active technician of that trade,
  and one place per car a bay of the kind that trade works in holds (electrical and alignment work in
  mechanical bays, washing in quick-service bays, where the shop has no bay of their own).
- **Capacity of a day**, per trade: ``appointment_capacity_pct`` of the day's technician hours of that
  trade is open to appointments; the rest is kept for walk-ins and for cars already in the shop.
- **What an appointment takes**: from its start, its work trade by trade in the order it was asked for (a
  car is in one bay at a time), each half-hour 0.5 h of that trade's hours (the last one what is left) and a
  place in a bay of the trade's kind; work that does not end by the close goes on at the next opening.
- A booking is refused when any half-hour it takes, or any day's share of a trade, would go beyond capacity,
  with the next start times where the same work fits. A manager may book beyond it (audited by the appointment service).
- **A dealer group** (several shops in one database, workshop/shops.py): each shop's capacity is its own: its
  bays, the technicians whose home shop it is, and the appointments booked into it (``shop``; None in a
  one-shop database, whose queries stay as they were).

What an appointment takes is written as rows (AppointmentSlot) when it is booked, so the load of a day is
one index range, and a change of opening hours does not move what was booked before it.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import fn

from models.appointments import Appointment, AppointmentDay, AppointmentSlot
from models.people import TRADES, Staff
from models.shop import Bay
from workshop import settings
from workshop.errors import InvalidInput
from workshop.i18n import _


SLOT = dt.timedelta(minutes=30)
HALF = Decimal("0.5")
ZERO = Decimal("0")
# Where a trade works when the shop has no bay of its own kind.
BAY_FALLBACK = {"electrical": "mechanical", "alignment": "mechanical", "wash": "quick_service"}
# Appointments whose slots count against capacity: an arrived car is being worked as planned.
HOLDING = ("booked", "confirmed", "arrived")
# How far the next free start times are looked for.
SEARCH_DAYS = 14


def _time(value: str) -> dt.time:
    hours, minutes = str(value).split(":")
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class Opening:
    start: dt.time
    end: dt.time
    closed: frozenset[int]

    def is_open(self, day: dt.date) -> bool:
        return day.weekday() not in self.closed

    def day_slots(self, day: dt.date) -> list[dt.datetime]:
        """Every half-hour a car can be booked for on ``day`` (none on a closed day)."""
        if not self.is_open(day):
            return []
        at = dt.datetime.combine(day, self.start)
        close = dt.datetime.combine(day, self.end)
        result = []
        while at < close:
            result.append(at)
            at += SLOT
        return result

    def is_slot(self, at: dt.datetime) -> bool:
        return (at.second == 0 and at.microsecond == 0 and at.minute in (0, 30) and self.is_open(at.date())
                and self.start <= at.time() < self.end)

    def following(self, start: dt.datetime) -> Iterator[dt.datetime]:
        """Working half-hours from ``start`` on, past the close to the next opening (gives up after a year
        of closed days, which only a shop closed every day would reach)."""
        day = start.date()
        for _day in range(366):
            for at in self.day_slots(day):
                if at >= start:
                    yield at
            day += dt.timedelta(days=1)

    def next_slot(self, at: dt.datetime) -> dt.datetime | None:
        """The first bookable half-hour at or after ``at``."""
        rounded = at.replace(second=0, microsecond=0)
        if rounded < at or rounded.minute % 30:
            rounded = rounded.replace(minute=(rounded.minute // 30) * 30) + SLOT
        return next(self.following(rounded), None)


def opening() -> Opening:
    closed = frozenset(int(d) for d in settings.get("appointment_closed_weekdays") or ())
    return Opening(_time(settings.get("shop_opens")), _time(settings.get("shop_closes")), closed)


@dataclass(frozen=True)
class Capacity:
    """What one half-hour holds: technician hours per trade, bay places per kind; and the share of a day's
    technician hours open to appointments."""
    tech_hours: dict[str, Decimal]
    bay_places: dict[str, int]
    share: Decimal

    def bay_of(self, trade: str) -> str:
        if self.bay_places.get(trade):
            return trade
        return BAY_FALLBACK.get(trade, trade)

    def day_hours(self, trade: str, slots: int) -> Decimal:
        """Technician hours of a trade open to appointments on a day of ``slots`` half-hours."""
        return (self.tech_hours.get(trade, ZERO) * slots * self.share).quantize(Decimal("0.01"))

    @property
    def trades(self) -> list[str]:
        """The trades that can be booked at all, in the shop's order."""
        return [t for t in TRADES if self.tech_hours.get(t, ZERO) > 0 and self.bay_places.get(self.bay_of(t), 0) > 0]


def shop_capacity(shop: int | None = None) -> Capacity:
    """Technicians by trade and bay places by kind, as they are now (two grouped queries); ``shop``: of that
    shop of a group (its bays, the technicians whose home shop it is)."""
    technicians = (Staff.select(Staff.trade, fn.COUNT(Staff.id))
                   .where(Staff.active & Staff.roles.contains("technician") & Staff.trade.is_null(False)))
    bays = Bay.select(Bay.kind, fn.SUM(Bay.capacity)).where(Bay.active)
    if shop is not None:
        technicians = technicians.where(Staff.home_shop == shop)
        bays = bays.where(Bay.shop == shop)
    technicians = dict(technicians.group_by(Staff.trade).tuples())
    bays = {kind: int(places or 0) for kind, places in bays.group_by(Bay.kind).tuples()}
    return Capacity({t: HALF * n for t, n in technicians.items()}, bays,
                    Decimal(str(settings.get("appointment_capacity_pct"))) / 100)


@dataclass(frozen=True)
class Use:
    """One half-hour an appointment takes."""
    starts_at: dt.datetime
    trade: str
    bay_kind: str
    hours: Decimal


def merged(work: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """The hours of each trade, trades in the order they were first asked for."""
    totals: dict[str, Decimal] = {}
    for trade, hours in work:
        totals[trade] = totals.get(trade, ZERO) + Decimal(hours)
    return [(t, h) for t, h in totals.items() if h > 0]


def plan(start: dt.datetime, work: list[tuple[str, Decimal]], cap: Capacity, hours: Opening | None = None) -> list[Use]:
    """The half-hours an appointment starting at ``start`` takes (the rule in the module docstring)."""
    slots = (hours or opening()).following(start)
    uses = []
    for trade, total in merged(work):
        left = total
        while left > 0:
            at = next(slots)
            take = min(HALF, left)
            uses.append(Use(at, trade, cap.bay_of(trade), take))
            left -= take
    return uses


def end_of(uses: list[Use], start: dt.datetime) -> dt.datetime:
    return (uses[-1].starts_at if uses else start) + SLOT


@dataclass
class Load:
    """Technician hours and bay places taken by appointments, per half-hour; technician hours per day."""
    tech: dict[tuple[dt.datetime, str], Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    bays: dict[tuple[dt.datetime, str], int] = field(default_factory=lambda: defaultdict(int))
    days: dict[tuple[dt.date, str], Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))


def _as_dt(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


CENT = Decimal("0.01")


def load_of_days(first: dt.date, last: dt.date, *, excluding: int | None = None, shop: int | None = None) -> Load:
    """What the appointments that hold capacity take on the days from ``first`` to ``last`` (``shop``: those
    booked into that shop of a group): one index range, summed per half-hour, trade and bay kind by the
    database (a few hundred rows for two weeks of a large shop, not every slot)."""
    query = (AppointmentSlot.select(AppointmentSlot.starts_at, AppointmentSlot.trade, AppointmentSlot.bay_kind,
                                    fn.SUM(AppointmentSlot.hours), fn.COUNT(AppointmentSlot.id))
             .join(Appointment, on=(AppointmentSlot.appointment == Appointment.id))
             .where((AppointmentSlot.starts_at >= midnight(first))
                    & (AppointmentSlot.starts_at < midnight(last + dt.timedelta(days=1)))
                    & Appointment.state.in_(HOLDING))
             .group_by(AppointmentSlot.starts_at, AppointmentSlot.trade, AppointmentSlot.bay_kind))
    if excluding is not None:
        query = query.where(AppointmentSlot.appointment != excluding)
    if shop is not None:
        query = query.where(Appointment.shop == shop)
    load = Load()
    for at, trade, kind, hours, cars in query.tuples():
        at = _as_dt(at)
        hours = Decimal(str(hours)).quantize(CENT)  # SQLite sums decimals as floats
        load.tech[(at, trade)] += hours
        load.bays[(at, kind)] += cars
        load.days[(at.date(), trade)] += hours
    return load


@dataclass(frozen=True)
class Over:
    """Why a booking does not fit: a trade full in some half-hours, or its day's share used up."""
    trade: str
    day: dt.date
    first: dt.datetime | None   # the half-hours over capacity (None: the day's share)
    last: dt.datetime | None


def over(uses: list[Use], load: Load, cap: Capacity, hours: Opening | None = None) -> list[Over]:
    """What of ``uses`` does not fit beside ``load`` (empty: it fits)."""
    hours = hours or opening()
    full: dict[tuple[dt.date, str], list[dt.datetime]] = {}
    wanted: dict[tuple[dt.date, str], Decimal] = defaultdict(lambda: ZERO)
    for use in uses:
        wanted[(use.starts_at.date(), use.trade)] += use.hours
        tech = load.tech[(use.starts_at, use.trade)] + use.hours
        bays = load.bays[(use.starts_at, use.bay_kind)] + 1
        if tech > cap.tech_hours.get(use.trade, ZERO) or bays > cap.bay_places.get(use.bay_kind, 0):
            full.setdefault((use.starts_at.date(), use.trade), []).append(use.starts_at)
    result = [Over(trade, day, times[0], times[-1] + SLOT) for (day, trade), times in full.items()]
    for (day, trade), more in wanted.items():
        if (day, trade) not in full and load.days[(day, trade)] + more > cap.day_hours(trade, len(hours.day_slots(day))):
            result.append(Over(trade, day, None, None))
    return result


def check_bookable(work: list[tuple[str, Decimal]], cap: Capacity) -> None:
    """Refuse work the shop cannot take by appointment at all: no technician of a trade, or no bay for it."""
    from models.people import TRADE_LABELS
    from workshop.i18n import label
    for trade, _hours in merged(work):
        if not cap.tech_hours.get(trade):
            raise InvalidInput(_("No {trade} technician is open to appointments: this work cannot be booked.")
                               .format(trade=label(TRADE_LABELS, trade)), "work")
        if not cap.bay_places.get(cap.bay_of(trade)) or not cap.share:
            raise InvalidInput(_("The shop has no bay for {trade} work: this work cannot be booked.")
                               .format(trade=label(TRADE_LABELS, trade)), "work")


def lock_days(days) -> None:
    """Inside a write transaction: take the rows of these days (in date order, so two bookings never wait
    on each other crosswise). An UPDATE locks the row on PostgreSQL until commit; SQLite's write transaction
    holds the whole database already. Engine-neutral: INSERT ... ON CONFLICT DO NOTHING, then UPDATE."""
    for day in sorted(set(days)):
        AppointmentDay.insert(day=day, bookings=0).on_conflict_ignore().execute()
        AppointmentDay.update(bookings=AppointmentDay.bookings + 1).where(AppointmentDay.day == day).execute()


def check(start: dt.datetime, work: list[tuple[str, Decimal]], *, excluding: int | None = None,
          cap: Capacity | None = None, lock: bool = False, shop: int | None = None) -> tuple[list[Use], list[Over]]:
    """The capacity check of a booking: the half-hours the work takes from ``start`` and what of it does not
    fit (empty: it fits). With ``lock`` (inside the booking's write transaction) the days it takes are locked
    before their load is read, so the answer holds until the booking commits. ``shop``: a group's shop (its
    capacity and its bookings; the day rows locked are the group's, which only serialises bookings more)."""
    cap = cap or shop_capacity(shop)
    check_bookable(work, cap)
    hours = opening()
    uses = plan(start, work, cap, hours)
    if lock:
        lock_days(u.starts_at.date() for u in uses)
    load = load_of_days(uses[0].starts_at.date(), uses[-1].starts_at.date(), excluding=excluding, shop=shop)
    return uses, over(uses, load, cap, hours)


def next_free(start: dt.datetime, work: list[tuple[str, Decimal]], *, excluding: int | None = None,
              count: int = 3, days: int = SEARCH_DAYS, cap: Capacity | None = None,
              shop: int | None = None) -> list[dt.datetime]:
    """The first ``count`` start times from ``start`` on (within ``days``) where this work fits. The load is
    read a day at a time as the search reaches it: the next free times are usually on the same day."""
    hours = opening()
    cap = cap or shop_capacity(shop)
    first = hours.next_slot(start)
    if first is None or not work:
        return []
    horizon = midnight(first.date() + dt.timedelta(days=days))
    load, loaded = Load(), set()
    found = []
    for candidate in hours.following(first):
        if candidate >= horizon:
            break
        uses = plan(candidate, work, cap, hours)
        for day in {u.starts_at.date() for u in uses} - loaded:
            day_load = load_of_days(day, day, excluding=excluding, shop=shop)
            for table in ("tech", "bays", "days"):
                getattr(load, table).update(getattr(day_load, table))
            loaded.add(day)
        if not over(uses, load, cap, hours):
            found.append(candidate)
            if len(found) == count:
                break
    return found


# --- the day view ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    capacity: Decimal   # technician hours of the trade in the half-hour
    booked: Decimal     # taken by appointments
    free: Decimal       # what one more booking could still take (bays counted)

    @property
    def full(self) -> bool:
        return self.free <= 0


@dataclass(frozen=True)
class SlotRow:
    starts_at: dt.datetime
    cells: dict[str, Cell]   # per trade


@dataclass(frozen=True)
class DayGrid:
    day: dt.date
    trades: list[str]
    slots: list[SlotRow]
    capacity_hours: dict[str, Decimal]   # per trade, the whole day
    booked_hours: dict[str, Decimal]
    bay_places: dict[str, int] = field(default_factory=dict)   # cars each kind of bay holds at once

    def free_hours(self, trade: str) -> Decimal:
        return max(ZERO, self.capacity_hours.get(trade, ZERO) - self.booked_hours.get(trade, ZERO))


def _kind_order(kind: str) -> int:
    from models.shop import BAY_KINDS
    return BAY_KINDS.index(kind) if kind in BAY_KINDS else len(BAY_KINDS)


def day_grid(day: dt.date, cap: Capacity | None = None, shop: int | None = None) -> DayGrid:
    """Each half-hour of a day with each trade's capacity, what is booked and what is free (three queries;
    ``shop``: a group's shop's)."""
    cap = cap or shop_capacity(shop)
    slots = opening().day_slots(day)
    load = load_of_days(day, day, shop=shop)
    trades = cap.trades
    capacity_hours = {t: cap.day_hours(t, len(slots)) for t in trades}
    booked_hours = {t: load.days[(day, t)] for t in trades}
    rows = []
    for at in slots:
        cells = {}
        for trade in trades:
            kind = cap.bay_of(trade)
            capacity = cap.tech_hours[trade]
            booked = load.tech[(at, trade)]
            bay_free = cap.bay_places.get(kind, 0) - load.bays[(at, kind)]
            # a car takes a whole bay place, and the day's share bounds everything
            free = max(ZERO, min(capacity - booked, HALF * max(bay_free, 0),
                                 capacity_hours[trade] - booked_hours[trade]))
            cells[trade] = Cell(capacity, booked, free)
        rows.append(SlotRow(at, cells))
    return DayGrid(day, trades, rows, capacity_hours, booked_hours,
                   {kind: cap.bay_places[kind] for kind in sorted(cap.bay_places, key=_kind_order)
                    if cap.bay_places[kind]})
