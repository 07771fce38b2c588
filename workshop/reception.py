"""Reception: find or register the customer and vehicle, and write the repair order."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import fn

from models.db import run_write
from models.orders import BUSINESS_TYPES, JobLine, OrderCounter, RepairOrder
from models.people import CUSTOMER_KINDS, Customer, CustomerClass, Staff, Vehicle
from models.shop import LaborRate, Operation
from workshop import audit, clock, validation
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _, join, local
from workshop.phrase import Local, Phrase
from workshop.pinyin import looks_like_initials
from workshop.lifecycle import CHECKED_IN, CLOSED_STATES
from workshop.permissions import require

FUEL_LEVELS = ("E", "1/4", "1/2", "3/4", "F")


@dataclass
class CustomerForm:
    name: str = ""
    mobile: str = ""
    kind: str = "private"
    email: str = ""
    address: str = ""
    customer_class_id: int | None = None


@dataclass
class VehicleForm:
    plate: str = ""
    vin: str = ""
    brand: str = ""
    model: str = ""
    model_year: str = ""
    engine_no: str = ""
    colour: str = ""


@dataclass
class OrderForm:
    vehicle_id: int | None = None
    business_type: str = "maintenance"
    mileage_in: str = ""
    fuel_level: str = "1/2"
    statement: str = ""
    promised_at: dt.datetime | None = None
    operation_codes: list[str] = field(default_factory=list)
    documents_kept: str = ""
    insurer: str = ""
    claim_no: str = ""


def find_vehicle(query: str) -> Vehicle | None:
    """A vehicle by its exact plate or VIN (as typed, case and spaces ignored)."""
    q = (query or "").strip().upper().replace(" ", "")
    if not q:
        return None
    try:
        q_plate = validation.plate(q)
    except InvalidInput:
        q_plate = q
    return Vehicle.get_or_none((Vehicle.plate == q_plate) | (Vehicle.vin == q))


def last_visit(vehicle_id: int) -> RepairOrder | None:
    return (RepairOrder.select().where((RepairOrder.vehicle == vehicle_id) & (RepairOrder.state != "cancelled"))
            .order_by(RepairOrder.time_in.desc()).first())


def open_order_for(vehicle_id: int) -> RepairOrder | None:
    return (RepairOrder.select().where((RepairOrder.vehicle == vehicle_id)
                                       & RepairOrder.state.not_in(CLOSED_STATES)).first())


@dataclass(frozen=True)
class Owner:
    id: int
    name: str
    mobile: str


def owner_of(customer_id: int) -> Owner:
    """The car's owner as reception shows them beside the car (one query)."""
    row = (Customer.select(Customer.id, Customer.name, Customer.mobile)
           .where(Customer.id == customer_id).tuples().first())
    if row is None:
        raise NotFound(_("That customer does not exist."))
    return Owner(*row)


@dataclass(frozen=True)
class CarOnFile:
    """A car as reception shows it once found: the car, its owner, its last visit, an order still open."""
    id: int
    plate: str
    vin: str
    brand: str
    model: str
    owner: str
    mobile: str
    last_visit: dt.datetime | None
    last_mileage: int | None
    open_order: int | None  # the number of an order of this car still in the workshop


def car_on_file(query: str | None = None, *, vehicle_id: int | None = None) -> CarOnFile | None:
    """The car with this plate or VIN (or id), with its owner and visits (four queries); None if unknown."""
    car = find_vehicle(query) if vehicle_id is None else Vehicle.get_or_none(Vehicle.id == vehicle_id)
    if car is None:
        return None
    owner = owner_of(car.customer_id)
    last = last_visit(car.id)
    open_order = open_order_for(car.id)
    return CarOnFile(car.id, car.plate, car.vin, car.brand, car.model, owner.name, owner.mobile,
                     last.time_in if last else None, last.mileage_in if last else None,
                     open_order.number if open_order else None)


@dataclass(frozen=True)
class OperationChoice:
    code: str
    name: str
    standard_hours: Decimal


