"""The cashier's screens: orders to settle, the bill with payments and the invoice, receivables, cash-up.
The advisor reaches the same bill from the order (b) to pre-settle: fees and extra discounts."""
from __future__ import annotations

from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Select, Static, TabbedContent, TabPane

from models.settlement import PAYMENT_METHODS
from screens.dialogs import ConfirmText
from screens.paged import PagedTable
from workshop import clock, invoice as invoice_files, settlement
from workshop.errors import DomainError
from workshop.lifecycle import SETTLED, get_order, label
from workshop.permissions import can


def money(value) -> str:
    return "—" if value is None else f"{Decimal(value):,.2f}"


def _queue_row(r: settlement.QueueRow):
    status = "to settle" if r.state != SETTLED else (
        f"owes {money(r.outstanding)}" if r.outstanding else "paid: release")
    return (f"RO {r.number}", r.plate, r.customer, r.business_type.replace("_", " "),
            r.qc_passed_at.strftime("%a %H:%M") if r.qc_passed_at else "", str(r.invoice_number or ""), status)


def _receivable_row(r: settlement.Receivable):
    return (str(r.invoice_number), f"RO {r.order_number}", r.customer, r.mobile, f"{r.at:%Y-%m-%d}", str(r.days),
            r.bucket, money(r.outstanding))


