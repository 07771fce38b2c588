"""Appointment figures over a period, per advisor and for the shop (beside the quality figures).

Definitions (the shop's, stated once):
- check-ins: repair orders checked in during the period (cancelled ones too: the car came);
- appointment rate: check-ins that came from an appointment / check-ins, counted for the advisor who
  checked the car in;
- due: appointments whose time fell in the period and that were not cancelled beforehand, counted for the
  advisor who accepted them; those still open (booked or confirmed, not yet marked) are left out;
- no-show rate: no-shows / (arrived + no-shows);
- on-time arrival rate: arrivals within ``appointment_on_time_minutes`` of the time (or earlier) / arrivals.
Two grouped queries over index ranges (orders by time in, appointments by time), however long the history.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, fn

from models.appointments import Appointment
from models.orders import RepairOrder
from models.people import Staff
from workshop import appointments
from workshop.i18n import _


@dataclass
class AppointmentFigures:
    name: str
    check_ins: int = 0
    from_appointments: int = 0
    arrived: int = 0
    no_shows: int = 0
    on_time: int = 0
    cancelled: int = 0

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))

    @property
    def appointment_pct(self) -> Decimal | None:
        return self._pct(self.from_appointments, self.check_ins)

    @property
    def no_show_pct(self) -> Decimal | None:
        return self._pct(self.no_shows, self.arrived + self.no_shows)

    @property
    def on_time_pct(self) -> Decimal | None:
        return self._pct(self.on_time, self.arrived)


@dataclass
class AppointmentReport:
    start: dt.datetime
    end: dt.datetime
    shop: AppointmentFigures
    advisors: list[AppointmentFigures]


def report(start: dt.datetime, end: dt.datetime, shop: int | None = None) -> AppointmentReport:
    """The figures for [start, end) (``shop``: of that shop of a group; None: the whole database's)."""
    names = dict(Staff.select(Staff.id, Staff.name).tuples())
    from workshop import shops
    whole = AppointmentFigures(_("Whole group") if shop is None and shops.is_group() else _("Whole shop"))
    advisors: dict[int, AppointmentFigures] = {}

    def of(staff_id: int) -> AppointmentFigures:
        return advisors.setdefault(staff_id, AppointmentFigures(names.get(staff_id, "?")))

    visits = (RepairOrder.select(RepairOrder.advisor, fn.COUNT(RepairOrder.id), fn.COUNT(Appointment.id))
              .join(Appointment, JOIN.LEFT_OUTER, on=(Appointment.order == RepairOrder.id))
              .where((RepairOrder.time_in >= start) & (RepairOrder.time_in < end)))
    due = (Appointment.select(Appointment.accepted_by, Appointment.state, Appointment.starts_at, Appointment.arrived_at)
           .where((Appointment.starts_at >= start) & (Appointment.starts_at < end)
                  & Appointment.state.in_(("arrived", "no_show", "cancelled"))))
    if shop is not None:
        visits = visits.where(RepairOrder.shop == shop)
        due = due.where(Appointment.shop == shop)
    for advisor, check_ins, booked in visits.group_by(RepairOrder.advisor).tuples():
        for fig in (whole, of(advisor)):
            fig.check_ins += check_ins
            fig.from_appointments += booked
    for advisor, state, starts_at, arrived_at in due.tuples():
        for fig in (whole, of(advisor)):
            if state == "arrived":
                fig.arrived += 1
                fig.on_time += appointments.on_time(appointments._as_dt(starts_at), appointments._as_dt(arrived_at))
            elif state == "no_show":
                fig.no_shows += 1
            else:
                fig.cancelled += 1
    return AppointmentReport(start, end, whole, sorted(advisors.values(), key=lambda f: f.name))


__all__ = ["report", "AppointmentFigures", "AppointmentReport"]
