"""Linux inotify through ctypes: a file descriptor that becomes readable when a file is written.

The change watcher (workshop/feed.py) sleeps on it instead of asking SQLite twenty times a second
whether anyone committed: an idle terminal then wakes only when the database's write-ahead log is
written. Linux only; ``FileWatch.open`` returns None elsewhere (or when the kernel refuses), and the
watcher polls instead.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_IGNORED = 0x00008000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = getattr(os, "O_CLOEXEC", 0o2000000)
GONE = IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED  # the watched file is no longer the one at the path
EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name that follows

_libc = None


def _load_libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return _libc


class FileWatch:
    """Readable when the file at ``path`` is written (or replaced): ``select`` on ``fileno()``, then
    ``drain()``."""

    def __init__(self, fd: int, path: str) -> None:
        self.fd = fd
        self.path = path
        self.wd = -1

    @classmethod
    def open(cls, path: str) -> FileWatch | None:
        """A watch on ``path`` (which may not exist yet: ``watching`` says so), or None without inotify."""
        if not sys.platform.startswith("linux"):
            return None
        try:
            libc = _load_libc()
            fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        except (OSError, AttributeError):
            return None
        if fd < 0:
            return None
        watch = cls(fd, path)
        watch.rewatch()
        return watch

    @property
    def watching(self) -> bool:
        return self.wd >= 0

    def rewatch(self) -> bool:
        """(Re)attach to the file now at the path; False if there is none."""
        if self.wd < 0:
            self.wd = _load_libc().inotify_add_watch(self.fd, os.fsencode(self.path),
                                                     IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        return self.wd >= 0

    def fileno(self) -> int:
        return self.fd

    def drain(self) -> bool:
        """Read the pending events; True if any arrived. A file deleted or renamed away is let go of
        (``watching`` turns False) and picked up again by ``rewatch``."""
        got = False
        while True:
            try:
                data = os.read(self.fd, 4096)
            except BlockingIOError:
                return got
            if not data:
                return got
            got = True
            offset = 0
            while offset + EVENT.size <= len(data):
                wd, mask, _, length = EVENT.unpack_from(data, offset)
                offset += EVENT.size + length
                if mask & GONE and wd == self.wd:
                    if mask & IN_MOVE_SELF:  # still watching the renamed file: let it go
                        _load_libc().inotify_rm_watch(self.fd, wd)
                    self.wd = -1

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass
