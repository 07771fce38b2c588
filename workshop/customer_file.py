"""The customer's file (客戶檔案) and the vehicle's file (車輛資料): every field the shop keeps, edited with
validation and an audit row; the car's service history; finding a file by plate, VIN, phone or name; and
merging two files of one person (managers).

Decided here, where the issue was silent:
- A customer's class holds until ``class_until``: given a class without a date, it runs for the class's
  ``valid_months`` from today (0: no end). An expired class gives no discount (workshop/settlement.terms_for
  asks ``class_discounts`` with the day the car was checked in: the terms agreed at reception).
- One file per mobile number: a second file with a number already on file is refused, naming the file.
- An edit carries the version of the file it started from; if another terminal saved first it is refused
  (StaleRecord), naming who changed it, so nobody's edit is silently lost.
- Merging keeps the chosen file, fills its blanks from the other, adds the other's notes and flags, and moves
  every record that points at the other file (cars, orders, calls, complaints, balances...) to it. The other
  file stays, marked merged, found by no search, on no reminder list and in no class: its invoices are facts
  that name it and are never rewritten. One audit row holds both files as they were.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from peewee import JOIN, fn

from models.db import run_write
from models.events import Event
from models.people import CUSTOMER_KIND_LABELS, CUSTOMER_KINDS, FUEL_TYPE_LABELS, FUEL_TYPES, Customer, \
    CustomerClass, Staff, Vehicle
from workshop import audit, clock, dates, i18n, phones, validation, vins
from workshop.amounts import integer
from workshop.errors import InvalidInput, NotFound, StaleRecord
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require

MAX_MILEAGE = 2_000_000
HISTORY_LIMIT = 50


@dataclass
class CustomerForm:
    name: str = ""
    mobile: str = ""
    kind: str = "private"
    home_phone: str = ""
    office_phone: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    id_number: str = ""
    birthday: object = ""        # text as typed, or a date
    notes: str = ""
    customer_class_id: int | None = None
    class_until: object = ""     # blank: the class's own validity from today
    is_key: bool = False


@dataclass
class VehicleForm:
    plate: str = ""
    vin: str = ""
    brand: str = ""
    series: str = ""
    model: str = ""
    model_code: str = ""
    model_year: str = ""
    engine_no: str = ""
    gearbox: str = ""
    colour: str = ""
    fuel_type: str = ""
    purchase_date: object = ""
    purchase_mileage: str = ""
    selling_dealer: str = ""
    insurer: str = ""
    insurance_expiry: object = ""
    warranty_expiry: object = ""


CUSTOMER_FIELDS = tuple(f.name for f in fields(CustomerForm))
VEHICLE_FIELDS = tuple(f.name for f in fields(VehicleForm))


# --- validation ---------------------------------------------------------------------------------------------

def _text(value, name: str, label: str, max_len: int, required: bool = False) -> str | None:
    return validation.text(value if value is None else str(value), name, label, max_len=max_len, required=required)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def validate_customer(form: CustomerForm, *, current: Customer | None = None, classes: dict | None = None) -> dict:
    """The customer's columns from the form, or InvalidInput naming the first bad field. ``classes`` (id ->
    CustomerClass), when given, saves a query per row to an import."""
    if form.kind not in CUSTOMER_KINDS:
        raise InvalidInput(_("Customer type must be private, company or fleet."), "kind")
    email = _text(form.email, "email", _("Email"), 120)
    if email and ("@" not in email or "." not in email.split("@")[-1] or " " in email):
        raise InvalidInput(_("'{email}' is not an email address.").format(email=email), "email")
    postcode = _text(form.postcode, "postcode", _("Postcode"), 10)
    if postcode and not postcode.isalnum():
        raise InvalidInput(_("A postcode has only letters and digits."), "postcode")
    id_number = _text(form.id_number, "id_number", _("ID / organisation code"), 40)
    if id_number:
        id_number = id_number.upper().replace(" ", "")
        if not id_number.replace("-", "").isalnum():
            raise InvalidInput(_("An ID or organisation code has only letters, digits and dashes."), "id_number")
    today = clock.today()
    birthday = dates.date(form.birthday, "birthday", _("Birthday"), earliest=dt.date(1900, 1, 1), latest=today)
    klass, until = None, None
    if form.customer_class_id is not None:
        klass = classes.get(form.customer_class_id) if classes is not None else \
            CustomerClass.get_or_none(CustomerClass.id == form.customer_class_id)
        if klass is None:
            raise InvalidInput(_("That customer class does not exist."), "customer_class")
        same = current is not None and current.customer_class_id == klass.id
        if not klass.active and not same:
            raise InvalidInput(_("The class {name} is retired: choose another.").format(name=klass.name),
                               "customer_class")
        until = dates.date(form.class_until, "class_until", _("Class valid until"),
                           earliest=dt.date(2000, 1, 1), latest=dt.date(today.year + 50, 12, 31))
        if until is None:
            if same:
                until = current.class_until
            elif klass.valid_months:
                until = add_months(today, klass.valid_months)
    return dict(
        name=_text(form.name, "name", _("Customer name"), 100, required=True),
        kind=form.kind,
        mobile=phones.normalise(form.mobile, "mobile", _("Mobile")),
        home_phone=phones.normalise(form.home_phone, "home_phone", _("Home phone"), required=False),
        office_phone=phones.normalise(form.office_phone, "office_phone", _("Office phone"), required=False),
        email=email,
        address=_text(form.address, "address", _("Address"), 200),
        postcode=postcode, id_number=id_number, birthday=birthday,
        notes=validation.text(form.notes, "notes", _("Notes"), max_len=2000, required=False),
        customer_class=klass.id if klass else None, class_until=until,
        is_key=bool(form.is_key),
    )


def validate_vehicle(form: VehicleForm) -> dict:
    """The vehicle's columns from the form, or InvalidInput naming the first bad field."""
    today = clock.today()
    year = None
    if str(form.model_year or "").strip():
        year = integer(form.model_year, "model_year", _("Model year"), minimum=1950, maximum=today.year + 1)
    mileage = None
    if str(form.purchase_mileage or "").strip():
        mileage = integer(form.purchase_mileage, "purchase_mileage", _("Mileage at purchase"), minimum=0,
                          maximum=MAX_MILEAGE)
    fuel = (form.fuel_type or "").strip() or None
    if fuel is not None and fuel not in FUEL_TYPES:
        raise InvalidInput(_("Fuel type must be one of: {choices}.").format(
            choices=", ".join(i18n.label(FUEL_TYPE_LABELS, f) for f in FUEL_TYPES)), "fuel_type")
    far = dt.date(today.year + 30, 12, 31)
    return dict(
        plate=validation.plate(form.plate),
        vin=vins.verify(validation.vin(form.vin)),
        brand=_text(form.brand, "brand", _("Brand"), 40, required=True),
        series=_text(form.series, "series", _("Series"), 40),
        model=_text(form.model, "model", _("Model"), 60, required=True),
        model_code=_text(form.model_code, "model_code", _("Model code"), 30),
        model_year=year,
        engine_no=_text(form.engine_no, "engine_no", _("Engine no."), 30),
        gearbox=_text(form.gearbox, "gearbox", _("Gearbox"), 30),
        colour=_text(form.colour, "colour", _("Colour"), 30),
        fuel_type=fuel,
        purchase_date=dates.date(form.purchase_date, "purchase_date", _("Purchase date"),
                                 earliest=dt.date(1950, 1, 1), latest=today),
        purchase_mileage=mileage,
        selling_dealer=_text(form.selling_dealer, "selling_dealer", _("Selling dealer"), 80),
        insurer=_text(form.insurer, "insurer", _("Insurer"), 60),
        insurance_expiry=dates.date(form.insurance_expiry, "insurance_expiry", _("Insurance expiry"),
                                    earliest=dt.date(1990, 1, 1), latest=far),
        warranty_expiry=dates.date(form.warranty_expiry, "warranty_expiry", _("Warranty expiry"),
                                   earliest=dt.date(1990, 1, 1), latest=far),
    )


