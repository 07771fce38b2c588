"""The follow-up screen (F8): calls due, complaints, reminders, lost customers, campaigns, the call register
and the figures. Everyone who may handle a complaint opens it (the complaints at least): each tab shows
only to the roles it is for, and an escalated complaint is on its holder's complaints tab first."""
from __future__ import annotations

import datetime as dt
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static, TabbedContent, TabPane

from screens import followup_forms
from screens.acting import Acting
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, cut, literal
from workshop import (call_register, callbacks, campaigns, clock, followup_figures, i18n, reminders, winback)
from workshop.i18n import N_, _, day, label, ngettext
from workshop.permissions import can
from models.followup import CALL_CHANNEL_LABELS, CALL_TOPIC_LABELS, CALLBACK_KIND_LABELS, COMPLAINT_STATUS_LABELS

VIEWS = ("due", "upcoming", "all")
NEXT_STATUSES = ("in_progress", "resolved", "verified")
# Each tab: its label, the table that takes the focus, and the rights that show it (any of them).
TABS = {
    "queue": (N_("Calls"), "#calls", ("close_callback",)),
    "complaints": (N_("Complaints"), "#complaints-table", ("handle_complaint",)),
    "reminders": (N_("Reminders"), "#reminders-table", ("create_callback",)),
    "lost": (N_("Lost"), "#lost-table", ("close_callback",)),
    # (advisors too: at the event, the front desk marks who came)
    "campaigns": (N_("Campaigns"), "#campaigns-table", ("close_callback", "plan_campaigns", "log_call")),
    "register": (N_("Register"), "#register-table", ("log_call", "close_callback")),
    "figures": (N_("Figures"), "#churn", ("view_reports",)),
}
# Changes that touch what this screen lists (event kinds; a prefix ends with "_").
FOLLOW_UP_KINDS = ("callback_", "call", "call_in", "complaint_", "winback_call", "campaign_", "service_plan",
                   "planned_service", "order_created")


def _touches(changes) -> bool:
    return getattr(changes, "overflow", False) or any(
        kind.startswith(FOLLOW_UP_KINDS) for kind in getattr(changes, "kinds", ()))


def _call_row(r: callbacks.QueueRow):
    when = _("OVERDUE") if r.overdue else day(r.due, "%m-%d")
    # (names cut by cells and the order by its number under its column's title: the list fits 80 columns)
    return (when, label(CALLBACK_KIND_LABELS, r.kind), cut(r.customer, 16), r.mobile, r.plate,
            str(r.order_number or ""), str(r.attempts),
            "100%" if r.required else "", r.agent, cut(callbacks.reason_text(r.reason), 30))


def _complaint_row(c: callbacks.ComplaintRow):
    # Its status and whom it is escalated to before the mobile: in view at 80 columns.
    return (f"#{c.id}", cut(c.customer, 16), cut(c.description, 24), label(COMPLAINT_STATUS_LABELS, c.status),
            (_("escalated to {name}").format(name=c.handler) if c.handler else _("ESCALATED")) if c.escalated else "",
            f"{c.due:%m-%d}", f"{c.created_at:%m-%d}", c.mobile, label(call_register.DEPARTMENT_LABELS, c.department))


def _reminder_row(r: reminders.Reminder):
    return (i18n.date(r.due) if r.due else "", cut(r.customer, 16), r.mobile, r.plate, r.detail)


def _lost_row(r: winback.LostRow):
    last = (f"{i18n.date(r.last_call_at)} {r.last_result_label}" if r.last_call_at else "")
    return (i18n.date(r.last_visit), str(r.months_away), r.name, r.mobile, " ".join(r.plates[:2]),
            str(r.winback_calls or ""), last)


def _campaign_row(c: campaigns.CampaignRow):
    days = i18n.date(c.starts_on) + ("" if c.ends_on == c.starts_on else f"…{c.ends_on:%m-%d}")
    return (days, c.name, c.rule_text, i18n.date(c.invite_from), str(c.invited), str(c.answered), str(c.accepted),
            str(c.came))


def _invitation_row(r: campaigns.InvitationRow):
    return (i18n.date(r.due), r.campaign, r.customer, r.mobile, r.plate, str(r.attempts or ""), r.result_label,
            _("came") if r.came else "")


