"""The customer's word on each job line (估價 / 追加項目).

Rules, decided here:
- the job lines written at check-in are approved with the repair order the customer signs (the order's time
  in, advisor and customer say who and when); an appointment's work is carried over the same way;
- a line added to an open order afterwards (work found during the repair) waits for the customer's approval:
  nobody clocks on it or finishes it, no parts are reserved or picked for it, it is not on the bill, and the
  order cannot go to QC while any line waits;
- the advisor records the answer per line: approved or declined, by whom for the customer, how (in person,
  phone, WeChat / SMS with the message's reference, signature on paper with the sheet's reference), when, and
  the amount quoted; approving adds the operation's parts (reserved at once);
- a declined line stays on the order as declined (a "declined work" list for a later reminder); it may still
  be approved while the order is in the workshop; an approved line is never declined afterwards;
- the bill and the settlement count approved lines only (workshop/settlement.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN

from models.approvals import APPROVAL_CHANNELS, APPROVAL_LABELS, LineApproval
from models.db import run_write
from models.orders import JobLine, RepairOrder
from models.parts import Part, PartLine
from models.people import Customer, Staff, Vehicle
from workshop import clock, lifecycle, quotes, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, label
from workshop.phrase import Money, Phrase, Term, Word
from workshop.permissions import require

ZERO = Decimal("0")
# Orders whose lines can still be approved or declined: the car is in the workshop's hands.
OPEN_STATES = frozenset({lifecycle.CHECKED_IN, lifecycle.DISPATCHED, lifecycle.IN_PROGRESS, lifecycle.WAITING_PARTS})


def ensure_workable(line: JobLine) -> None:
    """Refuse work on a line the customer has not approved (clocking on, finishing it)."""
    if line.approval == "pending":
        raise IllegalTransition(_("'{line}' waits for the customer's approval: it cannot be worked on yet.")
                                .format(line=line.name))
    if line.approval == "declined":
        raise IllegalTransition(_("The customer declined '{line}': it is not to be done.").format(line=line.name))


def _guard_nothing_waiting(order: RepairOrder) -> None:
    waiting = list(JobLine.select(JobLine.name).where((JobLine.order == order.id) & (JobLine.approval == "pending"))
                   .tuples())
    if waiting:
        raise IllegalTransition(_("{order} cannot go to QC: {count} job line(s) wait for the customer's approval "
                                  "({names}). Record the customer's answer first.").format(
            order=order.label, count=len(waiting), names=", ".join(name for (name,) in waiting[:3])))


lifecycle.add_guard("finish", _guard_nothing_waiting)


# --- quotes ---------------------------------------------------------------------------------------

def _line_parts(line: JobLine) -> list[tuple[str, str, Decimal, str, Decimal]]:
    """The parts of a line as quoted: its part lines once it has them, else the operation's kit today."""
    rows = [(p.part.code, p.part.name, Decimal(p.qty), p.part.unit, Decimal(p.unit_price))
            for p in PartLine.select(PartLine, Part).join(Part)
            .where((PartLine.job_line == line.id) & (PartLine.status != "cancelled"))]
    if rows or line.approval == "approved" or line.operation_id is None:
        return rows
    series = Vehicle.select(Vehicle.series).join(RepairOrder).where(RepairOrder.id == line.order_id).scalar()
    return [(part.code, part.name, qty, part.unit, Decimal(part.sale_price))
            for part, qty in quotes.kit(line.operation_id, series)]


def line_quote(order: RepairOrder, line: JobLine, pricing=None) -> Decimal:
    """What one line comes to for the customer: labour and parts after the class discount."""
    if pricing is None:
        from workshop.settlement import terms_for
        pricing = terms_for(order, with_adjustment=False)
    return quotes.line_amount(Decimal(line.billed_hours), Decimal(line.rate), line.payer, _line_parts(line), pricing)


