"""The repair board's read side: the cards of active orders, fetched in a fixed number of queries."""
from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce

from peewee import JOIN

from models.base import built_once
from models.db import db
from models.orders import JobLine, RepairOrder
from models.people import Customer, CustomerClass, Staff, Vehicle
from models.shop import Bay
from workshop.availability import as_date, shown
from workshop.dispatch import order_technicians, technicians_query as _technicians_query
from workshop.lifecycle import ACTIVE_STATES
from workshop.i18n import local
from workshop.lookup import contains, name_matches, order_number, plate_key

CARD_LIMIT = 2000  # a board never holds more; beyond that the shop has a data problem, not a board


@dataclass(frozen=True)
class Card:
    """What one card on the board shows: plain values, safe to hand to the UI thread."""
    id: int
    number: int
    version: int
    state: str
    plate: str
    model: str
    customer: str
    advisor: str
    advisor_id: int
    bay: str | None
    bay_id: int | None
    technicians: tuple[str, ...]
    promised_at: dt.datetime
    business_type: str
    rework: bool
    rework_reason: str | None
    parts_status: str
    parts_ready: bool
    vip: bool
    customer_class: str | None
    parts_eta: dt.date | None = None  # while parts_status is "ordered": when the goods are due
    next_bay: str | None = None  # the bay of the car's next trade (mechanical now, paint next: "P1")

    def parts_state(self, today: dt.date) -> str:
        """available / partial / short / ordered / late / none (workshop/availability.py)."""
        return shown(self.parts_status, self.parts_eta, today)

    @property
    def insurance(self) -> bool:
        return self.business_type == "insurance"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    def matches(self, text: str) -> bool:
        text = text.strip().upper()
        return (text in self.plate.upper() or text == str(self.number) or text in self.customer.upper()
                or text in f"RO {self.number}")


def _card_query():
    advisor = Staff.alias("advisor")
    next_bay = Bay.alias("next_bay")
    return (RepairOrder
            .select(RepairOrder.id, RepairOrder.number, RepairOrder.version, RepairOrder.state,
                    RepairOrder.promised_at, RepairOrder.business_type, RepairOrder.rework,
                    RepairOrder.rework_reason, RepairOrder.parts_status, RepairOrder.parts_ready,
                    RepairOrder.advisor, RepairOrder.bay,
                    Vehicle.plate, Vehicle.model, Customer.name, advisor.name, Bay.code,
                    CustomerClass.is_vip, CustomerClass.name, RepairOrder.parts_eta, next_bay.code)
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .switch(RepairOrder).join(Customer, on=(RepairOrder.customer == Customer.id))
            .join(CustomerClass, JOIN.LEFT_OUTER, on=(Customer.customer_class == CustomerClass.id))
            .switch(RepairOrder).join(advisor, on=(RepairOrder.advisor == advisor.id))
            .switch(RepairOrder).join(Bay, JOIN.LEFT_OUTER, on=(RepairOrder.bay == Bay.id))
            .switch(RepairOrder).join(next_bay, JOIN.LEFT_OUTER, on=(RepairOrder.next_bay == next_bay.id)))


def _to_dt(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _cards(query) -> list[Card]:
    rows = list(query.tuples())
    return _to_cards(rows, order_technicians([r[0] for r in rows]) if rows else {})


def _to_cards(rows, techs: dict[int, list[str]]) -> list[Card]:
    return [Card(id=r[0], number=r[1], version=r[2], state=r[3], promised_at=_to_dt(r[4]),
                 business_type=r[5], rework=bool(r[6]), rework_reason=r[7], parts_status=r[8],
                 parts_ready=bool(r[9]), advisor_id=r[10], bay_id=r[11], plate=r[12], model=r[13],
                 customer=r[14], advisor=r[15], bay=r[16], vip=bool(r[17]), customer_class=r[18],
                 parts_eta=as_date(r[19]), next_bay=r[20], technicians=tuple(techs.get(r[0], ())))
            for r in rows]


def _active_ids(shops_in_group: int = 1):
    """The active orders, found through the (state, promised_at) index. As a subquery on the rowid it
    makes SQLite start from these few hundred orders instead of scanning vehicles and probing a
    million orders: the planner's statistics cannot tell that almost every order is delivered.
    A group's board reads the group's active orders (up to CARD_LIMIT a shop) and keeps its shop's."""
    return (RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(ACTIVE_STATES))
            .order_by(RepairOrder.promised_at).limit(CARD_LIMIT * shops_in_group))


