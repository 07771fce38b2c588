"""Settlement: the advisor's pre-settlement, the cashier's payments and invoice, voids and refunds,
release of the car, receivables and the day's cash-up.

How money moves:
- The bill is computed by ``workshop.pricing`` from the order's lines, fees and adjustment.
- Payments are taken while the order is ready for settlement, and later against a settled or
  delivered order with a balance. A payment above the balance is refused, except cash, where the
  surplus is handed back as change.
- ``settle`` issues the next gapless invoice number in the same transaction that moves the order
  to 'settled', and stores the bill as settled. A settled order's lines and amounts never change;
  a manager voids the invoice (a new, reversing record) to correct it, and refunds a payment with
  a new, negative payment. Nothing is deleted.
- A car is released when its invoice is paid in full, or on account with a manager's approval.
"""
from __future__ import annotations

import datetime as dt
import json
import operator
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from peewee import Case, fn

from models.base import Prepared
from models.db import run_write
from models.orders import JobLine, RepairOrder
from models.parts import Part, PartLine
from models.people import Customer, Staff, Vehicle
from models.settlement import (FEE_KINDS, FEE_LABELS, PAYMENT_METHODS, Adjustment,
                               FeeLine, OnAccountRelease, OpenBalance, Payment, Settlement)
from workshop import audit, clock, document_files, lifecycle, settings, validation
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed, NotFound
from workshop.i18n import N_, _, join, label
from workshop.phrase import Money, Phrase, Term
from workshop.lookup import (NAME_KEYS, after_prefix, balance_keys, contains, order_number, plate_key,
                             vehicles_by_plate)
from workshop.permissions import can, require
from workshop.pricing import (PAYERS, ZERO, Bill, FeeItem, LaborItem, PartItem, PricingTerms, cents,
                              compute_bill)
from workshop.reception import next_number, payer_for


BILLABLE_STATES = (lifecycle.READY_SETTLEMENT, lifecycle.SETTLED, lifecycle.DELIVERED)
EDITABLE_STATES = frozenset(lifecycle.ACTIVE_STATES - {lifecycle.SETTLED})
AGING_BUCKETS = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))

# Voiding a settlement takes the order back to the cashier's queue: lifecycle's 'void' transition,
# which only a void of the invoice may make (guarded below).


def _next_document_number(series: str, shop: int) -> int:
    """The next invoice (or credit note) number of the order's shop, taken inside the settling transaction:
    gapless within the shop (each shop has its own tax number and invoice book). A shop whose history was
    loaded in bulk starts after the highest number already issued."""
    return next_number(series, shop=shop)


def money(value) -> str:
    """1234.5 -> '1,234.50' (amounts read back from SQLite lose their trailing zeros)."""
    return f"{cents(Decimal(value or 0)):,.2f}"


# --- reading the bill ----------------------------------------------------------------------------

def _order(order_id: int) -> RepairOrder:
    return lifecycle.get_order(order_id)


def current_adjustment(order_id: int) -> Adjustment | None:
    return Adjustment.select().where(Adjustment.order == order_id).order_by(Adjustment.id.desc()).first()


def terms_for(order: RepairOrder, *, with_adjustment: bool = True) -> PricingTerms:
    """The order's pricing terms. The customer's class discounts apply while the class is valid on the day the
    car was checked in (the terms agreed at reception); an expired class gives none."""
    from workshop.customer_file import class_discounts
    klass = class_discounts(order.customer_id, order.time_in.date())
    if klass is not None and not klass.valid:
        klass = None
    adj = current_adjustment(order.id) if with_adjustment else None
    return PricingTerms(
        labor_discount_pct=Decimal(klass.labor_discount) if klass else Decimal("0"),
        material_discount_pct=Decimal(klass.material_discount) if klass else Decimal("0"),
        tax_rate=Decimal(str(settings.get("vat_rate"))),
        prices_include_tax=bool(settings.get("prices_include_tax")),
        assessed_amount=Decimal(order.assessed_amount) if order.assessed_amount is not None
        and order.business_type == "insurance" and Decimal(order.assessed_amount) > 0 else None,
        deductible=Decimal(order.deductible) if order.deductible is not None else None,
        adjustment_pct=Decimal(adj.value) if adj and adj.kind == "percent" else None,
        adjustment_amount=Decimal(adj.value) if adj and adj.kind == "amount" else None,
    )


def _payer(order: RepairOrder, line_payer: str) -> str:
    # A comeback the workshop pays for is internal whatever the lines say.
    if order.comeback_of_id and order.comeback_charge == "internal":
        return "internal"
    return line_payer or payer_for(order.business_type)


IN_PACKAGE = Decimal("100")  # a line a package's price covers: listed, and discounted in full


