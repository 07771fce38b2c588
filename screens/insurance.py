"""The insurance claim of an accident repair (事故车), from the order screen (``i``): the insurer, the
report number, the assessor and the assessed amount (定损), supplements, the deductible (免赔额), towing,
personal injury and property loss, the documents checklist; once settled, the insurer's share, what it
paid and what it still owes. The insurer's payments are taken at the cashier's (its Insurers tab).

The rules (the split of the bill, the receivable) are workshop/insurance.py's; this screen asks and shows.
"""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.keybar import KeyBar
from screens.text import line, lines
from workshop import clock, i18n
from workshop import insurance as service
from workshop.i18n import N_, _, label

AMOUNT_MAX = 10_000_000  # as the service allows


def money(amount) -> str:
    return i18n.money(amount, symbol=False) if amount is not None else "—"


def claim_form(view: service.ClaimView, order_label: str) -> FormDialog:
    """Everything the insurer's assessment says; blank assessed amount: the assessor has not been yet."""
    return FormDialog(_("Insurance claim of {order} (事故车)").format(order=order_label), [
        forms.text("insurer", _("Insurer"), value=view.insurer, max_length=60, hint=_("e.g. PICC, Ping An")),
        forms.text("claim_no", _("Claim report no."), value=view.claim_no, max_length=40, required=False,
                   hint=_("the insurer's report number (报案号)")),
        forms.text("assessor", _("Assessor"), value=view.assessor, max_length=60, required=False),
        forms.number("assessed_amount", _("Assessed amount (定损)"), required=False, maximum=AMOUNT_MAX,
                     value=None if view.assessed_amount is None else f"{view.assessed_amount:.2f}",
                     hint=_("blank until the assessor has been; supplements add to it")),
        forms.number("deductible", _("Deductible (免赔额)"), value=f"{view.deductible:.2f}", maximum=AMOUNT_MAX,
                     hint=_("the customer pays it")),
        forms.number("towing_fee", _("Towing / rescue fee"), value=f"{view.towing_fee:.2f}", maximum=AMOUNT_MAX,
                     hint=_("the insurer pays it")),
        forms.check("personal_injury", _("Personal injury (人伤)"), value=view.personal_injury),
        forms.check("property_loss", _("Property loss (物损)"), value=view.property_loss),
    ], submit_label=_("Save claim"))


def claim_values(values: dict) -> service.InsuranceForm:
    def amount(value) -> str:
        return "" if value is None else str(value)

    return service.InsuranceForm(insurer=values["insurer"] or "", claim_no=values["claim_no"] or "",
                                 assessor=values["assessor"] or "", assessed_amount=amount(values["assessed_amount"]),
                                 deductible=amount(values["deductible"]) or "0",
                                 towing_fee=amount(values["towing_fee"]) or "0",
                                 personal_injury=bool(values["personal_injury"]),
                                 property_loss=bool(values["property_loss"]))


def claim_text(view: service.ClaimView, order_label: str) -> Text:
    """The claim as the screen shows it: stored values literally."""
    if not view.exists:
        return lines([line((_("Insurance claim of {order}").format(order=order_label), "bold")),
                      line((_("No claim registered yet: press e to enter the insurer's details."), "yellow"))])
    flags = [name for on, name in ((view.personal_injury, _("personal injury (人伤)")),
                                   (view.property_loss, _("property loss (物损)"))) if on]
    out = [line((_("Insurance claim of {order}").format(order=order_label), "bold"), " · ",
                (label(service.STATE_LABELS, view.state), "bold")),
           line(_("Insurer") + ": ", (view.insurer, "bold cyan"), "   " + _("Claim report no.") + ": ",
                view.claim_no or "—"),
           line(_("Assessor") + ": ", view.assessor or "—",
                ("   " + ", ".join(flags), "bold yellow") if flags else "")]
    if view.assessed_amount is None:
        out.append(line((_("Not assessed yet (定损): the assessor has not been."), "yellow")))
    else:
        out.append(line(_("Assessed (定损)") + ": ", money(view.assessed_amount)))
        for at, amount, reason in view.supplements:
            out.append(line("  + ", (money(amount), "bold"), f"  {i18n.date(at)}  ", reason))
        if view.supplements:
            out.append(line(_("Assessed in all") + ": ", (money(view.assessed_total), "bold")))
    out.append(line(_("Deductible (免赔额)") + ": ", money(view.deductible), "   " + _("Towing / rescue") + ": ",
                    money(view.towing_fee)))
    not_covered = [f"{code} {name}" for _kind, _id, code, name, covered in view.cover if not covered]
    if not_covered:
        out.append(line((_("Not covered, the customer pays") + ": ", "bold yellow"), "; ".join(not_covered),
                        multiline=True))
    if view.bill_insurer is not None:
        out.append(line(_("As the bill stands: the insurer pays {insurer} · the customer {customer}").format(
            insurer=money(view.bill_insurer), customer=money(view.bill_customer))))
    if view.insurer_share is not None:
        out.append(line((_("Insurer's share {share} · paid {paid} · still owed {owed}").format(
            share=money(view.insurer_share), paid=money(view.paid), owed=money(view.owed)),
            "bold green" if view.owed == 0 else "bold")))
    have = sum(1 for _code, received in view.documents if received)
    out.append(Text(""))
    out.append(line((_("Documents ({have} of {count})").format(have=have, count=len(view.documents)), "bold")))
    for code, received in view.documents:
        out.append(line(("  ✓ " if received else "  ✗ ", "green" if received else "red"),
                        label(service.DOCUMENTS, code)))
    return lines(out)


