"""Dispatch a car: pick a bay (with its free places) and technicians (with their current load)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from workshop import clock
from workshop.board import Card
from workshop.dispatch import bay_loads, technician_loads


def idle_text(load) -> str:
    if load.clocked_on:
        return f"on {load.clocked_on}"
    if load.idle_since is None:
        return "idle"
    minutes = int((clock.now() - load.idle_since).total_seconds() // 60)
    return f"idle {minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"idle {minutes}m"


class DispatchScreen(ModalScreen[tuple[int, list[int]] | None]):
    DEFAULT_CSS = """
    DispatchScreen { align: center middle; }
    DispatchScreen > Vertical { width: 90; max-width: 100%; height: auto; max-height: 100%;
                                border: thick $accent; background: $panel; padding: 0 1; }
    DispatchScreen SelectionList { height: auto; max-height: 14; }
    DispatchScreen .error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "confirm", "Dispatch", priority=True)]

    def __init__(self, card: Card):
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        card = self.card
        bays = bay_loads()
        techs = technician_loads()
        with Vertical():
            yield Label(f"Dispatch RO {card.number} · {card.plate} · {card.model}", classes="title")
            yield Label("Bay (places free):")
            yield Select([(f"{b.bay.code:<5} {b.bay.name:<18} {b.free}/{b.bay.capacity} free"
                           + (f"  ({', '.join(map(str, b.orders))})" if b.orders else ""), b.bay.id)
                          for b in bays], value=card.bay_id if card.bay_id else Select.NULL,
                         prompt="Pick a bay", id="bay")
            yield Label("Technicians (space to pick; the first picked leads; load = open job lines):")
            yield SelectionList(*[
                Selection(f"{t.technician.name:<14} {(t.technician.trade or '').replace('_', ' '):<13} "
                          f"{t.open_lines} open · {idle_text(t)}", t.technician.id,
                          t.technician.name in card.technicians)
                for t in techs], id="techs")
            yield Static("", classes="error")
            yield Label("Ctrl+S to dispatch · Esc to cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#bay", Select).focus()

    def action_confirm(self) -> None:
        bay = self.query_one("#bay", Select).value
        techs = list(self.query_one("#techs", SelectionList).selected)
        error = self.query_one(".error", Static)
        if bay == Select.NULL or bay is None:
            error.update("Pick a bay.")
            return
        if not techs:
            error.update("Pick at least one technician (space on a name).")
            return
        self.dismiss((bay, techs))

    @on(Select.Changed, "#bay")
    def _bay_picked(self) -> None:
        self.query_one("#techs", SelectionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
