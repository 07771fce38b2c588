"""Searches run off the UI thread, so that typing is never held up by a query.

A search box calls ``request()`` on each change: after a short pause without a key (the debounce) the
search runs in a thread worker, on a database connection of its own (Peewee keeps one per thread;
see FIELD-NOTES.md), and its answer is shown only if no later search was asked for meanwhile (the
latest query wins). Enter calls ``now()``: no pause. The screen stays usable while a search runs.
"""
from __future__ import annotations

from typing import Any, Callable

from textual.dom import DOMNode
from textual.timer import Timer

from models.db import own_connection
from workshop import faults
from workshop.errors import DomainError

DEBOUNCE_S = 0.15  # a typist's gap between keys is shorter: one search per pause, not one per key


class LiveSearch:
    """The search behind one box of ``owner`` (a screen): ``fetch(*args)`` runs in a worker thread and
    returns the answer; ``show(answer)`` runs on the UI thread with the latest answer; a refusal
    (DomainError) goes to ``refused(error)``, by default a notification."""

    def __init__(self, owner: DOMNode, fetch: Callable[..., Any], show: Callable[[Any], None], *,
                 refused: Callable[[DomainError], None] | None = None, delay: float = DEBOUNCE_S):
        self.owner = owner
        self.fetch = fetch
        self.show = show
        self.refused = refused or (lambda error: owner.notify(str(error), severity="error"))
        self.delay = delay
        self.asked = 0      # number of the latest search asked for
        self.running = 0    # searches started and not answered yet
        self._timer: Timer | None = None

    def request(self, *args) -> None:
        """Search for ``args`` once typing pauses."""
        asked = self._ask()
        self._timer = self.owner.set_timer(self.delay, lambda: self._start(asked, args))

    def now(self, *args) -> None:
        """Search for ``args`` at once (Enter, a reload)."""
        self._start(self._ask(), args)

    def cancel(self) -> None:
        """Forget the searches asked for so far (the box was emptied: the screen shows its list)."""
        self._ask()

    @property
    def busy(self) -> bool:
        """A search is asked for or running and its answer is not shown yet."""
        return self._timer is not None or self.running > 0

    def _ask(self) -> int:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.asked += 1
        return self.asked

    def _start(self, asked: int, args: tuple) -> None:
        if asked != self.asked:
            return
        self._timer = None
        self.running += 1
        self.owner.run_worker(lambda: self._work(asked, args), thread=True, exit_on_error=False,
                              group="live-search", description="search")

    def _work(self, asked: int, args: tuple) -> None:
        """In the worker thread."""
        try:
            with own_connection():
                answer = self.fetch(*args)
        except DomainError as error:
            answer = error
        except Exception as error:  # a fault (the database unreachable...): said in words, not raised
            faults.log(error, "a search failed")
            answer = DomainError(faults.describe(error))  # one plain sentence; the details in the log
        try:
            self.owner.app.call_from_thread(self._deliver, asked, answer)
        except RuntimeError:  # the app is closing
            pass

    def _deliver(self, asked: int, answer) -> None:
        self.running -= 1
        if asked != self.asked:
            return  # a later search is on its way: this answer is out of date
        if isinstance(answer, DomainError):
            self.refused(answer)
        else:
            self.show(answer)
