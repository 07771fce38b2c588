"""Small modal dialogs shared by screens: a question with a text answer, a yes/no confirmation."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class ConfirmText(ModalScreen[str | None]):
    """Ask for a line of text (a reason, a code); Enter confirms, Esc cancels."""

    DEFAULT_CSS = """
    ConfirmText { align: center middle; }
    ConfirmText > Vertical { width: 70; max-width: 95%; height: auto; padding: 1 2;
                             border: thick $accent; background: $panel; }
    ConfirmText .error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, placeholder: str = "", *, required: bool = True, max_length: int = 200,
                 value: str = ""):
        super().__init__()
        self.question = question
        self.placeholder = placeholder
        self.required = required
        self.max_length = max_length
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question)
            yield Input(value=self.value, placeholder=self.placeholder, max_length=self.max_length)
            yield Static("", classes="error")
            yield Label("Enter to confirm · Esc to cancel", classes="muted")

    @on(Input.Submitted)
    def confirm(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.required and not text:
            self.query_one(".error", Static).update(f"{self.placeholder or 'An answer'} is required.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class YesNo(ModalScreen[bool]):
    """A question answered with y (or Enter) and n (or Esc). ``question`` is Text or Content, so stored
    text in it (names, plates) shows as typed."""

    DEFAULT_CSS = """
    YesNo { align: center middle; }
    YesNo > Vertical { width: 70; max-width: 95%; height: auto; padding: 1 2;
                       border: thick $warning; background: $panel; }
    """
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        from workshop.i18n import _
        with Vertical():
            yield Static(self.question)
            yield Label(_("y or Enter: yes · n or Esc: no"), classes="muted")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
