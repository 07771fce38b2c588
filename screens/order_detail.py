"""One repair order: its header, job lines (billed beside actual hours), parts and its history."""
from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Label, Static

from screens import forms
from screens.acting import Acting, in_turn
from screens.dialogs import quantity_field, reason_form
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, line, lines, literal
from models.approvals import APPROVAL_CHANNEL_LABELS, APPROVAL_CHANNELS, APPROVAL_LABELS
from models.orders import BUSINESS_TYPE_LABELS, JOB_LINE_STATUS_LABELS
from models.parts import PART_LINE_STATUS_LABELS
from models.people import TRADE_LABELS
from workshop import approvals, audit, clock, lifecycle, shops, trade_dispatch
from workshop import dispatch as dispatching
from workshop.i18n import N_, _, join, label, pgettext

HISTORY_LIMIT = 200


def _at(moment) -> str:
    """A planned time: 16:30 today, 12-01 10:23 another day (a trade planned into tomorrow morning)."""
    return f"{moment:%H:%M}" if moment.date() == clock.today() else f"{moment:%m-%d %H:%M}"


def part_rows(order_id: int) -> list | None:
    """The order's part lines from the parts capability, if it is installed."""
    try:
        from workshop.parts import order_part_lines
    except ImportError:
        return None
    return order_part_lines(order_id)


def approval_cell(quote):
    """Where the customer stands on a line: approved, waiting (bold), declined (dim)."""
    if quote is None:
        return ""
    style = {"pending": "bold yellow", "declined": "dim"}.get(quote.approval, "")
    return literal(label(APPROVAL_LABELS, quote.approval), style)


