"""Which engine the suite runs on: SQLite files by default, PostgreSQL when ``WORKSHOP_TEST_PG`` holds the URL
of an empty database. There each test gets a schema of its own, created and dropped around it (the role
owns that one database and needs no other right), and reaches it through the URL's ``search_path``, so
that processes a test starts open exactly the same database from the same string."""
from __future__ import annotations

import glob
import os
import subprocess
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PG_URL = os.environ.get("WORKSHOP_TEST_PG", "").strip()


def on_postgres() -> bool:
    return bool(PG_URL)


class SchemaURL(str):
    """The URL of a test's schema. ``parent`` is the test's own folder, where an SQLite file would sit:
    the fixture points the shop's documents folder (the ``invoice_dir`` setting, which a shop on
    PostgreSQL sets) at ``parent / "documents"``, where they go beside a file."""
    parent = None


def _admin():
    import psycopg
    return psycopg.connect(PG_URL, autocommit=True)


def with_search_path(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def new_schema() -> tuple[str, str]:
    """A new empty schema: (its name, the URL that works in it)."""
    schema = "t_" + uuid.uuid4().hex[:16]
    with _admin() as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema, with_search_path(PG_URL, schema)


def drop_schema(schema: str) -> None:
    with _admin() as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- a migrated schema per test, without running the migrations per test -----------------------------------
# Running the migrations takes about 0.4 s a test. Each test process migrates one template schema once,
# dumps it (pg_dump, as SQL with INSERTs) and replays that text into each test's new schema: the same
# tables, indexes, triggers, functions and rows the migrations make.
_template_sql: dict[str, str | None] = {}


def _pg_dump() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else None


def migrated_schema(migrate) -> tuple[str, str]:
    """A new schema holding what ``migrate()`` makes: (its name, the URL that works in it). Falls back to
    running ``migrate`` in it when pg_dump is not at hand."""
    if "sql" not in _template_sql:
        _template_sql["sql"] = _dump_template(migrate)
    schema, url = new_schema()
    template = _template_sql["sql"]
    if template is None:
        return schema, url
    with _admin() as connection:
        connection.execute(template.replace(_TEMPLATE_NAME, schema))
    return schema, url


_TEMPLATE_NAME = "t_template_" + uuid.uuid4().hex[:12]


def _dump_template(migrate) -> str | None:
    from models.db import db, open_database
    dump = _pg_dump()
    if dump is None:
        return None
    with _admin() as connection:
        connection.execute(f'CREATE SCHEMA "{_TEMPLATE_NAME}"')
    try:
        open_database(with_search_path(PG_URL, _TEMPLATE_NAME))
        migrate()
        db.close()
        done = subprocess.run([dump, "--schema", _TEMPLATE_NAME, "--no-owner", "--no-privileges", "--inserts",
                               "--dbname", PG_URL], capture_output=True, text=True)
        if done.returncode != 0:
            return None
        # pg_dump empties search_path for its session (and wraps its text in psql commands, \\restrict, which
        # are not SQL): replayed, the test's schema is named in every
        # statement; the template's CREATE SCHEMA is the test's, made already.
        lines = [line for line in done.stdout.splitlines()
                 if not line.startswith(("CREATE SCHEMA", "SELECT pg_catalog.set_config('search_path'", "\\"))]
        return "\n".join(lines)
    finally:
        drop_schema(_TEMPLATE_NAME)
