"""Who are you? Pick your name, type your PIN. Shows the demo staff and PIN on the demo shop."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rich.cells import cell_len, set_cell_size

from models.people import ROLE_LABELS
from seeds.reference import DEMO_PIN
from screens.acting import Acting
from screens.keybar import KeyBar
from screens.text import literal, pad
from workshop import accounts
from workshop.actor import Actor
from workshop.errors import DomainError
from workshop.i18n import N_, _, join, label


def _short(roles: str, width: int = 15) -> str:
    """Roles on one line of the narrow list, in the reader's language: 'workshop supervisor, dis…'
    rather than a wrapped second line (cut by terminal cells: a Chinese character takes two)."""
    text = join(label(ROLE_LABELS, role) for role in roles.split(",") if role)
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


class SignInScreen(Acting, Screen[Actor | None]):
    CSS_PATH = "signin.tcss"
    BINDINGS = [
        Binding("escape", "back_to_list", N_("Back to names")),
        Binding("ctrl+q", "quit_app", N_("Quit"), priority=True),
    ]

    def __init__(self, message: str | None = None):
        super().__init__()
        self.message = message
        self.people: dict[int, accounts.SignInChoice] = {}
        self.picked: accounts.SignInChoice | None = None
        self.typed = ""          # the first letters of a name typed on the list (finds it)
        self.typed_at = 0.0
        self.keys_of: list[tuple[str, ...]] = []  # per option: what typing may match (name, its words, pinyin)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="signin"):
            with Vertical(id="who"):
                yield Label(_("Who are you?"), classes="title")
                yield OptionList(id="staff-list")
            with Vertical(id="pin-box"):
                yield Static("", id="picked")
                yield Input(placeholder=_("PIN"), password=True, id="pin", max_length=8, restrict=r"[0-9]*")
                yield Static("", id="sign-error", classes="error")
                yield Static("", id="hint", classes="muted")
        yield KeyBar()

    def on_mount(self) -> None:
        listed = accounts.sign_in_list(limit=500)
        self.people = {s.id: s for s in listed.people}
        options = [Option(literal(f"{pad(s.name, 18)} {_short(s.roles)}"), id=str(s.id)) for s in listed.people]
        self.query_one("#staff-list", OptionList).add_options(options)
        hint = []
        if self.message:
            hint.append(self.message)
        if listed.demo_shop:
            hint.append(_("Demo shop: every staff member's PIN is {pin}. Try Zhang Lei (dispatcher), Li Wei "
                          "(advisor), Sun Hui (QC), Hu Xin (cashier), He Ping (follow-up), Zhou Min (manager).").format(
                pin=DEMO_PIN))
        hint.append(_("Type the first letters of your name to find it; Enter picks it."))
        self.query_one("#hint", Static).update(literal("\n\n".join(hint), multiline=True))
        names = self.query_one("#staff-list", OptionList)
        from workshop.pinyin import initials
        self.keys_of = [(s.name.casefold(), *s.name.casefold().split(), initials(s.name)) for s in listed.people]
        names.focus()
        if listed.people:
            names.highlighted = 0  # the first name is lit: Enter picks it, typing finds another
        self.query_one("#pin", Input).disabled = True

    def on_key(self, event) -> None:
        """On the list of names: letters typed within a second of each other find the first name (or word
        of a name, or pinyin initials of a Chinese name) starting with them."""
        import time
        names = self.query_one("#staff-list", OptionList)
        if self.focused is not names or not event.character or not event.character.isprintable() \
                or event.character == " ":
            return
        now = time.monotonic()
        self.typed = (self.typed if now - self.typed_at < 1.0 else "") + event.character.casefold()
        self.typed_at = now
        found = next((i for i, keys in enumerate(self.keys_of) if keys[0].startswith(self.typed)), None)
        if found is None:  # no name starts so: a given name, or the pinyin initials of a Chinese name
            found = next((i for i, keys in enumerate(self.keys_of) if any(k.startswith(self.typed) for k in keys)),
                         None)
        if found is not None:
            names.highlighted = found
        event.stop()

    @on(OptionList.OptionSelected, "#staff-list")
    def pick(self, event: OptionList.OptionSelected) -> None:
        self.picked = self.people[int(event.option.id)]
        self.query_one("#picked", Static).update(literal(_("PIN for {name}:").format(name=self.picked.name)))
        pin = self.query_one("#pin", Input)
        pin.disabled = False
        pin.value = ""
        self.query_one("#sign-error", Static).update("")
        pin.focus()

    @on(Input.Submitted, "#pin")
    def submit(self, event: Input.Submitted) -> None:
        if self.picked is None or self.acting:
            return
        # (in a worker: checking a PIN hash takes a noticeable moment, the terminal goes on drawing)
        self.act(accounts.sign_in, self.picked.id, event.value, source=self.app.sign_in_source, as_staff=False,
                 form=self, then=self.dismiss)

    # --- the PIN box as the form of the sign-in (screens/acting.py) -------------------------------------
    def working(self, busy: bool) -> None:
        self.query_one("#sign-error", Static).update(_("Checking…") if busy else "")

    def show_refusal(self, error: DomainError) -> None:
        self.query_one("#sign-error", Static).update(literal(str(error)))
        self.query_one("#pin", Input).value = ""  # a PIN is typed again, never kept

    def accepted(self, result) -> None:
        pass

    def action_back_to_list(self) -> None:
        self.query_one("#pin", Input).value = ""
        self.query_one("#pin", Input).disabled = True
        self.query_one("#staff-list", OptionList).focus()

    def action_quit_app(self) -> None:
        self.app.exit()
