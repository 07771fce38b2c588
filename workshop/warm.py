"""Warm start: a per-user process keeps the app's code loaded and forks a ready terminal for each start.

Python needs ~350 ms on a small machine just to import Textual, Rich, Peewee and the app before
it draws anything. When a front-desk login runs ``workshop``, the command (the *client*) instead
connects to a warm process of the same Unix user (the *server*), hands over its terminal (the
file descriptors of stdin, stdout and stderr, over a Unix socket), its arguments, environment and
working directory, and waits. The server forks; the child, with everything already imported,
opens the database and runs the app on that terminal, then reports the exit code back. The client
forwards resize and hang-up signals to the child. This is how Mercurial's ``chg`` avoids
Python's start-up cost.

- The first start finds no server: it starts the app as usual and launches a server in the
  background for the next start. ``WORKSHOP_WARM=0`` turns all of this off.
- The server holds no database connection and starts no thread before it forks (each child opens
  its own connection), answers only its own Unix user (the socket lives in a 0700 directory and
  the peer's uid is checked), and leaves after ``WORKSHOP_WARM_IDLE`` seconds without a start
  (default 12 hours).
- A server refuses a client whose code or ``TEXTUAL_*`` settings differ from its own (an upgraded
  install): that start runs as usual, and the old server exits so that a fresh one replaces it.
"""
from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import struct
import sys
import termios
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("workshop", "screens", "models", "seeds")
FORWARDED_SIGNALS = (signal.SIGWINCH, signal.SIGHUP, signal.SIGTERM, signal.SIGCONT)
DEFAULT_IDLE_S = 12 * 3600
LOCK_WAIT_S = 2.0
# Settings read once when Python or a library starts: a server started under other values would run
# the client's terminal with the wrong ones (text encoding, Textual's TEXTUAL_* switches).
BAKED_ENV = ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING", "PYTHONUTF8", "NO_COLOR", "COLORTERM")
_lock_fd: int | None = None  # held while this process is the server; children close it


def enabled() -> bool:
    return os.environ.get("WORKSHOP_WARM", "1") != "0"


def runtime_dir() -> Path:
    base = os.environ.get("WORKSHOP_WARM_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    return Path(xdg) / "workshop" if xdg else Path(f"/tmp/workshop-{os.getuid()}")


def _private_dir() -> Path | None:
    """The socket's directory: created 0700, and used only if this user owns it and nobody else can enter."""
    path = runtime_dir()
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return path


def fingerprint() -> str:
    """What the loaded code depends on: the interpreter, every source file's size and time, TEXTUAL_* settings."""
    parts = [sys.executable, sys.version]
    for name in CODE_DIRS:
        for entry in sorted(os.scandir(ROOT / name), key=lambda e: e.name):
            if entry.name.endswith((".py", ".tcss")):
                info = entry.stat()
                parts.append(f"{name}/{entry.name}|{info.st_size}|{info.st_mtime_ns}")
    parts += sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("TEXTUAL") or k in BAKED_ENV)
    parts.append(_installed_packages_stamp())
    return f"{zlib.crc32(chr(10).join(parts).encode()):08x}"


def _installed_packages_stamp() -> str:
    """Changes when a package is installed, upgraded or removed (its dist-info folder comes or goes)."""
    import sysconfig
    try:
        return str(os.stat(sysconfig.get_paths()["purelib"]).st_mtime_ns)
    except OSError:
        return ""


# --- messages: a 4-byte length, then JSON ---------------------------------------------------------------

def _send(conn: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    payload = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(conn, [payload], fds)
    else:
        conn.sendall(payload)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _recv(conn: socket.socket) -> dict:
    (size,) = struct.unpack("!I", _recv_exact(conn, 4))
    return json.loads(_recv_exact(conn, size))


# --- the client: the `workshop` command --------------------------------------------------------------------

def run_warm(argv: list[str]) -> int | None:
    """Run the app in a warm server's child on this terminal; the exit code, or None to start as usual."""
    if not enabled() or not (os.isatty(0) and os.isatty(2)):
        return None
    folder = _private_dir()
    if folder is None:
        return None
    try:
        saved = termios.tcgetattr(0)
    except termios.error:
        saved = None
    relay = _SignalRelay()  # before the request: a resize while the child starts must not be lost
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(str(folder / "warm.sock"))
        payload = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd(), "umask": _umask(),
                              "fingerprint": fingerprint()}).encode()
        socket.send_fds(conn, [struct.pack("!I", len(payload)) + payload], [0, 1, 2])
        reply = _recv(conn)
    except (OSError, ConnectionError, ValueError):
        reply = {}
    if "pid" not in reply:  # no server, or one of a different install (it leaves): start as usual
        conn.close()
        relay.give_up()
        start_server()
        return None
    relay.attach(int(reply["pid"]))
    try:
        return int(_recv(conn).get("exit", 1))
    except (OSError, ConnectionError, ValueError):
        _restore_terminal(saved)  # the child died without a word, and without tidying the terminal
        return 1
    finally:
        conn.close()


def _restore_terminal(saved) -> None:
    """Leave the terminal as this command found it: modes, main screen, cursor, no mouse reports."""
    if saved is not None:
        try:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
        except termios.error:
            pass
    os.write(2, b"\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?1049l\x1b[?25h\r\n")