def form_of_customer(customer_id: int) -> CustomerForm:
    """The form filled with the customer's file as it is (for editing)."""
    c = _customer(customer_id)
    return CustomerForm(name=c.name, mobile=c.mobile, kind=c.kind, home_phone=c.home_phone or "",
                        office_phone=c.office_phone or "", email=c.email or "", address=c.address or "",
                        postcode=c.postcode or "", id_number=c.id_number or "",
                        birthday=c.birthday.isoformat() if c.birthday else "", notes=c.notes or "",
                        customer_class_id=c.customer_class_id,
                        class_until=c.class_until.isoformat() if c.class_until else "", is_key=bool(c.is_key))


def form_of_vehicle(vehicle_id: int) -> VehicleForm:
    v = _vehicle(vehicle_id)

    def s(value):
        return "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
    return VehicleForm(**{name: s(getattr(v, name)) for name in VEHICLE_FIELDS})


# --- reading ------------------------------------------------------------------------------------------------

def _customer(customer_id: int) -> Customer:
    found = Customer.get_or_none(Customer.id == customer_id)
    if found is None:
        raise NotFound(_("That customer does not exist."))
    return found


def _vehicle(vehicle_id: int) -> Vehicle:
    found = Vehicle.get_or_none(Vehicle.id == vehicle_id)
    if found is None:
        raise NotFound(_("That vehicle does not exist."))
    return found


