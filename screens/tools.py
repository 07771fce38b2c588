"""Tools and equipment (工具设备): the register (search, paged), who has what out now, and what is due for
calibration or maintenance; taking a tool out and back, damage and loss reports, maintenance records."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Static, TabbedContent, TabPane

from models.tools import TOOL_KIND_LABELS, TOOL_RECORD_LABELS, TOOL_STATE_LABELS
from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.text import lines, literal
from workshop import clock, i18n, my_jobs, shops, tools
from workshop.dispatch import technician_loads
from workshop.i18n import N_, _, label, ngettext
from workshop.tools import ToolForm, ToolRow

COST_MAX = 999_999


def _date(value) -> str:
    return i18n.date(value) if value else "—"


def _due(row: ToolRow) -> str:
    today = clock.today()
    parts = []
    if row.calibration_due:
        parts.append(_("cal. {date}").format(date=_date(row.calibration_due)) + (" !" if row.calibration_due < today else ""))
    if row.maintenance_due:
        parts.append(_("maint. {date}").format(date=_date(row.maintenance_due))
                     + (" !" if row.maintenance_due < today else ""))
    return " · ".join(parts) or "—"


def _register_row(row: ToolRow):
    holder = row.holder + (f" · RO {row.order_number}" if row.order_number else "") if row.holder else ""
    return (row.code, row.name, label(TOOL_KIND_LABELS, row.kind), label(TOOL_STATE_LABELS, row.state), holder,
            row.location, _due(row))


def _out_row(row: ToolRow):
    return (row.code, row.name, row.holder or "", f"RO {row.order_number}" if row.order_number else "",
            row.line_name or "", row.out_at.strftime("%m-%d %H:%M") if row.out_at else "")


def _due_row(row: ToolRow):
    return (row.code, row.name, label(TOOL_STATE_LABELS, row.state), _date(row.calibration_due),
            _date(row.maintenance_due), row.location)


class ToolsScreen(Acting, KeptScreen):
    CSS_PATH = "parts.tcss"  # the same search line, tabs and paged tables as the parts screen
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("slash", "search", N_("Search")),
        Binding("o", "check_out", N_("Check out")),
        Binding("i", "check_in", N_("Tool in")),
        Binding("d", "report", N_("Damage/loss")),
        Binding("m", "maintained", N_("Maintenance done")),
        Binding("s", "send_away", N_("To maintenance"), show=False),
        Binding("a", "add", N_("Add tool")),
        Binding("e", "edit", N_("Edit"), show=False),
        Binding("h", "history", N_("History")),
        Binding("u", "operations", N_("Needed by"), show=False),
        Binding("1", "tab('register')", N_("Register"), show=False),
        Binding("2", "tab('out')", N_("Out now"), show=False),
        Binding("3", "tab('due')", N_("Due"), show=False),
    ]
    PERMISSIONS = {"check_out": "use_tools", "check_in": "use_tools", "report": "use_tools",
                   **dict.fromkeys(("maintained", "send_away", "add", "edit", "operations"), "manage_tools")}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("/ search: code, name or place"), id="search")
        with TabbedContent(initial="register"):
            with TabPane(_("Register [1]"), id="register"):
                yield PagedTable((_("Code"), _("Tool"), _("Kind"), _("State"), _("With"), _("Place"), _("Due")),
                                 _register_row, id="register-table")
            with TabPane(_("Out now [2]"), id="out"):
                yield PagedTable((_("Code"), _("Tool"), _("With"), _("RO"), _("Job"), _("Since")), _out_row,
                                 id="out-table")
            with TabPane(_("Due in 14 days [3]"), id="due"):
                yield PagedTable((_("Code"), _("Tool"), _("State"), _("Calibration"), _("Maintenance"), _("Place")),
                                 _due_row, id="due-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Tools and equipment")
        self.reload_all()
        self.query_one("#register-table").focus()

    # --- loading -------------------------------------------------------------------------------------
    def reload_all(self) -> None:
        text = self.query_one("#search", Input).value
        self.query_one("#register-table", PagedTable).load(
            lambda n, o: tools.register_list(text, limit=n, offset=o))
        self.query_one("#out-table", PagedTable).load(lambda n, o: tools.who_has_what()[o:o + n])
        self.query_one("#due-table", PagedTable).load(lambda n, o: tools.due_list(within_days=14)[o:o + n])

    def refresh_from_changes(self, changes) -> None:
        for table in self.query(PagedTable):
            table.load()

    def after_acting(self) -> None:
        self.reload_all()

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        self.set_focus(self.query_one(f"#{self.tab}-table"))

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def search(self) -> None:
        self.reload_all()
        self.action_tab("register")
        self.query_one("#register-table").focus()

    def _tool(self) -> ToolRow | None:
        row = self.query_one(f"#{self.tab}-table", PagedTable).selected
        if row is None:
            self.notify(_("No tool selected."), severity="warning")
        return row

    # --- acting --------------------------------------------------------------------------------------
    def action_check_out(self) -> None:
        if not (tool := self._tool()):
            return
        me = self.app.staff
        keeper = tools.may_keep(me)
        fields = []
        if keeper:
            techs = [(f"{t.name}", t.id) for t in technician_loads(shops.scope(self.app.staff))]
            fields.append(forms.choice("technician", _("To"), techs, value=me.id if me.id in {t for _, t in techs}
                                       else None))
            jobs = [(f"RO {j.order_number} {j.name} · {j.plate}", j.line_id) for j in my_jobs.workshop_jobs(shop=shops.scope(me))]
        else:
            jobs = [(f"RO {j.order_number} {j.name} · {j.plate}", j.line_id) for j in my_jobs.my_jobs(me.id).jobs]
        fields.append(forms.choice("line", _("For the job"), jobs, required=False,
                                   hint=_("blank: not for one job")))
        form = FormDialog(_("{code} {name} out").format(code=tool.code, name=tool.name), fields,
                          submit_label=_("Check out"))
        self.ask(form, lambda v: partial(tools.check_out, tool.code, v.get("technician") or me.id,
                                         line_id=v["line"]),
                 success=lambda code: _("{code} is out.").format(code=code))

    def action_check_in(self) -> None:
        if not (tool := self._tool()):
            return
        form = FormDialog(_("{code} {name} back").format(code=tool.code, name=tool.name), [
            forms.check("damaged", _("Damaged")),
            forms.text("note", _("What is wrong with it"), required=False, max_length=200),
        ], submit_label=_("Take back"))
        self.ask(form, lambda v: partial(tools.check_in, tool.code, damaged=v["damaged"], note=v["note"] or ""),
                 success=lambda code: _("{code} is back.").format(code=code))

    def action_report(self) -> None:
        if not (tool := self._tool()):
            return
        kinds = [(label(TOOL_RECORD_LABELS, k), k) for k in ("damage", "loss", "found")]
        form = FormDialog(_("Report on {code} {name}").format(code=tool.code, name=tool.name), [
            forms.choice("kind", _("What"), kinds, value="damage"),
            forms.text("note", _("What happened"), max_length=200),
        ], submit_label=_("Report"))
        self.ask(form, lambda v: partial(tools.report, tool.code, v["kind"], v["note"]),
                 success=lambda code: _("{code}: reported.").format(code=code))

    def action_maintained(self) -> None:
        if not (tool := self._tool()):
            return
        kinds = [(label(TOOL_RECORD_LABELS, k), k) for k in tools.MAINTENANCE_KINDS]
        form = FormDialog(_("Maintenance of {code} {name}").format(code=tool.code, name=tool.name), [
            forms.choice("kind", _("What was done"), kinds,
                         value="calibration" if tool.calibration_due else "maintenance"),
            forms.text("done_on", _("Done on"), value=i18n.date(clock.today()), max_length=10),
            forms.text("next_due", _("Next due"), required=False, max_length=10, placeholder="2027-06-30"),
            forms.number("cost", _("Cost"), required=False, maximum=COST_MAX, places=2),
            forms.text("note", _("Note"), required=False, max_length=200),
        ], submit_label=_("Record"))
        self.ask(form, lambda v: partial(tools.record_maintenance, tool.code, v["kind"], done_on=v["done_on"],
                                         next_due=v["next_due"], note=v["note"] or "", cost=v["cost"]),
                 success=lambda code: _("{code} is in use again.").format(code=code))

    def action_send_away(self) -> None:
        if not (tool := self._tool()):
            return
        form = FormDialog(_("{code} {name} to maintenance").format(code=tool.code, name=tool.name), [
            forms.text("note", _("Note"), required=False, max_length=200)], submit_label=_("Send"))
        self.ask(form, lambda v: partial(tools.send_away, tool.code, v["note"] or ""),
                 success=lambda code: _("{code} is away for maintenance.").format(code=code))

    def _tool_form(self, title: str, row: ToolRow | None) -> FormDialog:
        kinds = tools.kinds()
        fields = [] if row else [forms.text("code", _("Code"), max_length=20)]
        fields += [
            forms.text("name", _("Name"), value=row.name if row else "", max_length=100),
            forms.text("name_zh", _("Chinese name"), required=False, max_length=100),
            forms.choice("kind", _("Kind"), kinds, value=row.kind if row else "special_tool"),
            forms.text("location", _("Location"), value=row.location if row else "", required=False, max_length=40),
            forms.text("calibration_due", _("Calibration due"), required=False, max_length=10,
                       value=i18n.date(row.calibration_due) if row and row.calibration_due else ""),
            forms.text("maintenance_due", _("Maintenance due"), required=False, max_length=10,
                       value=i18n.date(row.maintenance_due) if row and row.maintenance_due else ""),
        ]
        return FormDialog(title, fields, submit_label=_("Save"))

    def action_add(self) -> None:
        form = self._tool_form(_("A new tool or piece of equipment"), None)
        self.ask(form, lambda v: partial(tools.register, ToolForm(**{k: v.get(k) or "" for k in (
            "code", "name", "name_zh", "kind", "location", "calibration_due", "maintenance_due")})),
                 success=lambda code: _("{code} is in the register.").format(code=code))

    def action_edit(self) -> None:
        if not (tool := self._tool()):
            return
        form = self._tool_form(_("{code}: change").format(code=tool.code), tool)
        self.ask(form, lambda v: partial(tools.edit, tool.code, ToolForm(code=tool.code, **{k: v.get(k) or "" for k in (
            "name", "name_zh", "kind", "location", "calibration_due", "maintenance_due")})),
                 success=lambda code: _("{code} changed.").format(code=code))

    def action_operations(self) -> None:
        """Which catalog operations need the tool: dispatch and My jobs warn when it is not ready for them."""
        if not (tool := self._tool()):
            return
        current = self.fetch(tools.operations_needing, tool.code)
        if current is None:
            return
        form = FormDialog(_("Operations that need {code} {name}").format(code=tool.code, name=tool.name), [
            forms.text("operations", _("Operation codes"), value=" ".join(current), required=False,
                       max_length=1000, hint=_("spaces between them; blank: none")),
        ], intro=literal(_("Dispatch warns when a job of one of them is dispatched while {code} is out, broken "
                           "or overdue.").format(code=tool.code)), submit_label=_("Save"))
        self.ask(form, lambda v: partial(tools.set_tool_operations, tool.code, v["operations"] or ""),
                 success=lambda codes: ngettext("{code} is needed by {count} operation.",
                                                "{code} is needed by {count} operations.",
                                                len(codes)).format(code=tool.code, count=len(codes)))

    def action_history(self) -> None:
        if not (tool := self._tool()):
            return
        rows = self.fetch(tools.history, tool.code)
        needed = self.fetch(tools.operations_needing, tool.code)
        if rows is None or needed is None:
            return
        words = {"out": _("out"), "in": _("back")}
        text = lines([_("Needed by: {operations}").format(operations=", ".join(needed) or "—")] +
                     [(f"{r.at:%Y-%m-%d %H:%M}  {words.get(r.what) or label(TOOL_RECORD_LABELS, r.what)}  {r.who}"
                       f"  {r.note}") for r in rows] or [_("Nothing recorded yet.")])
        self.app.push_screen(HistoryDialog(_("{code} {name}").format(code=tool.code, name=tool.name), text))


class HistoryDialog(ModalScreen[None]):
    """A tool's history, newest first; Esc or Enter closes it."""

    DEFAULT_CSS = """
    HistoryDialog { align: center middle; }
    HistoryDialog > VerticalScroll { width: 90; max-width: 98%; height: auto; max-height: 90%; padding: 1 2;
                                     border: thick $primary; background: $panel; }
    """
    BINDINGS = [Binding("escape,enter", "app.pop_screen", N_("Close"))]

    def __init__(self, title: str, text: Text) -> None:
        super().__init__()
        self.heading, self.text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(literal(self.heading, "bold"))
            yield Static(self.text)
