"""The board's arrival key: the car comes, the advisor picks its appointment (the soonest is chosen already),
types the mileage, and it is an order."""
from __future__ import annotations

from functools import partial

from screens import forms
from screens.forms import FormDialog
from workshop import appointments, capacity, clock, shops
from workshop.i18n import _


def arrival_form(rows: list[appointments.AppointmentRow]) -> FormDialog:
    options = [(f"{r.starts_at:%H:%M} {r.plate} · {r.customer}", r.id) for r in rows]
    from workshop.reception import FUEL_LEVELS  # (reception's checks are loaded when a car arrives)
    promised = max(rows[0].ends_at, clock.now() + capacity.SLOT)
    return FormDialog(_("A car with an appointment has arrived"), [
        forms.choice("appointment", _("Appointment"), options, value=rows[0].id),
        forms.number("mileage_in", _("Mileage (km)"), minimum=0, maximum=2_000_000, places=0),
        forms.choice("fuel_level", _("Fuel"), [(f, f) for f in FUEL_LEVELS], value="1/2"),
        forms.text("promised_at", _("Promised"), value=promised.strftime(appointments.TIME_FORMAT), max_length=16),
    ], submit_label=_("Check in"), focus="mileage_in")


def ask_arrival(screen) -> None:
    """On a screen that acts (screens/acting.py): the arrival form for today's expected cars."""
    rows = appointments.expected_arrivals(shop=shops.scope(getattr(screen.app, "staff", None)))
    if not rows:
        screen.notify(_("No car with an appointment is expected today."), severity="warning")
        return
    versions = {r.id: r.version for r in rows}
    screen.ask(arrival_form(rows), lambda v: partial(
        appointments.arrive, v["appointment"], mileage_in=v["mileage_in"], fuel_level=v["fuel_level"],
        promised_at=v["promised_at"], seen_version=versions.get(v["appointment"])),
        success=lambda order: _("{order} checked in from its appointment.").format(order=order.label))
