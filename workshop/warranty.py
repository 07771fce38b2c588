"""Warranty claims (保修索赔 / 三包): from a warranty order to the manufacturer's payment.

A claim is built from the order's lines the manufacturer pays for: each labour operation (code, hours at
the manufacturer's labour rate) and each part used (at dealer cost plus the manufacturer's handling
percentage), the customer's complaint, the cause and the correction, the causal part and the old part kept
for return (the 舊件回收 record, returned by a date).

    draft -> submitted -> accepted | partly accepted | rejected (不受理, with the reason)
    accepted / partly accepted -> paid (in one or many payments, never above what was accepted)
    rejected -> draft (corrected, then submitted again) | charged to the shop (a manager)

Decided here, where the issue was silent:
- the claim is drafted by itself when a warranty order is settled (nothing the manufacturer owes is
  forgotten), and by hand from QC onwards; one claim per order;
- the deadline to submit is the repair date plus the manufacturer's submit days, old parts are due back
  by the repair date plus its return days (setting ``warranty_terms``, per manufacturer = vehicle brand);
  a late claim can still be submitted: the manufacturer decides, and the lists show it late;
- recovery is counted in the month a claim was first submitted: paid / claimed (the claimed amount as
  last corrected), so a rejection lowers it and a payment after correction raises it again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import JOIN, fn

from models.db import run_write
from models.orders import JobLine, RepairOrder
from models.parts import OldPartRecord, Part, PartLine
from models.people import Customer, Staff, Vehicle
from models.warranty import WarrantyClaim, WarrantyClaimLine, WarrantyPayment, WarrantyRejection
from workshop import audit, clock, i18n, lifecycle, settings, typed_dates, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound, StaleOrder
from workshop.i18n import N_, _
from workshop.phrase import Money, Phrase, Term, When, Word
from workshop.permissions import require
from workshop.pricing import ZERO, cents
from workshop.reception import next_number

DRAFT, SUBMITTED, ACCEPTED, PARTLY_ACCEPTED, REJECTED, PAID, CHARGED_INTERNAL = (
    "draft", "submitted", "accepted", "partly_accepted", "rejected", "paid", "charged_internal")
STATE_LABELS = {DRAFT: N_("draft"), SUBMITTED: N_("submitted"), ACCEPTED: N_("accepted"),
                PARTLY_ACCEPTED: N_("partly accepted"), REJECTED: N_("rejected"), PAID: N_("paid by the manufacturer"),
                CHARGED_INTERNAL: N_("charged to the shop")}
CLOSED = frozenset({PAID, CHARGED_INTERNAL})
PAYABLE = frozenset({ACCEPTED, PARTLY_ACCEPTED})
REASONS_TABLE = "workshop.warranty:REJECTION_REASONS"
REJECTION_REASONS = {
    "late": N_("submitted after the deadline"),
    "not_covered": N_("not covered by the warranty"),
    "documents": N_("documents missing or unclear"),
    "old_part": N_("old part not returned"),
    "operation": N_("wrong operation code or hours"),
    "diagnosis": N_("cause not proven"),
    "other": N_("other reason"),
}
# The work must be done before it is claimed.
CLAIMABLE_STATES = frozenset({lifecycle.READY_QC, lifecycle.READY_SETTLEMENT, lifecycle.SETTLED, lifecycle.DELIVERED})

# The terms per manufacturer (setting warranty_terms, declared in workshop/settings.py): labor_rate None is the
# shop's own rate.


@dataclass(frozen=True)
class Terms:
    submit_days: int
    return_days: int
    labor_rate: Decimal | None
    parts_handling_pct: Decimal


def terms_for(manufacturer: str) -> Terms:
    """The manufacturer's claim terms: its own entry over the shop's default ("*")."""
    table = settings.get("warranty_terms") or {}
    values = dict(settings.DEFAULTS["warranty_terms"]["*"])
    values.update(table.get("*", {}))
    values.update(table.get(manufacturer, {}))
    rate = values.get("labor_rate")
    return Terms(int(values["submit_days"]), int(values["return_days"]),
                 Decimal(str(rate)) if rate not in (None, "") else None, Decimal(str(values["parts_handling_pct"])))


@dataclass(frozen=True)
class TermsRow:
    maker: str  # "*": every manufacturer without its own terms
    terms: Terms
    own: bool  # the manufacturer has terms of its own (else it gets the "*" ones)


def terms_rows() -> list[TermsRow]:
    """The terms of "*", of every manufacturer that has its own, and of those claimed to without them."""
    table = settings.get("warranty_terms") or {}
    makers = sorted(({name for name in table if name != "*"} | set(manufacturers())), key=str.casefold)
    return [TermsRow("*", terms_for("*"), True)] + [TermsRow(name, terms_for(name), name in table)
                                                      for name in makers]


def set_terms(maker: str, submit_days, return_days, labor_rate, parts_handling_pct, *, by: Staff) -> Terms:
    """A manufacturer's claim terms ("*": the shop's default for the others): days to submit a claim and to
    return the old part, the labour rate it pays (blank: the shop's own) and its parts handling %. Claims
    drafted from now on use them; a claim keeps the deadline it was drafted with."""
    maker = validation.text(maker, "maker", _("Manufacturer"), max_len=40)
    entry = {"submit_days": validation.integer(submit_days, "submit_days", _("Days to submit"), minimum=1,
                                               maximum=3650),
             "return_days": validation.integer(return_days, "return_days", _("Days to return the old part"),
                                               minimum=1, maximum=3650),
             "labor_rate": None if labor_rate in (None, "") else str(validation.decimal(
                 labor_rate, "labor_rate", _("Labour rate"), maximum=100000, allow_zero=False)),
             "parts_handling_pct": str(validation.decimal(parts_handling_pct, "parts_handling_pct",
                                                          _("Parts handling %"), maximum=100))}
    settings.put_entry("warranty_terms", maker, entry, by=by)
    return terms_for(maker)


def remove_terms(maker: str, *, by: Staff) -> None:
    """A manufacturer goes back to the shop's default terms ("*" itself stays)."""
    if maker == "*":
        raise InvalidInput(_("The default terms stay: change them instead."), "maker")
    settings.put_entry("warranty_terms", maker, None, by=by)


def claim_label(number: int) -> str:
    return str(claim_ref(number))


def claim_ref(number: int) -> Phrase:
    """A claim's name as a phrase ("WC 12" / "索赔单 12"), said in each reader's language."""
    return Phrase(N_("WC {number}"), number=number)


# --- loading and saving ---------------------------------------------------------------------------

def _load(claim_id: int, seen_version: int | None = None) -> WarrantyClaim:
    claim = WarrantyClaim.by_id(claim_id)
    if claim is None:
        raise NotFound(_("That warranty claim does not exist."))
    if seen_version is not None and claim.version != seen_version:
        raise StaleOrder(_("{claim} was changed at another terminal: look at it again.").format(
            claim=claim_label(claim.number)), claim.order_id)
    return claim


def _save(claim: WarrantyClaim, changes: dict, *, by: Staff, kind: str, summary: Phrase | str,
          before: dict | None = None, after: dict | None = None) -> WarrantyClaim:
    """Apply ``changes`` if nobody changed the claim since it was read, and record the event."""
    changes = changes or {"state": claim.state}  # the version moves even when only a payment was added
    if WarrantyClaim.update_versioned(claim.id, claim.version, changes) != 1:
        raise StaleOrder(_("{claim} was changed at another terminal: look at it again.").format(
            claim=claim_label(claim.number)), claim.order_id)
    audit.record(by, kind, "warranty_claim", claim.id, summary, order_id=claim.order_id,
                 before=before if before is not None else {k: getattr(claim, k) for k in changes},
                 after=after if after is not None else changes)
    return WarrantyClaim.by_id(claim.id)


def _in_state(claim: WarrantyClaim, allowed, refusal: str) -> None:
    """Refuse unless the claim is in one of the ``allowed`` states; ``refusal`` names {claim} and {state}."""
    if claim.state in allowed:
        return
    state = i18n.label(STATE_LABELS, claim.state)
    if claim.state in CLOSED:
        raise IllegalTransition(_("{claim} is closed ({state}): nothing more can change on it.").format(
            claim=claim_label(claim.number), state=state))
    raise IllegalTransition(refusal.format(claim=claim_label(claim.number), state=state))


def paid_on_claim(claim_id: int) -> Decimal:
    total = WarrantyPayment.select(fn.SUM(WarrantyPayment.amount)).where(WarrantyPayment.claim == claim_id).scalar()
    return cents(Decimal(str(total or 0)))


# --- building a claim from the order ----------------------------------------------------------------

def _claim_lines(order: RepairOrder, terms: Terms) -> list[dict]:
    """The order's manufacturer-paid labour and used parts, at the manufacturer's rates."""
    lines = []
    for job in (JobLine.select().where((JobLine.order == order.id) & (JobLine.payer == "manufacturer"))
                .order_by(JobLine.id)):
        rate = terms.labor_rate if terms.labor_rate is not None else Decimal(str(job.rate))
        hours = Decimal(str(job.billed_hours))
        lines.append(dict(kind="labor", job_line=job.id, part_line=None, code=job.code, name=job.name,
                          quantity=hours, unit="h", rate=rate, amount=cents(hours * rate)))
    for line in (PartLine.select(PartLine, Part).join(Part)
                 .where((PartLine.order == order.id) & (PartLine.payer == "manufacturer")
                        & (PartLine.status != "cancelled") & (PartLine.picked > PartLine.returned))
                 .order_by(PartLine.position, PartLine.id)):
        used = Decimal(str(line.picked)) - Decimal(str(line.returned))
        price = cents(Decimal(str(line.part.unit_cost)) * (1 + terms.parts_handling_pct / 100))
        lines.append(dict(kind="part", job_line=line.job_line_id, part_line=line.id, code=line.part.code,
                          name=line.part.name, quantity=used, unit=line.part.unit, rate=price,
                          amount=cents(used * price)))
    return lines


def _totals(claim_id: int) -> dict:
    labor = parts_ = ZERO
    for kind, amount in WarrantyClaimLine.select(WarrantyClaimLine.kind, WarrantyClaimLine.amount).where(
            WarrantyClaimLine.claim == claim_id).tuples():
        if kind == "labor":
            labor += Decimal(str(amount))
        else:
            parts_ += Decimal(str(amount))
    return {"labor_amount": cents(labor), "parts_amount": cents(parts_), "claimed_amount": cents(labor + parts_)}


def _old_part_of(part_line_id: int | None) -> int | None:
    if part_line_id is None:
        return None
    record = (OldPartRecord.select(OldPartRecord.id)
              .where((OldPartRecord.part_line == part_line_id) & (OldPartRecord.disposition == "warranty"))
              .order_by(OldPartRecord.id.desc()).first())
    return record.id if record else None


def _draft(order: RepairOrder, by: Staff, causal_part_line_id: int | None = None,
           note: str = "") -> WarrantyClaim | None:
    """(``note``: a fixed remark marked N_, said after the summary)"""
    """Inside a transaction: the order's claim, drafted from its lines; None when the manufacturer pays
    nothing on it."""
    vehicle = Vehicle.get_by_id(order.vehicle_id)
    terms = terms_for(vehicle.brand)
    lines = _claim_lines(order, terms)
    if not lines:
        return None
    part_lines = [line for line in lines if line["kind"] == "part"]
    if causal_part_line_id is not None and causal_part_line_id not in [p["part_line"] for p in part_lines]:
        raise InvalidInput(_("The causal part must be one of the parts on the claim."), "causal_part")
    causal = causal_part_line_id or (max(part_lines, key=lambda p: p["amount"])["part_line"] if part_lines else None)
    repair_date = (order.completed_at or clock.now()).date()
    now = clock.now()
    claim = WarrantyClaim.create(
        number=next_number("warranty_claim", 1), order=order.id, manufacturer=vehicle.brand, state=DRAFT,
        complaint=order.statement, causal_part_line=causal, old_part=_old_part_of(causal),
        accepted_amount=None,  # (the column's default is 0.00: "accepted 0.00" before any answer)
        return_by=repair_date + dt.timedelta(days=terms.return_days) if causal else None,
        repair_date=repair_date, deadline=repair_date + dt.timedelta(days=terms.submit_days),
        created_by=by, created_at=now)
    for position, line in enumerate(lines, 1):
        WarrantyClaimLine.create(claim=claim.id, position=position, **line)
    totals = _totals(claim.id)
    WarrantyClaim.update(**totals).where(WarrantyClaim.id == claim.id).execute()
    audit.record(by, "warranty_claim_drafted", "warranty_claim", claim.id,
                 Phrase(N_("{claim} drafted from {order}: {amount} to claim from {maker}{note}"),
                        claim=claim_ref(claim.number), order=order.ref, amount=Money(totals["claimed_amount"], symbol=True),
                        maker=vehicle.brand, note=Word(note)), order_id=order.id, after=totals)
    return WarrantyClaim.by_id(claim.id)


def draft_claim(order_id: int, *, by: Staff, causal_part_line_id: int | None = None) -> WarrantyClaim:
    """Draft the warranty claim of an order whose work is done (one claim per order)."""

    def work():
        nonlocal by
        by = require(by, "warranty_claims")
        order = lifecycle.get_order(order_id)
        existing = WarrantyClaim.get_or_none(WarrantyClaim.order == order.id)
        if existing is not None:
            raise InvalidInput(_("{order} already has warranty claim {claim}.").format(
                order=order.label, claim=claim_label(existing.number)), "order")
        if order.state not in CLAIMABLE_STATES:
            raise IllegalTransition(_("{order} is {state}: claim the warranty once the work is done.").format(
                order=order.label, state=lifecycle.label(order.state)))
        claim = _draft(order, by, causal_part_line_id)
        if claim is None:
            raise InvalidInput(_("{order} has no work the manufacturer pays for: nothing to claim.").format(
                order=order.label), "order")
        return claim

    return run_write(work)


def _draft_on_settle(order: RepairOrder, by: Staff) -> None:
    """A settled warranty order gets its claim drafted at once, so recovery starts from every job."""
    if WarrantyClaim.select().where(WarrantyClaim.order == order.id).exists():
        return
    _draft(order, by, note=N_(" (on settlement)"))


lifecycle.add_after("settle", _draft_on_settle)


# --- editing, submitting, answers ------------------------------------------------------------------

@dataclass
class ClaimForm:
    complaint: str = ""
    cause: str = ""
    correction: str = ""
    causal_part_line_id: int | None = None
    quantities: dict[int, str] = field(default_factory=dict)  # claim line id -> hours or quantity (0: drop)


def edit_claim(claim_id: int, form: ClaimForm, *, by: Staff, seen_version: int | None = None,
               submit: bool = False) -> WarrantyClaim:
    """Change a draft claim: the complaint, cause, correction, causal part, hours and quantities; with
    ``submit``, send it to the manufacturer in the same transaction (nothing is saved if it cannot go)."""
    complaint = validation.text(form.complaint, "complaint", _("Complaint"), max_len=1000)
    cause = validation.text(form.cause, "cause", _("Cause"), max_len=1000, required=False)
    correction = validation.text(form.correction, "correction", _("Correction"), max_len=1000, required=False)
    try:
        quantities = {int(k): validation.decimal(v, "quantity", _("Hours or quantity"), places=3,
                                                        maximum=validation.MAX_QUANTITY)
                      for k, v in form.quantities.items()}
    except (TypeError, ValueError):
        raise InvalidInput(_("Choose the lines of the claim to change."), "quantity") from None

    def work():
        nonlocal by
        by = require(by, "warranty_claims")
        claim = _load(claim_id, seen_version)
        _in_state(claim, {DRAFT}, _("{claim} is {state}: only a draft claim can be edited (correct a rejected one first)."))
        lines = {line.id: line for line in WarrantyClaimLine.select().where(WarrantyClaimLine.claim == claim.id)}
        for line_id, qty in quantities.items():
            line = lines.get(line_id)
            if line is None:
                raise InvalidInput(_("That line is not on {claim}.").format(claim=claim_label(claim.number)),
                                   "quantity")
            if qty == 0:
                WarrantyClaimLine.delete().where(WarrantyClaimLine.id == line_id).execute()
            else:
                WarrantyClaimLine.update(quantity=qty, amount=cents(qty * Decimal(str(line.rate)))).where(
                    WarrantyClaimLine.id == line_id).execute()
        causal = form.causal_part_line_id if form.causal_part_line_id is not None else claim.causal_part_line_id
        if causal is not None and not WarrantyClaimLine.select().where(
                (WarrantyClaimLine.claim == claim.id) & (WarrantyClaimLine.part_line == causal)).exists():
            raise InvalidInput(_("The causal part must be one of the parts on the claim."), "causal_part")
        changes = dict(_totals(claim.id), complaint=complaint, cause=cause, correction=correction,
                       causal_part_line=causal, old_part=_old_part_of(causal) or claim.old_part_id)
        claim = _save(claim, changes, by=by, kind="warranty_claim_edited",
                      summary=Phrase(N_("{claim} edited: {amount} claimed"), claim=claim_ref(claim.number),
                                     amount=Money(changes["claimed_amount"], symbol=True)))
        return _submit(claim, by) if submit else claim

    return run_write(work)


def _submit(claim: WarrantyClaim, by: Staff) -> WarrantyClaim:
    _in_state(claim, {DRAFT}, _("{claim} is {state}: only a draft claim can be submitted."))
    if not (claim.cause or "").strip():
        raise InvalidInput(_("{claim}: say what caused the fault before submitting.").format(
            claim=claim_label(claim.number)), "cause")
    if not (claim.correction or "").strip():
        raise InvalidInput(_("{claim}: say what was done to correct it before submitting.").format(
            claim=claim_label(claim.number)), "correction")
    if Decimal(str(claim.claimed_amount)) <= 0:
        raise InvalidInput(_("{claim} claims nothing: add hours or parts.").format(
            claim=claim_label(claim.number)), "quantity")
    now = clock.now()
    late = now.date() > claim.deadline
    return _save(claim, {"state": SUBMITTED, "submitted_at": now, "first_submitted_at": claim.first_submitted_at or now,
                         "submissions": claim.submissions + 1, "accepted_amount": None, "answered_at": None},
                 by=by, kind="warranty_claim_submitted",
                 summary=Phrase(N_("{claim} submitted to {maker}: {amount}{late}"), claim=claim_ref(claim.number),
                                maker=claim.manufacturer, amount=Money(claim.claimed_amount, symbol=True),
                                late=Phrase(N_(" (after the deadline {date})"), date=When(claim.deadline))
                                if late else ""))


def submit(claim_id: int, *, by: Staff, seen_version: int | None = None) -> WarrantyClaim:
    """Send a draft claim to the manufacturer."""

    def work():
        staff = require(by, "warranty_claims")
        return _submit(_load(claim_id, seen_version), staff)

    return run_write(work)


def submit_batch(claim_ids: list[int], *, by: Staff) -> list[WarrantyClaim]:
    """Send several draft claims at once (a batch, as exported): all of them or, on any refusal, none."""
    if not claim_ids:
        raise InvalidInput(_("Choose the claims to submit."), "claims")

    def work():
        staff = require(by, "warranty_claims")
        return [_submit(_load(i), staff) for i in claim_ids]

    return run_write(work)


def answer(claim_id: int, accepted, *, by: Staff, reason: str | None = None, note: str = "",
           seen_version: int | None = None) -> WarrantyClaim:
    """The manufacturer's answer: the amount it accepts; below the claim, with the reason for the rest."""
    accepted = validation.decimal(accepted, "accepted", _("Amount accepted"), maximum=validation.MAX_MONEY)
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)
    if reason is not None and reason not in REJECTION_REASONS:
        raise InvalidInput(_("Choose the manufacturer's reason from the list."), "reason")

    def work():
        nonlocal by
        by = require(by, "warranty_claims")
        claim = _load(claim_id, seen_version)
        _in_state(claim, {SUBMITTED}, _("{claim} is {state}: only a submitted claim can be answered."))
        claimed = Decimal(str(claim.claimed_amount))
        if accepted > claimed:
            raise InvalidInput(_("{claim} claims {claimed}: the manufacturer cannot accept {amount}.").format(
                claim=claim_label(claim.number), claimed=i18n.money(claimed), amount=i18n.money(accepted)),
                "accepted")
        if accepted < claimed and reason is None:
            raise InvalidInput(_("Give the manufacturer's reason for what it did not accept."), "reason")
        state = ACCEPTED if accepted == claimed else REJECTED if accepted == 0 else PARTLY_ACCEPTED
        now = clock.now()
        if accepted < claimed:
            WarrantyRejection.create(claim=claim.id, reason=reason, note=note, claimed=claimed, accepted=accepted,
                                     by=by, at=now)
        text = {ACCEPTED: N_("{claim} accepted by {maker}: {amount}"),
                PARTLY_ACCEPTED: N_("{claim} partly accepted by {maker}: {amount} of {claimed} ({reason})"),
                REJECTED: N_("{claim} rejected by {maker} (不受理): {reason}")}[state]
        return _save(claim, {"state": state, "accepted_amount": accepted, "answered_at": now,
                             "rejection_reason": reason if accepted < claimed else None,
                             "rejection_note": note if accepted < claimed else None},
                     by=by, kind="warranty_claim_" + state,
                     summary=Phrase(text, claim=claim_ref(claim.number), maker=claim.manufacturer,
                                    amount=Money(accepted, symbol=True), claimed=Money(claimed, symbol=True),
                                    reason=Phrase(N_("{summary}: {note}"), summary=Term(REASONS_TABLE, reason),
                                                  note=note) if note else Term(REASONS_TABLE, reason)))

    return run_write(work)


