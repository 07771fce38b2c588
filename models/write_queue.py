"""Writer processes of one SQLite file take turns first come, first served, before BEGIN IMMEDIATE.

SQLite's busy handler polls with sleeps of up to 100 ms, and a plain ``flock`` lets the writer that
has just committed take the lock again before the sleeping ones wake up: under load both give long
tails (16 writers flat out: p99 70 ms with flock for a p50 of 31 ms). This is a ticket queue made of
POSIX byte-range locks on a file beside the database:

1. Under a short ``flock``, a writer takes the next ticket ``t`` (a counter in the file's first 8
   bytes) and locks its slot, byte ``SLOTS_AT + t % SLOTS``.
2. It waits for the slot of ticket ``t - 1``: the kernel wakes it as soon as that writer is done.
3. When it is done, it unlocks its own slot, which wakes the writer holding ticket ``t + 1``.

The kernel drops the locks of a process that dies, so a crashed writer never blocks the queue. The
queue only orders writers; SQLite's own lock (BEGIN IMMEDIATE with a busy timeout) still guarantees
that one writes at a time.
"""
from __future__ import annotations

import fcntl
import os

SLOTS_AT = 4096
SLOTS = 4096  # far more than writers that can wait at once


class WriteQueue:
    def __init__(self, path: str):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        self._slot: int | None = None

    def _take_ticket(self) -> int:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            ticket = int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
            os.pwrite(self.fd, ((ticket + 1) % 2**63).to_bytes(8, "little"), 0)
            self._slot = SLOTS_AT + ticket % SLOTS
            fcntl.lockf(self.fd, fcntl.LOCK_EX, 1, self._slot)  # free: its last holder was SLOTS tickets ago
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return ticket

    def enter(self) -> None:
        """Wait for this process's turn to write."""
        ticket = self._take_ticket()
        before = SLOTS_AT + (ticket - 1) % SLOTS
        fcntl.lockf(self.fd, fcntl.LOCK_EX, 1, before)  # sleeps until the writer before us is done
        fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, before)

    def leave(self) -> None:
        """This process is done writing: the next in line goes."""
        if self._slot is not None:
            fcntl.lockf(self.fd, fcntl.LOCK_UN, 1, self._slot)
            self._slot = None

    def tickets_taken(self) -> int:
        return int.from_bytes(os.pread(self.fd, 8, 0).ljust(8, b"\0"), "little")
