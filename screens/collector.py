"""Garbage collection tuned for a terminal that must answer every key at once.

Textual allocates tens of thousands of objects a frame. With Python's defaults a full collection
(40-110 ms, measured) paused a screen every few seconds of use; left to larger thresholds, the middle
generation grew to hundreds of thousands of objects and its collection paused a terminal for 370 ms
after ~400 screen opens on the large shop. So:

- the start runs with no collection at all (workshop/cli.py turns it off), then what is alive once the
  terminal has settled in (code, the board) is frozen: it lives as long as the terminal and is left
  out of every pass;
- young collections run every 15,000 net allocations: 5-20 ms each, against 20-90 ms every 50,000
  (bench/long_use.py on the large shop: 62 young collections of at most 18 ms in 150 opens, against
  7 of up to 88 ms; a little more collecting in all, and no pause a user can feel);
- the middle generation is collected after every fifth young collection, so it never holds more
  than a few collections' survivors (10-80 ms; after twenty, 430-500 ms), and also in pauses of
  typing: after a second without a key, as soon as a young collection promoted anything;
- a full collection (0.2-0.5 s on the large shop) runs only after a minute without a key.

``WORKSHOP_GC_LOG=path`` appends one line per collection (start time, generation, pause, objects
freed): bench/long_use.py reads it to tell pauses during work from those in idle time.

All of this was measured on CPython 3.11-3.13 and their three generations; CPython 3.14 collects
incrementally with two, and other interpreters differ again. There (``applies()`` is False) the
collector is left as Python sets it, only switched back on after the start.
"""
from __future__ import annotations

import gc
import os
import platform
import sys
import time

THRESHOLDS = (15_000, 5, 1_000_000)  # young, middle; the third leaves full collections to idle time
IDLE_COLLECT_AFTER_S = 1  # nobody typed for this long: collect what the young collections promoted
IDLE_FULL_COLLECT_AFTER_S = 60  # ... for this long: a full collection too (0.2-0.5 s)


def applies() -> bool:
    """Whether this policy was measured on this interpreter (CPython up to 3.13)."""
    return platform.python_implementation() == "CPython" and sys.version_info < (3, 14)


def settle() -> None:
    """The terminal has settled in: freeze what is alive, then collect with the tuned thresholds."""
    if not applies():
        gc.enable()  # (workshop/cli.py turned it off for the start)
        return
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    _start_log(os.environ.get("WORKSHOP_GC_LOG"))
    gc.enable()


def collect_if_idle(idle_s: float) -> float | None:
    """If nobody typed for a while, collect the generation young collections promoted into (what
    became garbage soon after it was promoted: small and quick); after a longer while, everything.
    Returns in how many seconds to ask again (None: nothing is owed until the next activity)."""
    if not applies():
        return None
    _, promoted, older = gc.get_count()
    if older and idle_s >= IDLE_FULL_COLLECT_AFTER_S:
        gc.collect(2)
        return None
    if promoted and idle_s >= IDLE_COLLECT_AFTER_S:
        gc.collect(1)
        promoted, older = 0, older + 1
    if older or promoted:
        after = IDLE_COLLECT_AFTER_S if idle_s < IDLE_COLLECT_AFTER_S else IDLE_FULL_COLLECT_AFTER_S
        return after - idle_s
    return None


def _start_log(path: str | None) -> None:
    if not path or any(getattr(cb, "workshop_log", False) for cb in gc.callbacks):
        return
    log = open(path, "a", buffering=1)  # noqa: SIM115 (open for the life of the process)
    started = [0.0]

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.monotonic()
        else:
            pause_ms = (time.monotonic() - started[0]) * 1000
            log.write(f"{started[0]:.3f} {info['generation']} {pause_ms:.1f} {info['collected']}\n")

    on_collection.workshop_log = True
    gc.callbacks.append(on_collection)
