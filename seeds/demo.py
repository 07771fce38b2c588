"""A realistic demo shop, and (with a size) the large shop benchmarks run against.

Reproducible from a seed number. Rows go in with executemany in large batches, so the large shop
(300 active, 1,000,000 closed orders) is written in minutes, with progress reported as it goes.
"""
from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from functools import cache
from decimal import Decimal
from typing import Callable

from models.db import db
from models.orders import OrderCounter
from seeds import chinese, reference
from workshop import clock, phones
from workshop.i18n import N_
from workshop.accounts import hash_pin
from workshop.reception import payer_for
from workshop.vins import with_check_digit

Progress = Callable[[str, int, int], None]  # (step, done, total)


@dataclass(frozen=True)
class ShopSize:
    customers: int
    vehicles: int
    active_orders: int
    closed_orders: int
    history_days: int = 365
    events_per_closed: int = 7  # the full trail; the large shop keeps a shorter one per order


SIZES = {
    "tiny": ShopSize(customers=40, vehicles=50, active_orders=12, closed_orders=60, history_days=60),
    "demo": ShopSize(customers=500, vehicles=600, active_orders=40, closed_orders=6500),
    "large": ShopSize(customers=100_000, vehicles=120_000, active_orders=300, closed_orders=1_000_000,
                      history_days=3 * 365, events_per_closed=3),
    # The large shop's day (300 active orders) with a hundredth of its history (customers, vehicles and
    # closed orders alike): bench/growth.py compares every read on the two to see what grows with history.
    "small": ShopSize(customers=1_000, vehicles=1_200, active_orders=300, closed_orders=10_000,
                      history_days=3 * 365, events_per_closed=3),
}

# How the active orders spread across the board (shares of the active total).
ACTIVE_SPREAD = [("checked_in", 0.20), ("dispatched", 0.08), ("in_progress", 0.17), ("waiting_parts", 0.05),
                 ("ready_qc", 0.15), ("ready_settlement", 0.15), ("settled", 0.20)]
BATCH = 20_000
# What the demo shop's documents are headed with (workshop/settings.py has the keys and defaults).
DEMO_SETTINGS = {
    "shop_name": "广州江畔丰田汽车销售服务有限公司",
    "shop_address": "广州市天河区江畔路88号",
    "shop_phone": "020-8888 6688",
    "shop_tax_number": "91440101MA5CXXXX8M",
}

# Other capabilities add rows for the history here: fn(rng, closed_orders, progress) where
# closed_orders is a list of ClosedOrder.
HISTORY_EXTENSIONS: list[Callable] = []


@cache
def _phrase_of(kind: str) -> tuple[str, str]:
    """(English summary, message JSON) of a generated order event, for order number 0: an order's move
    said as the app says it (workshop/lifecycle.py), so each reader reads the history in their language."""
    from workshop.lifecycle import TRANSITIONS
    from workshop.phrase import Phrase, Word, order_ref
    if kind == "order_created":
        phrase = Phrase(N_("{order} checked in"), order=order_ref(0))
    else:
        phrase = Phrase(N_("{order} was {done}"), order=order_ref(0),
                        done=Word(TRANSITIONS[kind].phrase, "transition"))
    return phrase.english(), phrase.to_json()


def _said(kind: str, number: int) -> tuple[str, str]:
    """(summary, message) of a generated event about order ``number`` (the template's 0 replaced: a
    million closed orders' events are written without building a phrase each)."""
    english, message = _phrase_of(kind)
    return (english.replace("RO 0 ", f"RO {number} ", 1),
            message.replace('"number":0}', f'"number":{number}}}', 1))
# ...and reference data of their own (parts catalog, checklists, call scripts): fn(rng, size).
REFERENCE_EXTENSIONS: list[Callable] = []
# ...and rows for today's active orders (part lines to pick, checklists under way):
# fn(rng, active) where active is a list of (order_id, state, business_type, time_in, promised_at).
ACTIVE_EXTENSIONS: list[Callable] = []


