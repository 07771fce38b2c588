"""SQL expressions that the two engines spell differently, written once here for both. Each is built
when a query is built, for the database open at that moment."""
from __future__ import annotations

from peewee import SQL, NodeList, fn

from models.db import is_sqlite


def hours_between(later, earlier):
    """``later - earlier`` in hours (two timestamps)."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 24
    return fn.EXTRACT(NodeList((SQL("EPOCH FROM"), later - earlier))) / 3600


def day_of(timestamp):
    """The calendar day of a timestamp."""
    if is_sqlite():
        return fn.date(timestamp)
    return timestamp.cast("date")
