"""Payments, settling, voids and refunds, release of the car, receivables and the cash-up."""
import datetime as dt
import subprocess
import sys
import textwrap
import time
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from peewee import IntegrityError

from models.events import Event
from models.orders import JobLine, OrderCounter, RepairOrder
from models.settlement import Adjustment, FeeLine, OnAccountRelease, OpenBalance, Payment, Settlement
from workshop import clock, lifecycle
from workshop import settlement as s
from workshop.errors import DomainError, IllegalTransition, InvalidInput, NotAllowed

# The smoke order (QS001 oil change, 0.5 h x 120.00) comes to 60.00 for a general customer.


def test_partial_payment_leaves_a_balance_and_later_payment_clears_it(shop):
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "card", "25", by=shop.cashier)
    assert s.account(order.id).outstanding == D("35.00")
    s.take_payment(order.id, "mobile", "35.00", by=shop.cashier, reference="WX123")
    acc = s.account(order.id)
    assert (acc.due, acc.received, acc.outstanding) == (D("60.00"), D("60.00"), D("0.00"))
    assert [p.method for p in Payment.select().order_by(Payment.id)] == ["card", "mobile"]


@pytest.mark.parametrize("method,amount,message", [
    ("card", "60.01", "more than the balance of 60.00"),
    ("transfer", "100", "only cash gives change"),
    ("card", "abc", "Amount must be a number"),
    ("card", "-5", "Amount cannot be negative"),
    ("card", "0", "Amount must be more than zero"),
    ("card", "1.005", "more than 2 decimal places"),
    ("bitcoin", "10", "Choose how the customer pays"),
])
def test_bad_or_excess_payment_is_refused_and_nothing_is_written(shop, method, amount, message):
    order = shop.ready_for_settlement()
    with pytest.raises(DomainError) as err:
        s.take_payment(order.id, method, amount, by=shop.cashier)
    assert message in str(err.value)
    assert Payment.select().count() == 0
    assert RepairOrder.get_by_id(order.id).version == order.version


def test_cash_above_the_balance_gives_change(shop):
    order = shop.ready_for_settlement()
    payment = s.take_payment(order.id, "cash", "100", tendered="100", by=shop.cashier)
    assert (D(payment.amount), D(payment.tendered), D(payment.change)) == (D("60"), D("100"), D("40"))
    assert s.account(order.id).outstanding == 0
    with pytest.raises(InvalidInput, match="nothing left to pay"):
        s.take_payment(order.id, "cash", "1", by=shop.cashier)


