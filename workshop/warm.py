"""Warm start (opt-in): a per-user process keeps the app's code loaded and forks a ready terminal per start.

Python needs ~350 ms on a small machine just to import Textual, Rich, Peewee and the app before
it draws anything. A Unix user who runs ``workshop warm`` (by hand, or from cron ``@reboot``) gets a
background process, the *server*, that has all of it imported. From then on the ``workshop`` command
(the *client*) connects to it, hands over its terminal (the file descriptors of stdin, stdout and
stderr, over a Unix socket), its arguments, environment and working directory, and waits. The
server forks; the child, with everything already imported, opens the database and runs the app on
that terminal, then reports the exit code back. The client forwards resize and hang-up signals to
the child. This is how Mercurial's ``chg`` avoids Python's start-up cost.

- Off unless asked for: without a server, ``workshop`` starts as usual (cold) and launches nothing.
  ``WORKSHOP_WARM=0`` makes the command ignore a running server too.
- The server holds no database connection and starts no thread before it forks (each child opens
  its own connection), and leaves after ``WORKSHOP_WARM_IDLE`` seconds without a start (default 12 h).
- A server refuses a client whose code or ``TEXTUAL_*`` settings differ from its own (an upgraded
  install): that start runs as usual and launches a fresh server, and the old server exits.
- It is this Unix user's alone. Its directory must be a real directory (``lstat``: never a symbolic
  link), owned by this user, mode 0700; it is opened once without following links and every file in
  it (socket, lock, log, pid) is reached through that open directory, so swapping a path component
  afterwards changes nothing. The server checks the client's uid and the client the server's
  (``SO_PEERCRED``) before anything is sent: a terminal and its environment never reach another
  user's process. Anything amiss: a cold start, and ``warm.log`` says why where it can.
"""
from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import stat
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
    """False when WORKSHOP_WARM=0: no warm start, even with a server running."""
    return os.environ.get("WORKSHOP_WARM", "") != "0"


