"""The parts clerk's screen: the pick queue across orders, the catalog with the terminal's shop's stock (库存),
low stock, and in a group the stock transfer (调拨) to another shop's warehouse."""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane

from models.parts import UNIT_LABELS, UNITS
from screens import forms, part_actions
from screens import purchasing as buying
from screens.acting import Acting
from screens.dialogs import quantity_field, reason_form
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, cut, line, literal, message
from workshop import group_stock, i18n, lifecycle, part_catalog, parts, pick_requests, prepick, purchasing, shops
from workshop.errors import DomainError
from workshop.i18n import N_, _, day, join

QTY_MAX = part_actions.QTY_MAX
ASKED_SHOWN = 3  # pick requests listed above the queue (a screen, not a list: the queue has them all first)
COUNT_MAX = 999_999

fmt = parts.fmt


def _queue_row(row: parts.LineRow):
    return (row.order_number, day(row.promised_at), row.bin or "—", row.code, row.name,
            fmt(row.to_pick), parts.unit(row), fmt(row.reserved), fmt(row.on_hand), row.plate)


def _out_row(row: parts.LineRow):
    state = _("cancelled: return") if row.order_state == lifecycle.CANCELLED else lifecycle.label(row.order_state)
    return (row.order_number, state, row.bin or "—", row.code, row.name, fmt(row.out), parts.unit(row), row.plate)


def _others(free: Decimal | None, covers: Decimal | None = None):
    """The "Other shops" cell: the group's other shops' free stock of the part ("·" none); on tab 5 marked
    when it covers the whole suggested quantity (the clerk asks a sister shop before buying)."""
    if not free:
        return "·"
    if covers is not None and free >= covers:
        return literal(f"{fmt(free)} ✓", "bold green")
    return literal(fmt(free), "green")


def _stock_row(row: parts.StockRow, others=None, name_width=None):
    cells_ = [row.code, cut(row.name, name_width) if name_width else row.name, row.bin or "—", fmt(row.on_hand), fmt(row.reserved), fmt(row.available),
              parts.unit(row), f"{row.price:.2f}", row.fits]
    if others is not None:
        cells_.insert(6, _others(others.get(row.code)))
    return tuple(cells_)


def _prepick_row(row: prepick.PrepickRow):
    from screens.card import WEEKDAYS
    return (f"{_(WEEKDAYS[row.starts_at.weekday()])} {row.starts_at:%H:%M}", f"AP {row.appointment_number}",
            row.plate, row.bin or "—", row.code, fmt(row.qty), fmt(row.held),
            literal(fmt(row.short), "bold red") if row.short else "", parts.unit(row), row.name)


def _threshold(row: parts.StockRow):
    """The threshold that applies; in bold where it is the shop's own (``l``), not the catalogue's."""
    return literal(fmt(row.threshold), "bold") if row.own_threshold else fmt(row.threshold)


def _low_row(row: parts.StockRow, others=None, name_width=None):
    cells_ = [row.code, cut(row.name, name_width) if name_width else row.name, row.bin or "—", fmt(row.available), _threshold(row), fmt(row.suggested),
              parts.unit(row)]
    if others is not None:
        cells_.insert(4, _others(others.get(row.code)))
    return tuple(cells_)


def _order_row(row: purchasing.Suggestion, others=None, name_width=None):
    cells_ = list(buying.suggestion_row(row))
    if others is not None:
        cells_[1] = cut(row.part_name, name_width or 40)  # (a group's wide terminal: more of the name)
        cells_.insert(5, _others(others.get(row.part_code), covers=row.qty))
    return tuple(cells_)


