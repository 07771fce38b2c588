"""Quality figures: first-time QC pass, rework, comebacks, on-time completion, per technician and advisor."""
from __future__ import annotations

import datetime as dt
from functools import partial

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from models.db import own_connection
from screens.acting import Acting
from screens.dialogs import reason_form
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, literal
from models.orders import BUSINESS_TYPE_LABELS
from workshop import appointment_figures, clock, qc, quality, shops
from workshop.i18n import N_, _, label
from workshop.permissions import can

PERIODS = {"w": (N_("last 7 days"), 7), "m": (N_("last 30 days"), 30), "q": (N_("last 90 days"), 90),
           "y": (N_("last 12 months"), 365)}
COLUMNS = (N_("Who"), N_("Inspected"), N_("1st-time pass"), N_("Rework"), N_("On time"), N_("Avg delay h"),
           N_("Comebacks"), N_("Penalties"))



def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _row(f: quality.Figures):
    rework = _pct(f.rework_pct)
    if f.rework_on_target is False:
        rework += " ✗"
    return (f.name, str(f.inspected), _pct(f.first_time_pct), rework, _pct(f.on_time_pct),
            "—" if f.avg_delay_hours is None else str(f.avg_delay_hours),
            f"{f.comebacks} ({_pct(f.comeback_pct)})", f"{f.penalties:.2f}")