def runtime_dir() -> Path:
    base = os.environ.get("WORKSHOP_WARM_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    return Path(xdg) / "workshop" if xdg else Path(f"/tmp/workshop-{os.getuid()}")


class PrivateDir:
    """The warm server's directory, opened once without following symbolic links and checked: a real
    directory, this user's, mode 0700. Files in it are reached through the open directory
    (``dir_fd``), so that nobody can swap a path component between the check and the use."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    @classmethod
    def open(cls, create: bool = False) -> PrivateDir | None:
        path = runtime_dir()
        if create:
            try:
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.mkdir(path, 0o700)  # (never follows a symbolic link: one there is an error)
            except FileExistsError:
                pass
            except OSError:
                return None
        try:
            before = os.lstat(path)
            if not _safe(before):
                return None
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        after = os.fstat(fd)
        if not _safe(after) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            os.close(fd)  # swapped between the look and the open
            return None
        return cls(fd, path)

    def open_file(self, name: str, flags: int, mode: int = 0o600) -> int:
        """A file in this directory, never through a symbolic link."""
        return os.open(name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=self.fd)

    def exists(self, name: str) -> bool:
        try:
            os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            return True
        except OSError:
            return False

    def unlink(self, name: str) -> None:
        try:
            os.unlink(name, dir_fd=self.fd)
        except FileNotFoundError:
            pass

    def write_text(self, name: str, text: str) -> None:
        """Whole or not at all: written beside, then renamed over (a reader never sees it half written)."""
        part = f".{name}.{os.getpid()}"
        fd = self.open_file(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.rename(part, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def socket_path(self, name: str) -> str:
        """A path to a socket in this directory that goes through the open directory itself."""
        return f"/proc/self/fd/{self.fd}/{name}"

    def close(self) -> None:
        os.close(self.fd)


def _safe(info: os.stat_result) -> bool:
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def _peer_uid(conn: socket.socket) -> int:
    return struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]


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
    """Run the app in a warm server's child on this terminal; the exit code, or None to start as usual
    (no server, warm starts off, or anything that does not check out)."""
    if not enabled() or not (os.isatty(0) and os.isatty(2)):
        return None
    folder = PrivateDir.open()
    if folder is None:
        return None
    try:
        return _run_warm_in(folder, argv)
    finally:
        folder.close()


def _run_warm_in(folder: PrivateDir, argv: list[str]) -> int | None:
    if not folder.exists("warm.sock"):
        return None  # no server: a plain cold start (warm starts are opt-in: `workshop warm`)
    try:
        saved = termios.tcgetattr(0)
    except termios.error:
        saved = None
    relay = _SignalRelay()  # before the request: a resize while the child starts must not be lost
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cwd = os.getcwd()
    try:
        conn.connect(folder.socket_path("warm.sock"))
        if _peer_uid(conn) != os.getuid():  # not our server: it gets nothing, not even the request
            raise ConnectionRefusedError("the warm server is another user's")
        payload = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": cwd, "umask": _umask(),
                              "fingerprint": fingerprint()}).encode()
        socket.send_fds(conn, [struct.pack("!I", len(payload)) + payload], [0, 1, 2])
        reply = _recv(conn)
    except (OSError, ConnectionError, ValueError):
        reply = {}
    if "pid" not in reply:
        conn.close()
        relay.give_up()
        if reply.get("refused") == "stale":
            start_server()  # a server of older code or other settings: the user wants warm starts, replace it
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

def _log(folder: PrivateDir, text: str) -> None:
    try:
        fd = folder.open_file("warm.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except OSError:
        return
    with os.fdopen(fd, "a") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")


def serve() -> int:
    folder = PrivateDir.open(create=True)
    if folder is None:
        print(f"workshop warm: {runtime_dir()} is not a private directory of this user (a real directory, "
              "mode 0700, not a symbolic link): no warm server", file=sys.stderr)
        return 1
    global _lock_fd
    _lock_fd = folder.open_file("warm.lock", os.O_RDWR | os.O_CREAT)
    if not _take_lock(_lock_fd, LOCK_WAIT_S):
        return 0  # another server is running
    own = fingerprint()
    time.sleep(float(os.environ.get("WORKSHOP_WARM_DELAY", "1")))  # let the terminal starting now draw first
    preload()
    import gc
    gc.freeze()  # children share these pages; the collector must not touch (and so copy) them
    folder.write_text("warm.pid", str(os.getpid()))  # before the socket: a socket there means a pid there
    folder.unlink("warm.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)  # the socket is created 0600 (inside a 0700 directory)
    try:
        listener.bind(folder.socket_path("warm.sock"))
    finally:
        os.umask(old_umask)
    listener.listen(16)
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
                folder.unlink("warm.sock")
                return 0
            continue
        last_start = time.monotonic()
        if _serve_one(conn, listener, own, children, folder) == "stale":
            folder.unlink("warm.sock")
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


def _serve_one(conn: socket.socket, listener: socket.socket, own: str, children: set[int],
               folder: PrivateDir) -> str:
    fds: list[int] = []
    try:
        conn.settimeout(5)
        uid = _peer_uid(conn)
        if uid != os.getuid():
            _log(folder, f"refused a client of uid {uid}")
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


def _child(conn: socket.socket, fds: list[int], request: dict, folder: PrivateDir) -> None:
    code = 1
    try:
        os.close(_lock_fd)  # the server's lock is the server's: a child must not keep it
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        # A terminal hangs up and terminates as a terminal does, whatever the server inherited (started
        # under nohup, SIGHUP is ignored, and an orphaned terminal would never end).
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    import models
    models.load_all()  # (a cold terminal loads the rest after its first frame; a warm one has them all)
    import workshop.cli  # noqa: F401
    import workshop.sshmap  # noqa: F401
    from textual.widgets import Header  # noqa: F401


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        sys.exit(serve())
    print("usage: python -m workshop.warm serve", file=sys.stderr)
    sys.exit(2)
