"""Reception: find the car by plate or VIN (or register it and its owner), then write the repair order."""
from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from models.orders import BUSINESS_TYPE_LABELS, BUSINESS_TYPES
from models.people import CUSTOMER_KIND_LABELS, CUSTOMER_KINDS
from screens.acting import Acting
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.live_search import LiveSearch
from screens.text import line, lines, literal
from workshop import catalog, clock, i18n, reception
from workshop.errors import DomainError, InvalidInput
from workshop.i18n import N_, _, label

PROMISED_FORMAT = "%Y-%m-%d %H:%M"
# The form's rows, by the names the services give their fields (InvalidInput.field): a refusal is
# shown under the row that holds the field.
ROW_OF = {"brand": "brand", "series": "brand", "model": "brand", "model_year": "brand", "name": "owner",
          "mobile": "owner", "kind": "owner", "mileage_in": "mileage", "fuel_level": "mileage", "vehicle": "lookup",
          "operation": "operations", "claim_no": "claim", "assessed_amount": "claim", "deductible": "claim",
          "packages": "packages"}


def _offers(text: str):
    """What reception offers for the typed text: catalog operations and maintenance packages (in a worker)."""
    from workshop.packages import find_packages
    return reception.find_operations(text, limit=50), find_packages(text, limit=10)


