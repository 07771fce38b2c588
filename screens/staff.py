"""The manager's staff screen: who works here, their roles; add staff, set roles, reset PINs."""
from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input

from models.people import ROLE_LABELS, ROLES, TRADE_LABELS, TRADES
from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.language import TERMINAL, language_name
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells
from workshop import accounts
from workshop.i18n import LANGUAGES, N_, _, join, label


def _role_options():
    return [(label(ROLE_LABELS, role), role) for role in ROLES]


def _trade_options():
    return [(label(TRADE_LABELS, trade), trade) for trade in TRADES]


def staff_form() -> FormDialog:
    """Name, login, roles, trade for technicians, first PIN."""
    return FormDialog(_("New staff member"), [
        forms.text("name", _("Name"), placeholder=_("e.g. Li Wei"), max_length=60),
        forms.text("login", _("Login"), placeholder=_("e.g. li.wei"), max_length=32),
        forms.choices("roles", _("Roles"), _role_options()),
        forms.choice("trade", _("Trade"), _trade_options(), required=False, placeholder=_("technicians only")),
        forms.text("pin", _("First PIN"), password=True, max_length=8, placeholder=_("4-8 digits")),
    ], submit_label=_("Add"))


class StaffScreen(Acting, KeptScreen):
    BINDINGS = [Binding("a", "add", N_("Add staff")), Binding("r", "roles", N_("Set roles")),
                Binding("p", "reset_pin", N_("Reset PIN")), Binding("u", "lift_lockout", N_("Lift lockout")),
                Binding("x", "toggle_active", N_("Activate/deactivate")), Binding("l", "language", N_("Language")),
                Binding("g", "badge", N_("Badge")), Binding("slash", "search", N_("Search")),
                Binding("escape", "app.pop_screen", N_("Board"))]
    PERMISSIONS = dict.fromkeys(("add", "roles", "reset_pin", "lift_lockout", "toggle_active", "language", "badge"),
                                "manage_staff")
    DEFAULT_CSS = """
    StaffScreen #staff-search { border: none; height: 1; margin: 0 1; padding: 0 1; background: $boost; }
    StaffScreen DataTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.people: list[accounts.StaffRow] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("/ search by name or login"), id="staff-search")
        yield Table(id="staff", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Staff")
        self.query_one("#staff", DataTable).add_columns(_("Name"), _("Login"), _("Roles"), _("Trade"), _("Status"),
                                                        _("Language"), _("Badge"))
        self.reload()
        self.query_one("#staff").focus()

    def reload(self) -> None:
        self.people = accounts.staff_rows(search=self.query_one("#staff-search", Input).value)
        table = self.query_one("#staff", DataTable)
        row = table.cursor_row
        table.clear()
        for s in self.people:
            status = _("active") if s.active else _("inactive")
            if s.held:
                status += ", " + _("{n} wrong PINs: held").format(n=s.wrong_pins)
            table.add_row(*cells(s.name, s.login, join(label(ROLE_LABELS, r) for r in s.roles),
                                 label(TRADE_LABELS, s.trade), status, language_name(s.language), s.badge or "—"))
        if self.people:
            table.move_cursor(row=min(row, len(self.people) - 1))

    def refresh_from_changes(self, changes) -> None:
        self.reload()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def _selected(self) -> accounts.StaffRow | None:
        if not self.people:
            return None
        return self.people[min(self.query_one("#staff", DataTable).cursor_row, len(self.people) - 1)]

    def action_search(self) -> None:
        self.query_one("#staff-search").focus()

    @on(Input.Submitted, "#staff-search")
    def searched(self) -> None:
        self.reload()
        self.query_one("#staff").focus()

    def action_add(self) -> None:
        self.ask(staff_form(), lambda v: partial(accounts.add_staff, v["login"], v["name"], v["roles"], v["pin"],
                                                 trade=v["trade"]),
                 success=lambda staff: _("{name} added: they sign in with the PIN you gave.").format(name=staff.name))

    def action_roles(self) -> None:
        person = self._selected()
        if person is None:
            return
        form = FormDialog(_("Roles of {name}").format(name=person.name), [
            forms.choices("roles", _("Roles"), _role_options(), value=person.roles),
            forms.choice("trade", _("Trade"), _trade_options(), value=person.trade, required=False,
                         placeholder=_("technicians only")),
        ], submit_label=_("Set roles"))
        self.ask(form, lambda v: partial(accounts.set_roles, person.id, v["roles"], trade=v["trade"]),
                 success=_("{name}: roles set.").format(name=person.name))

    def action_reset_pin(self) -> None:
        person = self._selected()
        if person is None:
            return
        form = FormDialog(_("New PIN for {name}").format(name=person.name), [
            forms.text("pin", _("PIN"), password=True, max_length=8, placeholder=_("4-8 digits"))],
            submit_label=_("Reset PIN"))
        self.ask(form, lambda v: partial(accounts.reset_pin, person.id, v["pin"]),
                 success=_("PIN of {name} reset; lockout lifted.").format(name=person.name))

    def action_language(self) -> None:
        """The language the selected person reads, on every terminal they sign in at."""
        person = self._selected()
        if person is None:
            return
        # Each language is named in its own words: whoever reads this may not read the other.
        options = [(_("The terminal's language"), TERMINAL)] + [(name, code) for code, name in LANGUAGES.items()]
        form = FormDialog(_("Language of {name}").format(name=person.name), [
            forms.choice("language", _("Language"), options, value=person.language or TERMINAL)],
            submit_label=_("Save"))
        chosen: dict = {}

        def call(values: dict) -> partial:
            chosen.update(values)
            return partial(accounts.set_language, person.id, values["language"])

        self.ask(form, call, success=lambda _r: _("{name} reads {language} from their next sign-in.").format(
            name=person.name, language=language_name(chosen["language"])))

    def action_badge(self) -> None:
        """The number on the person's badge, typed with their PIN at a shop-floor terminal."""
        person = self._selected()
        if person is None:
            return
        form = FormDialog(_("Badge of {name}").format(name=person.name), [
            forms.text("badge", _("Badge number"), value=person.badge or "", required=False, max_length=16,
                       hint=_("blank: no badge"))], submit_label=_("Save"))
        self.ask(form, lambda v: partial(accounts.set_badge, person.id, v["badge"] or ""),
                 success=_("{name}: badge set.").format(name=person.name))

    def action_lift_lockout(self) -> None:
        person = self._selected()
        if person is not None:
            self.act(accounts.lift_lockout, person.id,
                     success=_("{name} may try their PIN again at every terminal.").format(name=person.name))

    def action_toggle_active(self) -> None:
        person = self._selected()
        if person is not None:
            self.act(accounts.set_roles, person.id, list(person.roles), trade=person.trade, active=not person.active,
                     success=(_("{name} deactivated.") if person.active else _("{name} activated.")).format(
                         name=person.name))
