"""Labour figures (工时统计): hours sold, clocked and present, efficiency, productivity, effective labour
rate, revenue and commission (提成), rework and comebacks, per technician, trade, advisor and the whole
shop; and the trend week by week as sparklines (the shop's, or the technician's under the cursor, Enter).

The figures are worked out in a worker with a progress bar (a month of the large shop reads kept days
in a fraction of a second; a first look after an upgrade computes them once)."""
from __future__ import annotations

from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Label, ProgressBar, Sparkline
from textual.worker import Worker, WorkerState, get_current_worker

from models.db import own_connection
from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, line
from workshop import clock, i18n, labour, settings, shifts, shops
from workshop.dispatch import technician_loads
from workshop.i18n import N_, _

PERIODS = {"w": (N_("last 7 days"), 7), "m": (N_("last 30 days"), 30), "q": (N_("last 90 days"), 90),
           "y": (N_("last 12 months"), 365)}
WEEKS = 12


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _hours(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _money(value) -> str:
    return "—" if value is None else i18n.money(value, symbol=False)


def _row(f: labour.Figures):
    return (f.name, _hours(f.sold_hours), _hours(f.clocked_hours), _hours(f.present_hours), _pct(f.efficiency_pct),
            _pct(f.productivity_pct), _money(f.effective_rate), _money(f.revenue), _money(f.commission),
            str(f.reworked), str(f.comebacks))


class Trend(Vertical):
    """One week-by-week figure: its name, the first and last week's values, and a sparkline."""

    DEFAULT_CSS = """
    Trend { width: 1fr; height: 4; padding: 0 1; }
    Trend Sparkline { height: 2; }
    """

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.heading = title

    def compose(self) -> ComposeResult:
        yield Label(self.heading, classes="trend-title")
        yield Sparkline([], summary_function=max)

    def show(self, values: list[float | None], unit: str) -> None:
        known = [v for v in values if v is not None]
        text = line((self.heading, "bold"))
        if known:
            text.append_text(line(f"  {known[0]:.0f}{unit} → ", (f"{known[-1]:.0f}{unit}", "bold"), "  " + _(
                "(low {low}, high {high})").format(low=f"{min(known):.0f}", high=f"{max(known):.0f}")))
        self.query_one(Label).update(text)
        self.query_one(Sparkline).data = [v or 0 for v in values]


class LabourScreen(Acting, KeptScreen):
    DEFAULT_CSS = """
    LabourScreen DataTable { height: auto; max-height: 16; margin-bottom: 1; }
    LabourScreen .title { padding: 0 1; text-style: bold; }
    LabourScreen #labour-working { padding: 0 1; }
    LabourScreen #labour-trends { height: auto; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"))] + [
        Binding(key, f"period('{key}')", title) for key, (title, _days) in PERIODS.items()] + [
        Binding("enter", "trend", N_("Trend of this technician"), show=False),
        Binding("s", "shop_trend", N_("Shop trend")),
        Binding("c", "record_shift", N_("Record a shift"))]
    PERMISSIONS = {"record_shift": "manage_shifts"}
    COLUMNS = (N_("Who"), N_("Sold h"), N_("Clocked h"), N_("Present h"), N_("Efficiency"), N_("Productivity"),
               N_("Rate/h"), N_("Labour revenue"), N_("Commission"), N_("Rework"), N_("Comebacks"))

    def __init__(self) -> None:
        super().__init__()
        self.heading = ""
        self.period = "m"
        self.report: labour.LabourReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label("", id="labour-period", classes="title")
            yield ProgressBar(total=labour.STEPS, show_eta=False, id="labour-working")
            yield Label("", id="labour-trend-title", classes="title")
            with Horizontal(id="labour-trends"):
                yield Trend(_("Efficiency %"), id="trend-efficiency")
                yield Trend(_("Productivity %"), id="trend-productivity")
                yield Trend(_("Hours sold"), id="trend-sold")
            yield Table(id="labour-shop", cursor_type="row")
            yield Label(_("Technicians (Enter: their trend)"), classes="title")
            yield Table(id="labour-techs", cursor_type="row", zebra_stripes=True)
            yield Label(_("Trades"), classes="title")
            yield Table(id="labour-trades", cursor_type="row", zebra_stripes=True)
            yield Label(_("Advisors (their orders)"), classes="title")
            yield Table(id="labour-advisors", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Labour figures")
        for table in self.query(DataTable):
            table.add_columns(*(_(c) for c in self.COLUMNS))
        self.action_period("m")

    # --- the period's figures --------------------------------------------------------------------------
    def action_period(self, key: str) -> None:
        self.period = key
        title, days = PERIODS[key]
        last = clock.today()
        first = last.fromordinal(last.toordinal() - days + 1)
        self.heading = _("Labour, {period} ({first} – {last})").format(period=_(title), first=i18n.date(first),
                                                                        last=i18n.date(last))
        self.query_one("#labour-period", Label).update(line(self.heading, " · " + _("working out the figures…")))
        bar = self.query_one("#labour-working", ProgressBar)
        bar.update(progress=0)
        bar.display = True
        for table in self.query(DataTable):
            table.clear()
        self._work_out(first, last)
        self.action_shop_trend()

    @work(thread=True, exclusive=True, group="labour", exit_on_error=False)
    def _work_out(self, first, last) -> None:
        worker = get_current_worker()

        def progress(done: int, _total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._progress, done)

        with own_connection():
            report = labour.report(first, last, viewer=self.app.staff, progress=progress)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, report)

    def _progress(self, done: int) -> None:
        if self.is_attached:
            self.query_one("#labour-working", ProgressBar).update(progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group in ("labour", "labour-trend") and event.state == WorkerState.ERROR and self.is_attached:
            self.query_one("#labour-working", ProgressBar).display = False
            self.query_one("#labour-period", Label).update(line(self.heading, " · ", (_(
                "the figures could not be worked out ({error}); press the period's key to try again").format(
                error=event.worker.error), "red")))

    def _show(self, report: labour.LabourReport) -> None:
        if not self.is_attached:
            return
        self.report = report
        self.query_one("#labour-working", ProgressBar).display = False
        pct = labour.commission_pct("*")
        self.query_one("#labour-period", Label).update(line(self.heading, " · ", (_(
            "efficiency = sold / clocked, productivity = clocked / present; commission {pct}% of labour sold").format(
            pct=pct), "dim")))
        for table_id, rows in (("#labour-shop", [report.shop]), ("#labour-techs", report.technicians), ("#labour-trades", report.trades),
                               ("#labour-advisors", report.advisors)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for figures in rows:
                table.add_row(*cells(*_row(figures)))
        techs = self.query_one("#labour-techs", DataTable)
        if not any(table.has_focus for table in self.query(DataTable)):
            techs.focus()  # (once it has rows)

    # --- a shift someone forgot to clock ---------------------------------------------------------------
    def action_record_shift(self) -> None:
        """A supervisor records a shift a technician forgot to clock in or out (hours present count it)."""
        techs = [(t.name, t.id) for t in technician_loads(shops.scope(self.app.staff))]
        if not techs:
            self.notify(_("There are no active technicians."), severity="warning")
            return
        chosen = None
        if self.report is not None and self.report.technicians:
            table = self.query_one("#labour-techs", DataTable)
            chosen = self.report.technicians[min(table.cursor_row, len(self.report.technicians) - 1)].key
        today = i18n.date(clock.today())
        form = FormDialog(_("Record a shift"), [
            forms.choice("technician", _("Technician"), techs,
                         value=chosen if chosen in {t for _, t in techs} else techs[0][1]),
            forms.text("started_at", _("Clocked in"), value=f"{today} {settings.get('shop_opens')}", max_length=16,
                       hint=_("date and time, such as {example}").format(example=f"{today} 08:00")),
            forms.text("ended_at", _("Clocked out"), max_length=16,
                       hint=_("date and time, such as {example}").format(example=f"{today} 17:30")),
            forms.text("note", _("Why"), required=False, max_length=200, hint=_("kept on the audit trail")),
        ], submit_label=_("Record"))
        self.ask(form, lambda v: partial(shifts.record_shift, v["technician"], v["started_at"], v["ended_at"],
                                         note=v["note"] or ""),
                 success=lambda _sid: _("Shift recorded; the figures of its days are worked out again."),
                 then=lambda _sid: self.action_period(self.period))

    # --- the trend ----------------------------------------------------------------------------------------
    def action_shop_trend(self) -> None:
        self._trend(None, _("Whole shop"))

    def action_trend(self) -> None:
        if self.report is None or not self.report.technicians:
            return
        table = self.query_one("#labour-techs", DataTable)
        tech = self.report.technicians[min(table.cursor_row, len(self.report.technicians) - 1)]
        if tech.key is not None:
            self._trend(tech.key, tech.name)

    @on(DataTable.RowSelected, "#labour-techs")
    def _picked(self) -> None:
        self.action_trend()

    def _trend(self, technician_id: int | None, name: str) -> None:
        # Whole weeks only, to last Sunday: this week's few days (a Monday's invoices for last week's work
        # against a morning's clocking) would be an outlier that flattens the other eleven weeks.
        today = clock.today()
        sunday = today.fromordinal(today.toordinal() - today.weekday() - 1)
        self.query_one("#labour-trend-title", Label).update(line(_(
            "{name}, week by week ({weeks} weeks to {last})").format(name=name, weeks=WEEKS, last=i18n.date(sunday))))
        self._work_trend(technician_id, sunday)

    @work(thread=True, exclusive=True, group="labour-trend", exit_on_error=False)
    def _work_trend(self, technician_id: int | None, until) -> None:
        worker = get_current_worker()
        with own_connection():
            weeks = labour.weekly_trend(WEEKS, until=until, technician_id=technician_id, viewer=self.app.staff)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_trend, weeks)

    def _show_trend(self, weeks: list[labour.WeekPoint]) -> None:
        if not self.is_attached:
            return
        self.query_one("#trend-efficiency", Trend).show(
            [float(w.efficiency_pct) if w.efficiency_pct is not None else None for w in weeks], "%")
        self.query_one("#trend-productivity", Trend).show(
            [float(w.productivity_pct) if w.productivity_pct is not None else None for w in weeks], "%")
        self.query_one("#trend-sold", Trend).show([float(w.sold_hours) for w in weeks], "h")


__all__ = ["LabourScreen"]