def items_for(order: RepairOrder, *, include_requested: bool = False
              ) -> tuple[list[LaborItem], list[PartItem], list[FeeItem]]:
    """The order's bill items. Parts count as used (picked less returned); with ``include_requested``, parts
    still to pick count as the job needs them (the estimate and the advisor's bill before the work is done)."""
    from models.orders import OrderPackage
    labor = [LaborItem(j.code, j.name, Decimal(j.billed_hours), Decimal(j.rate), _payer(order, j.payer),
                       IN_PACKAGE if j.package_id else Decimal(j.discount_pct or 0))
             for j in JobLine.select().where((JobLine.order == order.id) & (JobLine.approval == "approved"))
             .order_by(JobLine.id)]  # work waiting for the customer's approval, or declined, is not billed
    labor += [LaborItem(p.code, p.name, Decimal("1"), Decimal(p.price), _payer(order, p.payer), unit="pkg",
                        class_discount=False)
              for p in OrderPackage.select().where(OrderPackage.order == order.id).order_by(OrderPackage.id)]
    parts = []
    query = (PartLine.select(PartLine, Part).join(Part)
             .where((PartLine.order == order.id) & (PartLine.status != "cancelled"))
             .order_by(PartLine.position, PartLine.id))
    for p in query:
        used = Decimal(p.picked) - Decimal(p.returned)
        if include_requested and p.status in ("requested", "picked"):
            used = max(used, Decimal(p.qty) - Decimal(p.returned))
        if used > 0:
            parts.append(PartItem(p.part.code, p.part.name, used, p.part.unit, Decimal(p.unit_price),
                                  _payer(order, p.payer), IN_PACKAGE if p.package_id else Decimal(p.discount_pct or 0)))
    fees = [FeeItem(f.kind, f.description, Decimal(f.amount), f.payer)
            for f in FeeLine.select().where(FeeLine.order == order.id).order_by(FeeLine.id)]
    return labor, parts, fees


def bill_for(order_id: int, *, include_requested: bool | None = None) -> Bill:
    """The order's bill as it stands now (the pre-settlement preview). Until the work is finished (before
    'ready for settlement') parts still to pick are counted as the job needs them, so the advisor's bill
    is the whole estimate, not only what the clerk has handed out so far."""
    order = _order(order_id)
    if include_requested is None:
        include_requested = order.state in lifecycle.ACTIVE_STATES and order.state not in BILLABLE_STATES
    labor, parts, fees = items_for(order, include_requested=include_requested)
    return compute_bill(labor, parts, fees, terms_for(order))


def current_invoice(order_id: int) -> Settlement | None:
    """The order's invoice that has not been voided, if any."""
    voided = Settlement.select(Settlement.reverses).where(Settlement.reverses.is_null(False)
                                                          & (Settlement.order == order_id))
    return (Settlement.select().where((Settlement.order == order_id) & (Settlement.kind == "invoice")
                                      & Settlement.id.not_in(voided))
            .order_by(Settlement.id.desc()).first())


def paid(order_id: int) -> Decimal:
    """Money received on the order, net of refunds and reversals."""
    total = Payment.select(fn.SUM(Payment.amount)).where(Payment.order == order_id).scalar()
    return cents(Decimal(str(total or 0)))


def amount_due(order_id: int) -> Decimal:
    """The customer's share: of the invoice when settled, else of the bill as it stands."""
    invoice = current_invoice(order_id)
    if invoice is not None:
        return cents(Decimal(invoice.customer_share))
    return bill_for(order_id).customer_share


def balance(order_id: int) -> Decimal:
    """What the customer still owes on the order (negative: paid too much)."""
    return amount_due(order_id) - paid(order_id)


@dataclass(frozen=True)
class Account:
    """The money side of one order at a glance."""
    order_id: int
    due: Decimal
    received: Decimal
    outstanding: Decimal
    invoice_no: int | None
    on_account: bool


def account(order_id: int) -> Account:
    invoice = current_invoice(order_id)
    due = amount_due(order_id)
    got = paid(order_id)
    return Account(order_id, due, got, due - got, invoice.number if invoice else None,
                   OnAccountRelease.select().where(OnAccountRelease.order == order_id).exists())


# --- guards: settled orders are read-only ---------------------------------------------------------

def ensure_editable(order: RepairOrder) -> None:
    """Refuse any change to the lines or amounts of a settled (or delivered) order."""
    if order.state in (lifecycle.SETTLED, lifecycle.DELIVERED):
        raise IllegalTransition(_("{order} is {state}: its lines and amounts are read-only. A manager voids the "
                                  "invoice to correct it.").format(order=order.label, state=lifecycle.label(order.state)))
    if order.state == lifecycle.CANCELLED:
        raise IllegalTransition(_("{order} is cancelled: there is nothing to bill.").format(order=order.label))


def _guard_settle(order: RepairOrder) -> None:
    if current_invoice(order.id) is None:
        raise IllegalTransition(_("{order} is settled by the cashier (F7): settling issues the invoice and takes "
                                  "the payment.").format(order=order.label))


def _guard_unsettle(order: RepairOrder) -> None:
    if current_invoice(order.id) is not None:
        raise IllegalTransition(_("{order} has an invoice: a manager voids it from the cashier's screen.").format(
            order=order.label))


def _guard_release(order: RepairOrder) -> None:
    invoice = current_invoice(order.id)
    if invoice is None:
        raise IllegalTransition(_("{order} has no invoice: settle it at the cashier first.").format(order=order.label))
    owed = Decimal(invoice.customer_share) - paid(order.id)
    if owed > 0 and not OnAccountRelease.select().where(OnAccountRelease.order == order.id).exists():
        raise IllegalTransition(_("{order} still owes {amount}: take the payment at the cashier, or a manager "
                                  "approves release on account.").format(order=order.label, amount=money(owed)))


