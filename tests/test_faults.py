"""Faults give a message, never a traceback, and nothing is lost: the `workshop` command started in a real
pseudo-terminal on a bad database (read-only, full disk, damaged, a text file, another application's file, a
server that is down, a bad path), and faults during a session (a write failing on a full or read-only disk).
The details go to the log in the user's state directory, without the values of variables (no PIN)."""
import hashlib
import os
import pty
import select
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.db import db
from models.orders import RepairOrder
from tests.factories import TEST_PIN
from tests.ui import app_as, notifications, wait_until
from workshop import faults

ROOT = Path(__file__).resolve().parents[1]
IS_ROOT = os.geteuid() == 0


# --- the command in a real terminal -------------------------------------------------------------------------

def run_terminal(args: list[str], log_dir: Path, *, as_user: str | None = None, keys: bytes = b"",
                 seconds: float = 60) -> tuple[int, str]:
    """Run `workshop ARGS` in a pseudo-terminal (as another Unix user when root and asked); its exit code
    and everything it wrote to the terminal."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
           "WORKSHOP_WARM": "0", "WORKSHOP_LOG_DIR": str(log_dir), "TERM": "xterm-256color"}
    command = [sys.executable, "-m", "workshop.cli", *args]
    if as_user:
        command = ["runuser", "-u", as_user, "--", "env", f"PYTHONPATH={ROOT}:{site_packages()}",
                   interpreter_for_others(), "-m", "workshop.cli", *args]
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT if not as_user else "/")
        os.execvpe(command[0], command, env)
    output = b""
    deadline = time.monotonic() + seconds
    sent = False
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if keys and not sent and b"Checked in" in output:
            os.write(fd, keys)
            sent = True
        if select.select([fd], [], [], 0.05)[0]:
            try:
                output += os.read(fd, 65536)
            except OSError:
                pass
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise AssertionError(f"workshop did not exit; it wrote: {output[-600:]!r}")
    while select.select([fd], [], [], 0.05)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace").replace("\r\n", "\n")


def site_packages() -> str:
    import site
    return ":".join(site.getsitepackages())


def interpreter_for_others() -> str:
    """This Python, or the system's of the same version when this one is out of other users' reach (under
    /root): the code and packages are read from this checkout either way."""
    for candidate in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        if subprocess.run(["runuser", "-u", "nobody", "--", candidate, "-c", "pass"],
                          capture_output=True).returncode == 0:
            return candidate
    pytest.skip("no Python that another user may run")


def refused_plainly(code: int, output: str, log_dir: Path, *expected: str) -> None:
    assert code != 0, output
    for text in expected:
        assert text in output, output
    assert "Traceback" not in output and 'File "' not in output, output
    log = (log_dir / "workshop.log").read_text()
    assert "Traceback" in log  # the details are in the log


def shop_file(db_path: Path, tmp_path: Path, name: str = "copy.db") -> Path:
    """A copy of the test's shop in one file (no -wal beside it)."""
    db.close()
    target = tmp_path / name
    source = sqlite3.connect(db_path)
    destination = sqlite3.connect(target)
    source.backup(destination)
    destination.execute("PRAGMA journal_mode = delete")
    source.close()
    destination.close()
    return target


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_a_text_file_is_refused_and_left_untouched(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    code, output = run_terminal(["--db", str(text)], tmp_path / "log")
    refused_plainly(code, output, tmp_path / "log", "not an SQLite database")
    assert text.read_text() == "not a database\n"


@pytest.mark.slow
def test_another_applications_sqlite_file_is_refused_not_turned_into_a_demo_shop(tmp_path):
    places = tmp_path / "places.sqlite"
    conn = sqlite3.connect(places)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    conn.commit()
    conn.close()
    before = _digest(places)
    code, output = run_terminal(["--db", str(places)], tmp_path / "log")
    assert code != 0 and "another application's database" in output and "Traceback" not in output, output
    assert _digest(places) == before  # not a byte changed: no tables added, not even switched to WAL
    assert sorted(os.listdir(tmp_path)) == ["log", "places.sqlite"]


@pytest.mark.slow
def test_a_missing_folder_is_refused_and_not_created(tmp_path):
    code, output = run_terminal(["--db", str(tmp_path / "typo" / "shop.db")], tmp_path / "log")
    assert code != 0 and "does not exist" in output and "Traceback" not in output, output
    assert not (tmp_path / "typo").exists()


@pytest.mark.slow
def test_a_folder_given_as_the_database_is_refused(tmp_path):
    code, output = run_terminal(["--db", str(tmp_path)], tmp_path / "log")
    assert code != 0 and "is a folder" in output and "Traceback" not in output, output


@pytest.mark.sqlite_only  # (a database file: on PostgreSQL a server that stops: test_a_database_that_stops_answering...)
@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
def test_a_damaged_database_gives_a_message_and_is_left_as_it_was(shop, db_path, tmp_path, damage):
    broken = shop_file(db_path, tmp_path)
    size = broken.stat().st_size
    if damage == "truncated":
        os.truncate(broken, size // 2)
    else:
        with open(broken, "r+b") as file:
            file.seek(2 * 4096)
            file.write(os.urandom(size - 3 * 4096))
    before = _digest(broken)
    code, output = run_terminal(["--db", str(broken)], tmp_path / "log")
    refused_plainly(code, output, tmp_path / "log", "is damaged")
    assert _digest(broken) == before


@pytest.mark.slow
def test_a_database_server_that_is_down_gives_a_message_without_the_password(tmp_path):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    url = f"postgresql://shop:s3cret-pw@127.0.0.1:{port}/workshop"
    code, output = run_terminal(["--db", url], tmp_path / "log")
    assert code != 0 and "Traceback" not in output, output
    assert "cannot be reached" in output or "no driver" in output, output
    assert "s3cret-pw" not in output and "s3cret-pw" not in (tmp_path / "log" / "workshop.log").read_text()


@pytest.mark.sqlite_only  # (a database file: on PostgreSQL a server that stops: test_a_database_that_stops_answering...)
@pytest.mark.slow
@pytest.mark.skipif(not IS_ROOT or not shutil.which("runuser"), reason="needs root to run as another user")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_file_or_folder_gives_a_message(shop, db_path, public_dir, what):
    folder = public_dir / "shop"
    folder.mkdir()
    database = shop_file(db_path, folder, "shop.db")
    os.chmod(database, 0o444 if what == "file" else 0o666)
    os.chmod(folder, 0o755 if what == "file" else 0o555)
    log_dir = public_dir / "log"
    log_dir.mkdir()
    os.chmod(log_dir, 0o777)
    before = _digest(database)
    code, output = run_terminal(["--db", str(database)], log_dir, as_user="nobody")
    assert code != 0 and "can only be read" in output and "Traceback" not in output, output
    assert _digest(database) == before


@pytest.fixture
def public_dir():
    """A folder other Unix users can reach (pytest's own are private to root)."""
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="workshop-test-", dir="/tmp"))
    os.chmod(folder, 0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            os.chmod(path, 0o755)
    shutil.rmtree(folder)


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB file system of its own (tmpfs), to fill up."""
    if not IS_ROOT:
        pytest.skip("mounting a small file system needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)])


def fill(disk: Path) -> Path:
    """Fill the disk to the last byte."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 65536)
        except OSError:
            pass
        try:
            while True:
                file.write(b"\0")
        except OSError:
            pass
    return filler


@pytest.mark.slow
def test_a_full_disk_at_start_gives_a_message(small_disk, tmp_path):
    fill(small_disk)
    code, output = run_terminal(["--db", str(small_disk / "shop.db")], tmp_path / "log")
    assert code != 0 and "is full" in output and "Traceback" not in output, output


@pytest.mark.sqlite_only  # (a database file: on PostgreSQL a server that stops: test_a_database_that_stops_answering...)
@pytest.mark.slow
def test_a_read_only_disk_at_start_gives_a_message(shop, db_path, small_disk, tmp_path):
    database = shop_file(db_path, small_disk, "shop.db")
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    code, output = run_terminal(["--db", str(database)], tmp_path / "log")
    assert code != 0 and "can only be read" in output and "Traceback" not in output, output


@pytest.mark.slow
def test_an_error_nothing_handled_ends_the_terminal_with_a_message_no_traceback_no_pin(shop, db_path, tmp_path):
    """An error in the middle of a session that nothing handles (a bug: a database fault is said and the terminal
    goes on, see below): the terminal is restored (main screen, cursor shown), the person reads one sentence,
    and neither screen nor log holds the PIN that was in a variable."""
    db.close()
    boom = tmp_path / "boom.py"
    boom.write_text(
        "import sys\n"
        "from screens.board import BoardScreen\n"
        "def broken(self):\n"
        "    pin = '9731'  # a value in a frame, as a PIN is while it is checked\n"
        "    raise KeyError('a bug')\n"
        "BoardScreen.action_forward = broken\n"
        "from workshop.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    ssh_map = tmp_path / "ssh-map"
    import pwd
    ssh_map.write_text(f"{pwd.getpwuid(os.getuid()).pw_name} = {shop.dispatcher.login}\n")
    env_log = tmp_path / "log"
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        env = {**os.environ, "WORKSHOP_WARM": "0", "WORKSHOP_LOG_DIR": str(env_log), "TERM": "xterm-256color",
               "PYTHONPATH": str(ROOT)}
        os.execvpe(sys.executable, [sys.executable, str(boom), "--db", str(db_path), "--ssh-map", str(ssh_map)],
                   env)
    output = b""
    deadline = time.monotonic() + 60
    sent = False
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if not sent and b"Checked in" in output:
            time.sleep(0.5)
            os.write(fd, b"]")
            sent = True
        if select.select([fd], [], [], 0.05)[0]:
            try:
                output += os.read(fd, 65536)
            except OSError:
                pass
    else:
        os.kill(pid, 9)
        raise AssertionError(f"the terminal did not end: {output[-500:]!r}")
    while select.select([fd], [], [], 0.1)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 1
    assert sent, text[-500:]
    assert "Something unexpected went wrong" in text and "Traceback" not in text and "9731" not in text, text[-1500:]
    assert text.rfind("\x1b[?1049l") > text.rfind("\x1b[?1049h") >= 0  # back on the main screen
    log = (env_log / "workshop.log").read_text()
    assert "KeyError: 'a bug'" in log and "9731" not in log


# --- faults during a session, in the app -------------------------------------------------------------------

@pytest.mark.sqlite_only  # (the SQLite file's faults; PostgreSQL's: a server that stops, below)
@pytest.mark.slow
async def test_a_write_failing_on_a_full_disk_is_a_message_and_the_terminal_goes_on(shop, db_path, small_disk):
    from models.db import open_database
    from models.events import Event
    order = shop.dispatched()
    open_database(shop_file(db_path, small_disk, "shop.db"))
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        filler = fill(small_disk)
        events = Event.select().count()
        await pilot.press("right", "right_square_bracket")  # start the work: the disk has no room for it
        await wait_until(pilot, lambda: any("is full" in n for n in notifications(app)))
        assert any("is full" in n and "nothing was saved" in n for n in notifications(app)), notifications(app)
        assert app.is_running
        assert RepairOrder.get_by_id(order.id).state == "dispatched" and Event.select().count() == events
        filler.unlink()  # room again: the same terminal carries on
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "in_progress")
        assert RepairOrder.get_by_id(order.id).state == "in_progress"


@pytest.mark.sqlite_only  # (the SQLite file's faults; PostgreSQL's: a server that stops, below)
async def test_a_write_refused_by_a_read_only_database_is_a_message_and_the_terminal_goes_on(shop):
    from models.events import Event
    order = shop.dispatched()
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        db.obj.pragma("query_only", 1, permanent=True)  # SQLite refuses every write, as on a file made read-only
        events = Event.select().count()
        try:
            await pilot.press("right", "right_square_bracket")
            await wait_until(pilot, lambda: any("can only be read" in n for n in notifications(app)))
        finally:
            db.obj.pragma("query_only", 0, permanent=True)
        assert app.is_running
        assert RepairOrder.get_by_id(order.id).state == "dispatched" and Event.select().count() == events
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "in_progress")
        assert RepairOrder.get_by_id(order.id).state == "in_progress"