def find_operations(text: str = "", *, limit: int = 50) -> list[OperationChoice]:
    """Catalog operations whose code, English or Chinese name, or pinyin initials (``jy`` for 更换机油机滤)
    contain ``text`` (all when blank), by code, at most ``limit``; named in the reader's language.
    The catalog is a few hundred rows: a scan of it is well under a millisecond."""
    query = (Operation.select(Operation.code, Operation.name, Operation.name_zh, Operation.standard_hours)
             .order_by(Operation.code).limit(limit))
    text = (text or "").strip()
    if text:
        cond = Operation.name.contains(text) | Operation.code.contains(text) | Operation.name_zh.contains(text)
        if looks_like_initials(text):
            cond |= Operation.initials.contains(text.lower())
        query = query.where(cond)
    return [OperationChoice(code, local(name, name_zh), hours) for code, name, name_zh, hours in query.tuples()]


def _next_number(series: str, start: int) -> int:
    counter = OrderCounter.get_or_none(OrderCounter.name == series)
    if counter is None:
        highest = None
        if series == "repair_order":
            highest = RepairOrder.select(fn.MAX(RepairOrder.number)).scalar()
        elif series == "invoice":
            from models.settlement import Settlement
            highest = Settlement.select(fn.MAX(Settlement.number)).where(Settlement.kind == "invoice").scalar()
        elif series == "customer":  # codes are C + number
            highest = Customer.select(fn.MAX(fn.SUBSTR(Customer.code, 2).cast("INTEGER"))).scalar()
        value = max(start, (highest or 0) + 1)
        OrderCounter.create(name=series, next_value=value + 1)
        return value
    OrderCounter.update(next_value=OrderCounter.next_value + 1).where(OrderCounter.id == counter.id).execute()
    return counter.next_value


def next_number(series: str, start: int = 1) -> int:
    """Take the next number of a series inside the caller's transaction: gapless, never reused."""
    return _next_number(series, start)


def _validate_customer(form: CustomerForm) -> dict:
    kind = form.kind if form.kind in CUSTOMER_KINDS else None
    if kind is None:
        raise InvalidInput(_("Customer type must be private, company or fleet."), "kind")
    email = validation.text(form.email, "email", _("Email"), max_len=120, required=False)
    if email and ("@" not in email or "." not in email.split("@")[-1]):
        raise InvalidInput(_("'{email}' is not an email address.").format(email=email), "email")
    if form.customer_class_id is not None and not CustomerClass.get_or_none(
            CustomerClass.id == form.customer_class_id):
        raise InvalidInput(_("That customer class does not exist."), "customer_class")
    return dict(
        name=validation.text(form.name, "name", _("Customer name"), max_len=100),
        mobile=validation.phone(form.mobile),
        kind=kind, email=email,
        address=validation.text(form.address, "address", _("Address"), max_len=200, required=False),
        customer_class=form.customer_class_id)


def _validate_vehicle(form: VehicleForm) -> dict:
    year = None
    if (form.model_year or "").strip():
        year = validation.integer(form.model_year, "model_year", _("Model year"), minimum=1950,
                                  maximum=clock.today().year + 1)
    return dict(
        plate=validation.plate(form.plate), vin=validation.vin(form.vin),
        brand=validation.text(form.brand, "brand", _("Brand"), max_len=40),
        model=validation.text(form.model, "model", _("Model"), max_len=60),
        model_year=year,
        engine_no=validation.text(form.engine_no, "engine_no", _("Engine no."), max_len=30, required=False),
        colour=validation.text(form.colour, "colour", _("Colour"), max_len=30, required=False))


