"""Hours present: a technician clocks in at a shop-floor terminal when the day starts and out when it ends
(a shift). Productivity is hours clocked on jobs over hours present (workshop/labour.py).

Rules, decided here:
- one open shift per technician (a partial unique index holds it on both engines);
- clocking on a job line clocks a technician in who had not (being at work on a car is being present);
- clocking out of the shift pauses the job they are clocked on, in the same transaction;
- a supervisor or manager records a shift someone forgot (or corrects one): it must start before it
  ends, end by now, last at most a day, and overlap no other shift of the same person; the labour
  figures kept for the days it touches are computed again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError

from models.db import run_write
from models.orders import JobLine, TimeLog
from models.people import Staff
from models.shopfloor import Shift
from workshop import audit, clock, i18n, lifecycle, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require

LONGEST = dt.timedelta(hours=24)


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _technician(technician_id: int) -> Staff:
    tech = Staff.by_id(technician_id)
    if tech is None or not tech.active or not tech.has_role("technician"):
        raise NotFound(_("No such active technician."))
    return tech


def _who(by, technician_id: int) -> Staff:
    """A technician clocks only themself in and out; a dispatcher, supervisor or manager may do it for them."""
    staff = require(by, "clock_time")
    if technician_id != staff.id:
        staff = require(staff, "clock_for_others")
    return staff


def _open_shift(technician_id: int) -> Shift | None:
    return Shift.select().where((Shift.technician == technician_id) & Shift.ended_at.is_null()).first()


def present(tech: Staff, *, by: Staff, at: dt.datetime) -> bool:
    """Inside a transaction: clock the technician in unless they are; True when a shift was started."""
    if _open_shift(tech.id) is not None:
        return False
    shift_id = Shift.insert(technician=tech.id, started_at=at).execute()
    audit.record(by, "shift_started", "shift", shift_id, Phrase(N_("{name} clocked in"), name=tech.name),
                 after={"technician": tech.id, "started_at": at})
    return True


def clock_in(technician_id: int, *, by) -> dt.datetime:
    """The technician's day starts: returns when."""

    def work():
        nonlocal by
        by = _who(by, technician_id)
        tech = _technician(technician_id)
        shift = _open_shift(tech.id)
        if shift is not None:
            raise IllegalTransition(_("{name} is already clocked in (since {time}).").format(
                name=tech.name, time=f"{_as_dt(shift.started_at):%H:%M}"))
        now = clock.now()
        present(tech, by=by, at=now)
        return now

    try:
        return run_write(work)
    except IntegrityError:  # PostgreSQL: another terminal clocked them in at the same moment (one open shift)
        raise IllegalTransition(_("{name} was clocked in at another terminal just now.").format(
            name=_technician(technician_id).name)) from None


def clock_out(technician_id: int, *, by) -> dt.datetime:
    """The technician's day ends: a job they are clocked on is paused with it. Returns when."""
    from workshop.dispatch import stop_clock

    def work():
        nonlocal by
        by = _who(by, technician_id)
        tech = _technician(technician_id)
        shift = _open_shift(tech.id)
        if shift is None:
            raise IllegalTransition(_("{name} is not clocked in.").format(name=tech.name))
        for log in TimeLog.select().where((TimeLog.technician == tech.id) & TimeLog.ended_at.is_null()):
            line = JobLine.get_by_id(log.line_id)
            stop_clock(line, lifecycle.get_order(line.order_id), tech, by=by, finished=False)
        now = clock.now()
        Shift.update(ended_at=now).where(Shift.id == shift.id).execute()
        audit.record(by, "shift_ended", "shift", shift.id, Phrase(N_("{name} clocked out"), name=tech.name),
                     before={"ended_at": None}, after={"ended_at": now})
        return now

    return run_write(work)