lifecycle.add_guard("settle", _guard_settle)
lifecycle.add_guard("void", _guard_unsettle)
lifecycle.add_guard("deliver", _guard_release)


def _sync_balance(order: RepairOrder) -> None:
    """Keep the order's open-balance row in step with its invoice and payments (in the transaction)."""
    invoice = current_invoice(order.id)
    owed = Decimal(invoice.customer_share) - paid(order.id) if invoice else ZERO
    if invoice is None or owed <= 0:
        OpenBalance.delete().where(OpenBalance.order == order.id).execute()
        return
    updated = OpenBalance.update(amount=owed, settlement=invoice.id).where(OpenBalance.order == order.id).execute()
    if not updated:
        OpenBalance.create(order=order.id, customer=order.customer_id, settlement=invoice.id,
                           since=invoice.at.date() if isinstance(invoice.at, dt.datetime) else invoice.at,
                           amount=owed, **balance_keys(order.customer_id, order.vehicle_id))


# --- pre-settlement (the advisor) -----------------------------------------------------------------

def add_fee(order_id: int, kind: str, amount, *, by: Staff, description: str = "", payer: str | None = None,
            seen_version: int | None = None) -> FeeLine:
    """Put a fee on the order's bill (management, auxiliary materials, sublet, towing/rescue, other)."""
    if kind not in FEE_KINDS:
        raise InvalidInput(_("Unknown fee '{kind}': use one of {kinds}.").format(
            kind=kind, kinds=join(label(FEE_LABELS, k) for k in FEE_KINDS)), "kind")
    amount = validation.decimal(amount, "amount", N_("Fee amount"), allow_zero=False, maximum=validation.MAX_FEE)
    if payer is not None and payer not in PAYERS:
        raise InvalidInput(_("Unknown payer '{payer}'.").format(payer=payer), "payer")
    typed = validation.text(description, "description", N_("Description"), max_len=100, required=False)
    description = typed or FEE_LABELS[kind]

    def work():
        nonlocal by
        by = require(by, "presettle")
        order = lifecycle.load_for_change(order_id, seen_version)
        ensure_editable(order)
        fee = FeeLine.create(order=order.id, kind=kind, description=description, amount=amount,
                             payer=payer or payer_for(order.business_type), created_by=by, created_at=clock.now())
        lifecycle.save(order, {}, by=by, kind="fee_added", summary=Phrase(
            N_("{order}: {fee} {amount} added to the bill"), order=order.ref,
            fee=typed or Term("models.settlement:FEE_LABELS", kind), amount=Money(amount)))
        return fee

    return run_write(work)


def discount_limit(staff: Staff) -> Decimal:
    """The largest extra discount (percent of the customer's share) this person may give."""
    limits = [Decimal(str(settings.get(f"discount_limit_{role}_pct")))
              for role in staff.role_set if f"discount_limit_{role}_pct" in settings.DEFAULTS]
    return max(limits, default=Decimal("0"))


def set_adjustment(order_id: int, *, kind: str, value, reason: str, by: Staff,
                   seen_version: int | None = None) -> Adjustment | None:
    """Give (or, with 0, clear) an extra discount on the customer's share: percent or amount, with a reason."""
    if kind not in ("percent", "amount"):
        raise InvalidInput(_("An adjustment is a percent or an amount."), "kind")
    value = validation.decimal(value, "value", N_("Discount"), maximum=validation.MAX_MONEY)
    if kind == "percent" and value > 100:
        raise InvalidInput(_("A discount cannot be more than 100%."), "value")
    reason = validation.text(reason, "reason", _("Reason"), max_len=200, required=value > 0)

    def work():
        nonlocal by
        by = require(by, "presettle")
        order = lifecycle.load_for_change(order_id, seen_version)
        ensure_editable(order)
        labor, parts, fees = items_for(order)
        base = compute_bill(labor, parts, fees, terms_for(order, with_adjustment=False))
        customer_amount = sum((line.charged for line in base.lines if line.payer == "customer"), ZERO) + \
            sum((cents(f.amount) for f in base.fees if f.payer == "customer"), ZERO)
        if kind == "amount" and value > customer_amount:
            raise InvalidInput(_("The discount ({amount}) is more than the customer's share ({share}).").format(
                amount=money(value), share=money(customer_amount)), "value")
        pct = value if kind == "percent" else (value * 100 / customer_amount if customer_amount else ZERO)
        limit = discount_limit(by)
        if pct > limit:
            raise NotAllowed(_("{name} may give up to {limit}% extra discount; this is {pct}%. Ask a manager.").format(
                name=by.name, limit=limit, pct=f"{pct:.2f}"), "value")
        before = current_adjustment(order.id)
        Adjustment.delete().where(Adjustment.order == order.id).execute()  # not yet settled: replaced
        adj = None
        if value > 0:
            role = max((r for r in by.role_set if f"discount_limit_{r}_pct" in settings.DEFAULTS),
                       key=lambda r: Decimal(str(settings.get(f"discount_limit_{r}_pct"))), default="")
            adj = Adjustment.create(order=order.id, kind=kind, value=value, reason=reason, by=by, role=role,
                                    at=clock.now())
        if value <= 0:
            said = Phrase(N_("{order}: extra discount cleared"), order=order.ref)
            what = Phrase(N_("Extra discount cleared"))
        else:
            amount = f"{value}%" if kind == "percent" else Money(value)
            said = (Phrase(N_("{order}: extra discount {amount} ({reason})"), order=order.ref, amount=amount,
                           reason=reason) if reason else
                    Phrase(N_("{order}: extra discount {amount}"), order=order.ref, amount=amount))
            what = Phrase(N_("Extra discount {amount}"), amount=amount)
        lifecycle.save(order, {}, by=by, kind="adjustment", summary=said)
        audit.record(by, "adjustment_set", "adjustment", adj.id if adj else 0, what,
                     order_id=order.id,
                     before={"kind": before.kind, "value": before.value} if before else None,
                     after={"kind": kind, "value": value, "reason": reason})
        return adj

    return run_write(work)


