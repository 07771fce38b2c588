"""The change feed on PostgreSQL: read in commit order, woken by LISTEN/NOTIFY.

SQLite's feed (workshop/feed.py) reads event rows by id: there one writer commits at a time, so ids
become visible in order. PostgreSQL takes an id when a row is inserted and many transactions commit
side by side, so a later id can be visible before an earlier one: a reader that went by "id > last
seen" would pass the earlier one for good. Each event row therefore gets a *feed position* when its
transaction commits (migration 0013: a deferred trigger numbers it under a lock held until the commit
is visible), and ``CommitOrderFeed`` reads by position: every position it has passed is committed,
and no transaction can commit a smaller one later.

The same trigger sends a NOTIFY, delivered with the commit. ``NotifyWatcher`` listens on a connection
of its own, in a thread of its own (the terminal's event loop sleeps until it is told), and calls
``on_change`` for each wake-up: a notification is a wake-up only; what changed is always read from
the feed, so a notification lost with a dropped connection costs nothing (the watcher reconnects and
wakes the terminal to read).
"""
from __future__ import annotations

import threading

from models.db import db
from workshop.feed import MAX_BATCH, ChangeFeed, Changes

CHANNEL_PREFIX = "workshop_events_"  # + the schema (migration 0013): one channel per shop database


class CommitOrderFeed(ChangeFeed):
    """``ChangeFeed`` for PostgreSQL: the events committed since the last read, by feed position."""

    def __init__(self) -> None:
        position, last_id = db.execute_sql(
            "SELECT (SELECT COALESCE(MAX(position), 0) FROM event_feed), "
            "(SELECT COALESCE(MAX(id), 0) FROM event)").fetchone()
        self.position = position
        self.last_event_id = last_id

    def poll(self) -> Changes | None:
        """New changes, or None. There is no cheap "did anyone commit?" here: the watcher says when."""
        changes = self.catch_up()
        return changes or None

    def catch_up(self) -> Changes:
        """Read every event committed since the last read (own commits included), in commit order."""
        rows = db.execute_sql(
            "SELECT f.position, e.id, e.order_id, e.kind FROM event_feed f JOIN event e ON e.id = f.event_id "
            "WHERE f.position > %s ORDER BY f.position LIMIT %s", (self.position, MAX_BATCH + 1)).fetchall()
        changes = Changes(last_event_id=self.last_event_id)
        if len(rows) > MAX_BATCH or (rows and rows[0][0] > self.position + 1 and self._pruned_past()):
            changes.overflow = True
            rows = rows[:MAX_BATCH]
        for position, event_id, order_id, kind in rows:
            if order_id is not None:
                changes.order_ids.add(order_id)
            changes.kinds.add(kind)
            changes.last_event_id = max(changes.last_event_id, event_id)
            self.position = position
        if changes.overflow:  # the screens reload everything: go on from the newest position
            self.position = db.execute_sql("SELECT COALESCE(MAX(position), 0) FROM event_feed").fetchone()[0]
        self.last_event_id = changes.last_event_id
        return changes


    def _pruned_past(self) -> bool:
        """The feed keeps its last 100,000 positions (migration 0013): a reader further behind than that
        (a terminal asleep for days) cannot patch its screens and reloads them instead."""
        oldest = db.execute_sql("SELECT MIN(position) FROM event_feed").fetchone()[0]
        return oldest is not None and oldest > self.position + 1


class NotifyWatcher:
    """Calls ``on_change`` (from its own thread) when any connection commits an event to this database.
    Same face as ``workshop.feed.ChangeWatcher``."""

    RECONNECT_AFTER_S = (0.5, 1, 2, 5)  # waits between attempts after the connection was lost

    def __init__(self, on_change, wait_s: float = 10.0) -> None:
        self.on_change = on_change
        self.wait_s = wait_s  # longest sleep between two looks at the stop flag (an idle terminal's only wake-up)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.channel: str | None = None
        self.connections = 0  # how many times it (re)connected, and the server process of the last one
        self.backend_pid: int | None = None
        self.wakes = 0  # how many times it called on_change

    def _connect(self):
        """A connection of its own that is LISTENing (before this returns: a commit made right after
        ``start()`` wakes the terminal)."""
        import psycopg
        from psycopg import sql
        database = db.obj
        connection = psycopg.connect(database.database, autocommit=True, **database.connect_params)
        schema = connection.execute("SELECT current_schema()").fetchone()[0]
        self.channel = CHANNEL_PREFIX + schema
        connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        self.connections += 1
        self.backend_pid = connection.info.backend_pid
        return connection

    def start(self) -> bool:
        try:
            connection = self._connect()
        except Exception:  # noqa: BLE001 - the server is away right now: the thread keeps trying
            connection = None
        self._thread = threading.Thread(target=self._listen, args=(connection,), name="notify-watcher",
                                        daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()

    def _listen(self, connection) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                if connection is None:
                    connection = self._connect()
                    failures = 0
                    self.on_change()  # notifications may have been missed meanwhile: read the feed
                for _ in connection.notifies(timeout=self.wait_s, stop_after=1):
                    if self._stop.is_set():
                        break
                    self.wakes += 1
                    self.on_change()
            except Exception:  # noqa: BLE001 - the server went away or restarted: reconnect, with pauses
                if connection is not None:
                    try:
                        connection.close()
                    except Exception:  # noqa: BLE001
                        pass
                    connection = None
                self._stop.wait(self.RECONNECT_AFTER_S[min(failures, len(self.RECONNECT_AFTER_S) - 1)])
                failures += 1
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                pass
