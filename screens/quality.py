"""Quality figures: first-time QC pass, rework, comebacks, on-time completion, per technician and advisor."""
from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from workshop import clock, quality

PERIODS = {"w": ("last 7 days", 7), "m": ("last 30 days", 30), "q": ("last 90 days", 90), "y": ("last 12 months", 365)}
COLUMNS = ("Who", "Inspected", "1st-time pass", "Rework", "On time", "Avg delay h", "Comebacks", "Penalties")


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def _row(f: quality.Figures):
    rework = _pct(f.rework_pct)
    if f.rework_on_target is False:
        rework += " ✗"
    return (f.name, str(f.inspected), _pct(f.first_time_pct), rework, _pct(f.on_time_pct),
            "—" if f.avg_delay_hours is None else str(f.avg_delay_hours),
            f"{f.comebacks} ({_pct(f.comeback_pct)})", f"{f.penalties:.2f}")


class QualityScreen(Screen):
    DEFAULT_CSS = """
    QualityScreen DataTable { height: auto; max-height: 20; margin-bottom: 1; }
    QualityScreen .title { padding: 0 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Board")] + [
        Binding(key, f"period('{key}')", label) for key, (label, _) in PERIODS.items()]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label("", id="period", classes="title")
            yield DataTable(id="shop", cursor_type="row")
            yield Label("Technicians (reworks and comebacks count against the responsible one)", classes="title")
            yield DataTable(id="techs", cursor_type="row", zebra_stripes=True)
            yield Label("Advisors", classes="title")
            yield DataTable(id="advisors", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Quality"
        for table in self.query(DataTable):
            table.add_columns(*COLUMNS)
        self.action_period("m")
        self.query_one("#shop").focus()

    def action_period(self, key: str) -> None:
        label, days = PERIODS[key]
        end = clock.now()
        start = end - dt.timedelta(days=days)
        report = quality.report(start, end)
        self.query_one("#period", Label).update(
            f"Quality, {label} ({start:%Y-%m-%d} – {end:%Y-%m-%d}) · target: rework under "
            f"{quality.REWORK_TARGET_PCT}%")
        for table_id, rows in (("#shop", [report.shop]), ("#techs", report.technicians),
                               ("#advisors", report.advisors)):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for figures in rows:
                table.add_row(*_row(figures))
