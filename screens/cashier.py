"""The cash desk: the queue of cars to settle, the bill, payments, settling and the invoice file;
receivables with their aging and the day's cash-up. The advisor pre-settles from the same screen
(fees and extra discount); keys a role may not use are hidden."""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Label, Static, TabbedContent, TabPane

from models.settlement import FEE_KINDS, FEE_LABELS, METHOD_LABELS, PAYMENT_METHODS
from screens import forms
from screens.acting import Acting
from screens.dialogs import reason_form
from screens.forms import FormDialog
from screens.insurance import insurer_payment_call, insurer_payment_form, paid_message
from screens.kept_screen import KeptScreen
from screens.live_search import LiveSearch
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, cut, literal
from workshop import claim_figures, document_files, insurance, lifecycle, shops
from workshop import settlement as service
from workshop.i18n import N_, _, join, label
from workshop.invoice import bill_text

PAGE = 100
AMOUNT_MAX = 1_000_000  # yuan: above this, a typing slip (the services refuse it too)


class PaymentForm(FormDialog):
    """Method, amount, cash tendered (the change is worked out as it is typed), reference."""

    def __init__(self, label_: str, balance: Decimal):
        self.balance = balance
        super().__init__(_("Payment for {order}: balance {balance}").format(order=label_,
                                                                             balance=service.money(balance)), [
            forms.choice("method", _("Method"), [(label(METHOD_LABELS, m), m) for m in PAYMENT_METHODS],
                         value="cash"),
            forms.number("amount", _("Amount"), value=f"{balance:.2f}", minimum="0.01", maximum=AMOUNT_MAX),
            forms.number("tendered", _("Cash tendered"), required=False, maximum=AMOUNT_MAX,
                         hint=_("cash handed over")),
            forms.text("reference", _("Reference / why"), required=False, max_length=40, also=("reason",),
                       hint=_("card slip no., or the reason for on account")),
        ], submit_label=_("Take payment"), focus="amount")

    def changed(self, name: str) -> None:
        hint = None
        method = self.raw("method")
        if method == "cash":
            try:
                amount = min(forms.parse_number(self.fields["amount"], self.raw("amount") or "0"), self.balance)
                tendered = forms.parse_number(self.fields["tendered"], self.raw("tendered") or "0")
            except Exception:
                return
            if tendered >= amount > 0:
                hint = _("Change: {change}").format(change=service.money(tendered - amount))
        elif method == "account":
            hint = _("On account: a manager approves releasing the car with the balance owing.")
        if name != "tendered" or hint:
            self.show_note("tendered", None, hint=hint)


def fee_form() -> FormDialog:
    return FormDialog(_("Add a fee to the bill"), [
        forms.choice("kind", _("Fee"), [(label(FEE_LABELS, k), k) for k in FEE_KINDS]),
        forms.number("amount", _("Amount"), minimum="0.01", maximum=AMOUNT_MAX),
        forms.text("description", _("Details"), required=False, max_length=100),
    ], submit_label=_("Add fee"))


EXPORT_LIMIT = 10_000  # rows an export writes at most


def _insurer_row(row: insurance.InsurerReceivable):
    return (row.insurer, row.number, row.plate, row.claim_no or "—", row.since.isoformat(), row.bucket,
            service.money(row.amount), row.customer)


def discount_form(limit) -> FormDialog:
    return FormDialog(_("Extra discount (your limit {limit}%; 0 clears it)").format(limit=limit), [
        forms.choice("kind", _("As"), [(_("percent of the customer's share"), "percent"),
                                       (_("an amount"), "amount")], value="percent"),
        forms.number("value", _("Discount"), maximum=AMOUNT_MAX),
        forms.text("reason", _("Reason"), required=False, hint=_("needed unless clearing")),
    ], submit_label=_("Set discount"))