class CashierScreen(Screen):
    CSS_PATH = "cashier.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Board"), Binding("slash", "search", "Search"),
                Binding("enter", "open_bill", "Bill", show=False), Binding("t", "take_payment", "Take payment"),
                Binding("1", "tab('queue')", "To settle", show=False),
                Binding("2", "tab('receivables')", "Receivables", show=False),
                Binding("3", "tab('cashup')", "Cash-up", show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ find by plate or RO number", id="search")
        with TabbedContent(initial="queue"):
            with TabPane("To settle [1]", id="queue"):
                yield PagedTable(("RO", "Plate", "Customer", "Type", "QC passed", "Invoice", "Status"), _queue_row,
                                 id="queue-table")
            with TabPane("Receivables [2]", id="receivables"):
                yield Static(id="aging")
                yield PagedTable(("Invoice", "RO", "Customer", "Mobile", "Date", "Days", "Age", "Outstanding"),
                                 _receivable_row, id="recv-table")
            with TabPane("Cash-up [3]", id="cashup"):
                yield Label("", id="cashup-title")
                yield DataTable(id="cashup-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Cashier"
        self.query_one("#cashup-table", DataTable).add_columns("Cashier", "Method", "Payments", "Total")
        self.reload()
        self.query_one("#queue-table").focus()

    def reload(self) -> None:
        text = self.query_one("#search", Input).value
        self.query_one("#queue-table", PagedTable).load(
            lambda n, o: settlement.cashier_queue(text, limit=n, offset=o))
        self.query_one("#recv-table", PagedTable).load(lambda n, o: settlement.receivables(limit=n, offset=o))
        aging = settlement.aging()
        self.query_one("#aging", Static).update(
            "Outstanding by age:  " + "   ".join(f"{k} days {money(v)}" for k, v in aging.items()))
        today = clock.today()
        self.query_one("#cashup-title", Label).update(f"Takings on {today:%a %Y-%m-%d}")
        table = self.query_one("#cashup-table", DataTable)
        table.clear()
        total = Decimal("0")
        for name, method, count, amount in settlement.cash_up(today):
            table.add_row(name, method, str(count), money(amount))
            total += amount
        table.add_row("All", "", "", money(total))

    def refresh_from_changes(self, changes) -> None:
        self.reload()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(Input.Submitted, "#search")
    def searched(self) -> None:
        self.reload()
        self.action_tab("queue")
        self.query_one("#queue-table").focus()

    @on(DataTable.RowSelected, "#queue-table")
    def action_open_bill(self) -> None:
        row = self.query_one("#queue-table", PagedTable).selected
        if row is None:
            self.notify("No order to settle.", severity="warning")
            return
        self.app.push_screen(BillScreen(row.order_id))

    def action_take_payment(self) -> None:
        row = self.query_one("#recv-table", PagedTable).selected
        if self.query_one(TabbedContent).active != "receivables" or row is None:
            self.notify("Pick an outstanding invoice on the Receivables tab (2).", severity="warning")
            return

        def paid(result) -> None:
            if result:
                try:
                    settlement.take_payment(row.invoice_number, *result, by=self.app.staff)
                except DomainError as error:
                    self.notify(str(error), severity="error", timeout=8)
                else:
                    self.notify(f"Payment taken on invoice {row.invoice_number}.")
                self.reload()
        self.app.push_screen(PaymentDialog(row.outstanding), paid)


class PaymentDialog(ModalScreen):
    """Method, amount and (for cash) what the customer hands over; the change is shown as you type."""
    DEFAULT_CSS = """
    PaymentDialog { align: center middle; }
    PaymentDialog > Vertical { width: 60; max-width: 95%; height: auto; border: thick $accent;
                               background: $panel; padding: 1 2; }
    PaymentDialog Input, PaymentDialog Select { margin-bottom: 0; }
    PaymentDialog #change { color: $success; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "submit", "Take payment")]

    def __init__(self, balance: Decimal):
        super().__init__()
        self.balance = balance

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Balance {money(self.balance)}")
            yield Select([(m, m) for m in PAYMENT_METHODS], value="cash", allow_blank=False, id="method")
            yield Input(value=f"{self.balance:.2f}", placeholder="Amount", id="amount", max_length=14)
            yield Input(placeholder="Cash tendered (cash only)", id="tendered", max_length=14)
            yield Static("", id="change")
            yield Label("Enter / Ctrl+S take payment · Esc cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#amount").focus()

    @on(Input.Changed)
    def show_change(self) -> None:
        try:
            tendered = Decimal(self.query_one("#tendered", Input).value or "0")
            amount = Decimal(self.query_one("#amount", Input).value or "0")
        except Exception:
            return
        text = f"Change {money(tendered - amount)}" if tendered > amount else ""
        self.query_one("#change", Static).update(text)

    @on(Input.Submitted)
    def action_submit(self) -> None:
        method = self.query_one("#method", Select).value
        amount = self.query_one("#amount", Input).value.strip()
        tendered = self.query_one("#tendered", Input).value.strip() or None
        self.dismiss((method, amount, tendered if method == "cash" else None))

    def action_cancel(self) -> None:
        self.dismiss(None)


class BillScreen(Screen):
    """One order's bill: receivable beside charged per line, totals, payments; settle and release."""
    CSS_PATH = "cashier.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("s", "settle", "Settle & pay"),
        Binding("p", "pay", "Payment"),
        Binding("i", "print", "Invoice file"),
        Binding("r", "release", "Release car"),
        Binding("f", "fee", "Add fee"),
        Binding("d", "discount", "Discount"),
        Binding("v", "void", "Void"),
        Binding("o", "on_account", "On account"),
    ]
    ACTION_PERMISSIONS = {"settle": "settle", "pay": "settle", "release": "release_car", "fee": "presettle",
                          "discount": "presettle", "void": "void_refund", "on_account": "approve_on_account"}

    def __init__(self, order_id: int):
        super().__init__()
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="bill-head")
        yield DataTable(id="bill-lines", cursor_type="row", zebra_stripes=True)
        yield Static(id="bill-totals")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bill-lines", DataTable).add_columns("Section", "Item", "Qty", "Price", "Receivable", "Disc",
                                                             "Charged", "Payer")
        self.reload()
        self.query_one("#bill-lines").focus()

    def check_action(self, action: str, parameters) -> bool | None:
        needed = self.ACTION_PERMISSIONS.get(action)
        return True if needed is None else can(self.app.staff, needed)

    def reload(self) -> None:
        self.order = order = get_order(self.order_id)
        self.invoice = settlement.current_invoice(order.id)
        self.title = f"Bill — {order.label}"
        v, c = order.vehicle, order.customer
        self.query_one("#bill-head", Static).update(
            f"{order.label}  {v.plate}  {v.model}  · {c.name} {c.mobile} · {label(order.state)}"
            + (f" · invoice {self.invoice.number}" if self.invoice else " · not settled yet"))
        table = self.query_one("#bill-lines", DataTable)
        table.clear()
        if self.invoice:
            lines = [(l.section, f"{l.code or ''} {l.description}", l.qty, l.unit_price, l.receivable, l.discount_pct,
                      l.charged, l.payer) for l in self.invoice.lines]
            inv = self.invoice
            shares = {"customer": inv.customer_due, "insurer": inv.insurer_due, "manufacturer": inv.manufacturer_due,
                      "internal": inv.internal_cost}
            tax, total, tax_included = inv.tax, inv.total, inv.tax_included
            paid, outstanding = inv.paid, inv.outstanding
        else:
            bill = settlement.bill_for(order)
            lines = [(l.section, f"{l.code} {l.description}", l.qty, l.unit_price, l.receivable, l.discount_pct,
                      l.charged, l.payer) for l in bill.all_lines]
            shares, tax, total, tax_included = bill.shares, bill.tax, bill.total, bill.tax_included
            paid, outstanding = Decimal("0"), shares["customer"]
        for section, item, qty, price, receivable, disc, charged, payer in lines:
            table.add_row(section, item[:40], f"{Decimal(qty):f}".rstrip("0").rstrip("."), money(price),
                          money(receivable), f"{Decimal(disc):f}".rstrip("0").rstrip(".") + "%" if disc else "",
                          money(charged), payer)
        others = "  ".join(f"{p}: {money(a)}" for p, a in shares.items() if a and p != "customer")
        self.query_one("#bill-totals", Static).update(
            f"Total {money(total)}  (VAT {'incl.' if tax_included else 'added'} {money(tax)})  {others}\n"
            f"Customer pays {money(shares['customer'])} · received {money(paid)} · "
            f"[b]outstanding {money(outstanding)}[/b]")

    def refresh_from_changes(self, changes) -> None:
        if self.order_id in changes.order_ids or changes.overflow:
            self.reload()

    def _do(self, fn, *args, success: str = "", **kwargs):
        try:
            result = fn(*args, by=self.app.staff, **kwargs)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            return None
        finally:
            self.reload()
        if success:
            self.notify(success)
        return result

    def action_settle(self) -> None:
        if self.invoice:
            self.notify(f"{self.order.label} is already settled (invoice {self.invoice.number}).", severity="warning")
            return
        due = settlement.bill_for(self.order).shares["customer"]

        def paid(result) -> None:
            if result is None:
                return
            payments = [result] if due > 0 and (result[1] or result[2]) else []
            inv = self._do(settlement.settle, self.order_id, payments, seen_version=self.order.version)
            if inv:
                self._write_files(inv.number, f"Settled: invoice {inv.number}, outstanding {money(inv.outstanding)}.")
        self.app.push_screen(PaymentDialog(due), paid)

    def action_pay(self) -> None:
        if not self.invoice or self.invoice.outstanding <= 0:
            self.notify("Nothing outstanding on this order.", severity="warning")
            return
        number = self.invoice.number

        def paid(result) -> None:
            if result and self._do(settlement.take_payment, number, *result) is not None:
                self._write_files(number, "Payment taken.")
        self.app.push_screen(PaymentDialog(self.invoice.outstanding), paid)

    def _write_files(self, number: int, message: str) -> None:
        text_path, html_path = invoice_files.write(number)
        self.notify(f"{message} Invoice files: {text_path}, {html_path.name}", timeout=10)

    def action_print(self) -> None:
        if not self.invoice:
            self.notify("Settle first: the invoice is made at settlement.", severity="warning")
            return
        self._write_files(self.invoice.number, "Invoice written.")

    def action_release(self) -> None:
        self._do(settlement.release, self.order_id, seen_version=self.order.version,
                 success=f"{self.order.label}: car released to the customer.")

    def action_fee(self) -> None:
        def given(answer: str | None) -> None:
            if answer:
                parts = answer.split(maxsplit=2)
                if len(parts) < 3:
                    self.notify("Type: kind amount description, e.g. 'towing 150 Tow from Panyu'.", severity="error")
                    return
                kind, amount, description = parts
                self._do(settlement.add_fee, self.order_id, kind.lower(), description, amount,
                         seen_version=self.order.version, success="Fee added.")
        self.app.push_screen(ConfirmText("Fee: kind (management, auxiliary, sublet, towing, other), amount, "
                                         "description", "towing 150 Tow from Panyu", max_length=140), given)

    def action_discount(self) -> None:
        def given(answer: str | None) -> None:
            if answer:
                pct, _, reason = answer.partition(" ")
                self._do(settlement.give_discount, self.order_id, pct.rstrip("%"), reason,
                         seen_version=self.order.version, success="Extra discount given.")
        limit = settlement.discount_limit(self.app.staff)
        self.app.push_screen(ConfirmText(f"Extra discount % and reason (your limit {limit}%)", "5 loyal customer",
                                         max_length=210), given)

    def action_void(self) -> None:
        def given(reason: str | None) -> None:
            if reason:
                self._do(settlement.void, self.order_id, reason, seen_version=self.order.version,
                         success="Settlement voided: the order can be settled again.")
        self.app.push_screen(ConfirmText(f"Void the settlement of {self.order.label}? Reason", "Reason"), given)

    def action_on_account(self) -> None:
        def given(reason: str | None) -> None:
            if reason:
                self._do(settlement.approve_on_account, self.order_id, reason,
                         success="Release on account approved.")
        self.app.push_screen(ConfirmText("Release with a balance on account: reason", "Reason"), given)
