"""Warranty claims (保修索赔): the lists a warranty administrator works from (to submit with each
manufacturer's deadline, awaiting the answer by age, rejected 不受理, to be paid, old parts due back),
one claim with its lines and amounts, the manufacturer's answers and payments through forms, the
recovery figures, and a claim batch written as CSV and .xlsx.

Opened from the command palette ("Warranty claims") or from a warranty order's screen (``w``). The
rules are workshop/warranty.py's; this screen picks the claim, asks, and shows.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane

from screens import forms
from screens.acting import Acting
from screens.dialogs import YesNo, reason_form
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, line, lines, literal, pad
from workshop import claim_export, claim_figures, clock, i18n, shops
from workshop import warranty as service
from workshop.i18n import N_, _, label

WIDE = 120  # from this many columns the selected claim shows beside the list
AMOUNT_MAX = 10_000_000
QTY_MAX = 9999
EXPORT_LIMIT = 1000  # claims one batch holds at most
PERIODS = (3, 6, 12)  # months the figures cover, in turn (t)
LIST_TABS = ("submit", "waiting", "rejected", "payable", "oldparts")
LOADERS = {"submit": service.to_submit, "waiting": service.awaiting_answer, "rejected": service.rejected,
           "payable": service.to_be_paid, "oldparts": service.old_parts_due}
# Which claims each action is for (the keys show only where they apply).
ACTION_STATES = {"edit": {service.DRAFT}, "submit": {service.DRAFT}, "answer": {service.SUBMITTED},
                 "correct": {service.REJECTED}, "charge": {service.REJECTED}, "pay": service.PAYABLE}
ANSWERS = {service.ACCEPTED: N_("accepted in full"), service.PARTLY_ACCEPTED: N_("partly accepted (amount below)"),
           service.REJECTED: N_("rejected (不受理)")}


def money(amount) -> str:
    return i18n.money(amount, symbol=False) if amount is not None else "—"


def _days_left(days: int) -> Text:
    if days < 0:
        return literal(_("{days} d late").format(days=-days), "bold red")
    return literal(_("{days} d").format(days=days), "yellow" if days <= 5 else "")


def _submit_row(row: service.ClaimRow):
    return (row.number, row.order_number, row.plate, row.manufacturer, money(row.claimed), i18n.date(row.deadline),
            _days_left(row.days_left(clock.today())), row.customer)


def _waiting_row(row: service.ClaimRow):
    age = row.age_days(clock.today()) or 0
    return (row.number, row.order_number, row.plate, row.manufacturer, money(row.claimed),
            i18n.date(row.submitted_at), literal(_("{days} d").format(days=age), "bold red" if age > 30 else ""),
            row.customer)


def _rejected_row(row: service.ClaimRow):
    return (row.number, row.order_number, row.plate, row.manufacturer, money(row.claimed),
            label(service.REJECTION_REASONS, row.rejection_reason), i18n.date(row.answered_at), row.customer)


def _payable_row(row: service.ClaimRow):
    return (row.number, row.order_number, row.plate, row.manufacturer, money(row.accepted), money(row.paid),
            money(row.left_to_pay), i18n.date(row.answered_at))


def _oldpart_row(row: service.ClaimRow):
    days = (row.return_by - clock.today()).days if row.return_by else 0
    return (row.number, row.order_number, row.plate, row.manufacturer, row.part or "—", i18n.date(row.return_by),
            _days_left(days))


def claim_text(detail: service.ClaimDetail, today: dt.date) -> Text:
    """One claim as the pane and the claim screen show it: every stored value literally."""
    row = detail.row
    state = label(service.STATE_LABELS, row.state)
    if detail.submissions > 1:
        state += " " + _("(sent {count} times)").format(count=detail.submissions)
    out = [line((service.claim_label(row.number), "bold"), " · ", ("RO {}".format(row.order_number), "bold"), " ",
                (row.plate, "bold cyan"), " · ", row.manufacturer, " · ", (state, "bold")),
           line(_("Customer: {name}").format(name=row.customer)),
           line((_("Complaint") + ": ", "bold"), detail.complaint or "—", multiline=True),
           line((_("Cause") + ": ", "bold"), detail.cause or ("—", "dim"), multiline=True),
           line((_("Correction") + ": ", "bold"), detail.correction or ("—", "dim"), multiline=True)]
    if row.part:
        returned = (_("returned {date} {reference}").format(date=i18n.date(detail.old_part_returned_at),
                                                           reference=detail.old_part_reference)
                    if detail.old_part_returned_at else
                    _("back to the manufacturer by {date}").format(date=i18n.date(row.return_by)))
        out.append(line((_("Causal part") + ": ", "bold"), row.part, " · ", _("old part") + " " + returned))
    out.append(Text(""))
    for item in detail.lines:
        kind = _("labour") if item.kind == "labor" else _("part")
        quantity = service_quantity(item.quantity)
        out.append(line("  " + pad(kind, 6) + " ", (item.code, "bold"), " ", item.name, "  ",
                        f"{quantity} {item.unit} × {money(item.rate)} = ", (money(item.amount), "bold")))
    if not detail.lines:
        out.append(line(("  " + _("no lines: nothing to claim"), "red")))
    out.append(line(_("Labour {labour} · parts {parts} · claimed {claimed}").format(
        labour=money(detail.labor), parts=money(detail.parts), claimed=money(row.claimed))))
    answer = []
    if row.accepted is not None and row.state not in (service.DRAFT, service.SUBMITTED, service.REJECTED):
        answer.append(_("accepted {amount}").format(amount=money(row.accepted)))
    if detail.paid:
        answer.append(_("paid {amount}").format(amount=money(detail.paid)))
    if row.state == service.SUBMITTED and row.submitted_at:
        answer.append(_("submitted {date}, {days} d without an answer").format(
            date=i18n.date(row.submitted_at), days=row.age_days(today)))
    if row.state == service.DRAFT:
        days = row.days_left(today)
        answer.append(_("submit by {date}").format(date=i18n.date(row.deadline))
                      + (" " + _("({days} days late)").format(days=-days) if days < 0 else ""))
    if answer:
        out.append(line(" · ".join(answer)))
    if detail.rejections:
        out.append(line((_("Rejections (不受理)") + ":", "bold red")))
        for at, reason, note, accepted in detail.rejections:
            out.append(line(f"  {i18n.date(at)} ", (label(service.REJECTION_REASONS, reason), "red"),
                            (": " + note) if note else "", "  ", _("(accepted {amount})").format(amount=money(accepted))))
    if detail.payments:
        out.append(line((_("Payments") + ":", "bold green")))
        for on, amount, reference in detail.payments:
            out.append(line(f"  {i18n.date(on)} ", (money(amount), "green"), "  ", reference))
    return lines(out)


def service_quantity(value: Decimal) -> str:
    """1, 0.8, 4.5: as the claim batch writes them."""
    return str(claim_export._quantity(value))


# --- the forms ------------------------------------------------------------------------------------------

def claim_form(detail: service.ClaimDetail, *, submit: bool) -> FormDialog:
    """Complaint, cause, correction, the causal part and each line's hours or quantity (0 takes it off)."""
    row = detail.row
    parts_ = [(f"{item.code} {item.name}", item.part_line_id) for item in detail.lines
              if item.kind == "part" and item.part_line_id is not None]
    fields = [
        forms.text("complaint", _("Complaint"), value=" ".join(detail.complaint.split()), max_length=1000),
        forms.text("cause", _("Cause"), value=" ".join(detail.cause.split()), max_length=1000, required=submit,
                   hint=_("what failed and why")),
        forms.text("correction", _("Correction"), value=" ".join(detail.correction.split()), max_length=1000,
                   required=submit, hint=_("what was done to put it right")),
    ]
    if parts_:
        fields.append(forms.choice("causal_part", _("Causal part"), parts_, value=detail.causal_part_line_id,
                                   required=False))
    for index, item in enumerate(detail.lines):
        fields.append(forms.number(f"line_{item.id}", f"{item.code} ({item.unit})",
                                   value=service_quantity(item.quantity), maximum=QTY_MAX, places=3,
                                   also=("quantity",) if index == 0 else (),
                                   hint=item.name + " " + _("× {rate}; 0 takes it off the claim").format(
                                       rate=money(item.rate))))
    title = (_("Submit {claim} to {maker}") if submit else _("Edit {claim}")).format(
        claim=service.claim_label(row.number), maker=row.manufacturer)
    return FormDialog(title, fields, submit_label=_("Submit") if submit else _("Save"),
                      focus="cause" if submit and not detail.cause else None)