class OrderDetailScreen(Acting, KeptScreen):
    CSS_PATH = "order_detail.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("f", "finish_line", N_("Finish line")),
        Binding("o", "clock_on", N_("Clock on")),
        Binding("c", "clock_off", N_("Clock off")),
        Binding("a", "add_line", N_("Add job")),
        Binding("k", "add_part", N_("Add part")),
        Binding("b", "bill", N_("Bill")),
        Binding("r", "return_part", N_("Return part")),
        Binding("x", "exchange_part", N_("Exchange part")),
        Binding("O", "old_part", N_("Old part")),
        Binding("v", "vehicle_file", N_("Car's file")),
        Binding("y", "answer", N_("Customer's answer")),
        Binding("e", "estimate", N_("Estimate")),
        Binding("t", "line_team", N_("Line's team"), show=False),
        Binding("w", "warranty_claim", N_("Warranty claim")),
        Binding("i", "insurance_claim", N_("Insurance claim")),
        Binding("m", "comeback", N_("Comeback"), show=False),
        Binding("tab", "focus_next", N_("Next table"), show=False),
    ]
    PERMISSIONS = {"finish_line": "move_card", "clock_on": "clock_time", "clock_off": "clock_time",
                   "add_line": "edit_order", "add_part": "request_parts", "comeback": "mark_comeback",
                   "return_part": "pick_parts", "exchange_part": "pick_parts", "old_part": "pick_parts",
                   "vehicle_file": "view_customer_file",
                   "answer": "record_approval", "estimate": "record_approval", "line_team": "dispatch",
                   "warranty_claim": "view_warranty_claims", "insurance_claim": "insurance_claims"}
    # Keys for one kind of order only (a warranty job's claim, an accident repair's insurer).
    FOR_BUSINESS = {"warranty_claim": "warranty", "insurance_claim": "insurance"}

    def __init__(self, order_id: int | None):
        """``order_id`` None: built ahead, empty until ``show_order``."""
        super().__init__()
        self.order_id = order_id
        self.order = None
        self.line_ids: list[int] = []
        self.part_lines: list = []  # the parts table's rows (workshop.parts.LineRow)
        self.quotes: dict = {}  # job line id -> approvals.LineQuote

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static("", id="order-head")
            yield Label(_("Job lines"), classes="title")
            yield Table(id="lines", cursor_type="row", zebra_stripes=True)
            yield Label(_("Parts"), classes="title", id="parts-title")
            yield Table(id="parts", cursor_type="row", zebra_stripes=True)
            yield Label(_("History"), classes="title")
            yield Table(id="history", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = pgettext("screen title", "Repair order")
        self.query_one("#lines", DataTable).add_columns(_("Code"), _("Operation"), _("Customer"), _("Trade"),
                                                        _("Std h"), _("Billed h"), _("Actual h"), _("Status"),
                                                        _("Technicians"), _("Amount"))
        self.query_one("#parts", DataTable).add_columns(_("Code"), _("Part"), _("Qty"), _("Picked"), _("Returned"),
                                                        _("Status"), _("Bin"))
        self.query_one("#history", DataTable).add_columns(_("When"), _("Who"), _("What"))
        if self.order_id is None:
            # Built ahead (screens/kept.py): read the newest active order meanwhile, so that the first
            # order opened finds the file's pages and the tables' drawing warm (the first open on
            # the large shop had paid ~40% more than the next ones for it).
            from workshop.board import newest_active_order
            self.order_id = newest_active_order(shops.scope(getattr(self.app, "staff", None)))
        if self.order_id is not None:
            self.reload()
        self.query_one("#lines", DataTable).focus()

    def offers(self, action: str, parameters) -> bool | None:
        business = self.FOR_BUSINESS.get(action)
        return business is None or (self.order is not None and self.order.business_type == business)

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
        # (this screen's only: the board keeps its own)
        self.sub_title = f"{order.label} · {self.app.sub_title}"
        head = [line((order.label + " ", "bold"), (order.plate, "bold cyan"),
                     f"  {order.brand} {order.model}  ", _("VIN {vin}").format(vin=order.vin)),
                line(_("{owner} · {mobile} · {business} · advisor {advisor}").format(
                    owner=order.owner, mobile=order.mobile, business=label(BUSINESS_TYPE_LABELS, order.business_type),
                    advisor=order.advisor)),
                line((lifecycle.label(order.state), "bold"), " · ", _(
                    "bay {bay} · in {time_in} · promised {promised} · {mileage} km · fuel {fuel}").format(
                    bay=order.bay or "—", time_in=f"{order.time_in:%Y-%m-%d %H:%M}",
                    promised=f"{order.promised_at:%Y-%m-%d %H:%M}", mileage=f"{order.mileage_in:,}",
                    fuel=order.fuel_level or "—")),
                line(_("Customer says: {statement}").format(statement=order.statement), multiline=True)]
        route = trade_dispatch.stages(order.id)
        if route:  # where the car is now and where it goes next (dispatch per trade)
            marks = {"done": ("✓", "dim"), "here": ("▶", "bold green"), "waiting": ("·", "")}
            parts = [(_("Bays: "), "bold")]
            for i, stage in enumerate(route):
                mark, style = marks[stage.state]
                parts += [(" → " if i else "", "dim"),
                          (f"{mark} {stage.bay} {label(TRADE_LABELS, stage.trade)}"
                           f" ({stage.lead or '—'}, {_at(stage.planned_start)}–{_at(stage.planned_end)})", style)]
            head.append(line(*parts))
        if order.rework:
            head.append(line((_("REWORK:") + " ", "bold red"), order.rework_reason or ""))
        self.query_one("#order-head", Static).update(lines(head))
        self.refresh_bindings()  # (w and i are for warranty and insurance orders)
        job_lines = dispatching.order_lines(order.id)
        self.line_ids = [job.id for job in job_lines]
        self.quotes = {q.id: q for q in approvals.order_quotes(order.id)}  # the customer's word and the amount
        table = self.query_one("#lines", DataTable)
        row = table.cursor_row
        table.clear()
        for job in job_lines:
            quote = self.quotes.get(job.id)
            word = approval_cell(quote)
            table.add_row(*cells(job.code, job.name, word, label(TRADE_LABELS, job.trade), job.standard_hours,
                                 job.billed_hours, job.actual_hours, label(JOB_LINE_STATUS_LABELS, job.status),
                                 join(job.technicians) or "—", f"{quote.amount:,.2f}" if quote else ""),
                          key=str(job.id))
        if job_lines:
            table.move_cursor(row=min(row, len(job_lines) - 1))
        self._load_parts()
        history = self.query_one("#history", DataTable)
        history.clear()
        for event in audit.order_history(order.id, limit=HISTORY_LIMIT):
            history.add_row(*cells(f"{event.at:%Y-%m-%d %H:%M}", event.actor, event.summary))

    def _load_parts(self) -> None:
        rows = part_rows(self.order_id)
        self.part_lines = list(rows or [])
        parts = self.query_one("#parts", DataTable)
        parts.display = rows is not None
        self.query_one("#parts-title", Label).display = rows is not None
        parts.clear()
        from workshop.parts import fmt
        for row in rows or []:
            parts.add_row(*cells(row.code, row.name, fmt(row.qty), fmt(row.picked), fmt(row.returned),
                                 label(PART_LINE_STATUS_LABELS, row.status), row.bin or ""))

    def refresh_from_changes(self, changes) -> None:
        if self.order_id in changes.order_ids or changes.overflow:
            self.reload()

    # --- actions on the selected part line (picked parts too, not only those still to pick) ------------
    def _selected_part(self):
        table = self.query_one("#parts", DataTable)
        if not self.part_lines:
            self.notify(_("This order has no parts."), severity="warning")
            return None
        return self.part_lines[min(table.cursor_row, len(self.part_lines) - 1)]

    def action_return_part(self) -> None:
        from screens.part_actions import ask_return
        if line := self._selected_part():
            ask_return(self, line)

    def action_exchange_part(self) -> None:
        from screens.part_actions import ask_exchange
        if line := self._selected_part():
            ask_exchange(self, line)

    def action_old_part(self) -> None:
        from screens.part_actions import ask_old_part
        if line := self._selected_part():
            ask_old_part(self, line)

    # --- actions on the selected job line ----------------------------------------------------------------
    def _selected_line(self) -> int | None:
        table = self.query_one("#lines", DataTable)
        if not self.line_ids:
            self.notify(_("This order has no job lines."), severity="warning")
            return None
        return self.line_ids[min(table.cursor_row, len(self.line_ids) - 1)]

    def after_acting(self) -> None:
        if self.is_attached and self.order_id is not None:
            self.reload()  # whatever the outcome: what the order is now

    def _technician_for(self, line_id: int) -> int | None:
        staff = self.app.staff
        if staff.has_role("technician"):
            return staff.id
        lead = dispatching.lead_technician(line_id)
        if lead is None:
            self.notify(_("No technician on this line: dispatch the order first (board, d)."), severity="error")
        return lead

    @in_turn
    def action_finish_line(self) -> None:
        line_id = self._selected_line()
        if line_id is not None:
            self.act(dispatching.finish_line, line_id, seen_version=self.order.version)

    @in_turn
    def action_clock_on(self) -> None:
        line_id = self._selected_line()
        tech = self._technician_for(line_id) if line_id else None
        if tech is not None:
            self.act(dispatching.clock_on, line_id, tech, seen_version=self.order.version)

    @in_turn
    def action_clock_off(self) -> None:
        line_id = self._selected_line()
        tech = self._technician_for(line_id) if line_id else None
        if tech is not None:
            self.act(dispatching.clock_off, line_id, tech, finished=False, seen_version=self.order.version)

    def action_line_team(self) -> None:
        """Give the selected job line another team, the rest of the order as it is."""
        line_id = self._selected_line()
        if line_id is None:
            return
        from workshop import trade_dispatch as dispatch_per_trade
        from workshop.dispatch import technician_loads
        job = next(j for j in dispatching.order_lines(self.order_id) if j.id == line_id)
        # The line's team first, then the technicians of its trade: the one to pick is near the top at 80x24.
        techs = sorted(technician_loads(shops.scope(self.app.staff)), key=lambda t: (t.name not in job.technicians, t.trade != job.trade, t.name))
        form = FormDialog(_("Team of '{job}' on RO {number}").format(job=job.name, number=self.order.number), [
            forms.choices("technicians", _("Technicians"),
                          [(f"{t.name} · {label(TRADE_LABELS, t.trade)} · " + _("{count} open").format(
                              count=t.open_lines), t.id) for t in techs],
                          value=[t.id for t in techs if t.name in job.technicians],
                          hint=_("space picks; the first picked leads"))], submit_label=_("Re-dispatch"))
        order = self.order
        self.ask(form, lambda values: partial(dispatch_per_trade.redispatch_line, line_id, values["technicians"],
                                              seen_version=order.version),
                 success=_("'{job}' re-dispatched.").format(job=job.name), about=order.id)

    def action_add_line(self) -> None:
        from workshop.reception import add_job_line
        order = self.order
        form = reason_form(_("Add a job line to RO {number}").format(number=order.number), name="operation",
                           label=_("Operation code"), placeholder=_("e.g. ME001"), max_length=20)
        self.ask(form, lambda values: partial(add_job_line, order.id, values["operation"], seen_version=order.version),
                 success=_("Job line added."))

    def action_add_part(self) -> None:
        from workshop.parts import add_part_line
        order = self.order
        form = FormDialog(_("Add a part to RO {number}").format(number=order.number), [
            forms.text("part", _("Part code"), placeholder=_("e.g. OF-M20A"), max_length=30, also=("code",)),
            quantity_field("qty", _("Quantity"), value=1, maximum=PART_QTY_MAX),
        ], submit_label=_("Add part"))
        self.ask(form, lambda values: partial(add_part_line, order.id, values["part"], values["qty"],
                                              seen_version=order.version),
                 success=_("Part added and reserved where in stock."))

    def action_vehicle_file(self) -> None:
        from screens.customer_file import open_vehicle_file
        from workshop.customer_file import vehicle_of_order
        vehicle_id = self.fetch(vehicle_of_order, self.order_id) if self.order_id else None
        if vehicle_id is not None:
            open_vehicle_file(self.app, vehicle_id)

    def action_answer(self) -> None:
        """The customer's answer on the selected line: approved or declined, how, by whom."""
        line_id = self._selected_line()
        quote = self.quotes.get(line_id) if line_id else None
        if quote is None:
            return
        if quote.approval == "approved":
            self.notify(_("'{line}' is approved already.").format(line=quote.name), severity="warning")
            return
        order = self.order
        decisions = [(_("approved"), "approved")] + ([(_("declined"), "declined")] if quote.approval == "pending" else [])
        form = FormDialog(_("The customer's answer: {line}").format(line=quote.name), [
            forms.choice("decision", _("Answer"), decisions),
            forms.choice("channel", _("How"), [(label(APPROVAL_CHANNEL_LABELS, c), c) for c in APPROVAL_CHANNELS],
                         value="phone"),
            forms.text("reference", _("Reference"), required=False, max_length=60,
                       hint=_("the WeChat / SMS message, the signed sheet")),
            forms.text("customer_name", _("Answered by"), required=False, max_length=60, hint=_("blank: the owner")),
        ], intro=line(quote.code, " ", (quote.name, "bold"), f" · {quote.hours} h · ",
                      (f"{quote.amount:,.2f}", "bold")), submit_label=_("Save"))

        def call(values: dict) -> partial:
            service = approvals.approve if values["decision"] == "approved" else approvals.decline
            return partial(service, order.id, [line_id], channel=values["channel"],
                           reference=values["reference"] or "", customer_name=values["customer_name"] or "",
                           seen_version=order.version)

        self.ask(form, call, success=_("The customer's answer is recorded."))

    def action_estimate(self) -> None:
        """Write the estimate for the customer (text and A4 page) beside the invoices."""
        from workshop.document_files import write_estimate
        self.act(write_estimate, self.order_id, as_staff=False,
                 success=lambda written: _("Estimate written: {path}").format(path=written.paths[0])
                 if written.ok else written.error)
    def action_warranty_claim(self) -> None:
        """The order's warranty claim on the claims screen; drafted first if there is none yet."""
        from workshop import warranty
        order = self.order
        claim = warranty.claim_of_order(order.id)
        if claim is not None:
            self.app.open_warranty_claim(claim.id)
            return
        from workshop.permissions import can
        if not can(self.app.staff, "warranty_claims"):
            self.notify(_("RO {number} has no warranty claim yet.").format(number=order.number), severity="warning")
            return
        self.act(warranty.draft_claim, order.id, about=order.id,
                 success=lambda claim: _("{claim} drafted from RO {number}.").format(
                     claim=warranty.claim_label(claim.number), number=order.number),
                 then=lambda claim: self.app.open_warranty_claim(claim.id))

    def action_insurance_claim(self) -> None:
        from screens.insurance import InsuranceClaimScreen
        self.app.push_screen(InsuranceClaimScreen(self.order.id, self.order.label))

    def action_bill(self) -> None:
        from screens.cashier import BillScreen
        self.app.push_screen(BillScreen(self.order_id))

    def action_comeback(self) -> None:
        from workshop.qc import comeback_choices, mark_comeback
        order = self.order
        earlier = comeback_choices(order.id)
        if not earlier:
            self.notify(_("This vehicle has no delivered order within the comeback period."), severity="warning")
            return
        options = [(_("RO {number} · {line}").format(number=o.number, line=name), (o.number, line_id))
                   for o in earlier for line_id, name in o.lines]
        form = FormDialog(_("RO {number} is a comeback of").format(number=order.number), [
            forms.choice("line", _("Failed job line"), options, also=("earlier",)),
            forms.choice("charge", _("Charged to"), [(_("the workshop (internal)"), "internal"),
                                                     (_("the customer (a manager decides)"), "customer")],
                         value="internal"),
        ], submit_label=_("Mark comeback"))
        self.ask(form, lambda values: partial(mark_comeback, order.id, *values["line"], charge=values["charge"],
                                              seen_version=order.version),
                 success=_("Marked as a comeback."))


PART_QTY_MAX = 1000  # parts on one order line, at most
