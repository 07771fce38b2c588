"""The follow-up agent's screen: calls due and overdue, complaints, reminders and the figures."""
from __future__ import annotations

import datetime as dt
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static, TabbedContent, TabPane

from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from models.followup import CALLBACK_KIND_LABELS, COMPLAINT_STATUS_LABELS
from screens.text import cells, cut, line, lines, literal
from workshop import callbacks, clock, followup_figures, reminders
from workshop.i18n import N_, _, day, join, label, ngettext

COMPLAINT_STATUSES = {"in_progress": N_("in progress"), "resolved": N_("resolved"), "verified": N_("verified")}
VIEWS = ("due", "upcoming", "all")


def _call_row(r: callbacks.QueueRow):
    when = _("OVERDUE") if r.overdue else day(r.due, "%m-%d")
    return (when, label(CALLBACK_KIND_LABELS, r.kind), r.customer, r.mobile, r.plate,
            _("RO {number}").format(number=r.order_number) if r.order_number else "", str(r.attempts),
            "100%" if r.required else "", r.agent, cut(callbacks.reason_text(r.reason), 30))


def _complaint_row(c: callbacks.ComplaintRow):
    return (f"#{c.id}", f"{c.created_at:%m-%d}", c.customer, c.mobile, cut(c.description, 40),
            label(callbacks.DEPARTMENT_LABELS, c.department), label(COMPLAINT_STATUS_LABELS, c.status),
            f"{c.due:%m-%d}", _("ESCALATED") if c.escalated else "")


def _reminder_row(r: reminders.Reminder):
    return (f"{r.due:%Y-%m-%d}" if r.due else "", r.customer, r.mobile, r.plate, r.detail)


