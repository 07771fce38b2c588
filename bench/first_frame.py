"""Time from process start to the board's first frame in a real pseudo-terminal (not the headless
driver): the app signs in through the SSH map, as a front-desk login does. Target: <= 0.5 s (large).

    .venv/bin/python -m bench.first_frame --shop demo|large [--runs 5]
"""
import argparse

from bench.common import read_until, report, shop_db, spawn_terminal, stop
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="demo")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = shop_db(args.shop)
    times = []
    for _ in range(args.runs):
        pid, fd, started = spawn_terminal(db)
        ok, _ = read_until(fd, b"Checked in", timeout=30)
        elapsed = time.perf_counter() - started
        stop(pid, fd)
        if not ok:
            raise SystemExit("the board never appeared")
        times.append(elapsed)
    report(f"first frame of the board ({args.shop} shop)", times, target_ms=500, p=95)


if __name__ == "__main__":
    main()
