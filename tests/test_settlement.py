"""Settlement through the services: payments, invoice numbers, voids, refunds, release, receivables."""
import datetime as dt
import json
import subprocess
import sys
import textwrap
from decimal import Decimal as D
from pathlib import Path

import pytest

from models.db import db
from models.events import Event
from models.orders import RepairOrder
from models.settlement import Invoice, InvoiceLine, Payment
from workshop import clock, settlement
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.lifecycle import DELIVERED, READY_SETTLEMENT, SETTLED, transition

# QS001 in the small shop: 0.5 h x 120.00 = 60.00 (general customer, no discount, VAT included)


def test_settling_freezes_the_bill_as_numbered_invoices_without_gaps(shop):
    first = shop.ready_for_settlement(shop.car)
    second = shop.ready_for_settlement(shop.car2)  # VIP: 15% labor discount -> 51.00
    a = settlement.settle(first.id, [("card", "60")], by=shop.cashier)
    b = settlement.settle(second.id, [("mobile", "51")], by=shop.cashier)
    assert (a.number, b.number) == (1, 2)
    assert (a.total, a.outstanding, b.total) == (D("60.00"), D("0"), D("51.00"))
    assert RepairOrder.get_by_id(first.id).state == SETTLED
    assert InvoiceLine.select().where(InvoiceLine.invoice == a.id).count() == 1


