"""Choosing the language a staff member reads: their own (command palette) or anyone's (Staff screen)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workshop.i18n import LANGUAGES, N_, _

TERMINAL = ""  # the answer for "the terminal's own language" (the environment's: LANG and friends)


def language_name(code: str | None) -> str:
    """How a language preference reads in a list: its own name, or the terminal's."""
    return LANGUAGES.get(code or "", _("terminal's language"))


class LanguageChoice(ModalScreen[str | None]):
    """Pick a language: answers its code, TERMINAL for the terminal's own, or None (Esc)."""

    DEFAULT_CSS = """
    LanguageChoice { align: center middle; }
    LanguageChoice > Vertical { width: 44; max-width: 95%; height: auto; padding: 0 1;
                                border: thick $accent; background: $panel; }
    LanguageChoice OptionList { height: auto; max-height: 8; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, current: str | None):
        super().__init__()
        self.title_text = title
        self.current = current or TERMINAL

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            # Each language is named in its own words: whoever reads this may not read the other.
            choices = [(TERMINAL, _("The terminal's language"))] + [(code, name) for code, name in LANGUAGES.items()]
            yield OptionList(*[Option(name, id=code or "terminal") for code, name in choices])

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = next((i for i in range(options.option_count)
                                    if (options.get_option_at_index(i).id or "") == (self.current or "terminal")), 0)
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(TERMINAL if event.option.id == "terminal" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
