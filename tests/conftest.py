"""Fixtures: a fresh, migrated database file per test, and a small shop built by tests/factories.py."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from models.db import db, open_database
from models.schema import migrate
from tests import engines
from workshop import clock, i18n, settings

FROZEN_NOW = dt.datetime(2026, 11, 20, 9, 0, 0)

# Terminals started by tests (over SSH, in ptys) start cold and leave no warm server behind;
# tests/test_warm.py turns warm starts on for its own processes.
os.environ["WORKSHOP_WARM"] = "0"
# Faults are logged (workshop/faults.py) to a folder of the test run's, not to the user's state directory.
os.environ.setdefault("WORKSHOP_LOG_DIR", tempfile.mkdtemp(prefix="workshop-test-log-"))
# Settling writes the invoice's PDF from a thread (1-2 s of CPU each); tests that settle do not need it,
# and tests of the PDF turn it on (tests/test_document_files.py) or call workshop.invoice directly.
settings.DEFAULTS["invoice_pdf"] = False


# What the screens draw, in which language, and what the code says of itself does not depend on the
# engine: the screens reach the database only through services, whose tests run on both engines. These
# modules run on the SQLite pass only, which keeps CI (both passes on 2 cores) well under 15 minutes.
ENGINE_BLIND = {"test_snapshots.py", "test_translated_screens.py", "test_hostile_text.py", "test_i18n.py",
                "test_lint.py", "test_private_names.py", "test_messages.py"}


def _engine_blind(item) -> bool:
    name = item.path.name
    return name in ENGINE_BLIND or name.endswith("_ui.py")


def pytest_collection_modifyitems(config, items):
    """``sqlite_only`` / ``postgres_only`` tests run on their engine's pass of the suite only; the
    screens' Pilot tests and the code's own checks (ENGINE_BLIND) on the SQLite pass."""
    skip = pytest.mark.skip(reason="SQLite only" if engines.on_postgres() else "PostgreSQL only")
    unwanted = "sqlite_only" if engines.on_postgres() else "postgres_only"
    blind = pytest.mark.skip(reason="the same on either engine: run on the SQLite pass")
    for item in items:
        if unwanted in item.keywords:
            item.add_marker(skip)
        elif engines.on_postgres() and _engine_blind(item):
            item.add_marker(blind)


_templates: dict[str, Path] = {}


def _sqlite_template(tmp_path_factory) -> Path:
    """A database file migrated once per test process; each test gets a copy (migrating takes 0.3 s)."""
    if "sqlite" not in _templates:
        path = tmp_path_factory.mktemp("template") / "shop.db"
        open_database(path)
        migrate()
        db.close()  # the last connection: the WAL is folded into the file, which is then whole
        wal = Path(str(path) + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, "the template's WAL was not folded into it"
        _templates["sqlite"] = path
    return _templates["sqlite"]


@pytest.fixture
def db_path(tmp_path, tmp_path_factory):
    """The test's own migrated database: a file, or a fresh schema on PostgreSQL (see tests/engines.py).
    Tests hand ``str(db_path)`` to the processes they start."""
    schema = None
    if engines.on_postgres():
        schema, url = engines.migrated_schema(migrate)
        path = engines.SchemaURL(url)
        path.parent = tmp_path
    else:
        path = tmp_path / "shop.db"
        shutil.copyfile(_sqlite_template(tmp_path_factory), path)
    open_database(path)
    migrate()  # (nothing left to do: the copy is migrated)
    from workshop import shops
    shops.forget_count()  # (read once in a while by a terminal; each test has a database of its own)
    if schema is not None:
        import json
        from models.shop import Setting
        Setting.insert(key="invoice_dir", value=json.dumps(str(tmp_path / "documents"))).execute()
    settings.forget_cache()
    yield path
    db.close()
    settings.forget_cache()
    if schema is not None:
        engines.drop_schema(schema)


@pytest.fixture(autouse=True)
def english_first():
    """Each test starts in English, whatever an earlier test in the same worker left (a terminal that
    signed a Chinese reader in and was torn down without signing out, a pseudo-locale run)."""
    i18n.force(None, "en")
    yield
    i18n.force(None, "en")


@pytest.fixture
def frozen_clock():
    clock.freeze(FROZEN_NOW)
    yield FROZEN_NOW
    clock.freeze(None)


@pytest.fixture
def shop(db_path, frozen_clock):
    """Two bays, three technicians, one of each other role, a few operations and customers."""
    from tests.factories import build_small_shop
    return build_small_shop()