# --- the cashier ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    order_id: int
    number: int
    plate: str
    customer: str
    business_type: str
    state: str
    ready_at: dt.datetime | None
    version: int


QUEUE_STATES = (lifecycle.READY_SETTLEMENT, lifecycle.SETTLED)
HISTORY_MATCHES = 20  # delivered orders a search adds below the queue's (by RO number or plate)


def cashier_queue(search: str = "", *, limit: int = 100, offset: int = 0,
                  states=QUEUE_STATES, shop: int | None = None) -> list[QueueRow]:
    """Orders waiting at the cash desk (ready for settlement, or settled and not yet released),
    oldest first. ``search`` finds them by RO number or any part of the plate, and also finds
    delivered orders (a later payment, a refund, the invoice again) by RO number or the plate's start.
    Every read is bounded: the queue through the state index, the history through the RO number and
    plate indexes (workshop/lookup.py); matching the text against every delivered order took 2.3 s."""
    query = (RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.business_type,
                                RepairOrder.state, RepairOrder.qc_passed_at, RepairOrder.state_changed_at,
                                RepairOrder.version, Vehicle.plate, Customer.name)
             .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
             .switch(RepairOrder).join(Customer, on=(RepairOrder.customer == Customer.id)))
    if shop is not None:  # a group's cash desk: its own shop's orders (each shop has its own invoice book)
        query = query.where(RepairOrder.shop == shop)
    search = (search or "").strip()
    if search:
        ids = _desk_matches(search, limit + offset)
        if not ids:
            return []
        # A few dozen rows at most: the queue's first, as it stands, then the history's, newest first.
        rank = {lifecycle.READY_SETTLEMENT: 0, lifecycle.SETTLED: 1}
        rows = sorted(query.where(RepairOrder.id.in_(ids)), key=lambda r: (
            rank.get(r.state, 2), str(r.state_changed_at) if r.state in rank else "", -r.id))
        rows = rows[offset:offset + limit]
    else:
        rows = query.where(RepairOrder.state.in_(states)).order_by(
            Case(RepairOrder.state, ((lifecycle.READY_SETTLEMENT, 0),), 1),
            RepairOrder.state_changed_at, RepairOrder.id).limit(limit).offset(offset)
    return [QueueRow(r.id, r.number, r.vehicle.plate, r.customer.name, r.business_type, r.state,
                     r.qc_passed_at or r.state_changed_at, r.version) for r in rows]


def _desk_matches(search: str, limit: int) -> list[int]:
    """Ids of the orders a cashier's search finds: in the queue, an RO number or any part of the plate;
    in the history, an RO number or the start of a plate (the newest orders of those cars)."""
    number = order_number(search)
    plate = plate_key(search)
    in_queue = RepairOrder.select(RepairOrder.id).where(RepairOrder.state.in_(QUEUE_STATES))
    matches = [contains(Vehicle.plate, plate)] if plate else []
    if number is not None:
        matches.append(RepairOrder.number == number)
    ids = [oid for (oid,) in RepairOrder.select(RepairOrder.id)
           .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
           .where(RepairOrder.id.in_(in_queue) & reduce(operator.or_, matches)).limit(limit).tuples()] \
        if matches else []
    billable = RepairOrder.state.in_(BILLABLE_STATES)
    if number is not None:
        ids += [oid for (oid,) in RepairOrder.select(RepairOrder.id)
                .where((RepairOrder.number == number) & billable).tuples() if oid not in ids]
    vehicles = vehicles_by_plate(search, HISTORY_MATCHES)
    if vehicles:
        # The cars' own orders, their states checked here: no ORDER BY and no state in SQL, either of
        # which could tempt SQLite to walk a million orders (by id, or every delivered one) instead.
        found = (RepairOrder.select(RepairOrder.id, RepairOrder.state).where(RepairOrder.vehicle.in_(vehicles))
                 .limit(HISTORY_MATCHES * 20).tuples())
        ids += sorted((oid for oid, state in found if state in BILLABLE_STATES and oid not in ids),
                      reverse=True)[:HISTORY_MATCHES]
    return ids


