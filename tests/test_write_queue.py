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


# A writer that takes its turn, says so, and keeps it (until the test stops it with SIGSTOP and later kills it).
HOLDER = textwrap.dedent("""
    import sys, time
    from models.write_queue import WriteQueue
    queue = WriteQueue(sys.argv[1])
    queue.enter()
    print("holding", flush=True)
    time.sleep(600)
""")
# A writer with a deadline, in its main thread (a timer signal ends the kernel wait) or in a worker thread (the
# kernel wait runs in a helper): it prints what happened.
WITH_DEADLINE = textwrap.dedent("""
    import sys, threading, time
    from models.write_queue import QueueTimeout, WriteQueue
    queue = WriteQueue(sys.argv[1])
    said = []
    def write():
        now = time.monotonic()
        try:
            queue.enter(now + 1.0, lambda: said.append("waiting"), now + 0.3)
            print("entered", said, flush=True)
        except QueueTimeout:
            print("gave up", said, flush=True)
    if sys.argv[2] == "worker":
        worker = threading.Thread(target=write)
        worker.start()
        worker.join()
    else:
        write()
""")


@pytest.mark.slow
@pytest.mark.parametrize("thread", ["main", "worker"])
def test_a_writer_behind_a_stopped_one_gives_up_at_its_deadline_and_does_not_block_the_next(tmp_path, thread):
    import os
    import signal
    path, log = str(tmp_path / "shop.db.write-lock"), tmp_path / "order.log"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        os.kill(holder.pid, signal.SIGSTOP)
        waiter = subprocess.run([sys.executable, "-c", WITH_DEADLINE, path, thread], capture_output=True, text=True,
                                timeout=60)
        assert waiter.stdout.strip() == "gave up ['waiting']", waiter.stdout + waiter.stderr
        os.kill(holder.pid, signal.SIGCONT)
        holder.kill()
        holder.wait(timeout=30)
        # The one that gave up left the queue: the next writer goes at once (it is not stuck behind it).
        after = subprocess.run([sys.executable, "-c", WAITER, path, str(log), "after"], timeout=60)
        assert after.returncode == 0 and log.read_text().split() == ["after"]
    finally:
        if holder.poll() is None:
            os.kill(holder.pid, signal.SIGCONT)
            holder.kill()
            holder.wait(timeout=30)
