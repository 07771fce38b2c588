"""Schema versions: numbered migration scripts in models/migrations/, applied in order.

Opening an older database file upgrades it in place before the UI starts. Processes that start
together take a file lock first, so exactly one migrates and the others find the work done.
"""
from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from playhouse.migrations import Runner

from models.db import db, is_sqlite

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migration"


def runner() -> Runner:
    return Runner(db.obj, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


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
    with _migration_lock():
        return runner().up()


def pending() -> list[str]:
    return [m.name for m in runner().status() if not m.applied]


def current_version() -> int:
    applied = [m.idx for m in runner().status() if m.applied]
    return max(applied, default=0)
