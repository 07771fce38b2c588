"""Settlement: pre-settlement by the advisor, the cashier's settlement and payments, voids, refunds,
release of the car, receivables and the day's cash-up. Prices come from workshop.pricing.

Decisions:
- settling freezes the bill into an Invoice with its lines and takes the next gapless invoice number
  inside the same transaction; payments may be taken at settlement or later (receivables);
- a payment above the outstanding balance is refused, except cash, where the change is computed;
- a settled invoice is never edited: a void is a new 'void' invoice reversing it (and reversal payments),
  after which the order can be settled again; a refund is a 'credit' note with a negative payment;
- 'on account' is a manager's approval to release the car with a balance still outstanding;
- the car is released (delivered) only when settled and paid in full, or on account.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from models.db import run_write
from models.events import Event
from models.orders import JobLine, RepairOrder
from models.parts import Part, PartLine
from models.people import Customer, CustomerClass, Staff, Vehicle
from models.settlement import FEE_KINDS, PAYMENT_METHODS, Adjustment, FeeLine, Invoice, InvoiceLine, Payment
from workshop import audit, clock, lifecycle, pricing, settings, validation
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from workshop.permissions import require
from workshop.reception import next_number

ZERO = Decimal("0.00")
OPEN_FOR_PRESETTLEMENT = frozenset({lifecycle.IN_PROGRESS, lifecycle.READY_QC, lifecycle.READY_SETTLEMENT,
                                    lifecycle.WAITING_PARTS, lifecycle.DISPATCHED, lifecycle.CHECKED_IN})


# --- the bill ------------------------------------------------------------------------------------

def bill_for(order: RepairOrder) -> pricing.Bill:
    """The order's bill as it stands (four queries)."""
    cls = (CustomerClass.select().join(Customer).where(Customer.id == order.customer_id).first())
    labor_pct = cls.labor_discount if cls else ZERO
    material_pct = cls.material_discount if cls else ZERO
    lines = [pricing.labor_line(j.code, j.name, j.billed_hours, j.rate, j.payer, j.discount_pct or labor_pct)
             for j in JobLine.select().where(JobLine.order == order.id).order_by(JobLine.id)]
    for p in (PartLine.select(PartLine, Part).join(Part)
              .where((PartLine.order == order.id) & PartLine.status.in_(["picked", "used"]))
              .order_by(PartLine.position, PartLine.id)):
        if p.used > 0:
            lines.append(pricing.parts_line(p.part.code, p.part.name, p.used, p.unit_price, p.payer,
                                            p.discount_pct or material_pct))
    lines += [pricing.fee_line(f.kind, f.description, f.amount, f.payer)
              for f in FeeLine.select().where(FeeLine.order == order.id).order_by(FeeLine.id)]
    adjustment = Adjustment.select().where(Adjustment.order == order.id).order_by(Adjustment.id.desc()).first()
    insurance = order.business_type == "insurance"
    return pricing.Bill(lines, tax_rate=Decimal(str(settings.get("vat_rate"))),
                        tax_included=bool(settings.get("prices_include_tax")),
                        extra_discount_pct=adjustment.discount_pct if adjustment else ZERO,
                        assessed_amount=order.assessed_amount if insurance else None,
                        deductible=(order.deductible or ZERO) if insurance else None)


def _presettle_order(order_id: int, seen_version: int | None) -> RepairOrder:
    order = lifecycle.load_for_change(order_id, seen_version)
    if order.state not in OPEN_FOR_PRESETTLEMENT:
        raise IllegalTransition(f"{order.label} is {lifecycle.label(order.state)}: its bill can no longer change.")
    return order


def add_fee(order_id: int, kind: str, description: str, amount, *, by: Staff, seen_version: int | None = None) -> FeeLine:
    """A fee on the bill: management, auxiliary materials, sublet, towing/rescue or other."""
    require(by, "presettle")
    if kind not in FEE_KINDS:
        raise InvalidInput(f"Fee kind must be one of: {', '.join(FEE_KINDS)}.", "kind")
    description = validation.text(description, "description", "Description", max_len=100)
    amount = validation.decimal(amount, "amount", "Amount", allow_zero=False)

    def work():
        order = _presettle_order(order_id, seen_version)
        fee = FeeLine.create(order=order.id, kind=kind, description=description, amount=amount, by=by,
                             at=clock.now(), payer="internal" if order.business_type == "internal" else "customer")
        lifecycle.save(order, {}, by=by, kind="fee_added", summary=f"{order.label}: fee {description} {amount:.2f}")
        return fee

    return run_write(work)


