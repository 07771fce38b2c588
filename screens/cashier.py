"""The cash desk: the queue of cars to settle, the bill, payments, settling and the invoice file;
receivables with their aging and the day's cash-up. The advisor pre-settles from the same screen
(fees and extra discount); keys a role may not use are hidden."""
from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (DataTable, Header, Input, Label, OptionList, Static, TabbedContent,
                             TabPane)

from models.settlement import FEE_KINDS, FEE_LABELS, METHOD_LABELS, PAYMENT_METHODS
from screens.dialogs import ConfirmText
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from workshop import lifecycle
from workshop import settlement as service
from workshop.errors import DomainError
from workshop import document_files
from workshop.i18n import _
from workshop.invoice import bill_text
from workshop.permissions import can

PAGE = 100


class PaymentModal(ModalScreen[dict | None]):
    """Method (arrow keys), amount, cash tendered, reference; Enter takes the payment, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, label: str, balance: Decimal):
        super().__init__()
        self.label = label
        self.balance = balance

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-box"):
            yield Label(f"Payment for {self.label}: balance {service.money(self.balance)}")
            yield OptionList(*[f"{METHOD_LABELS[m]}" for m in PAYMENT_METHODS], id="method")
            with Horizontal(classes="row"):
                yield Label("Amount ", classes="field")
                yield Input(value=f"{self.balance:.2f}", id="amount")
            with Horizontal(classes="row"):
                yield Label("Tendered", classes="field")
                yield Input(placeholder="cash handed over", id="tendered")
            with Horizontal(classes="row"):
                yield Label("Ref/why ", classes="field")
                yield Input(placeholder="card slip no., or reason for on account", id="reference")
            yield Static("", id="change")
            yield Label("↑↓ method · Tab next field · Enter take · Esc cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#method", OptionList).highlighted = 0
        self.query_one("#method", OptionList).focus()

    @property
    def method(self) -> str:
        index = self.query_one("#method", OptionList).highlighted or 0
        return PAYMENT_METHODS[index]

    @on(Input.Changed)
    @on(OptionList.OptionHighlighted)
    def show_change(self, event=None) -> None:
        text = ""
        if self.method == "cash":
            try:
                amount = min(Decimal(self.query_one("#amount", Input).value or "0"), self.balance)
                tendered = Decimal(self.query_one("#tendered", Input).value or "0")
                if tendered >= amount > 0:
                    text = f"Change: {service.money(tendered - amount)}"
            except ArithmeticError:
                text = ""
        elif self.method == "account":
            text = "On account: a manager approves releasing the car with the balance owing."
        self.query_one("#change", Static).update(text)

    @on(OptionList.OptionSelected)
    def to_amount(self) -> None:
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        self.dismiss({"method": self.method, "amount": self.query_one("#amount", Input).value,
                      "tendered": self.query_one("#tendered", Input).value,
                      "reference": self.query_one("#reference", Input).value})

    def action_cancel(self) -> None:
        self.dismiss(None)


class FeeModal(ModalScreen[dict | None]):
    """Fee kind (arrow keys), amount and description."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="payment-box"):
            yield Label("Add a fee to the bill")
            yield OptionList(*[FEE_LABELS[k] for k in FEE_KINDS], id="kind")
            with Horizontal(classes="row"):
                yield Label("Amount  ", classes="field")
                yield Input(id="amount")
            with Horizontal(classes="row"):
                yield Label("Descr.  ", classes="field")
                yield Input(placeholder="optional", id="description")
            yield Label("↑↓ kind · Tab next field · Enter add · Esc cancel", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#kind", OptionList).highlighted = 0
        self.query_one("#kind", OptionList).focus()

    @on(OptionList.OptionSelected)
    def to_amount(self) -> None:
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        index = self.query_one("#kind", OptionList).highlighted or 0
        self.dismiss({"kind": FEE_KINDS[index], "amount": self.query_one("#amount", Input).value,
                      "description": self.query_one("#description", Input).value})

    def action_cancel(self) -> None:
        self.dismiss(None)


EXPORT_LIMIT = 10_000  # rows an export writes at most


class CashierScreen(KeptScreen):
    CSS_PATH = "cashier.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Board"),
        Binding("slash", "search", "Find"),
        Binding("m", "pay", "Payment"),
        Binding("s", "settle", "Settle"),
        Binding("i", "print", "Invoice"),
        Binding("r", "release", "Release"),
        Binding("e", "fee", "Fee"),
        Binding("a", "adjust", "Discount"),
        Binding("w", "preview", "Preview"),
        Binding("b", "tab('receivables')", "Owed"),
        Binding("c", "tab('cashup')", "Cash-up"),
        Binding("q", "tab('queue')", "Queue", show=False),
        Binding("o", "on_account", "On account", show=False),
        Binding("v", "void", "Void", show=False),
        Binding("u", "refund", "Refund", show=False),
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Prev page", show=False),
    ]
    ACTION_PERMISSIONS = {"pay": "settle", "settle": "settle", "print": "settle", "release": "release_car",
                          "fee": "presettle", "adjust": "presettle", "on_account": "approve_on_account",
                          "void": "void_refund", "refund": "void_refund"}
    QUEUE_TABS = ("queue",)

    def __init__(self):
        super().__init__()
        self.page = 0
        self.rows: list[service.QueueRow] = []
        self.receivable_rows: list[service.Receivable] = []
        self.last_files: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("Queue", id="queue"):
                yield Input(placeholder="/ find plate or RO number (Enter)", id="search")
                with Horizontal(id="desk"):
                    yield Table(id="orders", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="bill-pane"):
                        yield Static("", id="bill")
            with TabPane("Receivables", id="receivables"):
                yield Static("", id="aging")
                yield Table(id="owed", cursor_type="row", zebra_stripes=True)
            with TabPane("Cash-up", id="cashup"):
                yield Static("", id="cash-title")
                yield Table(id="takings", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Cashier"
        self.query_one("#orders", DataTable).add_columns("RO", "Plate", "Customer", "State")
        self.query_one("#owed", DataTable).add_columns("RO", "Plate", "Customer", "Mobile", "Since", "Age",
                                                       "Owing")
        self.query_one("#takings", DataTable).add_columns("Cashier", "Method", "Count", "Amount")
        self.load_queue()
        self.query_one("#orders", DataTable).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        needed = self.ACTION_PERMISSIONS.get(action)
        if needed is not None and not can(self.app.staff, needed):
            return False
        return True

    # --- loading ---------------------------------------------------------------------------------
    def load_queue(self, keep_id: int | None = None) -> None:
        table = self.query_one("#orders", DataTable)
        keep_id = keep_id if keep_id is not None else self.selected_id()
        search = self.query_one("#search", Input).value
        self.rows = service.cashier_queue(search, limit=PAGE, offset=self.page * PAGE)
        table.clear()
        for row in self.rows:
            table.add_row(str(row.number), row.plate, row.customer[:18],
                          "to settle" if row.state == lifecycle.READY_SETTLEMENT else lifecycle.label(row.state),
                          key=str(row.order_id))
        for index, row in enumerate(self.rows):
            if row.order_id == keep_id:
                table.move_cursor(row=index)
        self.show_bill()

    def load_receivables(self) -> None:
        aging = service.aging()
        self.query_one("#aging", Static).update(
            "Outstanding by age (days):  " + "  ".join(f"{k}: {service.money(v)}" for k, v in aging.items()))
        table = self.query_one("#owed", DataTable)
        table.clear()
        self.receivable_rows = service.receivables(limit=PAGE)
        for r in self.receivable_rows:
            table.add_row(str(r.number), r.plate, r.customer[:18], r.mobile, r.since.isoformat(), r.bucket,
                          service.money(r.amount), key=str(r.order_id))

    def load_cashup(self) -> None:
        from workshop import clock
        rows = service.cash_up(clock.today())
        total = sum((r.amount for r in rows), Decimal("0"))
        cash = sum((r.amount for r in rows if r.method == "cash"), Decimal("0"))
        self.query_one("#cash-title", Static).update(
            f"Takings {clock.today():%Y-%m-%d}: total {service.money(total)} · cash in drawer {service.money(cash)}")
        table = self.query_one("#takings", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.cashier, METHOD_LABELS.get(r.method, r.method), str(r.count), service.money(r.amount))

    def export_list(self) -> tuple[str, list]:
        """What "Export this list" writes: the receivables when that tab is shown, else the whole queue."""
        if self.query_one("#tabs", TabbedContent).active == "receivables":
            return "receivables", service.receivables(limit=EXPORT_LIMIT)
        return "cashier_queue", service.cashier_queue(limit=EXPORT_LIMIT)

    @on(TabbedContent.TabActivated)
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id if event.pane else ""
        if pane == "receivables":
            self.load_receivables()
        elif pane == "cashup":
            self.load_cashup()

    def selected_id(self) -> int | None:
        table = self.query_one("#orders", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row].order_id

    def selected(self) -> service.QueueRow | None:
        order_id = self.selected_id()
        return next((r for r in self.rows if r.order_id == order_id), None)

    @on(DataTable.RowHighlighted, "#orders")
    def show_bill(self) -> None:
        order_id = self.selected_id()
        bill = self.query_one("#bill", Static)
        if order_id is None:
            bill.update("No car waiting at the desk." if not self.query_one("#search", Input).value
                        else "Nothing found: try a plate (粤B123) or an RO number.")
            return
        acc = service.account(order_id)
        row = self.selected()
        state = lifecycle.label(row.state) if row else ""
        owing = f"owes {service.money(acc.outstanding)}" if acc.outstanding > 0 else "paid in full"
        approved = " · on account approved" if acc.on_account else ""
        summary = (f"RO {row.number if row else ''} · {state}\nCustomer pays {service.money(acc.due)} · "
                   f"received {service.money(acc.received)} · {owing}{approved}\n")
        bill.update(Text(summary + bill_text(order_id, width=46)))  # names are data, not markup

    # Changes that can add a car to the desk, take one off, or change what it owes.
    DESK_KINDS = frozenset({"qc_pass", "settle", "void", "deliver", "payment", "refund", "fee_added",
                            "adjustment", "on_account", "cancel"})

    def refresh_from_changes(self, changes) -> None:
        """Another terminal passed QC, paid, settled or released something: reload the (bounded) queue."""
        shown = {row.order_id for row in self.rows}
        if changes.overflow or changes.kinds & self.DESK_KINDS or changes.order_ids & shown:
            self.load_queue()

    # --- actions ---------------------------------------------------------------------------------
    def _run(self, fn, *args, success: str | None = None, **kwargs):
        try:
            result = fn(*args, **kwargs)
        except DomainError as exc:
            self.notify(str(exc), severity="error")
            return None
        if success:
            self.notify(success)
        return result

    def _need_order(self) -> service.QueueRow | None:
        row = self.selected()
        if row is None:
            self.notify("Select an order in the queue first.", severity="warning")
        return row

    def action_search(self) -> None:
        self.query_one("#tabs", TabbedContent).active = "queue"
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.page = 0
        self.load_queue()
        self.query_one("#orders", DataTable).focus()

    def action_tab(self, pane: str) -> None:
        self.query_one("#tabs", TabbedContent).active = pane
        table = {"queue": "#orders", "receivables": "#owed", "cashup": "#takings"}[pane]
        self.query_one(table, DataTable).focus()

    def action_page(self, step: int) -> None:
        if step > 0 and len(self.rows) < PAGE or self.page + step < 0:
            return
        self.page += step
        self.load_queue()

    def action_pay(self) -> None:
        row = self._need_order()
        if row is None:
            return
        balance = service.balance(row.order_id)
        if balance <= 0:
            self.notify(f"RO {row.number} has nothing left to pay.", severity="warning")
            return

        def done(result: dict | None) -> None:
            if not result:
                return
            if result["method"] == "account":
                if self._run(service.approve_on_account, row.order_id, result["reference"], by=self.app.staff,
                             success=f"RO {row.number}: release on account approved."):
                    self.load_queue(row.order_id)
                return
            payment = self._run(service.take_payment, row.order_id, result["method"], result["amount"],
                                by=self.app.staff, tendered=result["tendered"] or None,
                                reference=result["reference"])
            if payment is not None:
                change = f" · change {service.money(payment.change)}" if payment.change else ""
                left = service.balance(row.order_id)
                self.notify(f"{METHOD_LABELS[payment.method]} {service.money(payment.amount)} taken{change}. "
                            f"Outstanding {service.money(max(left, Decimal('0')))}.")
                self._tell_files(payment.documents, _("Receipt written: {paths}"))
                self.load_queue(row.order_id)

        self.app.push_screen(PaymentModal(f"RO {row.number}", balance), done)

    def action_settle(self) -> None:
        row = self._need_order()
        if row is None:
            return
        invoice = self._run(service.settle, row.order_id, by=self.app.staff, seen_version=None)
        if invoice is None:
            return
        owed = service.balance(row.order_id)
        self.notify(f"RO {row.number} settled: invoice {invoice.number}, total {service.money(invoice.total)}"
                    + (f", outstanding {service.money(owed)}" if owed > 0 else "") + ".")
        self._tell_files(invoice.documents, _("Invoice files written: {paths}"))
        self.load_queue(row.order_id)

    def _tell_files(self, written, message: str) -> None:
        """Where the document's files went, or why they could not be written (the money is on record)."""
        if written.error:
            self.notify(written.error, severity="error", timeout=15)
        elif written.paths:
            self.last_files = written.paths
            self.notify(message.format(paths=", ".join(str(p) for p in written.paths)))

    def action_print(self) -> None:
        row = self._need_order()
        if row is None:
            return
        invoice = service.current_invoice(row.order_id)
        if invoice is None:
            self.notify(f"RO {row.number} is not settled yet: press s to settle (w writes a preview).",
                        severity="warning")
            return
        written = self._run(service.write_documents, row.order_id, by=self.app.staff)
        if written is not None:
            self._tell_files(written, _("Invoice files written: {paths}"))

    def action_preview(self) -> None:
        """Write the pre-settlement bill as a file the customer can be shown."""
        row = self._need_order()
        if row is None:
            return
        written = document_files.write_preview(row.order_id)
        self.notify(written.error or _("Pre-settlement preview written: {path}").format(path=written.paths[0]),
                    severity="error" if written.error else "information")

    def action_release(self) -> None:
        row = self._need_order()
        if row is None:
            return
        if self._run(service.release, row.order_id, by=self.app.staff,
                     success=f"RO {row.number} released to the customer."):
            self.load_queue()

    def action_fee(self) -> None:
        row = self._need_order()
        if row is None:
            return

        def done(result):
            if result and self._run(service.add_fee, row.order_id, result["kind"], result["amount"],
                                    by=self.app.staff, description=result["description"],
                                    success="Fee added."):
                self.load_queue(row.order_id)

        self.app.push_screen(FeeModal(), done)

    def action_adjust(self) -> None:
        row = self._need_order()
        if row is None:
            return
        limit = service.discount_limit(self.app.staff)

        def got_value(value):
            if value is None:
                return
            text = value.replace(" ", "")
            kind = "percent" if text.endswith("%") else "amount"
            number = text.rstrip("%")

            def got_reason(reason):
                if reason is None:
                    return
                if self._run(service.set_adjustment, row.order_id, kind=kind, value=number, reason=reason,
                             by=self.app.staff, success="Extra discount set."):
                    self.load_queue(row.order_id)
                elif number in ("0", "0.00"):
                    self.load_queue(row.order_id)

            if number in ("0", "0.00"):
                got_reason("")
                return
            self.app.push_screen(ConfirmText("Reason for the extra discount", "Reason"), got_reason)

        self.app.push_screen(ConfirmText(f"Extra discount: 5% or an amount such as 20.00 (your limit {limit}%; "
                                         "0 clears)", "Discount"), got_value)

    def action_on_account(self) -> None:
        row = self._need_order()
        if row is None:
            return

        def done(reason):
            if reason and self._run(service.approve_on_account, row.order_id, reason, by=self.app.staff,
                                    success=f"RO {row.number}: release on account approved."):
                self.load_queue(row.order_id)

        self.app.push_screen(ConfirmText(f"Release RO {row.number} on account: reason", "Reason"), done)

    def action_void(self) -> None:
        row = self._need_order()
        if row is None:
            return

        def done(reason):
            if reason and self._run(service.void, row.order_id, reason, by=self.app.staff,
                                    success=f"RO {row.number}: invoice voided; back in the queue to settle."):
                self.load_queue(row.order_id)

        self.app.push_screen(ConfirmText(f"Void the invoice of RO {row.number}: reason", "Reason"), done)

    def action_refund(self) -> None:
        row = self._need_order()
        if row is None:
            return
        last = service.last_payment(row.order_id)
        if last is None:
            self.notify(f"RO {row.number} has no payment to refund.", severity="warning")
            return

        def done(reason):
            if reason and self._run(service.refund, last.id, reason, by=self.app.staff,
                                    success=f"Refunded the {METHOD_LABELS[last.method]} payment of "
                                            f"{service.money(last.amount)}."):
                self.load_queue(row.order_id)

        self.app.push_screen(ConfirmText(f"Refund the last payment ({METHOD_LABELS[last.method]} "
                                         f"{service.money(last.amount)}): reason", "Reason"), done)

    @on(DataTable.RowSelected, "#owed")
    def pay_old_order(self, event: DataTable.RowSelected) -> None:
        """Enter on a receivable: find that order in the queue to take a later payment."""
        row = self.receivable_rows[event.cursor_row] if event.cursor_row < len(self.receivable_rows) else None
        if row is None:
            return
        self.query_one("#search", Input).value = str(row.number)
        self.query_one("#tabs", TabbedContent).active = "queue"
        self.page = 0
        self.load_queue(row.order_id)
        self.query_one("#orders", DataTable).focus()


class BillScreen(ModalScreen[None]):
    """The advisor's pre-settlement of one order (from the order screen): the bill as it stands,
    with fees, an extra discount within the advisor's limit, and a preview file for the customer."""

    BINDINGS = [Binding("escape", "dismiss", "Close"), Binding("e", "fee", "Fee"),
                Binding("a", "adjust", "Discount"), Binding("w", "preview", "Preview file")]
    DEFAULT_CSS = """
    BillScreen { align: center middle; }
    BillScreen > VerticalScroll { width: 52; max-width: 100%; height: 100%; border: thick $accent;
                                  background: $panel; }
    """

    def __init__(self, order_id: int):
        super().__init__()
        self.order_id = order_id

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="bill")
            yield Label("e fee · a extra discount · w preview file · Esc close", classes="muted")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one("#bill", Static).update(Text(bill_text(self.order_id, width=46)))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("fee", "adjust") and not can(self.app.staff, "presettle"):
            return False
        return True

    def _run(self, fn, *args, success: str = "", **kwargs) -> bool:
        try:
            fn(*args, **kwargs)
        except DomainError as exc:
            self.notify(str(exc), severity="error")
            return False
        if success:
            self.notify(success)
        self.reload()
        return True

    def action_fee(self) -> None:
        def done(result):
            if result:
                self._run(service.add_fee, self.order_id, result["kind"], result["amount"], by=self.app.staff,
                          description=result["description"], success="Fee added.")
        self.app.push_screen(FeeModal(), done)

    def action_adjust(self) -> None:
        limit = service.discount_limit(self.app.staff)

        def got_value(value):
            if value is None:
                return
            text = value.replace(" ", "")
            kind = "percent" if text.endswith("%") else "amount"
            number = text.rstrip("%")
            if number in ("0", "0.00"):
                self._run(service.set_adjustment, self.order_id, kind=kind, value=number, reason="",
                          by=self.app.staff, success="Extra discount cleared.")
                return
            self.app.push_screen(ConfirmText("Reason for the extra discount", "Reason"),
                                 lambda reason: reason and self._run(
                                     service.set_adjustment, self.order_id, kind=kind, value=number, reason=reason,
                                     by=self.app.staff, success="Extra discount set."))

        self.app.push_screen(ConfirmText(f"Extra discount: 5% or an amount such as 20.00 (your limit {limit}%; "
                                         "0 clears)", "Discount"), got_value)

    def action_preview(self) -> None:
        written = document_files.write_preview(self.order_id)
        self.notify(written.error or _("Pre-settlement preview written: {path}").format(path=written.paths[0]),
                    severity="error" if written.error else "information")
