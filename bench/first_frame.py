"""Time from process start to the board's first frame in a real pseudo-terminal (not the headless
driver): the app signs in through the SSH map, as a front-desk login does. Target: <= 0.5 s (large).

Measured both ways a terminal can start (workshop/warm.py):
- warm: a warm server of this Unix user is running (every start after the first);
- cold: no warm server (the first start after boot, or WORKSHOP_WARM=0): Python imports everything.

    .venv/bin/python -m bench.first_frame --shop demo|large [--runs 10]
"""
import argparse
import time

from bench.common import read_until, report, shop_db, spawn_terminal, stop, warm_server


def measure(db, runs: int, env: dict | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        pid, fd, started = spawn_terminal(db, env=env)
        ok, _ = read_until(fd, b"Checked in", timeout=30)
        elapsed = time.perf_counter() - started
        stop(pid, fd)
        if not ok:
            raise SystemExit("the board never appeared")
        times.append(elapsed)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="demo")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    db = shop_db(args.shop)
    with warm_server() as env:
        report(f"first frame, warm start ({args.shop} shop)", measure(db, args.runs, env), target_ms=500, p=95)
    report(f"first frame, cold start ({args.shop} shop)", measure(db, args.runs), target_ms=500, p=95)


if __name__ == "__main__":
    main()
