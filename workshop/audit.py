"""Writes the event row every change leaves behind, inside the change's own transaction."""
from __future__ import annotations

import datetime as dt
import decimal
import json

from peewee import IntegrityError

from models.events import Event
from models.people import Staff
from workshop import clock


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


def record(actor: Staff | None, kind: str, entity: str, entity_id: int, summary: str, *,
           order_id: int | None = None, before: dict | None = None, after: dict | None = None,
           op_id: str | None = None) -> Event:
    """Record one change. Call it inside the transaction that makes the change."""
    return Event.create(
        at=clock.now(), actor=actor, kind=kind, entity=entity, entity_id=entity_id,
        order=order_id, summary=summary, before=dump(before), after=dump(after), op_id=op_id)


def already_done(op_id: str | None) -> bool:
    """True when an action with this client-made id was applied before (a retried action)."""
    return op_id is not None and Event.select().where(Event.op_id == op_id).exists()


__all__ = ["record", "already_done", "dump", "IntegrityError"]
