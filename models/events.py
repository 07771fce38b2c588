"""The event table: every change, who made it, when, to which record, before and after."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel
from models.orders import RepairOrder
from models.people import Staff


class Event(BaseModel):
    at = DateTimeField()
    actor = ForeignKeyField(Staff, null=True, backref="events")
    kind = CharField(max_length=40)
    entity = CharField(max_length=30)
    entity_id = IntegerField()
    order = ForeignKeyField(RepairOrder, null=True, backref="events")
    summary = TextField()  # in English (older rows: as the writer read it); shown when there is no message
    # What it says as a phrase, for each reader's language: JSON {"m": msgid, "a": values} (workshop/phrase.py)
    message = TextField(null=True)
    before = TextField(null=True)  # JSON
    after = TextField(null=True)   # JSON
    op_id = CharField(max_length=40, null=True)  # makes a retried action idempotent (unique: see below)

    class Meta:
        # SQLite ends every index with the rowid: the order's own index already lists its events in id
        # order, and each index more is one more b-tree every change writes.
        indexes = (
            (("actor", "at"), False),
            (("kind", "at"), False),
            (("kind",), False),   # with the rowid: one kind, newest first, without sorting
            (("actor",), False),
            (("at",), False),
            (("entity", "entity_id"), False),
        )


# Unique among the events that have one: almost none do, and a partial index is not written for the rest.
Event.add_index(Event.index(Event.op_id, unique=True, name="event_op_id_given").where(Event.op_id.is_null(False)))