class InsuranceClaimScreen(Acting, ModalScreen[None]):
    """The claim of one accident repair: e edit, s supplement, d documents, n work it does not cover."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close")), Binding("e", "edit", N_("Edit claim")),
                Binding("s", "supplement", N_("Supplement")), Binding("d", "documents", N_("Documents")),
                Binding("n", "not_covered", N_("Not covered"))]
    PERMISSIONS = {"edit": "insurance_claims", "supplement": "insurance_claims", "documents": "insurance_claims",
                   "not_covered": "insurance_claims"}
    DEFAULT_CSS = """
    InsuranceClaimScreen { align: center middle; }
    InsuranceClaimScreen > VerticalScroll { width: 90; max-width: 100%; height: 100%; border: thick $accent;
                                            background: $panel; padding: 0 1; }
    """

    def __init__(self, order_id: int, order_label: str):
        super().__init__()
        self.order_id = order_id
        self.order_label = order_label
        self.view: service.ClaimView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="claim")
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()
        if self.view is not None and not self.view.exists and self.check_action("edit", ()):
            self.call_after_refresh(self.action_edit)  # nothing to look at yet: straight to the form

    def reload(self) -> None:
        self.view = self.fetch(service.claim_view, self.order_id)
        if self.view is None:
            self.dismiss(None)
            return
        self.query_one("#claim", Static).update(claim_text(self.view, self.order_label))
        self.refresh_bindings()

    def offers(self, action: str, parameters) -> bool | None:
        if action in ("supplement", "documents"):
            return self.view is not None and self.view.exists
        if action == "not_covered":  # (until settled: the bill's lines are read-only after)
            return self.view is not None and self.view.exists and self.view.bill_insurer is not None
        return True

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def refresh_from_changes(self, changes) -> None:
        if self.order_id in changes.order_ids or changes.overflow:
            self.reload()

    def action_edit(self) -> None:
        if self.view is None:
            return
        self.ask(claim_form(self.view, self.order_label),
                 lambda v: partial(service.save_claim, self.order_id, claim_values(v)),
                 success=_("Insurance claim of {order} saved.").format(order=self.order_label), about=self.order_id)

    def action_supplement(self) -> None:
        form = FormDialog(_("Supplement to the assessment of {order}").format(order=self.order_label), [
            forms.number("amount", _("Amount re-assessed"), minimum="0.01", maximum=AMOUNT_MAX,
                         hint=_("added to the assessed amount")),
            forms.text("reason", _("What was found"), max_length=200),
        ], submit_label=_("Add supplement"))
        self.ask(form, lambda v: partial(service.add_supplement, self.order_id, v["amount"], v["reason"]),
                 success=lambda _r: _("Supplement added to {order}.").format(order=self.order_label),
                 about=self.order_id)

    def action_documents(self) -> None:
        view = self.view
        form = FormDialog(_("Documents on file for {order}").format(order=self.order_label), [
            forms.choices("documents", _("Received (space ticks)"),
                          [(label(service.DOCUMENTS, code), code) for code, _received in view.documents],
                          value=[code for code, received in view.documents if received], required=False)],
            submit_label=_("Save"))
        self.ask(form, lambda v: partial(service.set_documents, self.order_id, v["documents"]),
                 success=_("Documents of {order} saved.").format(order=self.order_label), about=self.order_id)

    def action_not_covered(self) -> None:
        view = self.view
        if view is None or not view.cover:
            self.notify(_("{order} has no lines yet.").format(order=self.order_label), severity="warning")
            return
        form = FormDialog(_("Work on {order} the insurer does not cover").format(order=self.order_label), [
            forms.choices("lines", _("Not covered (space ticks)"),
                          [(f"{code} {name}", f"{kind}:{line_id}") for kind, line_id, code, name, _c in view.cover],
                          value=[f"{kind}:{line_id}" for kind, line_id, _code, _name, covered in view.cover
                                 if not covered], required=False,
                          hint=_("the customer pays what is ticked; the insurer the rest"))],
            submit_label=_("Save"))

        def call(values: dict) -> partial:
            picked = [value.split(":") for value in values["lines"] or ()]
            return partial(service.set_not_covered, self.order_id, [int(i) for k, i in picked if k == "job"],
                           [int(i) for k, i in picked if k == "part"])

        self.ask(form, call, success=_("Cover of {order} saved.").format(order=self.order_label),
                 about=self.order_id)


# --- the insurer's money, at the cashier's --------------------------------------------------------------

def insurer_payment_form(row: service.InsurerReceivable) -> FormDialog:
    return FormDialog(_("Payment from {insurer} for RO {number}: {owed} owed").format(
        insurer=row.insurer, number=row.number, owed=money(row.amount)), [
        forms.number("amount", _("Amount paid"), value=f"{row.amount:.2f}", minimum="0.01", maximum=AMOUNT_MAX),
        forms.text("paid_on", _("Paid on"), value=i18n.date(clock.today()), max_length=10, required=False,
                   hint=_("YYYY-MM-DD")),
        forms.text("reference", _("Reference"), required=False, max_length=60, hint=_("the transfer's reference")),
    ], submit_label=_("Record payment"), focus="amount")


def insurer_payment_call(row: service.InsurerReceivable, values: dict) -> partial:
    return partial(service.record_payment, row.order_id, values["amount"], paid_on=values["paid_on"] or None,
                   reference=values["reference"] or "")


def paid_message(row: service.InsurerReceivable, payment) -> str:
    return _("{amount} from {insurer} recorded on RO {number}.").format(
        amount=money(payment.amount), insurer=row.insurer, number=row.number)
