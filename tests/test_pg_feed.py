"""PostgreSQL's change feed: read in commit order (never passing an event that commits late) and woken by
LISTEN/NOTIFY from a thread of its own, which reconnects when its connection is lost."""
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from models.db import db
from workshop.feed import ChangeFeed

pytestmark = pytest.mark.postgres_only  # SQLite's watcher and feed: tests/test_feed.py

ROOT = Path(__file__).resolve().parents[1]


def _connection(db_path):
    import psycopg
    return psycopg.connect(str(db_path))


def _insert_event(connection, summary: str) -> int:
    return connection.execute(
        "INSERT INTO event (at, kind, entity, entity_id, summary) VALUES (now(), 'note', 'test', 0, %s) "
        "RETURNING id", (summary,)).fetchone()[0]


def test_an_event_committed_after_a_later_one_is_still_read(shop, db_path):
    from workshop.pg_feed import CommitOrderFeed
    feed, by_id = CommitOrderFeed(), ChangeFeed()
    early, late = _connection(db_path), _connection(db_path)  # two terminals' transactions
    try:
        early_id = _insert_event(early, "early")     # takes the smaller id, commits last
        late_id = _insert_event(late, "late")
        late.commit()
        assert early_id < late_id
        assert feed.catch_up().last_event_id == late_id
        by_id.catch_up()                              # reading by id has now passed early_id ...
        early.commit()
        changes = feed.catch_up()
        assert changes.kinds == {"note"} and changes.last_event_id == late_id  # ... the feed has not
        assert feed.catch_up().kinds == set()         # and reads it once only
        assert by_id.catch_up().kinds == set()        # (what "id > last seen" would have missed)
    finally:
        early.close()
        late.close()


def test_watcher_wakes_on_another_process_commit_and_the_feed_names_the_order(shop, db_path):
    from workshop.pg_feed import CommitOrderFeed, NotifyWatcher
    order = shop.dispatched()
    feed = CommitOrderFeed()
    woken = threading.Event()
    watcher = NotifyWatcher(woken.set, wait_s=0.1)
    assert watcher.start()
    try:
        script = textwrap.dedent(f"""
            from models.db import open_database
            from models.people import Staff
            from workshop import lifecycle
            open_database({str(db_path)!r})
            lifecycle.transition({order.id}, "start", by=Staff.get(Staff.login == {shop.dispatcher.login!r}))
        """)
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
        assert woken.wait(30), "no notification arrived"
        changes = feed.catch_up()
        assert changes.order_ids == {order.id} and "start" in changes.kinds
    finally:
        watcher.stop()


def test_watcher_reconnects_after_losing_its_connection_and_wakes_to_read(shop, db_path, monkeypatch):
    from workshop.pg_feed import NotifyWatcher
    monkeypatch.setattr(NotifyWatcher, "RECONNECT_AFTER_S", (0.05,))
    woken = threading.Event()
    watcher = NotifyWatcher(woken.set, wait_s=0.1)
    watcher.start()
    try:
        assert db.execute_sql("SELECT pg_terminate_backend(%s)", (watcher.backend_pid,)).fetchone()[0]
        assert woken.wait(30), "the watcher did not come back"
        assert watcher.connections == 2
        woken.clear()
        other = _connection(db_path)
        _insert_event(other, "after the reconnect")
        other.commit()
        other.close()
        assert woken.wait(30), "no notification after the reconnect"
    finally:
        watcher.stop()


def test_a_terminal_further_behind_than_the_feed_keeps_reloads_instead_of_patching(shop, db_path):
    from workshop.pg_feed import CommitOrderFeed
    feed = CommitOrderFeed()
    other = _connection(db_path)
    for n in range(3):
        _insert_event(other, f"change {n}")
        other.commit()
    other.close()
    # The feed keeps its last 100,000 positions: pretend this terminal slept through more than that.
    db.execute_sql("DELETE FROM event_feed WHERE position <= %s", (feed.position + 1,))
    changes = feed.catch_up()
    assert changes.overflow  # the screens reload everything rather than miss the dropped change
    assert not feed.catch_up()


def test_an_idle_terminal_is_not_woken(shop):
    from workshop.pg_feed import NotifyWatcher
    watcher = NotifyWatcher(lambda: None)
    watcher.start()
    try:
        shop.dispatched()                    # commits: a wake-up each
        deadline = threading.Event()
        for _ in range(100):
            if watcher.wakes >= 2:
                break
            deadline.wait(0.05)
        woken = watcher.wakes
        assert woken >= 1
        deadline.wait(3.0)                   # three seconds of nobody doing anything
        assert watcher.wakes == woken
    finally:
        watcher.stop()
