"""Writer processes of one SQLite file take turns first come, first served, before BEGIN IMMEDIATE.

SQLite's busy handler polls with sleeps of up to 100 ms, and a plain ``flock`` lets the writer that
has just committed take the lock again before the sleeping ones wake up: under load both give long
tails (16 writers flat out: p99 70 ms with flock for a p50 of 31 ms). This is a ticket queue made of
POSIX byte-range locks on a file beside the database:

1. Under a short ``flock``, a writer takes the next ticket ``t`` (a counter in the file's first 8
   bytes) and locks its slot, byte ``SLOTS_AT + t % SLOTS``.
2. It waits for the slot of ticket ``t - 1``: the kernel wakes it as soon as that writer is done.
3. When it is done, it unlocks its own slot, which wakes the writer holding ticket ``t + 1``.

The kernel drops the locks of a process that dies, so a crashed writer never blocks the queue. A writer
that is stopped (Ctrl+Z, SIGSTOP, a debugger) or hung keeps its locks, so every wait has a deadline (a
timer signal interrupts the kernel wait of the main thread; a worker thread's kernel wait runs in a helper
thread), and the writer gives up when it passes, freeing its own slot so that the writers behind it are not
held up by it too. The queue only orders writers; SQLite's own
lock (BEGIN IMMEDIATE with a busy timeout) still guarantees that one writes at a time.

Lock files are shared by every Unix login of the shop (the SSH front desk): they are created with the
database file's group and permissions, whatever the umask of the login that happens to create them.
"""
from __future__ import annotations

import errno
import fcntl
import os
import signal
import threading
import time

SLOTS_AT = 4096
SLOTS = 4096  # far more than writers that can wait at once


class QueueTimeout(Exception):
    """The writer ahead did not finish before the deadline (it is stopped, hung or very slow)."""


def open_shared(path: str, beside: str) -> int:
    """Open (creating if need be) a lock file that every login writing the database ``beside`` can use: the
    database file's group, and its read/write bits for owner, group and others (SQLite gives its -wal and
    -shm files the database's permissions the same way). Without this the first login's umask (022) made
    the file 0644 and every other login failed with PermissionError."""
    # O_NOFOLLOW: in a folder every login can write, a symlink planted here must not make this login (or
    # root) open, chown or chmod another file.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        mine = os.fstat(fd)
        try:
            database = os.stat(beside)
        except FileNotFoundError:
            return fd  # a new shop: the database file is created next, by this login
        if os.geteuid() == 0 and (mine.st_uid, mine.st_gid) != (database.st_uid, database.st_gid):
            os.fchown(fd, database.st_uid, database.st_gid)  # root (an admin's migrate): as SQLite does for -wal
            mine = os.fstat(fd)
        if mine.st_uid == os.geteuid():  # only the file's owner may change it (it created it, or set it up)
            if mine.st_gid != database.st_gid:
                try:
                    os.fchown(fd, -1, database.st_gid)
                except PermissionError:
                    pass  # not a member of the database's group: that group's logins could not write it anyway
            wanted = database.st_mode & 0o666
            if mine.st_mode & 0o777 != wanted:
                os.fchmod(fd, wanted)
    except BaseException:
        os.close(fd)
        raise
    return fd