def proposed(order: RepairOrder, line: JobLine, by: Staff) -> None:
    """Inside the transaction that added ``line`` to the order after check-in: it waits for approval."""
    LineApproval.create(line=line.id, decision="proposed", amount=line_quote(order, line), recorded_by=by.id,
                        at=clock.now())


# --- recording the customer's answer ----------------------------------------------------------------

def _answer(order_id: int, line_ids: list[int], decision: str, *, channel: str, reference: str, customer_name: str,
            by: Staff, seen_version: int | None) -> RepairOrder:
    if not line_ids:
        raise InvalidInput(_("Pick the job line(s) the customer answered for."), "lines")
    if channel not in APPROVAL_CHANNELS:
        raise InvalidInput(_("How did the customer answer? In person, by phone, by WeChat / SMS or on paper."),
                           "channel")
    reference = validation.text(reference, "reference", _("Reference"), max_len=60, required=False)
    if channel == "message" and not reference:
        raise InvalidInput(_("Give the message's reference (WeChat or SMS) so the answer can be found again."),
                           "reference")
    customer_name = validation.text(customer_name, "customer_name", _("Answered by"), max_len=60, required=False)

    def work():
        nonlocal by
        by = require(by, "record_approval")
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.state not in OPEN_STATES:
            raise IllegalTransition(_("{order} is {state}: its work can no longer be approved or declined.").format(
                order=order.label, state=lifecycle.label(order.state)))
        lines = list(JobLine.select().where(JobLine.id.in_(line_ids) & (JobLine.order == order.id)).order_by(JobLine.id))
        if len(lines) != len(set(line_ids)):
            raise NotFound(_("A job line picked is not on {order}.").format(order=order.label))
        allowed = ("pending", "declined") if decision == "approved" else ("pending",)
        for line in lines:
            if line.approval not in allowed:
                raise IllegalTransition(_("'{line}' is {state} already.").format(
                    line=line.name, state=label(APPROVAL_LABELS, line.approval)))
        who = customer_name or Customer.select(Customer.name).where(Customer.id == order.customer_id).scalar()
        from workshop.settlement import terms_for
        pricing = terms_for(order, with_adjustment=False)
        now = clock.now()
        changes: dict = {}
        amounts = []
        for line in lines:
            line.approval = decision
            JobLine.update(approval=decision).where(JobLine.id == line.id).execute()
            if decision == "approved" and line.operation_id is not None:
                from workshop.reception import _standard_parts
                status = _standard_parts(order, [(line.operation_id, line.id)], by)
                if status != order.parts_status:
                    changes["parts_status"] = order.parts_status = status
            amount = line_quote(order, line, pricing)
            amounts.append(amount)
            LineApproval.create(line=line.id, decision=decision, channel=channel, reference=reference,
                                customer_name=who, amount=amount, recorded_by=by.id, at=now)
        names = ", ".join(line.name for line in lines)
        word = Word(N_("approved") if decision == "approved" else N_("declined"))
        summary = Phrase(N_("{order}: {customer} {word} {names} ({channel}{reference}), {amount}"),
                         order=order.ref, customer=who, word=word, names=names,
                         channel=Term("models.approvals:APPROVAL_CHANNEL_LABELS", channel),
                         reference=f" {reference}" if reference else "", amount=Money(sum(amounts, ZERO)))
        return lifecycle.save(order, changes, by=by, kind=f"work_{decision}", summary=summary,
                              detail={"lines": [line.id for line in lines], "channel": channel, "reference": reference,
                                      "customer_name": who, "amounts": [str(a) for a in amounts]})

    return run_write(work)