def discount_limit(staff: Staff) -> Decimal:
    if staff.has_role("manager"):
        return Decimal(str(settings.get("discount_limit_manager_pct")))
    return Decimal(str(settings.get("discount_limit_advisor_pct")))


def give_discount(order_id: int, pct, reason: str, *, by: Staff, seen_version: int | None = None) -> Adjustment:
    """An extra discount on the customer's labor and parts, within the giver's limit, with a reason."""
    require(by, "presettle")
    pct = validation.decimal(pct, "pct", "Discount %")
    reason = validation.text(reason, "reason", "Reason", max_len=200)
    limit = discount_limit(by)
    if pct > limit:
        raise NotAllowed(f"{by.name} may give up to {limit}% extra discount; {pct}% needs a manager.")

    def work():
        order = _presettle_order(order_id, seen_version)
        adjustment = Adjustment.create(order=order.id, discount_pct=pct, reason=reason, by=by, at=clock.now())
        lifecycle.save(order, {}, by=by, kind="discount_given",
                       summary=f"{order.label}: extra discount {pct}% ({reason})")
        return adjustment

    return run_write(work)


# --- settling and payments -----------------------------------------------------------------------

def current_invoice(order_id: int) -> Invoice | None:
    """The order's invoice in force: the latest one not reversed by a void."""
    voided = Invoice.select(Invoice.original).where(Invoice.kind == "void")
    return (Invoice.select().where((Invoice.order == order_id) & (Invoice.kind == "invoice")
                                   & Invoice.id.not_in(voided)).order_by(Invoice.id.desc()).first())


def _check_method(method: str) -> str:
    method = (method or "").strip().lower()
    if method not in PAYMENT_METHODS:
        raise InvalidInput(f"Payment method must be one of: {', '.join(PAYMENT_METHODS)}.", "method")
    return method


def _pay(invoice: Invoice, method: str, amount, tendered, by: Staff) -> Payment:
    """Take one payment against an invoice (inside a transaction)."""
    method = _check_method(method)
    invoice = Invoice.get_by_id(invoice.id)
    outstanding = invoice.outstanding
    if outstanding <= 0:
        raise InvalidInput(f"Invoice {invoice.number} is paid in full.", "amount")
    change = None
    if method == "cash" and tendered not in (None, ""):
        tendered = validation.decimal(tendered, "tendered", "Cash tendered", allow_zero=False)
        amount = min(tendered, outstanding) if amount in (None, "") else validation.decimal(
            amount, "amount", "Amount", allow_zero=False)
        if amount > outstanding:
            raise InvalidInput(f"{amount:.2f} is more than the balance {outstanding:.2f}.", "amount")
        if tendered < amount:
            raise InvalidInput(f"Cash tendered {tendered:.2f} is less than {amount:.2f}.", "tendered")
        change = tendered - amount
    else:
        amount = validation.decimal(amount, "amount", "Amount", allow_zero=False)
        if amount > outstanding:
            raise InvalidInput(f"{amount:.2f} is more than the balance {outstanding:.2f}: only cash can be "
                               "over-tendered (change is given).", "amount")
        tendered = None
    payment = Payment.create(invoice=invoice.id, order=invoice.order_id, method=method, amount=amount,
                             tendered=tendered, change=change, by=by, at=clock.now())
    Invoice.update(paid=Invoice.paid + amount, outstanding=Invoice.outstanding - amount) \
        .where(Invoice.id == invoice.id).execute()
    audit.record(by, "payment", "payment", payment.id,
                 f"Invoice {invoice.number}: {method} {amount:.2f} received"
                 + (f", change {change:.2f}" if change else ""), order_id=invoice.order_id,
                 after={"method": method, "amount": amount, "tendered": tendered, "change": change})
    return payment


