"""Schema versions: numbered migration scripts in models/migrations/, applied in order.

Opening an older database file upgrades it in place before the UI starts. Processes that start
together take a file lock first, so exactly one migrates and the others find the work done.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseError

from models.db import db, is_sqlite
from models.write_queue import open_shared

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migration"
FIRST_MIGRATION = "0001_initial"
OUR_TABLES = frozenset({HISTORY_TABLE, "staff", "repair_order", "event"})  # present in every version
SQLITE_HEADER = b"SQLite format 3\x00"


def kind_of_tables(tables: set[str]) -> str:
    """'new' (no tables: ours to fill), 'ours', or 'foreign' (another application's tables)."""
    if not tables:
        return "new"
    return "ours" if OUR_TABLES <= tables else "foreign"


def file_kind(path: str | Path) -> str:
    """What a database file holds, found without changing it (opening it with this app's settings would
    already switch it to WAL): 'new' (missing, empty, or an SQLite file without tables), 'ours', 'foreign'
    (another application's SQLite database, e.g. a browser's places.sqlite) or 'not_sqlite' (a text or other
    file). Raises OSError / sqlite3.Error when it cannot be read."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return "new"
    with open(path, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return "not_sqlite"
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        kind = kind_of_tables(tables)
        if kind == "ours" and not connection.execute(f"SELECT 1 FROM {HISTORY_TABLE} WHERE name = ?",
                                                     (FIRST_MIGRATION,)).fetchone():
            kind = "foreign"
        return kind
    finally:
        connection.close()


def open_kind() -> str:
    """The same, for the database open now (PostgreSQL: the tables of the connection's schema)."""
    if is_sqlite():
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = db.execute_sql("SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = current_schema()")
    return kind_of_tables({name for (name,) in rows})


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
        fd = open_shared(db.obj.database + ".migrate-lock", db.obj.database)  # every login's: group-writable
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
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
