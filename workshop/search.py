"""Find any order, vehicle or customer across the whole history by what the person at the desk has:
an RO number, a plate, a phone number or a VIN. Each kind of text goes to its own index with a
range (prefix) query and a LIMIT, so a million orders answer as fast as a hundred."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.orders import RepairOrder
from models.people import Customer, Vehicle

LIMIT = 20
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{11,17}$")


@dataclass(frozen=True)
class Hit:
    order_id: int
    number: int
    state: str
    time_in: dt.datetime
    plate: str
    model: str
    customer: str
    mobile: str


def _prefix(field, text: str):
    """Index-friendly prefix match: text <= field < text + max char."""
    return (field >= text) & (field < text + "\uffff")


def _orders(where, limit: int) -> list[Hit]:
    # No ORDER BY in SQL: it would tempt SQLite to walk the primary key of a million orders instead
    # of the vehicle/customer index. The few orders of a handful of vehicles are sorted here.
    rows = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.state, RepairOrder.time_in,
                               Vehicle.plate, Vehicle.model, Customer.name, Customer.mobile)
            .join(Vehicle).switch(RepairOrder).join(Customer, on=(RepairOrder.customer == Customer.id))
            .where(where).limit(500).tuples())
    return sorted((Hit(*row) for row in rows), key=lambda h: -h.order_id)[:limit]


def _latest_orders_of(vehicle_ids: list[int], limit: int) -> list[Hit]:
    if not vehicle_ids:
        return []
    return _orders(RepairOrder.vehicle.in_(vehicle_ids), limit)


def kind_of(text: str) -> str:
    text = text.strip().upper().replace(" ", "")
    if text.isdigit():
        return "phone" if len(text) >= 8 else "order"
    if len(text) >= 11 and _VIN.match(text):
        return "vin"
    return "plate"


def search(text: str, *, limit: int = LIMIT) -> list[Hit]:
    """Orders matching an RO number, a plate (prefix), a phone (prefix) or a VIN (prefix), newest first."""
    text = (text or "").strip().upper().replace(" ", "")
    if not text:
        return []
    kind = kind_of(text)
    if kind in ("order", "phone"):
        # Digits are an RO number or the start of a phone number: the exact order first, then phones.
        hits = _orders(RepairOrder.number == int(text), 1) if len(text) <= 9 else []
        customers = [c for (c,) in Customer.select(Customer.id).where(_prefix(Customer.mobile, text))
                     .limit(limit).tuples()] if len(text) >= 4 else []
        if customers:
            hits += [h for h in _orders(RepairOrder.customer.in_(customers), limit) if h not in hits]
        return hits[:limit]
    field = Vehicle.vin if kind == "vin" else Vehicle.plate
    vehicles = [v for (v,) in Vehicle.select(Vehicle.id).where(_prefix(field, text)).limit(limit).tuples()]
    return _latest_orders_of(vehicles, limit)


__all__ = ["search", "kind_of", "Hit"]