@dataclass(frozen=True)
class ClassTerms:
    """The discounts a customer's class gives on a day (none when it has expired)."""
    name: str
    labor_discount: object
    material_discount: object
    valid: bool
    until: dt.date | None


def class_discounts(customer_id: int, on: dt.date) -> ClassTerms | None:
    """The customer's class on ``on`` (one query), or None without a class; ``valid`` False once expired."""
    row = (Customer.select(CustomerClass.name, CustomerClass.name_zh, CustomerClass.labor_discount,
                           CustomerClass.material_discount, Customer.class_until)
           .join(CustomerClass, on=(Customer.customer_class == CustomerClass.id))
           .where(Customer.id == customer_id).tuples().first())
    if row is None:
        return None
    name, name_zh, labor, material, until = row
    return ClassTerms(i18n.local(name, name_zh), labor, material, until is None or on <= until, until)


@dataclass(frozen=True)
class VehicleSummary:
    id: int
    plate: str
    vin: str
    brand: str
    series: str
    model: str
    last_visit_at: dt.datetime | None
    last_mileage: int | None
    insurance_expiry: dt.date | None
    warranty_expiry: dt.date | None


@dataclass(frozen=True)
class CustomerFile:
    id: int
    code: str
    version: int
    name: str
    kind: str
    kind_label: str
    mobile: str
    home_phone: str
    office_phone: str
    email: str
    address: str
    postcode: str
    id_number: str
    birthday: dt.date | None
    notes: str
    class_id: int | None
    class_name: str
    class_until: dt.date | None
    class_valid: bool
    is_key: bool
    has_complained: bool
    unreachable: bool
    created_at: dt.datetime
    last_visit_at: dt.datetime | None
    merged_into: int | None
    vehicles: tuple[VehicleSummary, ...]


def customer_file(customer_id: int) -> CustomerFile:
    """The customer's file with their vehicles, as plain data (two queries)."""
    c = _customer(customer_id)
    klass = class_discounts(c.id, clock.today()) if c.customer_class_id else None
    cars = tuple(VehicleSummary(*row) for row in (
        Vehicle.select(Vehicle.id, Vehicle.plate, Vehicle.vin, Vehicle.brand, Vehicle.series, Vehicle.model,
                       Vehicle.last_visit_at, Vehicle.last_mileage, Vehicle.insurance_expiry, Vehicle.warranty_expiry)
        .where(Vehicle.customer == c.id).order_by(Vehicle.plate).limit(200).tuples()))
    return CustomerFile(
        c.id, c.code, c.version, c.name, c.kind, i18n.label(CUSTOMER_KIND_LABELS, c.kind), c.mobile,
        c.home_phone or "", c.office_phone or "", c.email or "", c.address or "", c.postcode or "",
        c.id_number or "", c.birthday, c.notes or "", c.customer_class_id, klass.name if klass else "",
        c.class_until, bool(klass and klass.valid), bool(c.is_key), bool(c.has_complained), bool(c.unreachable),
        c.created_at, c.last_visit_at, c.merged_into_id, cars)


