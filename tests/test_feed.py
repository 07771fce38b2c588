"""The change watcher: a terminal hears of another process's commit without polling its event loop."""
import subprocess
import sys
import threading
import textwrap
from pathlib import Path

import pytest

from models.db import db
from workshop.feed import ChangeFeed, ChangeWatcher

pytestmark = pytest.mark.sqlite_only  # PostgreSQL's watcher and feed: tests/test_pg_feed.py

ROOT = Path(__file__).resolve().parents[1]


def test_watcher_wakes_on_another_process_commit_and_the_feed_names_the_order(shop, db_path):
    order = shop.dispatched()
    feed = ChangeFeed()
    woken = threading.Event()
    watcher = ChangeWatcher(woken.set, interval=0.01)
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
        assert woken.wait(30), "the watcher never noticed the commit"
        changes = feed.catch_up()
        assert changes.order_ids == {order.id} and "start" in changes.kinds
    finally:
        watcher.stop()


def test_watcher_declines_an_in_memory_database(shop):
    from peewee import SqliteDatabase
    real = db.obj
    db.initialize(SqliteDatabase(":memory:"))
    try:
        assert ChangeWatcher(lambda: None).start() is False  # the app falls back to polling the feed
    finally:
        db.initialize(real)


def test_watcher_checkpoints_the_wal_after_commits_so_writers_need_not(shop, db_path, monkeypatch):
    from models.db import DatabaseWatch, leave_checkpoints_to_watch
    from workshop import feed, lifecycle
    monkeypatch.setattr(feed, "CHECKPOINT_EVERY_S", 0.0)
    monkeypatch.setattr(feed, "CHECKPOINT_FROM_BYTES", 0)
    done = []

    def checkpoint(self):
        busy, log, copied = self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        done.append((log, copied))
    monkeypatch.setattr(DatabaseWatch, "checkpoint", checkpoint)
    leave_checkpoints_to_watch()  # this connection commits without checkpointing, as the app's does
    order = shop.dispatched()
    watcher = ChangeWatcher(lambda: None, interval=0.01)
    assert watcher.start()
    try:
        lifecycle.transition(order.id, "start", by=shop.dispatcher)
        deadline = threading.Event()
        for _ in range(3000):
            if done and done[-1][0] > 0 and done[-1][0] == done[-1][1]:
                break
            deadline.wait(0.01)
        assert done and done[-1][0] > 0 and done[-1][0] == done[-1][1]  # every frame copied to the file
    finally:
        watcher.stop()


def test_an_idle_watcher_sleeps_until_the_log_is_written_then_hears_each_commit(shop, db_path, monkeypatch):
    """No commit, no wake-up (an idle terminal costs nothing); each commit another process makes wakes it."""
    import time

    from workshop import feed
    monkeypatch.setattr(feed, "SAFETY_POLL_S", 3600.0)  # only the log being written can wake it
    order = shop.dispatched()
    heard = []
    watcher = ChangeWatcher(lambda: heard.append(time.monotonic()), interval=3600.0)
    assert watcher.start()
    try:
        assert watcher.inotify
        time.sleep(1.0)
        assert watcher.wakes == 0 and heard == []  # a second of nobody committing: not one wake-up
        script = textwrap.dedent(f"""
            import time
            from models.db import open_database
            from models.people import Staff
            from workshop import lifecycle
            open_database({str(db_path)!r})
            who = Staff.get(Staff.login == {shop.dispatcher.login!r})
            for step in ["start", "stop", "start"]:
                lifecycle.transition({order.id}, step, by=who)
                time.sleep(0.3)
        """)
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
        for _ in range(500):
            if len(heard) >= 3:
                break
            time.sleep(0.01)
        assert len(heard) == 3  # three commits 0.3 s apart: three wake-ups that found a change
    finally:
        watcher.stop()


def test_a_watcher_without_inotify_asks_at_its_interval(shop, db_path, monkeypatch):
    from workshop import feed
    monkeypatch.setattr(feed.FileWatch, "open", classmethod(lambda cls, path: None))
    order = shop.dispatched()
    woken = threading.Event()
    watcher = ChangeWatcher(woken.set, interval=0.01)
    assert watcher.start()
    try:
        assert watcher.inotify is False
        from workshop import lifecycle
        lifecycle.transition(order.id, "start", by=shop.dispatcher)
        assert woken.wait(10)
    finally:
        watcher.stop()
