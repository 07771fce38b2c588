"""The parts clerk's screen: the pick queue across orders, the catalog with stock, low stock."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input, TabbedContent, TabPane

from screens import part_actions
from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from workshop import lifecycle, parts
from workshop.i18n import _
from workshop.errors import DomainError
from workshop.permissions import can

fmt = parts.fmt


def _queue_row(row: parts.LineRow):
    return (f"RO {row.order_number}", row.promised_at.strftime("%a %H:%M"), row.bin or "—", row.code, row.name,
            fmt(row.to_pick), row.unit, fmt(row.reserved), fmt(row.on_hand), row.plate)


def _out_row(row: parts.LineRow):
    state = _("cancelled: return") if row.order_state == lifecycle.CANCELLED else lifecycle.label(row.order_state)
    return (f"RO {row.order_number}", state, row.bin or "—", row.code, row.name, fmt(row.out), row.unit, row.plate)


def _stock_row(row: parts.StockRow):
    return (row.code, row.name, row.bin or "—", fmt(row.on_hand), fmt(row.reserved), fmt(row.available),
            row.unit, f"{row.price:.2f}", row.fits)


def _low_row(row: parts.StockRow):
    return (row.code, row.name, row.bin or "—", fmt(row.available), fmt(row.threshold), fmt(row.suggested), row.unit)


class PartsScreen(KeptScreen):
    CSS_PATH = "parts.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Board"),
        Binding("slash", "search", "Search"),
        Binding("p", "pick_all", "Pick all"),
        Binding("q", "pick_qty", "Pick qty"),
        Binding("r", "return_part", "Return"),
        Binding("x", "exchange", "Exchange"),
        Binding("o", "old_part", "Old part"),
        Binding("g", "receive", "Goods in"),
        Binding("c", "count", "Count"),
        Binding("m", "move_bin", "Move bin", show=False),
        Binding("1", "tab('queue')", "Queue", show=False),
        Binding("2", "tab('catalog')", "Catalog", show=False),
        Binding("3", "tab('low')", "Low stock", show=False),
        Binding("4", "tab('out')", "Parts out", show=False),
    ]
    QUEUE_ACTIONS = {"pick_all", "pick_qty", "return_part", "exchange", "old_part"}
    OUT_ACTIONS = {"return_part", "exchange", "old_part"}  # also on parts already picked (tab 4)
    STOCK_ACTIONS = {"receive", "count", "move_bin"}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ search: RO number, plate, part code, name or model", id="search")
        with TabbedContent(initial="queue"):
            with TabPane("Pick queue [1]", id="queue"):
                yield PagedTable(("RO", "Promised", "Bin", "Code", "Part", "To pick", "Unit", "Resv", "On hand",
                                  "Plate"), _queue_row, id="queue-table")
            with TabPane("Catalog [2]", id="catalog"):
                yield PagedTable(("Code", "Part", "Bin", "On hand", "Resv", "Avail", "Unit", "Price", "Fits"),
                                 _stock_row, id="catalog-table")
            with TabPane("Low stock [3]", id="low"):
                yield PagedTable(("Code", "Part", "Bin", "Avail", "Threshold", "Order", "Unit"), _low_row,
                                 id="low-table")
            with TabPane(_("Parts out [4]"), id="out"):
                yield PagedTable((_("RO"), _("State"), _("Bin"), _("Code"), _("Part"), _("Out"), _("Unit"),
                                  _("Plate")), _out_row, id="out-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Parts"
        self.reload_all()
        self.query_one("#queue-table").focus()

    # --- loading ---------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self.query_one("#search", Input).value

    def reload_all(self) -> None:
        text = self.search_text
        self.query_one("#queue-table", PagedTable).load(lambda n, o: parts.pick_queue(text, limit=n, offset=o))
        self.query_one("#catalog-table", PagedTable).load(lambda n, o: parts.catalog(text, limit=n, offset=o))
        self.query_one("#low-table", PagedTable).load(lambda n, o: parts.low_stock(limit=n, offset=o))
        self.query_one("#out-table", PagedTable).load(lambda n, o: parts.parts_out(text, limit=n, offset=o))

    def refresh_from_changes(self, changes) -> None:
        for table in self.query(PagedTable):
            table.load()

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def check_action(self, action: str, parameters) -> bool | None:
        staff = self.app.staff
        if action in self.OUT_ACTIONS and self.tab == "out":
            return can(staff, "pick_parts")
        if action in self.QUEUE_ACTIONS:
            return can(staff, "pick_parts") and self.tab == "queue"
        if action in self.STOCK_ACTIONS:
            return can(staff, "manage_stock") and self.tab in ("catalog", "low")
        return True

    @on(PagedTable.RowSelected, "#queue-table")
    def enter_picks(self) -> None:
        if can(self.app.staff, "pick_parts"):
            self.action_pick_all()

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        table = {"queue": "#queue-table", "catalog": "#catalog-table", "low": "#low-table",
                 "out": "#out-table"}[self.tab]
        self.query_one(table).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def search(self) -> None:
        self.reload_all()
        if self.tab == "low":
            self.action_tab("catalog")
        table = {"queue": "#queue-table", "catalog": "#catalog-table", "low": "#catalog-table",
                 "out": "#out-table"}[self.tab]
        self.query_one(table).focus()

    # --- actions ---------------------------------------------------------------------------------
    def _run(self, fn, *args, success: str = "", **kwargs):
        try:
            result = fn(*args, by=self.app.staff, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            result = None
        else:
            if success:
                self.notify(success)
        self.reload_all()
        return result

    def _line(self) -> parts.LineRow | None:
        out = self.tab == "out"
        row = self.query_one("#out-table" if out else "#queue-table", PagedTable).selected
        if row is None:
            self.notify(_("No parts out.") if out else "Nothing to pick.", severity="warning")
        return row

    def _part(self) -> parts.StockRow | None:
        table = self.query_one("#low-table" if self.tab == "low" else "#catalog-table", PagedTable)
        row = table.selected
        if row is None:
            self.notify("No part selected.", severity="warning")
        return row

    def action_pick_all(self) -> None:
        if line := self._line():
            self._run(parts.pick, line.id, seen_version=line.order_version,
                      success=f"Picked {fmt(line.to_pick)} {line.unit} {line.code} for RO {line.order_number} "
                              f"from bin {line.bin or '—'}.")

    def action_pick_qty(self) -> None:
        if not (line := self._line()):
            return

        def done(qty: str | None) -> None:
            if qty:
                self._run(parts.pick, line.id, qty, seen_version=line.order_version,
                          success=f"Picked {qty} {line.unit} {line.code} for RO {line.order_number}.")
        self.app.push_screen(ConfirmText(f"Pick how many {line.unit} of {line.code} {line.name}? "
                                         f"({fmt(line.to_pick)} to pick)", "Quantity", max_length=10), done)

    def action_return_part(self) -> None:
        if line := self._line():
            part_actions.ask_return(self, line, self._run)

    def action_exchange(self) -> None:
        if line := self._line():
            part_actions.ask_exchange(self, line, self._run)

    def action_old_part(self) -> None:
        if line := self._line():
            part_actions.ask_old_part(self, line, self._run)

    def action_receive(self) -> None:
        if not (part := self._part()):
            return

        def done(answer: str | None) -> None:
            if answer:
                qty, _sep, reference = answer.partition(" ")
                filled = self._run(parts.receive, part.code, qty, reference=reference,
                                   success=f"Received {qty} {part.unit} {part.code}.")
                if filled:
                    self.notify("Parts now complete for " + ", ".join(filled), timeout=10)
        self.app.push_screen(ConfirmText(f"Goods in: quantity of {part.code} {part.name} (then the delivery note)",
                                         "e.g. 12 DN-4471", max_length=80), done)

    def action_count(self) -> None:
        if not (part := self._part()):
            return

        def reason_given(counted: str, reason: str | None) -> None:
            if reason:
                diff = self._run(parts.count_stock, part.code, counted, reason)
                if diff is not None:
                    self.notify(f"{part.code}: counted {counted}, adjustment {fmt(diff)}.")

        def counted(value: str | None) -> None:
            if value:
                self.app.push_screen(ConfirmText("Reason for the difference", "Reason"),
                                     lambda reason: reason_given(value, reason))
        self.app.push_screen(ConfirmText(f"Stocktake: counted quantity of {part.code} in bin {part.bin or '—'} "
                                         f"(ledger says {fmt(part.on_hand)})", "Counted", max_length=10), counted)

    def action_move_bin(self) -> None:
        if not (part := self._part()):
            return

        def done(new_bin: str | None) -> None:
            if new_bin:
                self._run(parts.transfer, part.code, new_bin, success=f"{part.code} now in bin {new_bin.upper()}.")
        self.app.push_screen(ConfirmText(f"Move {part.code} from bin {part.bin or '—'} to", "Bin", max_length=20), done)