@dataclass(frozen=True)
class VisitRow:
    order_id: int
    number: int
    time_in: dt.datetime
    mileage: int
    business_type: str      # translated
    state: str              # translated
    statement: str
    advisor: str
    total: object | None    # invoiced (net of voids), None before settling
    shop: str = ""          # the code of the shop visited, in a group ("" in a one-shop database)


@dataclass(frozen=True)
class PartUsed:
    order_number: int
    at: dt.datetime
    code: str
    name: str
    qty: object
    unit: str


@dataclass(frozen=True)
class ContactRow:
    at: dt.datetime
    kind: str        # translated: the callback's kind or "complaint"
    status: str      # translated
    text: str


@dataclass(frozen=True)
class VehicleFile:
    id: int
    version: int
    plate: str
    vin: str
    brand: str
    series: str
    model: str
    model_code: str
    model_year: int | None
    engine_no: str
    gearbox: str
    colour: str
    fuel_type: str
    fuel_label: str
    purchase_date: dt.date | None
    purchase_mileage: int | None
    selling_dealer: str
    insurer: str
    insurance_expiry: dt.date | None
    warranty_expiry: dt.date | None
    last_visit_at: dt.datetime | None
    last_mileage: int | None
    next_service_due: dt.date | None
    owner_id: int
    owner_code: str
    owner_name: str
    owner_mobile: str
    visits: tuple[VisitRow, ...]
    parts: tuple[PartUsed, ...]
    complaints: tuple[ContactRow, ...]
    callbacks: tuple[ContactRow, ...]


def vehicle_file(vehicle_id: int, *, limit: int = HISTORY_LIMIT) -> VehicleFile:
    """The vehicle's file with its service history, newest first, at most ``limit`` of each kind: past orders
    with mileage and totals, parts fitted, complaints and callbacks (a fixed number of queries)."""
    from models.followup import (CALLBACK_KIND_LABELS, CALLBACK_STATUS_LABELS, COMPLAINT_STATUS_LABELS, Callback,
                                 Complaint)
    from models.orders import BUSINESS_TYPE_LABELS, RepairOrder
    from models.parts import Part, PartLine
    from models.settlement import Settlement
    from workshop.lifecycle import label as state_label

    v = _vehicle(vehicle_id)
    owner = _customer(v.customer_id)
    # Every visit of the car, at whichever shop of the group (customers and vehicles are the group's).
    orders = list(RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.time_in, RepairOrder.mileage_in,
                                     RepairOrder.business_type, RepairOrder.state, RepairOrder.statement, Staff.name,
                                     RepairOrder.shop)
                  .join(Staff, on=(RepairOrder.advisor == Staff.id))
                  .where(RepairOrder.vehicle == v.id).order_by(RepairOrder.time_in.desc(), RepairOrder.id.desc())
                  .limit(limit).tuples())
    ids = [row[0] for row in orders]
    totals = dict(Settlement.select(Settlement.order, fn.SUM(Settlement.total)).where(Settlement.order.in_(ids))
                  .group_by(Settlement.order).tuples()) if ids else {}
    from workshop import shops
    shop_codes = shops.names() if shops.is_group() else {}
    visits = tuple(VisitRow(oid, number, time_in, mileage, i18n.label(BUSINESS_TYPE_LABELS, btype),
                            state_label(state), statement or "", advisor, totals.get(oid), shop_codes.get(shop, ""))
                   for oid, number, time_in, mileage, btype, state, statement, advisor, shop in orders)
    number_of = {row[0]: (row[1], row[2]) for row in orders}
    parts = []
    if ids:
        for order_id, code, name, name_zh, picked, returned, unit in (
                PartLine.select(PartLine.order, Part.code, Part.name, Part.name_zh, PartLine.picked, PartLine.returned,
                                Part.unit)
                .join(Part).where(PartLine.order.in_(ids) & (PartLine.picked > PartLine.returned))
                .order_by(PartLine.order.desc(), PartLine.position).limit(limit * 4).tuples()):
            number, at = number_of[order_id]
            parts.append(PartUsed(number, at, code, i18n.local(name, name_zh), picked - returned, unit))
    complaints = tuple(ContactRow(at, _("complaint"), i18n.label(COMPLAINT_STATUS_LABELS, status), text)
                       for at, status, text in (
                           Complaint.select(Complaint.created_at, Complaint.status, Complaint.description)
                           .where(Complaint.order.in_(ids) if ids else (Complaint.id < 0))
                           .order_by(Complaint.created_at.desc()).limit(limit).tuples()))
    cond = (Callback.vehicle == v.id)
    if ids:
        cond |= Callback.order.in_(ids)
    callbacks = tuple(ContactRow(dt.datetime.combine(due, dt.time()), i18n.label(CALLBACK_KIND_LABELS, kind),
                                 i18n.label(CALLBACK_STATUS_LABELS, status), reason or "")
                      for due, kind, status, reason in (
                          Callback.select(Callback.due, Callback.kind, Callback.status, Callback.reason)
                          .where(cond).order_by(Callback.due.desc()).limit(limit).tuples()))
    return VehicleFile(
        v.id, v.version, v.plate, v.vin, v.brand, v.series or "", v.model, v.model_code or "", v.model_year,
        v.engine_no or "", v.gearbox or "", v.colour or "", v.fuel_type or "", i18n.label(FUEL_TYPE_LABELS, v.fuel_type),
        v.purchase_date, v.purchase_mileage, v.selling_dealer or "", v.insurer or "", v.insurance_expiry,
        v.warranty_expiry, v.last_visit_at, v.last_mileage, v.next_service_due, owner.id, owner.code, owner.name,
        owner.mobile, visits, tuple(parts[: limit * 4]), complaints, callbacks)