@pytest.mark.sqlite_only  # (the SQLite file's faults; PostgreSQL's: a server that stops, below)
def test_when_the_database_cannot_grow_each_change_is_whole_or_absent_and_work_resumes_with_room(shop):
    """SQLite's own 'database or disk is full' (max_page_count): the change that needs a new page fails with
    the message; every change before it is complete (its call and its audit row), none is half there."""
    from models.events import Event
    from models.followup import CallRecord
    from workshop import callbacks
    from workshop.errors import DatabaseFault
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    calls = 0
    with pytest.raises(DatabaseFault, match="is full") as error:
        for _ in range(2000):
            callbacks.log_incoming(shop.customer.id, f"call {calls} " + "x" * 400, by=shop.agent)
            calls += 1
    assert "nothing was saved" in str(error.value) and calls > 0
    assert CallRecord.select().count() == calls == Event.select().where(Event.kind == "call_in").count()
    db.execute_sql("PRAGMA max_page_count = 1073741823")
    callbacks.log_incoming(shop.customer.id, "after the disk was cleared", by=shop.agent)
    assert CallRecord.select().count() == calls + 1


@pytest.mark.sqlite_only  # (the SQLite file's faults; PostgreSQL's: a server that stops, below)
@pytest.mark.slow
def test_a_real_full_disk_during_a_session_is_a_message_and_nothing_is_half_saved(shop, db_path, small_disk):
    from models.db import open_database
    from workshop import lifecycle
    from workshop.errors import DatabaseFault
    order = shop.order()
    database = shop_file(db_path, small_disk, "shop.db")
    open_database(database)
    assert RepairOrder.get_by_id(order.id).state == "checked_in"  # connected: its -wal and -shm exist
    filler = fill(small_disk)
    with pytest.raises(DatabaseFault, match="is full"):
        lifecycle.cancel(order.id, "x" * 200, by=shop.advisor)
    assert RepairOrder.get_by_id(order.id).state == "checked_in"
    filler.unlink()  # room again: the same connection writes
    lifecycle.cancel(order.id, "customer left", by=shop.advisor)
    assert RepairOrder.get_by_id(order.id).state == "cancelled"