class CallbacksScreen(Acting, KeptScreen):
    CSS_PATH = "callbacks.tcss"
    BINDINGS = [
        Binding("enter", "call", N_("Record call"), show=False),
        Binding("v", "next_view", N_("Due/upcoming/all")),
        Binding("m", "mine", N_("Mine/all")),
        Binding("s", "complaint_status", N_("Complaint status")),
        Binding("k", "next_kind", N_("Reminder kind")),
        Binding("c", "create_call", N_("Call this one")),
        Binding("C", "create_all", N_("Call all on page")),
        Binding("R", "reassign", N_("Reassign")),
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("1", "tab('queue')", N_("Calls"), show=False),
        Binding("2", "tab('complaints')", N_("Complaints"), show=False),
        Binding("3", "tab('reminders')", N_("Reminders"), show=False),
        Binding("4", "tab('figures')", N_("Figures"), show=False),
    ]
    TAB_ACTIONS = {"call": "queue", "next_view": "queue", "mine": "queue", "complaint_status": "complaints",
                   "next_kind": "reminders", "create_call": "reminders", "create_all": "reminders"}
    PERMISSIONS = {"call": "close_callback", "complaint_status": "handle_complaint", "create_call": "create_callback",
                   "create_all": "create_callback", "reassign": "reassign_callbacks"}

    def __init__(self):
        super().__init__()
        self.view = "due"
        self.kind = "maintenance"
        self.mine = False

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="queue"):
            with TabPane(_("Calls [1]"), id="queue"):
                yield Label("", id="queue-title", classes="title")
                yield PagedTable((_("Due"), _("Kind"), _("Customer"), _("Mobile"), _("Plate"), _("Order"), _("Tries"),
                                  "", _("Agent"), _("Why")), _call_row, id="calls")
            with TabPane(_("Complaints [2]"), id="complaints"):
                yield PagedTable((_("No."), _("Opened"), _("Customer"), _("Mobile"), _("What"), _("Dept"), _("Status"),
                                  _("Due"), ""), _complaint_row, id="complaints-table")
            with TabPane(_("Reminders [3]"), id="reminders"):
                yield Label("", id="reminder-title", classes="title")
                yield PagedTable((_("Due"), _("Customer"), _("Mobile"), _("Plate"), _("Detail")), _reminder_row,
                                 id="reminders-table")
            with TabPane(_("Figures [4]"), id="figures"):
                with VerticalScroll():
                    yield Static(id="figures-text")
                    yield Table(id="churn", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Follow-up")
        self.mine = self.app.staff.has_role("follow_up_agent") and not self.app.staff.has_role("manager")
        self.query_one("#churn", DataTable).add_columns(_("Month"), _("Lost"), _("Active base"), _("Churn"))
        self.reload()
        self.query_one("#calls").focus()

    # --- loading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        agent = self.app.staff.id if self.mine else None
        view = self.view
        views = {"due": _("due today and overdue"), "upcoming": _("upcoming"), "all": _("all")}
        self.query_one("#queue-title", Label).update(
            (_("My calls · {view}") if self.mine else _("All calls · {view}")).format(view=views[view]))
        self.query_one("#calls", PagedTable).load(
            lambda n, after: callbacks.queue(agent_id=agent, view=view, limit=n, after=after), keyset=True)
        self.query_one("#complaints-table", PagedTable).load(lambda n, o: callbacks.complaints(limit=n, offset=o))
        kind = self.kind
        self.query_one("#reminder-title", Label).update(_("{list} (k: next list)").format(list=_(reminders.KINDS[kind])))
        self.query_one("#reminders-table", PagedTable).load(lambda n, after: reminders.due(kind, limit=n, after=after),
                                                            keyset=True)
        if self.query_one(TabbedContent).active == "figures":
            self._figures()  # otherwise when its tab opens: the figures read a month of history


    def _figures(self) -> None:
        today = clock.today()
        f = followup_figures.figures(today - dt.timedelta(days=30), today + dt.timedelta(days=1))

        def pct(value):
            return "—" if value is None else f"{value}%"
        csi_mark = "" if f.csi_on_target is None else (" ✓" if f.csi_on_target else " ✗ " + _("below target"))
        self.query_one("#figures-text", Static).update(literal("\n".join([
            _("Last 30 days"),
            _("Callbacks due {due} · done on time {on_time} ({on_time_pct}) · overdue {overdue} · unreachable "
              "{unreachable} ({unreachable_pct})").format(
                due=f.due, on_time=f.done_on_time, on_time_pct=pct(f.on_time_pct), overdue=f.overdue,
                unreachable=f.unreachable, unreachable_pct=pct(f.unreachable_pct)),
            _("CSI (answers scored 4-5) {csi} of {answers} answers{mark} · target {target}%").format(
                csi=pct(f.csi_pct), answers=f.answers, mark=csi_mark, target=followup_figures.CSI_TARGET_PCT),
            _("Complaints opened {opened} · resolved {resolved} · escalated {escalated}").format(
                opened=f.complaints_opened, resolved=f.complaints_closed, escalated=f.complaints_escalated),
            "", _("Lost customers (no visit for 6 months) and churn per month:")]), multiline=True))
        table = self.query_one("#churn", DataTable)
        table.clear()
        for month, lost, base, churn in followup_figures.churn():
            table.add_row(*cells(month, lost, base, pct(churn)))

    def refresh_from_changes(self, changes) -> None:
        self.query_one("#calls", PagedTable).load()
        self.query_one("#complaints-table", PagedTable).load()

    # --- tabs and keys ---------------------------------------------------------------------------
    def offers(self, action: str, parameters) -> bool | None:
        tab = self.TAB_ACTIONS.get(action)
        return tab is None or self.query_one(TabbedContent).active == tab

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

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    # --- actions ---------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#calls")
    def action_call(self) -> None:
        if not self.check_action("call", ()):
            return
        row = self.query_one("#calls", PagedTable).selected
        if row is None:
            self.notify(_("No call to make."), severity="warning")
            return
        context = self.fetch(callbacks.call_context, row.id)
        if context is None:
            return
        chosen: dict = {}

        def call(values: dict) -> partial:
            chosen.update(values)
            scores = {question: values[f"q{index}"] for index, question in enumerate(context.questions)
                      if values[f"q{index}"] is not None}
            reached = values["reached"]
            return partial(callbacks.record_call, context.callback_id, reached=reached,
                           scores=scores if reached else {}, notes=values["notes"] or "",
                           complaint=values["complaint"] or "")

        self.ask(call_form(context), call, success=lambda _r: _("Call recorded.") if chosen["reached"]
                 else _("Not reached: a retry is scheduled."))

    def action_complaint_status(self) -> None:
        row = self.query_one("#complaints-table", PagedTable).selected
        if row is None:
            return
        form = FormDialog(_("Complaint #{number}: {what}").format(number=row.id, what=cut(row.description, 60)), [
            forms.choice("status", _("New status"), [(label(COMPLAINT_STATUSES, s), s) for s in COMPLAINT_STATUSES]),
            forms.text("resolution", _("Resolution"), required=False, max_length=500,
                       hint=_("needed to resolve it")),
        ], submit_label=_("Save"))
        self.ask(form, lambda v: partial(callbacks.update_complaint, row.id, v["status"], resolution=v["resolution"] or ""),
                 success=lambda _r: _("Complaint #{number} updated.").format(number=row.id))

    def action_create_call(self) -> None:
        row = self.query_one("#reminders-table", PagedTable).selected
        if row is not None:
            self.act(reminders.create_calls, [row], success=lambda made: _("Reminder call created.") if made
                     else _("That customer already has this call."))

    def action_create_all(self) -> None:
        rows = self.query_one("#reminders-table", PagedTable).items
        self.act(reminders.create_calls, rows, success=lambda made: ngettext(
            "{made} reminder calls created for {count} customer on this page.",
            "{made} reminder calls created for {count} customers on this page.", len(rows)).format(
                made=made, count=len(rows)))

    def action_reassign(self) -> None:
        agents = [(agent.name, agent.id) for agent in callbacks.follow_up_agents()]
        names = dict((agent_id, name) for name, agent_id in agents)
        form = FormDialog(_("Hand an absent agent's open calls to another"), [
            forms.choice("from_agent", _("From"), agents), forms.choice("agent", _("To"), agents)],
            submit_label=_("Reassign"))
        chosen: dict = {}

        def call(values: dict) -> partial:
            chosen.update(values)
            return partial(callbacks.reassign, values["from_agent"], values["agent"])

        self.ask(form, call, success=lambda moved: ngettext(
            "{count} open call of {source} handed to {target}.", "{count} open calls of {source} handed to {target}.",
            moved).format(count=moved, source=names[chosen["from_agent"]], target=names[chosen["agent"]]))


def call_form(c: callbacks.CallContext) -> FormDialog:
    """One call: who and why, what was done; reached or not, a score 1-5 per question, notes, a complaint."""
    intro = [line((c.customer, "bold"), f"  {c.mobile}  · ", label(CALLBACK_KIND_LABELS, c.kind),
                  " · " + callbacks.reason_text(c.reason) if c.reason else "")]
    if c.lines:
        intro.append(line(_("Done: {lines}").format(lines=join(c.lines))))
    if c.advisor:
        intro.append(line(_("Advisor {advisor} · technicians {technicians}").format(
            advisor=c.advisor, technicians=join(c.technicians) or "—")))
    fields = [forms.choice("reached", _("Reached"), [(_("Reached"), True), (_("Not reached"), False)], value=True)]
    fields += [forms.number(f"q{index}", question, minimum=1, maximum=5, places=0, required=False,
                            placeholder=_("score 1-5"), also=("scores",) if index == 0 else ())
               for index, question in enumerate(c.question_texts or c.questions)]
    fields += [forms.text("notes", _("Notes"), required=False, max_length=500),
               forms.text("complaint", _("Complaint"), required=False, max_length=500,
                          hint=_("leave empty if none"))]
    return FormDialog(_("Follow-up call"), fields, intro=lines(intro), submit_label=_("Save call"))