def _check_billable(order: RepairOrder) -> None:
    if order.state not in BILLABLE_STATES:
        raise IllegalTransition(_("{order} is {state}: payments are taken once it has passed QC.").format(
            order=order.label, state=lifecycle.label(order.state)))


def take_payment(order_id: int, method: str, amount, *, by: Staff, tendered=None, reference: str = "",
                 seen_version: int | None = None) -> Payment:
    """Take a payment on an order. Above the balance is refused, except cash: the rest is change."""
    if method not in PAYMENT_METHODS or method == "account":
        raise InvalidInput(_("Choose how the customer pays: cash, card, mobile or transfer (on account is a "
                             "manager's approval)."), "method")
    amount = validation.decimal(amount, "amount", N_("Amount"), allow_zero=False, maximum=validation.MAX_MONEY)
    if method == "cash":
        tendered = amount if tendered in (None, "") else validation.decimal(tendered, "tendered", N_("Cash tendered"),
                                                                            maximum=validation.MAX_MONEY)
    else:
        tendered = None
    reference = validation.text(reference, "reference", _("Reference"), max_len=40, required=False)

    def work():
        nonlocal by
        by = require(by, "settle")
        order = lifecycle.load_for_change(order_id, None)
        _check_billable(order)
        owed = balance(order.id)
        if owed <= 0:
            raise InvalidInput(_("{order} has nothing left to pay.").format(order=order.label), "amount")
        applied, change = amount, None
        if method == "cash":
            applied = min(amount, owed)
            if tendered < applied:
                raise InvalidInput(_("Cash tendered ({tendered}) is less than the amount ({amount}).").format(
                    tendered=money(tendered), amount=money(applied)), "tendered")
            change = tendered - applied
        elif amount > owed:
            raise InvalidInput(_("{amount} is more than the balance of {owed}: take {owed} (only cash gives "
                                 "change).").format(amount=money(amount), owed=money(owed)), "amount")
        payment = Payment.create(order=order.id, method=method, amount=applied, tendered=tendered,
                                 change=change, reference=reference, by=by, at=clock.now())
        _sync_balance(order)
        method_term = Term("models.settlement:METHOD_LABELS", method)
        lifecycle.save(order, {}, by=by, kind="payment", summary=Phrase(
            N_("{order}: {method} payment {amount} taken, change {change}"), order=order.ref, method=method_term,
            amount=Money(applied), change=Money(change)) if change else Phrase(
            N_("{order}: {method} payment {amount} taken"), order=order.ref, method=method_term,
            amount=Money(applied)))
        audit.record(by, "payment_taken", "payment", payment.id,
                     Phrase(N_("{method} {amount}"), method=method_term, amount=Money(applied)),
                     order_id=order.id, after={"method": method, "amount": applied, "tendered": tendered,
                                               "change": change})
        invoice = current_invoice(order.id)
        return payment, invoice.id if invoice is not None else None

    payment, invoice_id = run_write(work)
    # A payment on a settled invoice gets its receipt, written once the payment is committed: the files
    # (or the message why they could not be written) ride on the returned payment as ``documents``.
    payment.documents = (document_files.write_invoice(invoice_id, payment_id=payment.id)
                         if invoice_id is not None else document_files.Written())
    return payment


def _bill_snapshot(bill: Bill) -> str:
    def line(x):
        return {"section": x.section, "code": x.code, "name": x.name, "quantity": str(x.quantity),
                "unit": x.unit, "price": str(x.price), "receivable": str(x.receivable),
                "discount_pct": str(x.discount_pct), "discount": str(x.discount), "charged": str(x.charged),
                "payer": x.payer}
    return json.dumps({"lines": [line(x) for x in bill.lines],
                       "fees": [{"kind": f.kind, "description": f.description, "amount": str(cents(f.amount)),
                                 "payer": f.payer} for f in bill.fees]}, ensure_ascii=False)