def claim_values(detail: service.ClaimDetail, values: dict) -> service.ClaimForm:
    quantities = {}
    for item in detail.lines:
        typed = values.get(f"line_{item.id}")
        if typed is not None and Decimal(str(typed)) != item.quantity:
            quantities[item.id] = str(typed)
    return service.ClaimForm(complaint=values["complaint"] or "", cause=values["cause"] or "",
                             correction=values["correction"] or "", causal_part_line_id=values.get("causal_part"),
                             quantities=quantities)


def answer_form(row: service.ClaimRow) -> FormDialog:
    return FormDialog(_("{maker}'s answer to {claim} (claimed {amount})").format(
        maker=row.manufacturer, claim=service.claim_label(row.number), amount=money(row.claimed)), [
        forms.choice("result", _("Answer"), [(label(ANSWERS, code), code) for code in ANSWERS],
                     value=service.ACCEPTED),
        forms.number("accepted", _("Amount accepted"), required=False, maximum=AMOUNT_MAX,
                     hint=_("for a partial acceptance")),
        forms.choice("reason", _("Reason (不受理)"), [(label(service.REJECTION_REASONS, code), code)
                                                     for code in service.REJECTION_REASONS], required=False,
                     hint=_("for what was not accepted")),
        forms.text("note", _("Note"), required=False, max_length=200),
    ], submit_label=_("Record answer"))


