"""Sign-in at a shared shop-floor terminal: the number on your badge, then your PIN (no list of names on a
screen everyone walks past). The same back-offs as any sign-in (workshop/accounts.py)."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Static

from screens.acting import Acting
from screens.keybar import KeyBar
from screens.text import literal
from seeds.reference import DEMO_PIN
from workshop import accounts
from workshop.actor import Actor
from workshop.errors import DomainError
from workshop.i18n import N_, _


class BadgeSignInScreen(Acting, Screen[Actor | None]):
    CSS_PATH = "badge_signin.tcss"
    BINDINGS = [
        Binding("escape", "start_over", N_("Start over")),
        Binding("ctrl+q", "quit_app", N_("Quit"), priority=True),
    ]

    def __init__(self, message: str | None = None):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="badge-box"):
            yield Label(_("Shop floor · sign in"), classes="title")
            yield Label(_("Badge number"))
            yield Input(id="badge", max_length=16, restrict=r"[0-9A-Za-z]*")
            yield Label(_("PIN"))
            yield Input(id="pin", password=True, max_length=8, restrict=r"[0-9]*")
            yield Static("", id="sign-error", classes="error")
            yield Static("", id="hint", classes="muted")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Shop floor")
        hint = [self.message] if self.message else []
        badges = accounts.demo_badges()
        if badges:
            hint.append(_("Demo shop: badges {badges}; every PIN is {pin}.").format(
                badges=", ".join(f"{badge} {name}" for name, badge in badges), pin=DEMO_PIN))
        self.query_one("#hint", Static).update(literal("\n\n".join(hint), multiline=True))
        self.query_one("#badge", Input).focus()

    @on(Input.Submitted, "#badge")
    def badge_entered(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def submit(self, event: Input.Submitted) -> None:
        badge = self.query_one("#badge", Input).value
        if self.acting or not event.value:
            return
        if not badge.strip():
            self.query_one("#badge", Input).focus()
            return
        # (in a worker: checking a PIN hash takes a noticeable moment)
        self.act(accounts.sign_in_badge, badge, event.value, source=self.app.sign_in_source, as_staff=False,
                 form=self, then=self.dismiss)

    # --- the two boxes as the form of the sign-in (screens/acting.py) -------------------------------------
    def working(self, busy: bool) -> None:
        self.query_one("#sign-error", Static).update(_("Checking…") if busy else "")

    def show_refusal(self, error: DomainError) -> None:
        self.query_one("#sign-error", Static).update(literal(str(error)))
        pin = self.query_one("#pin", Input)
        pin.value = ""  # a PIN is typed again, never kept
        if getattr(error, "field", None) == "badge":
            self.query_one("#badge", Input).focus()
        else:
            pin.focus()

    def accepted(self, result) -> None:
        pass

    def action_start_over(self) -> None:
        for box in self.query(Input):
            box.value = ""
        self.query_one("#sign-error", Static).update("")
        self.query_one("#badge", Input).focus()

    def action_quit_app(self) -> None:
        self.app.exit()
