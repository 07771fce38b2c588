"""The change feed: how a terminal learns what other terminals changed, cheaply.

``PRAGMA data_version`` (a few microseconds) says whether another connection committed; only
then are the new event rows read (``id > last seen``), which name the orders to refresh.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from peewee import fn

from models.db import data_version, is_sqlite
from models.events import Event

MAX_BATCH = 500


@dataclass
class Changes:
    order_ids: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    last_event_id: int = 0
    overflow: bool = False  # more than one batch: reload everything instead of patching

    def __bool__(self) -> bool:
        return bool(self.order_ids or self.kinds or self.overflow)


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
