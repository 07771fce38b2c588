"""Writer processes take turns in the order they arrived (models/write_queue.py), with real processes."""
import subprocess
import sys
import textwrap
import time

import pytest

from models.write_queue import WriteQueue

WAITER = textwrap.dedent("""
    import sys
    from models.write_queue import WriteQueue
    queue = WriteQueue(sys.argv[1])
    queue.enter()
    with open(sys.argv[2], "a") as log:
        log.write(sys.argv[3] + "\\n")
    queue.leave()
""")


def _wait_for_tickets(queue: WriteQueue, count: int) -> None:
    for _ in range(2000):  # bounded: up to ~20 s on a very slow machine
        if queue.tickets_taken() >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"only {queue.tickets_taken()} tickets taken, expected {count}")


@pytest.mark.slow
def test_waiting_writers_go_first_come_first_served(tmp_path):
    path, log = str(tmp_path / "shop.db.write-lock"), tmp_path / "order.log"
    holder = WriteQueue(path)
    holder.enter()  # this process writes; five others arrive one after another and wait
    names = ["first", "second", "third", "fourth", "fifth"]
    waiters = []
    for i, name in enumerate(names):
        waiters.append(subprocess.Popen([sys.executable, "-c", WAITER, path, str(log), name]))
        _wait_for_tickets(holder, i + 2)  # this one holds its ticket before the next one starts
    holder.leave()
    for proc in waiters:
        assert proc.wait(timeout=60) == 0
    assert log.read_text().split() == names


@pytest.mark.slow
def test_a_writer_that_dies_in_line_does_not_block_the_queue(tmp_path):
    path, log = str(tmp_path / "shop.db.write-lock"), tmp_path / "order.log"
    holder = WriteQueue(path)
    holder.enter()
    doomed = subprocess.Popen([sys.executable, "-c", WAITER, path, str(log), "doomed"])
    _wait_for_tickets(holder, 2)
    after = subprocess.Popen([sys.executable, "-c", WAITER, path, str(log), "after"])
    _wait_for_tickets(holder, 3)
    doomed.kill()
    doomed.wait(timeout=60)
    holder.leave()
    assert after.wait(timeout=60) == 0
    assert log.read_text().split() == ["after"]