def _freeze(order: RepairOrder, bill: pricing.Bill, by: Staff) -> Invoice:
    shares = bill.shares
    invoice = Invoice.create(
        number=next_number("invoice", 1), order=order.id, customer=order.customer_id, at=clock.now(), by=by,
        labor_receivable=bill.labor_receivable, labor_charged=bill.labor_charged,
        parts_receivable=bill.parts_receivable, parts_charged=bill.parts_charged, fees=bill.fees,
        discount=bill.discount, tax_rate=bill.tax_rate, tax_included=bill.tax_included, tax=bill.tax,
        total=bill.total, customer_due=shares["customer"], insurer_due=shares["insurer"],
        manufacturer_due=shares["manufacturer"], internal_cost=shares["internal"], paid=ZERO,
        outstanding=shares["customer"])
    InvoiceLine.insert_many([dict(invoice=invoice.id, section=l.section, code=l.code, description=l.description,
                                  qty=l.qty, unit_price=l.unit_price, receivable=l.receivable,
                                  discount_pct=l.discount_pct, charged=l.charged, payer=l.payer)
                             for l in bill.all_lines]).execute()
    return invoice


def settle(order_id: int, payments: list[tuple] = (), *, by: Staff, seen_version: int | None = None) -> Invoice:
    """Settle an order that passed QC: freeze the bill as the next numbered invoice and take the
    payments given as (method, amount, tendered). A balance may stay outstanding."""
    require(by, "settle")

    def work():
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.state != lifecycle.READY_SETTLEMENT:
            if order.state in (lifecycle.SETTLED, lifecycle.DELIVERED):
                raise IllegalTransition(f"{order.label} is already settled (invoice "
                                        f"{getattr(current_invoice(order.id), 'number', '?')}).")
            raise IllegalTransition(f"{order.label} is {lifecycle.label(order.state)}: only orders that passed QC "
                                    "can be settled.")
        invoice = _freeze(order, bill_for(order), by)
        lifecycle.apply_transition(order, "settle", by=by, extra={"settled_at": clock.now()},
                                   note=f"invoice {invoice.number}, total {invoice.total:.2f}")
        for method, amount, *rest in payments:
            _pay(invoice, method, amount, rest[0] if rest else None, by)
        return Invoice.get_by_id(invoice.id)

    return run_write(work)


def take_payment(invoice_number: int, method: str, amount, tendered=None, *, by: Staff) -> Payment:
    """A later payment against an invoice with a balance (receivables)."""
    require(by, "settle")

    def work():
        invoice = Invoice.get_or_none((Invoice.number == invoice_number) & (Invoice.kind == "invoice"))
        if invoice is None:
            raise NotFound(f"No invoice number {invoice_number}.")
        if Invoice.select().where((Invoice.original == invoice.id) & (Invoice.kind == "void")).exists():
            raise IllegalTransition(f"Invoice {invoice_number} was voided.")
        return _pay(invoice, method, amount, tendered, by)

    return run_write(work)


def void(order_id: int, reason: str, *, by: Staff, seen_version: int | None = None) -> Invoice:
    """Reverse a settlement before the car leaves: a void invoice and reversal payments; the order
    goes back to ready for settlement and can be settled again."""
    require(by, "void_refund")
    reason = validation.text(reason, "reason", "Reason", max_len=200)

    def work():
        order = lifecycle.load_for_change(order_id, seen_version)
        invoice = current_invoice(order.id)
        if order.state != lifecycle.SETTLED or invoice is None:
            raise IllegalTransition(f"{order.label} is {lifecycle.label(order.state)}: only a settled order whose "
                                    "car has not left can be voided; refund a delivered one.")
        reversal = Invoice.create(
            number=next_number("invoice", 1), kind="void", order=order.id, customer=order.customer_id,
            original=invoice.id, at=clock.now(), by=by, reason=reason,
            **{f: -getattr(invoice, f) for f in ("labor_receivable", "labor_charged", "parts_receivable",
                                                   "parts_charged", "fees", "discount", "tax", "total",
                                                   "customer_due", "insurer_due", "manufacturer_due",
                                                   "internal_cost")},
            tax_rate=invoice.tax_rate, tax_included=invoice.tax_included, paid=ZERO, outstanding=ZERO)
        for payment in Payment.select().where((Payment.invoice == invoice.id) & Payment.reverses.is_null()):
            Payment.create(invoice=reversal.id, order=order.id, method=payment.method, amount=-payment.amount,
                           by=by, at=clock.now(), reverses=payment.id, reason=f"void: {reason}")
        Invoice.update(outstanding=ZERO).where(Invoice.id == invoice.id).execute()
        lifecycle.apply_transition(order, "void", by=by, note=f"invoice {invoice.number} voided by "
                                                              f"{reversal.number}: {reason}")
        return reversal

    return run_write(work)


