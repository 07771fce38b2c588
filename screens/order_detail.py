"""One repair order: its header, job lines (billed beside actual hours), parts and its history."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from workshop import audit, lifecycle
from workshop import dispatch as dispatching
from workshop.errors import DomainError, StaleOrder
from workshop.i18n import N_, _
from workshop.permissions import can

HISTORY_LIMIT = 200


def part_rows(order_id: int) -> list | None:
    """The order's part lines from the parts capability, if it is installed."""
    try:
        from workshop.parts import order_part_lines
    except ImportError:
        return None
    return order_part_lines(order_id)


class OrderDetailScreen(KeptScreen):
    CSS_PATH = "order_detail.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f", "finish_line", "Finish line"),
        Binding("o", "clock_on", "Clock on"),
        Binding("c", "clock_off", "Clock off"),
        Binding("a", "add_line", "Add job"),
        Binding("k", "add_part", "Add part"),
        Binding("b", "bill", "Bill"),
        Binding("m", "comeback", "Comeback", show=False),
        Binding("r", "return_part", N_("Return part")),
        Binding("x", "exchange_part", N_("Exchange part")),
        Binding("O", "old_part", N_("Old part")),
        Binding("tab", "focus_next", "Next table", show=False),
    ]
    ACTION_PERMISSIONS = {"finish_line": "move_card", "clock_on": "clock_time", "clock_off": "clock_time",
                          "add_line": "edit_order", "return_part": "pick_parts", "exchange_part": "pick_parts",
                          "old_part": "pick_parts"}

    def __init__(self, order_id: int | None):
        """``order_id`` None: built ahead, empty until ``show_order``."""
        super().__init__()
        self.order_id = order_id
        self.order = None
        self.line_ids: list[int] = []
        self.part_lines: list = []  # the parts table's rows (workshop.parts.LineRow)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="order-head")
            yield Label("Job lines", classes="title")
            yield Table(id="lines", cursor_type="row", zebra_stripes=True)
            yield Label("Parts", classes="title", id="parts-title")
            yield Table(id="parts", cursor_type="row", zebra_stripes=True)
            yield Label("History", classes="title")
            yield Table(id="history", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        needed = self.ACTION_PERMISSIONS.get(action)
        return not (needed and not can(self.app.staff, needed))

    def on_mount(self) -> None:
        self.title = "Repair order"
        self.query_one("#lines", DataTable).add_columns("Code", "Operation", "Trade", "Std h", "Billed h",
                                                        "Actual h", "Status", "Technicians")
        self.query_one("#parts", DataTable).add_columns("Code", "Part", "Qty", "Picked", "Returned", "Status", "Bin")
        self.query_one("#history", DataTable).add_columns("When", "Who", "What")
        if self.order_id is not None:
            self.reload()
        self.query_one("#lines", DataTable).focus()

    def show_order(self, order_id: int) -> None:
        """Show another order on this (kept) screen, from the top."""
        if order_id != self.order_id:
            self.order_id = order_id
            for table in self.query(DataTable):
                table.clear()
            self.query_one(VerticalScroll).scroll_home(animate=False)
        self.reload()
        self.query_one("#lines", DataTable).focus()

    def reload(self) -> None:
        order = lifecycle.order_header(self.order_id)
        self.order = order
        bay = order.bay or "—"
        rework = f"\n[b red]REWORK:[/] {order.rework_reason}" if order.rework else ""
        self.sub_title = f"RO {order.number} · {self.app.sub_title}"  # this screen's only: the board keeps its own
        self.query_one("#order-head", Static).update(
            f"[b]RO {order.number}[/]  [b cyan]{order.plate}[/]  {order.brand} {order.model}  VIN {order.vin}\n"
            f"{order.owner} · {order.mobile} · {order.business_type.replace('_', ' ')} · advisor {order.advisor}\n"
            f"[b]{lifecycle.label(order.state)}[/] · bay {bay} · in {order.time_in:%Y-%m-%d %H:%M} · "
            f"promised {order.promised_at:%Y-%m-%d %H:%M} · {order.mileage_in:,} km · fuel {order.fuel_level}\n"
            f"Customer says: {order.statement}{rework}")
        lines = dispatching.order_lines(order.id)
        self.line_ids = [line.id for line in lines]
        table = self.query_one("#lines", DataTable)
        row = table.cursor_row
        table.clear()
        for line in lines:
            table.add_row(line.code, line.name, line.trade.replace("_", " "), str(line.standard_hours),
                          str(line.billed_hours), str(line.actual_hours), line.status.replace("_", " "),
                          ", ".join(line.technicians) or "—", key=str(line.id))
        if lines:
            table.move_cursor(row=min(row, len(lines) - 1))
        self._load_parts()
        history = self.query_one("#history", DataTable)
        history.clear()
        for event in audit.order_history(order.id, limit=HISTORY_LIMIT):
            history.add_row(str(event.at)[:16], event.actor, event.summary)

    def _load_parts(self) -> None:
        rows = part_rows(self.order_id)
        self.part_lines = list(rows or [])
        parts = self.query_one("#parts", DataTable)
        parts.display = rows is not None
        self.query_one("#parts-title", Label).display = rows is not None
        parts.clear()
        for row in rows or []:
            parts.add_row(*[str(getattr(row, f, "")) for f in ("code", "name", "qty", "picked", "returned",
                                                                 "status", "bin")])

    # --- actions on the selected part line (picked parts too, not only those still to pick) ------------
    def _selected_part(self):
        table = self.query_one("#parts", DataTable)
        if not self.part_lines:
            self.notify(_("This order has no parts."), severity="warning")
            return None
        return self.part_lines[min(table.cursor_row, len(self.part_lines) - 1)]

    def _act(self, fn, *args, success: str = "", **kwargs) -> None:
        try:
            fn(*args, by=self.app.staff, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="warning" if isinstance(error, StaleOrder) else "error", timeout=8)
        else:
            if success:
                self.notify(success)
        self.app.catch_up()
        self.reload()

    def action_return_part(self) -> None:
        from screens.part_actions import ask_return
        if line := self._selected_part():
            ask_return(self, line, self._act)

    def action_exchange_part(self) -> None:
        from screens.part_actions import ask_exchange
        if line := self._selected_part():
            ask_exchange(self, line, self._act)

    def action_old_part(self) -> None:
        from screens.part_actions import ask_old_part
        if line := self._selected_part():
            ask_old_part(self, line, self._act)

    def refresh_from_changes(self, changes) -> None:
        if self.order_id in changes.order_ids or changes.overflow:
            self.reload()

    # --- actions on the selected job line ----------------------------------------------------------------
    def _selected_line(self) -> int | None:
        table = self.query_one("#lines", DataTable)
        if not self.line_ids:
            self.notify("This order has no job lines.", severity="warning")
            return None
        return self.line_ids[min(table.cursor_row, len(self.line_ids) - 1)]

    def _run(self, fn, *args, **kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except StaleOrder as error:
            self.notify(str(error), severity="warning", timeout=8)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
        self.app.catch_up()
        self.reload()

    def _technician_for(self, line_id: int) -> int | None:
        staff = self.app.staff
        if staff.has_role("technician"):
            return staff.id
        lead = dispatching.lead_technician(line_id)
        if lead is None:
            self.notify("No technician on this line: dispatch the order first (board, d).", severity="error")
        return lead

    def action_finish_line(self) -> None:
        line_id = self._selected_line()
        if line_id is not None:
            self._run(dispatching.finish_line, line_id, by=self.app.staff, seen_version=self.order.version)

    def action_clock_on(self) -> None:
        line_id = self._selected_line()
        tech = self._technician_for(line_id) if line_id else None
        if tech is not None:
            self._run(dispatching.clock_on, line_id, tech, by=self.app.staff, seen_version=self.order.version)

    def action_clock_off(self) -> None:
        line_id = self._selected_line()
        tech = self._technician_for(line_id) if line_id else None
        if tech is not None:
            self._run(dispatching.clock_off, line_id, tech, finished=False, by=self.app.staff,
                      seen_version=self.order.version)

    def action_add_line(self) -> None:
        from workshop.reception import add_job_line

        def done(code: str | None) -> None:
            if code:
                self._run(add_job_line, self.order_id, code, by=self.app.staff, seen_version=self.order.version)

        self.app.push_screen(ConfirmText(f"Add a job line to RO {self.order.number}", "Operation code, e.g. ME001"),
                             callback=done)

    def action_add_part(self) -> None:
        from workshop.parts import add_part_line

        def done(answer: str | None) -> None:
            if answer:
                code, _sep, qty = answer.partition(" ")
                self._run(add_part_line, self.order_id, code, qty.strip() or "1", by=self.app.staff,
                          seen_version=self.order.version)

        self.app.push_screen(ConfirmText(f"Add a part to RO {self.order.number}: part code and quantity",
                                         "e.g. OF-M20A 1", max_length=50), callback=done)

    def action_bill(self) -> None:
        from screens.cashier import BillScreen
        self.app.push_screen(BillScreen(self.order_id))

    def action_comeback(self) -> None:
        from workshop.qc import comeback_choices, mark_comeback
        earlier = comeback_choices(self.order_id)
        if not earlier:
            self.notify("This vehicle has no delivered order within the comeback period.", severity="warning")
            return
        listing = "; ".join(f"RO {o.number}: " + ", ".join(f"{i} {name}" for i, (_line, name) in
                                                          enumerate(o.lines, 1)) for o in earlier[:3])

        def done(answer: str | None) -> None:
            if not answer:
                return
            number, _sep, index = answer.partition(" ")
            order = next((o for o in earlier if str(o.number) == number.strip()), None)
            lines = order.lines if order else ()
            if order is None or not index.strip().isdigit() or not 0 < int(index) <= len(lines):
                self.notify("Type the earlier RO number and the number of the failed line, e.g. '1042 1'.",
                            severity="error")
                return
            self._run(mark_comeback, self.order_id, order.number, lines[int(index) - 1][0], by=self.app.staff,
                      seen_version=self.order.version)

        self.app.push_screen(ConfirmText(f"Comeback of which order and failed line? {listing}", "RO line, e.g. 1042 1",
                                         max_length=20), callback=done)
