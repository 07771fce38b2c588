"""Demo settlement: every closed order has its invoice and payments (a few still owe money, so the
receivables and their aging are alive), and today's settled cars have real invoices."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import db
from seeds import demo
from workshop.pricing import cents

_state = {"number": 0, "cashiers": []}
METHODS = ["cash", "card", "mobile", "mobile", "card", "transfer"]
INV_COLS = ["number", "kind", "order_id", "customer_id", "at", "by_id", "labor_receivable", "labor_charged",
            "parts_receivable", "parts_charged", "fees", "discount", "tax_rate", "tax_included", "tax", "total",
            "customer_due", "insurer_due", "manufacturer_due", "internal_cost", "paid", "outstanding"]


def _history(rng, closed, progress) -> None:
    """History bills are labor + parts at list price (no class discounts), VAT 13% included."""
    if not closed:
        return
    if not _state["cashiers"]:
        _state["cashiers"] = [i for (i,) in db.execute_sql("SELECT id FROM staff WHERE roles LIKE '%cashier%'")]
    low, high = min(c.id for c in closed), max(c.id for c in closed)
    labor = dict(db.execute_sql("SELECT order_id, SUM(billed_hours * rate) FROM job_line "
                                "WHERE order_id BETWEEN ? AND ? GROUP BY order_id", (low, high)).fetchall())
    parts = dict(db.execute_sql("SELECT order_id, SUM(picked * unit_price) FROM part_line "
                                "WHERE order_id BETWEEN ? AND ? GROUP BY order_id", (low, high)).fetchall())
    now = dt.datetime.now()
    invoices, payments = [], []
    for order in closed:
        lab, par = cents(Decimal(str(labor.get(order.id, 0)))), cents(Decimal(str(parts.get(order.id, 0))))
        total = lab + par
        payer = {"warranty": "manufacturer", "insurance": "insurer", "internal": "internal"}.get(order.business_type,
                                                                                                 "customer")
        deductible = cents(min(total, Decimal(500))) if payer == "insurer" else Decimal("0")
        customer = total if payer == "customer" else deductible
        shares = {"insurer": total - deductible if payer == "insurer" else 0,
                  "manufacturer": total if payer == "manufacturer" else 0, "internal": total if payer == "internal" else 0}
        recent = (now - order.released_at).days < 120
        owes = customer > 0 and recent and rng.random() < 0.02
        paid = cents(customer * Decimal("0.5")) if owes else customer
        _state["number"] += 1
        at = order.released_at - dt.timedelta(minutes=rng.randint(5, 40))
        cashier = rng.choice(_state["cashiers"])
        tax = cents(total * 13 / 113)
        invoices.append((_state["number"], "invoice", order.id, order.customer_id, demo._ts(at), cashier, str(lab),
                         str(lab), str(par), str(par), "0", "0", "13", True, str(tax), str(total), str(customer),
                         str(shares["insurer"]), str(shares["manufacturer"]), str(shares["internal"]), str(paid),
                         str(customer - paid)))
        if paid:
            payments.append((_state["number"], order.id, rng.choice(METHODS), str(paid), cashier, demo._ts(at)))
    demo.bulk("invoice", INV_COLS, invoices)
    ids = dict(db.execute_sql("SELECT number, id FROM invoice WHERE number BETWEEN ? AND ?",
                              (invoices[0][0], invoices[-1][0])).fetchall())
    demo.bulk("payment", ["invoice_id", "order_id", "method", "amount", "by_id", "at"],
              [(ids[n], *rest) for n, *rest in payments])


def _active(rng, active) -> None:
    """Cars settled today get a real invoice through the pricing rules, most paid in full."""
    from models.orders import RepairOrder
    from models.people import Staff
    from models.settlement import Invoice, Payment
    from workshop import clock
    from workshop.settlement import _freeze, bill_for
    demo_now = dt.datetime.now().replace(microsecond=0)
    cashier = Staff.select().where(Staff.roles.contains("cashier")).first()
    for order_id, state, *_ in active:
        if state != "settled":
            continue
        order = RepairOrder.get_by_id(order_id)
        clock.freeze(demo_now - dt.timedelta(minutes=rng.randint(3, 30)))
        try:
            invoice = _freeze(order, bill_for(order), cashier)
            amount = invoice.customer_due if rng.random() < 0.8 else cents(invoice.customer_due / 2)
            if amount > 0:
                Payment.create(invoice=invoice.id, order=order.id, method=rng.choice(METHODS), amount=amount,
                               by=cashier, at=clock.now())
                Invoice.update(paid=amount, outstanding=invoice.customer_due - amount) \
                    .where(Invoice.id == invoice.id).execute()
        finally:
            clock.freeze(None)


def _reset(rng, size) -> None:
    _state.update(number=0, cashiers=[])


demo.REFERENCE_EXTENSIONS.append(_reset)
demo.HISTORY_EXTENSIONS.append(_history)
demo.ACTIVE_EXTENSIONS.append(_active)
