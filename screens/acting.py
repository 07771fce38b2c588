"""One way for a screen to act: ``Acting``, mixed into every screen and dialog that calls a service.

It holds what a screen would otherwise write again and again:

- ``PERMISSIONS``, the action -> permission map: ``check_action`` hides the keys the signed-in role may
  not use (the key bar shows only the others), and ``offers`` lets a screen hide keys that make no
  sense where the user is (another tab);
- ``act(service, *args, **kwargs)``: the service runs in a thread worker with its own database
  connection (Peewee keeps one per thread), so the terminal never waits on a write; the acting staff
  member is passed as ``by=``; the result comes back to the UI thread, which reads the change feed
  (``app.catch_up``) so that every screen shows the change at once, then says what happened;
- a refusal (``DomainError``) is shown where the user is looking: beside the field it names in the form
  that is open (the form keeps every value), else as a notification; any other failure is a plain
  message, never a traceback;
- ``ask(form, call)``: a form whose submit runs a service call, staying open until the service accepts;
- ``@in_turn`` on an action that depends on what the previous one changed (moving a card twice):
  pressed while a write is still running, it runs once that write is done and shown.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Protocol

from models.db import own_connection
from workshop import faults
from workshop.errors import DomainError, StaleOrder
from workshop.permissions import can


class Answering(Protocol):
    """What an open form does while its submit is worked on (screens/forms.py; reception)."""

    def working(self, busy: bool) -> None: ...
    def show_refusal(self, error: DomainError) -> None: ...
    def accepted(self, result: Any) -> None: ...


@dataclass(frozen=True)
class Outcome:
    result: Any = None
    error: DomainError | None = None   # refused: a message for the user
    fault: BaseException | None = None  # failed: the database or a bug


def in_turn(action: Callable) -> Callable:
    """An action that must see what the previous write changed: if a write of this screen is still
    running, it waits for it (and for the board to show it) instead of acting on what was shown."""

    @functools.wraps(action)
    def run(self, *args):
        if self.acting:
            self.waiting.append(functools.partial(run, self, *args))
            return None
        return action(self, *args)

    return run


class Acting:
    """Mixed into a Screen (``class PartsScreen(Acting, Screen)``)."""

    # action name -> permission (workshop.permissions) the signed-in member needs for it
    PERMISSIONS: ClassVar[dict[str, str]] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.acting = 0  # writes of this screen still running
        self.waiting: list[Callable] = []  # actions pressed meanwhile (@in_turn), run when they are done
        self.writing: set[int] = set()  # the orders those writes are about (their changes are this terminal's)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = self.PERMISSIONS.get(action)
        if needed is not None and not can(self.app.staff, needed):
            return False
        return self.offers(action, parameters)

    def offers(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Whether an action the role may take makes sense here now (e.g. on this tab)."""
        return True

    # --- acting -------------------------------------------------------------------------------------
    def act(self, service: Callable, *args, success: str | Callable[[Any], str] | None = None,
            then: Callable[[Any], None] | None = None, form: Answering | None = None,
            as_staff: bool = True, about: int | None = None, **kwargs) -> None:
        """Call ``service(*args, by=<signed-in member>, **kwargs)`` in a worker thread. On success:
        ``success`` (a message, or a function of the result giving one) is shown and ``then(result)``
        runs on the UI thread. A refusal goes to ``form`` if one is open, else to a notification.
        ``about``: the order the write changes (while it runs, a change of it is this terminal's own)."""
        if as_staff:
            kwargs["by"] = self.app.staff
        self.acting += 1
        if about is not None:
            self.writing.add(about)
        if form is not None:
            form.working(True)

        def call() -> Outcome:
            try:
                with own_connection():
                    return Outcome(result=service(*args, **kwargs))
            except DomainError as error:
                return Outcome(error=error)
            except Exception as fault:  # the database failed under us, or a bug: said, logged, survived
                faults.log(fault, f"{getattr(service, '__qualname__', service)} failed")  # the user's log file
                return Outcome(fault=fault)

        def work() -> None:
            outcome = call()
            try:
                self.app.call_from_thread(self._acted, outcome, success, then, form)
            except RuntimeError:  # the app closed meanwhile: the change is saved, nobody is looking
                pass

        self.app.run_worker(work, thread=True, group="acts", exit_on_error=False,
                            description=getattr(service, "__name__", "service"))

    def _acted(self, outcome: Outcome, success, then, form: Answering | None) -> None:
        self.acting -= 1
        if outcome.error is None and outcome.fault is None:
            self.wrote(outcome.result)
        self.app.catch_up()  # this terminal's own change: every screen shows it now
        if not self.acting:
            self.writing.clear()
        if form is not None:
            form.working(False)
        if outcome.error is not None:
            if form is not None:
                form.show_refusal(outcome.error)
            else:
                warning = isinstance(outcome.error, StaleOrder)
                self.app.notify(str(outcome.error), severity="warning" if warning else "error", timeout=8)
            self.refused(outcome.error)
        elif outcome.fault is not None:
            text = faults.describe(outcome.fault)  # one plain sentence; the details are in the log
            if form is not None:
                form.show_refusal(DomainError(text))
            else:
                self.app.notify(text, severity="error", timeout=10)
        else:
            if form is not None:
                form.accepted(outcome.result)
            if success:
                self.app.notify(success(outcome.result) if callable(success) else success)
            if then is not None:
                then(outcome.result)
        self.after_acting()
        if not self.acting and self.waiting:
            self.call_later(self.waiting.pop(0))

    def fetch(self, read: Callable, *args, **kwargs) -> Any:
        """What a dialog about to open shows (a quick read, on the UI thread); if workshop/ says it is
        not there any more (another terminal closed it), that is said and None comes back."""
        try:
            return read(*args, **kwargs)
        except DomainError as error:
            self.app.notify(str(error), severity="warning", timeout=8)
            return None

    def wrote(self, result: Any) -> None:
        """A write was accepted; before the screens are shown its change (e.g. note its version as this
        terminal's own)."""

    def refused(self, error: DomainError) -> None:
        """After a refusal: what the screen shows again (e.g. the card another terminal changed)."""

    def after_acting(self) -> None:
        """After every write of this screen, accepted or not (e.g. read the order again)."""

    # --- forms --------------------------------------------------------------------------------------
    def ask(self, form, call: Callable[[dict], functools.partial | None], *,
            success: str | Callable[[Any], str] | None = None, then: Callable[[Any], None] | None = None,
            about: int | None = None) -> None:
        """Open ``form``; each valid submit runs ``call(values)`` (a ``functools.partial`` of a service,
        without ``by``) in a worker; the form stays open, with every value, until the service accepts."""

        def submitted(values: dict) -> None:
            partial = call(values)
            if partial is None:
                form.dismiss(values)
                return
            self.act(partial.func, *partial.args, success=success, then=then, form=form, about=about,
                     **partial.keywords)

        form.on_submit = submitted
        self.app.push_screen(form)
