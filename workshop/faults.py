"""Faults: what a database, disk or file fault means to the person at the terminal, and the log of details.

Nobody at a terminal sees a traceback. A fault (disk full, read-only file or folder, a damaged or foreign
file, a database server that does not answer, a writer that holds everyone up) becomes one plain sentence:
what happened, that nothing was changed, and what to do. The details (the exception and where it came from,
never the values of variables: no PIN, no password) go to a log file in the user's state directory,
``~/.local/state/workshop/workshop.log`` on Linux (``WORKSHOP_LOG_DIR`` picks another folder).
"""
from __future__ import annotations

import errno
import os
import re
import sqlite3
import time
import traceback
from pathlib import Path

from workshop.i18n import _

LOG_NAME = "workshop.log"
LOG_MAX_BYTES = 1 << 20  # then the log starts again, the previous one kept as workshop.log.1

# SQLite's primary result codes (the low byte of an extended code)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


def log_dir() -> Path:
    from platformdirs import user_state_dir
    return Path(os.environ.get("WORKSHOP_LOG_DIR") or user_state_dir("workshop", "workshop"))


def log_path() -> Path:
    return log_dir() / LOG_NAME


def shown_target(target: str | None) -> str:
    """A database path or URL as it may be shown and logged: a URL's password is left out."""
    if not target:
        return _("the database")
    from models.db import mask_url  # a whole URL: its password, in the user part or ?password=
    text = mask_url(target) if re.fullmatch(r"[a-z][a-z0-9+.-]*://\S+", str(target)) else str(target)
    return re.sub(r"(://[^:/@\s]*):[^@/\s]*@", r"\1:***@", text)  # a URL inside a message


def _current_target() -> str | None:
    try:
        from models.db import db
        return getattr(db.obj, "database", None)
    except Exception:  # noqa: BLE001 - no database opened yet
        return None


def root_cause(error: BaseException) -> BaseException:
    """The exception that says what really happened: Peewee wraps the driver's exception (first argument),
    and a failed ROLLBACK after SQLite already rolled back ("cannot rollback - no transaction is active",
    after a full disk) hides the error that caused it (its context)."""
    seen = set()
    while id(error) not in seen:
        seen.add(id(error))
        if "cannot rollback" in str(error) and error.__context__ is not None:
            error = error.__context__
        elif error.args and isinstance(error.args[0], BaseException):
            error = error.args[0]
        else:
            break
    return error


def is_database_fault(error: BaseException) -> bool:
    """Whether ``error`` is the database's or its files' fault (a full or read-only disk, a server that went
    away), as opposed to a bug: the change it interrupted was rolled back whole and the terminal can go on."""
    from peewee import DatabaseError, InterfaceError
    cause = root_cause(error)
    return any(isinstance(e, (sqlite3.Error, DatabaseError, InterfaceError, OSError))
               or type(e).__module__.startswith(("psycopg", "psycopg2")) for e in (error, cause))


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(error).lower()
    for fragment, primary in (("disk is full", SQLITE_FULL), ("readonly database", SQLITE_READONLY),
                              ("unable to open database", SQLITE_CANTOPEN), ("malformed", SQLITE_CORRUPT),
                              ("not a database", SQLITE_NOTADB), ("disk i/o error", SQLITE_IOERR),
                              ("database is locked", SQLITE_BUSY), ("access permission", SQLITE_PERM)):
        if fragment in text:
            return primary
    return None


