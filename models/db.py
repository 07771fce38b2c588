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

from peewee import DatabaseError, DatabaseProxy, InterfaceError, OperationalError, PostgresqlDatabase, SqliteDatabase

from models.write_queue import QueueTimeout, WriteQueue
from workshop.errors import DatabaseFault, DomainError, WriteBusy

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "journal_size_limit": 64 * 2**20,
    "cache_size": -16000,  # 16 MB page cache per connection
    "temp_store": "memory",
}
BUSY_TIMEOUT_S = 2  # SQLite's wait for its lock; a write waits longer only up to WRITE_DEADLINE_S


def open_database(target: str | Path):
    """Open a database file (or ``postgresql://`` URL) and bind the models to it."""
    target = str(target)
    if is_postgres_url(target):
        database = open_postgres(target)
    elif "://" in target:  # another engine Peewee knows (untested here)
        from playhouse.db_url import connect
        database = connect(target)
    else:  # (a missing folder is an error, not created here: a mistyped --db must not make new folders)
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


# --- writers: one at a time, each with a deadline -------------------------------------------------------------
# A writer that is stopped (Ctrl+Z, SIGSTOP) or hung while it holds the write lock must not freeze every other
# terminal: a write waits at most WRITE_DEADLINE_S for its turn (the queue, then SQLite's lock), tells the
# terminal after WRITE_NOTICE_S that it is waiting for another terminal's change, and then gives up with
# WriteBusy, having changed nothing. Busy timeouts beyond that are bounded the same way.
WRITE_NOTICE_S = 2.0
WRITE_DEADLINE_S = 6.0

_gate_lock = threading.RLock()
_gate_state = threading.local()
_queues: dict[tuple[int, str], WriteQueue] = {}
_wait_listener = None


def set_wait_listener(listener) -> None:
    """``listener(True)`` is called when a write of this process has waited WRITE_NOTICE_S for another
    terminal's change, ``listener(False)`` when that wait is over (written or given up). It is called
    from the thread that writes, which may be a worker."""
    global _wait_listener
    _wait_listener = listener


class _Wait:
    """One write's deadline, and whether the terminal was told it is waiting."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.notice_at = self.started + WRITE_NOTICE_S
        self.deadline = self.started + WRITE_DEADLINE_S
        self.noticed = False
        self.timer: threading.Timer | None = None

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def notice(self) -> None:
        if not self.noticed:
            self.noticed = True
            if _wait_listener is not None:
                _wait_listener(True)

    def over(self) -> None:
        timer, self.timer = self.timer, None
        if timer is not None:
            timer.cancel()
        if self.noticed and _wait_listener is not None:
            _wait_listener(False)

    def busy(self) -> WriteBusy:
        from workshop.i18n import _
        return WriteBusy(_("Another terminal's change has held up this one for {seconds} s: nothing was saved. "
                           "Try again in a moment; if it keeps happening, look for a terminal that is frozen or "
                           "suspended (Ctrl+Z) and close it.").format(seconds=round(WRITE_DEADLINE_S)))


def _write_queue() -> WriteQueue | None:
    """The queue file beside the database file, opened once per process."""
    if not is_sqlite() or db.obj.database in ("", ":memory:"):
        return None
    key = (os.getpid(), db.obj.database)
    if key not in _queues:
        _queues[key] = WriteQueue(db.obj.database + ".write-lock", db.obj.database)
    return _queues[key]


def _acquire_gate(wait: _Wait) -> None:
    """Threads of this process take turns too (one connection each, one queue file)."""
    if _gate_lock.acquire(timeout=max(0.0, wait.notice_at - time.monotonic())):
        return
    wait.notice()
    if not _gate_lock.acquire(timeout=max(0.0, wait.remaining())):
        raise wait.busy()


@contextmanager
def _write_gate(wait: _Wait | None = None):
    """Writers take turns, first come first served, before BEGIN IMMEDIATE (see models/write_queue.py):
    a waiting writer sleeps in the kernel and is woken the moment its turn comes, instead of SQLite's
    busy handler polling with sleeps of up to 100 ms; it gives up at the write's deadline."""
    if getattr(_gate_state, "depth", 0):
        _gate_state.depth += 1
        try:
            yield
        finally:
            _gate_state.depth -= 1
        return
    wait = wait or _Wait()
    queue = _write_queue()
    _acquire_gate(wait)
    try:
        if queue is not None:
            try:
                queue.enter(wait.deadline, wait.notice, wait.notice_at)
            except QueueTimeout:
                raise wait.busy() from None
        _gate_state.depth = 1
        try:
            yield
        finally:
            _gate_state.depth = 0
            if queue is not None:
                queue.leave()
    finally:
        _gate_lock.release()


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out waiting for another transaction's row lock


def _is_lock_wait(error: Exception) -> bool:
    return "locked" in str(error) or "busy" in str(error) or sqlstate(error) == LOCK_NOT_AVAILABLE