def register_vehicle(customer: CustomerForm, vehicle: VehicleForm, *, by: Staff,
                     customer_id: int | None = None) -> Vehicle:
    """Register a vehicle, for an existing customer or a new one."""
    vdata = _validate_vehicle(vehicle)
    cdata = None if customer_id else _validate_customer(customer)

    def work():
        nonlocal by
        by = require(by, "create_order")
        if Vehicle.select().where(Vehicle.plate == vdata["plate"]).exists():
            raise InvalidInput(_("Plate {plate} is already registered.").format(plate=vdata["plate"]), "plate")
        if Vehicle.select().where(Vehicle.vin == vdata["vin"]).exists():
            raise InvalidInput(_("VIN {vin} is already registered.").format(vin=vdata["vin"]), "vin")
        owner_id = customer_id
        if owner_id is None:  # an owner already on file (same mobile) gets the car added to their file
            known = Customer.get_or_none(Customer.mobile == cdata["mobile"])
            owner_id = known.id if known else None
        if owner_id:
            owner = Customer.get_or_none(Customer.id == owner_id)
            if owner is None:
                raise NotFound(_("That customer does not exist."))
        else:
            owner = Customer.create(code=f"C{next_number('customer', 100001)}", created_at=clock.now(), **cdata)
            audit.record(by, "customer_created", "customer", owner.id,
                         Phrase(N_("Customer {name} registered"), name=owner.name),
                         after=cdata)
        car = Vehicle.create(customer=owner, **vdata)
        audit.record(by, "vehicle_created", "vehicle", car.id, Phrase(N_("Vehicle {plate} registered"), plate=car.plate),
                     after=dict(vdata, customer=owner.id))
        return car

    return run_write(work)


def _validate_order(form: OrderForm) -> tuple[Vehicle, dict, list[Operation]]:
    if form.vehicle_id is None:
        raise InvalidInput(_("Find or register the vehicle first."), "vehicle")
    car = Vehicle.get_or_none(Vehicle.id == form.vehicle_id)
    if car is None:
        raise NotFound(_("That vehicle does not exist."))
    if form.business_type not in BUSINESS_TYPES:
        raise InvalidInput(_("Pick a business type."), "business_type")
    mileage = validation.integer(form.mileage_in, "mileage_in", _("Mileage in"), minimum=0, maximum=2_000_000)
    previous = last_visit(car.id)
    if previous is not None and mileage < previous.mileage_in:
        raise InvalidInput(_("Mileage {mileage} km is below the last visit's {last} km ({date}).").format(
            mileage=f"{mileage:,}", last=f"{previous.mileage_in:,}", date=f"{previous.time_in:%Y-%m-%d}"),
            "mileage_in")
    if form.fuel_level not in FUEL_LEVELS:
        raise InvalidInput(_("Fuel level must be one of E, 1/4, 1/2, 3/4, F."), "fuel_level")
    statement = validation.text(form.statement, "statement", _("Customer's statement"), max_len=1000)
    if form.promised_at is None:
        raise InvalidInput(_("Promised completion time is required."), "promised_at")
    if form.promised_at < clock.now():
        raise InvalidInput(_("Promised completion time is in the past."), "promised_at")
    codes = [c.strip().upper() for c in form.operation_codes if c.strip()]
    if not codes:
        raise InvalidInput(_("Add at least one job line from the operations catalog."), "operations")
    ops = {op.code: op for op in Operation.select().where(Operation.code.in_(codes))}
    unknown = [c for c in codes if c not in ops]
    if unknown:
        raise InvalidInput(_("Unknown operation code(s): {codes}.").format(codes=join(unknown)), "operations")
    insurer = validation.text(form.insurer, "insurer", _("Insurer"), max_len=60,
                              required=form.business_type == "insurance")
    data = dict(vehicle=car.id, customer=car.customer_id, business_type=form.business_type,
                mileage_in=mileage, fuel_level=form.fuel_level, statement=statement,
                promised_at=form.promised_at, insurer=insurer,
                claim_no=validation.text(form.claim_no, "claim_no", _("Claim report no."), max_len=40,
                                         required=False),
                documents_kept=validation.text(form.documents_kept, "documents_kept", _("Documents kept"),
                                               max_len=200, required=False),
                last_visit_date=previous.time_in.date() if previous else None,
                last_visit_mileage=previous.mileage_in if previous else None)
    return car, data, [ops[c] for c in codes]


