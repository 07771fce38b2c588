"""What grows with history: each screen's data and each search, on two shops with the same day (300
active orders) and 10,000 vs 1,000,000 closed orders. Target: every call p95 <= 20 ms on the large shop,
and none more than 2x its time on the small one.

    .venv/bin/python -m bench.growth [--n 40] [--only WORD]

The small shop is generated into /tmp/bench-small.db on first use (a few seconds: `workshop seed
--size small`, the large shop's day with a hundredth of its customers, vehicles and history;
BENCH_SMALL_DB picks another file), the large one as for the other benchmarks (BENCH_LARGE_DB).
Both are upgraded to the current schema first, as the app would on opening them.

The two shops are measured turn about, call by call (one call on the small shop, the same kind of call
on the large one), so that a change in the machine's speed meanwhile falls on both figures alike.
Inputs are drawn from each shop by the same rule (a plate of an active order, a customer who owes, a
30-day window of the audit trail...). Searches typed key by key are timed once per key, as the palette
or a search box runs them: "粤B1", "粤B12", ...

--clock cpu times each call by its thread's processor time (the kernel's part, reading the file's
pages, included) instead of the elapsed time: on a machine shared with other work, elapsed times
include waiting for a core, which no query can help. Ratios are of the p95s, each counted as at least 1 ms: below that, a difference is the machine's noise.
Totals over a period (follow-up figures, churn, the day's cash-up, the receivables' aging) count every
record of their period: the small shop's periods hold a hundredth of the large one's (its history is as
long, only thinner), so they are held to the 20 ms only. tests/test_query_plans.py checks the plan of
every statement these calls issue.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import sys
import time
from dataclasses import dataclass
from typing import Callable

from bench.common import pct, shop_db

TARGET_MS = 20.0
MAX_RATIO = 2.0
FLOOR_MS = 1.0  # below a millisecond, differences are the machine's noise, not growth
CLOCK = time.perf_counter


@dataclass
class Shop:
    name: str
    database: object
    inputs: dict


@dataclass(frozen=True)
class Case:
    label: str
    inputs: str | None          # key into Shop.inputs: one sample per item (None: the same call each time)
    call: Callable              # call(item) or call()
    period: bool = False        # a total over a period (or all open balances): not held to the ratio


def typed(texts: list[str], shortest: int = 2) -> list[str]:
    """Each text as typed key by key, from ``shortest`` characters on."""
    return [t[:i] for t in texts for i in range(shortest, len(t) + 1)]


def inputs(rng: random.Random, n: int) -> dict:
    """What people would type or pick on this shop, by the same rules on both shops."""
    from models.db import db

    def column(sql: str, *params) -> list:
        return [r[0] for r in db.execute_sql(sql, params).fetchall()]

    active = db.execute_sql(
        "SELECT o.number, v.plate, c.name, c.initials FROM repair_order o JOIN vehicle v ON v.id = o.vehicle_id "
        "JOIN customer c ON c.id = o.customer_id WHERE o.state NOT IN ('delivered', 'cancelled')").fetchall()
    at_desk = db.execute_sql(
        "SELECT o.number, v.plate FROM repair_order o JOIN vehicle v ON v.id = o.vehicle_id "
        "WHERE o.state IN ('ready_settlement', 'settled')").fetchall()
    owing = db.execute_sql(
        "SELECT o.number, v.plate, c.name, c.initials FROM open_balance b JOIN repair_order o ON o.id = b.order_id "
        "JOIN vehicle v ON v.id = o.vehicle_id JOIN customer c ON c.id = b.customer_id").fetchall()
    top = db.execute_sql("SELECT MAX(number), MIN(number) FROM repair_order").fetchone()
    first_event, last_event = db.execute_sql("SELECT MIN(at), MAX(at) FROM event").fetchone()
    first_event = dt.datetime.fromisoformat(str(first_event)[:19])
    last_event = dt.datetime.fromisoformat(str(last_event)[:19])
    span = max((last_event - first_event).days - 30, 1)
    windows = [first_event.replace(hour=0, minute=0, second=0) + dt.timedelta(days=rng.randint(0, span))
               for _ in range(n)]
    sample = lambda rows, k=n: rng.sample(rows, min(k, len(rows)))  # noqa: E731
    few = max(3, n // 6)  # texts typed key by key give several samples each
    from workshop import reminders
    listed = reminders.due("maintenance", limit=2101)
    deep = listed[min(2000, max(len(listed) - 102, 0))] if listed else None  # where page 21 starts (or near the end)
    from workshop import call_register, winback

    def twentieth(load):  # where page 21 of a keyset list starts (or its last page), walked as > would
        after = None
        for _ in range(20):
            rows = load(after)
            if len(rows) < 100:  # the last page: read from where it starts
                break
            after = rows[-1]
        return after

    return {
        "maintenance, deep page": [deep] * n,
        "lost, deep page": [twentieth(lambda a: winback.lost_customers(limit=100, after=a))] * n,
        "register, deep page": [twentieth(lambda a: call_register.calls(limit=100, after=a))] * n,
        "callers": column("SELECT customer_id FROM call_record ORDER BY random() LIMIT ?", n),
        "active plates typed": typed([r[1] for r in sample(active, few)]),
        "active names typed": typed([r[2] for r in sample(active, few)]),
        "active initials typed": typed([r[3] for r in sample(active, few) if r[3]]),
        "active RO numbers": [str(r[0]) for r in sample(active)],
        "desk plates typed": typed([r[1] for r in sample(at_desk, few)]),
        "desk RO numbers": [str(r[0]) for r in sample(at_desk)],
        "history plates typed": typed(column("SELECT plate FROM vehicle ORDER BY random() LIMIT ?", few)),
        "history RO numbers": [str(rng.randint(top[1], top[0])) for _ in range(n)],
        "history phones typed": typed(column("SELECT mobile FROM customer ORDER BY random() LIMIT ?", few), 4),
        "history VINs": column("SELECT vin FROM vehicle ORDER BY random() LIMIT ?", n),
        "history names typed": typed(column("SELECT name FROM customer ORDER BY random() LIMIT ?", few)),
        "owing names typed": typed([r[2] for r in sample(owing, few)]),
        "owing initials typed": typed([r[3] for r in sample(owing, few) if r[3]]),
        "operations typed": typed(column("SELECT name FROM operation ORDER BY random() LIMIT ?", few), 1),
        "owing plates typed": typed([r[1] for r in sample(owing, few)]),
        "owing RO numbers": [str(r[0]) for r in sample(owing)],
        "order ids": [rng.randint(1, top[0] - top[1] + 1) for _ in range(n)],
        "RO numbers": [rng.randint(top[1], top[0]) for _ in range(n)],
        "30-day windows": windows,
        "staff": column("SELECT id FROM staff ORDER BY id"),
    }


def cases() -> list[Case]:
    from workshop import (accounts, appointment_figures, appointments, audit, board, call_register, callbacks,
                          campaigns, capacity, dispatch, followup_figures, lifecycle, parts, prepick, qc, reception,
                          reminders, search, service_plan, settlement, winback)
    from workshop.clock import today

    def order_detail(order_id):  # what the order screen reads (screens/order_detail.py)
        lifecycle.order_header(order_id)
        dispatch.order_lines(order_id)
        parts.order_part_lines(order_id)
        audit.order_history(order_id, limit=200)

    def audit_window(start, pages=1):
        rows = audit.search(since=start, until=start + dt.timedelta(days=30), limit=101)
        for _ in range(pages - 1):
            rows = audit.search(since=start, until=start + dt.timedelta(days=30), limit=101,
                                before=audit.next_page(rows[:100]))
        return rows

    def palette(text):  # screens/app.py OrderSearch: the active orders, then the history
        board.search_active(text, limit=20)
        search.search(text, limit=10)

    def reception_lookup(plate):  # screens/reception.py: Enter on a plate
        car = reception.find_vehicle(plate)
        if car is not None:
            reception.owner_of(car.customer_id)
            reception.last_visit(car.id)
            reception.open_order_for(car.id)

    return [
        # --- each screen's data as it opens ---
        Case("board: every active card", None, board.active_cards),
        Case("board: filter choices", None, board.filter_choices),
        Case("bays: bays and technicians' loads", None, lambda: (dispatch.bay_loads(), dispatch.technician_loads())),
        Case("order screen: a random order", "order ids", order_detail),
        Case("reception: a car by its plate", "history plates typed", reception_lookup),
        Case("audit: first page", None, lambda: audit.search(limit=101)),
        Case("audit: one order", "RO numbers", lambda n: audit.search(order_number=n, limit=101)),
        Case("audit: one kind", None, lambda: audit.search(kind="qc_pass", limit=101)),
        Case("audit: one person", "staff", lambda s: audit.search(actor_id=s, limit=101)),
        Case("audit: 30 days, first page", "30-day windows", audit_window),
        Case("audit: 30 days, third page", "30-day windows", lambda w: audit_window(w, 3)),
        Case("audit: kinds for the filter", None, audit.kinds),
        Case("cashier: queue", None, lambda: settlement.cashier_queue(limit=101)),
        Case("cashier: receivables, first page", None, lambda: settlement.receivables(limit=101)),
        Case("cashier: aging", None, settlement.aging, period=True),
        Case("cashier: cash-up", None, lambda: settlement.cash_up(today()), period=True),
        Case("parts: pick queue", None, lambda: parts.pick_queue(limit=101)),
        Case("parts: catalog", None, lambda: parts.catalog(limit=101)),
        Case("parts: low stock", None, lambda: parts.low_stock(limit=101)),
        Case("QC: queue", None, lambda: qc.qc_queue(limit=101)),
        Case("follow-up: calls due", None, lambda: callbacks.queue(limit=101)),
        Case("follow-up: all open calls", None, lambda: callbacks.queue(view="all", limit=101)),
        Case("follow-up: complaints", None, lambda: callbacks.complaints(limit=101)),
        Case("follow-up: figures, 30 days", None,
             lambda: followup_figures.figures(today() - dt.timedelta(days=30), today() + dt.timedelta(days=1)),
             period=True),
        Case("follow-up: churn, 6 months", None, followup_figures.churn, period=True),
        Case("follow-up: churn with the lost in total, 6 months", None, followup_figures.churn_months, period=True),
        Case("follow-up: complaints escalated to one person", "staff",
             lambda s: (callbacks.escalated_to(s), callbacks.complaints(escalated_to=s, limit=101))),
        Case("follow-up: lost customers, first page", None, lambda: winback.lost_customers(limit=101)),
        Case("follow-up: lost customers, page 21 (>)", "lost, deep page",
             lambda after: winback.lost_customers(limit=101, after=after)),
        Case("follow-up: lost customers, longest lost first", None,
             lambda: winback.lost_customers(limit=101, longest_first=True)),
        Case("follow-up: call register, first page", None, lambda: call_register.calls(limit=101)),
        Case("follow-up: call register, page 21 (>)", "register, deep page",
             lambda after: call_register.calls(limit=101, after=after)),
        Case("customer's file: their calls", "callers", lambda c: call_register.calls(limit=101, customer_id=c)),
        Case("follow-up: incoming calls, first page", None, lambda: call_register.calls(limit=101, incoming_only=True)),
        Case("follow-up: planned services due", None, lambda: service_plan.due_services(limit=101)),
        Case("follow-up: campaign invitations due", None, lambda: campaigns.invitations_due(limit=101)),
        Case("follow-up: campaigns", None, lambda: campaigns.campaigns(limit=51)),
        *[Case(f"reminders: {kind}", None, lambda kind=kind: reminders.due(kind, limit=101))
          for kind in reminders.KINDS],
        Case("reminders: maintenance, page 21 (>)", "maintenance, deep page",
             lambda after: reminders.due("maintenance", limit=101, after=after)),
        Case("staff: list", None, accounts.all_staff),
        Case("appointments: the day (grid and list)", None,
             lambda: (capacity.day_grid(today() + dt.timedelta(days=1)), appointments.day_list(today()))),
        Case("appointments: reminder calls, expected arrivals", None,
             lambda: (appointments.reminder_list(), appointments.expected_arrivals())),
        Case("appointments: pre-picks, shortages", None, lambda: (prepick.prepicks(), prepick.shortages())),
        Case("appointments: figures, 30 days", None, lambda: appointment_figures.report(
            dt.datetime.combine(today() - dt.timedelta(days=30), dt.time()),
            dt.datetime.combine(today() + dt.timedelta(days=1), dt.time())), period=True),
        # --- searches, as typed ---
        Case("palette: active plate, key by key", "active plates typed", palette),
        Case("palette: active customer, key by key", "active names typed", palette),
        Case("palette: active customer's initials", "active initials typed", palette),
        Case("palette: active RO number", "active RO numbers", palette),
        Case("palette: history plate, key by key", "history plates typed", palette),
        Case("palette: history customer, key by key", "history names typed", palette),
        Case("palette: history phone, key by key", "history phones typed", palette),
        Case("palette: history VIN", "history VINs", palette),
        Case("palette: history RO number", "history RO numbers", palette),
        Case("cashier /: plate at the desk, key by key", "desk plates typed",
             lambda t: settlement.cashier_queue(t, limit=101)),
        Case("cashier /: RO number at the desk", "desk RO numbers",
             lambda t: settlement.cashier_queue(t, limit=101)),
        Case("cashier /: RO number of the history", "history RO numbers",
             lambda t: settlement.cashier_queue(t, limit=101)),
        Case("cashier /: plate of the history, key by key", "history plates typed",
             lambda t: settlement.cashier_queue(t, limit=101)),
        Case("receivables: customer, key by key", "owing names typed",
             lambda t: settlement.receivables(t, limit=101)),
        Case("receivables: plate, key by key", "owing plates typed", lambda t: settlement.receivables(t, limit=101)),
        Case("receivables: pinyin initials, key by key", "owing initials typed",
             lambda t: settlement.receivables(t, limit=101)),
        Case("receivables: RO number", "owing RO numbers", lambda t: settlement.receivables(t, limit=101)),
        Case("reception: operations, key by key", "operations typed", lambda t: reception.find_operations(t, limit=50)),
        Case("parts /: plate, key by key", "active plates typed", lambda t: parts.pick_queue(t, limit=101)),
        Case("follow-up /: customer, key by key", "history names typed",
             lambda t: callbacks.queue(view="all", search=t, limit=101)),
    ]


def open_shop(name: str, path) -> Shop:
    from models.db import open_database
    from models.schema import migrate
    database = open_database(path)
    applied = migrate()
    if applied:
        print(f"{name} shop upgraded to the current schema: {', '.join(applied)}", file=sys.stderr)
    return Shop(name, database, {})


def use(shop: Shop) -> None:
    from models.db import db
    db.initialize(shop.database)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40, help="samples per call and shop (more for typed searches)")
    parser.add_argument("--only", default="", help="only the calls whose label contains this text")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="wall: elapsed time (what a user waits); cpu: this thread's processor time, "
                             "kernel's included (what the call costs, also on a machine busy with other work)")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.perf_counter if args.clock == "wall" else time.thread_time
    print(f"clock: {args.clock}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    shops = [open_shop("small", shop_db("small")), open_shop("large", shop_db("large"))]
    for shop in shops:
        use(shop)
        shop.inputs = inputs(random.Random(11), args.n)
    # As a terminal does after start-up (screens/collector.py): what is alive now is never collected.
    gc.collect()
    gc.freeze()
    print(f"{'call':<46} {'small p50 / p95':>17} {'large p50 / p95':>17} {'ratio':>6}   (ms; ratio of p95s)")
    failures = []
    for case in cases():
        if args.only.lower() not in case.label.lower():
            continue
        small, large = measure(case, shops, args.n)
        s50, s95, l50, l95 = (pct(small, 50) * 1e3, pct(small, 95) * 1e3, pct(large, 50) * 1e3, pct(large, 95) * 1e3)
        ratio = max(l95, FLOOR_MS) / max(s95, FLOOR_MS)
        verdict = []
        if l95 > TARGET_MS:
            verdict.append(f"OVER {TARGET_MS:.0f} ms")
        if ratio > MAX_RATIO and not case.period:
            verdict.append(f"GROWS x{ratio:.1f}")
        if verdict:
            failures.append(case.label)
        note = "  (a total over a period: ratio not held)" if case.period and not verdict else ""
        print(f"{case.label:<46} {s50:7.2f} /{s95:7.2f}  {l50:7.2f} /{l95:7.2f}  {ratio:5.2f}  "
              f"{'  '.join(verdict) or 'OK'}{note}", flush=True)
    print(f"target: p95 <= {TARGET_MS:.0f} ms on the large shop and <= {MAX_RATIO:.0f}x the small shop's "
          f"(times under {FLOOR_MS:.0f} ms count as {FLOOR_MS:.0f} ms): "
          + ("met by every call" if not failures else f"missed by {len(failures)}: {', '.join(failures)}"))


def measure(case: Case, shops: list[Shop], n: int) -> tuple[list[float], list[float]]:
    """The call's times on the small and the large shop, taken turn about."""
    samples: dict[str, list[float]] = {shop.name: [] for shop in shops}
    items = {shop.name: shop.inputs[case.inputs] if case.inputs else [None] * n for shop in shops}
    count = min(len(v) for v in items.values())
    for shop in shops:  # once each, untimed: a terminal open all day has its pages in memory
        use(shop)
        _run(case, items[shop.name][0])
    for i in range(count):
        for shop in shops:
            use(shop)
            started = CLOCK()
            _run(case, items[shop.name][i])
            samples[shop.name].append(CLOCK() - started)
    return samples["small"], samples["large"]


def _run(case: Case, item) -> None:
    if case.inputs is None:
        case.call()
    else:
        case.call(item)


if __name__ == "__main__":
    main()
