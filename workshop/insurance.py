"""Insurance claims (事故车): the insurer's assessment (定损) and supplements, the documents checklist, and
the insurer's share of the bill as a receivable, paid later in one or many payments.

How it joins the bill (workshop/pricing.py, rule 6): the claim keeps the order's insurer, report number,
assessed amount (the first assessment plus every supplement) and deductible (免赔额) in step, and its
towing/rescue fee is a towing fee line the insurer pays. Settling then splits the bill: the customer pays
the deductible, anything above the assessed amount and the work marked not covered; the insurer the rest.

Decided here, where the issue was silent:
- one claim per order, on insurance orders only, changed until the order is settled (a void reopens it);
- a supplement adds to the assessed amount (it is the insurer's re-assessment of damage found later);
- the deductible cannot exceed the assessed amount (the insurer would owe less than nothing);
- settling opens the insurer's receivable (``InsurerBalance``, one row per order, aged from the invoice
  date); each payment lowers it under the write lock, never below zero; paid in full, the row goes and the
  claim is paid. A void takes the receivable back with the invoice.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from models.db import run_write
from models.insurance import (InsuranceClaim, InsuranceDocument, InsuranceSupplement, InsurerBalance,
                              InsurerPayment)
from models.orders import JobLine, RepairOrder
from models.parts import Part, PartLine
from models.people import Customer, Staff, Vehicle
from models.settlement import FeeLine
from workshop import audit, clock, i18n, lifecycle, settlement, typed_dates, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.permissions import require
from workshop.phrase import Local, Money, Phrase, Term, Word
from workshop.pricing import ZERO, cents

REGISTERED, ASSESSED, INVOICED, PAID = "registered", "assessed", "invoiced", "paid"
STATE_LABELS = {REGISTERED: N_("registered"), ASSESSED: N_("assessed"), INVOICED: N_("invoiced"),
                PAID: N_("paid by the insurer")}
DOCUMENTS = {  # the claim's documents checklist, in the order an advisor collects them
    "policy": N_("insurance policy"),
    "accident_report": N_("accident liability report"),
    "claim_form": N_("claim application form"),
    "assessment": N_("assessment sheet"),
    "photos": N_("damage photos"),
    "driving_licence": N_("driving licence"),
    "vehicle_licence": N_("vehicle licence"),
    "id_copy": N_("owner's ID copy"),
    "authorisation": N_("power of attorney"),
    "bank_details": N_("bank account details"),
}
MAX_AMOUNT = Decimal("10000000")


# --- the claim on the order -----------------------------------------------------------------------------

@dataclass
class InsuranceForm:
    insurer: str = ""
    claim_no: str = ""
    assessor: str = ""
    assessed_amount: str = ""  # blank: not assessed yet
    deductible: str = "0"
    towing_fee: str = "0"
    personal_injury: bool = False
    property_loss: bool = False


def _amount(value, field_name: str, label: str, *, required: bool = True) -> Decimal | None:
    if value in (None, "") and not required:
        return None
    return validation.decimal(value if value not in (None, "") else "0", field_name, label, maximum=MAX_AMOUNT)


def _validated(form: InsuranceForm) -> dict:
    values = {
        "insurer": validation.text(form.insurer, "insurer", _("Insurer"), max_len=60),
        "claim_no": validation.text(form.claim_no, "claim_no", _("Claim report no."), max_len=40, required=False),
        "assessor": validation.text(form.assessor, "assessor", _("Assessor"), max_len=60, required=False),
        "assessed_amount": _amount(form.assessed_amount, "assessed_amount", _("Assessed amount"), required=False),
        "deductible": _amount(form.deductible, "deductible", _("Deductible")),
        "towing_fee": _amount(form.towing_fee, "towing_fee", _("Towing / rescue fee")),
        "personal_injury": bool(form.personal_injury),
        "property_loss": bool(form.property_loss),
    }
    return values


def _claim_of(order_id: int) -> InsuranceClaim | None:
    return InsuranceClaim.get_or_none(InsuranceClaim.order == order_id)


def _assessed_total(claim: InsuranceClaim) -> Decimal | None:
    if claim.assessed_amount is None:
        return None
    extra = InsuranceSupplement.select(fn.SUM(InsuranceSupplement.amount)).where(
        InsuranceSupplement.claim == claim.id).scalar()
    return cents(Decimal(str(claim.assessed_amount)) + Decimal(str(extra or 0)))


def _check_deductible(deductible: Decimal, assessed: Decimal | None) -> None:
    if assessed is not None and deductible > assessed:
        raise InvalidInput(_("The deductible ({deductible}) cannot be more than the assessed amount ({assessed}).")
                           .format(deductible=i18n.money(deductible), assessed=i18n.money(assessed)), "deductible")


def _sync_order(order: RepairOrder, claim: InsuranceClaim, *, by: Staff, kind: str, summary: Phrase) -> RepairOrder:
    """The order's insurance fields and its towing fee line follow the claim (inside the transaction)."""
    towing = Decimal(str(claim.towing_fee))
    fee = FeeLine.get_or_none((FeeLine.order == order.id) & (FeeLine.kind == "towing") & (FeeLine.payer == "insurer"))
    if towing > 0 and fee is None:
        FeeLine.create(order=order.id, kind="towing", description=_("Towing / rescue"), amount=towing,
                       payer="insurer", created_by=by, created_at=clock.now())
    elif towing > 0 and Decimal(str(fee.amount)) != towing:
        FeeLine.update(amount=towing).where(FeeLine.id == fee.id).execute()
    elif towing == 0 and fee is not None:
        FeeLine.delete().where(FeeLine.id == fee.id).execute()
    changes = {"insurer": claim.insurer, "claim_no": claim.claim_no, "assessed_amount": _assessed_total(claim),
               "deductible": Decimal(str(claim.deductible)), "towing": towing > 0}
    changes = {k: v for k, v in changes.items() if getattr(order, k) != v}
    return lifecycle.save(order, changes, by=by, kind=kind, summary=summary)