def payer_for(business_type: str) -> str:
    return {"warranty": "manufacturer", "insurance": "insurer", "internal": "internal"}.get(business_type,
                                                                                             "customer")


def create_order(form: OrderForm, *, by: Staff, op_id: str | None = None) -> RepairOrder:
    """Check a car in: a new repair order in 'checked in', with job lines from the catalog."""
    car, data, operations = _validate_order(form)

    def work():
        nonlocal by
        by = require(by, "create_order")
        if op_id and audit.already_done(op_id):
            return RepairOrder.get_by_id(audit_event_entity(op_id))
        existing = open_order_for(car.id)
        if existing is not None:
            raise InvalidInput(_("{plate} already has an open order: {order}.").format(
                plate=car.plate, order=existing.label), "vehicle")
        now = clock.now()
        rates = dict(LaborRate.select(LaborRate.trade, LaborRate.rate).tuples())
        order = RepairOrder.create(number=next_number("repair_order", 1001), advisor=by.id, state=CHECKED_IN,
                                   time_in=now, state_changed_at=now, updated_at=now, **data)
        from workshop.reminders import record_visit
        record_visit(car, now, data["mileage_in"])
        payer = payer_for(form.business_type)
        created = []
        for op in operations:
            line = JobLine.create(order=order, operation=op, code=op.code, name=op.name, trade=op.trade,
                                  standard_hours=op.standard_hours, billed_hours=op.standard_hours,
                                  rate=rates.get(op.trade, Decimal("0")), payer=payer)
            created.append((op.id, line.id))
        status = _standard_parts(order, created, by)
        if status != "none":
            RepairOrder.update(parts_status=status).where(RepairOrder.id == order.id).execute()
            order.parts_status = status
        audit.record(by, "order_created", "repair_order", order.id,
                     Phrase(Nn_("{order} checked in: {plate}, {n} job line",
                                "{order} checked in: {plate}, {n} job lines"), n=len(operations), order=order.ref,
                            plate=car.plate),
                     order_id=order.id, after=data, op_id=op_id)
        return order

    return run_write(work)


def _standard_parts(order: RepairOrder, lines: list[tuple[int, int]], by: Staff) -> str:
    """The operations' standard parts, reserved at once (when the parts capability is installed)."""
    try:
        from workshop.parts import add_standard_parts
    except ModuleNotFoundError:
        return order.parts_status
    return add_standard_parts(order, lines, by)


def audit_event_entity(op_id: str) -> int:
    from models.events import Event
    return Event.get(Event.op_id == op_id).entity_id


def add_job_line(order_id: int, operation_code: str, *, by: Staff, seen_version: int | None = None) -> RepairOrder:
    """Add a catalog operation to an open order (extra work found)."""
    from workshop.lifecycle import SETTLED, load_for_change, save
    code = (operation_code or "").strip().upper()
    op = Operation.get_or_none(Operation.code == code)
    if op is None:
        raise InvalidInput(_("Unknown operation code '{code}'.").format(code=code), "operation")

    def work():
        nonlocal by
        by = require(by, "edit_order")
        order = load_for_change(order_id, seen_version)
        if order.state in CLOSED_STATES or order.state in (SETTLED, "ready_settlement", "ready_qc"):
            from workshop.lifecycle import label
            raise InvalidInput(_("{order} is {state}: its lines can no longer change.").format(
                order=order.label, state=label(order.state)))
        rate = LaborRate.get_or_none(LaborRate.trade == op.trade)
        line = JobLine.create(order=order.id, operation=op, code=op.code, name=op.name, trade=op.trade,
                              standard_hours=op.standard_hours, billed_hours=op.standard_hours,
                              rate=rate.rate if rate else Decimal("0"), payer=payer_for(order.business_type))
        status = _standard_parts(order, [(op.id, line.id)], by)
        changes = {"parts_status": status} if status != order.parts_status else {}
        return save(order, changes, by=by, kind="line_added", summary=Phrase(
            N_("Job line added: {code} {name}"), code=op.code, name=Local(op.name, op.name_zh)))

    return run_write(work)
