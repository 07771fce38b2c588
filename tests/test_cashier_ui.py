"""The cash desk driven with keys, as a cashier would: database, screen and invoice file all checked."""
from decimal import Decimal as D

from models.orders import RepairOrder
from models.settlement import Payment, Settlement
from screens.cashier import CashierScreen
from tests.ui import app_as, notifications, row_text, settled, wait_until
from workshop import settings
from workshop import settlement as service


def bill_shown(app) -> str:
    return str(app.screen.query_one("#bill").content)


async def pay(pilot, method_downs: int, amount: str, tendered: str = ""):
    await pilot.press("m")
    await settled(pilot)
    if method_downs:  # back to the method, open its list, pick: the cursor moves on to the amount
        await pilot.press("shift+tab", "enter", *["down"] * method_downs, "enter")
    await pilot.press("ctrl+u", *amount)
    if tendered:
        await pilot.press("tab", *tendered)
    await pilot.press("enter")
    await settled(pilot)


async def test_cashier_settles_with_a_split_payment_and_gets_an_invoice_file(shop, tmp_path):
    settings.put("invoice_dir", str(tmp_path / "inv"), by=shop.manager)
    settings.put("document_language", "en", by=shop.manager)  # the shop's documents in English
    order = shop.ready_for_settlement(shop.car2)   # VIP: 0.5 h x 120 less 15 % = 51.00
    async with app_as(shop.cashier).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        await settled(pilot)
        assert isinstance(pilot.app.screen, CashierScreen)
        assert "粤A88888" in str(pilot.app.screen.query_one("#orders").get_row_at(0))
        assert "Customer pays" in bill_shown(pilot.app) and "51.00" in bill_shown(pilot.app)
        await pay(pilot, 1, "20")                       # card 20.00
        await pay(pilot, 0, "100", tendered="100")      # cash: the rest, 31.00, change 69.00
        payments = list(Payment.select().order_by(Payment.id))
        assert [(p.method, D(p.amount)) for p in payments] == [("card", D("20")), ("cash", D("31"))]
        assert D(payments[1].change) == D("69")
        assert any("change 69.00" in n for n in notifications(pilot.app))
        await pilot.press("s")
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "settled"
        invoice = Settlement.get(Settlement.order == order.id)
        assert invoice.number == 1
        path = tmp_path / "inv" / "invoice-000001.txt"
        assert any(str(path) in n for n in notifications(pilot.app))
        text = path.read_text(encoding="utf-8")
        for field in ("Pearl River Logistics", "LVGBM53K1RG000002", "粤A88888", "Toyota Camry 2.0", "M20A-123456",
                      "Invoice no.", "Date in", "20,000 km", "QS001 Oil and filter change", "Labor receivable",
                      "60.00", "Labor charged", "51.00", "Material receivable", "Management fee", "Towing / rescue",
                      "Total", "Already received", "This payment", "Outstanding", "Card", "Cash"):
            assert field in text, field
        html = (tmp_path / "inv" / "invoice-000001.html").read_text(encoding="utf-8")
        assert "INVOICE 000001" in html and "LVGBM53K1RG000002" in html and "Outstanding" in html
        assert "INVOICE 000001" in bill_shown(pilot.app)
        await pilot.press("r")                          # paid in full: the car may go
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "delivered"


async def test_cashier_finds_an_order_by_plate_and_cannot_void(shop):
    shop.ready_for_settlement()
    other = shop.ready_for_settlement(shop.car2)
    async with app_as(shop.cashier).run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await settled(pilot)
        await pilot.press("slash", *"A888", "enter")
        assert await wait_until(pilot, lambda: [r.order_id for r in pilot.app.screen.rows] == [other.id])
        assert pilot.app.screen.check_action("void", ()) is False
        assert pilot.app.screen.check_action("settle", ()) is True


async def test_advisor_gives_an_extra_discount_within_the_limit_but_cannot_take_money(shop):
    order = shop.ready_for_settlement()
    async with app_as(shop.advisor).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        await settled(pilot)
        assert isinstance(pilot.app.screen, CashierScreen)
        assert pilot.app.screen.check_action("pay", ()) is False
        await pilot.press("a", "tab", *"10", "tab", *"Regular customer", "enter")  # (as a percent)
        await settled(pilot)
        form = pilot.app.screen  # refused: the form stays, with the limit beside the discount
        assert "up to 5%" in str(form.query_one("#note-value").content)
        assert form.raw("value") == "10" and form.raw("reason") == "Regular customer"
        assert pilot.app.focused is form.widget("value")
        assert service.bill_for(order.id).customer_share == D("60.00")
        await pilot.press("ctrl+u", "5", "enter")
        await settled(pilot)
        assert isinstance(pilot.app.screen, CashierScreen)
        assert service.bill_for(order.id).customer_share == D("57.00")
        assert await wait_until(pilot, lambda: "Extra discount" in bill_shown(pilot.app))


