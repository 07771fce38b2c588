"""Write latency with 1, 8 and 16 writer processes on one SQLite file: each writer moves its own
order back and forth (start/stop) as fast as it can. Reports p50/p99 and errors (must be 0).
Target: p99 <= 50 ms with 16 writers.

    .venv/bin/python -m bench.writers [--writes 100]
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
    # Each writer is a terminal: its change watcher runs (and checkpoints), as in the app.
    from models.db import leave_checkpoints_to_watch
    from workshop.feed import ChangeWatcher
    ChangeWatcher(lambda: None).start()
    leave_checkpoints_to_watch()
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


def run(writers: int, writes: int, think_ms: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
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
    args = parser.parse_args()
    for think in args.think_ms:
        for writers in (1, 8, 16):
            run(writers, args.writes, think)


if __name__ == "__main__":
    main()
