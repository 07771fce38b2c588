"""The follow-up agent's screen: calls due and overdue, complaints, reminders and the figures."""
from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (DataTable, Header, Input, Label, Select, Static, TabbedContent, TabPane)

from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from workshop import callbacks, clock, followup_figures, reminders
from workshop.errors import DomainError
from workshop.permissions import can

VIEWS = ("due", "upcoming", "all")


def _call_row(r: callbacks.QueueRow):
    when = "OVERDUE" if r.overdue else r.due.strftime("%a %m-%d")
    return (when, r.kind.replace("_", " "), r.customer, r.mobile, r.plate,
            f"RO {r.order_number}" if r.order_number else "", str(r.attempts), "100%" if r.required else "",
            r.agent, (r.reason or "")[:30])


def _complaint_row(c: callbacks.ComplaintRow):
    return (f"#{c.id}", f"{c.created_at:%m-%d}", c.customer, c.mobile, c.description[:40], c.department,
            c.status.replace("_", " "), f"{c.due:%m-%d}", "ESCALATED" if c.escalated else "")


def _reminder_row(r: reminders.Reminder):
    return (f"{r.due:%Y-%m-%d}" if r.due else "", r.customer, r.mobile, r.plate, r.detail)


class CallbacksScreen(KeptScreen):
    CSS_PATH = "callbacks.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Board"),
        Binding("enter", "call", "Record call", show=False),
        Binding("v", "next_view", "Due/upcoming/all"),
        Binding("m", "mine", "Mine/all"),
        Binding("s", "complaint_status", "Complaint status"),
        Binding("k", "next_kind", "Reminder kind"),
        Binding("c", "create_call", "Call this one"),
        Binding("C", "create_all", "Call all on page"),
        Binding("R", "reassign", "Reassign"),
        Binding("1", "tab('queue')", "Queue", show=False),
        Binding("2", "tab('complaints')", "Complaints", show=False),
        Binding("3", "tab('reminders')", "Reminders", show=False),
        Binding("4", "tab('figures')", "Figures", show=False),
    ]
    TAB_ACTIONS = {"call": "queue", "next_view": "queue", "mine": "queue", "complaint_status": "complaints",
                   "next_kind": "reminders", "create_call": "reminders", "create_all": "reminders"}

    def __init__(self):
        super().__init__()
        self.view = "due"
        self.kind = "maintenance"
        self.mine = False

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="queue"):
            with TabPane("Calls [1]", id="queue"):
                yield Label("", id="queue-title", classes="title")
                yield PagedTable(("Due", "Kind", "Customer", "Mobile", "Plate", "Order", "Tries", "", "Agent",
                                  "Why"), _call_row, id="calls")
            with TabPane("Complaints [2]", id="complaints"):
                yield PagedTable(("No.", "Opened", "Customer", "Mobile", "What", "Dept", "Status", "Due", ""),
                                 _complaint_row, id="complaints-table")
            with TabPane("Reminders [3]", id="reminders"):
                yield Label("", id="reminder-title", classes="title")
                yield PagedTable(("Due", "Customer", "Mobile", "Plate", "Detail"), _reminder_row, id="reminders-table")
            with TabPane("Figures [4]", id="figures"):
                with VerticalScroll():
                    yield Static(id="figures-text")
                    yield Table(id="churn", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Follow-up"
        self.mine = self.app.staff.has_role("follow_up_agent") and not self.app.staff.has_role("manager")
        self.query_one("#churn", DataTable).add_columns("Month", "Lost", "Active base", "Churn")
        try:
            callbacks.escalate_overdue(by=None)
        except DomainError:
            pass
        self.reload()
        self.query_one("#calls").focus()

    # --- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        agent = self.app.staff.id if self.mine else None
        view = self.view
        self.query_one("#queue-title", Label).update(
            f"{'My' if self.mine else 'All'} calls · {'due today and overdue' if view == 'due' else view}")
        self.query_one("#calls", PagedTable).load(
            lambda n, o: callbacks.queue(agent_id=agent, view=view, limit=n, offset=o))
        self.query_one("#complaints-table", PagedTable).load(lambda n, o: callbacks.complaints(limit=n, offset=o))
        kind = self.kind
        self.query_one("#reminder-title", Label).update(f"{reminders.KINDS[kind]} (k: next list)")
        self.query_one("#reminders-table", PagedTable).load(lambda n, o: reminders.due(kind, limit=n, offset=o))
        if self.query_one(TabbedContent).active == "figures":
            self._figures()  # otherwise when its tab opens: the figures read a month of history


    def _figures(self) -> None:
        today = clock.today()
        f = followup_figures.figures(today - dt.timedelta(days=30), today + dt.timedelta(days=1))

        def pct(value):
            return "—" if value is None else f"{value}%"
        csi_mark = "" if f.csi_on_target is None else (" ✓" if f.csi_on_target else " ✗ below target")
        self.query_one("#figures-text", Static).update(
            f"Last 30 days\n"
            f"Callbacks due {f.due} · done on time {f.done_on_time} ({pct(f.on_time_pct)}) · overdue {f.overdue} · "
            f"unreachable {f.unreachable} ({pct(f.unreachable_pct)})\n"
            f"CSI (answers scored 4-5) {pct(f.csi_pct)} of {f.answers} answers{csi_mark} · target "
            f"{followup_figures.CSI_TARGET_PCT}%\n"
            f"Complaints opened {f.complaints_opened} · resolved {f.complaints_closed} · escalated "
            f"{f.complaints_escalated}\n\nLost customers (no visit for 6 months) and churn per month:")
        table = self.query_one("#churn", DataTable)
        table.clear()
        for month, lost, base, churn in followup_figures.churn():
            table.add_row(month, str(lost), str(base), pct(churn))

    def refresh_from_changes(self, changes) -> None:
        self.query_one("#calls", PagedTable).load()
        self.query_one("#complaints-table", PagedTable).load()

    # --- tabs and keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters) -> bool | None:
        tab = self.TAB_ACTIONS.get(action)
        if tab is not None and self.query_one(TabbedContent).active != tab:
            return False
        if action == "reassign":
            return can(self.app.staff, "reassign_callbacks")
        return True

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        active = self.query_one(TabbedContent).active
        target = {"queue": "#calls", "complaints": "#complaints-table", "reminders": "#reminders-table",
                  "figures": "#churn"}[active]
        self.query_one(target).focus()
        if active == "figures":
            self._figures()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.reload()

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.reload()

    def action_next_kind(self) -> None:
        kinds = list(reminders.KINDS)
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self.reload()

    def _run(self, fn, *args, success: str = "", **kwargs):
        try:
            result = fn(*args, by=self.app.staff, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            return None
        if success:
            self.notify(success)
        self.reload()
        return result

    @on(DataTable.RowSelected, "#calls")
    def action_call(self) -> None:
        row = self.query_one("#calls", PagedTable).selected
        if row is None:
            self.notify("No call to make.", severity="warning")
            return
        self.app.push_screen(CallDialog(row.id), lambda done: done and self.reload())

    def action_complaint_status(self) -> None:
        row = self.query_one("#complaints-table", PagedTable).selected
        if row is None:
            return

        def given(answer: str | None) -> None:
            if answer:
                status, _, resolution = answer.partition(" ")
                self._run(callbacks.update_complaint, row.id, status.strip().lower(), resolution=resolution.strip(),
                          success=f"Complaint #{row.id} now {status}.")
        self.app.push_screen(ConfirmText(f"Complaint #{row.id}: new status (in_progress, resolved + resolution, "
                                         "verified)", "resolved Replaced the wheel bearing", max_length=500), given)

    def action_create_call(self) -> None:
        row = self.query_one("#reminders-table", PagedTable).selected
        if row is not None:
            made = self._run(reminders.create_calls, [row])
            if made is not None:
                self.notify(f"{made} reminder call created." if made else "That customer already has this call.")

    def action_create_all(self) -> None:
        rows = self.query_one("#reminders-table", PagedTable).items
        made = self._run(reminders.create_calls, rows)
        if made is not None:
            self.notify(f"{made} reminder call(s) created for {len(rows)} customer(s) on this page.")

    def action_reassign(self) -> None:
        agents = callbacks.follow_up_agents()
        listing = ", ".join(f"{i} {a.name}" for i, a in enumerate(agents, 1))

        def given(answer: str | None) -> None:
            if not answer:
                return
            numbers = answer.replace(">", " ").split()
            if len(numbers) != 2 or not all(n.isdigit() and 0 < int(n) <= len(agents) for n in numbers):
                self.notify("Type two numbers: the absent agent, then who takes the calls, e.g. '1 2'.",
                            severity="error")
                return
            source, target = (agents[int(n) - 1] for n in numbers)
            moved = self._run(callbacks.reassign, source.id, target.id)
            if moved is not None:
                self.notify(f"{moved} open call(s) of {source.name} handed to {target.name}.")
        self.app.push_screen(ConfirmText(f"Reassign calls from → to ({listing})", "e.g. 1 2", max_length=10), given)


class CallDialog(ModalScreen[bool]):
    """One call: who, what was done, the questions; reached or not, scores 1-5, notes, a complaint."""
    DEFAULT_CSS = """
    CallDialog { align: center middle; }
    CallDialog > VerticalScroll { width: 90; max-width: 98%; height: 90%; border: thick $accent;
                                  background: $panel; padding: 0 1; }
    CallDialog .q { height: 3; }
    CallDialog .q Label { width: 1fr; padding-top: 1; }
    CallDialog .q Input { width: 8; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save call")]

    def __init__(self, callback_id: int):
        super().__init__()
        self.callback_id = callback_id
        self.context = callbacks.call_context(callback_id)

    def compose(self) -> ComposeResult:
        c = self.context
        cb, customer = c["callback"], c["customer"]
        with VerticalScroll():
            yield Static(f"[b]{customer.name}[/b]  {customer.mobile}  · {cb.kind} call"
                         + (f" · {cb.reason}" if cb.reason else "")
                         + (f"\nDone: {', '.join(c['lines'])}" if c["lines"] else "")
                         + (f"\nAdvisor {c['advisor']} · technicians {', '.join(c['technicians']) or '—'}"
                            if c["advisor"] else ""))
            yield Select([("Reached", "yes"), ("Not reached", "no")], value="yes", allow_blank=False, id="reached")
            for index, question in enumerate(c["questions"]):
                with Horizontal(classes="q"):
                    yield Label(question)
                    yield Input(placeholder="1-5", id=f"q{index}", max_length=1)
            yield Input(placeholder="Notes", id="notes", max_length=500)
            yield Input(placeholder="Complaint (leave empty if none)", id="complaint", max_length=500)
            yield Label("Ctrl+S save · Esc cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#reached").focus()

    def action_save(self) -> None:
        reached = self.query_one("#reached", Select).value == "yes"
        scores = {}
        for index, question in enumerate(self.context["questions"]):
            value = self.query_one(f"#q{index}", Input).value.strip()
            if value:
                if not value.isdigit():
                    self.notify(f"'{question}': a score from 1 to 5.", severity="error")
                    return
                scores[question] = int(value)
        try:
            callbacks.record_call(self.callback_id, reached=reached, by=self.app.staff,
                                  scores=scores if reached else {}, notes=self.query_one("#notes", Input).value,
                                  complaint=self.query_one("#complaint", Input).value)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        self.notify("Call recorded." if reached else "Not reached: a retry is scheduled.")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