def settle(order_id: int, *, by: Staff, seen_version: int | None = None) -> Settlement:
    """Settle the order: the next gapless invoice number, the bill as settled, the order 'settled'."""

    def work():
        nonlocal by
        by = require(by, "settle")
        order = lifecycle.get_order(order_id)
        if order.state in (lifecycle.SETTLED, lifecycle.DELIVERED):
            done = current_invoice(order.id)
            who = Staff.get_or_none(Staff.id == done.by_id) if done and done.by_id else None
            raise IllegalTransition(_("{order} is already settled by {name}: invoice {invoice}. Nothing was charged "
                                      "twice.").format(order=order.label, name=who.name if who else _("someone"),
                                                       invoice=done.number if done else "—"))
        order = lifecycle.load_for_change(order_id, seen_version)
        if order.state != lifecycle.READY_SETTLEMENT:
            raise IllegalTransition(_("{order} is {state}: only an order that passed QC can be settled.").format(
                order=order.label, state=lifecycle.label(order.state)))
        labor, parts, fees = items_for(order)
        bill = compute_bill(labor, parts, fees, terms_for(order))
        got = paid(order.id)
        if got > bill.customer_share:
            raise InvalidInput(_("{order}: {paid} was paid but the customer's share is {share}. A manager refunds "
                                 "the difference first.").format(order=order.label, paid=money(got),
                                                                  share=money(bill.customer_share)), "amount")
        last_void = (Settlement.select().where((Settlement.order == order.id) & (Settlement.kind == "void"))
                     .order_by(Settlement.id.desc()).first())
        before = ZERO
        if last_void is not None:
            before = cents(Decimal(str(Payment.select(fn.SUM(Payment.amount)).where(
                (Payment.order == order.id) & (Payment.at <= last_void.at)).scalar() or 0)))
        now = clock.now()
        invoice = Settlement.create(
            order=order.id, customer=order.customer_id, kind="invoice",
            number=_next_document_number("invoice", order.shop_id), shop=order.shop_id, at=now, by=by,
            prices_include_tax=bill.terms.prices_include_tax, tax_rate=bill.terms.tax_rate,
            labor_receivable=bill.labor_receivable, labor_charged=bill.labor_charged,
            parts_receivable=bill.parts_receivable, parts_charged=bill.parts_charged,
            management_fee=bill.fees_by_kind["management"], auxiliary_fee=bill.fees_by_kind["auxiliary"],
            sublet_fee=bill.fees_by_kind["sublet"], towing_fee=bill.fees_by_kind["towing"],
            other_fee=bill.fees_by_kind["other"], adjustment=bill.adjustment, tax=bill.tax, total=bill.total,
            customer_share=bill.shares.get("customer", ZERO), insurer_share=bill.shares.get("insurer", ZERO),
            manufacturer_share=bill.shares.get("manufacturer", ZERO),
            internal_share=bill.shares.get("internal", ZERO),
            received_before=before, this_payment=got - before, lines_json=_bill_snapshot(bill))
        lifecycle.apply_transition(order, "settle", by=by, extra={"settled_at": now},
                                   note=Phrase(N_("invoice {number}, total {total}"), number=invoice.number,
                                               total=Money(bill.total)))
        audit.record(by, "invoice_issued", "settlement", invoice.id,
                     Phrase(N_("Invoice {number} for {order}: {total}"), number=invoice.number, order=order.ref,
                            total=Money(bill.total)), order_id=order.id,
                     after={"number": invoice.number, "total": bill.total,
                            "customer_share": invoice.customer_share, "received": got})
        _sync_balance(order)
        return invoice

    invoice = run_write(work)
    # The invoice's files are written once the settlement is committed, and a failure to write them
    # never undoes it: ``invoice.documents`` holds the paths, or the message to show (written again
    # with ``write_documents``).
    invoice.documents = document_files.write_invoice(invoice.id)
    return invoice


def write_documents(order_id: int, *, by) -> document_files.Written:
    """Write the current invoice's files again (the cashier's "invoice again")."""
    require(by, "settle")
    invoice = current_invoice(order_id)
    if invoice is None:
        raise IllegalTransition(_("{order} is not settled yet: there is no invoice to write.").format(
            order=lifecycle.get_order(order_id).label))
    return document_files.write_invoice(invoice.id, reprint=True)  # a copy: with everything received to date


def settle_fully(order, by: Staff, method: str = "card") -> Settlement:
    """Take the whole balance and settle (for tests and the demo): the order must be ready for settlement."""
    order_id = order if isinstance(order, int) else order.id
    owed = balance(order_id)
    if owed > 0:
        take_payment(order_id, method, owed, by=by)
    return settle(order_id, by=by)


def approve_on_account(order_id: int, reason: str, *, by: Staff) -> OnAccountRelease:
    """A manager lets a settled car leave with a balance owing (it stays in receivables)."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "approve_on_account")
        order = lifecycle.get_order(order_id)
        if current_invoice(order.id) is None:
            raise IllegalTransition(_("{order} is not settled yet: settle it, then approve the rest on account.").format(
                order=order.label))
        if OnAccountRelease.select().where(OnAccountRelease.order == order.id).exists():
            raise InvalidInput(_("{order} is already approved on account.").format(order=order.label), "reason")
        approval = OnAccountRelease.create(order=order.id, by=by, at=clock.now(), reason=reason)
        lifecycle.save(order, {}, by=by, kind="on_account",
                       summary=Phrase(N_("{order}: release on account approved ({amount} owing): {reason}"),
                                      order=order.ref, amount=Money(balance(order.id)), reason=reason))
        return approval

    return run_write(work)


def release(order_id: int, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Hand the car back: only when paid in full, or on account with a manager's approval."""
    return lifecycle.transition(order_id, "deliver", by=by, seen_version=seen_version)


# --- voids and refunds (a manager) ----------------------------------------------------------------

