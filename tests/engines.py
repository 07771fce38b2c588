"""Which engine the suite runs on: SQLite files by default, PostgreSQL when ``WORKSHOP_TEST_PG`` holds the URL
of an empty database. There each test gets a schema of its own, created and dropped around it (the role
owns that one database and needs no other right), and reaches it through the URL's ``search_path``, so
that processes a test starts open exactly the same database from the same string."""
from __future__ import annotations

import os
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