def _register_row(r: call_register.CallRow):
    arrow = "←" if r.direction == "in" else "→"
    what = call_register.result_label(r.topic, r.result) if r.result else (
        _("reached") if r.reached else _("not reached"))
    # What it came to before how and the mobile: at 80 columns the customer and the result are in view.
    return (f"{r.at:%m-%d %H:%M}", arrow, label(CALL_TOPIC_LABELS, r.topic), cut(r.customer, 16), what,
            label(CALL_CHANNEL_LABELS, r.channel), r.mobile, f"#{r.complaint_id}" if r.complaint_id else "", r.by,
            cut(r.notes, 40))


class CallbacksScreen(Acting, KeptScreen):
    CSS_PATH = "callbacks.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("enter", "call", N_("Record call")),
        Binding("enter", "winback", N_("Win-back call")),
        Binding("enter", "invite", N_("Invitation")),
        Binding("v", "next_view", N_("Due/upcoming/all")),
        Binding("v", "invitations_view", N_("Due/this campaign")),
        Binding("v", "register_view", N_("All/incoming")),
        Binding("m", "mine", N_("Mine/all")),
        Binding("m", "complaints_mine", N_("Mine/all")),
        Binding("s", "complaint_status", N_("Status")),
        Binding("h", "hand_complaint", N_("Hand on")),
        Binding("k", "next_kind", N_("Next list")),
        Binding("c", "create_call", N_("Call this one")),
        Binding("C", "create_all", N_("Call all on page")),
        Binding("n", "new_campaign", N_("New campaign")),
        Binding("g", "came", N_("Came")),
        Binding("o", "lost_order", N_("Longest/latest first")),
        Binding("i", "incoming", N_("Incoming call")),
        Binding("w", "walk_in", N_("Walk-in")),
        Binding("R", "reassign", N_("Reassign")),
        *[Binding(str(n), f"tab('{tab}')", show=False) for n, tab in enumerate(TABS, start=1)],
    ]
    TAB_ACTIONS = {"call": "queue", "next_view": "queue", "mine": "queue", "reassign": "queue",
                   "complaint_status": "complaints", "hand_complaint": "complaints", "complaints_mine": "complaints",
                   "next_kind": "reminders", "create_call": "reminders", "create_all": "reminders",
                   "winback": "lost", "lost_order": "lost", "invite": "campaigns", "invitations_view": "campaigns",
                   "new_campaign": "campaigns", "came": "campaigns", "register_view": "register"}
    PERMISSIONS = {"call": "close_callback", "complaint_status": "handle_complaint", "hand_complaint": "handle_complaint",
                   "create_call": "create_callback", "create_all": "create_callback", "reassign": "reassign_callbacks",
                   "winback": "close_callback", "invite": "close_callback", "new_campaign": "plan_campaigns",
                   "came": "log_call", "incoming": "log_call", "walk_in": "log_call"}

    def __init__(self):
        super().__init__()
        self.view = "due"
        self.kind = "maintenance"
        self.mine = False
        self.complaints_mine = False
        self.incoming_only = False
        self.longest_lost_first = False
        self.campaign: campaigns.CampaignRow | None = None  # whose invitations show (None: those due today)
        self.stale: set[str] = set(TABS)  # tabs to read again when they are next shown

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            with TabPane(self._tab_label("queue"), id="queue"):
                yield Label("", id="queue-title", classes="title")
                yield PagedTable((_("Due"), _("Kind"), _("Customer"), _("Mobile"), _("Plate"), _("Order"), _("Tries"),
                                  "", _("Agent"), _("Why")), _call_row, id="calls")
            with TabPane(self._tab_label("complaints"), id="complaints"):
                yield Label("", id="complaints-title", classes="title")
                yield PagedTable((_("No."), _("Customer"), _("Complaint"), _("Status"), "", _("Due"), _("Opened"),
                                  _("Mobile"), _("About")), _complaint_row, id="complaints-table")
            with TabPane(self._tab_label("reminders"), id="reminders"):
                yield Label("", id="reminder-title", classes="title")
                yield PagedTable((_("Due"), _("Customer"), _("Mobile"), _("Plate"), _("Detail")), _reminder_row,
                                 id="reminders-table")
            with TabPane(self._tab_label("lost"), id="lost"):
                yield Label("", id="lost-title", classes="title")
                yield PagedTable((_("Last visit"), _("Months"), _("Customer"), _("Mobile"), _("Plates"), _("Calls"),
                                  _("Last call")), _lost_row, id="lost-table")
            with TabPane(self._tab_label("campaigns"), id="campaigns"):
                yield PagedTable((_("Dates"), _("Campaign"), _("Invites"), _("Invite from"), _("Invited"), _("Answered"),
                                  _("Coming"), _("Came")), _campaign_row, id="campaigns-table", page_size=50)
                yield Label("", id="invitations-title", classes="title")
                yield PagedTable((_("Due"), _("Campaign"), _("Customer"), _("Mobile"), _("Plate"), _("Tries"),
                                  _("Answer"), ""), _invitation_row, id="invitations-table")
            with TabPane(self._tab_label("register"), id="register"):
                yield Label("", id="register-title", classes="title")
                yield PagedTable((_("When"), "", _("Kind"), _("Customer"), _("Result"), _("How"), _("Mobile"),
                                  _("Complaint"), _("By"), _("Notes")), _register_row, id="register-table")
            with TabPane(self._tab_label("figures"), id="figures"):
                with VerticalScroll():
                    yield Static(id="figures-text")
                    yield Table(id="churn", cursor_type="row")
        yield KeyBar()

    def _tab_label(self, tab: str) -> str:
        return f"{_(TABS[tab][0])} {list(TABS).index(tab) + 1}"

    def shows(self, tab: str) -> bool:
        return any(can(self.app.staff, right) for right in TABS[tab][2])

    def on_mount(self) -> None:
        self.title = _("Follow-up")
        staff = self.app.staff
        self.mine = staff.has_role("follow_up_agent") and not staff.has_role("manager")
        tabbed = self.query_one(TabbedContent)
        for tab in TABS:
            if not self.shows(tab):
                tabbed.hide_tab(tab)
        self.query_one("#churn", DataTable).add_columns(_("Month"), _("Lost"), _("Active base"), _("Churn"),
                                                        _("Lost in total"), _("Win-back calls"), _("Came back"))
        # Someone holding escalated complaints sees them first (and the app told them at sign-in).
        escalated = self.shows("complaints") and callbacks.escalated_to(staff.id) > 0
        self.complaints_mine = escalated
        first = "complaints" if escalated else next(tab for tab in TABS if self.shows(tab))
        tabbed.active = first
        self.load_tab(first)
        self.query_one(TABS[first][1]).focus()

    # --- loading: the tab shown, the others when they are next shown ----------------------------------
    @property
    def active(self) -> str:
        return self.query_one(TabbedContent).active

    def reload(self) -> None:
        self.stale = set(TABS)
        self.load_tab(self.active)

    def load_tab(self, tab: str) -> None:
        self.stale.discard(tab)
        getattr(self, f"_load_{tab}")()

    def _load_queue(self) -> None:
        agent = self.app.staff.id if self.mine else None
        view = self.view
        views = {"due": _("due today and overdue"), "upcoming": _("upcoming"), "all": _("all")}
        self.query_one("#queue-title", Label).update(
            (_("My calls · {view}") if self.mine else _("All calls · {view}")).format(view=views[view]))
        self.query_one("#calls", PagedTable).load(
            lambda n, after: callbacks.queue(agent_id=agent, view=view, limit=n, after=after), keyset=True)

    def _load_complaints(self) -> None:
        me = self.app.staff.id if self.complaints_mine else None
        count = callbacks.escalated_to(self.app.staff.id)
        title = (_("Escalated to me") if me else _("Open complaints")) + (
            " · " + callbacks.escalation_notice(self.app.staff.id) if count else "") + " (m: " + (
            _("all") if me else _("mine")) + ")"
        self.query_one("#complaints-title", Label).update(literal(title))
        self.query_one("#complaints-table", PagedTable).load(
            lambda n, o: callbacks.complaints(limit=n, offset=o, escalated_to=me))

    def _load_reminders(self) -> None:
        kind = self.kind
        self.query_one("#reminder-title", Label).update(literal(
            _("{list} (k: next list)").format(list=_(reminders.KINDS[kind]))))
        self.query_one("#reminders-table", PagedTable).load(
            lambda n, after: reminders.due(kind, limit=n, after=after), keyset=True)

    def _load_lost(self) -> None:
        longest = self.longest_lost_first
        since = i18n.date(winback.lost_before().date())
        self.query_one("#lost-title", Label).update(literal(
            (_("No visit since {date}, the longest lost first · Enter: win-back call") if longest else
             _("No visit since {date}, the most recently lost first · Enter: win-back call")).format(date=since)))
        self.query_one("#lost-table", PagedTable).load(
            lambda n, after: winback.lost_customers(limit=n, after=after, longest_first=longest), keyset=True)

    def _load_campaigns(self) -> None:
        self.query_one("#campaigns-table", PagedTable).load(lambda n, o: campaigns.campaigns(limit=n) if not o else [])
        chosen = self.campaign
        if chosen is None:
            self.query_one("#invitations-title", Label).update(literal(
                _("Invitations due today, every campaign · Enter on a campaign: its own")))
            self.query_one("#invitations-table", PagedTable).load(
                lambda n, after: campaigns.invitations_due(limit=n, after=after), keyset=True)
        else:
            self.query_one("#invitations-title", Label).update(literal(
                _("Invitations of {name} (v: those due today)").format(name=chosen.name)))
            self.query_one("#invitations-table", PagedTable).load(
                lambda n, after: campaigns.invitations_of(chosen.id, limit=n, after=after), keyset=True)

    def _load_register(self) -> None:
        incoming = self.incoming_only
        self.query_one("#register-title", Label).update(literal(
            (_("Incoming calls and walk-ins, newest first") if incoming else _("Every call, newest first"))
            + " (v · i: " + _("incoming call") + " · w: " + _("walk-in") + ")"))
        self.query_one("#register-table", PagedTable).load(
            lambda n, after: call_register.calls(limit=n, after=after, incoming_only=incoming), keyset=True)

    def _load_figures(self) -> None:
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
            _("Complaints opened {opened} · resolved {closed} · escalated {escalated}").format(
                opened=f.complaints_opened, closed=f.complaints_closed, escalated=f.complaints_escalated),
            "", _("Lost customers and churn per month:")]), multiline=True))
        table = self.query_one("#churn", DataTable)
        table.clear()
        for m in followup_figures.churn_months():
            table.add_row(*cells(m.month, m.lost, m.base, pct(m.churn_pct), m.lost_total, m.winback_calls,
                                 m.won_back))

    def refresh_from_changes(self, changes) -> None:
        if not _touches(changes):
            return
        self.stale = set(TABS)
        if self.is_attached and self.active != "figures":  # the figures read a month: on opening the tab only
            self.load_tab(self.active)

    # --- tabs and keys ---------------------------------------------------------------------------
    def offers(self, action: str, parameters) -> bool | None:
        tab = self.TAB_ACTIONS.get(action)
        return tab is None or self.active == tab

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        active = self.active
        if active in self.stale or active == "figures":
            self.load_tab(active)
        self.set_focus(self.query_one(TABS[active][1]))

    def action_tab(self, tab: str) -> None:
        if self.shows(tab):
            self.query_one(TabbedContent).active = tab

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.load_tab("queue")

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.load_tab("queue")

    def action_complaints_mine(self) -> None:
        self.complaints_mine = not self.complaints_mine
        self.load_tab("complaints")

    def action_next_kind(self) -> None:
        kinds = list(reminders.KINDS)
        self.kind = kinds[(kinds.index(self.kind) + 1) % len(kinds)]
        self.load_tab("reminders")

    def action_invitations_view(self) -> None:
        self.campaign = None if self.campaign is not None else self.query_one("#campaigns-table", PagedTable).selected
        self.load_tab("campaigns")

    def action_lost_order(self) -> None:
        self.longest_lost_first = not self.longest_lost_first
        self.load_tab("lost")

    def action_register_view(self) -> None:
        self.incoming_only = not self.incoming_only
        self.load_tab("register")

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    # --- calls -----------------------------------------------------------------------------------
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
                           complaint=values["complaint"] or "", department=values["department"] or "service")

        self.ask(followup_forms.call_form(context), call, success=lambda _r: _("Call recorded.") if chosen["reached"]
                 else _("Not reached: a retry is scheduled."))

    def action_reassign(self) -> None:
        from screens import forms
        from screens.forms import FormDialog
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

    # --- complaints ------------------------------------------------------------------------------
    def action_complaint_status(self) -> None:
        from screens import forms
        from screens.forms import FormDialog
        row = self.query_one("#complaints-table", PagedTable).selected
        if row is None:
            return
        form = FormDialog(_("Complaint #{number}: {what}").format(number=row.id, what=cut(row.description, 60)), [
            forms.choice("status", _("New status"), [(label(COMPLAINT_STATUS_LABELS, s), s) for s in NEXT_STATUSES]),
            forms.text("resolution", _("Resolution"), required=False, max_length=500,
                       hint=_("needed to resolve it")),
        ], submit_label=_("Save"))
        self.ask(form, lambda v: partial(callbacks.update_complaint, row.id, v["status"], resolution=v["resolution"] or ""),
                 success=lambda _r: _("Complaint #{number} updated.").format(number=row.id))

    def action_hand_complaint(self) -> None:
        row = self.query_one("#complaints-table", PagedTable).selected
        if row is None:
            return
        handlers = [h for h in callbacks.complaint_handlers() if h.id != row.handler_id]
        names = {h.id: h.name for h in handlers}
        chosen: dict = {}

        def call(values: dict) -> partial:
            chosen.update(values)
            return partial(callbacks.hand_complaint, row.id, values["handler"])

        self.ask(followup_forms.hand_form(row.id, row.description, handlers), call,
                 success=lambda _r: _("Complaint #{number} handed to {name}.").format(
                     number=row.id, name=names.get(chosen.get("handler"), "")))

    # --- reminders -------------------------------------------------------------------------------
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

    # --- lost customers --------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#lost-table")
    def action_winback(self) -> None:
        if not self.check_action("winback", ()):
            return
        row = self.query_one("#lost-table", PagedTable).selected
        if row is None:
            return
        form = followup_forms.winback_form(row.name, row.mobile, row.last_visit, row.months_away, row.plates)
        self.ask(form, lambda v: partial(winback.record_winback, row.customer_id,
                                         **followup_forms.outcome_values(v)),
                 success=lambda _r: _("Win-back call to {name} recorded.").format(name=row.name))

    # --- campaigns -------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#campaigns-table")
    def campaign_chosen(self) -> None:
        self.campaign = self.query_one("#campaigns-table", PagedTable).selected
        self.load_tab("campaigns")
        self.query_one("#invitations-table").focus()

    @on(DataTable.RowSelected, "#invitations-table")
    def action_invite(self) -> None:
        if not self.check_action("invite", ()):
            return
        row = self.query_one("#invitations-table", PagedTable).selected
        if row is None:
            return
        form = followup_forms.invitation_form(row.campaign, row.starts_on, row.customer, row.mobile, row.plate)
        self.ask(form, lambda v: partial(campaigns.record_invitation, row.id, **followup_forms.outcome_values(v)),
                 success=lambda _r: _("Invitation of {name} recorded.").format(name=row.customer))

    def action_new_campaign(self) -> None:
        def call(values: dict) -> partial:
            return partial(campaigns.create_campaign, campaigns.CampaignForm(
                name=values["name"] or "", starts_on=values["starts_on"] or "", ends_on=values["ends_on"] or "",
                rule=values["rule"], rule_value=values["rule_value"] or "", notes=values["notes"] or ""))

        self.ask(followup_forms.campaign_form(), call, success=lambda c: _(
            "Campaign {name} planned: {count} invited, invitations due from {date}.").format(
            name=c.name, count=c.invited, date=i18n.date(c.invite_from)))

    def action_came(self) -> None:
        row = self.query_one("#invitations-table", PagedTable).selected
        if row is not None:
            self.act(campaigns.mark_came, row.id, success=_("{name} came.").format(name=row.customer))

    # --- incoming calls and walk-ins -------------------------------------------------------------
    def _customer_here(self) -> str:
        """The mobile of the customer on the selected row, to start the incoming call's form with."""
        table = self.query_one(TABS[self.active][1])
        row = getattr(table, "selected", None)
        return getattr(row, "mobile", "") or ""

    def _incoming(self, walk_in: bool) -> None:
        form = followup_forms.incoming_form(customer=self._customer_here(), walk_in=walk_in)
        self.ask(form, lambda v: partial(call_register.record_incoming, v["customer"] or "",
                                         **followup_forms.outcome_values(v)),
                 success=lambda call: (_("Walk-in of {name} in the register.") if walk_in else
                                       _("Incoming call of {name} in the register.")).format(
                                     name=call_register.customer_of(call.id)))

    def action_incoming(self) -> None:
        self._incoming(walk_in=False)

    def action_walk_in(self) -> None:
        self._incoming(walk_in=True)
