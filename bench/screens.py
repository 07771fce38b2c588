"""Opening the screens that read the most data, in the large shop: the data each screen loads when it
opens (the same workshop/ calls the screen makes). Target p95 <= 0.1 s.

    .venv/bin/python -m bench.screens --shop large [--n 30]
"""
import argparse
import random
import time

from bench.common import open_db, report


def timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()
    open_db(args.shop)
    from models.db import db
    from models.events import Event
    from models.orders import JobLine, RepairOrder
    from workshop import audit, board, callbacks, parts, qc, reminders, settlement
    from workshop.dispatch import actual_hours, order_technicians
    rng = random.Random(3)
    top = db.execute_sql("SELECT MAX(id) FROM repair_order").fetchone()[0]

    def order_detail():
        oid = rng.randint(1, top)
        order = RepairOrder.get_by_id(oid)
        lines = list(JobLine.select().where(JobLine.order == oid))
        actual_hours([l.id for l in lines])
        order_technicians([oid])
        parts.order_part_lines(oid)
        list(Event.select().where(Event.order == oid).order_by(Event.id.desc()).limit(200))
        return order

    cases = [
        ("board (all active cards)", board.active_cards),
        ("order detail (random order of the history)", order_detail),
        ("audit trail, first page", lambda: audit.search(limit=101)),
        ("audit trail, one order", lambda: audit.search(order_number=rng.randint(1001, top), limit=101)),
        ("audit trail, one kind", lambda: audit.search(kind="qc_pass", limit=101)),
        ("cashier queue", lambda: settlement.cashier_queue(limit=101)),
        ("receivables, first page", lambda: settlement.receivables(limit=101)),
        ("parts pick queue", lambda: parts.pick_queue(limit=101)),
        ("QC queue", lambda: qc.qc_queue(limit=101)),
        ("callbacks due", lambda: callbacks.queue(limit=101)),
        ("reminders: insurance renewal", lambda: reminders.due("insurance", limit=101)),
        ("reminders: maintenance due", lambda: reminders.due("maintenance", limit=101)),
        ("reminders: lost customers", lambda: reminders.due("lost", limit=101)),
    ]
    for label, fn in cases:
        fn()  # warm the page cache once, as a terminal open all day would be
        report(label, timed(fn, args.n), target_ms=100)


if __name__ == "__main__":
    main()