@pytest.mark.sqlite_only  # (the SQLite file's faults; PostgreSQL's: a server that stops, below)
async def test_signing_in_on_a_database_that_turned_read_only_is_a_message_and_the_pin_is_nowhere(shop, tmp_path,
                                                                                                   monkeypatch):
    from screens.app import WorkshopApp
    monkeypatch.setenv("WORKSHOP_LOG_DIR", str(tmp_path))
    app = WorkshopApp(poll_seconds=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        options = screen.query_one("#staff-list")
        options.highlighted = next(i for i in range(options.option_count)
                                   if options.get_option_at_index(i).id == str(shop.cashier.id))
        await pilot.press("enter")
        db.obj.pragma("query_only", 1, permanent=True)  # SQLite refuses every write: a read-only file or disk
        try:
            await pilot.press(*TEST_PIN, "enter")
            await pilot.pause()
            shown = str(screen.query_one("#sign-error").content)
            assert "can only be read" in shown and TEST_PIN not in shown
            assert app.is_running and app.staff is None
        finally:
            db.obj.pragma("query_only", 0, permanent=True)
    log = (tmp_path / "workshop.log").read_text()
    assert "readonly" in log and TEST_PIN not in log


async def test_an_error_no_screen_handles_ends_the_app_with_a_plain_message(shop, tmp_path, monkeypatch):
    """A bug (not a database fault): the app closes, the terminal restored, one plain sentence, no PIN anywhere."""
    from screens.board import BoardScreen
    monkeypatch.setenv("WORKSHOP_LOG_DIR", str(tmp_path))

    def broken(self):
        pin = TEST_PIN  # noqa: F841 - a value in a frame, as a PIN is while it is checked
        raise KeyError("a bug")

    monkeypatch.setattr(BoardScreen, "action_forward", broken)
    shop.order()
    app = app_as(shop.dispatcher)
    with pytest.raises(KeyError):  # run_test hands the error to the test, as Textual does
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("]")
            await pilot.pause()
    assert "Something unexpected went wrong" in app.fault_message and "Traceback" not in app.fault_message
    assert str(tmp_path / "workshop.log") in app.fault_message
    assert TEST_PIN not in (tmp_path / "workshop.log").read_text()


def said_database_fault(message: str) -> bool:
    """The sentence a terminal shows for a database that failed under it: a file's (SQLite) or a server's."""
    return ("reported a problem" in message or "cannot be reached" in message) and "nothing was" in message


async def test_a_database_that_stops_answering_while_a_screen_reads_is_a_message_and_the_terminal_goes_on(
        shop, tmp_path, monkeypatch):
    """The database goes away under a signed-in terminal (a PostgreSQL server restarted, a disk failing): a key
    whose screen reads it, and a screen built ahead out of sight, meet the fault. The terminal says so and
    stays; nothing opens half empty; once the database answers again the same keys work."""
    from peewee import OperationalError
    from screens.order_detail import OrderDetailScreen
    from workshop import lifecycle, tools
    monkeypatch.setenv("WORKSHOP_LOG_DIR", str(tmp_path))
    order = shop.dispatched()

    def gone(*args, **kwargs):
        pin = TEST_PIN  # noqa: F841 - a value in a frame, as a PIN is while it is checked
        raise OperationalError("server closed the connection unexpectedly")

    real_header, real_tools = lifecycle.order_header, tools.register_list
    app = app_as(shop.manager)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        monkeypatch.setattr(lifecycle, "order_header", gone)
        monkeypatch.setattr(tools, "register_list", gone)  # the tools screen, built ahead, reads it as it mounts
        assert app.screen.select_order(order.id)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: any(said_database_fault(n) for n in notifications(app)))
        for _ in range(60):  # screens built ahead meanwhile, the tools screen among them (it fails, and again)
            if not app.kept.build_next(app.staff):
                break
            await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.screen.__class__.__name__ == "BoardScreen"
        assert not any(isinstance(s, OrderDetailScreen) for s in app.screen_stack)
        assert len(notifications(app)) <= 2  # said, not once per screen and timer (at most every 5 s)
        monkeypatch.setattr(lifecycle, "order_header", real_header)
        monkeypatch.setattr(tools, "register_list", real_tools)
        await pilot.press("enter")  # the database answers again: the same key opens the order
        assert await wait_until(pilot, lambda: isinstance(app.screen, OrderDetailScreen))
        await pilot.press("escape")
        app.open_screen("tools")  # and a screen whose first build met the fault is built again, whole
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "ToolsScreen")
        assert app.is_running
    log = (tmp_path / "workshop.log").read_text()
    assert "server closed the connection" in log and TEST_PIN not in log