class SeriesSuggester(Suggester):
    """The series on file, offered as a series is typed (their list is read when a registration starts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.known: list[str] = []

    async def get_suggestion(self, value: str) -> str | None:
        return next((s for s in self.known if value and s.casefold().startswith(value)), None)


def parse_promised(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text.strip(), PROMISED_FORMAT)
    except ValueError:
        raise InvalidInput(_("Promised time must look like 2026-11-20 17:30."), "promised_at") from None


class ReceptionScreen(Acting, KeptScreen):
    """A whole screen that is one form: the checks of what is typed are the services'; a refusal is
    shown under the row of the field it names, and everything typed stays."""
    CSS_PATH = "reception.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Check in"), priority=True),
        Binding("ctrl+r", "register", N_("Register car"), priority=True),
        Binding("ctrl+e", "estimate", N_("Estimate"), priority=True),
        Binding("ctrl+o", "car_file", N_("Car's file"), priority=True),
        Binding("escape", "app.pop_screen", N_("Back")),
    ]
    PERMISSIONS = {"save": "create_order", "register": "create_order", "estimate": "create_order",
                   "car_file": "view_customer_file"}

    def __init__(self):
        super().__init__()
        self.vehicle: reception.CarOnFile | None = None
        self.busy = False
        # The catalog is searched in a worker once typing pauses (screens/live_search.py).
        self.operation_search = LiveSearch(self, _offers, self._show_operations)
        self.series_suggester = SeriesSuggester()

    def compose(self) -> ComposeResult:
        def field(name: str, label: str, widget):
            return Vertical(Horizontal(Label(label, classes="field-label"), widget, classes="field"),
                            Static("", id=f"note-{name}", classes="field-note"), classes="field-row")

        def text(wid: str, placeholder: str, max_length: int, id_suggest: bool = False, **kw):
            if id_suggest:  # the catalog's series, offered as typed (→ takes one); read when a car is registered
                kw["suggester"] = self.series_suggester
            return Input(placeholder=placeholder, id=wid, max_length=max_length, compact=True, **kw)

        yield Header()
        with VerticalScroll(id="form"):
            yield Label(_("1. Find the car: plate or VIN, then Enter"), classes="title")
            yield field("lookup", _("Plate / VIN"), text("lookup", _("粤B12345 or 17-character VIN"), 20))
            yield Static("", id="found")
            with Vertical(id="new-car"):
                yield Label(_("Not on file: register the car and its owner, then Ctrl+R"), classes="title")
                yield field("plate", _("Plate"), text("plate", "粤B12345", 12))
                yield field("vin", _("VIN"), text("vin", _("17 characters, no I/O/Q"), 17))
                yield field("brand", _("Car"), Horizontal(
                    text("brand", _("Brand"), 40, value="Toyota"), text("series", _("Series"), 40, id_suggest=True),
                    text("model", _("Model"), 60), text("model_year", _("Year"), 4, restrict=r"[0-9]*"),
                    classes="inline"))
                yield field("owner", _("Owner"), Horizontal(
                    text("name", _("Owner name"), 100), text("mobile", _("Mobile"), 20),
                    Select([(label(CUSTOMER_KIND_LABELS, k), k) for k in CUSTOMER_KINDS], value="private", id="kind",
                           allow_blank=False, compact=True), classes="inline"))
            yield Label(_("2. The order"), classes="title")
            yield field("business_type", _("Business"),
                        Select([(label(BUSINESS_TYPE_LABELS, b), b) for b in BUSINESS_TYPES], value="maintenance",
                               id="business_type", allow_blank=False, compact=True))
            yield field("mileage", _("Mileage / fuel"), Horizontal(
                text("mileage_in", _("km"), 9, restrict=r"[0-9]*"),
                Select([(f, f) for f in reception.FUEL_LEVELS], value="1/2", id="fuel_level", allow_blank=False,
                       compact=True), classes="inline"))
            yield field("statement", _("Statement"), text("statement", _("Customer's statement of the fault"), 1000))
            yield field("promised_at", _("Promised"), text("promised_at", _("YYYY-MM-DD HH:MM"), 16))
            yield field("insurer", _("Insurer"), text("insurer", _("insurance jobs only"), 60))
            yield field("claim", _("Claim"), Horizontal(
                text("claim_no", _("report no."), 40), text("assessed_amount", _("assessed"), 12, restrict=r"[0-9.]*"),
                text("deductible", _("deductible"), 12, restrict=r"[0-9.]*"), classes="inline"))
            yield field("towing_fee", _("Towing fee"), text("towing_fee", _("towing / rescue, if any"), 12,
                                                           restrict=r"[0-9.]*"))
            yield field("documents_kept", _("Documents kept"), text("documents_kept",
                                                                    _("e.g. 行驶证, spare key"), 200))
            yield Label(_("3. Job lines: codes, or search the catalog and press Enter on one"), classes="title")
            yield field("operations", _("Operations"), text("operations", _("e.g. QS001 ME016"), 300))
            yield field("packages", _("Packages"), text("packages", _("maintenance packages, e.g. FS"), 100))
            yield Static("", id="estimate")
            yield field("op-search", _("Search"), text("op-search", _("name or code"), 40))
            yield OptionList(id="op-results")
            yield Static("", id="error", classes="error")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Reception")
        self.query_one("#new-car").display = False
        promised = clock.now() + dt.timedelta(hours=4)
        self.query_one("#promised_at", Input).value = promised.strftime(PROMISED_FORMAT)
        self.query_one("#lookup", Input).focus()
        self._search_operations("")

    # --- finding or registering the car ------------------------------------------------------------
    @on(Input.Submitted, "#lookup")
    def lookup(self, event: Input.Submitted) -> None:
        if not event.value.strip():  # Enter on nothing typed: nothing to find or register
            return
        car = reception.car_on_file(event.value)
        if car is None:
            self.vehicle = None
            self.query_one("#found", Static).update(line(
                (_("No car on file for '{query}'.").format(query=event.value.strip()), "yellow"), " ",
                _("Register it below.")))
            self.query_one("#new-car").display = True
            self.series_suggester.known = catalog.known_series()
            value = event.value.strip().upper()
            self.query_one("#vin" if len(value) == 17 else "#plate", Input).value = value
            self.query_one("#plate", Input).focus()
            return
        self._show_vehicle(car)

    def _show_vehicle(self, car: reception.CarOnFile) -> None:
        self.vehicle = car
        shown = [line((car.plate, "bold cyan"), f" {car.brand} {car.model} · ", _("VIN {vin}").format(vin=car.vin),
                      " · ", _("owner") + " ", (car.owner, "bold"), f" {car.mobile}")]
        if not car.series:  # the catalog's series-only operations and series kits cannot find it
            shown.append(line((_("No series on file: every operation and the general kits apply (Ctrl+O: the "
                                 "car's file)."), "yellow")))
        if car.last_visit is not None:
            shown.append(line(_("Last visit {day} at {km} km").format(day=f"{car.last_visit:%Y-%m-%d}",
                                                                      km=f"{car.last_mileage:,}")))
        if car.open_order is not None:
            shown.append(line((_("Already in the workshop as RO {number}.").format(number=car.open_order), "red")))
        self.query_one("#found", Static).update(lines(shown))
        self.query_one("#new-car").display = False
        self.query_one("#mileage_in", Input).focus()

    def action_register(self) -> None:
        if not self.query_one("#new-car").display:
            self.notify(_("Look the car up first; registering is for cars not on file."), severity="warning")
            return
        if self.busy:
            return
        value = self._value
        self.act(reception.register_vehicle,
                 reception.CustomerForm(name=value("name"), mobile=value("mobile"), kind=value("kind")),
                 reception.VehicleForm(plate=value("plate"), vin=value("vin"), brand=value("brand"),
                                       series=value("series"), model=value("model"), model_year=value("model_year")),
                 form=self, then=self._registered)

    def _registered(self, car) -> None:
        found = reception.car_on_file(vehicle_id=car.id)
        self.notify(_("{plate} registered.").format(plate=found.plate))
        if self.is_attached:  # (the advisor may have left the screen meanwhile)
            self._show_vehicle(found)

    # --- the operations catalog ---------------------------------------------------------------------
    @on(Input.Changed, "#op-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.operation_search.request(event.value)

    def _search_operations(self, text: str) -> None:
        self._show_operations(_offers(text))

    def _show_operations(self, found) -> None:
        operations, packages = found
        results = self.query_one("#op-results", OptionList)
        results.clear_options()
        results.add_options([Option(literal(_("package {code}  {name}  ({price})").format(
            code=p.code, name=p.name, price=i18n.money(p.price))), id=f"pkg:{p.code}") for p in packages])
        results.add_options([Option(literal(_("{code}  {name}  ({hours} h)").format(
            code=op.code, name=op.name, hours=op.standard_hours)), id=op.code)
                             for op in operations])

    @on(Input.Submitted, "#op-search")
    def _to_results(self) -> None:
        self.query_one("#op-results", OptionList).focus()

    @on(OptionList.OptionSelected, "#op-results")
    def _add_operation(self, event: OptionList.OptionSelected) -> None:
        package = event.option.id.startswith("pkg:")
        code = event.option.id.removeprefix("pkg:")
        codes = self.query_one("#packages" if package else "#operations", Input)
        present = codes.value.replace(",", " ").split()
        if code not in present:
            codes.value = " ".join(present + [code])
        self.notify(_("Added {code}.").format(code=code), timeout=2)

    # --- saving ---------------------------------------------------------------------------------------
    def _value(self, wid: str) -> Any:
        widget = self.query_one(f"#{wid}")
        return widget.value

    def _order_form(self) -> reception.OrderForm | None:
        value = self._value
        try:
            return reception.OrderForm(
                vehicle_id=self.vehicle.id if self.vehicle else None, business_type=value("business_type"),
                mileage_in=value("mileage_in"), fuel_level=value("fuel_level"), statement=value("statement"),
                promised_at=parse_promised(value("promised_at")),
                operation_codes=value("operations").replace(",", " ").split(), insurer=value("insurer"),
                package_codes=value("packages").replace(",", " ").split(), claim_no=value("claim_no"),
                assessed_amount=value("assessed_amount"), deductible=value("deductible"),
                towing_fee=value("towing_fee"), documents_kept=value("documents_kept"))
        except DomainError as error:
            self.show_refusal(error)
            return None

    def action_estimate(self) -> None:
        """The estimate (估價) of what is typed, to tell the customer before the car is checked in."""
        form = self._order_form()
        if form is not None and not self.busy:
            self.act(reception.estimate, form, as_staff=False, form=self, then=self._show_estimate)

    def _show_estimate(self, bill) -> None:
        if not self.is_attached:
            return
        text = _("Estimate {total}: labour {labor}, parts {parts}, fees {fees}").format(
            total=i18n.money(bill.total), labor=i18n.money(bill.labor_charged), parts=i18n.money(bill.parts_charged),
            fees=i18n.money(bill.fees_total))
        if bill.customer_share != bill.total:
            text += " · " + _("the customer pays {amount}").format(amount=i18n.money(bill.customer_share))
        shown = self.query_one("#estimate", Static)
        shown.update(literal(text, "bold"))
        shown.scroll_visible()
        self.notify(text)

    def action_car_file(self) -> None:
        if self.vehicle is None:
            self.notify(_("Look the car up first."), severity="warning")
            return
        from screens.customer_file import open_vehicle_file
        open_vehicle_file(self.app, self.vehicle.id)

    def action_save(self) -> None:
        if self.busy:
            return
        form = self._order_form()
        if form is None:
            return
        plate = self.vehicle.plate if self.vehicle else ""
        self.act(reception.create_order, form, form=self,
                 then=lambda order: self._checked_in(order.number, plate, order.estimate))

    def _checked_in(self, number: int, plate: str, estimate=None) -> None:
        self.notify(_("RO {number} checked in for {plate}.").format(number=number, plate=plate)
                    + ("" if estimate is None else " " + _("Estimate {total}.").format(total=i18n.money(estimate))))
        if self.is_current:  # (not if the advisor went elsewhere while it was saved)
            self.app.pop_screen()

    # --- the screen as the form of its writes (screens/acting.py) ------------------------------------
    def working(self, busy: bool) -> None:
        self.busy = busy

    def _clear_notes(self) -> None:
        for note in self.query(".field-note"):
            note.display = False
        self.query_one("#error", Static).update("")

    def accepted(self, result) -> None:
        self._clear_notes()

    def show_refusal(self, error: DomainError) -> None:
        self._clear_notes()
        row = ROW_OF.get(error.field or "", error.field)
        notes = self.query(f"#note-{row}") if row else []
        if notes:
            notes.first().update(literal(str(error)))
            notes.first().display = True
            self.query_one("#error", Static).update("")
            target = self.query(f"#{error.field}") or self.query(f"#{row}")
            if target:
                target.first().focus()
        else:
            self.query_one("#error", Static).update(literal(str(error)))