def refund(order_id: int, amount, method: str, reason: str, *, by: Staff) -> Invoice:
    """Give money back on a settled or delivered order: a credit note and a negative payment."""
    require(by, "void_refund")
    amount = validation.decimal(amount, "amount", "Refund", allow_zero=False)
    method = _check_method(method)
    reason = validation.text(reason, "reason", "Reason", max_len=200)

    def work():
        order = lifecycle.get_order(order_id)
        invoice = current_invoice(order.id)
        if invoice is None:
            raise IllegalTransition(f"{order.label} has no invoice to refund.")
        refunded = -(Invoice.select(fn.SUM(Invoice.total)).where((Invoice.original == invoice.id)
                                                                 & (Invoice.kind == "credit")).scalar() or 0)
        if amount > invoice.paid - Decimal(str(refunded)):
            raise InvalidInput(f"Refund {amount:.2f} is more than was paid on invoice {invoice.number}.", "amount")
        credit = Invoice.create(number=next_number("invoice", 1), kind="credit", order=order.id,
                                customer=order.customer_id, original=invoice.id, at=clock.now(), by=by,
                                reason=reason, total=-amount, customer_due=-amount, tax_rate=invoice.tax_rate,
                                tax_included=invoice.tax_included, paid=-amount, outstanding=ZERO)
        Payment.create(invoice=credit.id, order=order.id, method=method, amount=-amount, by=by, at=clock.now(),
                       reason=reason)
        audit.record(by, "refund", "invoice", credit.id,
                     f"{order.label}: refund {amount:.2f} ({method}) on invoice {invoice.number}: {reason}",
                     order_id=order.id, after={"amount": amount, "credit_note": credit.number})
        return credit

    return run_write(work)


def approve_on_account(order_id: int, reason: str, *, by: Staff) -> None:
    """A manager lets the car go with a balance outstanding (recorded on the audit trail)."""
    require(by, "approve_on_account")
    reason = validation.text(reason, "reason", "Reason", max_len=200)

    def work():
        order = lifecycle.get_order(order_id)
        if order.state != lifecycle.SETTLED:
            raise IllegalTransition(f"{order.label} must be settled before it can go on account.")
        audit.record(by, "on_account_approved", "repair_order", order.id,
                     f"{order.label}: release on account approved ({reason})", order_id=order.id,
                     after={"reason": reason})

    run_write(work)