def reject(claim_id: int, reason: str, *, by: Staff, note: str = "", seen_version: int | None = None) -> WarrantyClaim:
    """不受理: the manufacturer refused the whole claim, for this reason."""
    return answer(claim_id, "0", by=by, reason=reason, note=note, seen_version=seen_version)


def correct(claim_id: int, *, by: Staff, seen_version: int | None = None) -> WarrantyClaim:
    """Take a rejected claim back to draft to correct and submit it again (the rejection stays on record)."""

    def work():
        nonlocal by
        by = require(by, "warranty_claims")
        claim = _load(claim_id, seen_version)
        _in_state(claim, {REJECTED}, _("{claim} is {state}: only a rejected claim can be corrected."))
        return _save(claim, {"state": DRAFT, "accepted_amount": None, "answered_at": None}, by=by,
                     kind="warranty_claim_corrected",
                     summary=Phrase(N_("{claim} taken back for correction"), claim=claim_ref(claim.number)))

    return run_write(work)


def charge_to_shop(claim_id: int, reason: str, *, by: Staff, seen_version: int | None = None) -> WarrantyClaim:
    """A manager closes a rejected claim: the shop bears the cost (internal)."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "charge_claim_internal")
        claim = _load(claim_id, seen_version)
        _in_state(claim, {REJECTED}, _("{claim} is {state}: only a rejected claim can be charged to the shop."))
        return _save(claim, {"state": CHARGED_INTERNAL, "closed_at": clock.now()}, by=by,
                     kind="warranty_claim_charged_internal",
                     summary=Phrase(N_("{claim} charged to the shop: {amount} ({reason})"),
                                    claim=claim_ref(claim.number), amount=Money(claim.claimed_amount, symbol=True),
                                    reason=reason),
                     after={"state": CHARGED_INTERNAL, "reason": reason})

    return run_write(work)


def record_payment(claim_id: int, amount, *, by: Staff, paid_on=None, reference: str = "") -> WarrantyPayment:
    """Money from the manufacturer against an accepted claim; the claim is paid when all of it came."""
    amount = validation.decimal(amount, "amount", _("Amount paid"), allow_zero=False, maximum=validation.MAX_MONEY)
    reference = validation.text(reference, "reference", _("Reference"), max_len=60, required=False)
    paid_on = typed_dates.parse(paid_on, "paid_on", _("Paid on"), required=False,
                                latest=clock.today()) or clock.today()

    def work():
        nonlocal by
        by = require(by, "warranty_payments")
        claim = _load(claim_id)
        if claim.state in CLOSED:
            raise IllegalTransition(_("{claim} is closed ({state}): nothing more can be paid to it.").format(
                claim=claim_label(claim.number), state=i18n.label(STATE_LABELS, claim.state)))
        if claim.state not in PAYABLE:
            raise IllegalTransition(_("{claim} is {state}: record the manufacturer's answer before its payment.")
                                    .format(claim=claim_label(claim.number),
                                            state=i18n.label(STATE_LABELS, claim.state)))
        got = paid_on_claim(claim.id)
        accepted = Decimal(str(claim.accepted_amount))
        left = accepted - got
        if amount > left:
            raise InvalidInput(_("{amount} is more than the {left} still to be paid on {claim} "
                                 "(claimed {claimed}, accepted {accepted}, paid {paid}).").format(
                amount=i18n.money(amount), left=i18n.money(left), claim=claim_label(claim.number),
                claimed=i18n.money(claim.claimed_amount), accepted=i18n.money(accepted), paid=i18n.money(got)),
                "amount")
        payment = WarrantyPayment.create(claim=claim.id, amount=amount, paid_on=paid_on, reference=reference,
                                         by=by, at=clock.now())
        changes = {"state": PAID, "closed_at": clock.now()} if amount == left else {}
        _save(claim, changes, by=by, kind="warranty_payment",
              summary=Phrase(N_("{claim}: {amount} received from {maker}{note}"), claim=claim_ref(claim.number),
                             amount=Money(amount, symbol=True), maker=claim.manufacturer,
                             note=Word(N_(" (paid in full)") if changes else "")),
              before={"paid": got}, after={"paid": got + amount, "reference": reference})
        return payment

    return run_write(work)


def old_part_returned(claim_id: int, *, by: Staff, reference: str = "") -> WarrantyClaim:
    """The old part went back to the manufacturer (shipping note as the reference)."""
    reference = validation.text(reference, "reference", _("Shipping note"), max_len=60, required=False)

    def work():
        nonlocal by
        by = require(by, "warranty_claims")
        claim = _load(claim_id)
        if claim.causal_part_line_id is None:
            raise InvalidInput(_("{claim} has no old part to return.").format(claim=claim_label(claim.number)),
                               "reference")
        if claim.old_part_returned_at is not None:
            raise InvalidInput(_("{claim}: the old part was already returned on {date}.").format(
                claim=claim_label(claim.number), date=i18n.date(claim.old_part_returned_at)), "reference")
        return _save(claim, {"old_part_returned_at": clock.now(), "old_part_reference": reference}, by=by,
                     kind="warranty_old_part_returned",
                     summary=Phrase(N_("{claim}: old part returned to {maker}"), claim=claim_ref(claim.number),
                                    maker=claim.manufacturer))

    return run_write(work)


# --- what screens show ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimRow:
    id: int
    number: int
    version: int
    state: str
    order_id: int
    order_number: int
    plate: str
    customer: str
    manufacturer: str
    claimed: Decimal
    accepted: Decimal | None
    deadline: dt.date
    submitted_at: dt.datetime | None
    answered_at: dt.datetime | None
    rejection_reason: str | None
    return_by: dt.date | None
    part: str | None  # the causal part's code and name
    paid: Decimal = ZERO  # received from the manufacturer so far

    @property
    def left_to_pay(self) -> Decimal:
        return max((self.accepted or ZERO) - self.paid, ZERO)

    def days_left(self, today: dt.date) -> int:
        return (self.deadline - today).days

    def age_days(self, today: dt.date) -> int | None:
        return (today - self.submitted_at.date()).days if self.submitted_at else None


def _rows(query) -> list[ClaimRow]:
    """The rows of the claims ``query`` selects (two queries: the claims, then what was paid on them)."""
    causal = PartLine.alias("causal")
    causal_part = Part.alias("causal_part")
    rows = list(query.select(WarrantyClaim.id, WarrantyClaim.number, WarrantyClaim.version, WarrantyClaim.state,
                             WarrantyClaim.order, RepairOrder.number, Vehicle.plate, Customer.name,
                             WarrantyClaim.manufacturer, WarrantyClaim.claimed_amount, WarrantyClaim.accepted_amount,
                             WarrantyClaim.deadline, WarrantyClaim.submitted_at, WarrantyClaim.answered_at,
                             WarrantyClaim.rejection_reason, WarrantyClaim.return_by, causal_part.code,
                             causal_part.name, causal_part.name_zh)
                .join(RepairOrder, on=(WarrantyClaim.order == RepairOrder.id))
                .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id)).switch(RepairOrder)
                .join(Customer, on=(RepairOrder.customer == Customer.id)).switch(WarrantyClaim)
                .join(causal, JOIN.LEFT_OUTER, on=(WarrantyClaim.causal_part_line == causal.id))
                .join(causal_part, JOIN.LEFT_OUTER, on=(causal.part == causal_part.id)).tuples())
    # Paid so far, for these claims only (a sum over every payment ever made grows with the years).
    paid = dict(WarrantyPayment.select(WarrantyPayment.claim, fn.SUM(WarrantyPayment.amount))
                .where(WarrantyPayment.claim.in_([r[0] for r in rows] or [0]))
                .group_by(WarrantyPayment.claim).tuples())
    out = []
    for r in rows:
        out.append(ClaimRow(*r[:9], cents(Decimal(str(r[9]))), None if r[10] is None else cents(Decimal(str(r[10]))),
                            _as_date(r[11]), _as_datetime(r[12]), _as_datetime(r[13]), r[14], _as_date(r[15]),
                            f"{r[16]} {i18n.local(r[17], r[18])}" if r[16] else None,
                            cents(Decimal(str(paid.get(r[0]) or 0)))))
    return out


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _search(query, search: str, manufacturer: str | None):
    if manufacturer:
        query = query.where(WarrantyClaim.manufacturer == manufacturer)
    text = (search or "").strip().upper()
    if text:
        digits = text.removeprefix("WC").removeprefix("RO").strip()
        cond = Vehicle.plate.contains(text)
        if digits.isdigit():
            cond |= (WarrantyClaim.number == int(digits)) | (RepairOrder.number == int(digits))
        query = query.where(cond)
    return query


def _listing(states, order_by, search, manufacturer, limit, offset, extra=None, shop: int | None = None):
    """A page of claims in ``states`` (``shop``: of that shop's orders, a group's terminal; each shop claims for
    the work it did)."""
    query = WarrantyClaim.select().where(WarrantyClaim.state.in_(list(states)))
    if (search or "").strip() or shop is not None:  # (the order and its car only to search or scope them)
        query = (query.join(RepairOrder, on=(WarrantyClaim.order == RepairOrder.id))
                 .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id)).switch(WarrantyClaim))
    if shop is not None:
        query = query.where(RepairOrder.shop == shop)
    if extra is not None:
        query = query.where(extra)
    query = _search(query, search, manufacturer)
    ids = [i for (i,) in query.select(WarrantyClaim.id).order_by(*order_by).limit(limit).offset(offset).tuples()]
    if not ids:
        return []
    by_id = {row.id: row for row in _rows(WarrantyClaim.select().where(WarrantyClaim.id.in_(ids)))}
    return [by_id[i] for i in ids]


def to_submit(search: str = "", *, manufacturer: str | None = None, limit: int = 100, offset: int = 0,
              shop: int | None = None) -> list[ClaimRow]:
    """Draft claims, the nearest deadline first (past deadlines at the top)."""
    return _listing({DRAFT}, (WarrantyClaim.deadline, WarrantyClaim.number), search, manufacturer, limit, offset,
                    shop=shop)


def awaiting_answer(search: str = "", *, manufacturer: str | None = None, limit: int = 100,
                    offset: int = 0, shop: int | None = None) -> list[ClaimRow]:
    """Submitted claims with no answer yet, the longest waiting first."""
    return _listing({SUBMITTED}, (WarrantyClaim.submitted_at, WarrantyClaim.number), search, manufacturer, limit,
                    offset, shop=shop)


def rejected(search: str = "", *, manufacturer: str | None = None, limit: int = 100, offset: int = 0,
             shop: int | None = None) -> list[ClaimRow]:
    """Rejected claims waiting to be corrected or charged to the shop, the oldest answer first."""
    return _listing({REJECTED}, (WarrantyClaim.answered_at, WarrantyClaim.number), search, manufacturer, limit,
                    offset, shop=shop)


def to_be_paid(search: str = "", *, manufacturer: str | None = None, limit: int = 100,
               offset: int = 0, shop: int | None = None) -> list[ClaimRow]:
    """Accepted claims the manufacturer has not paid in full yet, the oldest answer first."""
    return _listing(PAYABLE, (WarrantyClaim.answered_at, WarrantyClaim.number), search, manufacturer, limit, offset,
                    shop=shop)


def old_parts_due(search: str = "", *, manufacturer: str | None = None, limit: int = 100,
                  offset: int = 0, shop: int | None = None) -> list[ClaimRow]:
    """Old parts to send back to the manufacturer, the earliest return date first."""
    return _listing(set(STATE_LABELS) - {CHARGED_INTERNAL}, (WarrantyClaim.return_by, WarrantyClaim.number), search,
                    manufacturer, limit, offset,
                    extra=WarrantyClaim.return_by.is_null(False) & WarrantyClaim.old_part_returned_at.is_null(),
                    shop=shop)


def manufacturers() -> list[str]:
    """The manufacturers claims were made to, for the lists' filter."""
    return [name for (name,) in WarrantyClaim.select(WarrantyClaim.manufacturer).distinct()
            .order_by(WarrantyClaim.manufacturer).tuples()]


