"""Shared helpers for the benchmarks: databases to measure on, percentiles, a terminal in a pty."""
from __future__ import annotations

import fcntl
import getpass
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_DB = Path(os.environ.get("BENCH_DEMO_DB", "/tmp/bench-demo.db"))
LARGE_DB = Path(os.environ.get("BENCH_LARGE_DB", "/tmp/bench-large.db"))
SMALL_DB = Path(os.environ.get("BENCH_SMALL_DB", "/tmp/bench-small.db"))  # the large shop's day, 1% of its history


def shop_db(size: str) -> Path:
    """The demo, small or large shop to measure on, generated once and kept (the large one takes minutes)."""
    path = {"demo": DEMO_DB, "small": SMALL_DB}.get(size, LARGE_DB)
    if not path.exists():
        from workshop.cli import prepare, text_progress
        print(f"generating the {size} shop into {path} ...", file=sys.stderr)
        prepare(path, size=size, progress=text_progress)
    return path


def open_db(size: str, db: str | None = None) -> str:
    from models.db import open_database
    path = db or str(shop_db(size))
    open_database(path)
    return path


def add_db_option(parser) -> None:
    parser.add_argument("--db", help="measure on this database instead of --shop's file: another file, or a "
                        "postgresql:// URL (e.g. the large shop moved there with `workshop copy`)")


def chosen_db(args) -> str:
    """The database a benchmark runs on: ``--db``, else the ``--shop`` file (generated on first use)."""
    return args.db or str(shop_db(args.shop))


def is_postgres_target(db: str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def report(name: str, seconds: list[float], target_ms: float | None = None, p: int = 95) -> None:
    p50, pp = pct(seconds, 50) * 1000, pct(seconds, p) * 1000
    verdict = "" if target_ms is None else ("  OK" if pp <= target_ms else f"  OVER TARGET {target_ms} ms")
    print(f"{name:<44} n={len(seconds):<4} p50 {p50:8.2f} ms   p{p} {pp:8.2f} ms{verdict}")


def ssh_map_for(staff_login: str) -> Path:
    """A map that signs this Unix user in as ``staff_login`` (as a front-desk SSH login would)."""
    path = Path(f"/tmp/bench-ssh-map-{os.getpid()}")
    path.write_text(f"{getpass.getuser()} = {staff_login}\n")
    return path


def spawn_terminal(db: Path, staff_login: str = "zhang.lei", cols: int = 120, rows: int = 40,
                   env: dict | None = None):
    """Start the real app in a pseudo-terminal; returns (pid, fd, started_at). It starts cold (imports
    everything) unless ``env`` names a warm server's directory (see warm_server)."""
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}  # the pty's size counts
    env = {**inherited, "TERM": "xterm-256color", "WORKSHOP_SSH_MAP": str(ssh_map_for(staff_login)),
           "WORKSHOP_WARM": "0", **(env or {})}
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "workshop.cli", "--db", str(db)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd, started


@contextmanager
def warm_server():
    """A warm server (workshop/warm.py) of its own for the benchmark; yields the env that uses it."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o700)
        env = {"WORKSHOP_WARM": "1", "WORKSHOP_WARM_DIR": folder}
        server = subprocess.Popen([sys.executable, "-m", "workshop.warm", "serve"], cwd=ROOT,
                                  env=dict(os.environ, WORKSHOP_WARM_DELAY="0", **env))
        try:
            deadline = time.perf_counter() + 30
            while not Path(folder, "warm.sock").exists():
                if time.perf_counter() > deadline:
                    raise SystemExit("the warm server did not start")
                time.sleep(0.05)
            yield env
        finally:
            server.terminate()
            server.wait()
            pid_file = Path(folder, "warm.pid")  # a server that replaced it (code changed meanwhile)
            if pid_file.exists():
                try:
                    os.kill(int(pid_file.read_text()), 15)
                except (ProcessLookupError, ValueError):
                    pass


def read_until(fd: int, needle: bytes, timeout: float = 30.0) -> tuple[bool, bytes]:
    seen = b""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if needle in seen:
                return True, seen
    return False, seen


def drain(fd: int, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def stop(pid: int, fd: int) -> None:
    try:
        os.write(fd, b"\x11")  # Ctrl+Q
        drain(fd, 1.0)
        os.kill(pid, 15)
    except (OSError, ProcessLookupError):
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


__all__ = ["warm_server", "shop_db", "open_db", "add_db_option", "chosen_db", "is_postgres_target", "pct", "report", "spawn_terminal", "read_until", "stop", "drain", "statistics"]
