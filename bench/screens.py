"""Opening the screens that read the most data, in the large shop. Target p95 <= 0.1 s.

1. The data each screen loads when it opens (the same workshop/ calls the screen makes).
2. The whole thing in a real terminal (a pseudo-terminal, 120x40, signed in as the manager): from the
   key press until the screen, drawn with its data, has reached the terminal; then Esc to the board.
   The terminal first sits idle for SETTLE_S seconds, as at the start of a shift, while it builds the
   screens its user may open (screens/kept.py); "first open" is the first time each is shown.

    .venv/bin/python -m bench.screens --shop large [--n 30] [--ui-n 20]
"""
import argparse
import random
import time

import os

from bench.common import add_db_option, chosen_db, drain, open_db, read_until, report, spawn_terminal, stop


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
    add_db_option(parser)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--ui-n", type=int, default=20)
    args = parser.parse_args()
    open_db(args.shop, args.db)
    from models.db import db
    from workshop import audit, board, callbacks, dispatch, lifecycle, parts, qc, reminders, settlement
    rng = random.Random(3)
    top = db.execute_sql("SELECT MAX(id) FROM repair_order").fetchone()[0]

    def order_detail():  # what the order screen reads (screens/order_detail.py, reload)
        oid = rng.randint(1, top)
        order = lifecycle.order_header(oid)
        dispatch.order_lines(oid)
        parts.order_part_lines(oid)
        audit.order_history(oid, limit=200)
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
    db.close()
    in_terminal(chosen_db(args), args.ui_n)


SETTLE_S = 15  # idle seconds after the board appears (the manager's nine screens are built, laid out and drawn ahead in ~11)

# (what, keys that open it, text that shows it is drawn with its data, keys before the next round)
UI_CASES = [
    ("order detail (Enter on a card)", b"\r", b"Job lines", b"j"),
    ("audit trail (F9)", b"\x1b[20~", b"Summary", b""),
    ("cashier queue (F7)", b"\x1b[18~", b"Receivables", b""),
    ("parts pick queue (F5)", b"\x1b[15~", b"To pick", b""),
    ("follow-up calls (F8)", b"\x1b[19~", b"Complaints [2]", b""),
]


def in_terminal(db, n: int) -> None:
    pid, fd, _ = spawn_terminal(db, staff_login="zhou.min", cols=120, rows=40)
    try:
        ok, _ = read_until(fd, b"Checked in", 60)
        assert ok, "the board never appeared"
        drain(fd, SETTLE_S)  # as at the start of a shift: the terminal builds its screens while idle
        for label, keys, needle, after in UI_CASES + [("reminders list (F8, then 3)", None, b"Maintenance due", b"")]:
            samples = []
            for _ in range(n):
                if keys is None:  # reminders: open follow-up on its calls tab, then time the switch to reminders
                    os.write(fd, b"\x1b[19~")
                    assert read_until(fd, b"Complaints [2]", 10)[0]
                    os.write(fd, b"1")  # a kept screen comes back on the tab it was left on
                    drain(fd, 0.3)
                    keys = b"3"
                t = time.perf_counter()
                os.write(fd, keys)
                ok, _ = read_until(fd, needle, 10)
                samples.append(time.perf_counter() - t)
                if not ok:
                    raise SystemExit(f"{label}: {needle!r} never appeared")
                drain(fd, 0.2)
                os.write(fd, b"\x1b")  # Esc: back to the board
                assert read_until(fd, b"Checked in", 10)[0], f"{label}: Esc did not lead back to the board"
                drain(fd, 0.2)
                if after:
                    os.write(fd, after)
                    drain(fd, 0.1)
                if label.startswith("reminders"):
                    keys = None
            report(f"{label}, first open", samples[:1], target_ms=100)
            report(f"{label}, again", samples[1:], target_ms=100)
            if os.environ.get("BENCH_VERBOSE"):
                print("   ", " ".join(f"{x * 1000:.0f}" for x in samples))
    finally:
        stop(pid, fd)


if __name__ == "__main__":
    main()