def test_cash_tendered_below_amount_is_refused(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(InvalidInput, match="less than the amount"):
        s.take_payment(order.id, "cash", "50", tendered="20", by=shop.cashier)
    assert Payment.select().count() == 0


def test_advisor_cannot_take_payments(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(NotAllowed, match="cashier"):
        s.take_payment(order.id, "card", "10", by=shop.advisor)


def test_settling_issues_gapless_invoice_numbers_and_stores_the_bill(shop):
    a = shop.ready_for_settlement()
    b = shop.ready_for_settlement(shop.car2)
    s.take_payment(a.id, "card", "60", by=shop.cashier)
    first = s.settle(a.id, by=shop.cashier)
    second = s.settle_fully(b.id, shop.cashier)
    assert (first.number, second.number) == (1, 2)
    assert D(first.total) == D("60.00") and D(first.this_payment) == D("60.00")
    assert "Oil and filter change" in first.lines_json
    order = RepairOrder.get_by_id(a.id)
    assert order.state == "settled" and order.settled_at == clock.now()
    assert Event.select().where((Event.order == a.id) & (Event.kind == "settle")).get().actor_id == shop.cashier.id


def test_settling_twice_is_refused_with_the_invoice_number(shop):
    order = shop.settled()
    with pytest.raises(IllegalTransition, match="already settled by Hu Xin: invoice 1"):
        s.settle(order.id, by=shop.cashier)
    assert Settlement.select().count() == 1


def test_the_board_cannot_settle_without_the_cashier(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(IllegalTransition, match="settled by the cashier"):
        lifecycle.transition(order.id, "settle", by=shop.cashier)
    assert RepairOrder.get_by_id(order.id).state == "ready_settlement"


SETTLE_SCRIPT = textwrap.dedent("""
    import sys, time, os
    from models.db import open_database
    from models.people import Staff
    from workshop import settlement
    from workshop.errors import DomainError
    open_database(sys.argv[1])
    go = sys.argv[4]
    while not os.path.exists(go):
        time.sleep(0.01)
    try:
        inv = settlement.settle(int(sys.argv[2]), by=Staff.get(Staff.login == sys.argv[3]))
        print("OK", inv.number)
    except DomainError as e:
        print("REFUSED", e)
""")


def test_two_cashiers_settling_at_once_one_wins_and_one_invoice_number_is_used(shop, db_path, tmp_path):
    from tests.factories import make_staff
    make_staff("cash2", "Ma Li", "cashier")
    order = shop.ready_for_settlement()
    root = Path(__file__).resolve().parent.parent
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", SETTLE_SCRIPT, str(db_path), str(order.id), login, str(go)],
                              cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for login in ("hu.xin", "cash2")]
    time.sleep(0.5)
    go.touch()
    outputs = [p.communicate(timeout=60) for p in procs]
    results = sorted(out.strip() for out, _ in outputs)
    assert all(p.returncode == 0 for p in procs), outputs
    assert results[0] == "OK 1", outputs
    assert results[1].startswith("REFUSED") and "already settled" in results[1] and "invoice 1" in results[1]
    assert Settlement.select().count() == 1
    assert OrderCounter.get(OrderCounter.name == "invoice").next_value == 2


def test_void_leaves_the_original_beside_its_reversal_and_reopens_the_order(shop):
    order = shop.settled()
    original = s.current_invoice(order.id)
    with pytest.raises(NotAllowed):
        s.void(order.id, "wrong price", by=shop.cashier)
    with pytest.raises(InvalidInput, match="Reason is required"):
        s.void(order.id, "  ", by=shop.manager)
    reversal = s.void(order.id, "Wrong labor rate", by=shop.manager)
    kept = Settlement.get_by_id(original.id)
    assert (kept.kind, kept.number, D(kept.total)) == ("invoice", 1, D("60.00"))
    assert (reversal.kind, reversal.reverses_id, D(reversal.total)) == ("void", original.id, D("-60.00"))
    assert RepairOrder.get_by_id(order.id).state == "ready_settlement"
    # The payment stays; the next invoice counts it as already received and takes the next number.
    again = s.settle(order.id, by=shop.cashier)
    assert again.number == 2 and D(again.received_before) == D("60.00") and D(again.this_payment) == 0
    assert Event.select().where((Event.order == order.id) & (Event.kind == "invoice_voided")).exists()


def test_refund_is_a_new_negative_payment_and_reopens_the_balance(shop):
    order = shop.settled()
    payment = Payment.get(Payment.order == order.id)
    with pytest.raises(InvalidInput, match="Only 60.00"):
        s.refund(payment.id, "double charge", by=shop.manager, amount="70")
    back = s.refund(payment.id, "Card charged twice", by=shop.manager, amount="20")
    assert D(back.amount) == D("-20") and back.reverses_id == payment.id
    assert D(Payment.get_by_id(payment.id).amount) == D("60")
    assert s.account(order.id).outstanding == D("20.00")
    assert D(OpenBalance.get(OpenBalance.order == order.id).amount) == D("20")


def test_settled_order_is_read_only(shop):
    order = shop.settled()
    with pytest.raises(IllegalTransition, match="read-only"):
        s.add_fee(order.id, "other", "10", by=shop.advisor)
    with pytest.raises(IllegalTransition, match="read-only"):
        s.set_adjustment(order.id, kind="percent", value="5", reason="late", by=shop.manager)
    with pytest.raises(IntegrityError, match="read-only"):
        JobLine.update(billed_hours=D("5")).where(JobLine.order == order.id).execute()
    with pytest.raises(IntegrityError, match="never changed"):
        Payment.update(amount=D("1")).execute()
    with pytest.raises(IntegrityError, match="never changed"):
        Settlement.delete().execute()
    assert FeeLine.select().count() == 0 and Adjustment.select().count() == 0


def test_fees_and_adjustment_within_the_role_limit(shop):
    order = shop.ready_for_settlement()
    s.add_fee(order.id, "management", "40", by=shop.advisor)   # customer share 100.00
    with pytest.raises(NotAllowed, match="up to 5% .* 6.00%"):
        s.set_adjustment(order.id, kind="amount", value="6", reason="goodwill", by=shop.advisor)
    with pytest.raises(InvalidInput, match="Reason is required"):
        s.set_adjustment(order.id, kind="percent", value="3", reason="", by=shop.advisor)
    assert Adjustment.select().count() == 0
    s.set_adjustment(order.id, kind="percent", value="5", reason="loyal customer", by=shop.advisor)
    assert s.bill_for(order.id).customer_share == D("95.00")
    s.set_adjustment(order.id, kind="percent", value="20", reason="complaint", by=shop.manager)
    assert s.bill_for(order.id).customer_share == D("80.00")
    assert Adjustment.select().count() == 1
    with pytest.raises(InvalidInput, match="Unknown fee"):
        s.add_fee(order.id, "tip", "5", by=shop.advisor)
    with pytest.raises(NotAllowed):
        s.add_fee(order.id, "other", "5", by=shop.cashier)
    assert FeeLine.select().count() == 1


def test_car_leaves_only_when_paid_or_on_account_with_a_manager(shop):
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "card", "10", by=shop.cashier)
    s.settle(order.id, by=shop.cashier)
    with pytest.raises(IllegalTransition, match="still owes 50.00"):
        s.release(order.id, by=shop.cashier)
    with pytest.raises(NotAllowed):
        s.approve_on_account(order.id, "fleet account", by=shop.cashier)
    s.approve_on_account(order.id, "Fleet, monthly invoice", by=shop.manager)
    assert s.release(order.id, by=shop.cashier).state == "delivered"
    assert OnAccountRelease.get(OnAccountRelease.order == order.id).by_id == shop.manager.id
    assert s.receivables()[0].amount == D("50.00")


def test_unsettled_car_cannot_be_released(shop):
    order = shop.ready_for_settlement()
    with pytest.raises(IllegalTransition):
        s.release(order.id, by=shop.cashier)


def test_receivables_age_by_invoice_date_and_a_later_payment_clears_them(shop):
    ages = {}
    for days, car in ((10, shop.car), (45, shop.car2), (100, shop.car3)):
        clock.freeze(dt.datetime(2026, 11, 20, 9) - dt.timedelta(days=days))
        order = shop.ready_for_settlement(car)
        s.take_payment(order.id, "card", "20", by=shop.cashier)
        s.settle(order.id, by=shop.cashier)
        s.approve_on_account(order.id, "regular", by=shop.manager)
        s.release(order.id, by=shop.cashier)
        ages[days] = order
    clock.freeze(dt.datetime(2026, 11, 20, 9))
    rows = s.receivables()
    assert [(r.number, r.bucket) for r in rows] == [(ages[100].number, "90+"), (ages[45].number, "31-60"),
                                                     (ages[10].number, "0-30")]
    # VIP car2: 0.5 h x 120 with 15 % off = 51.00; 31.00 owing. General: 40.00 owing.
    assert s.aging() == {"0-30": D("40.00"), "31-60": D("31.00"), "61-90": D("0.00"), "90+": D("40.00")}
    assert [r.plate for r in s.receivables("粤A")] == ["粤A88888"]
    s.take_payment(ages[100].id, "transfer", "40", by=shop.cashier)
    assert s.aging()["90+"] == D("0.00")
    assert OpenBalance.select().count() == 2


def test_cash_up_per_cashier_and_method_for_the_day(shop):
    from tests.factories import make_staff
    other = make_staff("cash2", "Ma Li", "cashier")
    a, b, c = (shop.ready_for_settlement(car) for car in (shop.car, shop.car2, shop.car3))
    s.take_payment(a.id, "cash", "60", tendered="100", by=shop.cashier)
    s.take_payment(b.id, "card", "30", by=shop.cashier)
    s.take_payment(b.id, "cash", "21", by=other)
    s.take_payment(c.id, "cash", "10", by=shop.cashier)
    s.refund(Payment.get((Payment.order == c.id)).id, "wrong car", by=shop.manager)
    clock.advance(days=1)
    s.take_payment(c.id, "cash", "5", by=shop.cashier)  # tomorrow: not in today's cash-up
    rows = s.cash_up(dt.date(2026, 11, 20))
    got = {(r.cashier, r.method): (r.count, r.amount) for r in rows}
    assert got == {("Hu Xin", "cash"): (2, D("70.00")), ("Hu Xin", "card"): (1, D("30.00")),
                   ("Ma Li", "cash"): (1, D("21.00")), ("Zhou Min", "cash"): (1, D("-10.00"))}


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["pay", "cash", "refund"]),
                                st.decimals(min_value=D("0.01"), max_value=D("80"), places=2)), max_size=8))
