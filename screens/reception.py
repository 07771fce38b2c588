"""Reception: find the car by plate or VIN (or register it and its owner), then write the repair order."""
from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from models.orders import BUSINESS_TYPES
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from workshop import clock, reception
from workshop.errors import DomainError, InvalidInput

PROMISED_FORMAT = "%Y-%m-%d %H:%M"


def parse_promised(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text.strip(), PROMISED_FORMAT)
    except ValueError:
        raise InvalidInput("Promised time must look like 2026-11-20 17:30.", "promised_at") from None


class ReceptionScreen(KeptScreen):
    CSS_PATH = "reception.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "save", "Check in", priority=True),
        Binding("ctrl+r", "register", "Register car", priority=True),
    ]

    def __init__(self):
        super().__init__()
        self.vehicle = None

    def compose(self) -> ComposeResult:
        def field(label: str, widget):
            return Horizontal(Label(label, classes="field-label"), widget, classes="field")

        def text(wid: str, placeholder: str, max_length: int, **kw):
            return Input(placeholder=placeholder, id=wid, max_length=max_length, compact=True, **kw)

        yield Header()
        with VerticalScroll(id="form"):
            yield Label("1. Find the car: plate or VIN, then Enter", classes="title")
            yield field("Plate / VIN", text("lookup", "粤B12345 or 17-character VIN", 20))
            yield Static("", id="found")
            with Vertical(id="new-car"):
                yield Label("Not on file: register the car and its owner, then Ctrl+R", classes="title")
                yield field("Plate", text("plate", "粤B12345", 12))
                yield field("VIN", text("vin", "17 characters, no I/O/Q", 17))
                yield field("Brand / model", Horizontal(text("brand", "Brand", 40, value="Toyota"),
                                                        text("model", "Model", 60),
                                                        text("model_year", "Year", 4, restrict=r"[0-9]*"),
                                                        classes="inline"))
                yield field("Owner", Horizontal(text("name", "Owner name", 100), text("mobile", "Mobile", 20),
                                                Select([(k, k) for k in ("private", "company", "fleet")],
                                                       value="private", id="kind", allow_blank=False, compact=True),
                                                classes="inline"))
            yield Label("2. The order", classes="title")
            yield field("Business", Select([(b.replace("_", " "), b) for b in BUSINESS_TYPES], value="maintenance",
                                           id="business_type", allow_blank=False, compact=True))
            yield field("Mileage / fuel", Horizontal(text("mileage_in", "km", 9, restrict=r"[0-9]*"),
                                                     Select([(f, f) for f in reception.FUEL_LEVELS], value="1/2",
                                                            id="fuel_level", allow_blank=False, compact=True),
                                                     classes="inline"))
            yield field("Statement", text("statement", "Customer's statement of the fault", 1000))
            yield field("Promised", text("promised_at", "YYYY-MM-DD HH:MM", 16))
            yield field("Insurer", text("insurer", "insurance jobs only", 60))
            yield Label("3. Job lines: codes, or search the catalog and press Enter on one", classes="title")
            yield field("Operations", text("operations", "e.g. QS001 ME016", 300))
            yield field("Search", text("op-search", "name or code", 40))
            yield OptionList(id="op-results")
            yield Static("", id="error", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = "Reception"
        self.query_one("#new-car").display = False
        promised = clock.now() + dt.timedelta(hours=4)
        self.query_one("#promised_at", Input).value = promised.strftime(PROMISED_FORMAT)
        self.query_one("#lookup", Input).focus()
        self._search_operations("")

    # --- finding or registering the car ------------------------------------------------------------
    @on(Input.Submitted, "#lookup")
    def lookup(self, event: Input.Submitted) -> None:
        car = reception.find_vehicle(event.value)
        found = self.query_one("#found", Static)
        if car is None:
            self.vehicle = None
            found.update(f"[yellow]No car on file for '{event.value.strip()}'.[/] Register it below.")
            self.query_one("#new-car").display = True
            value = event.value.strip().upper()
            self.query_one("#vin" if len(value) == 17 else "#plate", Input).value = value
            self.query_one("#plate", Input).focus()
            return
        self._show_vehicle(car)

    def _show_vehicle(self, car) -> None:
        self.vehicle = car
        owner = reception.owner_of(car.customer_id)
        last = reception.last_visit(car.id)
        open_order = reception.open_order_for(car.id)
        text = f"[b cyan]{car.plate}[/] {car.brand} {car.model} · VIN {car.vin} · owner [b]{owner.name}[/] {owner.mobile}"
        if last is not None:
            text += f"\nLast visit {last.time_in:%Y-%m-%d} at {last.mileage_in:,} km"
        if open_order is not None:
            text += f"\n[red]Already in the workshop as RO {open_order.number}.[/]"
        self.query_one("#found", Static).update(text)
        self.query_one("#new-car").display = False
        self.query_one("#mileage_in", Input).focus()

    def action_register(self) -> None:
        if not self.query_one("#new-car").display:
            self.notify("Look the car up first; registering is for cars not on file.", severity="warning")
            return
        value = lambda wid: self.query_one(f"#{wid}", Input).value  # noqa: E731
        try:
            car = reception.register_vehicle(
                reception.CustomerForm(name=value("name"), mobile=value("mobile"),
                                       kind=self.query_one("#kind", Select).value),
                reception.VehicleForm(plate=value("plate"), vin=value("vin"), brand=value("brand"),
                                      model=value("model"), model_year=value("model_year")),
                by=self.app.staff)
        except DomainError as error:
            self._show_error(error)
            return
        self.notify(f"{car.plate} registered.")
        self.query_one("#error", Static).update("")
        self._show_vehicle(car)

    # --- the operations catalog ---------------------------------------------------------------------
    @on(Input.Changed, "#op-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search_operations(event.value)

    def _search_operations(self, text: str) -> None:
        operations = reception.find_operations(text, limit=50)
        results = self.query_one("#op-results", OptionList)
        results.clear_options()
        results.add_options([Option(f"{op.code}  {op.name}  ({op.standard_hours} h)", id=op.code)
                             for op in operations])

    @on(Input.Submitted, "#op-search")
    def _to_results(self) -> None:
        self.query_one("#op-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#op-results")
    def _add_operation(self, event: OptionList.OptionSelected) -> None:
        codes = self.query_one("#operations", Input)
        present = codes.value.split()
        if event.option.id not in present:
            codes.value = " ".join(present + [event.option.id])
        self.notify(f"Added {event.option.id}.", timeout=2)

    # --- saving ---------------------------------------------------------------------------------------
    def action_save(self) -> None:
        value = lambda wid: self.query_one(f"#{wid}", Input).value  # noqa: E731
        try:
            form = reception.OrderForm(
                vehicle_id=self.vehicle.id if self.vehicle else None,
                business_type=self.query_one("#business_type", Select).value,
                mileage_in=value("mileage_in"), fuel_level=self.query_one("#fuel_level", Select).value,
                statement=value("statement"), promised_at=parse_promised(value("promised_at")),
                operation_codes=value("operations").replace(",", " ").split(), insurer=value("insurer"))
            order = reception.create_order(form, by=self.app.staff)
        except DomainError as error:
            self._show_error(error)
            return
        self.app.catch_up()
        self.notify(f"RO {order.number} checked in for {self.vehicle.plate}.")
        self.app.pop_screen()

    def _show_error(self, error: DomainError) -> None:
        self.query_one("#error", Static).update(str(error))
        self.notify(str(error), severity="error", timeout=8)
        field = getattr(error, "field", None)
        if field:
            widgets = self.query(f"#{field}")
            if widgets:
                widgets.first().focus()