async def test_a_write_while_the_database_is_away_is_said_though_reading_the_changes_fails_too(shop, tmp_path,
                                                                                                monkeypatch):
    """A move pressed while the server is down: the write fails in its worker, and reading the change feed
    afterwards fails as well. The failure is still said (it used to vanish: the feed's error ended the worker
    before the message), and the terminal goes on."""
    from peewee import OperationalError
    from workshop import lifecycle
    monkeypatch.setenv("WORKSHOP_LOG_DIR", str(tmp_path))
    order = shop.dispatched()

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        monkeypatch.setattr(lifecycle, "move_forward", gone)
        monkeypatch.setattr(app.feed, "catch_up", gone)
        await pilot.press("right", "right_square_bracket")
        assert await wait_until(pilot, lambda: any(said_database_fault(n) for n in notifications(app)))
        assert app.is_running and RepairOrder.get_by_id(order.id).state == "dispatched"


async def test_a_refusal_no_screen_shows_is_a_message_and_the_terminal_goes_on(shop):
    from screens.board import BoardScreen
    from workshop.errors import DatabaseFault

    def refused(self):
        raise DatabaseFault("The disk that holds the database is full: nothing was saved.")

    shop.order()
    app = app_as(shop.dispatcher)
    BoardScreen.action_forward, original = refused, BoardScreen.action_forward
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            await pilot.press("]")
            await pilot.pause()
            assert app.is_running and any("is full" in n for n in notifications(app))
            await pilot.press("f3")  # and the terminal still answers keys
            await wait_until(pilot, lambda: app.screen.__class__.__name__ != "BoardScreen")
    finally:
        BoardScreen.action_forward = original


def test_the_log_never_holds_a_url_password_and_describes_each_fault(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_LOG_DIR", str(tmp_path))
    assert faults.shown_target("postgresql://shop:pw@db:5432/w") == "postgresql://shop:***@db:5432/w"
    cases = {"database or disk is full": "is full", "attempt to write a readonly database": "can only be read",
             "database disk image is malformed": "is damaged", "file is not a database": "is not a database",
             "disk I/O error": "disk reported an error", "unable to open database file": "cannot be opened"}
    for error, expected in cases.items():
        assert expected in faults.describe(sqlite3.OperationalError(error), "/srv/shop.db")
    assert "is full" in faults.describe(OSError(28, "No space left on device"), "/srv/shop.db")
    faults.log(RuntimeError("boom"), "postgresql://shop:pw@db/w")
    log = (tmp_path / "workshop.log").read_text()
    assert "RuntimeError: boom" in log and ":pw@" not in log
    assert oct((tmp_path / "workshop.log").stat().st_mode & 0o777) == "0o600"
