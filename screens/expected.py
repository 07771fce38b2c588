"""Today's expected arrivals as a lane at the head of the board's checked-in column (the arrival key's form is
screens/arrival.py: not needed for the board's first frame)."""
from __future__ import annotations

from textual.widgets import Static

from screens.text import line, lines, literal
from workshop import appointment_rows, clock, shops
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
        self.rows: list[appointment_rows.AppointmentRow] = []

    def reload(self) -> None:
        """Read today's expected arrivals (three queries; on open, on appointment changes, once a minute)."""
        self.rows = appointment_rows.expected_arrivals(shop=shops.scope(getattr(self.app, "staff", None)))
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
