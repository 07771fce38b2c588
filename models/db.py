"""The database connection: one proxy every model binds to, opened for many processes at once.

SQLite is opened in WAL mode with a busy timeout and ``BEGIN IMMEDIATE`` write transactions, so
a transaction takes the write lock when it starts and waits its turn instead of failing half-way
with "database is locked" (see FIELD-NOTES.md). The same models run on PostgreSQL by opening a
``postgresql://`` URL instead of a file path. There writers run side by side: what a change decides
from is read with ``lock=True`` / ``locked()`` (FOR UPDATE), and ``run_write`` runs a transaction
again when it lost a race the server could not serialise.
"""
from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from peewee import DatabaseProxy, OperationalError, PostgresqlDatabase, SqliteDatabase

from models.write_queue import WriteQueue

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "journal_size_limit": 64 * 2**20,
    "cache_size": -16000,  # 16 MB page cache per connection
    "temp_store": "memory",
}
BUSY_TIMEOUT_S = 10


def open_database(target: str | Path):
    """Open a database file (or ``postgresql://`` URL) and bind the models to it."""
    target = str(target)
    if is_postgres_url(target):
        database = open_postgres(target)
    elif "://" in target:  # another engine Peewee knows (untested here)
        from playhouse.db_url import connect
        database = connect(target)
    else:
        Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
        database = SqliteDatabase(
            str(Path(target).expanduser()),
            pragmas=SQLITE_PRAGMAS,
            timeout=BUSY_TIMEOUT_S,
            lock_type="IMMEDIATE",
            check_same_thread=False,
        )
    db.initialize(database)
    return database


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def open_postgres(url: str):
    """A PostgreSQL database through psycopg 3 (``pip install -e '.[postgres]'``). The whole URL goes to
    libpq as it is, so everything it accepts (``?sslmode=``, ``?options=-csearch_path%3D...``) works."""
    try:
        import psycopg  # noqa: F401 - Peewee would otherwise blame a missing psycopg2 on the first query
    except ImportError:
        from peewee import ImproperlyConfigured
        raise ImproperlyConfigured("PostgreSQL needs its driver: pip install -e '.[postgres]' (psycopg 3)") from None
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return PostgresqlDatabase(url, prefer_psycopg3=True)


@contextmanager
def own_connection():
    """For a worker thread: a connection of its own (Peewee keeps one per thread), closed at the end
    rather than left to the thread's garbage."""
    with db.connection_context():
        yield


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def is_postgres() -> bool:
    return isinstance(db.obj, PostgresqlDatabase)


def locked(query):
    """A SELECT that locks the rows it reads until the transaction ends (FOR UPDATE) where the engine
    has row locks (PostgreSQL); on SQLite a write transaction holds the whole database already."""
    return query.for_update() if db.obj.for_update else query


def mask_url(target) -> str:
    """A database path or URL fit to print or log: a password, in the URL's user part or in its
    query (``?password=``), becomes ``***``."""
    text = str(target)
    if "://" not in text:
        return text
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
    try:
        scheme, netloc, path, query, fragment = parts = urlsplit(text)
        if parts.password is not None:
            host = parts.hostname or ""
            host = f"[{host}]" if ":" in host else host
            netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(key == "password" for key, _ in pairs):
            query = urlencode([(key, "***" if key == "password" else value) for key, value in pairs], safe="*")
        return urlunsplit((scheme, netloc, path, query, fragment))
    except ValueError:  # not a URL we can read: show none of it rather than a secret
        return text.split("://", 1)[0] + "://***"


_gate_lock = threading.RLock()
_gate_state = threading.local()
_queues: dict[tuple[int, str], WriteQueue] = {}


def _write_queue() -> WriteQueue | None:
    """The queue file beside the database file, opened once per process."""
    if not is_sqlite() or db.obj.database in ("", ":memory:"):
        return None
    key = (os.getpid(), db.obj.database)
    if key not in _queues:
        _queues[key] = WriteQueue(db.obj.database + ".write-lock")
    return _queues[key]