class _SignalRelay:
    """Passes the terminal's signals (resize, hang-up, terminate) on to the child that runs the app;
    signals that arrive before the child is known are kept and passed on when it is."""

    def __init__(self) -> None:
        self.child: int | None = None
        self.pending: list[int] = []
        for signum in FORWARDED_SIGNALS:
            signal.signal(signum, self._on_signal)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app reads Ctrl+C as a key

    def _on_signal(self, signum, _frame) -> None:
        if self.child is None:
            self.pending.append(signum)
            return
        try:
            os.kill(self.child, signum)
        except ProcessLookupError:
            pass

    def attach(self, child: int) -> None:
        self.child = child
        for signum in dict.fromkeys(self.pending):
            self._on_signal(signum, None)
        self.pending.clear()

    def give_up(self) -> None:
        """This process runs the app itself: default handlers, and a hang-up or terminate that came
        meanwhile takes effect now."""
        for signum in (*FORWARDED_SIGNALS, signal.SIGINT):
            signal.signal(signum, signal.SIG_DFL)
        for signum in dict.fromkeys(self.pending):
            if signum in (signal.SIGHUP, signal.SIGTERM):
                os.kill(os.getpid(), signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def start_server() -> None:
    """Launch a warm server in the background (it exits at once if one is already running)."""
    if not enabled():
        return
    import subprocess
    subprocess.Popen([sys.executable, "-m", "workshop.warm", "serve"], cwd=ROOT, start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     close_fds=True)


# --- the server -------------------------------------------------------------------------------------------

def _log(folder: Path, text: str) -> None:
    with open(folder / "warm.log", "a") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")


def serve() -> int:
    folder = _private_dir()
    if folder is None:
        return 1
    global _lock_fd
    _lock_fd = os.open(folder / "warm.lock", os.O_RDWR | os.O_CREAT, 0o600)
    if not _take_lock(_lock_fd, LOCK_WAIT_S):
        return 0  # another server is running
    own = fingerprint()
    time.sleep(float(os.environ.get("WORKSHOP_WARM_DELAY", "1")))  # let the terminal starting now draw first
    preload()
    import gc
    gc.freeze()  # children share these pages; the collector must not touch (and so copy) them
    path = folder / "warm.sock"
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    (folder / "warm.pid").write_text(str(os.getpid()))
    _log(folder, f"server {os.getpid()} ready")
    idle_s = float(os.environ.get("WORKSHOP_WARM_IDLE", DEFAULT_IDLE_S))
    listener.settimeout(min(30.0, idle_s))
    last_start = time.monotonic()
    children: set[int] = set()
    signal.signal(signal.SIGCHLD, lambda *_: _reap(children))
    while True:
        _reap(children)
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if not children and time.monotonic() - last_start > idle_s:
                _log(folder, f"server {os.getpid()} idle, leaving")
                path.unlink(missing_ok=True)
                return 0
            continue
        last_start = time.monotonic()
        if _serve_one(conn, listener, own, children, folder) == "stale":
            path.unlink(missing_ok=True)
            listener.close()
            os.close(_lock_fd)  # a fresh server can start while this one winds down
            _log(folder, f"server {os.getpid()} stale (code or settings changed), leaving")
            return 0


def _take_lock(fd: int, seconds: float) -> bool:
    """The server lock; a server that was just refused as stale lets go of it within moments."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)


def _serve_one(conn: socket.socket, listener: socket.socket, own: str, children: set[int], folder: Path) -> str:
    fds: list[int] = []
    try:
        conn.settimeout(5)
        uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
        if uid != os.getuid():
            return "refused"
        head, fds, _, _ = socket.recv_fds(conn, 4, 3)
        (size,) = struct.unpack("!I", head)
        request = json.loads(_recv_exact(conn, size))
        if request.get("fingerprint") != own or len(fds) != 3:
            _send(conn, {"refused": "stale"})
            return "stale"
        pid = os.fork()
        if pid == 0:
            listener.close()
            _child(conn, fds, request, folder)  # never returns
        children.add(pid)
        return "served"
    except (OSError, ValueError, ConnectionError):
        return "refused"
    finally:
        for fd in fds:
            os.close(fd)
        conn.close()


def _child(conn: socket.socket, fds: list[int], request: dict, folder: Path) -> None:
    code = 1
    try:
        os.close(_lock_fd)  # the server's lock is the server's: a child must not keep it
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        os.umask(request["umask"])  # the -wal/-shm files it creates must get the login's group rights
        conn.settimeout(None)
        _send(conn, {"pid": os.getpid()})
        threading.Thread(target=_hang_up_with_client, args=(conn,), daemon=True).start()
        _log(folder, f"child {os.getpid()} runs workshop {' '.join(request['argv'])}")
        from workshop.cli import main
        code = main(request["argv"], warm=False)
    except BaseException as error:  # noqa: BLE001 - report anything to the log, and exit
        _log(folder, f"child {os.getpid()} failed: {error!r}")
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            _send(conn, {"exit": code})
        except OSError:
            pass
        os._exit(code)


def _hang_up_with_client(conn: socket.socket) -> None:
    """The client sends nothing after its request: when its end closes (the SSH session is gone, or it
    was killed without forwarding a signal), this terminal hangs up as it would on a dead line."""
    try:
        conn.recv(1)
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGHUP)


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def preload() -> None:
    """Import what a terminal needs before its first frame (no database, no threads)."""
    import textual.widgets  # noqa: F401
    import screens.app  # noqa: F401
    import screens.board  # noqa: F401
    import screens.signin  # noqa: F401
    import screens.registry
    screens.registry.preload()
    import workshop.cli  # noqa: F401
    import workshop.sshmap  # noqa: F401
    from textual.widgets import Header  # noqa: F401


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        sys.exit(serve())
    print("usage: python -m workshop.warm serve", file=sys.stderr)
    sys.exit(2)
