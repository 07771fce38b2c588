"""The command line of a real shop: admin (create a manager, reset a PIN, list staff), backup, --version, --db
after the subcommand, and `workshop --empty` printing the first manager's login and PIN."""
from __future__ import annotations

import sqlite3

import pytest

from models.db import db
from models.events import Event
from models.people import Staff
from workshop import cli
from workshop.accounts import pin_matches


@pytest.fixture(autouse=True)
def _closed_afterwards():
    yield
    if db.obj is not None:
        db.close()
    from workshop import settings
    settings.forget_cache()


def run(capsys, *argv) -> tuple[int, str, str]:
    if db.obj is not None:
        db.close()
    code = cli.main(list(argv), warm=False)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version_names_the_program_and_its_schema(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"], warm=False)
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("workshop ") and "(schema 00" in out


def test_a_manager_is_created_and_a_forgotten_pin_reset_from_the_server(tmp_path, capsys):
    path = str(tmp_path / "shop.db")
    code, out, _ = run(capsys, "admin", "create-manager", "zhou.min", "Zhou Min", "--db", path)
    assert code == 0 and "login zhou.min" in out
    pin = out.rsplit("PIN ", 1)[1].strip()
    assert len(pin) == 6 and pin.isdigit()
    code, out, _ = run(capsys, "admin", "reset-pin", "zhou.min", "--pin", "4321", "--db", path)
    assert code == 0 and "is now 4321" in out
    assert pin_matches("4321", Staff.get(Staff.login == "zhou.min").pin_hash)
    assert [e.kind for e in Event.select().order_by(Event.id)] == ["staff_added", "pin_reset"]
    code, out, _ = run(capsys, "--db", path, "admin", "list")
    assert "zhou.min" in out and "manager" in out
    code, _, err = run(capsys, "admin", "reset-pin", "nobody", "--db", path)
    assert code == 1 and "No staff member has the login 'nobody'" in err
    code, _, err = run(capsys, "admin", "reset-pin", "zhou.min", "--pin", "12", "--db", path)
    assert code == 1 and "4 to 8 digits" in err


def test_a_backup_is_a_consistent_copy_and_never_overwrites(tmp_path, capsys):
    path, copy = str(tmp_path / "shop.db"), tmp_path / "copy.db"
    run(capsys, "admin", "create-manager", "boss", "Boss", "--db", path)
    code, out, _ = run(capsys, "backup", str(copy), "--db", path)
    assert code == 0 and "Backup written" in out
    with sqlite3.connect(copy) as backup:
        assert backup.execute("SELECT login FROM staff").fetchall() == [("boss",)]
        assert backup.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    code, _, err = run(capsys, "backup", str(copy), "--db", path)
    assert code == 1 and "exists already" in err


def test_seed_takes_db_after_the_subcommand(tmp_path, capsys):
    path = tmp_path / "tiny.db"
    code, _, _ = run(capsys, "seed", "--size", "tiny", "--db", str(path))
    assert code == 0 and path.exists()
    assert Staff.select().count() > 10


def test_an_empty_shop_prints_the_first_managers_login_and_pin(tmp_path, capsys, monkeypatch):
    import screens.app

    class NoScreen:  # the terminal itself is not what this test is about
        return_code = 0
        fault_message = None

        def __init__(self, **kwargs):
            self.message = kwargs.get("first_run_message")

        def run(self):
            pass

    monkeypatch.setattr(screens.app, "WorkshopApp", NoScreen)
    monkeypatch.setattr(cli, "_has_terminal", lambda: True)  # (pytest's stdin and stdout are not one)
    code, out, _ = run(capsys, "--empty", "--db", str(tmp_path / "new.db"))
    assert code == 0 and "login manager" in out
    pin = out.split("PIN ", 1)[1].split(",")[0].strip()
    assert pin_matches(pin, Staff.get(Staff.login == "manager").pin_hash)


@pytest.mark.postgres_only
def test_a_postgresql_shop_is_told_to_back_up_with_pg_dump(db_path, tmp_path):
    from workshop.backup import backup
    from workshop.errors import InvalidInput
    with pytest.raises(InvalidInput, match="pg_dump"):
        backup(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()