def describe(error: BaseException, target: str | None = None) -> str:
    """One plain sentence for the person at the terminal: what happened, that nothing changed, what to do."""
    from workshop.errors import DomainError
    cause = root_cause(error)
    if isinstance(error, DomainError):
        return str(error)
    from peewee import DatabaseError, ImproperlyConfigured, InterfaceError
    where = shown_target(target or _current_target())
    if isinstance(cause, OSError) and cause.filename:  # the file that failed: a lock file beside the database
        where = shown_target(str(cause.filename))
    database_error = isinstance(cause, (sqlite3.Error, DatabaseError, InterfaceError)) or isinstance(
        error, (DatabaseError, InterfaceError))
    code = _sqlite_code(cause) if database_error else None
    number = getattr(cause, "errno", None)
    if code == SQLITE_FULL or number in (errno.ENOSPC, errno.EDQUOT):
        return _("The disk that holds {where} is full: nothing was saved. Free some space on it, then try "
                 "again.").format(where=where)
    if code == SQLITE_READONLY or number == errno.EROFS:
        return _("{where} can only be read here (a read-only file, folder or disk): nothing was saved. Ask "
                 "whoever looks after the shop's computer to let this login write it.").format(where=where)
    if code == SQLITE_PERM or number in (errno.EACCES, errno.EPERM):
        return _("This login may not use {where} (file or folder permissions): nothing was changed. Ask whoever "
                 "looks after the shop's computer to give it access.").format(where=where)
    if number == errno.ELOOP:
        return _("A lock file beside {where} is a symbolic link, which is refused: nothing was changed. Remove "
                 "the link.").format(where=where)
    if number in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR) or code == SQLITE_CANTOPEN:
        return _("{where} cannot be opened: check that the path is right, that it is a file (not a folder) and "
                 "that its folder exists and can be written.").format(where=where)
    if code == SQLITE_NOTADB:
        return _("{where} is not a database (a text file, or another kind of file?): nothing was changed. Check "
                 "the path given with --db.").format(where=where)
    if code == SQLITE_CORRUPT:
        return _("{where} is damaged (cut short or overwritten): nothing was changed. Restore it from the "
                 "latest backup.").format(where=where)
    if code == SQLITE_IOERR or number == errno.EIO:
        return _("The disk reported an error while reading or writing {where}: nothing was saved. Check the disk, "
                 "then try again.").format(where=where)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return _("{where} is locked by another program: nothing was saved. Try again in a moment.").format(
            where=where)
    if isinstance(cause, ImproperlyConfigured):
        return _("This installation cannot open {where} (no driver for it: for PostgreSQL, install "
                 "'psycopg[binary]').").format(where=where)
    if type(cause).__module__.startswith(("psycopg", "psycopg2")) or (database_error and "://" in where):
        reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        return _("The database server of {where} cannot be reached or refused the request ({reason}): nothing "
                 "was changed. Check that the server is running, then try again.").format(
            where=where, reason=shown_target(reason))
    if isinstance(cause, OSError):
        return _("{where} could not be used ({reason}): nothing was saved.").format(
            where=where, reason=cause.strerror or type(cause).__name__)
    if database_error:
        return _("The database {where} reported a problem: nothing was saved. The details are in {log}.").format(
            where=where, log=log_path())
    return _("Something unexpected went wrong: nothing half-done was saved. The details are in {log}.").format(
        log=log_path())


def log(error: BaseException, context: str = "") -> Path | None:
    """Append the error, where it came from and what was happening to the log; the log's path, or None if
    it could not be written (the same full or read-only disk, say). Tracebacks only: never the values of
    local variables, which hold PINs as they are typed."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if path.exists() and path.stat().st_size > LOG_MAX_BYTES:
            path.replace(path.with_name(LOG_NAME + ".1"))
        details = "".join(traceback.format_exception(error))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="replace") as file:
            file.write(f"--- {stamp} pid {os.getpid()} {shown_target(context)}\n{details}\n")
        return path
    except OSError:
        return None


def report(error: BaseException, target: str | None = None, context: str = "") -> str:
    """Log ``error`` and return the message to show: the plain sentence, and where the details are."""
    from workshop.errors import DomainError
    message = describe(error, target)
    written = log(error, context or shown_target(target or _current_target()))
    if written is not None and str(written) not in message and not isinstance(error, DomainError):
        message += "\n" + _("Details: {log}").format(log=written)
    return message
