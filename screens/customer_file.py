"""The customer's file (客戶檔案) and the vehicle's file (車輛資料): every field, editable in a form; the
customer's cars; the car's service history (visits, parts fitted, complaints, callbacks); merging two files
of one person (managers). Opened from the order (v), reception (Ctrl+O) and the command palette (a plate,
phone number, VIN or name)."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TabbedContent, TabPane

from models.people import CUSTOMER_KIND_LABELS, CUSTOMER_KINDS, FUEL_TYPE_LABELS, FUEL_TYPES
from models.service_plan import PLAN_STATUS_LABELS
from screens import followup_forms, forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.text import clean, content
from workshop import call_register, catalog, customer_classes, customer_file, i18n, phones, service_plan
from workshop.customer_file import CustomerForm, VehicleForm
from workshop.i18n import N_, _


def _d(value) -> str:
    return i18n.date(value) if value else ""


def _field_lines(pairs) -> Text:
    """Label: value lines, values drawn literally, two to a line where the terminal is wide enough."""
    text = Text()
    for label, value in pairs:
        text.append(f"{label}: ", style="dim")
        text.append(clean(value if value not in (None, "") else "—"))
        text.append("\n")
    return text


# --- forms ---------------------------------------------------------------------------------------------

def customer_form(title: str, f: CustomerForm) -> FormDialog:
    classes = [(c.name, c.id) for c in customer_classes.list_classes(include_retired=False)]
    if f.customer_class_id and f.customer_class_id not in {cid for _n, cid in classes}:
        classes += [(c.name, c.id) for c in customer_classes.list_classes() if c.id == f.customer_class_id]
    return FormDialog(title, [
        forms.text("name", _("Name or company"), value=f.name, max_length=100),
        forms.choice("kind", _("Type"), [(i18n.label(CUSTOMER_KIND_LABELS, k), k) for k in CUSTOMER_KINDS],
                     value=f.kind),
        forms.text("mobile", _("Mobile"), value=phones.display(f.mobile) if f.mobile else "", max_length=30),
        forms.text("home_phone", _("Home phone"), value=f.home_phone, max_length=30, required=False),
        forms.text("office_phone", _("Office phone"), value=f.office_phone, max_length=30, required=False),
        forms.text("address", _("Address"), value=f.address, max_length=200, required=False),
        forms.text("postcode", _("Postcode"), value=f.postcode, max_length=10, required=False),
        forms.text("email", _("Email"), value=f.email, max_length=120, required=False),
        forms.text("id_number", _("ID / organisation code"), value=f.id_number, max_length=40, required=False),
        forms.text("birthday", _("Birthday"), value=str(f.birthday or ""), max_length=12, required=False,
                   placeholder="1988-06-15"),
        forms.choice("customer_class_id", _("Class"), classes, value=f.customer_class_id, required=False,
                     placeholder=_("none")),
        forms.text("class_until", _("Class valid until"), value=str(f.class_until or ""), max_length=12,
                   required=False, placeholder=_("empty: the class's own validity")),
        forms.check("is_key", _("Key customer"), value=bool(f.is_key)),
        forms.text("notes", _("Notes"), value=f.notes, max_length=2000, required=False),
    ], submit_label=_("Save"))


def customer_values(v: dict) -> CustomerForm:
    return CustomerForm(**{k: ("" if v.get(k) is None else v[k]) for k in (
        "name", "mobile", "kind", "home_phone", "office_phone", "email", "address", "postcode", "id_number",
        "birthday", "notes", "class_until")}, customer_class_id=v.get("customer_class_id"),
        is_key=bool(v.get("is_key")))


def vehicle_form(title: str, f: VehicleForm) -> FormDialog:
    return FormDialog(title, [
        forms.text("plate", _("Plate"), value=f.plate, max_length=12, placeholder="粤B12345"),
        forms.text("vin", "VIN", value=f.vin, max_length=17),
        forms.text("brand", _("Brand"), value=f.brand or "Toyota", max_length=40),
        forms.text("series", _("Series"), value=f.series, max_length=40, required=False, placeholder="Camry",
                   suggestions=catalog.known_series(), hint=_("its series' operations and parts kits")),
        forms.text("model", _("Model"), value=f.model, max_length=60),
        forms.text("model_code", _("Model code"), value=f.model_code, max_length=30, required=False),
        forms.text("model_year", _("Model year"), value=str(f.model_year or ""), max_length=4, required=False),
        forms.text("engine_no", _("Engine no."), value=f.engine_no, max_length=30, required=False),
        forms.text("gearbox", _("Gearbox"), value=f.gearbox, max_length=30, required=False),
        forms.text("colour", _("Colour"), value=f.colour, max_length=30, required=False),
        forms.choice("fuel_type", _("Fuel"), [(i18n.label(FUEL_TYPE_LABELS, t), t) for t in FUEL_TYPES],
                     value=f.fuel_type or None, required=False, placeholder="—"),
        forms.text("purchase_date", _("Purchase date"), value=str(f.purchase_date or ""), max_length=12,
                   required=False, placeholder="2021-05-03"),
        forms.text("purchase_mileage", _("Mileage at purchase"), value=str(f.purchase_mileage or ""), max_length=9,
                   required=False),
        forms.text("selling_dealer", _("Selling dealer"), value=f.selling_dealer, max_length=80, required=False),
        forms.text("insurer", _("Insurer"), value=f.insurer, max_length=60, required=False),
        forms.text("insurance_expiry", _("Insurance expiry"), value=str(f.insurance_expiry or ""), max_length=12,
                   required=False, placeholder="2027-03-31"),
        forms.text("warranty_expiry", _("Warranty expiry"), value=str(f.warranty_expiry or ""), max_length=12,
                   required=False),
    ], submit_label=_("Save"))


def vehicle_values(v: dict) -> VehicleForm:
    return VehicleForm(**{k: ("" if v.get(k) is None else v[k]) for k in customer_file.VEHICLE_FIELDS})


# --- the customer's file -----------------------------------------------------------------------------------

def _car_row(car: customer_file.VehicleSummary):
    return (car.plate, f"{car.brand} {car.model}", car.vin, _d(car.last_visit_at),
            f"{car.last_mileage:,}" if car.last_mileage else "", _d(car.insurance_expiry), _d(car.warranty_expiry))


def _call_row(r: call_register.CallRow):
    """A call of the customer's, as the follow-up screen's register shows it (workshop/call_register.py)."""
    from models.followup import CALL_CHANNEL_LABELS, CALL_TOPIC_LABELS
    what = call_register.result_label(r.topic, r.result) if r.result else (
        _("reached") if r.reached else _("not reached"))
    return (f"{r.at:%Y-%m-%d %H:%M}", "←" if r.direction == "in" else "→", i18n.label(CALL_TOPIC_LABELS, r.topic),
            what, i18n.label(CALL_CHANNEL_LABELS, r.channel), r.plate, f"#{r.complaint_id}" if r.complaint_id else "",
            r.by, r.notes)


class TakesCalls:
    """An incoming call or a customer at the desk recorded from a file (``i``, ``w``): the customer is the
    file's, the car the one chosen (workshop/call_register.record_incoming), with a follow-up call's outcome."""

    def caller(self) -> tuple[int, str, str, list[tuple[str, int]], int | None] | None:
        """(customer id, name, mobile, their cars as (plate, id), the car the call is about) or None."""
        raise NotImplementedError

    def _incoming(self, walk_in: bool) -> None:
        who = self.caller()
        if who is None:
            return
        customer_id, name, mobile, cars, car = who
        form = followup_forms.incoming_form_of(name, phones.display(mobile), cars, car=car, walk_in=walk_in)
        self.ask(form, lambda v: partial(call_register.record_incoming, customer_id, vehicle_id=v.get("vehicle"),
                                         **followup_forms.outcome_values(v)),
                 success=(_("Walk-in of {name} in the register.") if walk_in else
                          _("Incoming call of {name} in the register.")).format(name=name))

    def action_incoming(self) -> None:
        self._incoming(walk_in=False)

    def action_walk_in(self) -> None:
        self._incoming(walk_in=True)


CALL_BINDINGS = [Binding("i", "incoming", N_("Incoming call")), Binding("w", "walk_in", N_("Walk-in"))]
CALL_PERMISSIONS = {"incoming": "log_call", "walk_in": "log_call"}


class CustomerFileScreen(TakesCalls, Acting, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("e", "edit", N_("Edit")),
        Binding("n", "add_vehicle", N_("Add car")),
        Binding("b", "book", N_("Book appointment")),
        Binding("m", "merge", N_("Merge")),
        *CALL_BINDINGS,
        Binding("1", "tab('cars')", N_("Cars"), show=False),
        Binding("2", "tab('calls')", N_("Calls"), show=False),
    ]
    PERMISSIONS = {"edit": "edit_customer_file", "add_vehicle": "edit_customer_file", "merge": "merge_customers",
                   "book": "book_appointments", **CALL_PERMISSIONS}
    DEFAULT_CSS = """
    CustomerFileScreen #customer-box { height: auto; max-height: 55%; }
    CustomerFileScreen #customer-head { padding: 0 1; height: auto; }
    CustomerFileScreen TabbedContent, CustomerFileScreen ContentSwitcher, CustomerFileScreen TabPane { height: 1fr; }
    CustomerFileScreen TabPane { padding: 0; }
    CustomerFileScreen PagedTable { height: 1fr; }
    CustomerFileScreen .title { padding: 0 1; text-style: bold; }
    """

    def __init__(self, customer_id: int):
        super().__init__()
        self.customer_id = customer_id
        self.file: customer_file.CustomerFile | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static("", id="customer-head"), id="customer-box")
        with TabbedContent(initial="cars-tab"):
            with TabPane(_("Cars [1]"), id="cars-tab"):
                yield PagedTable((_("Plate"), _("Car"), "VIN", _("Last visit"), _("km"), _("Insurance"),
                                  _("Warranty")), _car_row, id="cars")
            with TabPane(_("Calls [2]"), id="calls-tab"):
                yield PagedTable((_("When"), "", _("Kind"), _("Result"), _("How"), _("Plate"), _("Complaint"), _("By"),
                                  _("Notes")), _call_row, id="calls")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Customer's file")
        self.reload()
        self.query_one("#cars").focus()

    def reload(self) -> None:
        file = self.fetch(customer_file.customer_file, self.customer_id)
        if file is None:
            return
        self.file = file
        self.sub_title = clean(f"{file.name} · {file.code}")
        klass = file.class_name
        if klass:
            until = _d(file.class_until) or _("no end")
            klass = _("{name} until {day}").format(name=klass, day=until) + ("" if file.class_valid else
                                                                             " · " + _("expired: no discount"))
        head = _field_lines([
            (_("Customer"), f"{file.name}  ({file.code}, {file.kind_label})"),
            (_("Mobile"), phones.display(file.mobile)),
            (_("Home / office"), " / ".join(p for p in (phones.display(file.home_phone),
                                                      phones.display(file.office_phone)) if p)),
            (_("Address"), " ".join(x for x in (file.address, file.postcode) if x)),
            (_("Email"), file.email), (_("ID / organisation code"), file.id_number), (_("Birthday"), _d(file.birthday)),
            (_("Class"), klass), (_("Key customer"), _("yes") if file.is_key else _("no")),
            (_("Last visit"), i18n.datetime(file.last_visit_at)), (_("Notes"), file.notes),
        ])
        if file.merged_into:
            head.append(_("This file was merged into another: edit that one."), style="bold yellow")
        self.query_one("#customer-head", Static).update(head)
        self.query_one("#cars", PagedTable).load(lambda n, o: list(file.vehicles)[o:o + n])
        customer_id = self.customer_id
        self.query_one("#calls", PagedTable).load(
            lambda n, after: call_register.calls(limit=n, after=after, customer_id=customer_id), keyset=True)

    def refresh_from_changes(self, changes) -> None:
        self.reload()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = f"{tab}-tab"
        self.query_one(f"#{tab}").focus()

    def caller(self):
        file = self.file
        if file is None:
            return None
        cars = [(car.plate, car.id) for car in file.vehicles]
        return file.id, file.name, file.mobile, cars, cars[0][1] if len(cars) == 1 else None

    @on(PagedTable.RowSelected, "#cars")
    def open_car(self) -> None:
        car = self.query_one("#cars", PagedTable).selected
        if car is not None:
            self.app.push_screen(VehicleFileScreen(car.id))

    def action_edit(self) -> None:
        if self.file is None:
            return
        version = self.file.version
        self.ask(customer_form(_("File of {name}").format(name=self.file.name),
                               customer_file.form_of_customer(self.customer_id)),
                 lambda v: partial(customer_file.update_customer, self.customer_id, customer_values(v),
                                   seen_version=version), success=_("Saved."))

    def action_add_vehicle(self) -> None:
        if self.file is None:
            return
        self.ask(vehicle_form(_("A car of {name}").format(name=self.file.name), VehicleForm()),
                 lambda v: partial(customer_file.add_vehicle, self.customer_id, vehicle_values(v)),
                 success=lambda car: _("{plate} registered.").format(plate=car.plate))

    def action_merge(self) -> None:
        if self.file is None:
            return
        kept = self.file
        form = FormDialog(_("Merge another file into {name} ({code})").format(name=kept.name, code=kept.code), [
            forms.text("other", _("The other file"), max_length=40, placeholder=_("its owner code, mobile or plate")),
        ], intro=_("The other file's cars, orders, calls and complaints come to this one; its blanks fill this "
                   "file's blanks. The other file stays, marked merged."), submit_label=_("Merge"))

        def call(values: dict):
            hits = [h for h in customer_file.lookup(values["other"]) if h.customer_id != kept.id]
            owners = {h.customer_id for h in hits}
            if len(owners) != 1:
                from workshop.errors import InvalidInput
                form.show_refusal(InvalidInput(_("No other file found for that.") if not owners else
                                               _("That fits {count} files: type the owner code.").format(
                                                   count=len(owners)), "other"))
                return False
            return partial(customer_file.merge_customers, kept.id, owners.pop())

        def submitted(values: dict) -> None:
            partial_call = call(values)
            if partial_call:
                self.act(partial_call.func, *partial_call.args, form=form,
                         success=_("Merged into {name}.").format(name=kept.name), **partial_call.keywords)

        form.on_submit = submitted
        self.app.push_screen(form)

    def action_book(self) -> None:
        """An appointment for the car selected in the list (预约)."""
        car = self.query_one("#cars", PagedTable).selected
        if self.file is None or car is None:
            self.notify(_("Pick the car to book first."), severity="warning")
            return
        from screens.appointments import ask_booking
        ask_booking(self, car.plate, intro=f"{self.file.name} · {phones.display(self.file.mobile)}")


# --- the vehicle's file --------------------------------------------------------------------------------------

def _visit_row(v: customer_file.VisitRow):
    # In a group, the shop visited leads the order's number (a car's history spans the group's shops).
    number = _("RO {number}").format(number=v.number)
    return (f"{v.shop} {number}" if v.shop else number, i18n.date(v.time_in), f"{v.mileage:,}", v.business_type,
            v.state,
            "" if v.total is None else i18n.money(v.total), v.advisor, v.statement)


def _part_row(p: customer_file.PartUsed):
    from models.parts import UNIT_LABELS
    return (_("RO {number}").format(number=p.order_number), i18n.date(p.at), p.code, p.name, f"{p.qty.normalize()}",
            i18n.label(UNIT_LABELS, p.unit))


def _contact_row(c: customer_file.ContactRow):
    return (i18n.date(c.at), c.kind, c.status, c.text)


def _appointment_row(row):
    from models.appointments import APPOINTMENT_STATE_LABELS
    return (f"{i18n.date(row.starts_at)} {row.starts_at:%H:%M}", i18n.label(APPOINTMENT_STATE_LABELS, row.state),
            row.work, row.label, row.advisor, f"RO {row.order_number}" if row.order_number else "")


def _plan_row(p: service_plan.PlanLine):
    what = _("first service") if p.seq == 1 else _("planned service {number}").format(number=p.seq)
    return (what, f"{p.due_km:,}", i18n.date(p.planned_date), i18n.date(p.due_date),
            i18n.label(PLAN_STATUS_LABELS, p.status), f"RO {p.order_number}" if p.order_number else "")


class VehicleFileScreen(TakesCalls, Acting, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("e", "edit", N_("Edit")),
        Binding("c", "owner", N_("Owner's file")),
        Binding("t", "transfer", N_("New owner")),
        Binding("b", "book", N_("Book appointment")),
        *CALL_BINDINGS,
        Binding("1", "tab('visits')", N_("Visits"), show=False),
        Binding("2", "tab('parts')", N_("Parts"), show=False),
        Binding("3", "tab('contacts')", N_("Calls"), show=False),
        Binding("4", "tab('appointments')", N_("Appointments"), show=False),
        Binding("5", "tab('plan')", N_("Maintenance plan"), show=False),
    ]
    PERMISSIONS = {"edit": "edit_customer_file", "transfer": "edit_customer_file", "book": "book_appointments",
                   **CALL_PERMISSIONS}
    DEFAULT_CSS = """
    VehicleFileScreen #vehicle-head { padding: 0 1; height: auto; }
    VehicleFileScreen #vehicle-box { height: auto; max-height: 45%; }
    VehicleFileScreen TabbedContent, VehicleFileScreen ContentSwitcher, VehicleFileScreen TabPane { height: 1fr; }
    VehicleFileScreen TabPane { padding: 0; }
    VehicleFileScreen PagedTable { height: 1fr; }
    """

    def __init__(self, vehicle_id: int):
        super().__init__()
        self.vehicle_id = vehicle_id
        self.file: customer_file.VehicleFile | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static("", id="vehicle-head"), id="vehicle-box")
        with TabbedContent(initial="visits"):
            with TabPane(_("Visits [1]"), id="visits"):
                yield PagedTable((_("RO"), _("In"), _("km"), _("Business"), _("State"), _("Total"), _("Advisor"),
                                  _("Statement")), _visit_row, id="visits-table")
            with TabPane(_("Parts fitted [2]"), id="parts"):
                yield PagedTable((_("RO"), _("Date"), _("Code"), _("Part"), _("Qty"), _("Unit")), _part_row,
                                 id="parts-table")
            with TabPane(_("Complaints and calls [3]"), id="contacts"):
                yield PagedTable((_("Date"), _("What"), _("Status"), _("Content")), _contact_row,
                                 id="contacts-table")
            with TabPane(_("Appointments [4]"), id="appointments"):
                yield PagedTable((_("Due"), _("State"), _("Work"), _("No."), _("Booked by"), _("Order")),
                                 _appointment_row, id="appointments-table")
            with TabPane(_("Plan [5]"), id="plan"):
                yield PagedTable((_("Service"), _("Due at km"), _("Planned"), _("Due"), _("Status"), _("Done by")),
                                 _plan_row, id="plan-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Vehicle's file")
        self.reload()
        self.query_one("#visits-table").focus()

    def reload(self) -> None:
        file = self.fetch(customer_file.vehicle_file, self.vehicle_id)
        if file is None:
            return
        self.file = file
        self.sub_title = clean(f"{file.plate} · {file.owner_name}")
        plan = service_plan.plan_of(file.id)
        planned = next((p for p in plan if p.status == "open"), None)  # while a plan runs, it says when
        head = _field_lines([
            (_("Car"), "  ".join(x for x in (file.plate, f"{file.brand} {file.model}",
                                             file.series if file.series not in file.model else "", file.model_code)
                                 if x)),
            ("VIN", file.vin),
            (_("Owner"), f"{file.owner_name} ({file.owner_code}) {phones.display(file.owner_mobile)}"),
            (_("Year / engine / gearbox"), " / ".join(str(x) for x in (file.model_year or "", file.engine_no,
                                                                       file.gearbox) if x)),
            (_("Colour / fuel"), " / ".join(x for x in (file.colour, file.fuel_label) if x)),
            (_("Bought"), " ".join(x for x in (_d(file.purchase_date),
                                               _("{km} km").format(km=f"{file.purchase_mileage:,}") if file.purchase_mileage else "",
                                               file.selling_dealer) if x)),
            (_("Insurance"), " ".join(x for x in (file.insurer, _("until {day}").format(day=_d(file.insurance_expiry))
                                                  if file.insurance_expiry else "") if x)),
            (_("Warranty until"), _d(file.warranty_expiry)),
            (_("Last visit"), " ".join(x for x in (i18n.datetime(file.last_visit_at),
                                                   _("{km} km").format(km=f"{file.last_mileage:,}") if file.last_mileage else "") if x)),
            (_("Next service due"), _("{date} or at {km} km").format(date=_d(planned.due_date), km=f"{planned.due_km:,}")
             if planned else _d(file.next_service_due)),
        ])
        from workshop import appointments
        booked = self.fetch(appointments.of_vehicle, self.vehicle_id) or []
        upcoming = [r for r in booked if r.state in appointments.OPEN]
        if upcoming:  # the next one (the list is newest first)
            head.append(f"{_('Appointment')}: ", style="dim")
            head.append(clean(f"{upcoming[-1].label} {i18n.date(upcoming[-1].starts_at)} "
                              f"{upcoming[-1].starts_at:%H:%M} · {upcoming[-1].work}"), style="bold")
        self.query_one("#vehicle-head", Static).update(head)
        self.query_one("#visits-table", PagedTable).load(lambda n, o: list(file.visits)[o:o + n])
        self.query_one("#parts-table", PagedTable).load(lambda n, o: list(file.parts)[o:o + n])
        contacts = sorted(file.complaints + file.callbacks, key=lambda c: c.at, reverse=True)
        self.query_one("#contacts-table", PagedTable).load(lambda n, o: contacts[o:o + n])
        self.query_one("#appointments-table", PagedTable).load(lambda n, o: booked[o:o + n])
        self.query_one("#plan-table", PagedTable).load(lambda n, o: plan[o:o + n])

    def caller(self):
        file = self.file
        if file is None:
            return None
        return file.owner_id, file.owner_name, file.owner_mobile, [(file.plate, file.id)], file.id

    def refresh_from_changes(self, changes) -> None:
        self.reload()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab}-table").focus()

    @on(PagedTable.RowSelected, "#visits-table")
    def open_visit(self) -> None:
        visit = self.query_one("#visits-table", PagedTable).selected
        if visit is not None:
            self.app.open_order(visit.order_id)

    def action_edit(self) -> None:
        if self.file is None:
            return
        version = self.file.version
        self.ask(vehicle_form(_("File of {plate}").format(plate=self.file.plate),
                              customer_file.form_of_vehicle(self.vehicle_id)),
                 lambda v: partial(customer_file.update_vehicle, self.vehicle_id, vehicle_values(v),
                                   seen_version=version), success=_("Saved."))

    def action_owner(self) -> None:
        if self.file is not None:
            self.app.push_screen(CustomerFileScreen(self.file.owner_id))

    def action_book(self) -> None:
        """An appointment for this car (预约), the owner and the service due shown above the form."""
        if self.file is None:
            return
        from screens.appointments import ask_booking
        due = _("next service due {day}").format(day=_d(self.file.next_service_due)) if self.file.next_service_due else ""
        ask_booking(self, self.file.plate, intro=" · ".join(
            x for x in (self.file.owner_name, phones.display(self.file.owner_mobile), due) if x))

    def action_transfer(self) -> None:
        if self.file is None:
            return
        car, version = self.file, self.file.version
        form = FormDialog(_("New owner of {plate}").format(plate=car.plate), [
            forms.text("owner", _("New owner"), max_length=40, placeholder=_("their owner code or mobile")),
        ], submit_label=_("Change owner"))

        def submitted(values: dict) -> None:
            owners = {h.customer_id for h in customer_file.lookup(values["owner"]) if h.kind == "customer"}
            if len(owners) != 1:
                from workshop.errors import InvalidInput
                form.show_refusal(InvalidInput(_("No file found for that.") if not owners else
                                               _("That fits {count} files: type the owner code.").format(
                                                   count=len(owners)), "owner"))
                return
            self.act(customer_file.change_owner, car.id, owners.pop(), seen_version=version, form=form,
                     success=_("{plate} has a new owner.").format(plate=car.plate))

        form.on_submit = submitted
        self.app.push_screen(form)


# --- the command palette -----------------------------------------------------------------------------------

def open_vehicle_file(app, vehicle_id: int) -> None:
    app.push_screen(VehicleFileScreen(vehicle_id))


def open_customer_file(app, customer_id: int) -> None:
    app.push_screen(CustomerFileScreen(customer_id))


class FileSearch(Provider):
    """Command palette: a customer's or a vehicle's file by plate, VIN, phone number or name."""

    async def search(self, query: str) -> Hits:
        from workshop.permissions import can
        app = self.app
        if app.staff is None or not can(app.staff, "view_customer_file") or len(query.strip()) < 2:
            return
        matcher = self.matcher(query)
        for hit in customer_file.lookup(query, limit=10):
            if hit.kind == "vehicle":
                text = _("Vehicle file {plate}").format(plate=hit.title)
                action = partial(open_vehicle_file, app, hit.vehicle_id)
            else:
                text = _("Customer file {name}").format(name=hit.title)
                action = partial(open_customer_file, app, hit.customer_id)
            yield Hit(max(matcher.match(text), 0.4), content(text), action, text=clean(text), help=content(hit.detail))
