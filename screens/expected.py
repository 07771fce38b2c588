"""Today's expected arrivals as a lane at the head of the board's checked-in column, and the board's arrival
key: the car comes, the advisor picks its appointment (the soonest is chosen already), types the mileage, and
it is an order."""
from __future__ import annotations

from functools import partial

from textual.widgets import Static

from screens import forms
from screens.forms import FormDialog
from screens.text import line, lines, literal
from workshop import appointments, capacity, clock, shops
from workshop.i18n import _

LANE_ROWS = 4  # the rest is counted: the checked-in cards stay in sight


class ExpectedLane(Static):
    """'Expected today (5)' and the next arrivals: time, plate, ✓ confirmed, ! parts short, late in red."""

    DEFAULT_CSS = """
    ExpectedLane { height: auto; max-height: 6; padding: 0 1; margin-bottom: 1; color: $text-muted;
                   border-left: outer $accent; }
    """

    def __init__(self) -> None:
        super().__init__("", id="expected-lane")
        self.rows: list[appointments.AppointmentRow] = []

    def reload(self) -> None:
        """Read today's expected arrivals (three queries; on open, on appointment changes, once a minute)."""
        self.rows = appointments.expected_arrivals(shop=shops.scope(getattr(self.app, "staff", None)))
        self.display = bool(self.rows)
        if not self.rows:
            return
        now = clock.now()
        shown = [line((f"{r.starts_at:%H:%M} ", "red" if r.starts_at < now else ""), (r.plate, "bold"),
                      " ✓" if r.state == "confirmed" else "", (" !", "bold red") if r.parts_short else "")
                 for r in self.rows[:LANE_ROWS]]
        more = len(self.rows) - LANE_ROWS
        head = literal(_("Expected today ({count})").format(count=len(self.rows)), "bold")
        entry = self.app.entry_for_key("f12")  # F12 is the appointments only for those it opens them for
        where = "F12" if entry is not None and entry.name == "appointments" else _("Ctrl+P appointments")
        tail = [literal(_("+{count} more · {where}").format(count=more, where=where))] if more > 0 else []
        self.update(lines([head, *shown] + tail))


def arrival_form(rows: list[appointments.AppointmentRow]) -> FormDialog:
    options = [(f"{r.starts_at:%H:%M} {r.plate} · {r.customer}", r.id) for r in rows]
    from workshop.reception import FUEL_LEVELS  # (reception's checks are not needed for the board's first frame)
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
