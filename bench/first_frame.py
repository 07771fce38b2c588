"""Time from process start to the board's first frame in a real pseudo-terminal (not the headless
driver): the app signs in through the SSH map, as a front-desk login does. Beside it, run for run, a
hello-world Textual app's first frame (bench/hello.py), the floor of any Textual program on this
machine at this moment, and the board's layout in plain Textual with static text (bench/board_layout.py):
what Textual alone takes to paint a screen as full as the board's. Targets: the cold start at most 1.3x
the hello world (p50), <= 0.5 s (p95).

Measured both ways a terminal can start (workshop/warm.py):
- cold: no warm server (the default: Python imports everything);
- warm: the user opted in with `workshop warm`, and its server is running.

Unset PYTHONDONTWRITEBYTECODE before measuring (this machine's shells export it: every start would
compile the project anew, which no user's start does).

    .venv/bin/python -m bench.first_frame --shop demo|large [--db FILE-or-postgresql://...] [--runs 10]
"""
import argparse
import fcntl
import os
import pty
import struct
import sys
import termios
import time

from bench.common import ROOT, add_db_option, chosen_db, pct, read_until, report, spawn_terminal, stop, warm_server


def measure(db, runs: int, env: dict | None = None) -> list[float]:
    return [board_once(db, env) for _ in range(runs)]


def board_once(db, env: dict | None = None) -> float:
    pid, fd, started = spawn_terminal(db, env=env)
    ok, _ = read_until(fd, b"Checked in", timeout=30)
    elapsed = time.perf_counter() - started
    stop(pid, fd)
    if not ok:
        raise SystemExit("the board never appeared")
    return elapsed


def hello_once(module: str = "bench.hello", shows: bytes = b"Hello, world") -> float:
    """The first frame of a plain Textual app (``module``), in a pseudo-terminal of the board's size."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", module], {**os.environ, "TERM": "xterm-256color"})
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    ok, _ = read_until(fd, shows, timeout=30)
    elapsed = time.perf_counter() - started
    stop(pid, fd)
    if not ok:
        raise SystemExit(f"{module} never appeared")
    return elapsed


def layout_once() -> float:
    return hello_once("bench.board_layout", b"Checked in")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="demo")
    parser.add_argument("--runs", type=int, default=10)
    add_db_option(parser)
    args = parser.parse_args()
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("warning: PYTHONDONTWRITEBYTECODE is set: starts compile the code anew", file=sys.stderr)
    db = chosen_db(args)
    where = "--db" if args.db else f"{args.shop} shop"
    hello_once(), board_once(db)  # once untimed: compiled code and the page cache, as on a used machine
    layout_once()
    hello, layout, cold = [], [], []
    for _ in range(args.runs):  # side by side, run for run: the machine's load weighs on all alike
        hello.append(hello_once())
        layout.append(layout_once())
        cold.append(board_once(db))
    report("first frame, hello-world Textual app", hello)
    report("first frame, the board's layout in plain Textual", layout)
    report(f"first frame, cold start ({where})", cold, target_ms=500, p=95)
    ratio = pct(cold, 50) / pct(hello, 50)
    print(f"cold start / hello world (p50): {ratio:.2f}x {'OK' if ratio <= 1.3 else 'OVER TARGET 1.3x'}")
    print(f"plain Textual's board layout / hello world (p50): {pct(layout, 50) / pct(hello, 50):.2f}x; "
          f"cold start / that layout: {pct(cold, 50) / pct(layout, 50):.2f}x")
    with warm_server() as env:
        report(f"first frame, warm start ({where})", measure(db, args.runs, env), target_ms=500, p=95)


if __name__ == "__main__":
    main()