def vehicle_of_order(order_id: int) -> int:
    """The id of the car a repair order is for."""
    from models.orders import RepairOrder
    found = RepairOrder.select(RepairOrder.vehicle).where(RepairOrder.id == order_id).scalar()
    if found is None:
        raise NotFound(_("That repair order does not exist."))
    return found


@dataclass(frozen=True)
class FileHit:
    kind: str                # "vehicle" or "customer"
    customer_id: int
    vehicle_id: int | None
    title: str               # plate, or the customer's name
    detail: str


def lookup(text: str, *, limit: int = 20) -> list[FileHit]:
    """Files by plate (whole or its start), VIN (whole or its start), phone number or the customer's name,
    code or pinyin initials: index ranges only."""
    from workshop.customers import find_customers
    text = (text or "").strip()
    if not text:
        return []
    hits: list[FileHit] = []
    compact = text.upper().replace(" ", "").replace("·", "").replace("-", "")
    plate_key = compact
    try:
        plate_key = validation.plate(compact)
    except InvalidInput:
        pass
    def cars(cond):
        return list(Vehicle.select(Vehicle.id, Vehicle.plate, Vehicle.vin, Vehicle.model, Customer.id, Customer.name)
                    .join(Customer, on=(Vehicle.customer == Customer.id)).where(cond)
                    .order_by(Vehicle.plate).limit(limit).tuples())
    # Each on its own index (an OR of the two made SQLite walk every car in plate order).
    vehicle_rows = cars((Vehicle.plate >= plate_key) & (Vehicle.plate < plate_key + "\uffff"))
    if len(compact) >= 6:
        seen_cars = {row[0] for row in vehicle_rows}
        vehicle_rows += [row for row in cars((Vehicle.vin >= compact) & (Vehicle.vin < compact + "\uffff"))
                         if row[0] not in seen_cars]
    for vid, plate, vin, model, cid, name in vehicle_rows:
        hits.append(FileHit("vehicle", cid, vid, plate, f"{model} · {name} · {vin}"))
    try:
        number = phones.normalise(text)
    except InvalidInput:
        number = None
    seen = set()
    if number:
        for cid, code, name, mobile in (Customer.select(Customer.id, Customer.code, Customer.name, Customer.mobile)
                                        .where((Customer.mobile == number) & Customer.merged_into.is_null())
                                        .limit(limit).tuples()):
            seen.add(cid)
            hits.append(FileHit("customer", cid, None, name, f"{code} · {phones.display(mobile)}"))
    for hit in find_customers(text, limit=limit):
        if hit.id not in seen:
            seen.add(hit.id)
            hits.append(FileHit("customer", hit.id, None, hit.name, f"{hit.code} · {phones.display(hit.mobile)}"))
    if seen:
        merged = {cid for (cid,) in Customer.select(Customer.id).where(
            Customer.id.in_(list(seen)) & Customer.merged_into.is_null(False)).tuples()}
        hits = [h for h in hits if h.kind != "customer" or h.customer_id not in merged]
    return hits[:limit]


