"""The bays view: which car is in which bay, which technician is idle and for how long."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Label

from models.people import TRADE_LABELS
from models.shop import BAY_KIND_LABELS
from screens.dispatch import idle_text
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells
from workshop.dispatch import bay_loads, order_plates, technician_loads
from workshop.i18n import N_, _, join, label


class BaysScreen(KeptScreen):
    CSS_PATH = "bays.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Board")),
                Binding("tab", "focus_next", N_("Next table"), show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Label(_("Bays"), classes="title")
            yield Table(id="bays", cursor_type="row", zebra_stripes=True)
            yield Label(_("Technicians"), classes="title")
            yield Table(id="techs", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Bays")
        self.query_one("#bays", DataTable).add_columns(_("Bay"), _("Type"), _("Places"), _("Cars in the bay"))
        self.query_one("#techs", DataTable).add_columns(_("Technician"), _("Trade"), _("Open lines"), _("Now"))
        self.reload()

    def reload(self) -> None:
        loads = bay_loads()
        numbers = [n for load in loads for n in load.orders]
        plates = order_plates(numbers)
        bays = self.query_one("#bays", DataTable)
        bays.clear()
        for load in loads:
            cars = join(_("RO {number} {line}").format(number=n, line=plates.get(n, "")) for n in load.orders) \
                or _("— empty —")
            bays.add_row(*cells(load.code, label(BAY_KIND_LABELS, load.kind), f"{load.occupied}/{load.capacity}", cars))
        techs = self.query_one("#techs", DataTable)
        techs.clear()
        for load in technician_loads():
            techs.add_row(*cells(load.name, label(TRADE_LABELS, load.trade), load.open_lines, idle_text(load)))

    def refresh_from_changes(self, changes) -> None:
        if changes.order_ids or changes.overflow:
            self.reload()
