"""The change feed: how a terminal learns what other terminals changed, cheaply.

``PRAGMA data_version`` (a few microseconds) says whether another connection committed; only
then are the new event rows read (``id > last seen``), which name the orders to refresh.
``ChangeWatcher`` asks it from a thread of its own, and only when there is reason to: it sleeps on
an inotify watch of the database's write-ahead log (workshop/inotify.py), which every commit writes,
so an idle terminal does not wake at all while nobody commits (it asked twenty times a second
before: most of an idle terminal's 1-2 % of a core). Where inotify is not there, it asks every
``interval`` seconds as before.
"""
from __future__ import annotations

import os
import select
import threading
import time
from dataclasses import dataclass, field

from peewee import fn

from models.db import data_version, is_sqlite, open_watch
from models.events import Event
from workshop.inotify import FileWatch

MAX_BATCH = 500
CHECKPOINT_EVERY_S = 1.0
CHECKPOINT_FROM_BYTES = 1 << 20  # a WAL under 1 MB is left alone
# A commit writes its last WAL frame a moment before it publishes the commit (in the -shm index, which
# inotify cannot see): after the log was written, data_version is asked again a few times over SETTLE_S.
RECHECK_S = 0.005
SETTLE_S = 0.05
SAFETY_POLL_S = 10.0  # with inotify: asked anyway this often (a missed wake-up costs 10 s at most)


@dataclass
class Changes:
    order_ids: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    last_event_id: int = 0
    overflow: bool = False  # more than one batch: reload everything instead of patching

    def __bool__(self) -> bool:
        return bool(self.order_ids or self.kinds or self.overflow)

    def merged(self, later: "Changes") -> "Changes":
        """These changes and ``later`` ones together (for a screen that was away for both)."""
        return Changes(self.order_ids | later.order_ids, self.kinds | later.kinds,
                       max(self.last_event_id, later.last_event_id), self.overflow or later.overflow)


class ChangeFeed:
    def __init__(self) -> None:
        self.last_event_id = Event.select(fn.MAX(Event.id)).scalar() or 0
        self._version = data_version()

    def poll(self) -> Changes | None:
        """New changes from other connections, or None when nothing was committed elsewhere."""
        version = data_version()
        if is_sqlite() and version == self._version:
            return None
        self._version = version
        return self.catch_up()

    def catch_up(self) -> Changes:
        """Read every event since the last one seen (own commits included)."""
        rows = list(Event.select(Event.id, Event.order, Event.kind)
                    .where(Event.id > self.last_event_id).order_by(Event.id).limit(MAX_BATCH + 1).tuples())
        changes = Changes(last_event_id=self.last_event_id)
        if len(rows) > MAX_BATCH:
            changes.overflow = True
            rows = rows[:MAX_BATCH]
        for event_id, order_id, kind in rows:
            if order_id is not None:
                changes.order_ids.add(order_id)
            changes.kinds.add(kind)
            changes.last_event_id = event_id
        if changes.overflow:
            changes.last_event_id = Event.select(fn.MAX(Event.id)).scalar() or changes.last_event_id
        self.last_event_id = changes.last_event_id
        return changes


class ChangeWatcher:
    """Calls ``on_change`` (from its own thread) soon after any connection commits to the database, and
    keeps the WAL short: after commits, at most once a second, a passive checkpoint from this thread,
    so that no writer pays for one while it holds the write lock."""

    def __init__(self, on_change, interval: float = 0.05) -> None:
        self.on_change = on_change
        self.interval = interval  # how often to ask without inotify
        self.wakes = 0  # times the thread woke up (tests read it)
        self.inotify: bool | None = None  # whether it sleeps on inotify (None: not started)
        self._stop = threading.Event()
        self._wake_r = self._wake_w = -1  # stop() writes to this pipe to wake the thread
        self._pipe_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start watching; False when the database cannot tell (PostgreSQL): poll the feed instead."""
        watch = open_watch()
        if watch is None:
            return False
        seen = watch.version()  # before the thread runs, so a commit made right after start() is not missed
        files = FileWatch.open(watch.wal_path)
        self.inotify = files is not None
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._watch, args=(watch, files, seen), name="change-watcher",
                                        daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        with self._pipe_lock:
            if self._wake_w >= 0:
                os.write(self._wake_w, b"x")

    def _watch(self, watch, files: FileWatch | None, seen: int) -> None:
        try:
            checkpoint_at: float | None = None  # when to consider a checkpoint (a second after a commit)
            settle_until = 0.0  # recheck data_version until then (the log was written just before)
            while not self._stop.is_set():
                now = time.monotonic()
                if files is not None and not files.watching and not files.rewatch():
                    wait = self.interval  # no WAL file to watch (yet): ask as often as without inotify
                elif files is None:
                    wait = self.interval
                else:
                    wait = RECHECK_S if now < settle_until else SAFETY_POLL_S
                if checkpoint_at is not None:
                    wait = max(0.0, min(wait, checkpoint_at - now))
                waiting_on = [self._wake_r] + ([files] if files is not None and files.watching else [])
                ready, _, _ = select.select(waiting_on, [], [], wait)
                if self._stop.is_set():
                    break
                self.wakes += 1
                if files is not None and files in ready and files.drain():
                    settle_until = time.monotonic() + SETTLE_S
                version = watch.version()
                if version != seen:
                    seen = version
                    self.on_change()
                    if checkpoint_at is None:
                        checkpoint_at = time.monotonic() + CHECKPOINT_EVERY_S
                if checkpoint_at is not None and time.monotonic() >= checkpoint_at:
                    if watch.wal_bytes() >= CHECKPOINT_FROM_BYTES:
                        watch.checkpoint()
                    checkpoint_at = None
        except Exception:  # noqa: BLE001 - the database went away (closed, deleted): stop watching
            pass
        finally:
            watch.close()
            if files is not None:
                files.close()
            with self._pipe_lock:
                os.close(self._wake_r)
                os.close(self._wake_w)
                self._wake_r = self._wake_w = -1
