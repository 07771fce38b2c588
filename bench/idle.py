"""Idle CPU and resident memory of one open terminal (the board, in a real pty) over 60 s.
Targets: CPU at most what kanban-tui (a Textual kanban app) costs idle, measured beside it in the
same window (or 0.3 % of a core without it), memory <= 100 MB.

    .venv/bin/python -m bench.idle --shop large [--seconds 60] [--login zhou.min]
        [--kanban-tui /path/to/venv/bin/kanban-tui]   # `kanban-tui demo` idle beside it, same 60 s

(kanban-tui 0.21.2 installs into a venv of its own: python3 -m venv /tmp/k && /tmp/k/bin/pip install
kanban-tui==0.21.2.)
"""
import argparse
import fcntl
import os
import pty
import struct
import termios
import time

from bench.common import add_db_option, chosen_db, drain, read_until, spawn_terminal, stop

TICKS = os.sysconf("SC_CLK_TCK")
TARGET_PCT = 0.3


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def spawn_kanban(command: str, home: str):
    """kanban-tui's demo board (its own temporary database) in a pty of the same size."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"TERM": "xterm-256color", "HOME": home, "XDG_CONFIG_HOME": f"{home}/.config",
                "XDG_DATA_HOME": f"{home}/.local/share", "XDG_STATE_HOME": f"{home}/.local/state"})
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(command, [command, "demo"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def drain_all(fds: list[int], seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for fd in fds:
            drain(fd, 0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    add_db_option(parser)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--login", default="zhou.min", help="staff member signed in (the manager opens "
                        "every screen, so every screen is built ahead: the most memory)")
    parser.add_argument("--kanban-tui", help="kanban-tui's command, to measure its demo idle beside it")
    parser.add_argument("--settle", type=float, default=15, help="idle seconds before measuring (the screens "
                        "are built ahead in the first ~12; a full collection runs after 60 without a key)")
    args = parser.parse_args()
    pid, fd, _ = spawn_terminal(chosen_db(args), staff_login=args.login)
    others = []
    try:
        ok, _ = read_until(fd, b"Checked in", 60)
        assert ok
        if args.kanban_tui:
            import tempfile
            home = tempfile.mkdtemp(prefix="bench-kanban-")
            others.append(spawn_kanban(args.kanban_tui, home))
        fds = [fd] + [kfd for _, kfd in others]
        drain_all(fds, args.settle)  # the screens the login may open are built ahead in its first idle seconds
        pids = [pid] + [kpid for kpid, _ in others]
        cpu0, t0 = [cpu_seconds(p) for p in pids], time.perf_counter()
        drain_all(fds, args.seconds)
        elapsed = time.perf_counter() - t0
        cpu = [(cpu_seconds(p) - c) / elapsed * 100 for p, c in zip(pids, cpu0)]
        rss = [rss_mb(p) for p in pids]
    finally:
        stop(pid, fd)
        for kpid, kfd in others:
            stop(kpid, kfd)
    target = cpu[1] if others else TARGET_PCT
    if others:
        print(f"idle kanban-tui demo beside it over {elapsed:.0f} s: CPU {cpu[1]:.2f}% of a core, RSS {rss[1]:.1f} MB")
    print(f"idle terminal ({args.shop} shop, {args.login}) over {elapsed:.0f} s: CPU {cpu[0]:.2f}% of a core "
          f"{'OK' if cpu[0] <= target else f'OVER TARGET {target:.2f}%'}, "
          f"RSS {rss[0]:.1f} MB {'OK' if rss[0] <= 100 else 'OVER TARGET 100 MB'}")


if __name__ == "__main__":
    main()
