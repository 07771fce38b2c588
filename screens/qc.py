"""The inspector's screens: the live QC queue, and one order's inspection against its checklist."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from workshop import clock, qc
from workshop.errors import DomainError
from workshop.lifecycle import get_order


def _queue_row(row: qc.QueueRow):
    waited = ""
    if row.completed_at:
        minutes = int((clock.now() - row.completed_at).total_seconds() // 60)
        waited = f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"
    return (f"RO {row.number}", row.plate, waited, row.promised_at.strftime("%a %H:%M") + (" late" if row.late else ""),
            row.business_type.replace("_", " "), row.bay, row.technicians, "re-inspect" if row.reinspection else "")


class QCScreen(KeptScreen):
    CSS_PATH = "qc.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Board"), Binding("enter", "inspect", "Inspect", show=True)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Ready for QC — longest waiting first", classes="title")
        yield PagedTable(("RO", "Plate", "Waiting", "Promised", "Type", "Bay", "Technicians", ""), _queue_row,
                         id="qc-queue")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "QC"
        table = self.query_one(PagedTable)
        table.load(lambda n, o: qc.qc_queue(limit=n, offset=o))
        table.focus()

    def refresh_from_changes(self, changes) -> None:
        self.query_one(PagedTable).load()

    @on(DataTable.RowSelected)
    def action_inspect(self) -> None:
        row = self.query_one(PagedTable).selected
        if row is None:
            self.notify("No car is waiting for QC.", severity="warning")
            return
        self.app.push_screen(InspectionScreen(row.order_id, row.version))


RESULT_LABELS = {"pass": "✓ pass", "fail": "✗ fail", "na": "— n/a", None: "· to check"}


class InspectionScreen(Screen):
    """One order's checklist: mark each item, then sign pass or fail."""
    CSS_PATH = "qc.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Queue"),
        Binding("p", "mark('pass')", "Pass item"),
        Binding("f", "mark('fail')", "Fail item"),
        Binding("n", "mark('na')", "N/A"),
        Binding("a", "all_pass", "Rest pass"),
        Binding("ctrl+s", "sign_pass", "Sign PASS"),
        Binding("ctrl+r", "sign_fail", "Sign FAIL"),
    ]

    def __init__(self, order_id: int, version: int):
        super().__init__()
        self.order_id, self.version = order_id, version
        self.order = get_order(order_id)
        self.items = qc.checklist(self.order.business_type)
        self.results: dict[int, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="head")
        yield Table(id="items", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        o = self.order
        self.title = f"QC — {o.label}"
        late = o.completed_at and o.completed_at > o.promised_at
        lines = [f"{o.label}  {o.vehicle.plate}  {o.vehicle.model}  · {o.business_type.replace('_', ' ')}",
                 f"Promised {o.promised_at:%a %H:%M}"
                 + (f", finished {o.completed_at:%a %H:%M}" if o.completed_at else "")
                 + (" — LATE: a delay reason is needed" if late else "")]
        if o.rework:
            lines.append(f"Re-inspection after rework: {o.rework_reason}")
        self.query_one("#head", Static).update("\n".join(lines))
        table = self.query_one("#items", DataTable)
        table.add_columns("#", "Check", "Result", "Note")
        self.redraw()
        table.focus()

    def redraw(self) -> None:
        table = self.query_one("#items", DataTable)
        row = table.cursor_row
        table.clear()
        for index, item in enumerate(self.items, 1):
            result, note = self.results.get(item.id, (None, ""))
            table.add_row(str(index), item.text, RESULT_LABELS[result], note or "", key=str(item.id))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def _current(self):
        if not self.items:
            return None
        return self.items[self.query_one("#items", DataTable).cursor_row]

    def _next_row(self) -> None:
        table = self.query_one("#items", DataTable)
        table.move_cursor(row=min(table.cursor_row + 1, len(self.items) - 1))

    def action_mark(self, result: str) -> None:
        item = self._current()
        if item is None:
            return
        if result == "fail":
            def noted(note: str | None) -> None:
                if note:
                    self.results[item.id] = ("fail", note)
                    self.redraw()
                    self._next_row()
            self.app.push_screen(ConfirmText(f"What is wrong with '{item.text}'?", "A failed item needs a note"),
                                 noted)
            return
        self.results[item.id] = (result, "")
        self.redraw()
        self._next_row()

    def action_all_pass(self) -> None:
        for item in self.items:
            self.results.setdefault(item.id, ("pass", ""))
        self.redraw()

    def _sign(self, passed: bool, **kwargs) -> None:
        try:
            qc.sign(self.order_id, self.results, passed=passed, by=self.app.staff, seen_version=self.version, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            if "delay reason" in str(error) and passed:
                self._ask_delay()
            return
        self.notify(f"{self.order.label} {'passed QC: ready for settlement' if passed else 'failed QC: back to the workshop'}.")
        self.app.pop_screen()

    def _ask_delay(self) -> None:
        choices = ", ".join(qc.DELAY_REASONS)
        self.app.push_screen(ConfirmText(f"Finished late. Delay reason ({choices})", "Delay reason"),
                             lambda reason: reason and self._sign(True, delay_reason=reason))

    def action_sign_pass(self) -> None:
        o = self.order
        if o.completed_at and o.completed_at > o.promised_at:
            self._ask_delay()
        else:
            self._sign(True)

    def action_sign_fail(self) -> None:
        techs = qc.order_technician_staff(self.order_id)
        listing = ", ".join(f"{i} {t.name}" for i, t in enumerate(techs, 1)) or "none on this order"

        def penalty_given(reason: str, tech_id: int | None, penalty: str | None) -> None:
            if penalty is not None:
                self._sign(False, rework_reason=reason, responsible_id=tech_id, penalty=penalty or "0")

        def tech_given(reason: str, answer: str | None) -> None:
            if answer is None:
                return
            tech_id = techs[int(answer) - 1].id if answer.isdigit() and 0 < int(answer) <= len(techs) else None
            self.app.push_screen(ConfirmText("Penalty amount (empty for none)", "0.00", required=False, max_length=12),
                                 lambda p: penalty_given(reason, tech_id, p))

        def reason_given(reason: str | None) -> None:
            if reason:
                self.app.push_screen(ConfirmText(f"Responsible technician: {listing}", "Number", max_length=3),
                                     lambda a: tech_given(reason, a))
        self.app.push_screen(ConfirmText("Rework reason (shown on the board card)", "Rework reason"), reason_given)