# --- changing -----------------------------------------------------------------------------------------------

def _changes(old, new: dict) -> tuple[dict, dict]:
    before, after = {}, {}
    for key, value in new.items():
        current = getattr(old, key + "_id") if key == "customer_class" else getattr(old, key)
        if current != value:
            before[key], after[key] = current, value
    return before, after


def _who_changed(entity: str, entity_id: int) -> str:
    row = (Event.select(Event.at, Staff.name).join(Staff, JOIN.LEFT_OUTER, on=(Event.actor == Staff.id))
           .where((Event.entity == entity) & (Event.entity_id == entity_id)).order_by(Event.id.desc()).tuples().first())
    if row is None:
        return _("at another terminal")
    at, name = row
    return _("by {name} at {time}").format(name=name or _("the system"), time=at.strftime("%H:%M"))


def _mobile_taken(mobile: str, other_than: int | None) -> None:
    query = Customer.select(Customer.code, Customer.name).where((Customer.mobile == mobile)
                                                               & Customer.merged_into.is_null())
    if other_than is not None:
        query = query.where(Customer.id != other_than)
    row = query.tuples().first()
    if row is not None:
        raise InvalidInput(_("{mobile} is already the mobile of {name} ({code}): open that file instead.").format(
            mobile=phones.display(mobile), name=row[1], code=row[0]), "mobile")


def new_customer_code() -> str:
    from workshop.reception import next_number
    return f"C{next_number('customer', 100001)}"


def insert_customer(data: dict, *, by: Staff | None, kind: str = "customer_created") -> Customer:
    """Inside a transaction: a new customer file from validated columns, with its code and audit row."""
    customer = Customer.create(code=new_customer_code(), created_at=clock.now(), **data)
    audit.record(by, kind, "customer", customer.id, Phrase(N_("Customer {name} registered ({code})"), name=customer.name,
                                                           code=customer.code),
                 after=dict(data, code=customer.code))
    return customer


def create_customer(form: CustomerForm, *, by: Staff) -> Customer:
    """Open a new customer's file."""
    data = validate_customer(form)

    def work():
        nonlocal by
        by = require(by, "edit_customer_file")
        _mobile_taken(data["mobile"], None)
        return insert_customer(data, by=by)

    return run_write(work)


def update_customer(customer_id: int, form: CustomerForm, *, by: Staff, seen_version: int) -> Customer:
    """Save the customer's file as edited; refused if another terminal saved it since ``seen_version``."""

    def work():
        nonlocal by
        by = require(by, "edit_customer_file")
        customer = _customer(customer_id)
        if customer.merged_into_id:
            raise InvalidInput(_("This file was merged into another: edit that one."), "customer")
        data = validate_customer(form, current=customer)
        if data["mobile"] != customer.mobile:
            _mobile_taken(data["mobile"], customer.id)
        before, after = _changes(customer, data)
        if not after:
            return customer
        if Customer.update(version=Customer.version + 1).where(
                (Customer.id == customer.id) & (Customer.version == seen_version)).execute() != 1:
            raise StaleRecord(_("{name}'s file was changed {who}: look at it again before saving.").format(
                name=customer.name, who=_who_changed("customer", customer.id)))
        for key, value in after.items():
            setattr(customer, key, value)
        customer.version = seen_version + 1
        customer.save()  # the model keeps derived columns (pinyin initials) on save
        audit.record(by, "customer_updated", "customer", customer.id,
                     Phrase(N_("Customer {name} ({code}): {fields} changed"), name=customer.name, code=customer.code,
                            fields=audit.changed_fields(after)),
                     before=before, after=after)
        return customer

    return run_write(work)


def _plate_vin_free(data: dict, other_than: int | None) -> None:
    for column, label in (("plate", _("Plate")), ("vin", "VIN")):
        query = Vehicle.select(Vehicle.id).where(getattr(Vehicle, column) == data[column])
        if other_than is not None:
            query = query.where(Vehicle.id != other_than)
        if query.exists():
            raise InvalidInput(_("{label} {value} is already registered.").format(label=label, value=data[column]),
                               column)


