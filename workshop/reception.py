"""Reception: find or register the customer and vehicle, and write the repair order."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import IntegrityError, fn

from models.db import run_write
from models.orders import BUSINESS_TYPES, JobLine, OrderCounter, OrderPackage, RepairOrder
from models.parts import PartLine
from models.people import Customer, Staff, Vehicle
from models.settlement import FeeLine
from models.shop import FIRST_SHOP, MaintenancePackage, Operation
from workshop import audit, clock, settings, shops, validation
from workshop.amounts import MAX_PRICE, optional_decimal
from workshop.catalog import check_applies, kit_for
from workshop.customer_file import (CustomerForm, VehicleForm, class_discounts, insert_customer,  # noqa: F401
                                    insert_vehicle, validate_customer, validate_vehicle)
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, Nn_, _, join, local
from workshop.packages import package_by_code
from workshop.phrase import Local, Money, Phrase
from workshop.pricing import Bill, FeeItem, LaborItem, PartItem, PricingTerms, compute_bill
from workshop.rates import missing_rate_message, rate_for, rates_by_key
from workshop.pinyin import looks_like_initials
from workshop.lifecycle import CHECKED_IN, CLOSED_STATES
from workshop.permissions import require

FUEL_LEVELS = ("E", "1/4", "1/2", "3/4", "F")


@dataclass
class OrderForm:
    vehicle_id: int | None = None
    business_type: str = "maintenance"
    mileage_in: str = ""
    fuel_level: str = "1/2"
    statement: str = ""
    promised_at: dt.datetime | None = None
    operation_codes: list[str] = field(default_factory=list)
    package_codes: list[str] = field(default_factory=list)   # maintenance packages (保養套餐)
    documents_kept: str = ""     # papers left in the car or with the advisor (行驶证, 保单...)
    insurer: str = ""
    claim_no: str = ""           # the insurer's report number
    assessed_amount: str = ""    # 定损金额, once the insurer's assessor has been
    deductible: str = ""         # 免赔额
    towing_fee: str = ""         # towing / rescue: a fee line, paid by whoever pays the order


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
    series: str = ""        # what the catalog's series-specific operations and kits go by


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
                     open_order.number if open_order else None, car.series or "")


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


def _first_number(series: str, start: int, shop: int) -> int:
    """Where a series starts: after the highest number a shop loaded in bulk already holds."""
    highest = None
    if series == "repair_order":
        highest = RepairOrder.select(fn.MAX(RepairOrder.number)).where(RepairOrder.shop == shop).scalar()
    elif series in ("invoice", "credit_note"):
        from models.settlement import Settlement
        kind = "invoice" if series == "invoice" else "void"
        highest = (Settlement.select(fn.MAX(Settlement.number))
                   .where((Settlement.kind == kind) & (Settlement.shop == shop)).scalar())
    elif series == "customer":  # codes are C + number
        highest = Customer.select(fn.MAX(fn.SUBSTR(Customer.code, 2).cast("INTEGER"))).scalar()
    return max(start, (highest or 0) + 1)


def next_number(series: str, start: int = 1, *, shop: int = FIRST_SHOP) -> int:
    """Take the next number of a series inside the caller's transaction: gapless, never reused.

    Each shop numbers its own orders, invoices and credit notes (``shop``: one counter row per shop and
    series); a series the group numbers as one (customer codes, purchase orders, claims, appointments) uses
    shop 1's row. The counter row is bumped in place (``next_value = next_value + 1``) before it is read,
    which locks it until the transaction ends: a second terminal taking a number of the same series
    waits, then reads the value the first one committed, and a transaction that fails gives its
    number back with everything else it did. A series used for the first time gets its row with
    INSERT ... ON CONFLICT DO NOTHING, so two first uses at once agree on one row."""
    row = (OrderCounter.name == series) & (OrderCounter.shop == shop)
    while True:
        bumped = OrderCounter.update(next_value=OrderCounter.next_value + 1).where(row).execute()
        if bumped:
            return OrderCounter.select(OrderCounter.next_value).where(row).scalar() - 1
        (OrderCounter.insert(name=series, shop=shop, next_value=_first_number(series, start, shop))
         .on_conflict_ignore().execute())


def register_vehicle(customer: CustomerForm, vehicle: VehicleForm, *, by: Staff,
                     customer_id: int | None = None) -> Vehicle:
    """Register a vehicle, for an existing customer or a new one (a customer already on file with the same
    mobile number, however it was written, gets the car added to their file)."""
    vdata = validate_vehicle(vehicle)
    cdata = None if customer_id else validate_customer(customer)

    def work():
        nonlocal by
        by = require(by, "create_order")
        owner_id = customer_id
        if owner_id is None:
            known = Customer.get_or_none((Customer.mobile == cdata["mobile"]) & Customer.merged_into.is_null())
            owner_id = known.id if known else None
        if owner_id:
            owner = Customer.get_or_none(Customer.id == owner_id)
            if owner is None:
                raise NotFound(_("That customer does not exist."))
        else:
            owner = insert_customer(cdata, by=by)
        return insert_vehicle(owner.id, vdata, by=by)

    try:
        return run_write(work)
    except IntegrityError:  # the same plate or VIN registered at this moment elsewhere: say which
        return run_write(work)


@dataclass
class CheckIn:
    """An order form checked against the catalog, the car and the rates: what check-in will write."""
    car: Vehicle
    data: dict
    operations: list[Operation]                           # job lines of their own
    packages: list[tuple[MaintenancePackage, list[Operation]]]
    rates: dict                                           # (trade, price class) -> rate
    towing_fee: Decimal | None


def _validate_order(form: OrderForm) -> CheckIn:
    if form.vehicle_id is None:
        raise InvalidInput(_("Find or register the vehicle first."), "vehicle")
    car = Vehicle.get_or_none(Vehicle.id == form.vehicle_id)
    if car is None:
        raise NotFound(_("That vehicle does not exist."))
    if form.business_type not in BUSINESS_TYPES:
        raise InvalidInput(_("Pick a business type."), "business_type")
    mileage = validation.integer(form.mileage_in, "mileage_in", _("Mileage in"), minimum=0,
                                 maximum=validation.MAX_MILEAGE)
    previous = last_visit(car.id)
    if previous is not None and mileage < previous.mileage_in:
        raise InvalidInput(_("Mileage {mileage} km is below the last visit's {last} km ({date}).").format(
            mileage=f"{mileage:,}", last=f"{previous.mileage_in:,}", date=f"{previous.time_in:%Y-%m-%d}"),
            "mileage_in")
    if form.fuel_level not in FUEL_LEVELS:
        raise InvalidInput(_("Fuel level must be one of E, 1/4, 1/2, 3/4, F."), "fuel_level")
    statement = validation.text(form.statement, "statement", N_("Customer's statement"), max_len=1000,
                                multiline=True)
    if form.promised_at is None:
        raise InvalidInput(_("Promised completion time is required."), "promised_at")
    if form.promised_at < clock.now():
        raise InvalidInput(_("Promised completion time is in the past."), "promised_at")
    for code in [*form.package_codes, *form.operation_codes]:
        validation.refuse_control_characters(code, "operations", _("Operation code"))
    packages = []
    for code in dict.fromkeys(c.strip().upper() for c in form.package_codes if c.strip()):
        packages.append(package_by_code(code))
    in_packages = {op.code for _package, ops in packages for op in ops}
    codes = [c for c in dict.fromkeys(c.strip().upper() for c in form.operation_codes if c.strip())
             if c not in in_packages]
    if not codes and not packages:
        raise InvalidInput(_("Add at least one job line from the operations catalog."), "operations")
    ops = {op.code: op for op in Operation.select().where(Operation.code.in_(codes))} if codes else {}
    unknown = [c for c in codes if c not in ops]
    if unknown:
        raise InvalidInput(_("Unknown operation code(s): {codes}.").format(codes=join(unknown)), "operations")
    retired = [c for c in codes if not ops[c].active]
    if retired:
        raise InvalidInput(_("No longer offered: {codes}.").format(codes=join(retired)), "operations")
    operations = [ops[c] for c in codes]
    everything = operations + [op for _package, pops in packages for op in pops]
    check_applies(everything, car.series)
    rates = rates_by_key()
    for op in everything:
        if (op.trade, op.price_class) not in rates:
            raise InvalidInput(missing_rate_message(op.trade, op.price_class), "operations")
    insurance = form.business_type == "insurance"
    insurer = validation.text(form.insurer, "insurer", N_("Insurer"), max_len=60, required=insurance)
    assessed = optional_decimal(form.assessed_amount, "assessed_amount", _("Assessed amount"), maximum=MAX_PRICE)
    deductible = optional_decimal(form.deductible, "deductible", _("Deductible"), maximum=MAX_PRICE)
    if not insurance and (assessed is not None or deductible is not None):
        raise InvalidInput(_("An assessed amount and a deductible belong to insurance claims."),
                           "assessed_amount" if assessed is not None else "deductible")
    if assessed is not None and deductible is not None and deductible > assessed:
        raise InvalidInput(_("The deductible cannot be more than the assessed amount."), "deductible")
    towing = optional_decimal(form.towing_fee, "towing_fee", _("Towing / rescue fee"), maximum=MAX_PRICE)
    data = dict(vehicle=car.id, customer=car.customer_id, business_type=form.business_type,
                mileage_in=mileage, fuel_level=form.fuel_level, statement=statement,
                promised_at=form.promised_at, insurer=insurer,
                claim_no=validation.text(form.claim_no, "claim_no", _("Claim report no."), max_len=40,
                                         required=False),
                assessed_amount=assessed, deductible=deductible, towing=bool(towing),
                documents_kept=validation.text(form.documents_kept, "documents_kept", N_("Documents kept"),
                                               max_len=200, required=False),
                last_visit_date=previous.time_in.date() if previous else None,
                last_visit_mileage=previous.mileage_in if previous else None)
    return CheckIn(car, data, operations, packages, rates, towing or None)


def payer_for(business_type: str) -> str:
    """Who pays an order's lines, from its business type: the manufacturer a warranty claim, the insurer an
    insurance claim, the workshop an internal job, the customer everything else (the demo shop too)."""
    return {"warranty": "manufacturer", "insurance": "insurer", "internal": "internal"}.get(business_type,
                                                                                             "customer")


def estimate(form: OrderForm) -> Bill:
    """The estimate (估價) of an order form before check-in: its operations and packages at the shop's rates,
    their kits at today's prices for this car's series, the towing fee, the customer's class discounts and the
    insurance split (nothing is written)."""
    from models.parts import Part
    from workshop.settlement import IN_PACKAGE
    checked = _validate_order(form)
    car, payer = checked.car, payer_for(form.business_type)
    labor, parts = [], []

    def add(op: Operation, in_package: bool) -> None:
        labor.append(LaborItem(op.code, op.name, Decimal(op.standard_hours), checked.rates[(op.trade, op.price_class)],
                               payer, IN_PACKAGE if in_package else Decimal("0")))
        for part_id, qty in kit_for(op.id, car.series):
            part = Part.get_by_id(part_id)
            parts.append(PartItem(part.code, part.name, Decimal(qty), part.unit, Decimal(part.sale_price), payer,
                                  IN_PACKAGE if in_package else Decimal("0")))
    for op in checked.operations:
        add(op, False)
    for package, ops in checked.packages:
        for op in ops:
            add(op, True)
        labor.append(LaborItem(package.code, package.name, Decimal("1"), Decimal(package.price), payer, unit="pkg",
                               class_discount=False))
    fees = [FeeItem("towing", _("Towing / rescue"), checked.towing_fee, payer)] if checked.towing_fee else []
    klass = class_discounts(car.customer_id, clock.today())
    if klass is not None and not klass.valid:
        klass = None
    d = checked.data
    terms = PricingTerms(
        labor_discount_pct=Decimal(klass.labor_discount) if klass else Decimal("0"),
        material_discount_pct=Decimal(klass.material_discount) if klass else Decimal("0"),
        tax_rate=Decimal(str(settings.get("vat_rate"))), prices_include_tax=bool(settings.get("prices_include_tax")),
        assessed_amount=d["assessed_amount"] if d["business_type"] == "insurance" and d["assessed_amount"] else None,
        deductible=d["deductible"])
    return compute_bill(labor, parts, fees, terms)


def create_order(form: OrderForm, *, by: Staff, op_id: str | None = None, shop: int | None = None) -> RepairOrder:
    """Check a car in: a new repair order in 'checked in', with job lines from the catalog and its packages,
    their kits reserved, the towing fee, and the estimate (估價) as the bill comes to with every part counted."""
    checked = _validate_order(form)
    car, data = checked.car, checked.data
    acting = by  # the terminal's Actor (its shop), before ``by`` becomes the re-read Staff row

    def work():
        nonlocal by
        by = require(acting, "create_order")
        if op_id and audit.already_done(op_id):
            return RepairOrder.get_by_id(audit_event_entity(op_id))
        Vehicle.by_id(car.id, lock=True)  # one open order per car, also when two advisors check it in at once
        existing = open_order_for(car.id)
        if existing is not None:
            raise InvalidInput(_("{plate} already has an open order: {order}.").format(
                plate=car.plate, order=existing.label), "vehicle")
        now = clock.now()
        # The terminal's shop (or the appointment's): its board shows the car, its series numbers the order.
        at = shop or shops.of(acting)
        order = RepairOrder.create(number=next_number("repair_order", 1001, shop=at), shop=at, advisor=by.id,
                                   state=CHECKED_IN, time_in=now, state_changed_at=now, updated_at=now, **data)
        from workshop.reminders import record_visit
        record_visit(car, now, data["mileage_in"])
        payer = payer_for(form.business_type)

        def line(op: Operation, package_id: int | None) -> tuple[int, int]:
            job = JobLine.create(order=order, operation=op, code=op.code, name=op.name, trade=op.trade,
                                 standard_hours=op.standard_hours, billed_hours=op.standard_hours,
                                 rate=checked.rates[(op.trade, op.price_class)], payer=payer, package=package_id)
            return op.id, job.id
        created = [line(op, None) for op in checked.operations]
        sold = []
        for package, ops in checked.packages:
            sold_package = OrderPackage.create(order=order, package=package.id, code=package.code, name=package.name,
                                               name_zh=package.name_zh, price=package.price, payer=payer)
            sold.append((sold_package.id, [line(op, sold_package.id) for op in ops]))
            created += sold[-1][1]
        status = _standard_parts(order, created, by)
        for package_id, lines in sold:
            PartLine.update(package=package_id).where(PartLine.job_line.in_([j for _o, j in lines])).execute()
        if data["business_type"] == "insurance":
            # The insurer's claim (workshop/insurance.py) holds the report number, assessment, deductible and
            # towing fee; it keeps the order's copies and the insurer's towing fee line in step.
            from workshop.insurance import InsuranceForm, save_claim
            save_claim(order.id, InsuranceForm(
                insurer=data["insurer"] or "", claim_no=data["claim_no"] or "",
                assessed_amount="" if data["assessed_amount"] is None else str(data["assessed_amount"]),
                deductible=str(data["deductible"] or 0), towing_fee=str(checked.towing_fee or 0)), by=by)
        elif checked.towing_fee:
            FeeLine.create(order=order, kind="towing", description="Towing / rescue", amount=checked.towing_fee,
                           payer=payer, created_by=by.id, created_at=now)
        if status != "none":
            order.parts_status = status
        from workshop.settlement import bill_for
        estimate = bill_for(order.id, include_requested=True).total
        RepairOrder.update(parts_status=order.parts_status, estimate=estimate).where(
            RepairOrder.id == order.id).execute()
        order = RepairOrder.get_by_id(order.id)  # as the claim left it (its version too)
        lines_count = len(created)
        audit.record(by, "order_created", "repair_order", order.id,
                     Phrase(Nn_("{order} checked in: {plate}, {n} job line, estimate {estimate}",
                                "{order} checked in: {plate}, {n} job lines, estimate {estimate}"),
                            n=lines_count, order=order.ref, plate=car.plate, estimate=Money(order.estimate)),
                     order_id=order.id, after=dict(data, estimate=order.estimate,
                                                   packages=[p.code for p, _ops in checked.packages]), op_id=op_id)
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
    """Add a catalog operation to an open order (extra work found): it waits for the customer's approval, and its
    kit for the car's series comes with the approval."""
    from workshop.lifecycle import SETTLED, load_for_change, save
    from workshop.lifecycle import label as lifecycle_label
    code = (operation_code or "").strip().upper()
    validation.refuse_control_characters(code, "operation", _("Operation code"))  # before it is echoed
    op = Operation.get_or_none(Operation.code == code)
    if op is None:
        raise InvalidInput(_("Unknown operation code '{code}'.").format(code=code), "operation")
    if not op.active:
        raise InvalidInput(_("No longer offered: {codes}.").format(codes=op.code), "operation")

    def work():
        nonlocal by
        by = require(by, "edit_order")
        order = load_for_change(order_id, seen_version)
        if order.state in CLOSED_STATES or order.state in (SETTLED, "ready_settlement", "ready_qc"):
            raise InvalidInput(_("{order} is {state}: its lines can no longer change.").format(
                order=order.label, state=lifecycle_label(order.state)))
        series = Vehicle.select(Vehicle.series).where(Vehicle.id == order.vehicle_id).scalar()
        check_applies([op], series)
        rate = rate_for(op.trade, op.price_class)
        if rate is None:
            raise InvalidInput(missing_rate_message(op.trade, op.price_class), "operation")
        # Work found after check-in waits for the customer's approval; its parts come with the approval
        # (workshop/approvals.py).
        line = JobLine.create(order=order.id, operation=op, code=op.code, name=op.name, trade=op.trade,
                              standard_hours=op.standard_hours, billed_hours=op.standard_hours,
                              rate=rate, payer=payer_for(order.business_type), approval="pending")
        from workshop.approvals import proposed
        proposed(order, line, by)
        return save(order, {}, by=by, kind="line_added", summary=Phrase(
            N_("Job line added: {code} {name} (waits for the customer's approval)"), code=op.code,
            name=Local(op.name, op.name_zh)))

    return run_write(work)
