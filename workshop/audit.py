"""Writes the event row every change leaves behind, inside the change's own transaction."""
from __future__ import annotations

import datetime as dt
import decimal
import json

from dataclasses import dataclass

from peewee import JOIN, IntegrityError

from models.events import Event
from models.people import Staff
from workshop import clock
from workshop.i18n import _
from workshop.phrase import Phrase, render, said


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "id"):
        return value.id
    return value


def dump(values: dict | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def record(actor, kind: str, entity: str, entity_id: int, summary: Phrase | str, *,
           order_id: int | None = None, before: dict | None = None, after: dict | None = None,
           op_id: str | None = None) -> int:
    """Record one change; returns the event's id. Call it inside the transaction that makes the change.
    ``actor`` is who made it (a Staff row, an Actor, or None for the system). ``summary`` is a Phrase
    (workshop/phrase.py): stored as its English text and as the phrase, which each reader sees in their
    own language; a plain string is stored and shown as written."""
    english, message = said(summary)
    return Event.insert_row(
        at=clock.now(), actor=getattr(actor, "id", actor), kind=kind, entity=entity, entity_id=entity_id,
        order=order_id, summary=english, message=message, before=dump(before), after=dump(after), op_id=op_id)


def already_done(op_id: str | None) -> bool:
    """True when an action with this client-made id was applied before (a retried action)."""
    return op_id is not None and Event.select().where(Event.op_id == op_id).exists()


@dataclass(frozen=True)
class EventRow:
    id: int
    at: dt.datetime
    actor: str
    kind: str
    entity: str
    entity_id: int
    order_number: int | None
    summary: str  # in the reader's language (workshop/phrase.py)
    before: str | None
    after: str | None


def search(*, order_number: int | None = None, actor_id: int | None = None, kind: str | None = None,
           since: dt.datetime | None = None, until: dt.datetime | None = None,
           before: tuple[dt.datetime, int] | None = None, limit: int = 100,
           viewer: Staff | None = None) -> list[EventRow]:
    """The audit trail, newest first (by time, then id), one page at a time: ``before`` is
    ``next_page()`` of the previous page (keyset paging: the thousandth page costs what the first
    does). Each filter has an index ending in the time, so a page reads its rows and stops; sorted
    by id instead, a date range had to fetch and sort every event in it (85-162 ms for 30 days)."""
    from models.orders import RepairOrder
    from workshop.permissions import require
    if viewer is not None:
        require(viewer, "view_audit")
    query = (Event.select(Event.id, Event.at, Staff.name, Event.kind, Event.entity, Event.entity_id,
                          RepairOrder.number, Event.summary, Event.message, Event.before, Event.after)
             .join(Staff, JOIN.LEFT_OUTER, on=(Event.actor == Staff.id)).switch(Event)
             .join(RepairOrder, JOIN.LEFT_OUTER, on=(Event.order == RepairOrder.id)))
    if order_number is not None:
        order = RepairOrder.select(RepairOrder.id).where(RepairOrder.number == order_number).scalar()
        query = query.where(Event.order == (order or -1))
    if actor_id is not None:
        query = query.where(Event.actor == actor_id)
    if kind:
        query = query.where(Event.kind == kind)
    if since is not None:
        query = query.where(Event.at >= since)
    if until is not None:
        query = query.where(Event.at < until)
    if before is not None:
        at, event_id = before
        # (at, id) < (at, event_id), written so that "at <= ?" bounds the index range.
        query = query.where((Event.at <= at) & ((Event.at < at) | (Event.id < event_id)))
    rows = query.order_by(Event.at.desc(), Event.id.desc()).limit(limit).tuples()
    system = _("system")
    return [EventRow(i, _as_datetime(at), name or system, k, e, eid, number, render(message, summary), b, a)
            for i, at, name, k, e, eid, number, summary, message, b, a in rows]


def next_page(rows: list[EventRow]) -> tuple[dt.datetime, int] | None:
    """Where the page after these rows starts (``before=`` of search); None for an empty page."""
    return (rows[-1].at, rows[-1].id) if rows else None


def _as_datetime(value) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str  # the staff member's name, "system" for changes nobody signed in made
    summary: str  # in the reader's language (workshop/phrase.py)


def order_history(order_id: int, *, limit: int = 200) -> list[HistoryRow]:
    """An order's changes, newest first, at most ``limit`` of them, with who made each (one query)."""
    rows = (Event.select(Event.at, Staff.name, Event.summary, Event.message)
            .join(Staff, JOIN.LEFT_OUTER, on=(Event.actor == Staff.id))
            .where(Event.order == order_id).order_by(Event.id.desc()).limit(limit).tuples())
    system = _("system")
    return [HistoryRow(_as_datetime(at), name or system, render(message, summary))
            for at, name, summary, message in rows]


def kinds() -> list[str]:
    """The kinds of change on record (for the filter): one index seek per kind, from each kind to the
    next (a recursive query), never a pass over every event (PostgreSQL's DISTINCT would make one)."""
    from models.db import db
    rows = db.execute_sql(
        'WITH RECURSIVE k(kind) AS (SELECT MIN("kind") FROM "event" UNION ALL '
        'SELECT (SELECT MIN("kind") FROM "event" WHERE "kind" > k.kind) FROM k WHERE k.kind IS NOT NULL) '
        "SELECT kind FROM k WHERE kind IS NOT NULL").fetchall()
    return [kind for (kind,) in rows]


__all__ = ["record", "already_done", "dump", "IntegrityError", "search", "next_page", "kinds", "order_history", "HistoryRow"]
