"""Helpers for tests that drive real programs in pseudo-terminals: bounded waits, never timing assertions."""
from __future__ import annotations

import os
import select
import time


def read_until(fd: int, needle: bytes, seconds: float = 30) -> bytes:
    """Read the terminal until ``needle`` shows, the program closes it, or ``seconds`` pass."""
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and needle not in seen:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def wait_for(condition, what: str, seconds: float = 30) -> None:
    """Wait until ``condition()`` holds; fail naming ``what`` if it never does."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)