def release(order_id: int, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Hand the car back to the customer (delivered)."""
    return lifecycle.transition(order_id, "deliver", by=by, seen_version=seen_version)


def _guard_invoiced(order: RepairOrder) -> None:
    if current_invoice(order.id) is None:
        raise IllegalTransition(f"{order.label} is settled by the cashier, who issues its invoice (F7).")


def _guard_paid_or_on_account(order: RepairOrder) -> None:
    invoice = current_invoice(order.id)
    if invoice is None:
        raise IllegalTransition(f"{order.label} has no invoice.")
    if invoice.outstanding > 0:
        approved = Event.select().where((Event.order == order.id) & (Event.kind == "on_account_approved")
                                        & (Event.at >= invoice.at)).exists()
        if not approved:
            raise IllegalTransition(f"{order.label} still owes {invoice.outstanding:.2f}: take payment, or a "
                                    "manager approves release on account.")


lifecycle.add_guard("settle", _guard_invoiced)
lifecycle.add_guard("deliver", _guard_paid_or_on_account)


# --- lists for the cashier -----------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    order_id: int
    number: int
    version: int
    state: str
    plate: str
    customer: str
    business_type: str
    qc_passed_at: dt.datetime | None
    invoice_number: int | None
    outstanding: Decimal | None


def cashier_queue(search: str = "", *, limit: int = 100, offset: int = 0) -> list[QueueRow]:
    """Orders ready to settle and settled cars still to release; found by plate or RO number."""
    query = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.version, RepairOrder.state,
                                Vehicle.plate, Customer.name, RepairOrder.business_type, RepairOrder.qc_passed_at)
             .join(Vehicle).switch(RepairOrder).join(Customer, on=(RepairOrder.customer == Customer.id))
             .where(RepairOrder.state.in_([lifecycle.READY_SETTLEMENT, lifecycle.SETTLED])))
    text = (search or "").strip().upper()
    if text:
        query = query.where((Vehicle.plate.contains(text)) | (RepairOrder.number == (int(text) if text.isdigit()
                                                                                     else -1)))
    rows = list(query.order_by(RepairOrder.state.desc(), RepairOrder.qc_passed_at, RepairOrder.id)
                .limit(limit).offset(offset).tuples())
    ids = [r[0] for r in rows]
    voided = Invoice.select(Invoice.original).where(Invoice.kind == "void")
    invoices = {oid: (number, outstanding) for oid, number, outstanding in
                Invoice.select(Invoice.order, Invoice.number, Invoice.outstanding)
                .where(Invoice.order.in_(ids) & (Invoice.kind == "invoice") & Invoice.id.not_in(voided))
                .tuples()} if ids else {}
    return [QueueRow(*row, *(invoices.get(row[0], (None, None)))) for row in rows]


@dataclass(frozen=True)
class Receivable:
    invoice_number: int
    order_number: int
    customer: str
    mobile: str
    at: dt.datetime
    outstanding: Decimal
    days: int

    @property
    def bucket(self) -> str:
        return "0-30" if self.days <= 30 else "31-60" if self.days <= 60 else "61-90" if self.days <= 90 else "90+"


def _outstanding_invoices():
    return Invoice.select().where((Invoice.kind == "invoice") & (Invoice.outstanding > 0))


def receivables(*, limit: int = 100, offset: int = 0) -> list[Receivable]:
    """Invoices with a balance, oldest first."""
    now = clock.now()
    rows = (_outstanding_invoices().select(Invoice.number, RepairOrder.number, Customer.name, Customer.mobile,
                                           Invoice.at, Invoice.outstanding)
            .join(RepairOrder, on=(Invoice.order == RepairOrder.id)).switch(Invoice)
            .join(Customer, on=(Invoice.customer == Customer.id))
            .order_by(Invoice.at, Invoice.id).limit(limit).offset(offset).tuples())
    return [Receivable(n, o, c, m, at, Decimal(str(amount)), (now - at).days) for n, o, c, m, at, amount in rows]


def aging() -> dict[str, Decimal]:
    """Outstanding totals per age bucket (one query)."""
    now = clock.now()
    cut = {k: now - dt.timedelta(days=d) for k, d in (("30", 30), ("60", 60), ("90", 90))}
    bucket = Case(None, [(Invoice.at >= cut["30"], "0-30"), (Invoice.at >= cut["60"], "31-60"),
                         (Invoice.at >= cut["90"], "61-90")], "90+")
    result = {b: ZERO for b in ("0-30", "31-60", "61-90", "90+")}
    for name, total in (_outstanding_invoices().select(bucket.alias("b"), fn.SUM(Invoice.outstanding))
                        .group_by(bucket).tuples()):
        result[name] = pricing.cents(Decimal(str(total)))
    return result


def cash_up(day: dt.date) -> list[tuple[str, str, int, Decimal]]:
    """The day's takings per cashier and method: (cashier, method, count, total)."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    rows = (Payment.select(Staff.name, Payment.method, fn.COUNT(Payment.id), fn.SUM(Payment.amount))
            .join(Staff, on=(Payment.by == Staff.id))
            .where((Payment.at >= start) & (Payment.at < end))
            .group_by(Staff.name, Payment.method).order_by(Staff.name, Payment.method).tuples())
    return [(name, method, count, pricing.cents(Decimal(str(total)))) for name, method, count, total in rows]


__all__ = ["bill_for", "add_fee", "give_discount", "settle", "take_payment", "void", "refund", "release",
           "approve_on_account", "cashier_queue", "receivables", "aging", "cash_up", "current_invoice", "JOIN"]