class PartsScreen(Acting, KeptScreen):
    CSS_PATH = "parts.tcss"
    BINDINGS = [
        Binding("p", "pick_all", N_("Pick all")),
        Binding("q", "pick_qty", N_("Pick qty")),
        Binding("r", "return_part", N_("Return")),
        Binding("x", "exchange", N_("Exchange")),
        Binding("o", "old_part", N_("Old part")),
        Binding("g", "receive", N_("Goods in")),
        Binding("c", "count", N_("Count")),
        Binding("a", "new_part", N_("New part")),
        Binding("slash", "search", N_("Search")),
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("m", "move_bin", N_("Move bin"), show=False),
        Binding("t", "move_to_shop", N_("Transfer"), show=False),
        Binding("l", "threshold", N_("Threshold"), show=False),
        Binding("w", "where", N_("Shops' stock")),
        Binding("n", "new_po", N_("New PO")),
        Binding("g", "receive_po", N_("Arrived")),
        Binding("e", "expected", N_("ETA")),
        Binding("x", "cancel_po", N_("Cancel")),
        Binding("v", "late_only", N_("Late")),
        Binding("u", "suppliers", N_("Suppliers")),
        Binding("1", "tab('queue')", N_("Pick queue"), show=False),
        Binding("2", "tab('catalog')", N_("Catalog"), show=False),
        Binding("3", "tab('low')", N_("Low stock"), show=False),
        Binding("4", "tab('out')", N_("Parts out"), show=False),
        Binding("5", "tab('order')", N_("To order"), show=False),
        Binding("6", "tab('pos')", N_("Purchase orders"), show=False),
        Binding("7", "tab('prepick')", N_("Pre-picks"), show=False),
    ]
    PERMISSIONS = {**dict.fromkeys(("pick_all", "pick_qty", "return_part", "exchange", "old_part"), "pick_parts"),
                   **dict.fromkeys(("receive", "count", "move_bin", "receive_po", "new_part", "move_to_shop",
                                     "threshold"), "manage_stock"),
                   **dict.fromkeys(("new_po", "expected", "cancel_po"), "purchase_parts")}
    # (return, exchange and old part also on parts already picked: tab 4)
    TABS = {"pick_all": ("queue",), "pick_qty": ("queue",), "return_part": ("queue", "out"),
            "exchange": ("queue", "out"), "old_part": ("queue", "out"), "receive": ("catalog", "low"),
            "new_part": ("catalog",), "count": ("catalog", "low"),
            "move_bin": ("catalog", "low"), "move_to_shop": ("catalog", "low"), "threshold": ("catalog", "low"), "new_po": ("order", "catalog", "low"), "receive_po": ("pos",),
            "expected": ("pos",), "cancel_po": ("pos",), "late_only": ("pos",), "suppliers": ("order", "pos"),
            "where": ("catalog", "low", "order")}

    def compose(self) -> ComposeResult:
        self.others: dict[str, dict[str, Decimal]] = {}  # by table: the page's other shops' free stock per part
        yield Header()
        yield Input(placeholder=_("/ search: RO number, plate, part code, name or model"), id="search")
        with TabbedContent(initial="queue"):
            with TabPane(_("Pick queue [1]"), id="queue"):
                yield Static("", id="asked")
                yield PagedTable((_("RO"), _("Promised"), _("Bin"), _("Code"), _("Part"), _("To pick"), _("Unit"),
                                  _("Resv"), _("On hand"), _("Plate")), _queue_row, id="queue-table")
            with TabPane(_("Catalog [2]"), id="catalog"):
                yield PagedTable(self._with_others(6, (_("Code"), _("Part"), _("Bin"), _("On hand"), _("Resv"),
                                                       _("Avail"), _("Unit"), _("Price"), _("Fits"))),
                                 self._rendered(_stock_row, "catalog-table"), id="catalog-table")
            with TabPane(_("Low stock [3]"), id="low"):
                yield PagedTable(self._with_others(4, (_("Code"), _("Part"), _("Bin"), _("Avail"), _("Threshold"),
                                                       _("Order qty"), _("Unit"))),
                                 self._rendered(_low_row, "low-table"), id="low-table")
            with TabPane(_("Parts out [4]"), id="out"):
                yield PagedTable((_("RO"), _("State"), _("Bin"), _("Code"), _("Part"), _("Out"), _("Unit"),
                                  _("Plate")), _out_row, id="out-table")
            with TabPane(_("Order [5]"), id="order"):
                yield PagedTable(self._with_others(5, (_("Code"), _("Part"), _("Qty to order"), _("Short"), _("Avail"),
                                                       _("Supplier"), _("Unit"), _("Threshold"), _("On order"))),
                                 self._rendered(_order_row, "order-table"), id="order-table")
            with TabPane(_("POs [6]"), id="pos"):
                yield PagedTable((_("PO"), _("Expected"), _("Arrives"), _("Supplier"), _("Lines"), _("Qty"),
                                  _("Received"), _("Ordered")), buying.po_row, id="pos-table")
                yield Static("", id="po-title")
                yield Table(id="po-lines", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Pre-picks [7]"), id="prepick"):
                yield PagedTable((_("Time"), _("No."), _("Plate"), _("Bin"), _("Code"), _("Qty"), _("Held"),
                                  _("Short"), _("Unit"), _("Part")), _prepick_row, id="prepick-table")
        yield KeyBar()

    late_only = False  # the POs tab: only those past their expected date (v)

    # --- the group's other shops' stock (in a database of several shops only) ----------------------
    group = False  # several shops: tabs 2, 3 and 5 show the other shops' free stock, Enter / w each shop's
    OTHERS_TABLES = ("catalog-table", "low-table", "order-table")

    def _with_others(self, at: int, columns: tuple[str, ...]) -> tuple[str, ...]:
        """A table's columns, with "Other shops" at ``at`` in a group (decided once, when the screen is built: a
        shop added later shows on the next start, as the terminal's shop choice does)."""
        self.group = shops.is_group()
        if not self.group:
            return columns
        return columns[:at] + (_("Other shops"),) + columns[at:]

    def _rendered(self, render, table_id: str):
        """A row renderer that adds the page's other-shops figure (read with the page) in a group."""
        if not self.group:
            return render
        return lambda row: render(row, self.others.get(table_id, {}), self._name_width())

    def _name_width(self) -> int | None:
        """In a group, part names are cut on a narrow terminal so that the free stock here and at the other shops
        stay in view at 80 columns (the other columns take about 60 cells); a wide terminal shows them whole."""
        width = self.app.size.width - 60
        return max(width, 12) if width < 60 else None

    def _paged(self, table_id: str, fetch, code=lambda row: row.code):
        """``fetch(limit, offset)`` and, in a group, the other shops' free stock of that page's parts: one more
        query per page (workshop/group_stock.py), kept for the rows' renderer."""
        if not self.group:
            return fetch
        shop, by = shops.of(self.app.staff), self.app.staff

        def loader(limit, offset):
            rows = fetch(limit, offset)
            self.others[table_id] = group_stock.free_elsewhere([code(r) for r in rows], shop, by=by)
            return rows
        return loader

    def on_mount(self) -> None:
        self.title = _("Parts")
        self.query_one("#po-lines", DataTable).add_columns(_("Code"), _("Part"), _("Ordered"), _("Received"),
                                                           _("Still due"), _("Unit"), _("For orders"))
        self.reload_all()
        self.query_one("#queue-table").focus()

    # --- loading ---------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self.query_one("#search", Input).value

    def reload_all(self) -> None:
        text = self.search_text
        self.query_one("#queue-table", PagedTable).load(lambda n, o: parts.pick_queue(
            text, limit=n, offset=o, shop=shops.scope(self.app.staff)))
        self.show_asked()
        shop = shops.of(self.app.staff)  # the stock shown is this terminal's shop's
        self.query_one("#catalog-table", PagedTable).load(self._paged("catalog-table", lambda n, o: parts.catalog(
            text, limit=n, offset=o, shop=shop)))
        self.query_one("#low-table", PagedTable).load(self._paged("low-table", lambda n, o: parts.low_stock(
            limit=n, offset=o, shop=shop)))
        self.query_one("#out-table", PagedTable).load(lambda n, o: parts.parts_out(
            text, limit=n, offset=o, shop=shops.scope(self.app.staff)))
        # tomorrow's appointments' parts, to put ready before the cars come (零件预先检料)
        self.query_one("#prepick-table", PagedTable).load(lambda n, o: prepick.prepicks(
            limit=n, offset=o, shop=shops.scope(self.app.staff)))
        self.load_purchasing()

    def show_asked(self) -> None:
        """Technicians waiting at the counter (pick requests from My jobs): who, for which job, since when and
        their note; their lines are first in the queue below."""
        asked = pick_requests.open_requests(limit=ASKED_SHOWN + 1, shop=shops.scope(self.app.staff))
        box = self.query_one("#asked", Static)
        box.display = bool(asked)
        if not asked:
            return
        rows = [line((_("Asked at the counter (first below):"), "bold"))]
        for request in asked[:ASKED_SHOWN]:
            rows.append(line(("▶ ", "yellow"), f"RO {request.order_number} ", (request.line_name, "bold"),
                             "  " + _("{name} at {time}").format(name=request.technician,
                                                                  time=f"{request.requested_at:%H:%M}"),
                             ("  " + request.note if request.note else "", "italic")))
        if len(asked) > ASKED_SHOWN:
            rows.append(line((_("and more"), "dim")))
        box.update(Text("\n", end="").join(rows))

    def load_purchasing(self) -> None:
        """The suggestions (computed whole: a few queries, whatever the shop's size) and the POs."""
        text = self.search_text
        self.query_one("#order-table", PagedTable).load(self._paged("order-table", lambda n, o: buying.suggestions_sorted(
            shop=shops.of(self.app.staff))[o:o + n], code=lambda row: row.part_code))
        shop = shops.scope(self.app.staff)
        loader = (lambda n, o: purchasing.late_pos(limit=n, offset=o, shop=shop)) if self.late_only else \
            (lambda n, o: purchasing.open_pos(text, limit=n, offset=o, shop=shop))
        self.query_one("#pos-table", PagedTable).load(loader)
        self.show_po_lines()

    def refresh_from_changes(self, changes) -> None:
        for table in self.query(PagedTable):
            if table.id in self.PURCHASING_TABLES and self.tab not in ("order", "pos"):
                self.purchasing_stale = True  # (read again when tab 5 or 6 is shown)
            else:
                table.load()
        self.show_po_lines()
        self.show_asked()

    PURCHASING_TABLES = ("order-table", "pos-table")
    purchasing_stale = False

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def offers(self, action: str, parameters) -> bool | None:
        if action == "where" and not self.group:
            return False  # one shop: nothing elsewhere to show
        tabs = self.TABS.get(action)
        return tabs is None or self.tab in tabs

    @on(PagedTable.RowSelected, "#catalog-table")
    @on(PagedTable.RowSelected, "#low-table")
    def enter_where(self) -> None:
        if self.check_action("where", ()):
            self.action_where()

    def action_where(self) -> None:
        """Each shop's stock of the selected part (tabs 2, 3 and 5): whom to ask before buying it."""
        if self.tab == "order":
            row = self.query_one("#order-table", PagedTable).selected
            if row is None:
                self.notify(_("No part selected."), severity="warning")
                return
            code, name = row.part_code, row.part_name
        elif part := self._part():
            code, name = part.code, part.name
        else:
            return
        from screens.group_stock import StockByShopDialog
        try:
            rows = group_stock.by_shop(code, shops.of(self.app.staff), by=self.app.staff)
        except DomainError as error:
            self.notify(message(error), severity="warning")
            return
        self.app.push_screen(StockByShopDialog(code, name, rows))

    @on(PagedTable.RowSelected, "#queue-table")
    def enter_picks(self) -> None:
        if self.check_action("pick_all", ()):
            self.action_pick_all()

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        if self.tab in ("order", "pos") and self.purchasing_stale:
            self.purchasing_stale = False
            for table_id in self.PURCHASING_TABLES:
                self.query_one(f"#{table_id}", PagedTable).load()
            self.show_po_lines()
        table = {"queue": "#queue-table", "catalog": "#catalog-table", "low": "#low-table",
                 "out": "#out-table", "order": "#order-table", "pos": "#pos-table", "prepick": "#prepick-table"}[self.tab]
        self.query_one(table).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Submitted, "#search")
    def search(self) -> None:
        self.reload_all()
        if self.tab == "low":
            self.action_tab("catalog")
        table = {"queue": "#queue-table", "catalog": "#catalog-table", "low": "#catalog-table",
                 "out": "#out-table", "order": "#order-table", "pos": "#pos-table"}[self.tab]
        self.query_one(table).focus()

    # --- actions ---------------------------------------------------------------------------------
    def after_acting(self) -> None:
        self.reload_all()

    def _line(self) -> parts.LineRow | None:
        out = self.tab == "out"
        row = self.query_one("#out-table" if out else "#queue-table", PagedTable).selected
        if row is None:
            self.notify(_("No parts out.") if out else _("Nothing to pick."), severity="warning")
        return row

    def _part(self) -> parts.StockRow | None:
        table = self.query_one("#low-table" if self.tab == "low" else "#catalog-table", PagedTable)
        row = table.selected
        if row is None:
            self.notify(_("No part selected."), severity="warning")
        return row

    def action_pick_all(self) -> None:
        if line := self._line():
            self.act(parts.pick, line.id, seen_version=line.order_version,
                     success=_("Picked {qty} {unit} {code} for RO {number} from bin {bin}.").format(
                         qty=fmt(line.to_pick), unit=parts.unit(line), code=line.code, number=line.order_number,
                         bin=line.bin or "—"))

    def action_pick_qty(self) -> None:
        if not (line := self._line()):
            return
        form = FormDialog(_("Pick {code} {name} for RO {number}").format(code=line.code, name=line.name,
                                                                        number=line.order_number), [
            quantity_field("qty", _("Quantity ({unit})").format(unit=parts.unit(line)), maximum=QTY_MAX, places=3,
                           hint=_("{qty} to pick").format(qty=fmt(line.to_pick)))], submit_label=_("Pick"))
        self.ask(form, lambda v: partial(parts.pick, line.id, v["qty"], seen_version=line.order_version),
                 success=lambda _r: _("Picked {code} for RO {number}.").format(code=line.code, number=line.order_number))

    def action_return_part(self) -> None:
        if line := self._line():
            part_actions.ask_return(self, line)

    def action_exchange(self) -> None:
        if line := self._line():
            part_actions.ask_exchange(self, line)

    def action_old_part(self) -> None:
        if line := self._line():
            part_actions.ask_old_part(self, line)

    def action_receive(self) -> None:
        if not (part := self._part()):
            return
        form = FormDialog(_("Goods in: {code} {name}").format(code=part.code, name=part.name), [
            quantity_field("qty", _("Quantity ({unit})").format(unit=parts.unit(part)), maximum=QTY_MAX, places=3),
            forms.text("reference", _("Delivery note"), required=False, max_length=60),
        ], submit_label=_("Receive"))

        def received(filled: list[str]) -> None:
            if filled:
                self.notify(_("Parts now complete for {orders}").format(orders=join(filled)), timeout=10)

        self.ask(form, lambda v: partial(parts.receive, part.code, v["qty"], reference=v["reference"] or ""),
                 success=_("Received {code}.").format(code=part.code), then=received)

    def action_count(self) -> None:
        if not (part := self._part()):
            return
        form = FormDialog(_("Stocktake: {code} in bin {bin}").format(code=part.code, bin=part.bin or "—"), [
            forms.number("counted", _("Counted ({unit})").format(unit=parts.unit(part)), maximum=COUNT_MAX, places=3,
                         hint=_("the ledger says {qty}").format(qty=fmt(part.on_hand))),
            forms.text("reason", _("Reason for a difference")),
        ], submit_label=_("Count"))
        self.ask(form, lambda v: partial(parts.count_stock, part.code, v["counted"], v["reason"]),
                 success=lambda diff: _("{code}: adjustment {diff}.").format(code=part.code, diff=fmt(diff)))

    def action_new_part(self) -> None:
        """A part the catalog lacks (a new shop's first kits), with its opening stock."""
        units = [(i18n.label(UNIT_LABELS, u), u) for u in UNITS]
        form = FormDialog(_("New part"), [
            forms.text("code", _("Code"), max_length=30, placeholder="OF-M20A"),
            forms.text("name", _("Name"), max_length=100, placeholder=_("Oil filter M20A")),
            forms.text("name_zh", _("Chinese name"), max_length=100, required=False, placeholder="机油滤清器"),
            forms.choice("unit", _("Unit"), units, value="pc"),
            forms.number("sale_price", _("Sale price"), minimum=Decimal("0.01"), maximum=part_catalog.MAX_PRICE),
            forms.number("unit_cost", _("Unit cost"), maximum=part_catalog.MAX_PRICE, required=False),
            forms.text("bin", _("Bin"), max_length=20, required=False, placeholder="A-01-1"),
            forms.number("opening_qty", _("Opening stock"), maximum=part_catalog.MAX_STOCK, places=3, required=False),
            forms.number("reorder_threshold", _("Reorder threshold"), maximum=part_catalog.MAX_STOCK, places=3,
                         required=False),
            forms.text("fits_models", _("Fits"), max_length=200, required=False, placeholder="Camry 2.0 CVT"),
        ], submit_label=_("Add part"))
        self.ask(form, lambda v: partial(part_catalog.add_part, part_catalog.PartForm(
            **{k: "" if v[k] is None else str(v[k]) for k in v})),
            success=lambda p: _("{code} added to the catalog.").format(code=p.code))

    def action_move_bin(self) -> None:
        if not (part := self._part()):
            return
        form = reason_form(_("Move {code} from bin {bin} to").format(code=part.code, bin=part.bin or "—"),
                           name="bin", label=_("Bin"), max_length=20)
        self.ask(form, lambda v: partial(parts.transfer, part.code, v["bin"]),
                 success=lambda _r: _("{code} moved.").format(code=part.code))

    def action_move_to_shop(self) -> None:
        """调拨: free stock of the selected part to another shop of the group (a one-shop database has none)."""
        others = [(f"{row.code} {row.name}", row.code) for row in shops.listing()
                  if row.id != shops.of(self.app.staff)]
        if not others:
            self.notify(_("There is no other shop to move stock to."), severity="warning")
            return
        if not (part := self._part()):
            return
        form = FormDialog(_("Stock transfer: {code} {name}").format(code=part.code, name=part.name), [
            forms.choice("shop", _("To shop"), others),
            quantity_field("qty", _("Quantity ({unit})").format(unit=parts.unit(part)), maximum=QTY_MAX, places=3,
                           hint=_("{qty} free here").format(qty=fmt(part.available))),
            forms.text("reason", _("Reason"), required=False, max_length=200),
        ], submit_label=_("Transfer"))
        self.ask(form, lambda v: partial(parts.move_to_shop, part.code, v["qty"], v["shop"], reason=v["reason"] or ""),
                 success=lambda _r: _("{code} moved to the other shop.").format(code=part.code))

    def action_threshold(self) -> None:
        """This shop's own reorder threshold (临界值) of the selected part; empty: the catalogue's applies again."""
        if not (part := self._part()):
            return
        if part.own_threshold:
            intro = _("This shop's own threshold. Empty: the catalogue's {qty} applies again.").format(
                qty=fmt(part.catalogue_threshold))
        else:
            intro = _("The catalogue's threshold applies here. A number typed becomes this shop's own.")
        prefilled = fmt(part.threshold)
        form = FormDialog(_("Reorder threshold: {code} {name}").format(code=part.code, name=part.name), [
            forms.number("reorder_threshold", _("Threshold ({unit})").format(unit=parts.unit(part)),
                         value=prefilled, maximum=part_catalog.MAX_STOCK, required=False,
                         places=0 if part.unit in parts.WHOLE_UNITS else 3)],
            intro=Text(intro), submit_label=_("Set"))

        def call(values):
            typed = values["reorder_threshold"]
            if not part.own_threshold and typed is not None and fmt(typed) == prefilled:
                # the catalogue's figure left as it was: it stays the catalogue's (and follows its changes)
                self.notify(said(None))
                return None
            return partial(parts.set_threshold, part.code, "" if typed is None else str(typed))

        def said(own):
            if own is None:
                return _("{code}: the catalogue's reorder threshold applies.").format(code=part.code)
            return _("{code}: this shop's reorder threshold is {qty}.").format(code=part.code, qty=fmt(own))

        self.ask(form, call, success=said)

    # --- purchase orders (采购订单) ----------------------------------------------------------------------
    def _po(self) -> purchasing.PORow | None:
        row = self.query_one("#pos-table", PagedTable).selected
        if row is None:
            self.notify(_("No purchase order selected."), severity="warning")
        return row

    @on(PagedTable.RowHighlighted, "#pos-table")
    def show_po_lines(self) -> None:
        """The selected PO's lines under the list, with the orders each serves."""
        row = self.query_one("#pos-table", PagedTable).selected
        table = self.query_one("#po-lines", DataTable)
        table.clear()
        title = self.query_one("#po-title", Static)
        if row is None:
            title.update(_("No purchase order awaiting goods.") if not self.late_only else _("No late purchase order."))
            return
        title.update(line((purchasing.po_label(row.number), "bold"), " ", row.supplier, " · ",
                          _("expected {date}").format(date=row.expected_on.isoformat())))
        for item in purchasing.po_lines(row.id):
            table.add_row(*cells(*buying.po_line_row(item)))

    @on(PagedTable.RowSelected, "#order-table")
    def enter_orders(self) -> None:
        if self.check_action("new_po", ()):
            self.action_new_po()

    @on(PagedTable.RowSelected, "#pos-table")
    def enter_receives(self) -> None:
        if self.check_action("receive_po", ()):
            self.action_receive_po()

    def action_new_po(self) -> None:
        """A PO to one supplier: on tab 5 for all its suggested parts, on the catalog for the part selected."""
        if self.tab == "order":
            row = self.query_one("#order-table", PagedTable).selected
            if row is None:
                self.notify(_("Nothing to order: no part is short or below its threshold."), severity="warning")
                return
            rows = [s for s in buying.suggestions_sorted(shop=shops.of(self.app.staff))
                    if (s.supplier_id, s.supplier) == (row.supplier_id, row.supplier)]
            title = _("Order from {supplier}").format(supplier=row.supplier or _("a supplier"))
            supplier_id = row.supplier_id
        else:
            if not (part := self._part()):
                return
            supplier_id = purchasing.usual_supplier(part.code)
            rows = [purchasing.Suggestion(part.code, part.name, part.unit, "", supplier_id, part.available,
                                          part.threshold, buying.ZERO, buying.ZERO,
                                          part.suggested or buying.ONE, ())]
            title = _("Order {code} {name}").format(code=part.code, name=part.name)
        self.ask(buying.po_form(supplier_id, rows, title), lambda v: buying.po_call(rows, v),
                 success=buying.ordered_message)

    def action_receive_po(self) -> None:
        if not (po := self._po()):
            return
        lines = purchasing.po_lines(po.id)
        self.ask(buying.receive_form(po, lines), lambda v: buying.receive_call(po, lines, v),
                 success=lambda complete: buying.received_message(po, complete))

    def action_expected(self) -> None:
        if not (po := self._po()):
            return
        form = FormDialog(_("New expected date for {po} ({supplier})").format(po=purchasing.po_label(po.number),
                                                                              supplier=po.supplier), [
            forms.text("expected_on", _("Expected date"), value=po.expected_on.isoformat(), max_length=10,
                       hint=_("YYYY-MM-DD: every order it serves shows it"))], submit_label=_("Save"))
        self.ask(form, lambda v: partial(purchasing.set_expected, po.id, v["expected_on"]),
                 success=lambda _r: _("{po}: new expected date saved.").format(po=purchasing.po_label(po.number)))

    def action_cancel_po(self) -> None:
        if not (po := self._po()):
            return
        form = reason_form(_("Cancel {po} ({supplier}): the rest will not come").format(
            po=purchasing.po_label(po.number), supplier=po.supplier))
        self.ask(form, lambda v: partial(purchasing.cancel, po.id, v["reason"]),
                 success=lambda result: _("{po}: {state}.").format(
                     po=purchasing.po_label(result.number), state=_(purchasing.PO_STATE_LABELS[result.state])))

    def action_late_only(self) -> None:
        self.late_only = not self.late_only
        self.load_purchasing()

    def action_suppliers(self) -> None:
        self.app.push_screen(buying.SuppliersScreen(), lambda _r: self.load_purchasing())
