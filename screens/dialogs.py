"""Dialogs shared by screens: the forms every screen asks with (a reason, a code, a quantity), and a
yes/no question."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens import forms
from screens.forms import FormDialog
from workshop.i18n import N_, _


def reason_form(title: str, *, name: str = "reason", label: str | None = None, value: str = "",
                placeholder: str = "", max_length: int = 200, required: bool = True,
                intro: Text | str | None = None) -> FormDialog:
    """A form of one line of text: the reason for a cancel, a void, a refund; a code; a note."""
    return FormDialog(title, [forms.text(name, label or _("Reason"), value=value, placeholder=placeholder,
                                         max_length=max_length, required=required)], intro=intro)


def quantity_field(name: str, label: str, *, maximum, value=None, places: int = 2, hint: str = "") -> forms.Field:
    """A quantity of a part: above zero, at most ``maximum``."""
    return forms.number(name, label, value=value, minimum="0.01" if places else 1, maximum=maximum, places=places,
                        also=("qty",), hint=hint)


class YesNo(ModalScreen[bool]):
    """A question answered with y (or Enter) and n (or Esc). ``question`` is Text or Content, so stored
    text in it (names, plates) shows as typed."""

    DEFAULT_CSS = """
    YesNo { align: center middle; }
    YesNo > Vertical { width: 70; max-width: 95%; height: auto; padding: 1 2;
                       border: thick $warning; background: $panel; }
    """
    BINDINGS = [Binding("y,enter", "answer(True)", N_("Yes")), Binding("n,escape", "answer(False)", N_("No"))]

    def __init__(self, question):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question)
            yield Label(_("y or Enter: yes · n or Esc: no"), classes="muted")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