def _notice_later(wait: _Wait) -> None:
    """PostgreSQL waits for a row lock inside a statement, where no code of ours runs: a timer tells the
    terminal at WRITE_NOTICE_S that the write still runs (the only long wait of a terminal's write is
    another's lock), and is cancelled when the write ends (``wait.over``)."""
    delay = wait.notice_at - time.monotonic()
    if delay <= 0:
        wait.notice()
        return

    def still_waiting():
        if wait.timer is timer:  # not a write that ended as the timer fired
            wait.notice()

    timer = threading.Timer(delay, still_waiting)
    timer.daemon = True
    wait.timer = timer
    timer.start()


def _set_busy_timeout(seconds: float) -> None:
    """SQLite's own wait for its lock, on this thread's connection (the raw connection: not a query of the
    app's, and only when a write has already used part of its time)."""
    db.connection().execute(f"PRAGMA busy_timeout = {max(1, int(seconds * 1000))}")


def _begin(wait: _Wait):
    """BEGIN IMMEDIATE within the write's deadline: SQLite waits for its lock at most the time left (the
    writer ahead may not use this app's queue: a migration, the sqlite3 shell, one that gave up its turn)."""
    txn = db.atomic()
    if not is_sqlite():
        txn.__enter__()
        # PostgreSQL locks rows, not the database: a writer waits only for one that holds a row it needs,
        # and (lock_timeout) not past the write's deadline; SET LOCAL ends with the transaction.
        db.execute_sql(f"SET LOCAL lock_timeout = {max(1, int(wait.remaining() * 1000))}")
        _notice_later(wait)
        return txn
    bounded = False
    try:
        while True:
            if wait.remaining() < BUSY_TIMEOUT_S:  # part of the time went on the queue: wait only what is left
                until = wait.deadline if wait.noticed else min(wait.deadline, wait.notice_at)
                _set_busy_timeout(max(0.001, until - time.monotonic()))
                bounded = True
            try:
                txn.__enter__()
                return txn
            except OperationalError as error:
                if not _is_lock_wait(error):
                    raise
                if wait.remaining() <= 0:
                    raise wait.busy() from None
                wait.notice()
    finally:
        if bounded:
            _set_busy_timeout(BUSY_TIMEOUT_S)


def _fault(error: BaseException) -> BaseException:
    """What a failed write raises: faults of the database, disk or file system become a DatabaseFault with a
    plain message (workshop/faults.py); a program's own errors (constraints, SQL) and waits that run_write
    retries stay as they are."""
    from peewee import DataError, IntegrityError, NotSupportedError, ProgrammingError
    from workshop import faults
    cause = faults.root_cause(error)
    if isinstance(cause, (IntegrityError, ProgrammingError, DataError, NotSupportedError)) or \
            isinstance(error, (IntegrityError, ProgrammingError, DataError, NotSupportedError)):
        return error
    if sqlstate(error) in RETRY_SQLSTATES:
        return error  # PostgreSQL: lost a race it could not serialise, or a deadlock: run_write runs it again
    fault = DatabaseFault(faults.describe(error))
    faults.log(error, "a write failed")
    return fault


@contextmanager
def transaction(wait: _Wait | None = None):
    """One write transaction that holds the write lock from its first statement (BEGIN IMMEDIATE), waiting
    for it until the write's deadline. A fault of the database or disk (full, read-only, damaged, gone)
    rolls everything back and raises DatabaseFault with a plain message: a terminal shows it and goes on."""
    if getattr(_gate_state, "depth", 0):  # inside a transaction already: a savepoint
        with _write_gate(), db.atomic() as txn:
            yield txn
        return
    wait = wait or _Wait()
    try:
        with _write_gate(wait):
            txn = _begin(wait)
            try:
                yield txn
            except BaseException as error:
                txn.__exit__(type(error), error, error.__traceback__)  # ROLLBACK
                raise
            else:
                txn.__exit__(None, None, None)  # COMMIT (a failed COMMIT rolls back, then raises)
    except DomainError:
        raise
    except (DatabaseError, InterfaceError, OSError) as error:
        if isinstance(error, OperationalError) and _is_lock_wait(error):
            if wait.remaining() > 0 and sqlstate(error) != LOCK_NOT_AVAILABLE:
                raise  # run_write tries again within the deadline
            raise wait.busy() from error
        fault = _fault(error)
        if fault is error:
            raise
        raise fault from error
    finally:
        wait.over()


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
    """Run ``fn`` in a write transaction; when it lost to another writer (SQLite: the lock was lost in a
    way SQLite reports at once; PostgreSQL: a serialization failure or a deadlock), run it again from the
    start, with backoff, at most ``retries`` more times and never past the write's deadline, then refuse
    with a clear message (WriteBusy, Busy). Nothing of a lost attempt stays. Domain errors pass straight
    through. Inside an enclosing transaction nothing is retried here: the failed attempt has spoiled that
    transaction, so the outermost run retries."""
    from workshop.errors import Busy  # (a leaf module: the message the user reads)
    nested = db.in_transaction()
    delay = 0.05
    wait = _Wait()
    for attempt in range(retries + 1):
        try:
            with transaction(wait):
                return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - only the retryable ones are caught, below
            if nested or not _retryable(exc):
                raise
            if is_sqlite() and wait.remaining() <= delay:
                raise wait.busy() from exc
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
