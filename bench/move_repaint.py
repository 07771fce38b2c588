"""Time to apply a card move and repaint it (p50/p95), end to end in a real pseudo-terminal: a
dispatcher presses [ (stop: back to Dispatched) and ] (start again) on a card; timed from the key
press until the terminal has received the repainted column titles with the new counts.
Target: p95 <= 0.1 s.

    .venv/bin/python -m bench.move_repaint --shop demo [--moves 100]
"""
import argparse
import os
import time

from bench.common import add_db_option, chosen_db, drain, read_until, report, spawn_terminal, stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="demo")
    add_db_option(parser)
    parser.add_argument("--moves", type=int, default=100)
    args = parser.parse_args()
    db = chosen_db(args)
    from models.db import open_database
    from models.orders import RepairOrder
    open_database(db)
    counts = {s: RepairOrder.select().where(RepairOrder.state == s).count() for s in ("dispatched", "in_progress")}
    pid, fd, _ = spawn_terminal(db, cols=200, rows=60)
    samples = []
    try:
        ok, _ = read_until(fd, b"Checked in", 60)
        assert ok
        drain(fd, 1.0)
        os.write(fd, b"\x1b[C\x1b[C")  # two columns right: In progress
        drain(fd, 0.5)
        for i in range(args.moves):
            back = i % 2 == 0
            if back:
                counts["dispatched"] += 1
                counts["in_progress"] -= 1
            else:
                counts["dispatched"] -= 1
                counts["in_progress"] += 1
            needle = (f"Dispatched ({counts['dispatched']})" if back else f"In progress ({counts['in_progress']})")
            t = time.perf_counter()
            os.write(fd, b"[" if back else b"]")
            ok, seen = read_until(fd, needle.encode(), 5)
            if not ok:
                raise SystemExit(f"no repaint showing {needle!r}")
            samples.append(time.perf_counter() - t)
            drain(fd, 0.05)
    finally:
        stop(pid, fd)
    report(f"card move + repaint in a pty ({args.shop} shop)", samples, target_ms=100)


if __name__ == "__main__":
    main()