def answer_call(row: service.ClaimRow, values: dict) -> partial:
    """The form's answer as the service takes it: an amount accepted (all, part or none) and the reason."""
    accepted = {service.ACCEPTED: row.claimed, service.REJECTED: Decimal("0")}.get(values["result"],
                                                                                  values["accepted"])
    return partial(service.answer, row.id, accepted, reason=values["reason"], note=values["note"] or "",
                   seen_version=row.version)


def payment_form(row: service.ClaimRow) -> FormDialog:
    return FormDialog(_("Payment from {maker} for {claim}: {left} to come").format(
        maker=row.manufacturer, claim=service.claim_label(row.number), left=money(row.left_to_pay)), [
        forms.number("amount", _("Amount paid"), value=f"{row.left_to_pay:.2f}", minimum="0.01", maximum=AMOUNT_MAX),
        forms.text("paid_on", _("Paid on"), value=i18n.date(clock.today()), max_length=10, required=False,
                   hint=_("YYYY-MM-DD")),
        forms.text("reference", _("Reference"), required=False, max_length=60,
                   hint=_("the manufacturer's statement or credit note")),
    ], submit_label=_("Record payment"), focus="amount")


# --- acting on one claim: the list screen and the claim screen share these ------------------------------

class ClaimActions:
    """The actions on a claim. ``current_claim()`` names it (a ClaimRow) or says why there is none."""

    CLAIM_PERMISSIONS = {"edit": "warranty_claims", "submit": "warranty_claims", "answer": "warranty_claims",
                         "correct": "warranty_claims", "charge": "charge_claim_internal",
                         "pay": "warranty_payments", "old_part": "warranty_claims"}

    def current_claim(self) -> service.ClaimRow | None:
        raise NotImplementedError

    def _claim_in(self, action: str) -> service.ClaimRow | None:
        row = self.current_claim()
        if row is None:
            self.notify(_("Select a claim first."), severity="warning")
            return None
        states = ACTION_STATES.get(action)
        if states is not None and row.state not in states:
            self.notify(_("{claim} is {state}: that does not apply to it.").format(
                claim=service.claim_label(row.number), state=label(service.STATE_LABELS, row.state)),
                severity="warning")
            return None
        return row

    def _edit(self, submit: bool) -> None:
        row = self._claim_in("submit" if submit else "edit")
        detail = self.fetch(service.claim_detail, row.id) if row else None
        if detail is None:
            return
        maker = row.manufacturer
        self.ask(claim_form(detail, submit=submit),
                 lambda v: partial(service.edit_claim, row.id, claim_values(detail, v), seen_version=row.version,
                                   submit=submit),
                 success=lambda claim: (_("{claim} submitted to {maker}.") if submit else _("{claim} saved.")).format(
                     claim=service.claim_label(claim.number), maker=maker), about=row.order_id)

    def action_edit(self) -> None:
        self._edit(False)

    def action_submit(self) -> None:
        self._edit(True)

    def action_answer(self) -> None:
        if row := self._claim_in("answer"):
            self.ask(answer_form(row), lambda v: answer_call(row, v),
                     success=lambda claim: _("{claim}: {state}.").format(
                         claim=service.claim_label(claim.number), state=label(service.STATE_LABELS, claim.state)),
                     about=row.order_id)

    def action_correct(self) -> None:
        """Take a rejected claim back to draft, then straight into its form."""
        if row := self._claim_in("correct"):
            self.act(service.correct, row.id, seen_version=row.version, about=row.order_id,
                     success=_("{claim} is a draft again: correct it and submit it.").format(
                         claim=service.claim_label(row.number)),
                     then=lambda claim: self.call_later(self._edit_after_correct, claim.id))

    def _edit_after_correct(self, claim_id: int) -> None:
        self.corrected(claim_id)
        self._edit(False)

    def corrected(self, claim_id: int) -> None:
        """The claim taken back is the one to edit next (the list screen moves to it)."""

    def action_charge(self) -> None:
        if row := self._claim_in("charge"):
            self.ask(reason_form(_("Charge {claim} to the shop ({amount})").format(
                claim=service.claim_label(row.number), amount=money(row.claimed))),
                lambda v: partial(service.charge_to_shop, row.id, v["reason"], seen_version=row.version),
                success=_("{claim} charged to the shop.").format(claim=service.claim_label(row.number)),
                about=row.order_id)

    def action_pay(self) -> None:
        if row := self._claim_in("pay"):
            self.ask(payment_form(row),
                     lambda v: partial(service.record_payment, row.id, v["amount"], paid_on=v["paid_on"] or None,
                                       reference=v["reference"] or ""),
                     success=lambda payment: _("{amount} from {maker} recorded on {claim}.").format(
                         amount=money(payment.amount), maker=row.manufacturer,
                         claim=service.claim_label(row.number)), about=row.order_id)

    def action_old_part(self) -> None:
        if row := self._claim_in("old_part"):
            self.ask(reason_form(_("Old part of {claim} sent back to {maker}").format(
                claim=service.claim_label(row.number), maker=row.manufacturer), name="reference",
                label=_("Shipping note"), max_length=60, required=False),
                lambda v: partial(service.old_part_returned, row.id, reference=v["reference"] or ""),
                success=_("{claim}: old part returned.").format(claim=service.claim_label(row.number)),
                about=row.order_id)

    def claim_offers(self, action: str, row: service.ClaimRow | None) -> bool:
        """Whether a claim action applies to the claim shown (the key bar shows only those)."""
        if action == "old_part":
            return row is not None and row.return_by is not None and row.state != service.CHARGED_INTERNAL
        states = ACTION_STATES.get(action)
        return row is not None and (states is None or row.state in states)


