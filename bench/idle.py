"""Idle CPU and resident memory of one open terminal (the board, in a real pty) over 60 s.
Targets: CPU <= 1% of a core, memory <= 100 MB.

    .venv/bin/python -m bench.idle --shop large [--seconds 60]
"""
import argparse
import os
import time

from bench.common import drain, read_until, shop_db, spawn_terminal, stop

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--login", default="zhou.min", help="staff member signed in (the manager opens "
                        "every screen, so every screen is built ahead: the most memory)")
    args = parser.parse_args()
    pid, fd, _ = spawn_terminal(shop_db(args.shop), staff_login=args.login)
    try:
        ok, _ = read_until(fd, b"Checked in", 60)
        assert ok
        drain(fd, 15)  # the screens the login may open are built ahead in its first idle seconds
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        drain(fd, args.seconds)
        cpu = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - t0) * 100
        rss = rss_mb(pid)
    finally:
        stop(pid, fd)
    print(f"idle terminal ({args.shop} shop, {args.login}) over {args.seconds:.0f} s: CPU {cpu:.2f}% of a core "
          f"{'OK' if cpu <= 1 else 'OVER TARGET 1%'}, RSS {rss:.1f} MB {'OK' if rss <= 100 else 'OVER TARGET 100 MB'}")


if __name__ == "__main__":
    main()