def void(order_id: int, reason: str, *, by: Staff) -> Settlement:
    """Void the order's invoice: a reversing record; the order goes back to the cashier's queue."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "void_refund")
        order = lifecycle.get_order(order_id)
        original = current_invoice(order.id)
        if original is None:
            raise IllegalTransition(_("{order} has no invoice to void.").format(order=order.label))
        if order.state != lifecycle.SETTLED:
            raise IllegalTransition(_("{order} is {state}: the car has left; refund payments instead of voiding the "
                                      "invoice.").format(order=order.label, state=lifecycle.label(order.state)))
        amounts = {f: -Decimal(getattr(original, f)) for f in (
            "labor_receivable", "labor_charged", "parts_receivable", "parts_charged", "management_fee",
            "auxiliary_fee", "sublet_fee", "towing_fee", "other_fee", "adjustment", "tax", "total",
            "customer_share", "insurer_share", "manufacturer_share", "internal_share")}
        reversal = Settlement.create(order=order.id, customer=order.customer_id, kind="void",
                                     number=_next_document_number("credit_note", order.shop_id),
                                     shop=order.shop_id, reverses=original.id, at=clock.now(),
                                     by=by, reason=reason, prices_include_tax=original.prices_include_tax,
                                     tax_rate=original.tax_rate, **amounts)
        lifecycle.apply_transition(order, "void", by=by, extra={"settled_at": None},
                                   note=Phrase(N_("invoice {number} voided: {reason}"), number=original.number,
                                               reason=reason))
        audit.record(by, "invoice_voided", "settlement", reversal.id,
                     Phrase(N_("Invoice {number} voided by credit note {note}: {reason}"), number=original.number,
                            note=reversal.number, reason=reason),
                     order_id=order.id, before={"invoice": original.number, "total": original.total},
                     after={"credit_note": reversal.number, "reason": reason})
        _sync_balance(order)
        return reversal

    return run_write(work)


def refund(payment_id: int, reason: str, *, by: Staff, amount=None) -> Payment:
    """Give back (part of) a payment: a new negative payment row reversing it."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)
    if amount not in (None, ""):
        amount = validation.decimal(amount, "amount", N_("Refund amount"), allow_zero=False, maximum=validation.MAX_MONEY)

    def work():
        nonlocal by
        by = require(by, "void_refund")
        original = Payment.get_or_none(Payment.id == payment_id)
        if original is None or Decimal(original.amount) <= 0:
            raise NotFound(_("That payment does not exist (or is itself a refund)."))
        already = -Decimal(str(Payment.select(fn.SUM(Payment.amount))
                               .where(Payment.reverses == original.id).scalar() or 0))
        left = Decimal(original.amount) - already
        value = left if amount in (None, "") else amount
        if value > left:
            raise InvalidInput(_("Only {amount} of this payment is left to refund.").format(amount=money(left)),
                               "amount")
        if left <= 0:
            raise InvalidInput(_("This payment has already been refunded in full."), "amount")
        order = lifecycle.get_order(original.order_id)
        back = Payment.create(order=order.id, method=original.method, amount=-value, by=by, at=clock.now(),
                              reverses=original.id, reason=reason)
        _sync_balance(order)
        lifecycle.save(order, {}, by=by, kind="refund",
                       summary=Phrase(N_("{order}: {method} payment of {amount} refunded {refund}: {reason}"),
                                      order=order.ref, method=Term("models.settlement:METHOD_LABELS", original.method),
                                      amount=Money(original.amount), refund=Money(value), reason=reason))
        audit.record(by, "payment_refunded", "payment", back.id,
                     Phrase(N_("Refund {amount}: {reason}"), amount=Money(value), reason=reason),
                     order_id=order.id, before={"payment": original.id, "amount": original.amount},
                     after={"amount": -value, "reason": reason})
        return back

    return run_write(work)


# --- receivables and cash-up ----------------------------------------------------------------------

def bucket_of(since: dt.date, today: dt.date | None = None) -> str:
    days = ((today or clock.today()) - since).days
    for name, _low, high in AGING_BUCKETS:
        if high is None or days <= high:
            return name
    return AGING_BUCKETS[-1][0]


@dataclass(frozen=True)
class Receivable:
    order_id: int
    number: int
    plate: str
    customer: str
    mobile: str
    since: dt.date
    amount: Decimal
    bucket: str


def _owing_query():
    return (OpenBalance.select(OpenBalance.id, OpenBalance.order, RepairOrder.number, Vehicle.plate, Customer.name,
                               Customer.mobile, OpenBalance.since, OpenBalance.amount, RepairOrder.shop)
            .join(RepairOrder, on=(OpenBalance.order == RepairOrder.id))
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .switch(OpenBalance).join(Customer, on=(OpenBalance.customer == Customer.id)))


def _owing_by(column: str) -> Prepared:
    """Balances whose copy of a key (a name key, the plate) lies in a range, in that key's order."""
    field = getattr(OpenBalance, column)
    return Prepared(f"receivables by {column}", lambda low, high, limit: _owing_query().where(
        (field >= low) & (field < high)).order_by(field, OpenBalance.since, OpenBalance.id).limit(limit))


_OWING_BY_NUMBER = Prepared("receivables by RO number", lambda number: _owing_query().where(
    # (IN: in a dealer group each shop numbers its own orders, so an RO number may be several shops' orders)
    OpenBalance.order.in_(RepairOrder.select(RepairOrder.id).where(RepairOrder.number == number))))