def test_received_plus_outstanding_is_the_total_after_any_payments_and_refunds(shop, steps):
    order = shop.ready_for_settlement(shop.car2)  # VIP: 51.00
    try:
        for kind, amount in steps:
            try:
                if kind == "refund":
                    last = Payment.select().where((Payment.order == order.id) & (Payment.amount > 0)) \
                        .order_by(Payment.id.desc()).first()
                    if last:
                        s.refund(last.id, "test", by=shop.manager, amount=min(amount, D(last.amount)))
                else:
                    s.take_payment(order.id, "cash" if kind == "cash" else "card", amount, by=shop.cashier)
            except DomainError:
                pass
            acc = s.account(order.id)
            assert acc.received + acc.outstanding == acc.due == D("51.00")
            assert acc.received <= acc.due
    finally:
        RepairOrder.update(state="cancelled").where(RepairOrder.id == order.id).execute()


@pytest.mark.parametrize("call,message", [
    (lambda shop, o: s.add_fee(o.id, "management", "-3", by=shop.advisor), "Fee amount cannot be negative"),
    (lambda shop, o: s.add_fee(o.id, "management", "x", by=shop.advisor), "Fee amount must be a number"),
    (lambda shop, o: s.set_adjustment(o.id, kind="percent", value="120", reason="x", by=shop.manager),
     "more than 100%"),
    (lambda shop, o: s.set_adjustment(o.id, kind="amount", value="61", reason="x", by=shop.manager),
     "more than the customer's share"),
    (lambda shop, o: s.approve_on_account(o.id, "", by=shop.manager), "Reason is required"),
    (lambda shop, o: s.approve_on_account(o.id, "fleet", by=shop.manager), "not settled yet"),
    (lambda shop, o: s.void(o.id, "typo", by=shop.manager), "no invoice to void"),
])
def test_every_bad_presettlement_input_is_refused_and_writes_nothing(shop, call, message):
    order = shop.ready_for_settlement()
    events = Event.select().count()
    with pytest.raises(DomainError, match=message):
        call(shop, order)
    assert FeeLine.select().count() == Adjustment.select().count() == OnAccountRelease.select().count() == 0
    assert Settlement.select().count() == 0 and Event.select().count() == events


