"""Find any order, vehicle or customer across the whole history by what the person at the desk has:
an RO number, a plate, a phone number, a VIN or the customer's name. Each kind of text goes to its
own index with a range (prefix) query and a LIMIT (workshop/lookup.py), so a million orders answer
as fast as a hundred."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from models.orders import RepairOrder
from models.people import Customer, Vehicle
from workshop import lookup, shops

LIMIT = 20
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{11,17}$")
_PHONE_START = re.compile(r"^\+?\d[\d-]{3,}$")  # four digits or more: the start of a phone number


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
    if text.isascii() and text.isdigit():
        return "phone" if len(text) >= 8 else "order"
    if len(text) >= 11 and _VIN.match(text):
        return "vin"
    return "plate"


def search(text: str, *, limit: int = LIMIT) -> list[Hit]:
    """Orders of the whole history by RO number (exact), plate, VIN, phone or customer name (each a
    prefix on its own index, workshop/lookup.py): the exact RO number first, then newest first."""
    text = (text or "").strip()
    if not text:
        return []
    number = lookup.order_number(text)
    # (each shop of a dealer group numbers its own orders: one order of that number a shop)
    hits = _orders(RepairOrder.number == number, shops.count()) if number is not None else []
    vehicles = lookup.vehicles_by_plate(text, limit)
    if kind_of(text) == "vin":
        vehicles += lookup.vehicles_by_vin(text, limit)
    customers = lookup.customers_by_phone(text, limit) if _PHONE_START.match(lookup.phone_key(text)) else []
    if any(ch.isalpha() for ch in text):
        customers += lookup.customers_by_name(text, limit)
    found = _latest_orders_of(vehicles, limit) + (_orders(RepairOrder.customer.in_(customers), limit)
                                                  if customers else [])
    seen = {h.order_id for h in hits}
    for hit in sorted(found, key=lambda h: -h.order_id):
        if hit.order_id not in seen:
            seen.add(hit.order_id)
            hits.append(hit)
    return hits[:limit]


__all__ = ["search", "kind_of", "Hit"]