_OWING_BY_KEY = {column: _owing_by(column) for column in [key.column for key in NAME_KEYS] + ["plate"]}


def receivables(search: str = "", *, limit: int = 100, offset: int = 0, shop: int | None = None) -> list[Receivable]:
    """Orders a customer still owes money on, oldest first. ``search`` finds them by RO number, the
    start of the customer's name or of the plate: an index range over the balances' own copies of
    those keys (workshop/lookup.py), listed by customer (or plate), then oldest first. The search's
    statements are built once (models.base.Prepared): it runs at every pause in typing. ``shop``: owed
    on that shop's orders (a group's cash desk; its invoices)."""
    search = (search or "").strip()
    if search:
        rows, seen = [], set()
        number = order_number(search)
        found = [_OWING_BY_NUMBER.execute(number)] if number is not None else []
        keys = [(key.column, key.of_typed(search)) for key in NAME_KEYS] + [("plate", plate_key(search))]
        found += [_OWING_BY_KEY[column].execute(key, after_prefix(key), limit + offset) for column, key in keys if key]
        for cursor in found:
            for row in cursor.fetchall():
                if row[0] not in seen and (shop is None or row[-1] == shop):
                    seen.add(row[0])
                    rows.append(row)
        rows = rows[offset:offset + limit]
    else:
        query = _owing_query()
        if shop is not None:
            query = query.where(RepairOrder.shop == shop)
        rows = query.order_by(OpenBalance.since, OpenBalance.id).limit(limit).offset(offset).tuples()
    today = clock.today()
    out = []
    for _balance_id, order_id, number, plate, name, mobile, since, amount, _shop in rows:
        since = since if isinstance(since, dt.date) else dt.date.fromisoformat(str(since))
        out.append(Receivable(order_id, number, plate, name, mobile, since, cents(Decimal(str(amount))),
                              bucket_of(since, today)))
    return out


def aging(shop: int | None = None) -> dict[str, Decimal]:
    """Outstanding totals per aging bucket (days since the invoice; ``shop``: on that shop's orders)."""
    today = clock.today()
    cases = []
    for name, low, high in AGING_BUCKETS:
        newest = today - dt.timedelta(days=low)
        cond = OpenBalance.since <= newest
        if high is not None:
            cond &= OpenBalance.since >= today - dt.timedelta(days=high)
        cases.append(fn.SUM(Case(None, ((cond, OpenBalance.amount),), 0)).alias(name))
    query = OpenBalance.select(*cases, fn.COUNT(OpenBalance.id))
    if shop is not None:
        query = query.join(RepairOrder, on=(OpenBalance.order == RepairOrder.id)).where(RepairOrder.shop == shop)
    row = query.tuples().first()
    return {name: cents(Decimal(str(value or 0))) for (name, _, _), value in zip(AGING_BUCKETS, row)}


@dataclass(frozen=True)
class CashUpRow:
    cashier_id: int
    cashier: str
    method: str
    count: int
    amount: Decimal


def cash_up(day: dt.date | None = None, cashier_id: int | None = None, shop: int | None = None) -> list[CashUpRow]:
    """The day's takings per cashier and method (refunds subtract), to reconcile the drawer (``shop``: taken on
    that shop's orders: a group's shop has its own drawer)."""
    day = day or clock.today()
    start = dt.datetime.combine(day, dt.time())
    query = (Payment.select(Payment.by, Staff.name, Payment.method, fn.COUNT(Payment.id), fn.SUM(Payment.amount))
             .join(Staff, on=(Payment.by == Staff.id))
             .where((Payment.at >= start) & (Payment.at < start + dt.timedelta(days=1))))
    if cashier_id is not None:
        query = query.where(Payment.by == cashier_id)
    if shop is not None:
        query = query.where(Payment.order.in_(RepairOrder.select(RepairOrder.id).where(RepairOrder.shop == shop)))
    rows = query.group_by(Payment.by, Staff.name, Payment.method).order_by(Staff.name, Payment.method).tuples()
    return [CashUpRow(sid, name, method, count, cents(Decimal(str(total or 0))))
            for sid, name, method, count, total in rows]


def payments_of(order_id: int) -> list[Payment]:
    return list(Payment.select().where(Payment.order == order_id).order_by(Payment.id))


@dataclass(frozen=True)
class PaymentRow:
    id: int
    method: str
    amount: Decimal


def last_payment(order_id: int) -> PaymentRow | None:
    """The order's latest payment that is not itself a refund (what a refund gives back), or None (one query)."""
    row = (Payment.select(Payment.id, Payment.method, Payment.amount)
           .where((Payment.order == order_id) & (Payment.amount > 0)).order_by(Payment.id.desc()).tuples().first())
    return PaymentRow(*row) if row is not None else None


def can_presettle(staff: Staff) -> bool:
    return can(staff, "presettle")


__all__ = ["bill_for", "account", "balance", "paid", "add_fee", "set_adjustment", "cashier_queue", "take_payment",
           "settle", "settle_fully", "write_documents", "approve_on_account", "release", "void", "refund", "receivables", "aging",
           "cash_up", "current_invoice", "ensure_editable", "money", "last_payment", "PaymentRow"]