def test_refund_needs_a_reason_and_a_manager(shop):
    order = shop.settled()
    payment = Payment.get(Payment.order == order.id)
    with pytest.raises(InvalidInput, match="Reason is required"):
        s.refund(payment.id, "", by=shop.manager)
    with pytest.raises(NotAllowed):
        s.refund(payment.id, "changed mind", by=shop.cashier)
    assert Payment.select().count() == 1


def test_insurance_order_bills_the_insurer_less_the_deductible(shop):
    order = shop.ready_for_settlement(codes=("BD001",), business_type="insurance")
    RepairOrder.update(assessed_amount=D("300"), deductible=D("100")).where(RepairOrder.id == order.id).execute()
    # Body 2 h x 160 = 320.00 for the insurer: assessed 300 less deductible 100 -> insurer 200.00;
    # customer pays deductible 100 + the 20.00 above the assessment = 120.00.
    invoice = s.settle_fully(order.id, shop.cashier)
    assert (D(invoice.insurer_share), D(invoice.customer_share), D(invoice.total)) == (D("200"), D("120"), D("320"))
    assert s.paid(order.id) == D("120.00")


def test_last_payment_is_the_latest_that_is_not_a_refund(shop):
    order = shop.ready_for_settlement()
    assert s.last_payment(order.id) is None
    s.take_payment(order.id, "card", "25", by=shop.cashier)
    s.take_payment(order.id, "mobile", "35.00", by=shop.cashier, reference="WX123")
    mobile = Payment.get((Payment.order == order.id) & (Payment.method == "mobile"))
    assert s.last_payment(order.id) == s.PaymentRow(mobile.id, "mobile", D("35.00"))
    s.settle(order.id, by=shop.cashier)
    s.refund(mobile.id, "Paid twice", by=shop.manager, amount="5")
    assert s.last_payment(order.id) == s.PaymentRow(mobile.id, "mobile", D("35.00"))


def test_preview_file_is_the_pre_settlement_bill_named_after_the_order(shop, tmp_path):
    from workshop.invoice import write_preview
    order = shop.ready_for_settlement()
    path = write_preview(order.id, directory=tmp_path / "previews")
    assert path == tmp_path / "previews" / f"preview-RO{order.number}.txt"
    text = path.read_text(encoding="utf-8")
    assert "预结算单" in text and "粤B12345" in text and "Oil and filter change" in text  # no Chinese name: English