class PreSettling:
    """The advisor's pre-settlement keys, on the cashier's screen and on the bill from the order screen:
    fees, an extra discount within the role's limit, a preview file. ``bill_order()`` names the order."""

    def bill_order(self) -> int | None:
        raise NotImplementedError

    def action_fee(self) -> None:
        order_id = self.bill_order()
        if order_id is not None:
            self.ask(fee_form(), lambda v: partial(service.add_fee, order_id, v["kind"], v["amount"],
                                                   description=v["description"] or ""),
                     success=_("Fee added."))

    def action_adjust(self) -> None:
        order_id = self.bill_order()
        if order_id is not None:
            self.ask(discount_form(service.discount_limit(self.app.staff)),
                     lambda v: partial(service.set_adjustment, order_id, kind=v["kind"], value=v["value"],
                                       reason=v["reason"] or ""),
                     success=lambda result: _("Extra discount set.") if result else _("Extra discount cleared."))

    def action_preview(self) -> None:
        """Write the pre-settlement bill as a file the customer can be shown (in a worker: a PDF takes a
        moment)."""
        order_id = self.bill_order()
        if order_id is not None:
            self.act(document_files.write_preview, order_id, as_staff=False, then=self._previewed)

    def _previewed(self, written) -> None:
        self.notify(written.error or _("Pre-settlement preview written: {path}").format(path=written.paths[0]),
                    severity="error" if written.error else "information")

    def tell_files(self, written, message: str) -> None:
        """Where a document's files went, or why they could not be written (the money is on record)."""
        if written.error:
            self.notify(written.error, severity="error", timeout=15)
        elif written.paths:
            self.last_files = written.paths
            self.notify(message.format(paths=join(str(p) for p in written.paths)))


