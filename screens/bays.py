"""The bays view: today's timeline of every bay (which order's trade is planned or worked there from when to
when, what is late) and every technician (what they are on, busy until when)."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label

from models.people import TRADE_LABELS
from models.shop import BAY_KIND_LABELS
from screens.dispatch import idle_text
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, line
from workshop import bay_timeline, shops
from workshop.dispatch import technician_loads
from workshop.i18n import N_, _, join, label

# How a trade is drawn on the bar: worked on, planned, done; late ones in red whatever they are.
GLYPHS = {bay_timeline.WORKING: ("█", "green"), bay_timeline.WAITING: ("▒", "blue"),
          bay_timeline.DONE: ("░", "dim")}
FIXED = 54  # the other columns of the bays table (code, type, cars, until) with their padding


def timeline_bar(lane: bay_timeline.Lane, opens: dt.datetime, closes: dt.datetime, now: dt.datetime,
                 width: int) -> Text:
    """The bay's day from opening to closing time in ``width`` cells: each trade as its glyph over its
    planned hours (late ones red), the present moment as a bar."""
    span = (closes - opens).total_seconds() or 1
    chars, styles = [" "] * width, [""] * width

    def cell(moment: dt.datetime) -> int:
        return int(max(0, min(width, (moment - opens).total_seconds() * width / span)))

    for seg in lane.segments:
        glyph, style = GLYPHS[seg.state]
        if seg.overdue or seg.after_promise:
            style = "red"
        start, end = cell(seg.planned_start), cell(seg.planned_end)
        if seg.overdue:
            end = max(end, cell(now))  # still going past its planned end: drawn up to now
        for i in range(start, max(end, start + 1) if start < width else start):
            chars[i], styles[i] = glyph, style
    if opens <= now < closes:
        i = min(cell(now), width - 1)
        chars[i], styles[i] = ("│" if chars[i] == " " else chars[i]), "bold reverse" if chars[i] != " " else "bold"
    bar = Text(end="")
    for char, style in zip(chars, styles):
        bar.append(char, style=style or None)
    return bar


def _until(value: dt.datetime | None, now: dt.datetime) -> str:
    if value is None:
        return "—"
    return value.strftime("%H:%M") if value.date() == now.date() else value.strftime("%m-%d %H:%M")


class BaysScreen(KeptScreen):
    CSS_PATH = "bays.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Board")),
                Binding("t", "app.open_screen('tools')", N_("Tools")),
                Binding("tab", "focus_next", N_("Next table"), show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label("", id="bays-title", classes="title")
            yield Table(id="bays", cursor_type="row", zebra_stripes=True)
            yield Label(_("Technicians"), classes="title")
            yield Table(id="techs", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Bays")
        self.bar_width = max(20, self.app.size.width - FIXED)
        self.query_one("#bays", DataTable).add_columns(_("Bay"), _("Type"), _("Cars"), _("Until"), _("Today"))
        self.query_one("#techs", DataTable).add_columns(_("Technician"), _("Trade"), _("Open lines"),
                                                         _("Busy until"), _("Now"))
        self.reload()

    def reload(self) -> None:
        today = bay_timeline.timeline(shop=shops.scope(self.app.staff))  # a group's terminal: its shop's bays
        now = today.now
        legend = line((_("Bays today"), "bold"), f"  {today.opens:%H:%M}–{today.closes:%H:%M}  ",
                      ("█", "green"), " " + _("working") + "  ", ("▒", "blue"), " " + _("planned") + "  ",
                      ("░", "dim"), " " + _("done") + "  ", ("▒", "red"), " " + _("late") + "  ",
                      ("│", "bold"), " " + _("now"))
        self.query_one("#bays-title", Label).update(legend)
        bays = self.query_one("#bays", DataTable)
        bays.clear()
        for lane in today.lanes:
            here = join(str(s.number) for s in lane.segments if s.car_here and s.state != bay_timeline.DONE)
            bays.add_row(*cells(lane.code, label(BAY_KIND_LABELS, lane.kind), here or "—",
                                _until(lane.busy_until(now), now),
                                timeline_bar(lane, today.opens, today.closes, now, self.bar_width)))
        loads = {load.id: load for load in technician_loads(shops.scope(self.app.staff))}
        techs = self.query_one("#techs", DataTable)
        techs.clear()
        for busy in today.technicians:
            load = loads.get(busy.technician_id)
            doing = idle_text(load) if load is not None else (busy.clocked_on or "")
            until = Text(_until(busy.busy_until, now), style="red" if busy.late else "")
            techs.add_row(*cells(busy.name, label(TRADE_LABELS, busy.trade), busy.open_lines, until, doing))

    def refresh_from_changes(self, changes) -> None:
        if changes.order_ids or changes.overflow:
            self.reload()
