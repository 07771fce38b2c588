"""Parts ready before the car arrives (零件預先檢料): an appointment holds its expected parts in stock for its
date, the parts clerk sees tomorrow's pre-picks, and a shortage is flagged on the appointment days ahead.

Rules, decided here:
- an appointment's parts are reserved when it is booked, from its shop's stock (PartStock.reserved counts them
  with the orders' of that shop), from free stock first, then from what later appointments hold: the need that comes sooner is served first;
- a repair order's part line that is short takes over what appointments due after the order's promised time
  hold (the car in the shop before a car not yet here, unless that car is due earlier); an order's own
  reservation is never taken;
- goods received fill shortages in the order of the date they are needed, appointments' and orders' alike
  (workshop/parts.py ``_fill_reservations`` calls ``fill`` before each order line);
- an appointment that does not hold all it needs is flagged ``parts_short`` (the clerk's and the advisor's
  lists show it from the day it is booked); cancelled, no-show and arrived appointments hold nothing: at
  arrival the repair order's own part lines take the parts over in the same transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, fn

from models.appointments import Appointment, AppointmentPart
from models.parts import Part, PartStock
from models.people import Vehicle
from workshop import audit, clock, parts, settings
from workshop.i18n import N_, _, local
from workshop.phrase import Phrase


HOLDING = ("booked", "confirmed")
ZERO = Decimal("0")


def _flag(appointment_id: int) -> bool:
    """Set the appointment's ``parts_short`` from its parts; returns it."""
    short = (AppointmentPart.select().where((AppointmentPart.appointment == appointment_id)
                                            & (AppointmentPart.reserved < AppointmentPart.qty)).exists())
    Appointment.update(parts_short=short).where(Appointment.id == appointment_id).execute()
    return short


def hold(appointment: Appointment, wanted: list[tuple[Part, Decimal, int | None]]) -> bool:
    """Inside the booking's transaction: the parts of a new appointment, each (part, quantity, operation id),
    held for its date. Returns whether any is short."""
    for part, qty, operation_id in wanted:
        got = parts._reserve(part.id, appointment.shop_id, qty)
        if got < qty:
            got += _give_up(part.id, appointment.shop_id, qty - got, appointment.starts_at, taker=appointment.label)
        AppointmentPart.create(appointment=appointment.id, part=part.id, operation=operation_id, qty=qty, reserved=got)
    return _flag(appointment.id)


def release(appointment_id: int) -> list[tuple[int, Decimal]]:
    """Inside a transaction: everything the appointment holds goes back to free stock (cancelled, no-show,
    arrived). Returns (part id, quantity) released."""
    released = []
    shop = Appointment.select(Appointment.shop).where(Appointment.id == appointment_id).scalar()
    for line in AppointmentPart.select().where((AppointmentPart.appointment == appointment_id)
                                               & (AppointmentPart.reserved > 0)):
        parts._unreserve(line.part_id, shop, Decimal(line.reserved))
        released.append((line.part_id, Decimal(line.reserved)))
        AppointmentPart.update(reserved=ZERO).where(AppointmentPart.id == line.id).execute()
    return released


def _give_up(part_id: int, shop: int, wanted: Decimal, needed_at: dt.datetime, *, taker: str, by=None) -> Decimal:
    """Take up to ``wanted`` of what appointments of a shop due after ``needed_at`` hold of a part, the latest
    first; the reservation changes hands (PartStock.reserved stays). Each appointment that gives up is flagged
    short."""
    taken = ZERO
    holders = (AppointmentPart.select(AppointmentPart, Appointment).join(Appointment)
               .where((AppointmentPart.part == part_id) & (AppointmentPart.reserved > 0) & (Appointment.shop == shop)
                      & Appointment.state.in_(HOLDING) & (Appointment.starts_at > needed_at))
               .order_by(Appointment.starts_at.desc(), AppointmentPart.id.desc()))
    for line in holders:
        if taken >= wanted:
            break
        give = min(Decimal(line.reserved), wanted - taken)
        AppointmentPart.update(reserved=AppointmentPart.reserved - give).where(AppointmentPart.id == line.id).execute()
        taken += give
        _flag(line.appointment_id)
        code = Part.select(Part.code).where(Part.id == part_id).scalar()
        audit.record(by, "appointment_parts_taken", "appointment", line.appointment_id,
                     Phrase(N_("{appointment}: {qty} of {part} went to {taker}, needed sooner; now short"),
                            appointment=line.appointment.label, qty=parts.fmt(give), part=code, taker=taker),
                     after={"part": part_id, "qty": give, "taker": taker})
    return taken


def _yield_to_order(part_id: int, shop: int, wanted: Decimal, needed_at) -> Decimal:
    return _give_up(part_id, shop, wanted, needed_at, taker=_("a repair order"))