def _moment(value, field: str, label: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(_("{label} is required.").format(label=label), field)
    try:
        return dt.datetime.fromisoformat(text.replace("T", " ")).replace(microsecond=0)
    except ValueError:
        raise InvalidInput(_("{label} must be a date and time such as {example}.").format(
            label=label, example=i18n.datetime(clock.now())), field) from None


def record_shift(technician_id: int, started_at, ended_at, *, by, note: str = "",
                 shift_id: int | None = None) -> int:
    """A supervisor records (or, with ``shift_id``, corrects) a technician's shift; returns its id."""
    start = _moment(started_at, "started_at", _("Start"))
    end = _moment(ended_at, "ended_at", _("End"))
    if end <= start:
        raise InvalidInput(_("A shift cannot end before it starts ({end} is not after {start}).").format(
            end=i18n.datetime(end), start=i18n.datetime(start)), "ended_at")
    if end - start > LONGEST:
        raise InvalidInput(_("A shift lasts at most 24 hours."), "ended_at")
    note = validation.text(note, "note", _("Note"), max_len=200, required=False) or ""

    def work():
        nonlocal by
        by = require(by, "manage_shifts")
        tech = _technician(technician_id)
        if end > clock.now():
            raise InvalidInput(_("A shift cannot end in the future."), "ended_at")
        others = Shift.select().where((Shift.technician == tech.id) & (Shift.started_at < end)
                                      & (Shift.ended_at.is_null() | (Shift.ended_at > start)))
        if shift_id is not None:
            others = others.where(Shift.id != shift_id)
        clash = others.first()
        if clash is not None:
            until = _as_dt(clash.ended_at)
            raise InvalidInput(_("{name} has a shift from {start} to {end} already.").format(
                name=tech.name, start=i18n.datetime(_as_dt(clash.started_at)),
                end=i18n.datetime(until) if until else _("now")), "started_at")
        touched = {start.date(), end.date()}
        if shift_id is None:
            sid = Shift.insert(technician=tech.id, started_at=start, ended_at=end, note=note or None).execute()
            before = None
        else:
            old = Shift.get_or_none((Shift.id == shift_id) & (Shift.technician == tech.id))
            if old is None:
                raise NotFound(_("That shift does not exist."))
            before = {"started_at": old.started_at, "ended_at": old.ended_at}
            touched |= {_as_dt(old.started_at).date(), (_as_dt(old.ended_at) or end).date()}
            Shift.update(started_at=start, ended_at=end, note=note or None).where(Shift.id == shift_id).execute()
            sid = shift_id
        from workshop import labour
        labour.forget_days(touched)
        audit.record(by, "shift_recorded", "shift", sid,
                     Phrase(N_("Shift of {name} recorded: {start} to {end}"),
                            name=tech.name, start=i18n.datetime(start), end=i18n.datetime(end)),
                     before=before, after={"technician": tech.id, "started_at": start, "ended_at": end, "note": note})
        return sid

    return run_write(work)


@dataclass(frozen=True)
class ShiftRow:
    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    note: str | None

    @property
    def seconds(self) -> int:
        return int(((self.ended_at or clock.now()) - self.started_at).total_seconds())


def on_shift_since(technician_id: int) -> dt.datetime | None:
    shift = _open_shift(technician_id)
    return _as_dt(shift.started_at) if shift else None


def shifts_of(technician_id: int, since: dt.datetime, until: dt.datetime) -> list[ShiftRow]:
    """A technician's shifts that overlap [since, until), oldest first."""
    rows = (Shift.select(Shift.id, Shift.started_at, Shift.ended_at, Shift.note)
            .where((Shift.technician == technician_id) & (Shift.started_at < until)
                   & (Shift.ended_at.is_null() | (Shift.ended_at > since)))
            .order_by(Shift.started_at).tuples())
    return [ShiftRow(i, _as_dt(s), _as_dt(e), n) for i, s, e, n in rows]


__all__ = ["clock_in", "clock_out", "record_shift", "present", "on_shift_since", "shifts_of", "ShiftRow"]