class QualityScreen(Acting, KeptScreen):
    DEFAULT_CSS = """
    QualityScreen DataTable { height: auto; max-height: 20; margin-bottom: 1; }
    QualityScreen .title { padding: 0 1; text-style: bold; }
    QualityScreen #working { padding: 0 1; }
    """
    BINDINGS = [Binding(key, f"period('{key}')", name) for key, (name, _days) in PERIODS.items()] + [
        Binding("c", "checklists", N_("QC checklists")), Binding("l", "labour", N_("Labour figures")),
        Binding("escape", "app.pop_screen", N_("Board"))]
    PERMISSIONS = {"checklists": "edit_checklists", "labour": "view_labour"}
    heading = ""  # the period shown, with its dates

    def action_labour(self) -> None:
        self.app.open_screen("labour")

    def action_checklists(self) -> None:
        self.app.push_screen(ChecklistScreen())

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label("", id="period", classes="title")
            yield ProgressBar(total=quality.STEPS, show_eta=False, id="working")
            yield Table(id="shop", cursor_type="row")
            yield Label(_("Technicians (reworks and comebacks count against the responsible one)"), classes="title")
            yield Table(id="techs", cursor_type="row", zebra_stripes=True)
            yield Label(_("Advisors"), classes="title")
            yield Table(id="advisors", cursor_type="row", zebra_stripes=True)
            yield Label(_("Appointments: appointment rate, no-shows and on-time arrival (shop, then advisors)"),
                        classes="title")
            yield Table(id="appointments", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Quality")
        for table in self.query(DataTable):
            if table.id == "appointments":
                from screens.appointments import FIGURE_COLUMNS
                table.add_columns(*[_(c) for c in FIGURE_COLUMNS])
            else:
                table.add_columns(*(_(column) for column in COLUMNS))
        self.action_period("m")
        self.query_one("#shop").focus()

    def action_period(self, key: str) -> None:
        """Work the period's figures out in the background (a year of a large shop takes seconds):
        the screen stays usable, a bar shows how far it got, and another period key starts over."""
        name, days = PERIODS[key]
        start, end = quality.last_days(days, clock.now())
        self.heading = _("Quality, {period} ({start} – {end})").format(
            period=_(name), start=f"{start:%Y-%m-%d}", end=f"{end - dt.timedelta(days=1):%Y-%m-%d}")
        self.query_one("#period", Label).update(_("{heading} · working out the figures…").format(heading=self.heading))
        bar = self.query_one("#working", ProgressBar)
        bar.update(progress=0)
        bar.display = True
        for table in self.query(DataTable):
            table.clear()
        self._work_out(start, end)

    def _scope(self) -> dict:
        """Whose figures: a one-shop database's; in a group, the terminal's shop, or for whoever sees the group's
        figures (managers, group managers) the whole group with a row per shop."""
        staff = self.app.staff
        if not shops.is_group():
            return {}
        if can(staff, "group_figures"):
            return {"per_shop": True}
        return {"shop": shops.of(staff)}

    @work(thread=True, exclusive=True, group="quality", exit_on_error=False)
    def _work_out(self, start: dt.datetime, end: dt.datetime) -> None:
        worker = get_current_worker()

        def progress(done: int, _total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, done)

        with own_connection():
            report = quality.report(start, end, progress, **self._scope())
            booked = appointment_figures.report(start, end, self._scope().get("shop"))  # (a group's: all)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, report, booked)

    def _progress(self, done: int) -> None:
        if self.is_attached:
            self.query_one("#working", ProgressBar).update(progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "quality" and event.state == WorkerState.ERROR and self.is_attached:
            self.query_one("#working", ProgressBar).display = False
            self.query_one("#period", Label).update(literal(
                _("{heading} · the figures could not be worked out ({error}); press the period's key to try again")
                .format(heading=self.heading, error=event.worker.error)))

    def _show(self, report: quality.QualityReport, booked=None) -> None:
        if not self.is_attached:  # left while the figures were worked out
            return
        self.query_one("#working", ProgressBar).display = False
        self.query_one("#period", Label).update(_("{heading} · target: rework under {target}%").format(
            heading=self.heading, target=quality.REWORK_TARGET_PCT))
        for table_id, rows in (("#shop", [report.shop] + report.shops), ("#techs", report.technicians),
                               ("#advisors", report.advisors)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for figures in rows:
                table.add_row(*cells(*_row(figures)))
        if booked is not None:
            from screens.appointments import figures_row
            table = self.query_one("#appointments", DataTable)
            table.clear()
            for figures in [booked.shop] + booked.advisors:
                table.add_row(*cells(*figures_row(figures)))


class ChecklistScreen(Acting, Screen):
    """The manager edits the QC checklists: one list per business type."""
    DEFAULT_CSS = """
    ChecklistScreen DataTable { height: 1fr; }
    ChecklistScreen .title { padding: 0 1; text-style: bold; }
    """
    BINDINGS = [Binding("t", "next_type", N_("Next type")), Binding("a", "add", N_("Add item")),
                Binding("d", "remove", N_("Remove item")), Binding("escape", "app.pop_screen", N_("Back"))]
    PERMISSIONS = {"add": "edit_checklists", "remove": "edit_checklists"}
    TYPES = ("maintenance", "general_repair", "body", "paint", "insurance", "warranty")

    def __init__(self):
        super().__init__()
        self.business_type = self.TYPES[0]
        self.items: list[qc.CheckItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="type", classes="title")
        yield Table(id="items", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("QC checklists")
        self.query_one("#items", DataTable).add_columns("#", _("Check"))
        self.reload()
        self.query_one("#items").focus()

    def reload(self) -> None:
        self.items = qc.checklist_items(self.business_type)
        self.query_one("#type", Label).update(_("Checklist for {kind} (t: next business type)").format(
            kind=label(BUSINESS_TYPE_LABELS, self.business_type)))
        table = self.query_one("#items", DataTable)
        table.clear()
        for n, item in enumerate(self.items, 1):
            table.add_row(*cells(n, item.text))

    def after_acting(self) -> None:
        self.reload()

    def action_next_type(self) -> None:
        self.business_type = self.TYPES[(self.TYPES.index(self.business_type) + 1) % len(self.TYPES)]
        self.reload()

    def action_add(self) -> None:
        kind = self.business_type
        form = reason_form(_("New check for {kind}").format(kind=label(BUSINESS_TYPE_LABELS, kind)), name="text",
                           label=_("What to check"), max_length=120)
        self.ask(form, lambda values: partial(qc.add_item, kind, values["text"]), success=_("Item added."))

    def action_remove(self) -> None:
        if self.items:
            item = self.items[min(self.query_one("#items", DataTable).cursor_row, len(self.items) - 1)]
            self.act(qc.remove_item, item.id, success=_("Removed: {item}").format(item=item.text))