def save_claim(order_id: int, form: InsuranceForm, *, by: Staff, seen_version: int | None = None) -> InsuranceClaim:
    """Register the insurance claim of an accident repair, or change it until the order is settled."""
    values = _validated(form)
    _check_deductible(values["deductible"], values["assessed_amount"])

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.business_type != "insurance":
            raise InvalidInput(_("{order} is not an insurance repair: change its business type first.").format(
                order=order.label), "order")
        settlement.ensure_editable(order)
        claim = _claim_of(order.id)
        state = ASSESSED if values["assessed_amount"] is not None else REGISTERED
        if claim is None:
            claim = InsuranceClaim.create(order=order.id, state=state, created_by=by, created_at=clock.now(), **values)
            kind, text = "insurance_claim_registered", N_("{order}: insurance claim registered with {insurer}")
        else:
            if InsuranceClaim.update(version=InsuranceClaim.version + 1, state=state, **values).where(
                    (InsuranceClaim.id == claim.id) & (InsuranceClaim.version == claim.version)).execute() != 1:
                raise IllegalTransition(_("The claim of {order} was changed at another terminal: look at it again.")
                                        .format(order=order.label))
            kind, text = "insurance_claim_changed", N_("{order}: insurance claim with {insurer} changed")
        claim = InsuranceClaim.get_by_id(claim.id)
        _check_deductible(Decimal(str(claim.deductible)), _assessed_total(claim))
        assessed = _assessed_total(claim)
        said = Phrase(text, order=order.ref, insurer=claim.insurer)
        if assessed is not None:
            said = Phrase(N_("{summary}, assessed {amount}"), summary=said, amount=Money(assessed, symbol=True))
        _sync_order(order, claim, by=by, kind=kind, summary=said)
        return claim

    return run_write(work)


