"""Writers never hang on each other: a writer stopped with SIGSTOP (Ctrl+Z, a debugger) while it holds the write
lock, in a real process, holds every other terminal up for WRITE_DEADLINE_S at most. A terminal waiting past
WRITE_NOTICE_S is told so; then the action fails with a message and changes nothing."""
import importlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from models.db import db
from models.events import Event
from models.orders import RepairOrder
from tests import engines
from tests.ui import app_as, notifications, wait_until
from workshop import lifecycle
from workshop.errors import WriteBusy

dbmodule = importlib.import_module("models.db")  # the module (models.db as an attribute is the proxy)
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

# A writer of this app: it takes its turn in the queue, begins, changes the order and then, lock held, waits.
APP_WRITER = textwrap.dedent("""
    import sys, time
    from models.db import open_database, transaction
    from models.orders import RepairOrder
    open_database(sys.argv[1])
    with transaction():
        RepairOrder.update(statement="held").where(RepairOrder.id == int(sys.argv[2])).execute()
        print("holding", flush=True)
        time.sleep(600)
""")
# A writer that does not use the app's queue (the sqlite3 shell, a script): only SQLite's lock is held.
OTHER_WRITER = textwrap.dedent("""
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    time.sleep(600)
""")
# Another terminal that wants to write while the first is stopped: it must give up too, not queue forever.
SECOND_TERMINAL = textwrap.dedent("""
    import sys
    from models.db import open_database
    from models.people import Staff
    from workshop import lifecycle
    from workshop.errors import WriteBusy
    open_database(sys.argv[1])
    try:
        lifecycle.cancel(int(sys.argv[2]), "second terminal", by=Staff.get(Staff.login == "li.wei"))
        print("written")
    except WriteBusy as error:
        print("busy:", error)
""")


@pytest.fixture
def quick_deadline(monkeypatch):
    """The same rules with shorter times, so that the test does not wait 6 s per refusal."""
    monkeypatch.setattr(dbmodule, "WRITE_NOTICE_S", 0.5)
    monkeypatch.setattr(dbmodule, "WRITE_DEADLINE_S", 2.0)


@pytest.fixture
def stopped_writer(shop, db_path):
    """Start a writer holding the write lock, then stop it (SIGSTOP); continue and end it afterwards."""
    started = []

    def start(script: str = APP_WRITER, order_id: int = 0):
        writer = subprocess.Popen([sys.executable, "-c", script, str(db_path), str(order_id)], cwd=ROOT,
                                  stdout=subprocess.PIPE, text=True)
        started.append(writer)
        assert writer.stdout.readline().strip() == "holding"
        os.kill(writer.pid, signal.SIGSTOP)
        return writer

    yield start
    for writer in started:
        if writer.poll() is None:
            os.kill(writer.pid, signal.SIGCONT)
            writer.kill()
        writer.wait(timeout=30)


def _call_bounded(fn, seconds: float = 60):
    """Run ``fn`` in a thread; what it returned or raised. Fails (instead of hanging the suite) if it never
    returns: the bug this file guards against."""
    outcome = {}

    def run():
        try:
            outcome["value"] = fn()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the write never returned: it waits for the stopped writer with no bound"
    return outcome


@pytest.mark.parametrize("script", [APP_WRITER, pytest.param(OTHER_WRITER, marks=pytest.mark.sqlite_only)],
                         ids=["app writer", "sqlite3 shell"])
def test_a_stopped_writer_holds_others_up_only_until_the_deadline(shop, db_path, stopped_writer, quick_deadline,
                                                                  script):
    order = shop.order()
    events = Event.select().count()
    stopped_writer(script, order.id)
    waits = []
    dbmodule.set_wait_listener(waits.append)
    try:
        outcome = _call_bounded(lambda: lifecycle.cancel(order.id, "customer left", by=shop.advisor))
    finally:
        dbmodule.set_wait_listener(None)
    assert isinstance(outcome.get("error"), WriteBusy), outcome
    assert "Another terminal's change" in str(outcome["error"]) and "nothing was saved" in str(outcome["error"])
    assert waits[:1] == [True]  # told it was waiting, before giving up
    after = RepairOrder.get_by_id(order.id)
    assert (after.state, after.version, Event.select().count()) == ("checked_in", order.version, events)


def test_terminals_queued_behind_a_stopped_writer_all_give_up_and_write_once_it_is_gone(shop, db_path,
                                                                                         stopped_writer):
    order = shop.order()
    other = shop.order(shop.car2)
    db.close()
    writer = stopped_writer(APP_WRITER, order.id)
    seconds = [subprocess.Popen([sys.executable, "-c", SECOND_TERMINAL, str(db_path), str(o)], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True) for o in (order.id, other.id)]
    outputs = [p.communicate(timeout=90)[0] for p in seconds]
    if engines.on_postgres():  # row locks: only the terminal that needs the stopped writer's row waits
        assert outputs[0].startswith("busy: Another terminal's change") and outputs[1].strip() == "written", \
            outputs
        assert RepairOrder.get_by_id(other.id).state == "cancelled"
        other = shop.order(shop.car3)
    else:  # SQLite locks the whole database: every writer waits, and gives up
        assert all(out.startswith("busy: Another terminal's change") for out in outputs), outputs
        assert RepairOrder.get_by_id(other.id).state == "checked_in"
    os.kill(writer.pid, signal.SIGKILL)  # the stuck terminal is closed: its locks go with it
    writer.wait(timeout=30)
    retry = subprocess.run([sys.executable, "-c", SECOND_TERMINAL, str(db_path), str(other.id)], cwd=ROOT,
                           capture_output=True, text=True, timeout=90)
    assert retry.stdout.strip() == "written", retry.stdout + retry.stderr
    assert RepairOrder.get_by_id(other.id).state == "cancelled"
    assert RepairOrder.get_by_id(order.id).statement != "held"  # the stopped writer's change never committed


async def test_a_terminal_that_waits_says_so_then_fails_the_action_changing_nothing(shop, db_path, stopped_writer,
                                                                                    quick_deadline):
    order = shop.dispatched()
    events = Event.select().count()
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        stopped_writer(APP_WRITER, order.id)
        outcome = {}

        def cancel():  # a service called from a worker, as screens run them
            try:
                lifecycle.cancel(order.id, "customer left", by=shop.dispatcher)
            except WriteBusy as error:
                outcome["error"] = str(error)

        app.run_worker(cancel, thread=True)
        assert await wait_until(pilot, lambda: any("Waiting for another terminal's change" in n
                                                   for n in notifications(app)), rounds=400)
        await app.workers.wait_for_complete()
        assert "nothing was saved" in outcome["error"]
        # The same from a key on the board (start the work; the screen runs it in a worker): told it waits,
        # then the refusal, and the terminal goes on.
        waiting = sum("Waiting for another terminal's change" in n for n in notifications(app))
        await pilot.press("right", "right_square_bracket")
        await wait_until(pilot, lambda: sum("Waiting for another terminal's change" in n
                                            for n in notifications(app)) > waiting, rounds=400)
        await wait_until(pilot, lambda: any("Another terminal's change" in n for n in notifications(app)),
                         rounds=400)
        assert app.is_running
    after = RepairOrder.get_by_id(order.id)
    assert (after.state, after.version, Event.select().count()) == ("dispatched", order.version, events)
