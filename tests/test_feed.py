"""The change watcher: a terminal hears of another process's commit without polling its event loop."""
import subprocess
import sys
import threading
import textwrap
from pathlib import Path

from models.db import db
from workshop.feed import ChangeFeed, ChangeWatcher

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