def approve(order_id: int, line_ids: list[int], *, channel: str, reference: str = "", customer_name: str = "",
            by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Record that the customer approved these lines (waiting or declined before): they may be worked on and
    their parts are reserved."""
    return _answer(order_id, line_ids, "approved", channel=channel, reference=reference, customer_name=customer_name,
                   by=by, seen_version=seen_version)


def decline(order_id: int, line_ids: list[int], *, channel: str, reference: str = "", customer_name: str = "",
            by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Record that the customer declined these waiting lines: they stay on the order as declined."""
    return _answer(order_id, line_ids, "declined", channel=channel, reference=reference, customer_name=customer_name,
                   by=by, seen_version=seen_version)


# --- what screens show ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LineQuote:
    """A job line with its quote and the customer's last word on it."""
    id: int
    code: str
    name: str
    trade: str
    hours: Decimal
    amount: Decimal
    approval: str               # approved, pending, declined
    answered_at: dt.datetime | None
    answered_by: str | None     # who answered for the customer
    channel: str | None
    reference: str | None
    recorded_by: str | None     # the advisor who recorded it


def order_quotes(order_id: int) -> list[LineQuote]:
    """Every line of the order with its amount and its approval (four queries, however many lines)."""
    order = lifecycle.get_order(order_id)
    from workshop.settlement import terms_for
    pricing = terms_for(order, with_adjustment=False)
    lines = list(JobLine.select().where(JobLine.order == order_id).order_by(JobLine.id))
    last: dict[int, tuple] = {}
    for row in (LineApproval.select(LineApproval.line, LineApproval.decision, LineApproval.at,
                                    LineApproval.customer_name, LineApproval.channel, LineApproval.reference,
                                    Staff.name)
                .join(Staff, JOIN.LEFT_OUTER, on=(LineApproval.recorded_by == Staff.id))
                .where(LineApproval.line.in_([line.id for line in lines] or [0])).order_by(LineApproval.id).tuples()):
        last[row[0]] = row[1:]
    result = []
    for line in lines:
        decision, at, who, channel, reference, recorder = last.get(line.id, (None,) * 6)
        if decision == "proposed":
            at = who = channel = reference = None
        result.append(LineQuote(line.id, line.code, line.name, line.trade, Decimal(line.billed_hours),
                                line_quote(order, line, pricing), line.approval, at, who, channel, reference,
                                recorder))
    return result


def waiting_counts(order_ids: list[int]) -> dict[int, int]:
    """How many lines wait for approval on each of these orders (one query)."""
    from peewee import fn
    if not order_ids:
        return {}
    return dict(JobLine.select(JobLine.order, fn.COUNT(JobLine.id))
                .where(JobLine.order.in_(order_ids) & (JobLine.approval == "pending"))
                .group_by(JobLine.order).tuples())


@dataclass(frozen=True)
class DeclinedRow:
    """Work a customer declined: the reason for a reminder call (declined work, 未修项目)."""
    declined_at: dt.datetime
    order_number: int
    plate: str
    customer_id: int
    customer: str
    mobile: str
    code: str
    name: str
    amount: Decimal


def declined_work(since: dt.date, until: dt.date | None = None, *, limit: int = 100, offset: int = 0) -> list[DeclinedRow]:
    """Lines declined from ``since`` to ``until`` and still declined, newest first (an index range on the
    approvals, never a scan of job lines)."""
    until = until or clock.today()
    rows = (LineApproval.select(LineApproval.at, RepairOrder.number, Vehicle.plate, Customer.id, Customer.name,
                                Customer.mobile, JobLine.code, JobLine.name, LineApproval.amount)
            .join(JobLine, on=(LineApproval.line == JobLine.id))
            .join(RepairOrder, on=(JobLine.order == RepairOrder.id))
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .join(Customer, on=(RepairOrder.customer == Customer.id))
            .where((LineApproval.decision == "declined") & (JobLine.approval == "declined")
                   & (LineApproval.at >= dt.datetime.combine(since, dt.time()))
                   & (LineApproval.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
                   & (RepairOrder.state != lifecycle.CANCELLED))
            .order_by(LineApproval.at.desc(), LineApproval.id.desc()).limit(limit).offset(offset).tuples())
    return [DeclinedRow(at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at)), number, plate,
                        cid, name, mobile, code, line_name, Decimal(str(amount)))
            for at, number, plate, cid, name, mobile, code, line_name, amount in rows]
