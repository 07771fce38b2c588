"""Appointments (預約服務): booking a car for a half-hour within the shop's capacity, the day-before reminder,
no-shows, and the car's arrival as a checked-in repair order.

Rules, decided here:
- an appointment is for a car on file (its owner is the customer; the contact may be someone else), for
  catalog operations (at their standard hours, or the hours the advisor books for them), starting on a
  bookable half-hour (workshop/capacity.py) from now to ``appointment_max_days_ahead`` days ahead;
- a car has one appointment at a time: a second one overlapping it is refused;
- booking beyond capacity is refused with the next start times where the work fits; a manager may book it
  anyway with a reason (the appointment and the audit trail say so);
- the appointment holds its parts for its date (workshop/prepick.py) and carries an estimate (估價) of its
  work at today's rates and prices for this customer;
- the day before, someone calls or messages: confirmed, moved (a new time, checked like a booking),
  cancelled, or no answer (it stays on the list);
- an appointment whose car has not come ``appointment_no_show_minutes`` after its time is a no-show (a
  time-driven rule: ``mark_no_shows``); it releases its capacity and parts. A late car on the same day can
  still arrive;
- arrival is one step: the appointment becomes a checked-in repair order with its work, its parts (the
  order's own part lines take over what was held, in the same transaction) and its estimate, the advisor
  adding only what can be read off the car (mileage, fuel);
- an arrival within ``appointment_on_time_minutes`` after the time (or before it) is on time.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


from models.appointments import (CALL_CHANNELS, CALL_OUTCOMES, SOURCES, Appointment, AppointmentCall,
                                 AppointmentLine, AppointmentSlot)
from models.db import run_write
from models.orders import BUSINESS_TYPES, RepairOrder
from models.parts import Part
from models.people import Customer, Staff, Vehicle
from models.shop import MaintenancePackage, Operation
from workshop.appointment_rows import (OPEN, AppointmentRow, _as_dt, _day, count_open,  # noqa: F401 (re-exported)
                                      day_list, expected_arrivals, get, of_vehicle, open_for_vehicles,
                                      reminder_list)
from workshop import audit, capacity, clock, prepick, settings, shops, validation
from workshop.errors import DomainError, IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.i18n import date as fmt_date
from workshop.permissions import require


MAX_LINE_HOURS = Decimal("24")    # one operation booked for more than a day of one technician is a typo
MAX_TOTAL_HOURS = Decimal("80")
MAX_LINES = 30


class CapacityFull(InvalidInput):
    """The work does not fit at that time; ``free`` are the next start times where it does."""

    def __init__(self, message: str, free: list[dt.datetime]):
        super().__init__(message, "starts_at")
        self.free = free


@dataclass
class AppointmentForm:
    vehicle_id: int | None = None
    starts_at: dt.datetime | None = None
    operation_codes: list[str] = field(default_factory=list)
    package_codes: list[str] = field(default_factory=list)  # maintenance packages (保養套餐), sold at their price
    hours: dict[str, str] = field(default_factory=dict)     # code -> hours booked, when not the standard
    extra_parts: list[tuple[str, str]] = field(default_factory=list)  # (part code, quantity) beyond the kits
    contact_name: str = ""      # blank: the owner
    contact_phone: str = ""     # blank: the owner's mobile
    business_type: str = "maintenance"
    source: str = "phone"
    notes: str = ""
    overbook_reason: str = ""   # a manager booking beyond capacity says why


@dataclass(frozen=True)
class _Checked:
    car: Vehicle
    owner: Customer
    starts_at: dt.datetime
    work: list[tuple[Operation, Decimal]]
    package_codes: list[str | None]     # the package each piece of work comes with (None: asked for on its own)
    packages: list[tuple[MaintenancePackage, list[Operation]]]
    extra: list[tuple[Part, Decimal]]
    contact_name: str
    contact_phone: str
    business_type: str
    source: str
    notes: str | None
    overbook_reason: str | None

    @property
    def trades(self) -> list[tuple[str, Decimal]]:
        return [(op.trade, hours) for op, hours in self.work]


def _when(at: dt.datetime) -> str:
    return f"{fmt_date(at.date())} {at:%H:%M}"


def _starts_at(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        raise InvalidInput(_("Pick the day and time the car is due."), "starts_at")
    if value < clock.now():
        raise InvalidInput(_("{when} is in the past: pick a time from now on.").format(when=_when(value)), "starts_at")
    ahead = int(settings.get("appointment_max_days_ahead"))
    if value.date() > clock.today() + dt.timedelta(days=ahead):
        raise InvalidInput(_("Appointments are booked at most {days} days ahead.").format(days=ahead), "starts_at")
    hours = capacity.opening()
    if not hours.is_slot(value):
        raise InvalidInput(_("Appointments start on the hour or half-hour between {start} and {end} on days the "
                             "shop is open.").format(start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}"),
                           "starts_at")
    return value


def _hours(code: str, value, standard: Decimal) -> Decimal:
    if value in (None, ""):
        return Decimal(standard)
    hours = validation.decimal(value, "hours", _("Hours for {code}").format(code=code), places=2, allow_zero=False,
                               maximum=Decimal("999999"))  # the plausible bound is stated below
    if hours > MAX_LINE_HOURS:
        raise InvalidInput(_("{hours} h for {code} is not plausible: at most {most} h.").format(
            hours=hours, code=code, most=MAX_LINE_HOURS), "hours")
    return hours


def _packages(codes: list[str]) -> list[tuple[MaintenancePackage, list[Operation]]]:
    """The maintenance packages asked for, each with its operations in order (refused when not on sale)."""
    from workshop.packages import package_by_code
    codes = [c.strip().upper() for c in codes or () if c and c.strip()]
    for code in codes:
        validation.refuse_control_characters(code, "packages", _("Package"))
    return [package_by_code(code) for code in dict.fromkeys(codes)]


def _work(codes: list[str], hours: dict[str, str], packages=()) -> tuple[list[tuple[Operation, Decimal]],
                                                                       list[str | None]]:
    """The work asked for, each operation with its booked hours (an operation a package holds comes with the
    package, as at reception), and the package each comes with."""
    codes = [c.strip().upper() for c in codes if c and c.strip()]
    for code in codes:
        validation.refuse_control_characters(code, "work", _("Operation code"))
    in_packages = {op.code: package.code for package, ops in packages for op in ops}
    if not codes and not packages:
        raise InvalidInput(_("Add at least one operation or maintenance package from the catalog."), "work")
    if len(codes) + len(in_packages) > MAX_LINES:
        raise InvalidInput(_("At most {count} operations per appointment.").format(count=MAX_LINES), "work")
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise InvalidInput(_("Asked for twice: {codes}.").format(codes=", ".join(doubled)), "work")
    codes = [c for c in codes if c not in in_packages]
    ops = {op.code: op for op in Operation.select().where(Operation.code.in_(codes))} if codes else {}
    unknown = [c for c in codes if c not in ops]
    if unknown:
        raise InvalidInput(_("Unknown operation code(s): {codes}.").format(codes=", ".join(unknown)), "work")
    retired = [c for c in codes if not ops[c].active]
    if retired:  # reception would refuse them when the car comes
        raise InvalidInput(_("No longer offered: {codes}.").format(codes=", ".join(retired)), "work")
    typed = {k.strip().upper(): v for k, v in (hours or {}).items()}
    strange = [k for k in typed if k not in ops and k not in in_packages]
    if strange:
        raise InvalidInput(_("Hours given for work not asked for: {codes}.").format(codes=", ".join(strange)), "hours")
    asked = [(ops[c], None) for c in codes] + [(op, package.code) for package, pops in packages for op in pops]
    work = [(op, _hours(op.code, typed.get(op.code), op.standard_hours)) for op, _package in asked]
    if sum((h for _op, h in work), Decimal(0)) > MAX_TOTAL_HOURS:
        raise InvalidInput(_("{hours} h in all is not plausible for one appointment: at most {most} h.").format(
            hours=sum((h for _op, h in work), Decimal(0)), most=MAX_TOTAL_HOURS), "hours")
    return work, [package for _op, package in asked]


def _sellable(work: list[tuple[Operation, Decimal]], series: str | None) -> None:
    """What reception will ask of the work when the car comes, asked now: each operation for the car's series
    and sold at a labour rate the shop has set."""
    from workshop.catalog import check_applies
    from workshop.rates import missing_rate_message, rates_by_key
    try:
        check_applies([op for op, _hours in work], series)
    except InvalidInput as refused:
        raise InvalidInput(str(refused), "work") from None
    rates = rates_by_key()
    for op, _hours in work:
        if (op.trade, op.price_class) not in rates:
            raise InvalidInput(missing_rate_message(op.trade, op.price_class), "work")


def _extra_parts(items: list[tuple[str, str]]) -> list[tuple[Part, Decimal]]:
    from workshop import parts
    result = []
    for code, qty in items or ():
        part = parts.find_part(code)
        if not part.active:
            raise InvalidInput(_("{code} is no longer stocked.").format(code=part.code), "parts")
        result.append((part, parts.quantity(qty, part)))
    return result


def _check(form: AppointmentForm) -> _Checked:
    if form.vehicle_id is None:
        raise InvalidInput(_("Find the car first (plate or VIN)."), "vehicle")
    car = Vehicle.get_or_none(Vehicle.id == form.vehicle_id)
    if car is None:
        raise NotFound(_("That car is not on file."))
    owner = Customer.get_by_id(car.customer_id)
    if form.business_type not in BUSINESS_TYPES:
        raise InvalidInput(_("Pick a business type."), "business_type")
    if form.source not in SOURCES:
        raise InvalidInput(_("How did the booking come: phone, walk-in or a reminder call?"), "source")
    starts_at = _starts_at(form.starts_at)
    packages = _packages(form.package_codes)
    work, package_codes = _work(form.operation_codes, form.hours, packages)
    _sellable(work, car.series)
    contact_name = validation.text(form.contact_name, "contact_name", _("Contact"), max_len=60,
                                   required=False) or owner.name[:60]
    contact_phone = validation.phone(form.contact_phone, "contact_phone", _("Contact phone"),
                                     required=False) or owner.mobile
    return _Checked(car, owner, starts_at, work, package_codes, packages, _extra_parts(form.extra_parts),
                    contact_name, contact_phone,
                    form.business_type, form.source,
                    validation.text(form.notes, "notes", _("Notes"), max_len=500, required=False),
                    validation.text(form.overbook_reason, "overbook_reason", _("Reason"), max_len=200, required=False))


def _overlapping(vehicle_id: int, start: dt.datetime, end: dt.datetime, excluding: int | None = None):
    query = (Appointment.select().where((Appointment.vehicle == vehicle_id) & Appointment.state.in_(OPEN)
                                        & (Appointment.starts_at < end) & (Appointment.ends_at > start)))
    if excluding is not None:
        query = query.where(Appointment.id != excluding)
    return query.first()


class _Full(Exception):
    """Raised inside the booking transaction (rolled back); the next free times are found outside it."""

    def __init__(self, over: list[capacity.Over], shop: int | None = None):
        self.over = over
        self.shop = shop  # whose capacity it is beyond (a group's shop; None in a one-shop database)


def _over_text(over: list[capacity.Over]) -> str:
    from models.people import TRADE_LABELS
    from workshop.i18n import label
    parts = []
    for item in over:
        trade = label(TRADE_LABELS, item.trade)
        if item.first is None:
            parts.append(_("{trade} has no appointment hours left on {day}").format(
                trade=trade, day=fmt_date(item.day)))
        else:
            parts.append(_("{trade} is fully booked from {first} to {last}").format(
                trade=trade, first=f"{item.first:%H:%M}", last=f"{item.last:%H:%M}"))
    return "; ".join(parts)


def _full_message(start: dt.datetime, over: list[capacity.Over], free: list[dt.datetime]) -> str:
    text = _("No room at {when}: {why}.").format(when=_when(start), why=_over_text(over))
    if free:
        text += " " + _("Free: {times}.").format(times=", ".join(_when(at) for at in free))
    else:
        text += " " + _("Nothing free in the next {days} days.").format(days=capacity.SEARCH_DAYS)
    return text


def _capacity_of(shop_id: int) -> int | None:
    """Whose capacity a booking into ``shop_id`` takes: that shop's in a group, the shop's (None: no filter) in
    a one-shop database."""
    return shop_id if shops.is_group() else None


def _take_capacity(start: dt.datetime, work: list[tuple[str, Decimal]], *, by: Staff, overbook_reason: str | None,
                   excluding: int | None = None, shop: int | None = None
                   ) -> tuple[list[capacity.Use], list[capacity.Over]]:
    """Inside the write transaction: the half-hours the work takes from ``start`` (in ``shop``, a group's),
    after locking their days and reading their load. Beyond capacity: _Full, unless a manager overbooks with a
    reason (then the reasons it is over capacity are returned second)."""
    uses, over = capacity.check(start, work, excluding=excluding, lock=True, shop=shop)
    if over:
        if not overbook_reason:
            raise _Full(over, shop)
        require(by, "overbook")
    return uses, over


def _write_slots(appointment_id: int, uses: list[capacity.Use]) -> None:
    AppointmentSlot.insert_many([dict(appointment=appointment_id, starts_at=u.starts_at, trade=u.trade,
                                      bay_kind=u.bay_kind, hours=u.hours) for u in uses]).execute()


def _refuse_full(full: _Full, start: dt.datetime, work, excluding: int | None = None, *, by=None) -> CapacityFull:
    from workshop.permissions import can
    free = capacity.next_free(start, work, excluding=excluding, shop=full.shop)
    message = _full_message(start, full.over, free)
    if can(by, "overbook"):  # a manager is told how to book it anyway
        message += " " + _("To book it anyway, say why it goes beyond capacity.")
    return CapacityFull(message, free)


def book(form: AppointmentForm, *, by: Staff) -> Appointment:
    """Book a car for a time: checked against the shop's capacity, its parts held, its estimate written."""
    checked = _check(form)
    shop = shops.of(by)  # the terminal's shop: the car is booked into it

    def work():
        nonlocal by
        by = require(by, "book_appointments")
        uses, over = _take_capacity(checked.starts_at, checked.trades, by=by, overbook_reason=checked.overbook_reason,
                                    shop=_capacity_of(shop))
        end = capacity.end_of(uses, checked.starts_at)
        clash = _overlapping(checked.car.id, checked.starts_at, end)
        if clash is not None:
            raise InvalidInput(_("{plate} already has an appointment then: {label} at {when}.").format(
                plate=checked.car.plate, label=clash.label, when=_when(clash.starts_at)), "starts_at")
        from workshop import quotes  # (prices: not on the board's cold path, which shows today's arrivals)
        from workshop.reception import next_number
        now = clock.now()
        payer = {"warranty": "manufacturer", "insurance": "insurer", "internal": "internal"}.get(
            checked.business_type, "customer")
        own = [w for w, package in zip(checked.work, checked.package_codes) if package is None]
        estimate = quotes.quote(checked.owner.id, own, checked.extra, packages=checked.packages, payer=payer,
                                series=checked.car.series, on=checked.starts_at.date()).total
        appointment = Appointment.create(
            number=next_number("appointment", 1), shop=shop, vehicle=checked.car.id, customer=checked.owner.id,
            contact_name=checked.contact_name, contact_phone=checked.contact_phone, starts_at=checked.starts_at,
            ends_at=end, business_type=checked.business_type, hours=sum((h for _op, h in checked.work), Decimal(0)),
            estimate=estimate, source=checked.source, notes=checked.notes, accepted_by=by.id, accepted_at=now,
            overbooked_by=by.id if over else None, overbooked_reason=checked.overbook_reason if over else None,
            updated_at=now)
        for position, ((op, hours), package) in enumerate(zip(checked.work, checked.package_codes), 1):
            AppointmentLine.create(appointment=appointment.id, operation=op.id, code=op.code, name=op.name,
                                   trade=op.trade, hours=hours, position=position, package_code=package)
        _write_slots(appointment.id, uses)
        wanted = [(part, qty, op.id) for op, _hours in checked.work
                  for part, qty in quotes.kit(op.id, checked.car.series)]
        wanted += [(part, qty, None) for part, qty in checked.extra]
        appointment.parts_short = prepick.hold(appointment, wanted)
        asked = [package.code for package, _ops in checked.packages]
        asked += [op.code for (op, _h), package in zip(checked.work, checked.package_codes) if package is None]
        summary = Phrase(N_("{label} booked: {plate} at {when}, {codes}"), label=appointment.ref,
                         plate=checked.car.plate, when=_when(checked.starts_at), codes=", ".join(asked))
        if over:
            summary += Phrase(N_(" (beyond capacity: {reason})"), reason=checked.overbook_reason)
        audit.record(by, "appointment_overbooked" if over else "appointment_booked", "appointment", appointment.id,
                     summary, after=dict(vehicle=checked.car.id, starts_at=checked.starts_at, ends_at=end,
                                         work=[op.code for op, _h in checked.work], packages=asked[
                                             :len(checked.packages)], estimate=estimate,
                                         source=checked.source, over=_over_text(over)))
        return appointment

    try:
        return run_write(work)
    except _Full as full:
        raise _refuse_full(full, checked.starts_at, checked.trades, by=by) from None


# --- changing an appointment ------------------------------------------------------------------------

def _load(appointment_id: int, seen_version: int | None) -> Appointment:
    appointment = Appointment.by_id(appointment_id)
    if appointment is None:
        raise NotFound(_("That appointment does not exist."))
    if seen_version is not None and appointment.version != seen_version:
        raise StaleAppointment(_("{label} was changed in another terminal meanwhile: look again.").format(
            label=appointment.ref))
    return appointment


class StaleAppointment(DomainError):
    """The appointment changed in another terminal since this one last saw it."""


def _save(appointment: Appointment, changes: dict, *, by, kind: str, summary: str, detail: dict | None = None):
    before = {k: getattr(appointment, k) for k in changes}
    changes = dict(changes, updated_at=clock.now())
    if Appointment.update_versioned(appointment.id, appointment.version, changes) != 1:
        raise StaleAppointment(_("{label} was changed in another terminal meanwhile: look again.").format(
            label=appointment.ref))
    for key, value in changes.items():
        setattr(appointment, key, value)
    appointment.version += 1
    audit.record(by, kind, "appointment", appointment.id, summary, before=before,
                 after={**{k: changes[k] for k in before}, **(detail or {})})
    return appointment


def _work_of(appointment_id: int) -> list[tuple[str, Decimal]]:
    return [(trade, Decimal(hours)) for trade, hours in
            AppointmentLine.select(AppointmentLine.trade, AppointmentLine.hours)
            .where(AppointmentLine.appointment == appointment_id).order_by(AppointmentLine.position).tuples()]


def _open(appointment: Appointment) -> None:
    if appointment.state not in OPEN:
        from models.appointments import APPOINTMENT_STATE_LABELS
        from workshop.i18n import label
        raise IllegalTransition(_("{label} is {state}: it can no longer change.").format(
            label=appointment.ref, state=label(APPOINTMENT_STATE_LABELS, appointment.state)))


def _move(appointment: Appointment, starts_at: dt.datetime, *, by: Staff, overbook_reason: str | None,
          note: str = "") -> Appointment:
    work = _work_of(appointment.id)
    uses, over = _take_capacity(starts_at, work, by=by, overbook_reason=overbook_reason, excluding=appointment.id,
                                shop=_capacity_of(appointment.shop_id))  # within the shop it is booked into
    end = capacity.end_of(uses, starts_at)
    clash = _overlapping(appointment.vehicle_id, starts_at, end, excluding=appointment.id)
    if clash is not None:
        raise InvalidInput(_("The car already has an appointment then: {label} at {when}.").format(
            label=clash.label, when=_when(clash.starts_at)), "starts_at")
    capacity.lock_days([appointment.starts_at.date()])
    AppointmentSlot.delete().where(AppointmentSlot.appointment == appointment.id).execute()
    _write_slots(appointment.id, uses)
    changes = {"starts_at": starts_at, "ends_at": end, "state": "booked"}
    if over:
        changes.update(overbooked_by=by.id, overbooked_reason=overbook_reason)
    summary = Phrase(N_("{label} moved from {old} to {new}"), label=appointment.ref, old=_when(appointment.starts_at),
                     new=_when(starts_at))
    if note:
        summary += Phrase(N_(": {note}"), note=note)
    return _save(appointment, changes, by=by, kind="appointment_moved", summary=summary)


def move(appointment_id: int, starts_at: dt.datetime | str, *, by: Staff, seen_version: int | None = None,
         overbook_reason: str = "") -> Appointment:
    """Move an appointment to another time (checked against capacity like a booking); the time may be typed."""
    starts_at = _starts_at(parse_time(starts_at))
    reason = validation.text(overbook_reason, "overbook_reason", _("Reason"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "book_appointments")
        appointment = _load(appointment_id, seen_version)
        _open(appointment)
        return _move(appointment, starts_at, by=by, overbook_reason=reason)

    try:
        return run_write(work)
    except _Full as full:
        raise _refuse_full(full, starts_at, _work_of(appointment_id), appointment_id, by=by) from None


def _close(appointment: Appointment, state: str, reason: str | None, *, by, kind: str, summary: str) -> Appointment:
    released = prepick.release(appointment.id)
    return _save(appointment, {"state": state, "closed_at": clock.now(), "close_reason": reason}, by=by, kind=kind,
                 summary=summary, detail={"released": [(p, str(q)) for p, q in released]})


def cancel(appointment_id: int, reason: str, *, by: Staff, seen_version: int | None = None) -> Appointment:
    """Cancel an appointment (a reason is required): its capacity and parts are free again."""
    reason = validation.text(reason, "reason", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "book_appointments")
        appointment = _load(appointment_id, seen_version)
        _open(appointment)
        return _close(appointment, "cancelled", reason, by=by, kind="appointment_cancelled",
                      summary=Phrase(N_("{label} cancelled: {reason}"), label=appointment.ref, reason=reason))

    return run_write(work)


# --- the day-before reminder --------------------------------------------------------------------------

def record_call(appointment_id: int, outcome: str, *, channel: str = "phone", note: str = "",
                moved_to: dt.datetime | str | None = None, by: Staff, seen_version: int | None = None) -> Appointment:
    """The day-before call or message and what it came to: confirmed, moved (to ``moved_to``), cancelled,
    or no answer."""
    if outcome not in CALL_OUTCOMES:
        raise InvalidInput(_("What did the call come to: confirmed, moved, cancelled or no answer?"), "outcome")
    if channel not in CALL_CHANNELS:
        raise InvalidInput(_("Called, or messaged by SMS or WeChat?"), "channel")
    note = validation.text(note, "note", _("Note"), max_len=200, required=outcome == "cancelled")
    if outcome == "moved":
        moved_to = _starts_at(parse_time(moved_to, "moved_to") if moved_to not in (None, "") else None)
    else:
        moved_to = None

    def work():
        nonlocal by
        by = require(by, "remind_appointments")
        appointment = _load(appointment_id, seen_version)
        _open(appointment)
        AppointmentCall.create(appointment=appointment.id, at=clock.now(), by=by.id, channel=channel, outcome=outcome,
                               note=note, moved_to=moved_to)
        if outcome == "confirmed":
            return _save(appointment, {"state": "confirmed"}, by=by, kind="appointment_confirmed",
                         summary=Phrase(N_("{label} confirmed by the customer"), label=appointment.ref))
        if outcome == "moved":
            require(by, "book_appointments")
            return _move(appointment, moved_to, by=by, overbook_reason=None, note=_("asked for on the reminder call"))
        if outcome == "cancelled":
            require(by, "book_appointments")
            return _close(appointment, "cancelled", note, by=by, kind="appointment_cancelled",
                          summary=Phrase(N_("{label} cancelled on the reminder call: {reason}"),
                                         label=appointment.ref, reason=note))
        return _save(appointment, {}, by=by, kind="appointment_called",
                     summary=Phrase(N_("{label}: reminder call not answered"), label=appointment.ref))

    try:
        return run_write(work)
    except _Full as full:
        raise _refuse_full(full, moved_to, _work_of(appointment_id), appointment_id) from None


def mark_no_shows(*, by=None) -> int:
    """Appointments whose car has not come ``appointment_no_show_minutes`` after its time become no-shows
    (their capacity and parts are released). Idempotent: a time-driven rule any terminal or cron may run."""
    cutoff = clock.now() - dt.timedelta(minutes=int(settings.get("appointment_no_show_minutes")))

    def work():
        count = 0
        for appointment in (Appointment.select().where(Appointment.state.in_(OPEN) & (Appointment.starts_at < cutoff))
                            .order_by(Appointment.starts_at)):
            _close(appointment, "no_show", None, by=by, kind="appointment_no_show",
                   summary=Phrase(N_("{label}: no-show (due {when})"),
                                  label=appointment.ref, when=_when(appointment.starts_at)))
            count += 1
        return count

    return run_write(work)


# --- arrival --------------------------------------------------------------------------------------

def arrive(appointment_id: int, *, mileage_in, fuel_level: str = "1/2", promised_at: dt.datetime | str | None = None,
           statement: str = "", by: Staff, seen_version: int | None = None) -> RepairOrder:
    """The car is here: the appointment becomes a checked-in repair order with its work, parts and estimate."""
    from workshop.reception import OrderForm, create_order
    if promised_at not in (None, ""):
        promised_at = parse_time(promised_at, "promised_at")
    else:
        promised_at = None

    def work():
        nonlocal by
        by = require(by, "create_order")
        appointment = _load(appointment_id, seen_version)
        now = clock.now()
        late_no_show = appointment.state == "no_show" and appointment.starts_at.date() == now.date()
        if appointment.state not in OPEN and not late_no_show:
            _open(appointment)
        lines = list(AppointmentLine.select().where(AppointmentLine.appointment == appointment.id)
                     .order_by(AppointmentLine.position))
        hours = sum((Decimal(line.hours) for line in lines), Decimal(0))
        promised = promised_at or max(appointment.ends_at, now + dt.timedelta(hours=float(hours)) + capacity.SLOT)
        words = statement or appointment.notes or ", ".join(line.name for line in lines)
        from models.appointments import AppointmentPart
        extra_ids = {ap.part_id: Decimal(ap.qty) for ap in AppointmentPart.select().where(
            (AppointmentPart.appointment == appointment.id) & AppointmentPart.operation.is_null())}
        prepick.release(appointment.id)   # the order's own part lines take them over just below
        form = OrderForm(vehicle_id=appointment.vehicle_id, business_type=appointment.business_type,
                         mileage_in=str(mileage_in if mileage_in is not None else ""), fuel_level=fuel_level,
                         statement=words[:1000], promised_at=promised,
                         operation_codes=[line.code for line in lines if not line.package_code],
                         package_codes=list(dict.fromkeys(line.package_code for line in lines if line.package_code)))
        order = create_order(form, by=by, shop=appointment.shop_id)  # checked in where it was booked
        if extra_ids:  # parts asked for beyond the operations' kits (the kits come with the order's lines)
            from workshop import lifecycle, parts
            for part in Part.select().where(Part.id.in_(list(extra_ids))):
                parts._new_line(order, part, extra_ids[part.id], by)
            order = lifecycle.get_order(order.id)
            status = parts.status_of(list(order.part_lines))
            RepairOrder.update(parts_status=status).where(RepairOrder.id == order.id).execute()
        if not Decimal(order.estimate or 0):
            RepairOrder.update(estimate=appointment.estimate).where(RepairOrder.id == order.id).execute()
        _save(appointment, {"state": "arrived", "arrived_at": now, "order": order.id}, by=by,
              kind="appointment_arrived",
              summary=Phrase(N_("{label} arrived ({when_due} due): {order}"),
                             label=appointment.ref, when_due=_when(appointment.starts_at), order=order.label))
        return RepairOrder.get_by_id(order.id)

    return run_write(work)


def on_time(starts_at: dt.datetime, arrived_at: dt.datetime | None) -> bool:
    return arrived_at is not None and arrived_at <= starts_at + dt.timedelta(
        minutes=int(settings.get("appointment_on_time_minutes")))


# --- from what a form holds -------------------------------------------------------------------------

TIME_FORMAT = "%Y-%m-%d %H:%M"


def parse_time(text, field: str = "starts_at") -> dt.datetime:
    """A day and time as typed (2026-12-01 09:30; also 2026-12-01T09:30)."""
    if isinstance(text, dt.datetime):
        return text
    value = str(text or "").strip().replace("T", " ")
    if not value:
        raise InvalidInput(_("Pick the day and time the car is due."), field)
    try:
        return dt.datetime.strptime(value, TIME_FORMAT)
    except ValueError:
        raise InvalidInput(_("A day and time such as {example}.").format(
            example=(clock.today() + dt.timedelta(days=1)).strftime("%Y-%m-%d") + " 09:30"), field) from None


def codes_of(text) -> list[str]:
    """Operation codes as typed: separated by spaces or commas."""
    if isinstance(text, (list, tuple)):
        return [str(c) for c in text]
    return [c for c in str(text or "").replace(",", " ").replace("，", " ").split() if c]


def book_typed(plate: str, starts_at, codes, *, packages="", contact_name: str = "", contact_phone: str = "",
               source: str = "phone", business_type: str = "maintenance", notes: str = "",
               overbook_reason: str = "", by: Staff) -> Appointment:
    """book() from a form: the car by plate or VIN, the time and the operation codes as typed."""
    from workshop.reception import find_vehicle
    if not (plate or "").strip():
        raise InvalidInput(_("Find the car first (plate or VIN)."), "vehicle")
    validation.refuse_control_characters(plate, "vehicle", _("Plate or VIN"))  # before it is echoed below
    if isinstance(codes, str):  # before split() takes some control characters for spaces
        validation.refuse_control_characters(codes, "work", _("Operation code"))
    car = find_vehicle(plate)
    if car is None:
        raise InvalidInput(_("No car with plate or VIN {plate} on file: register the car and its owner first "
                             "(reception, F4, then Ctrl+R).").format(plate=plate.strip()), "vehicle")
    return book(AppointmentForm(vehicle_id=car.id, starts_at=parse_time(starts_at), operation_codes=codes_of(codes),
                                package_codes=codes_of(packages),
                                contact_name=contact_name or "", contact_phone=contact_phone or "", source=source,
                                business_type=business_type, notes=notes or "", overbook_reason=overbook_reason or ""),
                by=by)


def default_start(day: dt.date | None = None) -> dt.datetime | None:
    """The first bookable half-hour of ``day`` still ahead (tomorrow's by default), else the next one."""
    hours = capacity.opening()
    day = day or clock.today() + dt.timedelta(days=1)
    return hours.next_slot(max(clock.now(), dt.datetime.combine(day, dt.time())))


__all__ = ["AppointmentForm", "CapacityFull", "StaleAppointment", "book", "move", "cancel", "record_call",
           "mark_no_shows", "arrive", "day_list", "reminder_list", "expected_arrivals", "of_vehicle", "get",
           "on_time", "AppointmentRow"]