def insert_vehicle(owner_id: int, data: dict, *, by: Staff | None) -> Vehicle:
    """Inside a transaction: a new vehicle for ``owner_id`` from validated columns, with its audit row."""
    _plate_vin_free(data, None)
    car = Vehicle.create(customer=owner_id, **data)
    audit.record(by, "vehicle_created", "vehicle", car.id, Phrase(N_("Vehicle {plate} registered"), plate=car.plate),
                 after=dict(data, customer=owner_id))
    if car.purchase_date is not None:  # a new car is due its first service from the day it was bought
        from workshop.service_plan import plan_registered
        plan_registered(car, by=by)
    return car


def add_vehicle(customer_id: int, form: VehicleForm, *, by: Staff) -> Vehicle:
    """Register a vehicle in a customer's file."""
    data = validate_vehicle(form)

    def work():
        nonlocal by
        by = require(by, "edit_customer_file")
        owner = _customer(customer_id)
        if owner.merged_into_id:
            raise InvalidInput(_("This file was merged into another: add the car there."), "customer")
        return insert_vehicle(owner.id, data, by=by)

    return run_write(work)


def update_vehicle(vehicle_id: int, form: VehicleForm, *, by: Staff, seen_version: int) -> Vehicle:
    """Save the vehicle's file as edited; refused if another terminal saved it since ``seen_version``."""
    data = validate_vehicle(form)

    def work():
        nonlocal by
        by = require(by, "edit_customer_file")
        car = _vehicle(vehicle_id)
        _plate_vin_free(data, car.id)
        before, after = _changes(car, data)
        if not after:
            return car
        if Vehicle.update(version=Vehicle.version + 1, **after).where(
                (Vehicle.id == car.id) & (Vehicle.version == seen_version)).execute() != 1:
            raise StaleRecord(_("The file of {plate} was changed {who}: look at it again before saving.").format(
                plate=car.plate, who=_who_changed("vehicle", car.id)))
        audit.record(by, "vehicle_updated", "vehicle", car.id,
                     Phrase(N_("Vehicle {plate}: {fields} changed"), plate=data["plate"],
                            fields=audit.changed_fields(after)), before=before, after=after)
        saved = Vehicle.get_by_id(car.id)
        if {"purchase_date", "purchase_mileage"} & set(after):  # its plan follows the dates it starts from
            from workshop.service_plan import plan_registered
            plan_registered(saved, by=by)
        return saved

    return run_write(work)


def change_owner(vehicle_id: int, customer_id: int, *, by: Staff, seen_version: int) -> Vehicle:
    """The car now belongs to another customer (sold, or registered to the wrong file)."""

    def work():
        nonlocal by
        by = require(by, "edit_customer_file")
        car = _vehicle(vehicle_id)
        owner = _customer(customer_id)
        if owner.merged_into_id:
            raise InvalidInput(_("This file was merged into another: choose that one."), "customer")
        if owner.id == car.customer_id:
            return car
        if Vehicle.update(version=Vehicle.version + 1, customer=owner.id).where(
                (Vehicle.id == car.id) & (Vehicle.version == seen_version)).execute() != 1:
            raise StaleRecord(_("The file of {plate} was changed {who}: look at it again before saving.").format(
                plate=car.plate, who=_who_changed("vehicle", car.id)))
        audit.record(by, "vehicle_owner_changed", "vehicle", car.id,
                     Phrase(N_("Vehicle {plate} now belongs to {name} ({code})"), plate=car.plate, name=owner.name,
                            code=owner.code),
                     before={"customer": car.customer_id}, after={"customer": owner.id})
        return Vehicle.get_by_id(car.id)

    return run_write(work)


# Tables whose rows are never changed once written (settled facts): they keep naming the merged file.
IMMUTABLE_TABLES = frozenset({"settlement"})
_FILLED_FROM_OTHER = ("home_phone", "office_phone", "email", "address", "postcode", "id_number", "birthday")


@dataclass(frozen=True)
class MergeResult:
    kept_id: int
    merged_id: int
    moved: dict = field(default_factory=dict)  # table -> rows now pointing at the kept file