def fill(part_id: int, shop: int, needed_by: dt.datetime | None, by) -> None:
    """From a shop's free stock, fill the shortages of its appointments needed by ``needed_by`` (all when None),
    the earliest first (goods received)."""
    short = (AppointmentPart.select(AppointmentPart, Appointment).join(Appointment)
             .where((AppointmentPart.part == part_id) & (AppointmentPart.reserved < AppointmentPart.qty)
                    & Appointment.state.in_(HOLDING) & (Appointment.shop == shop))
             .order_by(Appointment.starts_at, AppointmentPart.id))
    if needed_by is not None:
        short = short.where(Appointment.starts_at <= needed_by)
    for line in short:
        got = parts._reserve(part_id, shop, Decimal(line.qty) - Decimal(line.reserved))
        if not got:
            break
        AppointmentPart.update(reserved=AppointmentPart.reserved + got).where(AppointmentPart.id == line.id).execute()
        if not _flag(line.appointment_id):
            audit.record(by, "appointment_parts_ready", "appointment", line.appointment_id,
                         Phrase(N_("{appointment}: every part is held now"), appointment=line.appointment.label))


def held() -> dict[tuple[int, int], Decimal]:
    """What appointments hold, per (part, shop) (for parts.reservation_problems)."""
    return {(part_id, shop): Decimal(str(total)) for part_id, shop, total in
            AppointmentPart.select(AppointmentPart.part, Appointment.shop, fn.SUM(AppointmentPart.reserved))
            .join(Appointment).where(Appointment.state.in_(HOLDING) & (AppointmentPart.reserved > 0))
            .group_by(AppointmentPart.part, Appointment.shop).tuples()}


parts.HELD.append(held)
parts.YIELD.append(_yield_to_order)
parts.FILL.append(fill)


# --- what the clerk and the advisor see -----------------------------------------------------------

@dataclass(frozen=True)
class PrepickRow:
    appointment_id: int
    appointment_number: int
    starts_at: dt.datetime
    plate: str
    code: str
    name: str
    unit: str
    bin: str
    qty: Decimal
    held: Decimal
    on_hand: Decimal

    @property
    def short(self) -> Decimal:
        return max(ZERO, self.qty - self.held)


def _rows(query) -> list[PrepickRow]:
    rows = (query.select(Appointment.id, Appointment.number, Appointment.starts_at, Vehicle.plate, Part.code,
                         Part.name, Part.name_zh, Part.unit, fn.COALESCE(PartStock.bin, Part.bin), AppointmentPart.qty,
                         AppointmentPart.reserved, fn.COALESCE(PartStock.on_hand, 0)).tuples())
    return [PrepickRow(aid, number, at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at)), plate,
                       code, local(name, name_zh), unit, bin_ or "", Decimal(str(qty)), Decimal(str(held_)),
                       Decimal(str(on_hand)))
            for aid, number, at, plate, code, name, name_zh, unit, bin_, qty, held_, on_hand in rows]


def _joined():
    """Appointment parts with the car, the part, and the stock of the appointment's shop (bin, on hand)."""
    return (AppointmentPart.select().join(Appointment).join(Vehicle, on=(Appointment.vehicle == Vehicle.id))
            .switch(AppointmentPart).join(Part, on=(AppointmentPart.part == Part.id))
            .join(PartStock, JOIN.LEFT_OUTER, on=((PartStock.part == AppointmentPart.part)
                                                  & (PartStock.shop == Appointment.shop))))


def _query(shop: int | None = None):
    """The parts held for appointments (``shop``: booked into that shop of a group, whose counter puts them
    ready from its own stock)."""
    query = _joined().where(Appointment.state.in_(HOLDING))
    return query if shop is None else query.where(Appointment.shop == shop)


def prepicks(day: dt.date | None = None, *, limit: int = 200, offset: int = 0,
             shop: int | None = None) -> list[PrepickRow]:
    """The parts to put ready for a day's appointments (tomorrow's by default), by time, then bin."""
    day = day or clock.today() + dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time())
    query = _query(shop).where((Appointment.starts_at >= start) & (Appointment.starts_at < start + dt.timedelta(days=1)))
    return _rows(query.order_by(Appointment.starts_at, Appointment.id, fn.COALESCE(PartStock.bin, Part.bin), Part.code)
                 .limit(limit).offset(offset))


def shortages(days: int | None = None, *, limit: int = 200, offset: int = 0,
              shop: int | None = None) -> list[PrepickRow]:
    """Parts short for appointments from now to ``days`` ahead (appointment_parts_lookahead_days), soonest
    first: what the clerk orders and the advisor warns the customer about, days before the car comes."""
    days = int(settings.get("appointment_parts_lookahead_days")) if days is None else days
    now = clock.now()
    query = _query(shop).where((Appointment.starts_at >= now.replace(hour=0, minute=0, second=0))
                           & (Appointment.starts_at < now + dt.timedelta(days=days))
                           & (AppointmentPart.reserved < AppointmentPart.qty))
    return _rows(query.order_by(Appointment.starts_at, Appointment.id, Part.code).limit(limit).offset(offset))


def appointment_parts(appointment_id: int) -> list[PrepickRow]:
    return _rows(_joined().where(AppointmentPart.appointment == appointment_id).order_by(AppointmentPart.id))


__all__ = ["hold", "release", "fill", "held", "prepicks", "shortages", "appointment_parts", "PrepickRow"]
