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
that is stopped (Ctrl+Z, SIGSTOP, a debugger) or hung keeps its locks, so every wait has a deadline:
the kernel wait runs in a helper thread and the writer gives up when the deadline passes, freeing its own
slot so that the writers behind it are not held up by it too. The queue only orders writers; SQLite's own
lock (BEGIN IMMEDIATE with a busy timeout) still guarantees that one writes at a time.

Lock files are shared by every Unix login of the shop (the SSH front desk): they are created with the
database file's group and permissions, whatever the umask of the login that happens to create them.
"""
from __future__ import annotations

import errno
import fcntl
import os
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


def _flock_before(fd: int, deadline: float) -> None:
    """``flock`` with a deadline: it is held for microseconds, so a short poll is enough, and a writer
    stopped while holding it cannot hold everyone else forever."""
    pause = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise QueueTimeout() from None
            time.sleep(pause)
            pause = min(pause * 2, 0.01)


class WriteQueue:
    def __init__(self, path: str, database: str | None = None):
        self.path = path
        self.fd = open_shared(path, database or path.removesuffix(".write-lock"))
        self._slot: int | None = None

    def _take_ticket(self, deadline: float) -> int:
        _flock_before(self.fd, deadline)
        try:
            ticket = int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
            os.pwrite(self.fd, ((ticket + 1) % 2**63).to_bytes(8, "little"), 0)
            slot = SLOTS_AT + ticket % SLOTS
            try:  # free: its last holder was SLOTS tickets ago, unless that writer is stuck since then
                fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                raise QueueTimeout() from None
            self._slot = slot
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return ticket

    def enter(self, deadline: float = float("inf"), on_wait=None, notice_at: float = float("inf")) -> None:
        """Wait for this process's turn to write, until ``deadline`` (time.monotonic()); raises QueueTimeout
        then, having left the queue. ``on_wait()`` is called once if the wait goes past ``notice_at``."""
        ticket = self._take_ticket(deadline)
        before = SLOTS_AT + (ticket - 1) % SLOTS
        try:
            fcntl.lockf(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, before)  # the writer before us is done
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                self.leave()
                raise
        else:
            fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, before)
            return
        if not self._wait_for(before, deadline, on_wait, notice_at):
            self.leave()  # the writers behind us wait for our slot: free it, we are not writing
            raise QueueTimeout()

    def _wait_for(self, slot: int, deadline: float, on_wait, notice_at: float) -> bool:
        """Sleep in the kernel until ``slot`` is free, in a helper thread, so that the wait can end at the
        deadline. A helper left behind by a stuck writer ahead finishes (and frees the slot at once) when
        that writer goes on or dies."""
        free = threading.Event()

        def wait() -> None:
            try:
                fcntl.lockf(self.fd, fcntl.LOCK_EX, 1, slot)
                fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, slot)
            except OSError:  # EDEADLK or the file closed: the writer gives up at its deadline
                return
            free.set()

        threading.Thread(target=wait, name="write-queue-wait", daemon=True).start()
        if notice_at < deadline and not free.wait(max(0.0, notice_at - time.monotonic())):
            if on_wait is not None:
                on_wait()
        return free.wait(None if deadline == float("inf") else max(0.0, deadline - time.monotonic()))

    def leave(self) -> None:
        """This process is done writing: the next in line goes."""
        if self._slot is not None:
            fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, self._slot)
            self._slot = None

    def tickets_taken(self) -> int:
        return int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