def claim_of_order(order_id: int) -> ClaimRow | None:
    rows = _rows(WarrantyClaim.select().where(WarrantyClaim.order == order_id))
    return rows[0] if rows else None


@dataclass(frozen=True)
class ClaimLineRow:
    id: int
    kind: str
    code: str
    name: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    part_line_id: int | None = None  # a part's line on the order (the causal part is one of them)


@dataclass(frozen=True)
class ClaimDetail:
    row: ClaimRow
    complaint: str
    cause: str
    correction: str
    labor: Decimal
    parts: Decimal
    paid: Decimal
    lines: tuple[ClaimLineRow, ...]
    rejections: tuple[tuple[dt.datetime, str, str, Decimal], ...]  # (when, reason code, note, accepted)
    old_part_returned_at: dt.datetime | None
    causal_part_line_id: int | None = None
    submissions: int = 0
    payments: tuple[tuple[dt.date, Decimal, str], ...] = ()  # (paid on, amount, reference)
    old_part_reference: str = ""


def claim_detail(claim_id: int) -> ClaimDetail:
    """One claim with its lines, payments and the manufacturer's rejections (five queries)."""
    claim = _load(claim_id)
    row = _rows(WarrantyClaim.select().where(WarrantyClaim.id == claim_id))[0]
    lines = tuple(ClaimLineRow(i, k, c, n, Decimal(str(q)), u, Decimal(str(r)), Decimal(str(a)), pl)
                  for i, k, c, n, q, u, r, a, pl in WarrantyClaimLine.select(
                      WarrantyClaimLine.id, WarrantyClaimLine.kind, WarrantyClaimLine.code, WarrantyClaimLine.name,
                      WarrantyClaimLine.quantity, WarrantyClaimLine.unit, WarrantyClaimLine.rate,
                      WarrantyClaimLine.amount, WarrantyClaimLine.part_line).where(WarrantyClaimLine.claim == claim_id)
                  .order_by(WarrantyClaimLine.position, WarrantyClaimLine.id).tuples())
    rejections = tuple((_as_datetime(at), reason, note or "", Decimal(str(acc))) for at, reason, note, acc in
                       WarrantyRejection.select(WarrantyRejection.at, WarrantyRejection.reason, WarrantyRejection.note,
                                                WarrantyRejection.accepted)
                       .where(WarrantyRejection.claim == claim_id).order_by(WarrantyRejection.id).tuples())
    payments = tuple((_as_date(on), cents(Decimal(str(amount))), reference or "") for on, amount, reference in
                     WarrantyPayment.select(WarrantyPayment.paid_on, WarrantyPayment.amount, WarrantyPayment.reference)
                     .where(WarrantyPayment.claim == claim_id).order_by(WarrantyPayment.id).tuples())
    return ClaimDetail(row, claim.complaint, claim.cause or "", claim.correction or "",
                       cents(Decimal(str(claim.labor_amount))), cents(Decimal(str(claim.parts_amount))),
                       sum((amount for _on, amount, _ref in payments), ZERO), lines, rejections,
                       _as_datetime(claim.old_part_returned_at), claim.causal_part_line_id, claim.submissions,
                       payments, claim.old_part_reference or "")


__all__ = ["draft_claim", "edit_claim", "ClaimForm", "submit", "submit_batch", "answer", "reject", "correct",
           "charge_to_shop", "record_payment", "old_part_returned", "to_submit", "awaiting_answer", "rejected",
           "to_be_paid", "old_parts_due", "claim_detail", "claim_of_order", "manufacturers", "terms_for", "STATE_LABELS",
           "REJECTION_REASONS", "ClaimRow", "ClaimDetail", "terms_rows", "set_terms", "remove_terms", "TermsRow"]
