"""Filter the board by bay, technician or advisor."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select

from workshop.board import filter_choices


class FilterScreen(ModalScreen):
    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 60; max-width: 100%; height: auto; border: thick $accent;
                              background: $panel; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Apply", priority=True)]

    def __init__(self, current):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        choices = filter_choices()
        bays = [(f"{code} {name}", bay_id) for bay_id, code, name in choices.bays]
        techs = [(name, name) for name in choices.technicians]
        advisors = [(name, staff_id) for staff_id, name in choices.advisors]
        with Vertical():
            yield Label("Show only cards of:", classes="title")
            yield Select(bays, value=self.current.bay_id or Select.NULL, prompt="any bay", id="bay")
            yield Select(techs, value=self.current.technician or Select.NULL, prompt="any technician", id="tech")
            yield Select(advisors, value=self.current.advisor_id or Select.NULL, prompt="any advisor",
                         id="advisor")
            yield Label("Ctrl+S to apply · Esc to cancel", classes="muted")

    def action_apply(self) -> None:
        from screens.board import BoardFilter

        def value(selector):
            v = self.query_one(selector, Select).value
            return None if v == Select.NULL else v

        self.dismiss(BoardFilter(bay_id=value("#bay"), technician=value("#tech"), advisor_id=value("#advisor")))

    def action_cancel(self) -> None:
        self.dismiss(None)
