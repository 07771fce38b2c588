"""Demo data for settlement: every closed order gets its invoice and payments (a few still owe money,
so receivables and their aging are alive); today's settled cars get real invoices.

The history is written per day-batch with three bulk inserts (invoices, payments, open balances):
two queries read the batch's labor and parts totals, everything else is arithmetic, so the large shop's
million closed orders cost one pass.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import db
from seeds import demo
from workshop.pricing import cents, tax_of

METHODS = (("card", 45), ("mobile", 35), ("cash", 15), ("transfer", 5))
_METHOD_POOL = [m for m, weight in METHODS for _ in range(weight)]
SHARE_OF = {"warranty": "manufacturer_share", "insurance": "insurer_share", "internal": "internal_share"}
SETTLEMENT_COLS = ["order_id", "customer_id", "kind", "number", "at", "by_id", "prices_include_tax", "tax_rate",
                   "labor_receivable", "labor_charged", "parts_receivable", "parts_charged", "management_fee",
                   "tax", "total", "customer_share", "insurer_share", "manufacturer_share", "internal_share",
                   "received_before", "this_payment"]


def _cashiers() -> list[int]:
    return [sid for sid, roles in db.execute_sql("SELECT id, roles FROM staff").fetchall() if "cashier" in roles] \
        or [db.execute_sql("SELECT MIN(id) FROM staff").fetchone()[0]]


def _next_invoice() -> int:
    return (db.execute_sql("SELECT MAX(number) FROM settlement WHERE kind = 'invoice'").fetchone()[0] or 0) + 1


def history(rng, closed: list, progress) -> None:
    """Invoices and payments for a day-batch of closed (delivered) orders."""
    if not closed:
        return
    ids = [c.id for c in closed]
    labor, internal = {}, set()
    for oid, total, comeback in db.execute_sql(
            f"SELECT order_id, SUM(billed_hours * rate), MAX(CASE WHEN payer = 'internal' THEN 1 ELSE 0 END) "
            "FROM job_line "
            f"WHERE order_id BETWEEN {db.param} AND {db.param} GROUP BY order_id", (min(ids), max(ids))).fetchall():
        labor[oid] = Decimal(str(total or 0))
        if comeback:
            internal.add(oid)
    part_totals = dict((oid, Decimal(str(total or 0))) for oid, total in db.execute_sql(
        f"SELECT order_id, SUM((picked - returned) * unit_price) FROM part_line WHERE order_id BETWEEN {db.param} "
        f"AND {db.param} AND status != 'cancelled' GROUP BY order_id", (min(ids), max(ids))).fetchall())
    discount = dict((cid, (ld, md)) for cid, ld, md in db.execute_sql(
        f"SELECT c.id, COALESCE(k.labor_discount, 0), COALESCE(k.material_discount, 0) FROM customer c "
        f"LEFT JOIN customer_class k "
        f"ON k.id = c.customer_class_id WHERE c.id IN ({', '.join(str(c.customer_id) for c in closed)})").fetchall())
    cashiers = _cashiers()
    number = _next_invoice()
    today = demo.clock.today()
    rate = Decimal("13")
    settlements, payments, balances = [], [], []
    for c in closed:
        receivable = cents(labor.get(c.id, Decimal("0")))
        own = c.business_type not in SHARE_OF and c.id not in internal
        labor_pct, parts_pct = (Decimal(str(v or 0)) for v in discount.get(c.customer_id, (0, 0))) if own \
            else (Decimal("0"), Decimal("0"))
        charged = receivable - cents(receivable * labor_pct / 100)
        parts_receivable = cents(part_totals.get(c.id, Decimal("0")))
        parts = parts_receivable - cents(parts_receivable * parts_pct / 100)
        fee = Decimal("20.00") if rng.random() < 0.3 else Decimal("0.00")
        total = charged + parts + fee
        shares = {"customer_share": Decimal("0"), "insurer_share": Decimal("0"), "manufacturer_share": Decimal("0"),
                  "internal_share": Decimal("0")}
        payer = "internal_share" if c.id in internal else SHARE_OF.get(c.business_type, "customer_share")
        shares[payer] = total
        at = c.released_at - dt.timedelta(minutes=rng.randint(5, 30))
        cashier = rng.choice(cashiers)
        due = shares["customer_share"]
        age = (today - c.released_at.date()).days
        # Every 50th recent order owes for sure, so even the tiny shop has receivables whatever the random draws.
        owes = due > 0 and (rng.random() < (0.04 if age <= 120 else 0.002) or (age <= 120 and c.id % 50 == 0))
        got = cents(due * Decimal(rng.choice(("0", "0.3", "0.5")))) if owes else due
        settlements.append((c.id, c.customer_id, "invoice", number, demo._ts(at), cashier, True, str(rate),
                            str(receivable), str(charged), str(parts_receivable), str(parts), str(fee),
                            str(tax_of(total, rate, True)), str(total), *(str(v) for v in shares.values()), "0",
                            str(got)))
        if got > 0:
            method = rng.choice(_METHOD_POOL)
            payments.append((c.id, method, str(got), str(got) if method == "cash" else None,
                             "0" if method == "cash" else None, cashier, demo._ts(at - dt.timedelta(minutes=1))))
        if owes:
            balances.append((c.id, c.customer_id, number, at.date().isoformat(), str(due - got)))
        number += 1
    demo.bulk("settlement", SETTLEMENT_COLS, settlements)
    demo.bulk("payment", ["order_id", "method", "amount", "tendered", "change", "by_id", "at"], payments)
    if balances:
        numbers = [b[2] for b in balances]
        sid = dict(db.execute_sql(
            f"SELECT number, id FROM settlement WHERE kind = 'invoice' AND number BETWEEN {db.param} AND {db.param}",
            (min(numbers), max(numbers))).fetchall())
        demo.bulk("open_balance", ["order_id", "customer_id", "settlement_id", "since", "amount"],
                  [(o, cu, sid[n], since, amount) for o, cu, n, since, amount in balances])
        from workshop.lookup import fill_balance_keys
        fill_balance_keys()
        manager = db.execute_sql(
                f"SELECT id FROM staff WHERE roles LIKE {db.param} ORDER BY id LIMIT 1", ("%manager%",)).fetchone()
        if manager:
            demo.bulk("on_account_release", ["order_id", "by_id", "at", "reason"],
                      [(o, manager[0], since + " 17:00:00", "Regular customer, pays by transfer")
                       for o, _, _, since, _ in balances])


def active(rng, orders: list) -> None:
    """Today's settled cars get their real invoice (paid), so the board can hand them back."""
    from models.people import Staff
    from models.settlement import Payment, Settlement
    from workshop import settlement as service
    from workshop.pricing import compute_bill
    cashiers = _cashiers()
    number = _next_invoice()
    for order_id, state, _btype, _time_in, _promised in orders:
        if state != "settled":
            continue
        order = service.lifecycle.get_order(order_id)
        labor, parts, fees = service.items_for(order)
        bill = compute_bill(labor, parts, fees, service.terms_for(order))
        cashier = Staff.get_by_id(rng.choice(cashiers))
        at = demo.clock.now().replace(second=0) - dt.timedelta(minutes=rng.randint(5, 60))
        if bill.customer_share > 0:
            Payment.create(order=order_id, method=rng.choice(_METHOD_POOL), amount=bill.customer_share, by=cashier,
                           at=at)
        Settlement.create(
            order=order_id, customer=order.customer_id, kind="invoice", number=number, at=at, by=cashier,
            prices_include_tax=bill.terms.prices_include_tax, tax_rate=bill.terms.tax_rate,
            labor_receivable=bill.labor_receivable, labor_charged=bill.labor_charged,
            parts_receivable=bill.parts_receivable, parts_charged=bill.parts_charged, tax=bill.tax, total=bill.total,
            customer_share=bill.customer_share, insurer_share=bill.shares["insurer"],
            manufacturer_share=bill.shares["manufacturer"], internal_share=bill.shares["internal"],
            this_payment=bill.customer_share, lines_json=service._bill_snapshot(bill))
        number += 1
    from models.orders import OrderCounter
    OrderCounter.insert(name="invoice", next_value=number).on_conflict(
        conflict_target=[OrderCounter.shop, OrderCounter.name], update={OrderCounter.next_value: number}).execute()


demo.HISTORY_EXTENSIONS.append(history)
demo.ACTIVE_EXTENSIONS.append(active)
