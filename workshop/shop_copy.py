"""Moving a shop's whole history from an SQLite file into an empty database (``workshop copy``).

The source is upgraded to the current schema first (as opening it in the app would), then read in one
read transaction, so terminals may go on working on it meanwhile and the copy is still one consistent
moment of it. The destination is migrated, must hold no shop yet, and is written in one transaction:
a copy that fails leaves it as empty as it was. PostgreSQL is written with COPY (one statement per
table, so rows that refer to later rows of their own table are fine), SQLite with batched INSERTs.

Afterwards the copy is checked against the source: the rows of every table, the payments' total, and
the stock ledger (each part's on-hand equals the sum of its movements, and equals the source's).
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from peewee import BooleanField, DecimalField, sort_models

from models.db import db, is_postgres, mask_url, open_database
from workshop.errors import DomainError
from workshop.i18n import _

BATCH = 5000


class CopyRefused(DomainError):
    """The copy cannot start, or did not match its source (nothing was kept)."""


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows copied (= rows in the source)
    parts_checked: int = 0
    payments_total: Decimal = Decimal("0")

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _models():
    import models
    return sort_models(models.ALL_MODELS)  # referenced tables first


def _columns(model):
    return [f for f in model._meta.sorted_fields]


def _converter(f):
    """Turn a value as SQLite hands it back into what the destination's column takes."""
    if isinstance(f, BooleanField):
        return lambda v: None if v is None else bool(v)
    if isinstance(f, DecimalField):
        return lambda v: None if v is None else Decimal(str(v))
    return None


def _open_source(path: Path) -> sqlite3.Connection:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    source.execute("BEGIN")  # one consistent moment of a file others may be writing
    return source


def _checks(read) -> tuple[dict[tuple[int, int], tuple[Decimal, Decimal]], Decimal]:
    """Each (part, shop)'s (on hand, sum of its movements in that shop) and the payments' total, by a
    ``read(sql)`` function. A shop's stock row without movements, or movements without a row, count as 0."""
    moved: dict[tuple[int, int], Decimal] = {}
    for pid, shop, qty in read("SELECT part_id, shop_id, qty FROM stock_movement"):
        moved[pid, shop] = moved.get((pid, shop), Decimal("0")) + Decimal(str(qty))
    on_hand = {(pid, shop): Decimal(str(qty)) for pid, shop, qty in
               read("SELECT part_id, shop_id, on_hand FROM part_stock")}
    ledger = {key: (on_hand.get(key, Decimal("0")), moved.get(key, Decimal("0"))) for key in set(on_hand) | set(moved)}
    # Summed here, as decimals: SQLite's SUM() adds its stored amounts as floating point.
    total = sum((Decimal(str(amount)) for (amount,) in read("SELECT amount FROM payment")), Decimal("0"))
    return ledger, total