def merge_customers(keep_id: int, other_id: int, *, by: Staff) -> MergeResult:
    """Merge ``other_id`` into ``keep_id``: two files of one person become one (managers; audited)."""
    if keep_id == other_id:
        raise InvalidInput(_("Choose two different files to merge."), "other")
    import models
    models.load_all()  # every model registered, so every table pointing at customers is found
    from models.orders import RepairOrder

    def work():
        nonlocal by
        by = require(by, "merge_customers")
        keep, other = _customer(keep_id), _customer(other_id)
        for c in (keep, other):
            if c.merged_into_id:
                raise InvalidInput(_("{name} ({code}) was already merged into another file.").format(
                    name=c.name, code=c.code), "other" if c is other else "keep")
        before = {"kept": _snapshot(keep), "merged": _snapshot(other)}
        fills = {}
        for name in _FILLED_FROM_OTHER:
            if getattr(keep, name) in (None, "") and getattr(other, name) not in (None, ""):
                fills[name] = getattr(other, name)
        if keep.customer_class_id is None and other.customer_class_id is not None:
            fills["customer_class"], fills["class_until"] = other.customer_class_id, other.class_until
        notes = "\n".join(n for n in (keep.notes, other.notes) if n)
        if notes != (keep.notes or ""):
            fills["notes"] = notes[:2000]
        for flag in ("is_key", "has_complained"):
            if getattr(other, flag) and not getattr(keep, flag):
                fills[flag] = True
        if other.last_visit_at and (keep.last_visit_at is None or other.last_visit_at > keep.last_visit_at):
            fills["last_visit_at"] = other.last_visit_at
        moved = {}
        for fk in Customer._meta.backrefs:
            table = fk.model._meta.table_name
            if fk.model is Customer or table in IMMUTABLE_TABLES:
                continue
            count = fk.model.update({fk: keep.id}).where(fk == other.id).execute()
            if count:
                moved[table] = moved.get(table, 0) + count
        for name, value in fills.items():
            setattr(keep, name, value)
        keep.version += 1
        keep.save()  # (the model keeps the search keys: a birthday filled in is found in the birthday list)
        # Balances that came over carry copies of the kept file's search keys (workshop/lookup.py).
        from models.settlement import OpenBalance
        from workshop.lookup import balance_keys
        for balance_id, vehicle_id in (OpenBalance.select(OpenBalance.id, RepairOrder.vehicle)
                                       .join(RepairOrder, on=(OpenBalance.order == RepairOrder.id))
                                       .where(OpenBalance.customer == keep.id).tuples()):
            OpenBalance.update(**balance_keys(keep.id, vehicle_id)).where(OpenBalance.id == balance_id).execute()
        # The merged file keeps its facts for its invoices but drops out of the reminder lists (lost customers,
        # birthdays): its visits now belong to the kept file, and the audit row holds it as it was.
        Customer.update(version=Customer.version + 1, merged_into=keep.id, last_visit_at=None, birthday=None,
                        birthday_md=None, customer_class=None, class_until=None).where(Customer.id == other.id).execute()
        audit.record(by, "customers_merged", "customer", keep.id,
                     Phrase(N_("Customer file {name} ({code}) merged into {into} ({into_code})"), name=other.name,
                            code=other.code, into=keep.name, into_code=keep.code),
                     before=before, after={"filled": {k: _plain(v) for k, v in fills.items()}, "moved": moved,
                                           "merged_into": keep.id})
        return MergeResult(keep.id, other.id, moved)

    return run_write(work)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _snapshot(c: Customer) -> dict:
    return {name: _plain(getattr(c, name + "_id") if name == "customer_class" else getattr(c, name))
            for name in ("code", "name", "kind", "mobile", "home_phone", "office_phone", "email", "address",
                         "postcode", "id_number", "birthday", "notes", "customer_class", "class_until", "is_key",
                         "has_complained", "unreachable")}


__all__ = ["CustomerForm", "VehicleForm", "create_customer", "update_customer", "add_vehicle", "update_vehicle",
           "change_owner", "merge_customers", "customer_file", "vehicle_file", "lookup", "class_discounts",
           "validate_customer", "validate_vehicle", "insert_customer", "insert_vehicle", "add_months"]
