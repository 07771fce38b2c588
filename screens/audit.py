"""The audit trail: every change, filtered by order, staff member, kind and time, paged by keyset."""
from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Select, Static

from screens.kept_screen import KeptScreen
from screens.live_search import LiveSearch
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, cut, line, literal
from workshop import accounts, audit, lookup
from workshop.errors import DomainError, InvalidInput
from workshop.i18n import N_, _

PAGE = 100


def _parse_day(text: str, field: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise InvalidInput(_("A date like 2026-11-20, please."), field) from None


class AuditScreen(KeptScreen):
    CSS_PATH = "audit.tcss"
    BINDINGS = [Binding("slash", "focus_filter", N_("Filter")), Binding("ctrl+s", "apply", N_("Apply filter")),
                Binding(">", "next_page", N_("Older")), Binding("<", "prev_page", N_("Newer")),
                Binding("escape", "app.pop_screen", N_("Board"))]

    def __init__(self):
        super().__init__()
        self.pages: list[tuple | None] = [None]  # where each page seen starts (audit.next_page), for going back
        self.rows: list[audit.EventRow] = []
        self.has_more = False
        # Pages are read in a worker (screens/live_search.py): the filters stay usable meanwhile.
        self.reader = LiveSearch(self, lambda filters, before, viewer: audit.search(
            **filters, before=before, limit=PAGE + 1, viewer=viewer), self._show)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder=_("RO no."), id="ro", max_length=10)
            yield Select([], prompt=_("Anyone"), id="actor")
            yield Select([], prompt=_("Any kind"), id="kind")
            yield Input(placeholder=_("from YYYY-MM-DD"), id="since", max_length=10)
            yield Input(placeholder=_("to YYYY-MM-DD"), id="until", max_length=10)
        yield Table(id="events", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Audit trail")
        self.query_one("#actor", Select).set_options([(literal(s.name), s.id) for s in accounts.staff_rows()])
        self.query_one("#kind", Select).set_options([(literal(audit.kind_label(k)), k) for k in audit.kinds()])
        self.query_one("#events", DataTable).add_columns(_("When"), _("Who"), _("What"), _("RO"), _("Summary"))
        self.load()
        self.query_one("#events").focus()

    def _filters(self) -> dict:
        ro = self.query_one("#ro", Input).value.strip()
        if ro and lookup.order_number(ro) is None:
            raise InvalidInput(_("RO number is digits only, e.g. 1042."), "ro")
        actor = self.query_one("#actor", Select).value
        kind = self.query_one("#kind", Select).value
        since = _parse_day(self.query_one("#since", Input).value, "since")
        until = _parse_day(self.query_one("#until", Input).value, "until")
        return dict(order_number=lookup.order_number(ro) if ro else None,
                    actor_id=None if actor in (Select.BLANK, Select.NULL) else actor,
                    kind=None if kind in (Select.BLANK, Select.NULL) else kind, since=since,
                    until=until + dt.timedelta(days=1) if until else None)

    def load(self) -> None:
        try:
            filters = self._filters()
        except DomainError as error:
            self.notify(str(error), severity="error")
            if error.field:
                self.query_one(f"#{error.field}").focus()
            return
        self.reader.now(filters, self.pages[-1], self.app.staff)

    def _show(self, rows: list[audit.EventRow]) -> None:
        self.has_more = len(rows) > PAGE
        self.rows = rows[:PAGE]
        table = self.query_one("#events", DataTable)
        table.clear()
        for r in self.rows:
            table.add_row(*cells(f"{r.at:%Y-%m-%d %H:%M}", r.actor, audit.kind_label(r.kind),
                                 r.order_number or "", cut(r.summary, 80)))
        page = len(self.pages)
        table.border_subtitle = (_("page {page} · {count} events").format(page=page, count=len(self.rows))
                                 + (" · " + _("> older") if self.has_more else "")
                                 + (" · " + _("< newer") if page > 1 else ""))
        self.show_detail()

    @on(DataTable.RowHighlighted, "#events")
    def show_detail(self) -> None:
        table = self.query_one("#events", DataTable)
        if not self.rows:
            self.query_one("#detail", Static).update(_("No events match."))
            return
        r = self.rows[min(table.cursor_row, len(self.rows) - 1)]
        self.query_one("#detail", Static).update(
            line(r.summary, "\n", (_("before") + " ", "bold"), audit.describe(r.before), "\n",
                 (_("after") + "  ", "bold"), audit.describe(r.after), multiline=True))

    def action_apply(self) -> None:
        self.pages = [None]
        self.load()
        self.query_one("#events").focus()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_apply()

    @on(Select.Changed)
    def selected(self) -> None:
        self.action_apply()

    def action_next_page(self) -> None:
        if self.has_more and self.rows and not self.reader.busy:  # one page at a time
            self.pages.append(audit.next_page(self.rows))
            self.load()

    def action_prev_page(self) -> None:
        if len(self.pages) > 1 and not self.reader.busy:
            self.pages.pop()
            self.load()

    def action_focus_filter(self) -> None:
        self.query_one("#ro").focus()

    def refresh_from_changes(self, changes) -> None:
        if len(self.pages) == 1:  # on the newest page, show new events as they happen
            self.load()