def _of_shop(shop: int | None):
    """The cards' condition besides being active: the shop's (checked on the active rows the subquery found,
    never through an index on the shop, which would lead the planner to a shop's whole history)."""
    from workshop.shops import count
    ids = RepairOrder.id.in_(_active_ids(count() if shop is not None else 1))
    return ids if shop is None else ids & (RepairOrder.shop == shop)


def active_cards(shop: int | None = None) -> list[Card]:
    """Every card on the board (``shop``: of that shop only; None in a one-shop database, see
    workshop.shops.scope), most urgent first within a column (two queries). Both statements are the same
    every time, so Peewee builds them once per process and shop (see models.base.built_once): building the
    card query's SQL took as long as running it."""
    from workshop.shops import count
    reach = count() if shop is not None else 1
    cards_sql, cards_params = built_once(("board", "active cards", shop, reach), lambda: _card_query().where(
        _of_shop(shop)).order_by(RepairOrder.promised_at, RepairOrder.number).sql())
    techs_sql, techs_params = built_once(("board", "active technicians", reach), lambda: _technicians_query(
        JobLine.order.in_(_active_ids(reach))).sql())  # (the group's: a few hundred more names at most)
    rows = db.execute_sql(cards_sql, cards_params).fetchall()
    techs: dict[int, list[str]] = {}
    for order_id, name in db.execute_sql(techs_sql, techs_params).fetchall():
        names = techs.setdefault(order_id, [])
        if name not in names:
            names.append(name)
    return _to_cards(rows, techs)


def newest_active_order(shop: int | None = None) -> int | None:
    """The id of the newest order on the board, if any (one index lookup)."""
    return (RepairOrder.select(RepairOrder.id).where(_of_shop(shop))
            .order_by(RepairOrder.id.desc()).limit(1).scalar())


def cards_for(order_ids: list[int], shop: int | None = None) -> list[Card]:
    """The current cards of some orders, closed ones included (so the board can drop them); ``shop``: only
    that shop's (another shop's changes never reach this shop's board)."""
    if not order_ids:
        return []
    query = _card_query().where(RepairOrder.id.in_(list(order_ids)))
    if shop is not None:
        query = query.where(RepairOrder.shop == shop)
    return _cards(query)


def search_active(text: str, limit: int = 20, shop: int | None = None) -> list[Card]:
    """Active orders whose plate or customer name contains ``text`` (or whose name's pinyin initials
    start with it), or whose RO number it is (the command palette), most urgent first. Only the active orders are read (the state index, as for
    the board): through vehicles and customers, SQLite read the whole history (4 s on the large shop)."""
    text = (text or "").strip()
    if not text:
        return []
    matches = [contains(Vehicle.plate, plate_key(text))] if plate_key(text) else []
    matches += name_matches(Customer, text)
    number = order_number(text)
    if number is not None:
        matches.append(RepairOrder.number == number)
    if not matches:
        return []
    return _cards(_card_query().where(_of_shop(shop) & reduce(operator.or_, matches))
                  .order_by(RepairOrder.promised_at, RepairOrder.number).limit(limit))


@dataclass(frozen=True)
class FilterChoices:
    """What the board can be filtered by: active bays by code, active technicians and advisors by name."""
    bays: tuple[tuple[int, str, str], ...]  # (id, code, name)
    technicians: tuple[str, ...]            # names: the board's cards list technicians by name
    advisors: tuple[tuple[int, str], ...]   # (id, name)


def filter_choices(shop: int | None = None) -> FilterChoices:
    """The bays (of the shop), technicians and advisors the board's filter offers (two queries: bays, staff)."""
    bays = Bay.select(Bay.id, Bay.code, Bay.name, Bay.name_zh).where(Bay.active).order_by(Bay.code)
    if shop is not None:
        bays = bays.where(Bay.shop == shop)
    bays = tuple((bay_id, code, local(name, name_zh)) for bay_id, code, name, name_zh in bays.tuples())
    staff = list(Staff.select(Staff.id, Staff.name, Staff.roles)
                 .where(Staff.active & (Staff.roles.contains("technician") | Staff.roles.contains("advisor")))
                 .order_by(Staff.name).tuples())
    return FilterChoices(bays=bays,
                         technicians=tuple(name for _, name, roles in staff if "technician" in roles.lower()),
                         advisors=tuple((sid, name) for sid, name, roles in staff if "advisor" in roles.lower()))
