"""A long stretch of work at one terminal: hundreds of screen opens, with a pause to read now and
then, in a real pty on the large shop. It reports the opens (p50/p95/p99/max) and every garbage
collection the terminal ran (screens/collector.py logs them), split into those that fell while
someone was working and those in the reading pauses. Target: every open p99 <= 0.1 s, and no
collection while someone works longer than 0.1 s.

A benchmark of twenty opens never shows the rare long pause: with larger thresholds the middle
generation's collection came after ~400 opens, and (370-500 ms) it froze whatever key came next.

    .venv/bin/python -m bench.long_use --shop large [--rounds 80] [--pause 7]
"""
import argparse
import os
import tempfile
import time

from bench.common import add_db_option, chosen_db, drain, read_until, report, spawn_terminal, stop

# (keys that open a screen, text that shows it is drawn with its data); Esc goes back to the board
OPENS = [(b"\x1b[18~", b"Receivables"), (b"\x1b[20~", b"Summary"), (b"\x1b[15~", b"To pick"),
         (b"\x1b[19~", b"Complaints [2]"), (b"\r", b"Job lines")]
PAUSE_EVERY = 10  # rounds of work between two reading pauses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    add_db_option(parser)
    parser.add_argument("--rounds", type=int, default=80, help="rounds of five screen opens")
    parser.add_argument("--pause", type=float, default=7.0, help="seconds of each reading pause")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = os.path.join(folder, "gc.log")
        opens, pauses = work(chosen_db(args), args.rounds, args.pause, log)
        collections = read_log(log)
    report("screen opened (Esc between)", opens, target_ms=100, p=95)
    report("screen opened (Esc between)", opens, target_ms=100, p=99)
    print(f"{'':<44} max {max(opens) * 1000:.0f} ms")
    at_work = [c for c in collections if not any(a <= c[0] <= b for a, b in pauses)]
    for label, group in (("while working", at_work), ("in reading pauses", [c for c in collections if c not in at_work])):
        for generation, name in ((0, "young"), (1, "middle"), (2, "full")):
            ms = [c[2] for c in group if c[1] == generation]
            if ms:
                print(f"GC {name:<6} {label:<18} n={len(ms):<4} max {max(ms):6.1f} ms   total {sum(ms):7.1f} ms")
    longest = max((c[2] for c in at_work), default=0.0)
    print(f"longest collection while working: {longest:.1f} ms (target 100 ms)" + ("  OK" if longest <= 100 else "  OVER"))


def work(db, rounds: int, pause: float, log: str) -> tuple[list[float], list[tuple[float, float]]]:
    pid, fd, _ = spawn_terminal(db, staff_login="zhou.min", env={"WORKSHOP_GC_LOG": log})
    opens, pauses = [], []
    try:
        assert read_until(fd, b"Checked in", 60)[0], "the board never appeared"
        drain(fd, 15)  # the screens are built ahead in the first idle seconds
        pauses.append((0.0, time.monotonic()))
        for n in range(rounds):
            if n and n % PAUSE_EVERY == 0:
                started = time.monotonic()
                drain(fd, pause)
                pauses.append((started, time.monotonic()))
            for keys, needle in OPENS:
                t = time.perf_counter()
                os.write(fd, keys)
                if not read_until(fd, needle, 10)[0]:
                    raise SystemExit(f"{needle!r} never appeared")
                opens.append(time.perf_counter() - t)
                drain(fd, 0.15)
                os.write(fd, b"\x1b")
                assert read_until(fd, b"Checked in", 10)[0], "Esc did not lead back to the board"
                drain(fd, 0.15)
    finally:
        pauses.append((time.monotonic(), float("inf")))  # quitting
        stop(pid, fd)
    return opens, pauses


def read_log(path: str) -> list[tuple[float, int, float, int]]:
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [(float(a), int(b), float(c), int(d)) for a, b, c, d in (line.split() for line in f)]


if __name__ == "__main__":
    main()