class CashierScreen(PreSettling, Acting, KeptScreen):
    CSS_PATH = "cashier.tcss"
    BINDINGS = [
        Binding("m", "pay", N_("Payment")),
        Binding("s", "settle", N_("Settle")),
        Binding("r", "release", N_("Release")),
        Binding("i", "print", N_("Invoice")),
        Binding("slash", "search", N_("Find")),
        Binding("e", "fee", N_("Fee")),
        Binding("a", "adjust", N_("Discount")),
        Binding("w", "preview", N_("Preview")),
        Binding("b", "tab('receivables')", N_("Owed")),
        Binding("c", "tab('cashup')", N_("Cash-up")),
        Binding("n", "tab('insurers')", N_("Insurers")),
        Binding("m", "insurer_pay", N_("Insurer payment")),
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("q", "tab('queue')", N_("Queue"), show=False),
        Binding("o", "on_account", N_("On account"), show=False),
        Binding("v", "void", N_("Void"), show=False),
        Binding("u", "refund", N_("Refund"), show=False),
        Binding("pagedown", "page(1)", N_("Next page"), show=False),
        Binding("pageup", "page(-1)", N_("Previous page"), show=False),
    ]
    PERMISSIONS = {"pay": "settle", "settle": "settle", "print": "settle", "release": "release_car",
                          "fee": "presettle", "adjust": "presettle", "on_account": "approve_on_account",
                          "void": "void_refund", "refund": "void_refund", "insurer_pay": "insurer_payments"}
    QUEUE_TABS = ("queue",)

    def __init__(self):
        super().__init__()
        self.page = 0
        self.rows: list[service.QueueRow] = []
        self.receivable_rows: list[service.Receivable] = []
        self.last_files: tuple | None = None
        # Searches run in a worker (screens/live_search.py): typing a plate never waits for a query.
        self.queue_search = LiveSearch(self, lambda text, page, keep_id: (
            service.cashier_queue(text, limit=PAGE, offset=page * PAGE,
                                  shop=shops.scope(self.app.staff)), keep_id), self._show_queue)
        self.owed_search = LiveSearch(self, lambda text: service.receivables(
            text, limit=PAGE, shop=shops.scope(self.app.staff)), self._show_owed)

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane(_("Queue"), id="queue"):
                yield Input(placeholder=_("/ find plate or RO number (Enter)"), id="search")
                with Horizontal(id="desk"):
                    yield Table(id="orders", cursor_type="row", zebra_stripes=True)
                    with VerticalScroll(id="bill-pane"):
                        yield Static("", id="bill")
            with TabPane(_("Receivables"), id="receivables"):
                yield Static("", id="aging")
                yield Input(placeholder=_("/ find customer, plate or RO number"), id="owed-search")
                yield Table(id="owed", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Cash-up"), id="cashup"):
                yield Static("", id="cash-title")
                yield Table(id="takings", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Insurers"), id="insurers"):
                yield Table(id="insurer-aging", cursor_type="row")
                yield Input(placeholder=_("/ find: insurer, plate, RO or claim report no. (Enter)"),
                            id="insurer-search")
                yield PagedTable((_("Insurer"), _("RO"), _("Plate"), _("Claim report no."), _("Invoiced"), _("Days"),
                                  _("Owed"), _("Customer")), _insurer_row, id="insurer-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Cashier")
        self.query_one("#orders", DataTable).add_columns(_("RO"), _("Plate"), _("Customer"), _("State"))
        self.query_one("#owed", DataTable).add_columns(_("RO"), _("Plate"), _("Customer"), _("Mobile"), _("Since"),
                                                       _("Age"), _("Owing"))
        self.query_one("#takings", DataTable).add_columns(_("Cashier"), _("Method"), _("Count"), _("Amount"))
        self.query_one("#insurer-aging", DataTable).add_columns(
            _("Insurer owes"), *[_("{days} days").format(days=name) for name, _low, _high in service.AGING_BUCKETS],
            _("Total"), _("Orders"))
        self.load_queue()
        self.query_one("#orders", DataTable).focus()

    # --- loading ---------------------------------------------------------------------------------
    def load_queue(self, keep_id: int | None = None) -> None:
        keep_id = keep_id if keep_id is not None else self.selected_id()
        search = self.query_one("#search", Input).value.strip()
        if search:
            self.queue_search.now(search, self.page, keep_id)
        else:
            self.queue_search.cancel()
            self._show_queue((service.cashier_queue(limit=PAGE, offset=self.page * PAGE,
                                                         shop=shops.scope(self.app.staff)), keep_id))

    def _show_queue(self, answer: tuple[list[service.QueueRow], int | None]) -> None:
        self.rows, keep_id = answer
        table = self.query_one("#orders", DataTable)
        table.clear()
        for row in self.rows:
            table.add_row(*cells(row.number, row.plate, cut(row.customer, 18),
                                 _("to settle") if row.state == lifecycle.READY_SETTLEMENT
                                 else lifecycle.label(row.state)), key=str(row.order_id))
        for index, row in enumerate(self.rows):
            if row.order_id == keep_id:
                table.move_cursor(row=index)
        self.show_bill()

    def load_receivables(self) -> None:
        aging = service.aging(shops.scope(self.app.staff))
        self.query_one("#aging", Static).update(literal(
            _("Outstanding by age (days):") + "  " + "  ".join(f"{k}: {service.money(v)}" for k, v in aging.items())))
        search = self.query_one("#owed-search", Input).value.strip()
        if search:
            self.owed_search.now(search)
        else:
            self.owed_search.cancel()
            self._show_owed(service.receivables(limit=PAGE, shop=shops.scope(self.app.staff)))

    def _show_owed(self, rows: list[service.Receivable]) -> None:
        self.receivable_rows = rows
        table = self.query_one("#owed", DataTable)
        table.clear()
        for r in self.receivable_rows:
            table.add_row(*cells(r.number, r.plate, cut(r.customer, 18), r.mobile, r.since.isoformat(), r.bucket,
                                 service.money(r.amount)), key=str(r.order_id))

    def load_cashup(self) -> None:
        from workshop import clock
        rows = service.cash_up(clock.today(), shop=shops.scope(self.app.staff))
        total = sum((r.amount for r in rows), Decimal("0"))
        cash = sum((r.amount for r in rows if r.method == "cash"), Decimal("0"))
        self.query_one("#cash-title", Static).update(literal(
            _("Takings {date}: total {total} · cash in drawer {cash}").format(
                date=f"{clock.today():%Y-%m-%d}", total=service.money(total), cash=service.money(cash))))
        table = self.query_one("#takings", DataTable)
        table.clear()
        for r in rows:
            table.add_row(*cells(r.cashier, label(METHOD_LABELS, r.method), r.count, service.money(r.amount)))

    def load_insurers(self) -> None:
        """What insurers still owe: by insurer and age, then order by order (oldest first)."""
        table = self.query_one("#insurer-aging", DataTable)
        table.clear()
        for row in claim_figures.insurer_aging(shops.scope(self.app.staff)):
            table.add_row(*cells(row.insurer, *[service.money(row.buckets[name]) if row.buckets[name] else "·"
                                                for name, _low, _high in service.AGING_BUCKETS],
                                 service.money(row.total), row.orders))
        text = self.query_one("#insurer-search", Input).value
        self.query_one("#insurer-table", PagedTable).load(
            lambda n, o: insurance.receivables(text, limit=n, offset=o, shop=shops.scope(self.app.staff)))

    def export_list(self) -> tuple[str, list]:
        """What "Export this list" writes: the receivables when that tab is shown, else the whole queue."""
        active = self.query_one("#tabs", TabbedContent).active
        if active == "insurers":
            return "insurer_receivables", insurance.receivables(self.query_one("#insurer-search", Input).value,
                                                               limit=EXPORT_LIMIT, shop=shops.scope(self.app.staff))
        if active == "receivables":
            return "receivables", service.receivables(limit=EXPORT_LIMIT, shop=shops.scope(self.app.staff))
        return "cashier_queue", service.cashier_queue(limit=EXPORT_LIMIT, shop=shops.scope(self.app.staff))

    @on(TabbedContent.TabActivated)
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id if event.pane else ""
        if pane == "receivables":
            self.load_receivables()
        elif pane == "cashup":
            self.load_cashup()
        elif pane == "insurers":
            self.load_insurers()
        self.refresh_bindings()

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
            bill.update(_("No car waiting at the desk.") if not self.query_one("#search", Input).value
                        else _("Nothing found: try a plate (粤B123) or an RO number."))
            return
        acc = service.account(order_id)
        row = self.selected()
        state = lifecycle.label(row.state) if row else ""
        owing = (_("owes {amount}").format(amount=service.money(acc.outstanding)) if acc.outstanding > 0
                 else _("paid in full"))
        if acc.on_account:
            owing += " · " + _("on account approved")
        head = _("RO {number}").format(number=row.number) if row else ""
        summary = (f"{head} · {state}\n" + _("Customer pays {due} · received {received} · {owing}").format(
            due=service.money(acc.due), received=service.money(acc.received), owing=owing) + "\n")
        bill.update(literal(summary + bill_text(order_id, width=46), multiline=True))

    # Changes that can add a car to the desk, take one off, or change what it owes.
    DESK_KINDS = frozenset({"qc_pass", "settle", "void", "deliver", "payment", "refund", "fee_added",
                            "adjustment", "on_account", "cancel"})

    def refresh_from_changes(self, changes) -> None:
        """Another terminal passed QC, paid, settled or released something: reload the (bounded) queue."""
        shown = {row.order_id for row in self.rows}
        if changes.overflow or changes.kinds & self.DESK_KINDS or changes.order_ids & shown:
            self.load_queue()
        if self.tab == "insurers" and (changes.overflow or changes.kinds & self.INSURER_KINDS):
            self.load_insurers()

    INSURER_KINDS = frozenset({"insurer_payment", "insurer_receivable", "settle", "void"})

    @property
    def tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def offers(self, action: str, parameters) -> bool | None:
        """m takes the customer's payment, on the insurers' tab the insurer's (the queue's keys rest there)."""
        if action == "insurer_pay":
            return self.tab == "insurers"
        if action in self.QUEUE_ACTIONS:  # (they act on the queue's order, out of sight there)
            return self.tab != "insurers"
        return True

    QUEUE_ACTIONS = frozenset({"pay", "settle", "print", "release", "fee", "adjust", "preview", "on_account", "void",
                               "refund"})

    # --- actions ---------------------------------------------------------------------------------
    def bill_order(self) -> int | None:
        row = self._need_order()
        return row.order_id if row else None

    def after_acting(self) -> None:
        if self.is_attached:
            self.load_queue()
            if self.tab == "insurers":
                self.load_insurers()

    def _need_order(self) -> service.QueueRow | None:
        row = self.selected()
        if row is None:
            self.notify(_("Select an order in the queue first."), severity="warning")
        return row

    def action_search(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active == "receivables":
            self.query_one("#owed-search", Input).focus()
            return
        if tabs.active == "insurers":
            self.query_one("#insurer-search", Input).focus()
            return
        tabs.active = "queue"
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def search_typed(self, event: Input.Changed) -> None:
        self.page = 0
        if event.value.strip():
            self.queue_search.request(event.value.strip(), 0, None)
        else:
            self.load_queue()

    @on(Input.Submitted, "#insurer-search")
    def insurer_search_done(self) -> None:
        self.load_insurers()
        self.query_one("#insurer-table", PagedTable).focus()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.page = 0
        self.load_queue()
        self.query_one("#orders", DataTable).focus()

    @on(Input.Changed, "#owed-search")
    def owed_search_typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.owed_search.request(event.value.strip())
        else:
            self.load_receivables()

    @on(Input.Submitted, "#owed-search")
    def owed_search_done(self) -> None:
        self.load_receivables()
        self.query_one("#owed", DataTable).focus()

    def action_tab(self, pane: str) -> None:
        self.query_one("#tabs", TabbedContent).active = pane
        table = {"queue": "#orders", "receivables": "#owed", "cashup": "#takings", "insurers": "#insurer-table"}[pane]
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
            self.notify(_("RO {number} has nothing left to pay.").format(number=row.number), severity="warning")
            return

        chosen: dict = {}

        def call(values: dict) -> partial:
            chosen.update(values)
            if values["method"] == "account":
                return partial(service.approve_on_account, row.order_id, values["reference"] or "")
            return partial(service.take_payment, row.order_id, values["method"], values["amount"],
                           tendered=values["tendered"], reference=values["reference"] or "")

        def taken(payment) -> None:
            if chosen["method"] == "account":  # approved: nothing taken
                self.notify(_("RO {number}: release on account approved.").format(number=row.number))
                return
            left = service.balance(row.order_id)
            text = _("{method} {amount} taken").format(method=label(METHOD_LABELS, payment.method),
                                                       amount=service.money(payment.amount))
            if payment.change:
                text += " · " + _("change {change}").format(change=service.money(payment.change))
            self.notify(_("{taken}. Outstanding {left}.").format(taken=text,
                                                                 left=service.money(max(left, Decimal("0")))))
            self.tell_files(payment.documents, _("Receipt written: {paths}"))

        self.ask(PaymentForm(_("RO {number}").format(number=row.number), balance), call, then=taken)

    def action_settle(self) -> None:
        row = self._need_order()
        if row is None:
            return

        def settled(invoice) -> None:
            owed = service.balance(row.order_id)
            text = _("RO {number} settled: invoice {invoice}, total {total}.").format(
                number=row.number, invoice=invoice.number, total=service.money(invoice.total))
            if owed > 0:
                text += " " + _("Outstanding {left}.").format(left=service.money(owed))
            text += self._money_from_others(row.order_id, invoice)
            self.notify(text)
            self.tell_files(invoice.documents, _("Invoice files written: {paths}"))

        self.act(service.settle, row.order_id, seen_version=None, then=settled)

    @staticmethod
    def _money_from_others(order_id: int, invoice) -> str:
        """What settling opened besides the customer's bill: the insurer's share, a drafted warranty claim."""
        from workshop import warranty
        text = ""
        if Decimal(str(invoice.insurer_share or 0)) > 0:
            text += " " + _("The insurer owes {amount} (n: insurers).").format(
                amount=service.money(invoice.insurer_share))
        claim = warranty.claim_of_order(order_id)
        if claim is not None and claim.state == warranty.DRAFT:
            text += " " + _("{claim} drafted: {amount} to claim from {maker} (Warranty claims).").format(
                claim=warranty.claim_label(claim.number), amount=service.money(claim.claimed), maker=claim.manufacturer)
        return text

    def action_print(self) -> None:
        row = self._need_order()
        if row is None:
            return
        invoice = service.current_invoice(row.order_id)
        if invoice is None:
            self.notify(_("RO {number} is not settled yet: press s to settle (w writes a preview).").format(
                number=row.number), severity="warning")
            return
        # A copy with everything received to date, written by the settlement service (in a worker).
        self.act(service.write_documents, row.order_id,
                 then=lambda written: self.tell_files(written, _("Invoice files written: {paths}")))

    def action_release(self) -> None:
        row = self._need_order()
        if row is not None:
            self.act(service.release, row.order_id,
                     success=_("RO {number} released to the customer.").format(number=row.number))

    def _with_reason(self, service_call, title: str, done: str) -> None:
        """A manager's step on the selected order that needs a reason (release on account, void)."""
        row = self._need_order()
        if row is not None:
            self.ask(reason_form(title.format(number=row.number)),
                     lambda v: partial(service_call, row.order_id, v["reason"]), success=done.format(number=row.number))

    def action_on_account(self) -> None:
        self._with_reason(service.approve_on_account, _("Release RO {number} on account"),
                          _("RO {number}: release on account approved."))

    def action_void(self) -> None:
        self._with_reason(service.void, _("Void the invoice of RO {number}"),
                          _("RO {number}: invoice voided; back in the queue to settle."))

    def action_refund(self) -> None:
        row = self._need_order()
        if row is None:
            return
        last = service.last_payment(row.order_id)
        if last is None:
            self.notify(_("RO {number} has no payment to refund.").format(number=row.number), severity="warning")
            return
        what = _("{method} payment of {amount}").format(method=label(METHOD_LABELS, last.method),
                                                        amount=service.money(last.amount))
        self.ask(reason_form(_("Refund the last payment ({payment})").format(payment=what)),
                 lambda v: partial(service.refund, last.id, v["reason"]),
                 success=_("Refunded the {payment}.").format(payment=what))

    @on(PagedTable.RowSelected, "#insurer-table")
    def action_insurer_pay(self) -> None:
        """The insurer's payment against the selected order (part or all of what it owes)."""
        row = self.query_one("#insurer-table", PagedTable).selected
        if row is None:
            self.notify(_("No insurer owes anything."), severity="warning")
            return
        if not self.check_action("insurer_pay", ()):
            return
        self.ask(insurer_payment_form(row), lambda v: insurer_payment_call(row, v),
                 success=lambda payment: paid_message(row, payment))

    @on(DataTable.RowSelected, "#owed")
    def pay_old_order(self, event: DataTable.RowSelected) -> None:
        """Enter on a receivable: find that order in the queue to take a later payment."""
        row = self.receivable_rows[event.cursor_row] if event.cursor_row < len(self.receivable_rows) else None
        if row is None:
            return
        with self.prevent(Input.Changed):  # the search below, not one more after a pause
            self.query_one("#search", Input).value = str(row.number)
        self.query_one("#tabs", TabbedContent).active = "queue"
        self.page = 0
        self.load_queue(row.order_id)
        self.query_one("#orders", DataTable).focus()


class BillScreen(PreSettling, Acting, ModalScreen[None]):
    """The advisor's pre-settlement of one order (from the order screen): the bill as it stands,
    with fees, an extra discount within the advisor's limit, and a preview file for the customer."""

    BINDINGS = [Binding("e", "fee", N_("Fee")), Binding("a", "adjust", N_("Discount")),
                Binding("w", "preview", N_("Preview file")), Binding("escape", "dismiss", N_("Close"))]
    PERMISSIONS = {"fee": "presettle", "adjust": "presettle"}
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
            yield Label(_("e fee · a extra discount · w preview file · Esc close"), classes="muted")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one("#bill", Static).update(literal(bill_text(self.order_id, width=46), multiline=True))

    def bill_order(self) -> int | None:
        return self.order_id

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()