class ClaimScreen(ClaimActions, Acting, ModalScreen[None]):
    """One claim, all of it: its lines, amounts, the manufacturer's answers and payments."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close")),
                Binding("e", "edit", N_("Edit")), Binding("s", "submit", N_("Submit")),
                Binding("a", "answer", N_("Answer")), Binding("c", "correct", N_("Correct")),
                Binding("p", "pay", N_("Payment")), Binding("i", "charge", N_("Charge to shop")),
                Binding("o", "old_part", N_("Old part back"))]
    PERMISSIONS = ClaimActions.CLAIM_PERMISSIONS
    DEFAULT_CSS = """
    ClaimScreen { align: center middle; }
    ClaimScreen > VerticalScroll { width: 110; max-width: 100%; height: 100%; border: thick $accent;
                                   background: $panel; padding: 0 1; }
    """

    def __init__(self, claim_id: int):
        super().__init__()
        self.claim_id = claim_id
        self.detail: service.ClaimDetail | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="claim")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.detail = self.fetch(service.claim_detail, self.claim_id)
        if self.detail is None:
            self.dismiss(None)
            return
        self.query_one("#claim", Static).update(claim_text(self.detail, clock.today()))
        self.refresh_bindings()

    def current_claim(self) -> service.ClaimRow | None:
        return self.detail.row if self.detail else None

    def offers(self, action: str, parameters) -> bool | None:
        if action in self.CLAIM_PERMISSIONS:
            return self.claim_offers(action, self.current_claim())
        return True

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def _edit_after_correct(self, claim_id: int) -> None:
        self._edit(False)

    def refresh_from_changes(self, changes) -> None:
        if self.detail and (self.detail.row.order_id in changes.order_ids or changes.overflow):
            self.reload()


# --- each manufacturer's claim terms (the setting warranty_terms, as a table instead of JSON) -------------

def _maker_name(maker: str) -> str:
    return _("every other maker (*)") if maker == "*" else maker


def terms_form(row: service.TermsRow | None) -> FormDialog:
    """A manufacturer's terms; ``row`` None: a manufacturer not listed yet (its name is asked)."""
    terms = row.terms if row is not None else service.terms_for("*")
    fields = [] if row is not None else [forms.text("maker", _("Manufacturer"), max_length=40,
                                                    hint=_("as the vehicle's brand is written, e.g. Toyota"))]
    fields += [
        forms.number("submit_days", _("Submit in (days)"), value=terms.submit_days, minimum=1, maximum=3650, places=0,
                     hint=_("after the repair: the claim's deadline")),
        forms.number("return_days", _("Old part back (days)"), value=terms.return_days, minimum=1,
                     maximum=3650, places=0),
        forms.number("labor_rate", _("Labour rate"), value=terms.labor_rate, required=False, minimum="0.01",
                     maximum=100000, hint=_("blank: the shop's own rate of each job")),
        forms.number("parts_handling_pct", _("Parts handling %"), value=terms.parts_handling_pct, maximum=100,
                     hint=_("added to the dealer cost of each part claimed")),
    ]
    title = (_("Warranty terms of {maker}").format(maker=_maker_name(row.maker)) if row is not None
             else _("Warranty terms of another manufacturer"))
    return FormDialog(title, fields, submit_label=_("Save"), focus="maker" if row is None else "submit_days")