def copy_shop(source_path: str | Path, target: str, *, progress=None) -> CopyReport:
    """Copy the SQLite file ``source_path`` into the empty database ``target`` (URL or path) and check it."""
    import models
    from models.schema import migrate

    source_path = Path(source_path).expanduser()
    if not source_path.is_file():
        raise CopyRefused(_("{path} is not a database file.").format(path=source_path))
    open_database(source_path)  # upgraded to this version's schema first, as the app would
    migrate()
    db.close()

    open_database(target)
    migrate()
    tables = _models()
    made_by_migrations = {models.Shop}  # shop 1 exists in every migrated database: the copy brings the source's
    for model in tables:
        if model not in made_by_migrations and model.select().exists():
            db.close()
            raise CopyRefused(_("{target} already holds a shop ({table} has rows): copy into an empty "
                                "database.").format(target=mask_url(target), table=model._meta.table_name))

    source = _open_source(source_path)
    try:
        counts = {m._meta.table_name: source.execute(f'SELECT COUNT(*) FROM "{m._meta.table_name}"').fetchone()[0]
                  for m in tables}
        total, done = sum(counts.values()), 0
        report = CopyReport()
        with db.atomic():
            if is_postgres():
                db.execute_sql("ALTER TABLE event DISABLE TRIGGER event_feed_at_commit")  # history: no wake-ups
                rebuild = _set_aside_indexes_and_keys()
            else:
                db.execute_sql("PRAGMA defer_foreign_keys = ON")  # rows may refer to later rows of their table
            for model in made_by_migrations:
                model.delete().execute()
            for model in tables:
                table = model._meta.table_name
                fields = _columns(model)
                convert = [_converter(f) if is_postgres() else None for f in fields]  # SQLite takes them as they are
                names = ", ".join(f'"{f.column_name}"' for f in fields)
                rows = source.execute(f'SELECT {names} FROM "{table}" ORDER BY "id"')
                written = _write(table, names, len(fields), rows, convert,
                                 lambda n, before=done: progress and progress("copying", before + n, total))
                done += written
                report.rows[table] = written
            if is_postgres():
                if progress:
                    progress("indexes", 0, len(rebuild))
                for n, statement in enumerate(rebuild, 1):  # each foreign key checked in one pass over its table
                    db.execute_sql(statement)
                    if progress:
                        progress("indexes", n, len(rebuild))
                db.execute_sql("ALTER TABLE event ENABLE TRIGGER event_feed_at_commit")
                for model in tables:
                    table = model._meta.table_name
                    db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                   f'COALESCE(MAX("id"), 1), MAX("id") IS NOT NULL) FROM "{table}"')
            _verify(report, counts, source, tables)
        if progress:
            progress("copying", total, total)
        if is_postgres():  # the planner's statistics, for tables that were empty a moment ago
            db.execute_sql("ANALYZE " + ", ".join(f'"{m._meta.table_name}"' for m in tables))
        return report
    finally:
        source.close()


def _set_aside_indexes_and_keys() -> list[str]:
    """PostgreSQL: drop the schema's secondary indexes and foreign keys for the load, and return the
    statements that put them back. Building an index once over loaded rows, and checking a foreign key
    in one pass, is several times faster than keeping them up to date row by row (14 million rows for
    the large shop). All inside the copy's transaction: a failed copy leaves the schema as it was."""
    keys = db.execute_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace").fetchall()
    indexes = db.execute_sql(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = current_schema()::regnamespace "
        "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
    ).fetchall()
    for table, name, _definition in keys:
        db.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        db.execute_sql(f"DROP INDEX {name}")
    db.execute_sql("SET LOCAL maintenance_work_mem = '256MB'")
    return ([definition for _name, definition in indexes]
            + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in keys])


def _write(table: str, names: str, width: int, rows, convert, progress) -> int:
    written = 0
    if is_postgres():
        cursor = db.cursor()
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([v if c is None else c(v) for v, c in zip(row, convert)])
                written += 1
                if written % BATCH == 0:
                    progress(written)
        return written
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([db.param] * width)})'
    cursor = db.cursor()
    while batch := rows.fetchmany(BATCH):
        cursor.executemany(sql, [[v if c is None else c(v) for v, c in zip(row, convert)] for row in batch])
        written += len(batch)
        progress(written)
    return written


def _verify(report: CopyReport, counts: dict[str, int], source, tables) -> None:
    """Inside the copy's transaction: a mismatch raises, and nothing of the copy is kept."""
    for model in tables:
        table = model._meta.table_name
        copied = db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        if copied != counts[table]:
            raise CopyRefused(_("Copy not kept: {table} has {copied} rows instead of {expected}.").format(
                table=table, copied=copied, expected=counts[table]))
    theirs, their_total = _checks(lambda sql: source.execute(sql).fetchall())
    ours, our_total = _checks(lambda sql: db.execute_sql(sql).fetchall())
    for (pid, shop), (on_hand, moved) in sorted(ours.items()):
        if on_hand != moved or theirs.get((pid, shop), (None,))[0] != on_hand:
            raise CopyRefused(_("Copy not kept: the stock ledger of part #{id} in shop #{shop} does not add up (on "
                                "hand {on_hand}, movements {moved}, source {source}).").format(
                id=pid, shop=shop, on_hand=on_hand, moved=moved, source=theirs.get((pid, shop), (None,))[0]))
    if our_total != their_total or len(ours) != len(theirs):
        raise CopyRefused(_("Copy not kept: payments add up to {ours} instead of {theirs}.").format(
            ours=our_total, theirs=their_total))
    report.parts_checked = len(ours)
    report.payments_total = our_total
