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
    # Started as under nohup (SIGHUP ignored, which children inherit): its terminals must hang up all the same.
    server = subprocess.Popen([sys.executable, "-m", "workshop.warm", "serve"], cwd=ROOT, env=env,
                              preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
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
    try:
        assert done.returncode == 0, done.stderr
        wait_for(lambda: (folder / "warm.sock").exists(), "the warm server")
    finally:
        if (folder / "warm.pid").exists():  # (no server left behind, whatever failed)
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


def test_a_plain_start_is_cold_and_leaves_no_server_behind(shop, db_path, tmp_path):
    """Warm starts are opt-in: without `workshop warm`, a start draws the board itself and launches nothing."""
    from models.db import db
    db.close()
    folder = tmp_path / "warm"
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{getpass.getuser()} = {shop.dispatcher.login}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "WORKSHOP_WARM")}
    env.update({"WORKSHOP_WARM_DIR": str(folder), "WORKSHOP_SSH_MAP": str(ssh_map), "TERM": "xterm-256color"})
    pid, fd = _start({"db": str(db_path), "env": env})
    _read_until(fd, b"Checked in")
    os.write(fd, b"\x11")
    assert _wait_exit(pid, fd) == 0
    time.sleep(1.0)  # a server launched in the background would have made its directory by now
    assert not folder.exists()


def _private_dir_in(monkeypatch, path):
    from workshop import warm
    monkeypatch.setenv("WORKSHOP_WARM_DIR", str(path))
    return warm.PrivateDir


@pytest.mark.parametrize("kind", ["symlink to my own 0700 directory", "mode 0755", "another user's"])
def test_the_warm_directory_is_refused_unless_a_real_private_directory_of_mine(kind, tmp_path, monkeypatch):
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o700)
    path = tmp_path / "warm"
    if kind.startswith("symlink"):
        path.symlink_to(mine)  # what another local user plants in /tmp, then flips to their own directory
    elif kind == "mode 0755":
        path.mkdir(mode=0o755)
        path.chmod(0o755)
    else:
        if os.getuid() != 0:
            pytest.skip("needs root to make a directory another user owns")
        path.mkdir(mode=0o700)
        os.chown(path, 65534, 65534)
    PrivateDir = _private_dir_in(monkeypatch, path)
    assert PrivateDir.open() is None
    assert PrivateDir.open(create=True) is None
    from workshop import warm
    assert warm.serve() == 1  # no server there (before it loads anything)
    assert list(mine.iterdir()) == []  # nothing created through the link either


def test_a_private_directory_of_mine_is_used(tmp_path, monkeypatch):
    PrivateDir = _private_dir_in(monkeypatch, tmp_path / "warm")
    folder = PrivateDir.open(create=True)
    assert folder is not None
    try:
        info = os.lstat(tmp_path / "warm")
        assert info.st_mode & 0o777 == 0o700 and info.st_uid == os.getuid()
    finally:
        folder.close()


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to run a listener as another user")
def test_the_client_hands_nothing_to_a_server_of_another_user(tmp_path):
    """A socket in my directory answered by another uid's process (however it got there) gets neither
    my terminal nor my environment: the client checks the server's uid before it sends anything."""
    folder = tmp_path / "warm"
    folder.mkdir(mode=0o700)
    got_r, got_w = os.pipe()
    ready_r, ready_w = os.pipe()
    impostor = os.fork()
    if impostor == 0:  # bind as me, then listen as nobody: the socket's peer is nobody
        try:
            import socket as sockets
            listener = sockets.socket(sockets.AF_UNIX, sockets.SOCK_STREAM)
            listener.bind(str(folder / "warm.sock"))
            os.setgid(65534)
            os.setuid(65534)
            listener.listen(1)
            os.write(ready_w, b"x")
            conn, _ = listener.accept()
            conn.settimeout(10)
            data, fds, _, _ = sockets.recv_fds(conn, 65536, 3)
            os.write(got_w, f"{len(data)} {len(fds)}".encode())
        finally:
            os._exit(0)
    try:
        assert os.read(ready_r, 1) == b"x"
        script = ("from workshop.warm import PrivateDir, _run_warm_in\n"
                  "print(_run_warm_in(PrivateDir.open(), ['--db', 'x.db']))\n")
        env = {**os.environ, "WORKSHOP_WARM_DIR": str(folder), "WORKSHOP_WARM": "1"}
        done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "None"  # a cold start instead
        assert os.read(got_r, 100) == b"0 0"  # the impostor received no byte and no descriptor
    finally:
        os.waitpid(impostor, 0)
