"""Filter the board by bay, technician or advisor."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select

from models.people import Staff
from models.shop import Bay


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
        bays = [(f"{b.code} {b.name}", b.id) for b in Bay.select().where(Bay.active).order_by(Bay.code)]
        techs = [(s.name, s.name) for s in Staff.select().where(Staff.active & Staff.roles.contains("technician"))
                 .order_by(Staff.name)]
        advisors = [(s.name, s.id) for s in Staff.select().where(Staff.active & Staff.roles.contains("advisor"))
                    .order_by(Staff.name)]
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
