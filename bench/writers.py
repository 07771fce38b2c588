"""Write latency with 1, 8 and 16 writer processes on one database: each writer moves its own
order back and forth (start/stop) as fast as it can. Reports p50/p99 and errors (must be 0).
Target: p99 <= 50 ms with 16 writers.

By default each run builds a small shop in a scratch SQLite file. ``--db`` runs on an existing shop
instead (a file or a postgresql:// URL, e.g. the large shop moved there with `workshop copy`): each
writer takes one of its dispatched orders, and leaves it dispatched again.

    .venv/bin/python -m bench.writers [--writes 100] [--db FILE-or-postgresql://...] [--writers 1 8 16]
"""
import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from bench.common import ROOT, pct

WRITER = textwrap.dedent("""
    import json, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import lifecycle
    path, order_id, writes, think, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    open_database(path)
    who = Staff.get(Staff.login == "zhang.lei")
    lifecycle.load_capabilities()
    # Each writer is a terminal: its change watcher runs (and on SQLite checkpoints), as in the app.
    from models.db import is_sqlite, leave_checkpoints_to_watch
    if is_sqlite():
        from workshop.feed import ChangeWatcher
        ChangeWatcher(lambda: None).start()
        leave_checkpoints_to_watch()
    else:
        from workshop.pg_feed import NotifyWatcher
        NotifyWatcher(lambda: None).start()
    print("ready", flush=True)
    import os
    while not os.path.exists(start):   # all writers start together, after their imports
        time.sleep(0.001)
    times, errors = [], []
    for i in range(writes):
        name = "start" if i % 2 == 0 else "stop"
        t = time.perf_counter()
        try:
            lifecycle.transition(order_id, name, by=who)
        except Exception as error:
            errors.append(repr(error))
        times.append(time.perf_counter() - t)
        time.sleep(think)
    print(json.dumps({"times": times, "errors": errors}))
""")


def build(path: Path, orders: int) -> list[int]:
    """A small shop with ``orders`` dispatched orders, one per writer."""
    from models.db import db, open_database
    from models.schema import migrate
    from models.shop import Bay
    from workshop import clock
    open_database(path)
    migrate()
    from tests.factories import build_small_shop, make_vehicle
    shop = build_small_shop()
    Bay.update(capacity=100).execute()
    ids = []
    for i in range(orders):
        car = make_vehicle(f"粤W{i:05d}", f"LFV2A21K9N4{i:06d}", shop.customer)
        ids.append(shop.dispatched(car, bay=1).id)
    db.close()
    clock.freeze(None)
    return ids


def dispatched_orders(db: str, count: int) -> list[int]:
    """``count`` dispatched orders of an existing shop, one per writer."""
    from models.db import db as database, open_database
    from models.orders import RepairOrder
    open_database(db)
    ids = [o.id for o in RepairOrder.select(RepairOrder.id).where(RepairOrder.state == "dispatched")
           .order_by(RepairOrder.id).limit(count)]
    database.close()
    if len(ids) < count:
        raise SystemExit(f"the shop has only {len(ids)} dispatched orders for {count} writers")
    return ids


def run(writers: int, writes: int, think_ms: float, db: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if db:
            path, ids = db, dispatched_orders(db, writers)
        else:
            path = Path(tmp) / "writers.db"
            ids = build(path, writers)
        start = Path(tmp) / "go"
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(i), str(writes), str(think_ms / 1000),
                                   str(start)], cwd=ROOT, stdout=subprocess.PIPE, text=True) for i in ids]
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        start.touch()
        times, errors = [], []
        for proc in procs:
            out, _ = proc.communicate()
            data = json.loads(out.strip().splitlines()[-1])
            times += data["times"]
            errors += data["errors"]
    target = "  OK" if writers < 16 or pct(times, 99) * 1000 <= 50 else "  OVER TARGET 50 ms"
    print(f"{think_ms:>4.0f} ms apart, {writers:>2} writer process(es)   n={len(times):<5} p50 {pct(times, 50) * 1000:7.2f} ms   "
          f"p99 {pct(times, 99) * 1000:7.2f} ms   errors {len(errors)}{target}")
    for error in errors[:3]:
        print("   ", error)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--think-ms", type=float, nargs="*", default=[0, 50],
                        help="pause between one writer's writes: 0 = flat out (a stress test), 50 = a very busy "
                             "terminal (a person moves a card every few seconds at most)")
    parser.add_argument("--writers", type=int, nargs="*", default=[1, 8, 16])
    parser.add_argument("--db", help="an existing shop to write to (a file or a postgresql:// URL) instead of "
                        "a small scratch shop per run")
    args = parser.parse_args()
    for think in args.think_ms:
        for writers in args.writers:
            run(writers, args.writes, think, args.db)


if __name__ == "__main__":
    main()