class WarrantyTermsScreen(Acting, ModalScreen[None]):
    """Each manufacturer's claim terms: days to submit, days to return the old part, labour rate, handling %."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close")), Binding("e", "edit", N_("Change")),
                Binding("a", "add", N_("Add manufacturer")), Binding("x", "remove", N_("Back to default"))]
    PERMISSIONS = {"edit": "manage_settings", "add": "manage_settings", "remove": "manage_settings"}
    DEFAULT_CSS = """
    WarrantyTermsScreen { align: center middle; }
    WarrantyTermsScreen > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%;
                                     border: thick $accent; background: $panel; padding: 0 1; }
    WarrantyTermsScreen Table { height: auto; max-height: 16; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[service.TermsRow] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(_("Warranty claim terms per manufacturer"), "bold"))
            yield Static(literal(_("A claim's deadline and old-part date are set when it is drafted."), "dim"))
            yield Table(id="terms", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#terms", DataTable).add_columns(_("Manufacturer"), _("Submit in"), _("Old part in"),
                                                        _("Labour rate"), _("Handling"))
        self.reload()
        self.query_one("#terms").focus()

    def reload(self) -> None:
        self.rows = self.fetch(service.terms_rows) or []
        table = self.query_one("#terms", DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self.rows:
            terms, style = row.terms, "" if row.own else "dim"
            table.add_row(*cells(
                literal(_maker_name(row.maker) + ("" if row.own else " " + _("(default terms)")), style),
                literal(_("{days} d").format(days=terms.submit_days), style),
                literal(_("{days} d").format(days=terms.return_days), style),
                literal(money(terms.labor_rate) if terms.labor_rate is not None else _("the shop's"), style),
                literal(f"{terms.parts_handling_pct}%", style)))
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        self.refresh_bindings()

    @property
    def selected(self) -> service.TermsRow | None:
        table = self.query_one("#terms", DataTable)
        return self.rows[table.cursor_row] if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def offers(self, action: str, parameters) -> bool | None:
        if action == "remove":
            row = self.selected
            return row is not None and row.own and row.maker != "*"
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _entered(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def _ask(self, row: service.TermsRow | None) -> None:
        def call(values: dict) -> partial:
            maker = row.maker if row is not None else values["maker"]
            return partial(service.set_terms, maker, values["submit_days"], values["return_days"],
                           values["labor_rate"], values["parts_handling_pct"])

        self.ask(terms_form(row), call, success=lambda _terms: _("Warranty terms saved."))

    def action_edit(self) -> None:
        if (row := self.selected) is not None:
            self._ask(row)

    def action_add(self) -> None:
        self._ask(None)

    def action_remove(self) -> None:
        row = self.selected
        if row is None or not row.own or row.maker == "*":
            return
        self.act(service.remove_terms, row.maker,
                 success=_("{maker} has the default terms again.").format(maker=row.maker))


class WarrantyScreen(ClaimActions, Acting, KeptScreen):
    CSS_PATH = "warranty.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("slash", "search", N_("Find")),
        Binding("e", "edit", N_("Edit")),
        Binding("s", "submit", N_("Submit")),
        Binding("S", "submit_batch", N_("Submit all")),
        Binding("a", "answer", N_("Answer")),
        Binding("c", "correct", N_("Correct")),
        Binding("i", "charge", N_("Charge to shop")),
        Binding("p", "pay", N_("Payment")),
        Binding("o", "old_part", N_("Old part back")),
        Binding("x", "export_batch", N_("Batch file")),
        Binding("f", "filter", N_("Maker")),
        Binding("t", "period", N_("Period")),
        Binding("m", "terms", N_("Terms")),
        Binding("1", "tab('submit')", N_("To submit"), show=False),
        Binding("2", "tab('waiting')", N_("Awaiting answer"), show=False),
        Binding("3", "tab('rejected')", N_("Rejected"), show=False),
        Binding("4", "tab('payable')", N_("To be paid"), show=False),
        Binding("5", "tab('oldparts')", N_("Old parts due"), show=False),
        Binding("6", "tab('figures')", N_("Figures"), show=False),
    ]
    PERMISSIONS = {**ClaimActions.CLAIM_PERMISSIONS, "submit_batch": "warranty_claims", "terms": "manage_settings"}
    TABS = {"edit": ("submit",), "submit": ("submit",), "submit_batch": ("submit",), "answer": ("waiting",),
            "correct": ("rejected",), "charge": ("rejected",), "pay": ("payable",), "old_part": ("oldparts",),
            "export_batch": LIST_TABS, "filter": LIST_TABS + ("figures",), "period": ("figures",)}

    def __init__(self):
        super().__init__()
        self.maker: str | None = None
        self.months = PERIODS[1]
        self.shown_claim: int | None = None
        self.stale: set[str] = set()  # lists changed since they were last read (read when shown)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("/ find: plate, WC or RO number (Enter)"), id="search")
        with Horizontal(id="desk"):
            with TabbedContent(initial="submit", id="tabs"):
                with TabPane(_("Submit [1]"), id="submit"):
                    yield PagedTable((_("WC"), _("RO"), _("Plate"), _("Maker"), _("Claimed"), _("Submit by"),
                                      _("Left"), _("Customer")), _submit_row, id="submit-table")
                with TabPane(_("Waiting [2]"), id="waiting"):
                    yield PagedTable((_("WC"), _("RO"), _("Plate"), _("Maker"), _("Claimed"), _("Submitted"),
                                      _("Age"), _("Customer")), _waiting_row, id="waiting-table")
                with TabPane(_("Rejected [3]"), id="rejected"):
                    yield PagedTable((_("WC"), _("RO"), _("Plate"), _("Maker"), _("Claimed"), _("Reason"),
                                      _("Answered"), _("Customer")), _rejected_row, id="rejected-table")
                with TabPane(_("To pay [4]"), id="payable"):
                    yield PagedTable((_("WC"), _("RO"), _("Plate"), _("Maker"), _("Accepted"), _("Paid"),
                                      _("To come"), _("Answered")), _payable_row, id="payable-table")
                with TabPane(_("Old parts [5]"), id="oldparts"):
                    yield PagedTable((_("WC"), _("RO"), _("Plate"), _("Maker"), _("Old part"), _("Back by"),
                                      _("Left")), _oldpart_row, id="oldparts-table")
                with TabPane(_("Figures [6]"), id="figures"):
                    with VerticalScroll(id="figures-box"):
                        yield Static("", id="recovery-title")
                        yield Table(id="recovery", cursor_type="row", zebra_stripes=True)
                        yield Static("", id="reasons-title")
                        yield Table(id="reasons", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="claim-pane"):
                yield Static("", id="claim")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Warranty claims")
        self.query_one("#recovery", DataTable).add_columns(_("Month"), _("Maker"), _("Claims"), _("Claimed"),
                                                           _("Paid"), _("Recovery"))
        self.query_one("#reasons", DataTable).add_columns(_("Reason (不受理)"), _("Times"), _("Refused"))
        self._fit(self.app.size.width)
        self.reload_all()
        self.query_one("#submit-table").focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    # --- loading ---------------------------------------------------------------------------------------
    @property
    def tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def table(self, tab: str | None = None) -> PagedTable | None:
        tab = tab or self.tab
        return self.query_one(f"#{tab}-table", PagedTable) if tab in LIST_TABS else None

    def reload_all(self) -> None:
        """A new search or manufacturer: every list from its first page."""
        text = self.query_one("#search", Input).value
        maker = self.maker
        for tab in LIST_TABS:
            loader = LOADERS[tab]
            table = self.table(tab)
            table.loader = lambda n, o, loader=loader: loader(text, manufacturer=maker, limit=n, offset=o,
                                                              shop=shops.scope(self.app.staff))
            table.page = 0
        self.reload()

    def reload(self) -> None:
        """The list shown is read again now; the others when they are shown (each is a page, ~10 ms on the
        large shop: reading all five on every change would be wasted on lists nobody looks at)."""
        self.stale = set(LIST_TABS) | {"figures"}
        self._load_shown()

    def _load_shown(self) -> None:
        tab = self.tab
        if tab in self.stale:
            self.stale.discard(tab)
            if tab == "figures":
                self.load_figures()
            else:
                self.table(tab).load()
        self.show_selected()

    def load_figures(self) -> None:
        today = clock.today()
        first = today.replace(day=1)
        start = first
        for _step in range(self.months - 1):
            start = (start - dt.timedelta(days=1)).replace(day=1)
        end = (first + dt.timedelta(days=32)).replace(day=1)
        rows = claim_figures.recovery(start, end, manufacturer=self.maker)
        claimed = sum((r.claimed for r in rows), Decimal("0"))
        paid = sum((r.paid for r in rows), Decimal("0"))
        rate = f"{paid * 100 / claimed:.1f}%" if claimed else "—"
        self.query_one("#recovery-title", Static).update(line(
            (_("Recovery (paid / claimed), claims first submitted in the last {months} months").format(
                months=self.months), "bold"), "  ",
            _("claimed {claimed} · paid {paid} · {rate} (target ≥ {target}%)").format(
                claimed=money(claimed), paid=money(paid), rate=rate, target=claim_figures.RECOVERY_TARGET_PCT),
            ("  " + (self.maker or ""), "cyan")))
        table = self.query_one("#recovery", DataTable)
        table.clear()
        for r in reversed(rows):
            pct = r.rate_pct
            shown = literal("—") if pct is None else literal(f"{pct}%", "green" if r.on_target else "bold red")
            table.add_row(*cells(r.month, r.manufacturer, r.claims, money(r.claimed), money(r.paid), shown))
        reasons = claim_figures.rejection_reasons(start, end, manufacturer=self.maker)
        self.query_one("#reasons-title", Static).update(literal(
            _("Why the manufacturers refused (不受理), same months"), "bold"))
        table = self.query_one("#reasons", DataTable)
        table.clear()
        for r in reasons:
            table.add_row(*cells(label(service.REJECTION_REASONS, r.reason), r.count, money(r.refused)))

    def refresh_from_changes(self, changes) -> None:
        if changes.overflow or any(kind.startswith("warranty") or kind == "settle" for kind in changes.kinds):
            self.reload()

    # --- the selected claim --------------------------------------------------------------------------------
    def current_claim(self) -> service.ClaimRow | None:
        table = self.table()
        return table.selected if table is not None else None

    def offers(self, action: str, parameters) -> bool | None:
        tabs = self.TABS.get(action)
        if tabs is not None and self.tab not in tabs:
            return False
        if action in self.CLAIM_PERMISSIONS:
            row = self.current_claim()
            return None if row is None else self.claim_offers(action, row)  # (None: shown, dimmed)
        return True

    @on(DataTable.RowHighlighted)
    def show_selected(self) -> None:
        self.refresh_bindings()
        if not self.has_class("-wide"):
            return
        row = self.current_claim()
        pane = self.query_one("#claim", Static)
        if row is None:
            self.shown_claim = None
            pane.update(literal(_("No claim selected."), "dim"))
            return
        detail = self.fetch(service.claim_detail, row.id)
        self.shown_claim = row.id
        pane.update(claim_text(detail, clock.today()) if detail else "")

    @on(PagedTable.RowSelected)
    def _row_entered(self) -> None:
        row = self.current_claim()
        if row is not None:
            self.open_claim(row.id)

    def open_claim(self, claim_id: int) -> None:
        self.app.push_screen(ClaimScreen(claim_id))

    def corrected(self, claim_id: int) -> None:
        """Corrected: the claim is a draft again, at the top of the list to submit."""
        self.query_one("#tabs", TabbedContent).active = "submit"
        table = self.table("submit")
        table.load()
        self.stale.discard("submit")
        for index, item in enumerate(table.items):
            if item.id == claim_id:
                table.move_cursor(row=index)

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    # --- keys ------------------------------------------------------------------------------------------
    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self._load_shown()
        # Focus now, in the pane shown now. (Widget.focus() lands later: after a second tab key pressed
        # meanwhile, in a pane no longer shown, and TabbedContent would switch back to that pane.)
        self.set_focus(self.query_one("#recovery") if self.tab == "figures" else self.table())

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def action_search(self) -> None:
        if self.tab == "figures":
            self.action_tab("submit")
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def search(self) -> None:
        self.reload_all()
        if self.tab != "figures":
            self.table().focus()

    def action_filter(self) -> None:
        makers = [(name, name) for name in service.manufacturers()]
        form = FormDialog(_("Show the claims of"), [
            forms.choice("maker", _("Manufacturer"), [(_("every manufacturer"), "")] + makers,
                         value=self.maker or "")], submit_label=_("Show"))

        def chosen(values: dict | None) -> None:
            if values is not None:
                self.maker = values["maker"] or None
                self.reload_all()

        self.app.push_screen(form, chosen)

    def action_terms(self) -> None:
        self.app.push_screen(WarrantyTermsScreen())

    def action_period(self) -> None:
        self.months = PERIODS[(PERIODS.index(self.months) + 1) % len(PERIODS)]
        self.load_figures()
        self.stale.discard("figures")

    def _listed_ids(self) -> list[int]:
        """Every claim of the list shown (as searched and filtered), not only this page."""
        text, maker = self.query_one("#search", Input).value, self.maker
        return [row.id for row in LOADERS[self.tab](text, manufacturer=maker, limit=EXPORT_LIMIT,
                                                    shop=shops.scope(self.app.staff))]

    def action_export_batch(self) -> None:
        ids = self._listed_ids()
        if not ids:
            self.notify(_("No claims in this list to export."), severity="warning")
            return
        self.act(claim_export.export_batch_files, ids, as_staff=False,
                 success=lambda paths: i18n.ngettext("{count} claim written: {csv} and {xlsx}",
                                                     "{count} claims written: {csv} and {xlsx}", len(ids)).format(
                     count=len(ids), csv=paths[0], xlsx=paths[1].name))

    def action_submit_batch(self) -> None:
        rows = self.table("submit").items
        if not rows:
            self.notify(_("No claims to submit."), severity="warning")
            return
        numbers = ", ".join(str(row.number) for row in rows[:12]) + (" …" if len(rows) > 12 else "")
        question = literal(i18n.ngettext("Submit the {count} claim listed ({numbers}) to its manufacturer?",
                                         "Submit the {count} claims listed ({numbers}) to their manufacturers?",
                                         len(rows)).format(count=len(rows), numbers=numbers))
        ids = [row.id for row in rows]

        def answered(yes: bool | None) -> None:
            if yes:
                self.act(service.submit_batch, ids,
                         success=lambda done: i18n.ngettext("{count} claim submitted.", "{count} claims submitted.",
                                                            len(done)).format(count=len(done)))

        self.app.push_screen(YesNo(question), answered)

    def export_list(self) -> tuple[str, list] | None:
        """What "Export this list" writes: the claims of the list shown (all of it)."""
        if self.tab not in LIST_TABS:
            self.notify(_("Choose a list of claims to export."), severity="warning")
            return None
        text, maker = self.query_one("#search", Input).value, self.maker
        return "warranty_claims", LOADERS[self.tab](text, manufacturer=maker, limit=EXPORT_LIMIT,
                                                    shop=shops.scope(self.app.staff))
