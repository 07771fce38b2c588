"""Warm starts (workshop/warm.py) with real processes: the `workshop` command in a pseudo-terminal hands
its terminal to a warm server's child, which runs the board on it; resizes and hang-ups reach it."""
import fcntl
import getpass
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.terminal import read_until, wait_for

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _read_until(fd: int, needle: bytes, seconds: float = 30) -> bytes:
    seen = read_until(fd, needle, seconds)
    assert needle in seen, f"{needle!r} never appeared; screen so far: {seen[-400:]!r}"
    return seen


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def warm(shop, db_path, tmp_path):
    """A warm server in a private directory, and the environment a front-desk login would have."""
    from models.db import db
    db.close()  # the server's children open the file themselves
    folder = tmp_path / "warm"
    folder.mkdir(mode=0o700)
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{getpass.getuser()} = {shop.dispatcher.login}\n")
    # A terminal's size comes from the terminal, not from COLUMNS/LINES (pytest-xdist sets them to 80x24).
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**inherited, "WORKSHOP_WARM": "1", "WORKSHOP_WARM_DIR": str(folder), "WORKSHOP_WARM_DELAY": "0",
           "WORKSHOP_WARM_IDLE": "20", "WORKSHOP_SSH_MAP": str(ssh_map), "TERM": "xterm-256color"}
    server = subprocess.Popen([sys.executable, "-m", "workshop.warm", "serve"], cwd=ROOT, env=env)
    wait_for(lambda: (folder / "warm.sock").exists(), "the warm server")
    state = {"env": env, "folder": folder, "db": str(db_path), "server": server}
    yield state
    server.terminate()
    server.wait(timeout=30)
    for extra in state.get("others", []):
        extra.kill()


def _start(warm, cols=100, rows=30, env=None):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "workshop.cli", "--db", warm["db"]],
                   env or warm["env"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def _wait_exit(pid: int, fd: int, seconds: float = 30) -> int:
    """Wait for the client to exit, reading its screen meanwhile: a terminal nobody reads blocks the
    app's last writes (as a real terminal would not)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if select.select([fd], [], [], 0.05)[0]:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    raise AssertionError("the terminal did not exit")


def _children(warm) -> list[int]:
    log = (warm["folder"] / "warm.log").read_text()
    return [int(line.split()[3]) for line in log.splitlines() if " child " in line and " runs " in line]


def test_start_is_served_warm_and_follows_resizes_and_quits_cleanly(warm):
    pid, fd = _start(warm, cols=100)
    _read_until(fd, b"Checked in")
    children = _children(warm)
    assert len(children) == 1 and children[0] != pid  # the board runs in the server's child, not the client
    screen = _read_until(fd, b"Wait parts")
    assert b"To settle" not in screen  # 100 columns: four columns fit
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 200, 0, 0))
    os.kill(pid, signal.SIGWINCH)  # what the terminal does when its window grows
    _read_until(fd, b"To settle")  # all seven columns now fit
    os.write(fd, b"\x11")  # Ctrl+Q
    assert _wait_exit(pid, fd) == 0
    wait_for(lambda: not _alive(children[0]), "the child to end")


def test_a_hung_up_session_ends_its_terminal(warm):
    pid, fd = _start(warm)
    _read_until(fd, b"Checked in")
    child = _children(warm)[-1]
    os.kill(pid, signal.SIGKILL)  # the client dies without forwarding anything (the worst case)
    os.waitpid(pid, 0)
    wait_for(lambda: not _alive(child), "the orphaned terminal to hang up")


def test_a_server_of_other_code_or_settings_is_refused_and_the_start_runs_cold(warm):
    env = {**warm["env"], "TEXTUAL_WORKSHOP_TEST": "1"}  # TEXTUAL_* settings are baked in at import
    pid, fd = _start(warm, env=env)
    _read_until(fd, b"Checked in")
    assert _children(warm) == []  # drawn by the client process itself
    warm["server"].wait(timeout=30)  # the old server leaves...
    log = (warm["folder"] / "warm.log").read_text()
    assert "stale" in log
    os.write(fd, b"\x11")
    assert _wait_exit(pid, fd) == 0
    # ...and the refused start launched a fresh one for the next start; stop it.
    wait_for(lambda: (warm["folder"] / "warm.log").read_text().count(" ready") == 2, "the fresh server")
    os.kill(int((warm["folder"] / "warm.pid").read_text()), signal.SIGTERM)


def test_warm_command_starts_a_server_for_the_first_terminal_of_the_day(tmp_path):
    folder = tmp_path / "warm"
    env = {**os.environ, "WORKSHOP_WARM": "1", "WORKSHOP_WARM_DIR": str(folder), "WORKSHOP_WARM_DELAY": "0"}
    done = subprocess.run([sys.executable, "-m", "workshop.cli", "warm"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    wait_for(lambda: (folder / "warm.sock").exists(), "the warm server")
    os.kill(int((folder / "warm.pid").read_text()), signal.SIGTERM)
    off = subprocess.run([sys.executable, "-m", "workshop.cli", "warm"], cwd=ROOT,
                         env={**env, "WORKSHOP_WARM": "0"}, capture_output=True, text=True, timeout=60)
    assert off.returncode == 1 and "off" in off.stderr


def test_a_terminal_whose_app_is_killed_gets_its_modes_back(warm):
    pid, fd = _start(warm)
    _read_until(fd, b"Checked in")
    child = _children(warm)[-1]
    assert not termios.tcgetattr(fd)[3] & termios.ICANON  # the app reads keys one by one (raw mode)
    os.kill(child, signal.SIGKILL)  # the app dies without restoring anything
    assert _wait_exit(pid, fd) == 1
    assert termios.tcgetattr(fd)[3] & termios.ICANON  # the login's shell gets a usable terminal back