async def test_cashier_takes_a_later_payment_from_receivables_and_sees_the_cash_up(shop):
    order = shop.ready_for_settlement()
    service.take_payment(order.id, "cash", "10", by=shop.cashier)
    service.settle(order.id, by=shop.cashier)
    service.approve_on_account(order.id, "Pays at month end", by=shop.manager)
    service.release(order.id, by=shop.cashier)
    async with app_as(shop.cashier).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        await settled(pilot)
        await pilot.press("b")
        await settled(pilot)
        screen = pilot.app.screen
        assert "0-30: 50.00" in str(screen.query_one("#aging").content)
        assert "50.00" in str(screen.query_one("#owed").get_row_at(0))
        await pilot.press("enter")                     # to the queue, found by its RO number
        assert await wait_until(pilot, lambda: [r.order_id for r in screen.rows] == [order.id])
        await pay(pilot, 3, "50")                      # bank transfer, the rest
        assert service.account(order.id).outstanding == 0
        assert any("Receipt written" in n for n in notifications(pilot.app))
        await pilot.press("c")
        await settled(pilot)
        takings = screen.query_one("#takings")
        rows = [row_text(takings, i) for i in range(takings.row_count)]
        assert ["Hu Xin", "Cash", "1", "10.00"] in rows and ["Hu Xin", "Bank transfer", "1", "50.00"] in rows
        assert "total 60.00" in str(screen.query_one("#cash-title").content)


async def test_car_passing_qc_in_another_terminal_appears_in_the_queue_without_a_key(shop, db_path):
    import subprocess
    import sys
    import textwrap
    from pathlib import Path
    order = shop.ready_for_qc()
    async with app_as(shop.cashier).run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await settled(pilot)
        assert pilot.app.screen.rows == []
        script = textwrap.dedent(f"""
            from models import open_database
            from models.people import Staff
            from workshop import lifecycle
            open_database({str(db_path)!r})
            lifecycle.transition({order.id}, "qc_pass", by=Staff.get(Staff.login == "sun.hui"))
        """)
        subprocess.run([sys.executable, "-c", script], check=True, cwd=str(Path(__file__).parents[1]))
        assert await wait_until(pilot, lambda: [r.order_id for r in pilot.app.screen.rows] == [order.id])
        assert "60.00" in bill_shown(pilot.app)


async def test_advisor_opens_the_bill_from_the_order_and_adds_a_fee(shop):
    from screens.cashier import BillScreen
    order = shop.ready_for_settlement()
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BillScreen(order.id))
        await settled(pilot)
        assert "PRE-SETTLEMENT" in str(app.screen.query_one("#bill").content)
        await pilot.press("e", "enter", "down", "down", "enter", *"15", "enter")   # auxiliary materials 15.00
        await settled(pilot)
        assert service.bill_for(order.id).fees_by_kind["auxiliary"] == D("15.00")
        assert await wait_until(pilot, lambda: "75.00" in str(app.screen.query_one("#bill").content))


async def test_cashier_screen_is_kept_and_shows_what_changed_while_it_was_away(shop):
    first = shop.ready_for_settlement(shop.car2)
    async with app_as(shop.cashier).run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, CashierScreen))
        kept = pilot.app.screen
        orders = lambda: [str(kept.query_one("#orders").get_row_at(i))  # noqa: E731
                          for i in range(kept.query_one("#orders").row_count)]
        assert len(orders()) == 1 and "粤A88888" in orders()[0]
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CashierScreen))
        second = shop.ready_for_settlement(shop.car)  # meanwhile another terminal passes QC on a second car
        assert await wait_until(pilot, lambda: pilot.app.kept.missed.get("cashier") is not None)  # heard, not shown yet
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: len(orders()) == 2)
        assert pilot.app.screen is kept  # the same screen came back: nothing was built again
        assert {first.number, second.number} == {int(row.split("'")[1]) for row in orders()}


async def test_switching_user_drops_the_kept_screens_of_the_last_one(shop):
    async with app_as(shop.cashier).run_test(size=(120, 40)) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, CashierScreen))
        cashier = pilot.app.screen
        await pilot.press("escape", "ctrl+u")
        assert await wait_until(pilot, lambda: pilot.app.staff is None and not pilot.app.kept.missed)
        assert not pilot.app.is_screen_installed("cashier")
        assert await wait_until(pilot, lambda: not cashier.is_running)  # removed, not left running
