"""The inspector's screens: the live QC queue, and one order's inspection against its checklist."""
from __future__ import annotations

from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from screens import forms
from screens.acting import Acting
from screens.dialogs import reason_form
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, line, lines
from models.orders import BUSINESS_TYPE_LABELS
from workshop import clock, qc, shops
from workshop.errors import DomainError
from workshop.i18n import N_, _, day, label, ngettext

PENALTY_MAX = 10_000  # yuan, at most, for one rework


def _queue_row(row: qc.QueueRow):
    waited = ""
    if row.completed_at:
        minutes = int((clock.now() - row.completed_at).total_seconds() // 60)
        waited = (_("{hours}h{minutes}m").format(hours=minutes // 60, minutes=f"{minutes % 60:02d}") if minutes >= 60
                  else _("{minutes}m").format(minutes=minutes))
    return (row.number, row.plate, waited, day(row.promised_at) + (" " + _("late") if row.late else ""),
            label(BUSINESS_TYPE_LABELS, row.business_type), row.bay, row.technicians,
            _("re-inspect") if row.reinspection else "")


class QCScreen(Acting, KeptScreen):
    CSS_PATH = "qc.tcss"
    BINDINGS = [Binding("enter", "inspect", N_("Inspect"), show=True), Binding("escape", "app.pop_screen", N_("Board"))]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(_("Ready for QC — longest waiting first"), classes="title")
        yield PagedTable((_("RO"), _("Plate"), _("Waiting"), _("Promised"), _("Type"), _("Bay"), _("Technicians"),
                          ""), _queue_row, id="qc-queue")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("QC")
        table = self.query_one(PagedTable)
        table.load(lambda n, o: qc.qc_queue(limit=n, offset=o, shop=shops.scope(self.app.staff)))
        table.focus()

    def refresh_from_changes(self, changes) -> None:
        self.query_one(PagedTable).load()

    @on(DataTable.RowSelected)
    def action_inspect(self) -> None:
        row = self.query_one(PagedTable).selected
        if row is None:
            self.notify(_("No car is waiting for QC."), severity="warning")
            return
        view = self.fetch(qc.inspection_view, row.order_id)
        if view is not None:
            self.app.push_screen(InspectionScreen(view, row.version))


RESULT_LABELS = {"pass": N_("✓ pass"), "fail": N_("✗ fail"), "na": N_("— n/a"), "": N_("· to check")}


class InspectionScreen(Acting, Screen):
    """One order's checklist: mark each item, then sign pass or fail. It holds the order as plain data
    (qc.inspection_view) and the results marked so far; qc.sign decides."""
    CSS_PATH = "qc.tcss"
    BINDINGS = [
        # Most important first: the key bar shows as many as fit (F1 lists them all).
        Binding("ctrl+s", "sign_pass", N_("Sign PASS")),
        Binding("ctrl+r", "sign_fail", N_("Sign FAIL")),
        Binding("p", "mark('pass')", N_("Pass")),
        Binding("f", "mark('fail')", N_("Fail")),
        Binding("n", "mark('na')", N_("N/A")),
        Binding("a", "all_pass", N_("Rest pass")),
        Binding("escape", "app.pop_screen", N_("Queue")),
    ]
    PERMISSIONS = {"sign_pass": "sign_qc", "sign_fail": "sign_qc"}

    def __init__(self, view: qc.InspectionView, version: int):
        super().__init__()
        self.view, self.order_id, self.version = view, view.order_id, version
        self.results: dict[int, tuple[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="head")
        yield Table(id="items", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        v = self.view
        self.title = _("QC — {order}").format(order=v.label)
        promise = _("Promised {promised}").format(promised=day(v.promised_at))
        if v.completed_at:
            promise = _("Promised {promised}, finished {finished}").format(promised=day(v.promised_at),
                                                                          finished=day(v.completed_at))
        head = [line((f"{v.label}  ", "bold"), (v.plate, "bold cyan"), f"  {v.model}  · ",
                     label(BUSINESS_TYPE_LABELS, v.business_type)),
                line(promise, (" — " + _("LATE: a delay reason is needed") if v.late else "", "bold yellow"))]
        if v.rework:
            head.append(line(_("Re-inspection after rework: {reason}").format(reason=v.rework_reason or "")))
        self.query_one("#head", Static).update(lines(head))
        table = self.query_one("#items", DataTable)
        table.add_columns("#", _("Check"), _("Result"), _("Note"))
        self.redraw()
        table.focus()

    def redraw(self) -> None:
        table = self.query_one("#items", DataTable)
        row = table.cursor_row
        table.clear()
        for index, item in enumerate(self.view.items, 1):
            result, note = self.results.get(item.id, ("", ""))
            table.add_row(*cells(index, item.text, label(RESULT_LABELS, result), note or ""), key=str(item.id))
        if self.view.items:
            table.move_cursor(row=min(row, len(self.view.items) - 1))

    def _current(self) -> qc.CheckItem | None:
        if not self.view.items:
            return None
        return self.view.items[self.query_one("#items", DataTable).cursor_row]

    def _next_row(self) -> None:
        table = self.query_one("#items", DataTable)
        table.move_cursor(row=min(table.cursor_row + 1, len(self.view.items) - 1))

    def action_mark(self, result: str) -> None:
        item = self._current()
        if item is None:
            return
        if result == "fail":
            def noted(values: dict | None) -> None:
                if values:
                    self.results[item.id] = ("fail", values["note"])
                    self.redraw()
                    self._next_row()
            self.app.push_screen(reason_form(_("What is wrong with '{item}'?").format(item=item.text), name="note",
                                             label=_("Note"), placeholder=_("a failed item needs a note")), noted)
            return
        self.results[item.id] = (result, "")
        self.redraw()
        self._next_row()

    def action_all_pass(self) -> None:
        for item in self.view.items:
            self.results.setdefault(item.id, ("pass", ""))
        self.redraw()

    # --- signing -------------------------------------------------------------------------------------
    def _all_checked(self) -> bool:
        """Say before any form opens that an item is still unchecked (qc.sign refuses it anyway)."""
        unchecked = self.view.unchecked(self.results)
        if unchecked:
            self.notify(ngettext("'{item}' has not been checked yet: check it before signing.",
                                 "{count} items have not been checked yet, the first '{item}': check every item "
                                 "before signing.", len(unchecked)).format(item=unchecked[0].text, count=len(unchecked)),
                        severity="warning", timeout=8)
            table = self.query_one("#items", DataTable)
            table.move_cursor(row=self.view.items.index(unchecked[0]))
            table.focus()
        return not unchecked

    def _signed(self, passed: bool) -> None:
        text = _("{order} passed QC: ready for settlement.") if passed else _("{order} failed QC: back to the workshop.")
        self.notify(text.format(order=self.view.label))
        if self.is_current:  # (not if the inspector went elsewhere while it was signed)
            self.app.pop_screen()

    def refused(self, error: DomainError) -> None:
        if error.field == "delay_reason":  # finished late after all (the order moved meanwhile): ask why
            self._ask_delay()

    def _ask_delay(self) -> None:
        form = FormDialog(_("{order} was finished after the promised time").format(order=self.view.label), [
            forms.choice("delay_reason", _("Delay reason"),
                         [(label(qc.DELAY_REASON_LABELS, reason), reason) for reason in qc.DELAY_REASONS])],
            submit_label=_("Sign PASS"))
        self.ask(form, lambda values: partial(qc.sign, self.order_id, dict(self.results), passed=True,
                                              seen_version=self.version, delay_reason=values["delay_reason"]),
                 then=lambda _result: self._signed(True))

    def action_sign_pass(self) -> None:
        if not self._all_checked():
            return
        if self.view.late:
            self._ask_delay()
        else:
            self.act(qc.sign, self.order_id, dict(self.results), passed=True, seen_version=self.version,
                     then=lambda _result: self._signed(True))

    def action_sign_fail(self) -> None:
        if not self._all_checked():
            return
        form = FormDialog(_("Sign FAIL: {order} goes back to the workshop").format(order=self.view.label), [
            forms.text("rework_reason", _("Rework reason"), placeholder=_("shown on the board card")),
            forms.choice("responsible", _("Responsible technician"),
                         [(person.name, person.id) for person in self.view.technicians],
                         placeholder=_("one who worked on this order")),
            forms.number("penalty", _("Penalty"), maximum=PENALTY_MAX, required=False, hint=_("empty for none")),
        ], submit_label=_("Sign FAIL"))
        self.ask(form, lambda values: partial(
            qc.sign, self.order_id, dict(self.results), passed=False, seen_version=self.version,
            rework_reason=values["rework_reason"], responsible_id=values["responsible"],
            penalty=values["penalty"] or 0), then=lambda _result: self._signed(False))