class _Alarm:
    """For the main thread: a timer signal (SIGALRM) that interrupts a kernel wait at ``deadline``, calling
    ``on_wait()`` on the way at ``notice_at``. The wait itself stays in the kernel, woken directly by the
    writer ahead, as fast as it was without a deadline."""

    def __init__(self, deadline: float, on_wait=None, notice_at: float = float("inf")):
        self.deadline, self.on_wait = deadline, on_wait
        self.noticed = on_wait is None or notice_at >= deadline
        self.first = deadline if self.noticed else notice_at
        self.armed = False
        self.previous = None

    def _ring(self, _signum, _frame) -> None:
        if not self.armed:
            return
        if not self.noticed:
            self.noticed = True
            signal.setitimer(signal.ITIMER_REAL, max(0.001, self.deadline - time.monotonic()))
            self.on_wait()
            return  # the kernel wait goes on: Python retries the call the signal interrupted
        raise QueueTimeout()

    def __enter__(self) -> "_Alarm":
        self.previous = signal.signal(signal.SIGALRM, self._ring)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, max(0.001, self.first - time.monotonic()))
        return self

    def disarm(self) -> None:
        """Right after the wait: a signal that comes later does nothing."""
        self.armed = False

    def __exit__(self, *_exc) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _lock_before(deadline: float, lock, unlock, on_wait=None, notice_at: float = float("inf")) -> bool:
    """Take a kernel lock (``lock()`` blocks until it is free), by ``deadline``: True when taken, False when
    the deadline came first. ``on_wait()`` is called once if the wait goes past ``notice_at``."""
    if deadline == float("inf"):
        lock()
        return True
    if _in_main_thread():
        alarm = _Alarm(deadline, on_wait, notice_at)
        with alarm:
            try:
                lock()
                alarm.disarm()
            except QueueTimeout:
                alarm.disarm()
                unlock()  # in case the signal came just as the lock was granted
                return False
        return True
    # A worker thread cannot be woken by a signal: the kernel wait runs in a helper thread and this one waits
    # for it until the deadline. A helper left behind by a stuck writer ahead takes the lock when that writer
    # goes on or dies, and gives it back at once.
    taken, abandoned, guard = threading.Event(), threading.Event(), threading.Lock()

    def wait() -> None:
        try:
            lock()
        except OSError:  # EDEADLK, or the file closed: the writer gives up at its deadline
            return
        with guard:
            if abandoned.is_set():
                unlock()
            else:
                taken.set()

    threading.Thread(target=wait, name="write-queue-wait", daemon=True).start()
    if notice_at < deadline and not taken.wait(max(0.0, notice_at - time.monotonic())) and on_wait is not None:
        on_wait()
    if taken.wait(max(0.0, deadline - time.monotonic())):
        return True
    with guard:
        if taken.is_set():
            return True
        abandoned.set()
    return False


def _try(lock) -> bool:
    """Take a lock at once if it is free."""
    try:
        lock()
        return True
    except OSError as error:
        if error.errno not in (errno.EAGAIN, errno.EACCES):
            raise
        return False


class WriteQueue:
    def __init__(self, path: str, database: str | None = None):
        self.path = path
        self.fd = open_shared(path, database or path.removesuffix(".write-lock"))
        self._slot: int | None = None

    def _take_ticket(self, deadline: float) -> int:
        fd = self.fd
        if not _try(lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)) and not _lock_before(
                deadline, lambda: fcntl.flock(fd, fcntl.LOCK_EX), lambda: fcntl.flock(fd, fcntl.LOCK_UN)):
            raise QueueTimeout()  # a writer stopped in these few lines (they take microseconds)
        try:
            ticket = int.from_bytes(os.pread(fd, 8, 0).ljust(8, b"\0"), "little")
            os.pwrite(fd, ((ticket + 1) % 2**63).to_bytes(8, "little"), 0)
            slot = SLOTS_AT + ticket % SLOTS
            # Free: its last holder was SLOTS tickets ago, unless that writer is stuck since then.
            if not _try(lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)):
                raise QueueTimeout()
            self._slot = slot
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return ticket

    def enter(self, deadline: float = float("inf"), on_wait=None, notice_at: float = float("inf")) -> None:
        """Wait for this process's turn to write, until ``deadline`` (time.monotonic()); raises QueueTimeout
        then, having left the queue. ``on_wait()`` is called once if the wait goes past ``notice_at``."""
        ticket = self._take_ticket(deadline)
        fd, before = self.fd, SLOTS_AT + (ticket - 1) % SLOTS
        try:
            done = _try(lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, before)) or _lock_before(
                deadline, lambda: fcntl.lockf(fd, fcntl.LOCK_EX, 1, before),
                lambda: fcntl.lockf(fd, fcntl.LOCK_UN, 1, before), on_wait, notice_at)
        except BaseException:
            self.leave()
            raise
        if not done:
            self.leave()  # the writers behind us wait for our slot: free it, we are not writing
            raise QueueTimeout()
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, before)  # only a probe: the writer before us is done

    def leave(self) -> None:
        """This process is done writing: the next in line goes."""
        if self._slot is not None:
            fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, self._slot)
            self._slot = None

    def tickets_taken(self) -> int:
        return int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