def add_supplement(order_id: int, amount, reason: str, *, by: Staff, seen_version: int | None = None) -> InsuranceSupplement:
    """Damage found during the repair, re-assessed by the insurer: the assessed amount grows by ``amount``."""
    amount = _amount(amount, "amount", _("Supplement amount"))
    if amount == 0:
        raise InvalidInput(_("Supplement amount must be more than zero."), "amount")
    reason = validation.text(reason, "reason", _("What was found"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        order = lifecycle.load_for_change(order_id, seen_version)
        settlement.ensure_editable(order)
        claim = _claim_of(order.id)
        if claim is None or claim.assessed_amount is None:
            raise IllegalTransition(_("{order} has no assessment yet: enter the assessed amount first.").format(
                order=order.label))
        supplement = InsuranceSupplement.create(claim=claim.id, amount=amount, reason=reason, by=by, at=clock.now())
        _sync_order(order, claim, by=by, kind="insurance_supplement",
                    summary=Phrase(N_("{order}: supplement of {amount} assessed ({reason}); assessed now {total}"),
                                   order=order.ref, amount=Money(amount, symbol=True), reason=reason,
                                   total=Money(_assessed_total(claim), symbol=True)))
        return supplement

    return run_write(work)


def set_covered(order_id: int, *, by: Staff, covered: bool, job_line_id: int | None = None,
                part_line_id: int | None = None, seen_version: int | None = None) -> RepairOrder:
    """Mark a line of an accident repair as work the insurer does not cover (the customer pays it) or back."""
    if (job_line_id is None) == (part_line_id is None):
        raise InvalidInput(_("Choose one job line or one part line."), "line")

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.business_type != "insurance":
            raise InvalidInput(_("{order} is not an insurance repair.").format(order=order.label), "order")
        settlement.ensure_editable(order)
        model, line_id = (JobLine, job_line_id) if job_line_id is not None else (PartLine, part_line_id)
        line = model.get_or_none((model.id == line_id) & (model.order == order.id))
        if line is None:
            raise NotFound(_("That line is not on {order}.").format(order=order.label))
        payer = "insurer" if covered else "customer"
        model.update(payer=payer).where(model.id == line_id).execute()
        name = line.name if model is JobLine else Local(line.part.name, line.part.name_zh)
        text = N_("{order}: {line} covered by the insurer") if covered else \
            N_("{order}: {line} not covered: the customer pays it")
        return lifecycle.save(order, {}, by=by, kind="insurance_cover",
                              summary=Phrase(text, order=order.ref, line=name))

    return run_write(work)


COVER_PAYERS = ("insurer", "customer")  # the lines a claim can cover or leave to the customer (not a comeback's)


def _cover_lines(order_id: int) -> list[tuple[str, int, str, str, bool]]:
    """The order's job and part lines the insurer may cover: (kind, id, code, name, covered)."""
    out = [("job", i, code, name, payer == "insurer") for i, code, name, payer in
           JobLine.select(JobLine.id, JobLine.code, JobLine.name, JobLine.payer)
           .where((JobLine.order == order_id) & JobLine.payer.in_(COVER_PAYERS)).order_by(JobLine.id).tuples()]
    out += [("part", i, code, i18n.local(name, name_zh), payer == "insurer") for i, code, name, name_zh, payer in
            PartLine.select(PartLine.id, Part.code, Part.name, Part.name_zh, PartLine.payer).join(Part)
            .where((PartLine.order == order_id) & PartLine.payer.in_(COVER_PAYERS)
                   & (PartLine.status != "cancelled")).order_by(PartLine.position, PartLine.id).tuples()]
    return out


def set_not_covered(order_id: int, job_line_ids, part_line_ids, *, by: Staff,
                    seen_version: int | None = None) -> tuple[list[str], list[str]]:
    """Exactly these lines of an accident repair are work the insurer does not cover (the customer pays them);
    the order's other job and part lines are covered. One change, one line of history; returns the codes
    (now not covered, covered again)."""
    try:
        wanted = {("job", int(i)) for i in job_line_ids or ()} | {("part", int(i)) for i in part_line_ids or ()}
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose the lines of the order."), "lines") from None

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.business_type != "insurance":
            raise InvalidInput(_("{order} is not an insurance repair.").format(order=order.label), "order")
        settlement.ensure_editable(order)
        lines = {(kind, i): (code, covered) for kind, i, code, _name, covered in _cover_lines(order.id)}
        if wanted - set(lines):
            raise InvalidInput(_("That line is not on {order}.").format(order=order.label), "lines")
        uncover = [key for key, (_code, covered) in lines.items() if covered and key in wanted]
        cover = [key for key, (_code, covered) in lines.items() if not covered and key not in wanted]
        if not uncover and not cover:
            return [], []
        for model, kind in ((JobLine, "job"), (PartLine, "part")):
            for payer, keys in (("customer", uncover), ("insurer", cover)):
                ids = [i for k, i in keys if k == kind]
                if ids:
                    model.update(payer=payer).where((model.order == order.id) & model.id.in_(ids)).execute()
        named = ([lines[k][0] for k in uncover], [lines[k][0] for k in cover])
        if named[0] and named[1]:
            summary = Phrase(N_("{order}: not covered, the customer pays: {lines}; covered by the insurer again: "
                                "{others}"), order=order.label, lines=", ".join(named[0]), others=", ".join(named[1]))
        elif named[0]:
            summary = Phrase(N_("{order}: not covered, the customer pays: {lines}"), order=order.label,
                             lines=", ".join(named[0]))
        else:
            summary = Phrase(N_("{order}: covered by the insurer again: {lines}"), order=order.label,
                             lines=", ".join(named[1]))
        lifecycle.save(order, {}, by=by, kind="insurance_cover", summary=summary,
                       detail={"not_covered": named[0], "covered": named[1]})
        return named

    return run_write(work)


def document_received(order_id: int, code: str, *, by: Staff, received: bool = True) -> None:
    """Tick (or untick) a document of the claim's checklist."""
    if code not in DOCUMENTS:
        raise InvalidInput(_("Choose a document from the checklist."), "document")

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        claim = _claim_of(order_id)
        if claim is None:
            raise NotFound(_("Register the insurance claim first."))
        order = lifecycle.get_order(order_id)
        there = InsuranceDocument.get_or_none((InsuranceDocument.claim == claim.id) & (InsuranceDocument.code == code))
        if received and there is None:
            InsuranceDocument.create(claim=claim.id, code=code, by=by, at=clock.now())
        elif not received and there is not None:
            InsuranceDocument.delete().where(InsuranceDocument.id == there.id).execute()
        else:
            return
        text = N_("{order}: {document} received") if received else N_("{order}: {document} no longer on file")
        audit.record(by, "insurance_document", "insurance_claim", claim.id,
                     Phrase(text, order=order.ref, document=Term("workshop.insurance:DOCUMENTS", code)),
                     order_id=order.id,
                     after={"document": code, "received": received})

    run_write(work)


def set_documents(order_id: int, codes, *, by: Staff) -> tuple[list[str], list[str]]:
    """The claim's checklist as it stands now: exactly the documents ``codes`` are on file (one change,
    one line of history); returns (received, no longer on file)."""
    codes = list(codes or [])
    unknown = [code for code in codes if code not in DOCUMENTS]
    if unknown:
        raise InvalidInput(_("Choose a document from the checklist."), "documents")

    def work():
        nonlocal by
        by = require(by, "insurance_claims")
        claim = _claim_of(order_id)
        if claim is None:
            raise NotFound(_("Register the insurance claim first."))
        order = lifecycle.get_order(order_id)
        have = {code for (code,) in InsuranceDocument.select(InsuranceDocument.code)
                .where(InsuranceDocument.claim == claim.id).tuples()}
        added = [code for code in DOCUMENTS if code in codes and code not in have]
        removed = [code for code in DOCUMENTS if code in have and code not in codes]
        if not added and not removed:
            return [], []
        now = clock.now()
        for code in added:
            InsuranceDocument.create(claim=claim.id, code=code, by=by, at=now)
        if removed:
            InsuranceDocument.delete().where((InsuranceDocument.claim == claim.id)
                                             & InsuranceDocument.code.in_(removed)).execute()
        parts_ = []
        if added:
            parts_.append(_("received: {documents}").format(
                documents=", ".join(i18n.label(DOCUMENTS, code) for code in added)))
        if removed:
            parts_.append(_("no longer on file: {documents}").format(
                documents=", ".join(i18n.label(DOCUMENTS, code) for code in removed)))
        audit.record(by, "insurance_document", "insurance_claim", claim.id,
                     Phrase(N_("{order}: claim documents {what}"), order=order.label, what="; ".join(parts_)),
                     order_id=order.id, before={"documents": sorted(have)},
                     after={"documents": [code for code in DOCUMENTS if code in codes]})
        return added, removed

    return run_write(work)


# --- the insurer's receivable -----------------------------------------------------------------------------

def paid_by_insurer(order_id: int) -> Decimal:
    total = InsurerPayment.select(fn.SUM(InsurerPayment.amount)).where(InsurerPayment.order == order_id).scalar()
    return cents(Decimal(str(total or 0)))


def _sync_receivable(order: RepairOrder) -> Decimal:
    """Keep the insurer's open balance in step with the invoice and its payments; returns what is owed."""
    invoice = settlement.current_invoice(order.id)
    share = cents(Decimal(str(invoice.insurer_share))) if invoice is not None else ZERO
    owed = share - paid_by_insurer(order.id) if invoice is not None else ZERO
    claim = _claim_of(order.id)
    if owed <= 0:
        InsurerBalance.delete().where(InsurerBalance.order == order.id).execute()
    else:
        since = invoice.at.date() if isinstance(invoice.at, dt.datetime) else invoice.at
        insurer = (claim.insurer if claim else None) or order.insurer or _("insurer")
        if not InsurerBalance.update(amount=owed, settlement=invoice.id, since=since).where(
                InsurerBalance.order == order.id).execute():
            InsurerBalance.create(order=order.id, claim=claim.id if claim else None, insurer=insurer,
                                  settlement=invoice.id, since=since, amount=owed)
    if claim is not None:
        state = (PAID if owed <= 0 and share > 0 else INVOICED) if invoice is not None else \
            (ASSESSED if claim.assessed_amount is not None else REGISTERED)
        if state != claim.state:
            InsuranceClaim.update(state=state, version=InsuranceClaim.version + 1).where(
                InsuranceClaim.id == claim.id).execute()
    return owed


def _after_settle(order: RepairOrder, by: Staff) -> None:
    owed = _sync_receivable(order)
    if owed > 0:
        audit.record(by, "insurer_receivable", "repair_order", order.id, _receivable(order, owed),
                     order_id=order.id, after={"amount": owed})


def _receivable(order: RepairOrder, owed: Decimal) -> Phrase:
    return Phrase(N_("{order}: {amount} receivable from {insurer}"), order=order.ref, amount=Money(owed, symbol=True),
                  insurer=order.insurer or Word(N_("the insurer")))


def _after_void(order: RepairOrder, by: Staff) -> None:
    _sync_receivable(order)


lifecycle.add_after("settle", _after_settle)
lifecycle.add_after("void", _after_void)


def open_receivable(order_id: int, *, by: Staff) -> Decimal:
    """The insurer's receivable of an order settled before receivables were kept (invoices loaded at go-live):
    opened from its invoice, less what the insurer paid; returns what it owes."""

    def work():
        nonlocal by
        by = require(by, "insurer_payments")
        order = lifecycle.get_order(order_id)
        if settlement.current_invoice(order.id) is None:
            raise IllegalTransition(_("{order} is not settled: the insurer owes nothing yet.").format(
                order=order.label))
        if InsurerBalance.select().where(InsurerBalance.order == order.id).exists():
            return cents(Decimal(str(InsurerBalance.get(InsurerBalance.order == order.id).amount)))
        owed = _sync_receivable(order)
        if owed > 0:
            audit.record(by, "insurer_receivable", "repair_order", order.id, _receivable(order, owed),
                         order_id=order.id, after={"amount": owed})
        return owed

    return run_write(work)


def record_payment(order_id: int, amount, *, by: Staff, paid_on=None, reference: str = "") -> InsurerPayment:
    """Money from the insurer against its share of a settled order: part or all of what it still owes."""
    amount = validation.decimal(amount, "amount", _("Amount paid"), allow_zero=False, maximum=MAX_AMOUNT)
    reference = validation.text(reference, "reference", _("Reference"), max_len=60, required=False)
    paid_on = typed_dates.parse(paid_on, "paid_on", _("Paid on"), required=False,
                                latest=clock.today()) or clock.today()

    def work():
        nonlocal by
        by = require(by, "insurer_payments")
        order = lifecycle.get_order(order_id)
        balance = InsurerBalance.get_or_none(InsurerBalance.order == order.id)
        if balance is None:
            invoice = settlement.current_invoice(order.id)
            if invoice is None:
                raise IllegalTransition(_("{order} is not settled: the insurer owes nothing yet.").format(
                    order=order.label))
            if Decimal(str(invoice.insurer_share)) <= 0:
                raise InvalidInput(_("The insurer pays no share of {order}.").format(order=order.label), "amount")
            raise IllegalTransition(_("{order}: the insurer's share is paid in full; the claim is closed.").format(
                order=order.label))
        # Under the write lock, and on PostgreSQL a row lock: two cashiers cannot take the balance below zero.
        if not InsurerBalance.update(amount=InsurerBalance.amount - amount).where(
                (InsurerBalance.id == balance.id) & (InsurerBalance.amount >= amount - Decimal("0.005"))).execute():
            owed = cents(Decimal(str(InsurerBalance.get_by_id(balance.id).amount)))
            raise InvalidInput(_("{amount} is more than the {owed} {insurer} still owes on {order}.").format(
                amount=i18n.money(amount), owed=i18n.money(owed), insurer=balance.insurer, order=order.label),
                "amount")
        payment = InsurerPayment.create(order=order.id, claim=balance.claim_id, insurer=balance.insurer,
                                        amount=amount, paid_on=paid_on, reference=reference, by=by, at=clock.now())
        owed = _sync_receivable(order)
        audit.record(by, "insurer_payment", "insurer_payment", payment.id,
                     Phrase(N_("{order}: {amount} received from {insurer}, {owed} still owed"), order=order.ref,
                            amount=Money(amount, symbol=True), insurer=balance.insurer, owed=Money(owed, symbol=True))
                     if owed > 0 else Phrase(N_("{order}: {amount} received from {insurer}, paid in full"),
                                             order=order.ref, amount=Money(amount, symbol=True), insurer=balance.insurer),
                     order_id=order.id, after={"amount": amount, "reference": reference, "owed": owed})
        return payment

    return run_write(work)


# --- what screens show ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimView:
    order_id: int
    exists: bool
    version: int
    insurer: str
    claim_no: str
    assessor: str
    assessed_amount: Decimal | None  # the first assessment
    supplements: tuple[tuple[dt.datetime, Decimal, str], ...]
    assessed_total: Decimal | None
    deductible: Decimal
    towing_fee: Decimal
    personal_injury: bool
    property_loss: bool
    state: str
    documents: tuple[tuple[str, bool], ...]  # (code, received), in checklist order
    insurer_share: Decimal | None  # once settled
    paid: Decimal
    owed: Decimal
    cover: tuple[tuple[str, int, str, str, bool], ...] = ()  # (job/part, line id, code, name, covered)
    bill_insurer: Decimal | None = None  # until settled: the split of the bill as it stands now
    bill_customer: Decimal | None = None


def claim_view(order_id: int) -> ClaimView:
    """The order's insurance claim as its form shows it (a blank one from the order when none yet)."""
    order = lifecycle.get_order(order_id)
    claim = _claim_of(order_id)
    invoice = settlement.current_invoice(order_id)
    paid = paid_by_insurer(order_id)
    share = cents(Decimal(str(invoice.insurer_share))) if invoice is not None else None
    balance = InsurerBalance.get_or_none(InsurerBalance.order == order_id)
    owed = cents(Decimal(str(balance.amount))) if balance else ZERO
    if claim is None:
        return ClaimView(order_id, False, 0, order.insurer or "", order.claim_no or "", "", None, (), None, ZERO, ZERO,
                         False, False, REGISTERED, tuple((code, False) for code in DOCUMENTS), share, paid, owed)
    supplements = tuple((s.at, cents(Decimal(str(s.amount))), s.reason) for s in InsuranceSupplement.select()
                        .where(InsuranceSupplement.claim == claim.id).order_by(InsuranceSupplement.id))
    have = {code for (code,) in InsuranceDocument.select(InsuranceDocument.code)
            .where(InsuranceDocument.claim == claim.id).tuples()}
    bill_insurer = bill_customer = None
    if invoice is None and order.state != lifecycle.CANCELLED:
        bill = settlement.bill_for(order_id)
        bill_insurer, bill_customer = bill.shares.get("insurer", ZERO), bill.customer_share
    return ClaimView(order_id, True, claim.version, claim.insurer, claim.claim_no or "", claim.assessor or "",
                     None if claim.assessed_amount is None else cents(Decimal(str(claim.assessed_amount))),
                     supplements, _assessed_total(claim), cents(Decimal(str(claim.deductible))),
                     cents(Decimal(str(claim.towing_fee))), claim.personal_injury, claim.property_loss, claim.state,
                     tuple((code, code in have) for code in DOCUMENTS), share, paid, owed,
                     tuple(_cover_lines(order_id)), bill_insurer, bill_customer)


@dataclass(frozen=True)
class InsurerReceivable:
    order_id: int
    number: int
    plate: str
    customer: str
    insurer: str
    claim_no: str
    since: dt.date
    amount: Decimal
    bucket: str


def receivables(search: str = "", *, insurer: str | None = None, limit: int = 100,
                offset: int = 0, shop: int | None = None) -> list[InsurerReceivable]:
    """What insurers still owe, oldest first (search: insurer, plate, RO or claim number; ``shop``: on that shop's
    orders, a group's cash desk)."""
    query = (InsurerBalance.select(InsurerBalance.order, RepairOrder.number, Vehicle.plate, Customer.name,
                                   InsurerBalance.insurer, RepairOrder.claim_no, InsurerBalance.since,
                                   InsurerBalance.amount)
             .join(RepairOrder, on=(InsurerBalance.order == RepairOrder.id))
             .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id)).switch(RepairOrder)
             .join(Customer, on=(RepairOrder.customer == Customer.id)))
    if insurer:
        query = query.where(InsurerBalance.insurer == insurer)
    if shop is not None:
        query = query.where(RepairOrder.shop == shop)
    text = (search or "").strip()
    if text:
        cond = InsurerBalance.insurer.contains(text) | Vehicle.plate.contains(text.upper()) | \
            RepairOrder.claim_no.contains(text)
        digits = text.upper().removeprefix("RO").strip()
        if digits.isdigit():
            cond |= RepairOrder.number == int(digits)
        query = query.where(cond)
    today = clock.today()
    out = []
    for oid, number, plate, customer, who, claim_no, since, amount in (
            query.order_by(InsurerBalance.since, InsurerBalance.id).limit(limit).offset(offset).tuples()):
        since = since if isinstance(since, dt.date) else dt.date.fromisoformat(str(since))
        out.append(InsurerReceivable(oid, number, plate, customer, who, claim_no or "", since,
                                     cents(Decimal(str(amount))), settlement.bucket_of(since, today)))
    return out


def insurers() -> list[str]:
    """The insurers that owe something, for the receivables filter."""
    return [name for (name,) in InsurerBalance.select(InsurerBalance.insurer).distinct()
            .order_by(InsurerBalance.insurer).tuples()]


__all__ = ["InsuranceForm", "save_claim", "add_supplement", "set_covered", "set_not_covered", "document_received", "set_documents", "record_payment",
           "claim_view", "receivables", "insurers", "paid_by_insurer", "DOCUMENTS", "STATE_LABELS", "ClaimView",
           "InsurerReceivable"]
