"""Schema versions: numbered migration scripts in models/migrations/, applied in order.

Opening an older database file upgrades it in place before the UI starts. Processes that start
together take a file lock first, so exactly one migrates and the others find the work done.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseError

from models.db import db, is_sqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migration"


def runner():
    from playhouse.migrations import Runner
    return Runner(db.obj, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def _up_to_date() -> bool:
    """Every migration file is recorded as applied: one query, and the migration machinery stays
    unimported (it is on every terminal's start-up path)."""
    names = {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")}
    try:
        applied = {row[0] for row in db.execute_sql(f"SELECT name FROM {HISTORY_TABLE}")}
    except DatabaseError:  # no history table yet: a new file
        return False
    return names <= applied


@contextmanager
def _migration_lock():
    if is_sqlite() and db.obj.database != ":memory:":
        lock_path = Path(db.obj.database + ".migrate-lock")
        with open(lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    elif not is_sqlite():
        db.execute_sql("SELECT pg_advisory_lock(4242)")
        try:
            yield
        finally:
            db.execute_sql("SELECT pg_advisory_unlock(4242)")
    else:
        yield


def migrate() -> list[str]:
    """Apply every pending migration; returns the names applied."""
    if _up_to_date():
        return []
    with _migration_lock():
        return runner().up()


def pending() -> list[str]:
    return [m.name for m in runner().status() if not m.applied]


def current_version() -> int:
    applied = [m.idx for m in runner().status() if m.applied]
    return max(applied, default=0)