@contextmanager
def _write_gate():
    """Writers take turns, first come first served, before BEGIN IMMEDIATE (see models/write_queue.py):
    a waiting writer sleeps in the kernel and is woken the moment its turn comes, instead of SQLite's
    busy handler polling with sleeps of up to 100 ms."""
    if getattr(_gate_state, "depth", 0):
        _gate_state.depth += 1
        try:
            yield
        finally:
            _gate_state.depth -= 1
        return
    queue = _write_queue()
    with _gate_lock:
        if queue is not None:
            queue.enter()
        _gate_state.depth = 1
        try:
            yield
        finally:
            _gate_state.depth = 0
            if queue is not None:
                queue.leave()


@contextmanager
def transaction():
    """One write transaction: on SQLite it holds the write lock from its first statement (BEGIN
    IMMEDIATE); on PostgreSQL it locks the rows it reads with ``lock=True`` (see the module's doc)."""
    with _write_gate(), db.atomic() as txn:
        yield txn


# PostgreSQL: a transaction that lost a race the database could not serialise (SQLSTATE 40001) or was
# chosen to break a deadlock (40P01) changed nothing and may simply run again.
RETRY_SQLSTATES = frozenset({"40001", "40P01"})


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver error, whether Peewee wrapped it (the original is its first argument)
    or let it through (psycopg's TransactionRollback family is not in Peewee's table)."""
    for candidate in (exc, *(exc.args[:1] if exc.args else ()), exc.__cause__, exc.__context__):
        code = getattr(candidate, "sqlstate", None)
        if code:
            return code
    return None


def _retryable(exc: BaseException) -> bool:
    if is_sqlite():
        return isinstance(exc, OperationalError) and ("locked" in str(exc) or "busy" in str(exc))
    return sqlstate(exc) in RETRY_SQLSTATES


def run_write(fn, *args, retries: int = 5, **kwargs):
    """Run ``fn`` in a write transaction; when it lost to another writer (SQLite: the lock was held
    past the busy timeout; PostgreSQL: a serialization failure or a deadlock), run it again from the
    start, with backoff, at most ``retries`` more times, then refuse with a clear message. Nothing of a
    lost attempt stays. Domain errors pass straight through. Inside an enclosing transaction nothing is
    retried here: the failed attempt has spoiled that transaction, so the outermost run retries."""
    from workshop.errors import Busy  # (a leaf module: the message the user reads)
    nested = db.in_transaction()
    delay = 0.05
    for attempt in range(retries + 1):
        try:
            with transaction():
                return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - only the retryable ones are caught, below
            if nested or not _retryable(exc):
                raise
            if attempt == retries:
                raise Busy() from exc
            time.sleep(delay + random.random() * delay)
            delay *= 2
    raise AssertionError("unreachable")


def data_version() -> int:
    """A counter SQLite bumps when another connection commits: the cheap 'did anything change?'."""
    if not is_sqlite():
        return 0
    return db.execute_sql("PRAGMA data_version").fetchone()[0]


class DatabaseWatch:
    """A plain sqlite3 connection of its own, for a watcher thread (outside Peewee, so it never shows up
    in the app's query hooks): ``version()`` changes whenever any other connection commits, this
    process's included; ``checkpoint()`` folds the WAL back into the database file."""

    def __init__(self, path: str):
        self.connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                                          isolation_level=None)
        self.wal_path = path + "-wal"

    def version(self) -> int:
        return self.connection.execute("PRAGMA data_version").fetchone()[0]

    def wal_bytes(self) -> int:
        try:
            return os.stat(self.wal_path).st_size
        except FileNotFoundError:
            return 0

    def checkpoint(self) -> None:
        """PASSIVE: copies what it can without waiting for, or blocking, any reader or writer."""
        self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self.connection.close()


def open_watch() -> DatabaseWatch | None:
    """A watch on the open database; None off SQLite (or in memory)."""
    if not is_sqlite() or db.obj.database in ("", ":memory:"):
        return None
    return DatabaseWatch(db.obj.database)


def leave_checkpoints_to_watch() -> None:
    """This connection no longer checkpoints when it commits (SQLite's default, every 1000 pages): the
    committing writer did it while holding the write lock, which made 1 write in 100 wait 10 ms
    longer and every writer queued behind it. A watch's thread checkpoints instead."""
    if is_sqlite():
        db.execute_sql("PRAGMA wal_autocheckpoint = 0")