def test_cash_payment_computes_change_and_other_methods_cannot_exceed_the_balance(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(InvalidInput, match="more than the balance 60.00"):
        settlement.settle(order.id, [("card", "100")], by=shop.cashier)
    assert Invoice.select().count() == 0 and RepairOrder.get_by_id(order.id).state == READY_SETTLEMENT
    invoice = settlement.settle(order.id, [("cash", None, "100")], by=shop.cashier)
    payment = Payment.get()
    assert (payment.amount, payment.tendered, payment.change) == (D("60"), D("100"), D("40"))
    assert invoice.outstanding == 0


def test_partial_payment_leaves_a_balance_and_the_car_cannot_leave_until_paid_or_on_account(shop):
    order = shop.ready_for_settlement()
    invoice = settlement.settle(order.id, [("cash", "20")], by=shop.cashier)
    assert invoice.outstanding == D("40.00")
    with pytest.raises(IllegalTransition, match="still owes 40.00"):
        settlement.release(order.id, by=shop.cashier)
    with pytest.raises(NotAllowed):
        settlement.approve_on_account(order.id, "fleet customer", by=shop.cashier)
    settlement.approve_on_account(order.id, "fleet customer pays monthly", by=shop.manager)
    settlement.release(order.id, by=shop.cashier)
    assert RepairOrder.get_by_id(order.id).state == DELIVERED
    assert [r.outstanding for r in settlement.receivables()] == [D("40.00")]
    settlement.take_payment(invoice.number, "transfer", "40", by=shop.cashier)
    assert settlement.receivables() == []


def test_an_order_is_never_settled_twice(shop):
    order = shop.ready_for_settlement()
    settlement.settle(order.id, [("cash", "60")], by=shop.cashier)
    with pytest.raises(IllegalTransition, match="already settled"):
        settlement.settle(order.id, [("cash", "60")], by=shop.cashier)
    assert Invoice.select().count() == 1


def test_board_cannot_settle_without_the_cashier(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(IllegalTransition, match="settled by the cashier"):
        transition(order.id, "settle", by=shop.cashier)


def test_void_is_a_new_record_reversing_the_original_and_the_order_can_be_settled_again(shop):
    order = shop.ready_for_settlement()
    original = settlement.settle(order.id, [("card", "60")], by=shop.cashier)
    with pytest.raises(NotAllowed):
        settlement.void(order.id, "wrong customer class", by=shop.cashier)
    reversal = settlement.void(order.id, "wrong customer class", by=shop.manager)
    assert (reversal.kind, reversal.total, reversal.original_id) == ("void", D("-60.00"), original.id)
    assert Invoice.get_by_id(original.id).total == D("60.00")  # the original is untouched
    assert sorted(p.amount for p in Payment.select()) == [D("-60"), D("60")]
    assert RepairOrder.get_by_id(order.id).state == READY_SETTLEMENT
    again = settlement.settle(order.id, [("card", "60")], by=shop.cashier)
    assert again.number == 3 and settlement.current_invoice(order.id).id == again.id


def test_refund_is_a_credit_note_and_cannot_exceed_what_was_paid(shop):
    order = shop.delivered()
    with pytest.raises(InvalidInput, match="more than was paid"):
        settlement.refund(order.id, "61", "cash", "goodwill", by=shop.manager)
    credit = settlement.refund(order.id, "10", "cash", "goodwill", by=shop.manager)
    assert (credit.kind, credit.total) == ("credit", D("-10"))
    assert Event.select().where(Event.kind == "refund").count() == 1


def test_discount_beyond_the_advisors_limit_needs_a_manager_and_a_reason(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(NotAllowed, match="up to 5%"):
        settlement.give_discount(order.id, "10", "regular customer", by=shop.advisor)
    with pytest.raises(InvalidInput, match="Reason"):
        settlement.give_discount(order.id, "5", "", by=shop.advisor)
    settlement.give_discount(order.id, "10", "long wait", by=shop.manager)
    settlement.add_fee(order.id, "management", "Management fee", "20", by=shop.advisor)
    bill = settlement.bill_for(RepairOrder.get_by_id(order.id))
    assert (bill.discount, bill.total) == (D("6.00"), D("74.00"))  # 60 - 6 + 20


def test_settled_orders_lines_cannot_change(shop):
    order = shop.settled()
    with pytest.raises(IllegalTransition, match="can no longer change"):
        settlement.add_fee(order.id, "other", "Late fee", "10", by=shop.advisor)
    from workshop.reception import add_job_line
    with pytest.raises(InvalidInput, match="can no longer change"):
        add_job_line(order.id, "QS002", by=shop.advisor)


def test_receivables_are_aged_and_cash_up_sums_the_day_per_cashier_and_method(shop):
    old = shop.ready_for_settlement(shop.car)
    settlement.settle(old.id, [("cash", "10")], by=shop.cashier)
    Invoice.update(at=clock.now() - dt.timedelta(days=45)).where(Invoice.order == old.id).execute()
    new = shop.ready_for_settlement(shop.car2)
    settlement.settle(new.id, [("card", "50")], by=shop.cashier)
    aging = settlement.aging()
    assert aging["31-60"] == D("50.00") and aging["0-30"] == D("1.00")
    assert settlement.cash_up(clock.today()) == [("Hu Xin", "card", 1, D("50.00")), ("Hu Xin", "cash", 1, D("10.00"))]


SETTLER = textwrap.dedent("""
    import json, os, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import settlement
    from workshop.errors import DomainError
    path, order_id, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    open_database(path)
    cashier = Staff.get(Staff.login == "hu.xin")
    while not os.path.exists(start):
        time.sleep(0.001)
    try:
        invoice = settlement.settle(order_id, [("cash", "60")], by=cashier)
        print(json.dumps({"ok": True, "number": invoice.number}))
    except DomainError as error:
        print(json.dumps({"ok": False, "message": str(error)}))
""")


def test_two_cashiers_settling_the_same_order_at_once_settle_it_once(shop, db_path, tmp_path):
    order = shop.ready_for_settlement()
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", SETTLER, str(db_path), str(order.id), str(start)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    db.connect(reuse_if_open=True)
    assert sorted(r["ok"] for r in results) == [False, True]
    assert "already settled" in next(r for r in results if not r["ok"])["message"]
    assert Invoice.select().count() == 1 and Payment.select().count() == 1
