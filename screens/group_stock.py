"""各门店库存: one part's stock in each shop of the group (code, name, on hand, reserved, free, bin), opened from the
parts screen (Enter on tabs 2 and 3, ``w`` on tabs 2, 3 and 5), so the clerk knows which sister shop to ask before
buying the part. A transfer (调拨) is sent by the shop that has the stock (the ``t`` form moves the terminal's own
shop's free stock), so this shows the figures and says so."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from screens.tables import Table
from screens.text import cells, literal
from workshop import parts
from workshop.group_stock import ShopStock
from workshop.i18n import N_, _


def shop_row(row: ShopStock):
    style = "bold" if row.here else ""
    name = _("{name} (this shop)").format(name=row.shop_name) if row.here else row.shop_name
    return (literal(row.shop_code, style), literal(name, style), parts.fmt(row.on_hand), parts.fmt(row.reserved),
            literal(parts.fmt(row.free), "bold green" if row.free and not row.here else style), row.bin or "—")


class StockByShopDialog(ModalScreen[None]):
    """Esc or Enter closes it."""

    DEFAULT_CSS = """
    StockByShopDialog { align: center middle; }
    StockByShopDialog > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
                                   border: thick $primary; background: $panel; }
    StockByShopDialog DataTable { height: auto; max-height: 14; }
    StockByShopDialog Static { width: 1fr; }
    """
    BINDINGS = [Binding("escape,enter", "app.pop_screen", N_("Close"))]

    def __init__(self, code: str, name: str, rows: list[ShopStock]) -> None:
        super().__init__()
        self.code, self.part_name, self.rows = code, name, rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(_("Stock in each shop: {code} {name}").format(code=self.code, name=self.part_name),
                                 "bold"))
            yield Table(id="by-shop", cursor_type="row", zebra_stripes=True)
            yield Static(literal(_("A stock transfer (t) is sent by the shop that has the stock: ask its parts clerk. "
                                   "Enter or Esc closes."), "dim"))

    @on(DataTable.RowSelected)
    def close(self) -> None:  # (Enter on the table: the table takes the key before the screen's binding)
        self.dismiss()

    def on_mount(self) -> None:
        table = self.query_one("#by-shop", DataTable)
        table.add_columns(_("Shop"), _("Name"), _("On hand"), _("Resv"), _("Free"), _("Bin"))
        for row in self.rows:
            table.add_row(*cells(*shop_row(row)))
        table.focus()
