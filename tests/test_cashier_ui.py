"""The cashier settles an order with the keyboard and the invoice files carry every field."""
from decimal import Decimal

from models.orders import RepairOrder
from models.settlement import Invoice, Payment
from tests.ui import app_as, notifications, wait_until
from workshop import invoice as invoice_files


async def test_cashier_settles_with_cash_and_gets_change_and_the_invoice_files(shop):
    order = shop.ready_for_settlement()
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CashierScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BillScreen")
        await pilot.press("s")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PaymentDialog")
        await pilot.press("tab", *"100", "ctrl+s")
        await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "settled")
        payment = Payment.get()
        assert (payment.amount, payment.change) == (Decimal("60"), Decimal("40"))
        await wait_until(pilot, lambda: any("Invoice files" in m for m in notifications(app)))
        await pilot.press("r")
        await wait_until(pilot, lambda: RepairOrder.get_by_id(order.id).state == "delivered")
    text = (invoice_files.output_dir() / "invoice-1.txt").read_text()
    for field in ("Invoice no.", "Wang Wei", "LVGBM53K5RG000001", "粤B12345", "Camry", "M20A-123456", "Date in",
                  "20,000 km", "LABOR", "Labor receivable", "Labor charged", "TOTAL", "60.00", "Received",
                  "Outstanding", "This payment (cash)", "Change", "40.00"):
        assert field in text, field
    assert "<td>LVGBM53K5RG000001</td>" in (invoice_files.output_dir() / "invoice-1.html").read_text()


async def test_payment_above_the_balance_by_card_is_refused_on_screen(shop):
    order = shop.ready_for_settlement()
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CashierScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BillScreen")
        await pilot.press("s")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PaymentDialog")
        app.screen.query_one("#method").value = "card"
        app.screen.query_one("#amount").value = "999"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("more than the balance" in m for m in notifications(app)))
        assert Invoice.select().count() == 0
        assert RepairOrder.get_by_id(order.id).state == "ready_settlement"
