"""The change feed: how a terminal learns what other terminals changed, cheaply.

``PRAGMA data_version`` (a few microseconds) says whether another connection committed; only
then are the new event rows read (``id > last seen``), which name the orders to refresh.
``ChangeWatcher`` asks it twenty times a second from a thread of its own, so the terminal hears of a
change within 50 ms without waking its event loop when nothing happened.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from peewee import fn

from models.db import data_version, is_sqlite, open_watch
from models.events import Event

MAX_BATCH = 500
CHECKPOINT_EVERY_S = 1.0
CHECKPOINT_FROM_BYTES = 1 << 20  # a WAL under 1 MB is left alone


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
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> bool:
        """Start watching; False when the database cannot tell (PostgreSQL): poll the feed instead."""
        watch = open_watch()
        if watch is None:
            return False
        seen = watch.version()  # before the thread runs, so a commit made right after start() is not missed
        self._thread = threading.Thread(target=self._watch, args=(watch, seen), name="change-watcher",
                                        daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()

    def _watch(self, watch, seen: int) -> None:
        try:
            last_checkpoint = time.monotonic()
            committed = False
            while not self._stop.is_set():
                time.sleep(self.interval)  # half the CPU of Event.wait(timeout) per wake-up, measured
                version = watch.version()
                if version != seen:
                    seen = version
                    committed = True
                    self.on_change()
                if committed and time.monotonic() - last_checkpoint >= CHECKPOINT_EVERY_S:
                    if watch.wal_bytes() >= CHECKPOINT_FROM_BYTES:
                        watch.checkpoint()
                    last_checkpoint, committed = time.monotonic(), False
        except Exception:  # noqa: BLE001 - the database went away (closed, deleted): stop watching
            pass
        finally:
            watch.close()
