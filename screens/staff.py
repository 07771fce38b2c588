"""The manager's staff screen: who works here, their roles; add staff, set roles, reset PINs."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label, Static

from rich.text import Text

from models.people import ROLE_LABELS, ROLES, TRADE_LABELS, TRADES
from screens.language import LanguageChoice, language_name
from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from workshop import accounts, settings
from workshop.errors import DomainError
from workshop.i18n import N_, _, label

ROLE_HELP = ", ".join(ROLES)


class StaffForm(ModalScreen):
    """Name, login, roles (comma separated), trade for technicians, first PIN."""
    DEFAULT_CSS = """
    StaffForm { align: center middle; }
    StaffForm > Vertical { width: 76; max-width: 98%; height: auto; border: thick $accent; background: $panel;
                           padding: 0 1; }
    StaffForm Input { margin: 0; }
    StaffForm .error { color: $error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New staff member (Ctrl+S save, Esc cancel)")
            yield Input(placeholder="Name, e.g. Li Wei", id="name", max_length=60)
            yield Input(placeholder="Login, e.g. li.wei", id="login", max_length=32)
            yield Input(placeholder=f"Roles: {ROLE_HELP}", id="roles", max_length=120)
            yield Input(placeholder=f"Trade (technicians): {', '.join(TRADES)}", id="trade", max_length=20)
            yield Input(placeholder="First PIN (4-8 digits)", id="pin", password=True, max_length=8)
            yield Static("", classes="error")

    def action_save(self) -> None:
        values = {i: self.query_one(f"#{i}", Input).value.strip() for i in ("name", "login", "roles", "trade", "pin")}
        roles = [r.strip().replace(" ", "_") for r in values["roles"].split(",") if r.strip()]
        try:
            staff = accounts.add_staff(values["login"], values["name"], roles, values["pin"], by=self.app.staff,
                                       trade=values["trade"] or None)
        except DomainError as error:
            self.query_one(".error", Static).update(str(error))
            return
        self.dismiss(staff)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


class StaffScreen(KeptScreen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Board"), Binding("slash", "search", "Search"),
                Binding("a", "add", "Add staff"), Binding("r", "roles", "Set roles"),
                Binding("p", "reset_pin", "Reset PIN"), Binding("u", "lift_lockout", N_("Lift lockout")),
                Binding("x", "toggle_active", "Activate/deactivate"), Binding("l", "language", N_("Language"))]
    DEFAULT_CSS = """
    StaffScreen #staff-search { border: none; height: 1; margin: 0 1; padding: 0 1; background: $boost; }
    StaffScreen DataTable { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ search by name or login", id="staff-search")
        yield Table(id="staff", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Staff"
        self.query_one("#staff", DataTable).add_columns("Name", "Login", "Roles", "Trade", "Status", _("Language"))
        self.reload()
        self.query_one("#staff").focus()

    def reload(self) -> None:
        self.people = accounts.all_staff(search=self.query_one("#staff-search", Input).value)
        table = self.query_one("#staff", DataTable)
        row = table.cursor_row
        table.clear()
        wrong = accounts.wrong_pins()
        held_from = int(settings.get("pin_free_failures"))
        for s in self.people:
            status = "active" if s.active else "inactive"
            if wrong.get(s.id, 0) >= held_from:
                status += ", " + _("{n} wrong PINs: held").format(n=wrong[s.id])
            table.add_row(Text(s.name), s.login, ", ".join(label(ROLE_LABELS, r) for r in s.role_set),
                          label(TRADE_LABELS, s.trade), status, language_name(s.language))
        if self.people:
            table.move_cursor(row=min(row, len(self.people) - 1))

    def refresh_from_changes(self, changes) -> None:
        self.reload()

    def _selected(self):
        if not self.people:
            return None
        return self.people[min(self.query_one("#staff", DataTable).cursor_row, len(self.people) - 1)]

    def _run(self, fn, *args, success: str, **kwargs) -> None:
        try:
            fn(*args, by=self.app.staff, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
        else:
            self.notify(success)
        self.reload()

    def action_search(self) -> None:
        self.query_one("#staff-search").focus()

    @on(Input.Submitted, "#staff-search")
    def searched(self) -> None:
        self.reload()
        self.query_one("#staff").focus()

    def action_add(self) -> None:
        def done(staff) -> None:
            if staff:
                self.notify(f"{staff.name} added: they sign in with the PIN you gave.")
                self.reload()
        self.app.push_screen(StaffForm(), done)

    def action_roles(self) -> None:
        person = self._selected()
        if person is None:
            return

        def given(answer: str | None) -> None:
            if answer:
                roles_text, _sep, trade = answer.partition("/")
                roles = [r.strip().replace(" ", "_") for r in roles_text.split(",") if r.strip()]
                self._run(accounts.set_roles, person.id, roles, trade=trade.strip() or person.trade,
                          success=f"{person.name}: roles set.")
        self.app.push_screen(ConfirmText(f"Roles of {person.name} ({ROLE_HELP}); add '/ trade' for technicians",
                                         "advisor, cashier", value=person.roles.replace(",", ", "),
                                         max_length=140), given)

    def action_reset_pin(self) -> None:
        person = self._selected()
        if person is None:
            return

        def given(pin: str | None) -> None:
            if pin:
                self._run(accounts.reset_pin, person.id, pin, success=f"PIN of {person.name} reset; lockout lifted.")
        self.app.push_screen(ConfirmText(f"New PIN for {person.name} (4-8 digits)", "PIN", max_length=8), given)

    def action_language(self) -> None:
        """The language the selected person reads, on every terminal they sign in at."""
        person = self._selected()
        if person is None:
            return

        def chosen(code: str | None) -> None:
            if code is not None:
                self._run(accounts.set_language, person.id, code,
                          success=_("{name} reads {language} from their next sign-in.").format(
                              name=person.name, language=language_name(code)))
        self.app.push_screen(LanguageChoice(_("Language of {name}").format(name=person.name), person.language),
                             chosen)

    def action_lift_lockout(self) -> None:
        person = self._selected()
        if person is not None:
            self._run(accounts.lift_lockout, person.id,
                      success=_("{name} may try their PIN again at every terminal.").format(name=person.name))

    def action_toggle_active(self) -> None:
        person = self._selected()
        if person is not None:
            self._run(accounts.set_roles, person.id, list(person.role_set), trade=person.trade,
                      active=not person.active,
                      success=f"{person.name} {'deactivated' if person.active else 'activated'}.")