@dataclass(frozen=True)
class ClosedOrder:
    id: int
    number: int
    customer_id: int
    vehicle_id: int
    advisor_id: int
    business_type: str
    time_in: dt.datetime
    completed_at: dt.datetime
    released_at: dt.datetime
    mileage_in: int
    line_ids: tuple[int, ...]
    technician_ids: tuple[int, ...]


def _ts(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def as_datetime(value):
    """A timestamp read back with raw SQL: SQLite gives its text, PostgreSQL a datetime."""
    return value if isinstance(value, dt.datetime) or value is None else dt.datetime.fromisoformat(str(value))


def bulk(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows at once (the demo and large shops only; the app writes through services)."""
    if not rows:
        return
    columns, rows = _with_defaults(table, columns, rows)
    marks = ", ".join([db.param] * len(columns))
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
    cursor = db.connection().cursor()
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start:start + BATCH])


def _with_defaults(table: str, columns: list[str], rows: list[tuple]):
    """Add the model's default for every NOT NULL column the rows leave out."""
    from decimal import Decimal as D

    import models
    model = next(m for m in models.ALL_MODELS if m._meta.table_name == table)
    extra, values = [], []
    for field in model._meta.sorted_fields:
        if field.column_name in columns or field.primary_key or field.null or field.default is None:
            continue
        default = field.default() if callable(field.default) else field.default
        extra.append(field.column_name)
        values.append(str(default) if isinstance(default, D) else default)
    if not extra:
        return columns, rows
    tail = tuple(values)
    return columns + extra, [tuple(r) + tail for r in rows]


def _valid_mobile(number: str) -> str:
    """The drawn number if it is a real mobile number, else the same subscriber digits on 138 (keeps the
    random draws, and so the rest of the shop, as they were)."""
    return number if phones.is_valid(number) else "138" + number[3:]


class Generator:
    def __init__(self, size: ShopSize, seed: int, progress: Progress | None = None):
        self.size = size
        self.rng = random.Random(seed)
        self.progress = progress or (lambda step, done, total: None)
        self.now = clock.now().replace(second=0)
        self.ids: dict[str, list[int]] = {}

    # --- reference data -----------------------------------------------------------------------------
    def reference(self) -> None:
        # Staff first (in bulk: one PIN hash for all), so that the demo's manager sets the rest of the shop up
        # through the same set-up services, validation and audit rows as a manager would (seeds/setup.py).
        copies = max(1, math.ceil(self.size.active_orders / 40))
        from workshop.accounts import mark_demo_shop
        mark_demo_shop()  # the sign-in screen tells the demo PIN on this shop only
        pin = hash_pin(reference.DEMO_PIN)
        staff = []
        for copy in range(copies):
            for login, name, roles, trade in reference.STAFF:
                if copy and "technician" not in roles:
                    continue
                suffix = "" if copy == 0 else f".{copy + 1}"
                staff.append((login + suffix, name + (f" {copy + 1}" if copy else ""), roles, trade, pin, 0, True))
        bulk("staff", ["login", "name", "roles", "trade", "pin_hash", "failed_pins", "active"], staff)
        from models.people import Staff
        from seeds import setup
        self.manager = Staff.get(Staff.login == reference.STAFF[0][0])
        setup.set_up(self.manager, self.size)
        rows = db.execute_sql("SELECT id, roles, trade FROM staff").fetchall()
        self.advisors = [r[0] for r in rows if "advisor" in r[1]]
        self.agents = [r[0] for r in rows if "follow_up_agent" in r[1]]
        self.techs_by_trade: dict[str, list[int]] = {}
        for sid, roles, trade in rows:
            if "technician" in roles:
                self.techs_by_trade.setdefault(trade, []).append(sid)
        for i, advisor in enumerate(self.advisors):  # each advisor has a follow-up agent
            db.execute_sql(f"UPDATE staff SET follow_up_agent_id = {db.param} WHERE id = {db.param}",
                           (self.agents[i % len(self.agents)], advisor))
        self.bays_by_kind: dict[str, list[tuple[int, int]]] = {}
        for bid, kind, cap in db.execute_sql("SELECT id, kind, capacity FROM bay").fetchall():
            self.bays_by_kind.setdefault(kind, []).append((bid, cap))
        self.operations = db.execute_sql("SELECT id, code, name, trade, standard_hours, business_type "
                                          "FROM operation ORDER BY id").fetchall()
        # Which operations a car of each series may get (the catalog's "applies to"): none for every series.
        self.op_series: dict[int, set[str]] = {}
        for op_id, series in db.execute_sql("SELECT operation_id, series FROM operation_series").fetchall():
            self.op_series.setdefault(op_id, set()).add(series)
        self.rates = {t: Decimal(r) for t, r in reference.LABOR_RATES.items()}
        self.class_ids = [r[0] for r in db.execute_sql("SELECT id FROM customer_class ORDER BY id").fetchall()]
        for extension in REFERENCE_EXTENSIONS:
            extension(self.rng, self.size)
        setup.set_up_packages(self.manager)

    # --- customers and vehicles ---------------------------------------------------------------------
    def _name(self, i: int) -> str:
        """A private customer's name: every other one written in Chinese (王伟), the rest romanised
        (Wang Wei); the same random draws either way, so the rest of the shop does not change."""
        surname = self.rng.randrange(len(reference.SURNAMES))
        given = self.rng.randrange(len(reference.GIVEN))
        if i % 2 == 0:
            return chinese.SURNAMES[surname] + chinese.GIVEN[given]
        return f"{reference.SURNAMES[surname]} {reference.GIVEN[given]}"

    def _company(self, i: int) -> str:
        k = self.rng.randrange(len(reference.COMPANIES))
        if i % 2 == 0:
            return f"{chinese.COMPANIES[k][:-4]}{i % 97 + 1}{chinese.COMPANIES[k][-4:]}"  # 珠江物流12有限公司
        return f"{reference.COMPANIES[k]} {i % 97 + 1}"

    def customers(self) -> None:
        from workshop.lookup import customer_keys
        rng, total = self.rng, self.size.customers
        columns = ["code", "name", "kind", "mobile", "address", "birthday", "customer_class_id", "class_until", "is_key",
                   "created_at"]
        rows = []
        first_private = True
        for i in range(total):
            kind = rng.choices(["private", "company", "fleet"], [75, 18, 7])[0]
            name = self._name(i) if kind == "private" else self._company(i)
            if kind == "private" and first_private:
                name, first_private = chinese.FIRST_CUSTOMER, False
            cls = rng.choices(self.class_ids, [70, 18, 8, 4])[0]
            birthday = dt.date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28)) \
                if kind == "private" else None
            created = self.now - dt.timedelta(days=rng.randint(30, 6 * 365))
            # A class is held for a year from when it was given: one in seven has lapsed (no discount).
            until = self.now.date() + dt.timedelta(days=(i * 7919) % 420 - 60) if cls != self.class_ids[0] else None
            keys = customer_keys(name, kind, birthday)  # as Customer.save keeps them
            rows.append((f"C{100001 + i}", name, kind,
                         _valid_mobile(f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"),
                         f"District {i % 40 + 1}, Guangzhou", _ts(birthday), cls, _ts(until), rng.random() < 0.05,
                         _ts(created), *keys.values()))
            if len(rows) >= BATCH:
                bulk("customer", columns + list(keys), rows)
                rows = []
                self.progress(N_("customers"), i + 1, total)
        bulk("customer", columns + list(customer_keys("")), rows)
        self.progress(N_("customers"), total, total)
        OrderCounter.insert(name="customer", next_value=100001 + total).execute()

    def vehicles(self) -> None:
        rng, total = self.rng, self.size.vehicles
        customer_ids = [r[0] for r in db.execute_sql("SELECT id FROM customer ORDER BY id").fetchall()]
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        chars = "0123456789" + letters
        plates: set[str] = set()
        rows = []
        for i in range(total):
            owner = customer_ids[i] if i < len(customer_ids) else rng.choice(customer_ids)
            brand, series, model, engine, fuel = rng.choice(reference.VEHICLE_MODELS)
            while True:
                body = "".join(rng.choice(chars) for _ in range(5))
                if fuel == "electric":
                    body = rng.choice("DF") + body
                plate = rng.choice(reference.PROVINCE_CITY) + body
                if plate not in plates:
                    plates.add(plate)
                    break
            year = rng.randint(2014, self.now.year)
            vin = with_check_digit(f"LVG{rng.choice('ABCDEFGH')}{rng.choice('KLMNP')}{year % 10}{i:011d}"[:17])
            purchase = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            rows.append((plate, vin, owner, brand, series, model, year, f"{engine}-{rng.randint(100000, 999999)}",
                         rng.choice(reference.COLOURS), fuel, _ts(purchase), rng.randint(0, 30),
                         _ts(self.now.date() + dt.timedelta(days=rng.randint(-60, 330))),
                         _ts(purchase + dt.timedelta(days=3 * 365)), reference.INSURERS[i % len(reference.INSURERS)]))
            if len(rows) >= BATCH:
                self._insert_vehicles(rows)
                rows = []
                self.progress(N_("vehicles"), i + 1, total)
        self._insert_vehicles(rows)
        self.progress(N_("vehicles"), total, total)
        self.vehicle_rows = db.execute_sql("SELECT id, customer_id FROM vehicle ORDER BY id").fetchall()
        self.vehicle_series = dict(db.execute_sql("SELECT id, series FROM vehicle").fetchall())

    def _insert_vehicles(self, rows):
        bulk("vehicle", ["plate", "vin", "customer_id", "brand", "series", "model", "model_year", "engine_no",
                         "colour", "fuel_type", "purchase_date", "purchase_mileage", "insurance_expiry",
                         "warranty_expiry", "insurer"], rows)

    # --- orders ---------------------------------------------------------------------------------------
    def _pick_operations(self, business_type: str, vehicle_id: int) -> list[tuple]:
        """Operations of the business type that are for this car's series, as reception would allow."""
        rng = self.rng
        series = self.vehicle_series.get(vehicle_id)
        fits = [op for op in self.operations if op[0] not in self.op_series or series in self.op_series[op[0]]]
        pool = [op for op in fits if op[5] == business_type] or fits
        ops = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2, 2, 3])))
        return ops

    def _business_type(self) -> str:
        return self.rng.choices(["maintenance", "general_repair", "body", "paint", "warranty", "insurance",
                                 "internal"], [45, 25, 7, 5, 8, 8, 2])[0]

    def orders(self) -> None:
        size = self.size
        self.next_number = 1001
        self.mileage: dict[int, int] = {}
        self.in_workshop: set[int] = set()
        closed_per_day = size.closed_orders / size.history_days
        # Vehicles visit in date order so mileage grows with each visit.
        order_cols = ["number", "vehicle_id", "customer_id", "business_type", "advisor_id", "state", "version",
                      "rework", "parts_status", "parts_ready", "time_in", "mileage_in", "fuel_level", "statement",
                      "promised_at", "started_at", "completed_at", "qc_passed_at", "settled_at", "released_at",
                      "bay_id", "dispatched_at", "insurer", "claim_no", "estimate", "towing", "state_changed_at",
                      "updated_at", "last_visit_date", "last_visit_mileage"]
        done = 0
        start_day = self.now.date() - dt.timedelta(days=size.history_days)
        self.closed: list[ClosedOrder] = []
        for day_index in range(size.history_days):
            day = start_day + dt.timedelta(days=day_index)
            count = int(closed_per_day * (day_index + 1)) - int(closed_per_day * day_index)
            rows, lines = [], []
            for _ in range(count):
                rows.append(self._closed_order_row(day, lines))
            self._write_orders(order_cols, rows, lines, closed=True)
            done += count
            if day_index % 10 == 0 or day_index == size.history_days - 1:
                self.progress(N_("closed orders"), done, size.closed_orders)
        self._active_orders(order_cols)
        OrderCounter.insert(name="repair_order", next_value=self.next_number).execute()

    def _vehicle_visit(self, when: dt.date, exclusive: bool = False) -> tuple[int, int, int, dt.date | None, int | None]:
        vid, cid = self.rng.choice(self.vehicle_rows)
        while exclusive and vid in self.in_workshop:  # a car is in the workshop on one open order at a time
            vid, cid = self.rng.choice(self.vehicle_rows)
        if exclusive:
            self.in_workshop.add(vid)
        last = self.mileage.get(vid)
        if last is None:
            mileage = self.rng.randint(3_000, 90_000)
            prev_date, prev_mileage = None, None
        else:
            prev_date, prev_mileage = last[1], last[0]
            days = max(1, (when - last[1]).days)
            mileage = prev_mileage + int(days * self.rng.uniform(20, 90))
        self.mileage[vid] = (mileage, when)
        return vid, cid, mileage, prev_date, prev_mileage

    def _closed_order_row(self, day: dt.date, lines: list) -> tuple:
        rng = self.rng
        btype = self._business_type()
        time_in = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(minutes=rng.randint(0, 540))
        vid, cid, mileage, prev_date, prev_mileage = self._vehicle_visit(day)
        hours = rng.uniform(1, 6) if btype in ("maintenance", "warranty", "internal") else rng.uniform(3, 52)
        promised = time_in + dt.timedelta(hours=hours)
        late = rng.random() < 0.12
        completed = promised + dt.timedelta(hours=rng.uniform(0.2, 6)) if late else \
            promised - dt.timedelta(hours=rng.uniform(0, min(hours * 0.5, 2)))
        completed = max(completed, time_in + dt.timedelta(minutes=30))
        qc = completed + dt.timedelta(minutes=rng.randint(5, 60))
        settled = qc + dt.timedelta(minutes=rng.randint(10, 240))
        released = settled + dt.timedelta(minutes=rng.randint(5, 90))
        ops = self._pick_operations(btype, vid)
        number = self.next_number
        self.next_number += 1
        techs = []
        for op in ops:
            tech = rng.choice(self.techs_by_trade.get(op[3]) or self.techs_by_trade["mechanical"])
            techs.append(tech)
            lines.append((number, op, tech, time_in, completed))
        estimate = sum((Decimal(op[4]) * self.rates[op[3]] for op in ops), Decimal("0"))
        insurer = rng.choice(reference.INSURERS) if btype == "insurance" else None
        return (number, vid, cid, btype, rng.choice(self.advisors), "delivered", 7, False, "available", False,
                _ts(time_in), mileage, rng.choice(["1/4", "1/2", "3/4", "F"]), "Customer's request: service",
                _ts(promised), _ts(time_in + dt.timedelta(minutes=20)), _ts(completed), _ts(qc), _ts(settled),
                _ts(released), None, _ts(time_in + dt.timedelta(minutes=10)), insurer,
                f"CLM{number}" if insurer else None, str(estimate.quantize(Decimal("0.01"))), False,
                _ts(released), _ts(released), _ts(prev_date), prev_mileage)

    def _write_orders(self, cols, rows, lines, *, closed: bool) -> None:
        if not rows:
            return
        bulk("repair_order", cols, rows)
        numbers = [r[0] for r in rows]
        id_of = dict(db.execute_sql(
            f"SELECT number, id FROM repair_order WHERE number BETWEEN {db.param} AND {db.param}",
            (min(numbers), max(numbers))).fetchall())
        line_rows = []
        payer = {r[0]: payer_for(r[3]) for r in rows}  # who pays: the business type's payer, as at reception
        for number, op, _tech, time_in, completed in lines:
            status = "finished" if closed or completed is not None else "pending"
            line_rows.append((id_of[number], op[0], op[1], op[2], op[3], str(op[4]), str(op[4]),
                              str(self.rates[op[3]]), payer[number], status,
                              _ts(time_in) if status == "finished" else None,
                              _ts(completed) if status == "finished" else None))
        bulk("job_line", ["order_id", "operation_id", "code", "name", "trade", "standard_hours", "billed_hours",
                          "rate", "payer", "status", "started_at", "finished_at"], line_rows)
        ids = [id_of[n] for n in numbers]
        line_ids = db.execute_sql(
            f"SELECT id, order_id FROM job_line WHERE order_id BETWEEN {db.param} AND {db.param} ORDER BY id",
            (min(ids), max(ids))).fetchall()
        tech_rows = []
        lines_by_order: dict[int, list[int]] = {}
        for (line_id, order_id), (_, _, tech, _, _) in zip(line_ids, lines):
            if tech is not None:
                tech_rows.append((line_id, tech, True))
            lines_by_order.setdefault(order_id, []).append(line_id)
        bulk("job_line_technician", ["line_id", "technician_id", "lead"], tech_rows)
        techs_by_order: dict[int, list[int]] = {}
        for (_line_id, order_id), (_, _, tech, _, _) in zip(line_ids, lines):
            if tech is not None:
                techs_by_order.setdefault(order_id, []).append(tech)
        if closed:
            self._closed_history(rows, id_of, lines_by_order, techs_by_order)

    def _closed_history(self, rows, id_of, lines_by_order, techs_by_order) -> None:
        events, batch = [], []
        for r in rows:
            oid = id_of[r[0]]
            time_in, completed = dt.datetime.fromisoformat(r[10]), dt.datetime.fromisoformat(r[16])
            released = dt.datetime.fromisoformat(r[19])
            batch.append(ClosedOrder(oid, r[0], r[2], r[1], r[4], r[3], time_in, completed, released, r[11],
                                     tuple(lines_by_order.get(oid, ())), tuple(techs_by_order.get(oid, ()))))
            trail = [("order_created", r[4], time_in),
                     ("dispatch", r[4], time_in),
                     ("start", None, time_in),
                     ("finish", None, completed),
                     ("qc_pass", None, dt.datetime.fromisoformat(r[17])),
                     ("settle", None, dt.datetime.fromisoformat(r[18])),
                     ("deliver", r[4], released)]
            if self.size.events_per_closed < len(trail):
                trail = [trail[0], trail[3], trail[-1]][: self.size.events_per_closed]
            for kind, actor, at in trail:
                events.append((_ts(at), actor, kind, "repair_order", oid, oid, *_said(kind, r[0])))
        bulk("event", ["at", "actor_id", "kind", "entity", "entity_id", "order_id", "summary", "message"], events)
        for extension in HISTORY_EXTENSIONS:
            extension(self.rng, batch, self.progress)
        if len(self.closed) < 50_000:
            self.closed.extend(batch)

    def _active_orders(self, cols) -> None:
        rng, total = self.rng, self.size.active_orders
        states = []
        for state, share in ACTIVE_SPREAD:
            states += [state] * round(total * share)
        states = (states + ["checked_in"] * total)[:total]
        bay_free = {bid: cap for kind in self.bays_by_kind.values() for bid, cap in kind}
        rows, lines = [], []
        for state in states:
            btype = self._business_type()
            if btype == "internal":
                btype = "maintenance"
            age_hours = rng.uniform(0.2, 30 if btype in ("body", "paint", "insurance") else 6)
            time_in = self.now - dt.timedelta(hours=age_hours)
            promised = time_in + dt.timedelta(hours=rng.uniform(2, 10) if btype == "maintenance"
                                              else rng.uniform(8, 72))
            vid, cid, mileage, prev_date, prev_mileage = self._vehicle_visit(self.now.date(), exclusive=True)
            ops = self._pick_operations(btype, vid)
            number = self.next_number
            self.next_number += 1
            in_workshop = state not in ("checked_in",)
            in_bay = state in ("dispatched", "in_progress", "waiting_parts")
            bay = None
            if in_bay:
                kind = {"quick_service": "quick_service", "body": "body", "paint": "paint", "wash": "wash",
                        "alignment": "alignment"}.get(ops[0][3], "mechanical")
                for bid, _ in self.bays_by_kind.get(kind, []) + [b for k in self.bays_by_kind.values() for b in k]:
                    if bay_free[bid] > 0:
                        bay_free[bid] -= 1
                        bay = bid
                        break
                if bay is None:
                    state, in_bay = "checked_in", False
                    in_workshop = False
            finished = state in ("ready_qc", "ready_settlement", "settled")
            started = state in ("in_progress", "waiting_parts") or finished
            for op in ops:
                tech = rng.choice(self.techs_by_trade.get(op[3]) or self.techs_by_trade["mechanical"]) \
                    if in_workshop else None
                lines.append((number, op, tech, time_in, time_in + dt.timedelta(hours=1) if finished else None))
            insurer = rng.choice(reference.INSURERS) if btype == "insurance" else None
            statement = rng.choice(["Routine service", "Noise from front left wheel when braking",
                                    "Warning lamp on dashboard", "Rear bumper scratched in car park",
                                    "A/C not cold", "Vibration at 100 km/h", "Check engine light on",
                                    "Door does not lock"])
            rows.append((number, vid, cid, btype, rng.choice(self.advisors), state, 1,
                         state == "in_progress" and rng.random() < 0.1,
                         "short" if state == "waiting_parts" else "available", False, _ts(time_in), mileage,
                         rng.choice(["1/4", "1/2", "3/4", "F"]), statement, _ts(promised),
                         _ts(time_in + dt.timedelta(minutes=30)) if started else None,
                         _ts(self.now - dt.timedelta(minutes=rng.randint(5, 60))) if finished else None,
                         _ts(self.now - dt.timedelta(minutes=5)) if state in ("ready_settlement", "settled") else None,
                         _ts(self.now - dt.timedelta(minutes=2)) if state == "settled" else None, None,
                         bay, _ts(time_in + dt.timedelta(minutes=10)) if in_workshop else None, insurer,
                         f"CLM{number}" if insurer else None, "0", False, _ts(time_in), _ts(time_in),
                         _ts(prev_date), prev_mileage))
        self._write_orders(cols, rows, lines, closed=False)
        # Rework reasons for the reworked ones, so their cards say why.
        db.execute_sql("UPDATE repair_order SET rework_reason = 'QC: torque marks missing on wheel nuts' "
                       "WHERE rework AND state = 'in_progress'")
        ids = dict(db.execute_sql("SELECT number, id FROM repair_order WHERE state NOT IN ('delivered', 'cancelled')")
                   .fetchall())
        events = [(r[10], r[4], "order_created", "repair_order", ids[r[0]], ids[r[0]], *_said("order_created", r[0]))
                  for r in rows]
        bulk("event", ["at", "actor_id", "kind", "entity", "entity_id", "order_id", "summary", "message"], events)
        active = [(oid, state, btype, as_datetime(t_in), as_datetime(promised))
                  for oid, state, btype, t_in, promised in db.execute_sql(
                      "SELECT id, state, business_type, time_in, promised_at FROM repair_order "
                      "WHERE state NOT IN ('delivered', 'cancelled') ORDER BY id").fetchall()]
        for extension in ACTIVE_EXTENSIONS:
            extension(self.rng, active)
        self.progress(N_("active orders"), total, total)

    def run(self) -> None:
        with db.atomic():
            self.reference()
            self.customers()
            self.vehicles()
            self.orders()
            from workshop.reminders import rebuild_visit_facts
            self.progress(N_("visit facts"), 0, 1)
            rebuild_visit_facts()
            self.progress(N_("visit facts"), 1, 1)
        if db.obj.__class__.__name__ == "SqliteDatabase":
            db.execute_sql("ANALYZE")


def generate(size: str | ShopSize = "demo", seed: int = 42, progress: Progress | None = None) -> None:
    """Fill an empty, migrated database with a shop of the given size."""
    from seeds.extensions import load_all
    load_all()
    shop = SIZES[size] if isinstance(size, str) else size
    Generator(shop, seed, progress).run()
