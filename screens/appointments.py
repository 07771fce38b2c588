"""Appointments (预约): the day by half-hour with each trade's capacity beside the day's bookings, tomorrow's
reminder calls, the cars due for service to book from, the parts short days ahead, and the figures."""
from __future__ import annotations

import datetime as dt
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import DataTable, Header, Label, TabbedContent, TabPane

from models.appointments import (APPOINTMENT_STATE_LABELS, CALL_CHANNEL_LABELS, CALL_CHANNELS,
                                 CALL_OUTCOME_LABELS, CALL_OUTCOMES, SOURCE_LABELS, SOURCES)
from models.orders import BUSINESS_TYPE_LABELS, BUSINESS_TYPES
from models.people import TRADE_LABELS
from models.shop import BAY_KIND_LABELS
from screens import forms
from screens.acting import Acting
from screens.dialogs import reason_form
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.tables import Table
from screens.text import cells, line, lines, literal
from workshop import appointment_figures, appointments, capacity, clock, prepick, reminders, shops
from workshop.i18n import N_, _, label
from workshop.i18n import date as fmt_date
from workshop.reception import FUEL_LEVELS

TIME_FORMAT = appointments.TIME_FORMAT
WIDE = 150  # from this many columns the grid and the day's list stand side by side
TABS = ("day", "calls", "due", "short", "figures")
FIGURE_DAYS = 30


def _weekday(day: dt.date) -> str:
    from screens.card import WEEKDAYS  # the board's short weekday names (周一 ...)
    return _(WEEKDAYS[day.weekday()])


def _hours(value) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.1f}"


def _state(row: appointments.AppointmentRow) -> Text:
    style = {"confirmed": "green", "arrived": "bold", "no_show": "red", "cancelled": "dim"}.get(row.state, "")
    return literal(label(APPOINTMENT_STATE_LABELS, row.state), style)


def _parts(row: appointments.AppointmentRow):
    return literal(_("short"), "bold red") if row.parts_short else ""


def _day_row(row: appointments.AppointmentRow):
    return (f"{row.starts_at:%H:%M}", row.label, row.plate, _state(row), _parts(row), row.customer, row.work,
            label(SOURCE_LABELS, row.source), row.advisor, _("RO {number}").format(number=row.order_number) if row.order_number else "")


def _call_row(row: appointments.AppointmentRow):
    """Who to call and on what number first: at 80 columns they are what shows."""
    calls = "" if not row.calls else f"{row.calls} · {label(CALL_OUTCOME_LABELS, row.last_outcome)}"
    return (f"{row.starts_at:%H:%M}", row.plate, row.contact_phone, row.contact_name, _state(row), calls,
            _parts(row), row.work, row.label)


def _short_row(row: prepick.PrepickRow):
    return (f"{row.starts_at:%m-%d %H:%M}", _("AP {number}").format(number=row.appointment_number), row.plate, row.code, row.name,
            prepick.parts.fmt(row.qty), prepick.parts.fmt(row.held), literal(prepick.parts.fmt(row.short), "bold red"),
            prepick.parts.fmt(row.on_hand))


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


# The rates first: at 80 columns they are what shows.
FIGURE_COLUMNS = (N_("Who"), N_("Appointment rate"), N_("No-show rate"), N_("On time"), N_("Check-ins"),
                  N_("By appointment"), N_("Due"), N_("No-shows"), N_("Cancelled"))


def figures_row(f: appointment_figures.AppointmentFigures):
    return (f.name, _pct(f.appointment_pct), _pct(f.no_show_pct), _pct(f.on_time_pct), f.check_ins,
            f.from_appointments, f.arrived + f.no_shows, f.no_shows, f.cancelled)


def booking_form(*, plate: str = "", when: dt.datetime | None = None, source: str = "phone", codes: str = "",
                 manager: bool = False, intro=None) -> FormDialog:
    """The booking: the car, the half-hour, the work (catalog codes and maintenance packages), how it came, who
    to call."""
    fields = [
        forms.text("plate", _("Plate or VIN"), value=plate, max_length=20, also=("vehicle",)),
        forms.text("starts_at", _("Day and time"), value=when.strftime(TIME_FORMAT) if when else "", max_length=16,
                   placeholder="2026-12-01 09:30", hint=_("on the hour or half-hour")),
        forms.text("work", _("Operations"), value=codes, max_length=200, placeholder="QS002 ME001", required=False,
                   hint=_("catalog codes, separated by spaces"), also=("hours", "parts")),
        forms.text("packages", _("Packages"), max_length=100, placeholder="FS", required=False,
                   hint=_("maintenance packages, sold at their price")),
        forms.choice("business_type", _("Business type"),
                     [(label(BUSINESS_TYPE_LABELS, b), b) for b in BUSINESS_TYPES], value="maintenance"),
        forms.choice("source", _("How it came"), [(label(SOURCE_LABELS, s), s) for s in SOURCES], value=source),
        forms.text("contact_name", _("Contact"), required=False, max_length=60, hint=_("blank: the owner")),
        forms.text("contact_phone", _("Contact phone"), required=False, max_length=20,
                   hint=_("blank: the owner's mobile")),
        forms.text("notes", _("Notes"), required=False, max_length=500),
    ]
    if manager:
        fields.append(forms.text("overbook_reason", _("Beyond capacity because"), required=False, max_length=200,
                                 hint=_("only to book when it is full")))
    return FormDialog(_("Book an appointment"), fields, intro=intro, submit_label=_("Book"),
                      focus="work" if plate else "plate")


def book_call(values: dict) -> partial:
    return partial(appointments.book_typed, values["plate"], values["starts_at"], values["work"] or "",
                   packages=values.get("packages") or "", contact_name=values["contact_name"] or "", contact_phone=values["contact_phone"] or "",
                   source=values["source"], business_type=values["business_type"], notes=values["notes"] or "",
                   overbook_reason=values.get("overbook_reason") or "")


def booked_message(appointment) -> str:
    return _("{label} booked for {when}.").format(label=appointment.label, when=f"{appointment.starts_at:%m-%d %H:%M}")


def ask_booking(screen, plate: str, intro=None) -> None:
    """On a screen that acts (screens/acting.py): book this car, from tomorrow's first free half-hour (the
    customer's and the vehicle's file)."""
    form = booking_form(plate=plate, when=appointments.default_start(), manager=screen.app.staff.has_role("manager"),
                        intro=intro)
    screen.ask(form, book_call, success=booked_message)


def arrival_form(row: appointments.AppointmentRow) -> FormDialog:
    """Everything comes from the appointment; what is read off the car is typed."""
    promised = max(row.ends_at, clock.now() + capacity.SLOT)
    intro = line((f"{row.label} ", "bold"), (row.plate, "bold"), f" · {row.customer} · ",
                 _("due {time}").format(time=f"{row.starts_at:%H:%M}"), "\n", row.work, multiline=True)
    return FormDialog(_("The car has arrived: check it in"), [
        forms.number("mileage_in", _("Mileage (km)"), minimum=0, maximum=2_000_000, places=0),
        forms.choice("fuel_level", _("Fuel"), [(f, f) for f in FUEL_LEVELS], value="1/2"),
        forms.text("promised_at", _("Promised"), value=promised.strftime(TIME_FORMAT), max_length=16),
    ], intro=intro, submit_label=_("Check in"), focus="mileage_in")


class AppointmentsScreen(Acting, KeptScreen):
    CSS_PATH = "appointments.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("n", "book", N_("Book")),
        Binding("a", "arrive", N_("Arrived")),
        Binding("c", "call", N_("Record call")),
        Binding("m", "move", N_("Move")),
        Binding("x", "cancel", N_("Cancel")),
        Binding("left_square_bracket", "day(-1)", N_("Day before")),
        Binding("right_square_bracket", "day(1)", N_("Day after")),
        Binding("t", "today", N_("Today")),
        Binding("1", "tab('day')", N_("Day"), show=False),
        Binding("2", "tab('calls')", N_("Calls"), show=False),
        Binding("3", "tab('due')", N_("Due for service"), show=False),
        Binding("4", "tab('short')", N_("Parts short"), show=False),
        Binding("5", "tab('figures')", N_("Figures"), show=False),
    ]
    PERMISSIONS = {"book": "book_appointments", "move": "book_appointments", "cancel": "book_appointments",
                   "arrive": "create_order", "call": "remind_appointments"}
    TAB_ACTIONS = {"arrive": ("day",), "call": ("calls",), "move": ("day", "calls"), "cancel": ("day", "calls"),
                   "day": ("day",), "today": ("day",), "book": ("day", "due")}

    def __init__(self):
        super().__init__()
        self.day = clock.today()
        self.rows: list[appointments.AppointmentRow] = []
        self.call_rows: list[appointments.AppointmentRow] = []
        self.grid: capacity.DayGrid | None = None
        self._booked: dict[int, dt.datetime] = {}
        self._new_day = True

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="day"):
            with TabPane(_("Day [1]"), id="day"):
                yield Label("", id="day-title", classes="title")
                with Container(id="day-panes"):
                    yield Table(id="grid", cursor_type="row", zebra_stripes=True)
                    yield Table(id="list", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Reminder calls [2]"), id="calls"):
                yield Label("", id="calls-title", classes="title")
                yield Table(id="calls-table", cursor_type="row", zebra_stripes=True)
            with TabPane(_("Due for service [3]"), id="due"):
                yield Label(_("Cars due for a service (the maintenance reminder list): n books the selected one"),
                            classes="title")
                yield PagedTable((_("Due"), _("Plate"), _("Booked"), _("Customer"), _("Mobile"), _("Detail")),
                                 self._due_row, id="due-table")
            with TabPane(_("Parts short [4]"), id="short"):
                yield Label("", id="short-title", classes="title")
                yield PagedTable((_("Due"), _("No."), _("Plate"), _("Code"), _("Part"), _("Needs"), _("Held"),
                                  _("Short"), _("On hand")), _short_row, id="short-table")
            with TabPane(_("Figures [5]"), id="figures"):
                yield Label("", id="figures-title", classes="title")
                yield Table(id="figures-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Appointments")
        self.query_one("#list", DataTable).add_columns(_("Time"), _("No."), _("Plate"), _("State"), _("Parts"),
                                                       _("Customer"), _("Work"), _("How"), _("Booked by"), _("Order"))
        self.query_one("#calls-table", DataTable).add_columns(_("Time"), _("Plate"), _("Phone"), _("Contact"),
                                                              _("State"), _("Calls"), _("Parts"), _("Work"), _("No."))
        self.query_one("#figures-table", DataTable).add_columns(*[_(c) for c in FIGURE_COLUMNS])
        self._fit(self.app.size.width)
        self.reload()
        self.query_one("#list").focus()

    def on_resize(self, event) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.query_one("#day-panes").set_class(width >= WIDE, "-wide")

    # --- loading -------------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load_day()
        self._load_calls()
        self.query_one("#due-table", PagedTable).load(self._due_page, keyset=True)
        self.query_one("#short-title", Label).update(_("Parts not held for appointments in the next {days} days").format(
            days=prepick.settings.get("appointment_parts_lookahead_days")))
        self.query_one("#short-table", PagedTable).load(lambda n, o: prepick.shortages(
            limit=n, offset=o, shop=shops.scope(self.app.staff)))
        if self.query_one(TabbedContent).active == "figures":
            self._figures()

    def _load_day(self) -> None:
        shop = shops.scope(self.app.staff)  # a group's terminal: its shop's capacity and bookings
        grid = self.grid = capacity.day_grid(self.day, shop=shop)
        self.rows = appointments.day_list(self.day, shop=shop)
        booked = " · ".join(_("{trade} {booked} of {capacity} h").format(
            trade=label(TRADE_LABELS, t), booked=_hours(grid.booked_hours[t]), capacity=_hours(grid.capacity_hours[t]))
            for t in grid.trades)
        expected = sum(1 for r in self.rows if r.state in appointments.OPEN)
        bays = " · ".join(f"{label(BAY_KIND_LABELS, kind)} {places}" for kind, places in grid.bay_places.items())
        self.query_one("#day-title", Label).update(lines([
            line((f"{fmt_date(self.day)} {_weekday(self.day)}", "bold"), " · ",
                 _("{count} booked, {expected} still expected · [ ] other days · cells: free / capacity hours").format(
                     count=len(self.rows), expected=expected)),
            line(_("Booked of the day's hours: "), booked),
            line(_("Bay places: "), bays)]))
        table = self.query_one("#grid", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(_("Time"), _("Cars"), *[label(TRADE_LABELS, t) for t in grid.trades])
        arriving: dict[dt.datetime, int] = {}
        for r in self.rows:
            if r.state in appointments.OPEN or r.state == "arrived":
                arriving[r.starts_at] = arriving.get(r.starts_at, 0) + 1
        now = clock.now()
        for slot in grid.slots:
            values = [f"{slot.starts_at:%H:%M}", arriving.get(slot.starts_at, "") or ""]
            past = slot.starts_at + capacity.SLOT <= now
            for trade in grid.trades:
                cell = slot.cells[trade]
                text = _("full") if cell.full else f"{_hours(cell.free)}/{_hours(cell.capacity)}"
                style = "dim" if past else "red" if cell.full else ("yellow" if cell.booked else "")
                values.append(literal("·" if past and not cell.booked else text, style))
            table.add_row(*cells(*values), key=slot.starts_at.strftime(TIME_FORMAT))
        if grid.slots:
            if self._new_day:  # another day shown: from the first half-hour still ahead
                row = next((i for i, slot in enumerate(grid.slots) if slot.starts_at + capacity.SLOT > now), 0)
                self._new_day = False
            table.move_cursor(row=min(row, len(grid.slots) - 1))
        listing = self.query_one("#list", DataTable)
        row = listing.cursor_row
        listing.clear()
        for r in self.rows:
            listing.add_row(*cells(*_day_row(r)), key=str(r.id))
        if self.rows:
            listing.move_cursor(row=min(row, len(self.rows) - 1))

    def _load_calls(self) -> None:
        tomorrow = clock.today() + dt.timedelta(days=1)
        self.call_rows = appointments.reminder_list(tomorrow, shop=shops.scope(self.app.staff))
        confirmed = sum(1 for r in self.call_rows if r.state == "confirmed")
        self.query_one("#calls-title", Label).update(line(
            (_("Tomorrow, {day}").format(day=f"{fmt_date(tomorrow)} {_weekday(tomorrow)}"), "bold"), " · ",
            _("{todo} to call or message, {confirmed} confirmed · c or Enter records the call").format(
                todo=len(self.call_rows) - confirmed, confirmed=confirmed)))
        table = self.query_one("#calls-table", DataTable)
        row = table.cursor_row
        table.clear()
        for r in self.call_rows:
            table.add_row(*cells(*_call_row(r)), key=str(r.id))
        if self.call_rows:
            table.move_cursor(row=min(row, len(self.call_rows) - 1))

    def _due_page(self, limit: int, after) -> list[reminders.Reminder]:
        """A page of the maintenance reminder list (after the last row shown), and which of its cars are booked
        already (one query)."""
        page = reminders.maintenance(limit=limit, after=after)
        self._booked = appointments.open_for_vehicles([r.vehicle_id for r in page if r.vehicle_id])
        return page

    def _due_row(self, r: reminders.Reminder):
        booked = self._booked.get(r.vehicle_id)
        return (f"{r.due:%Y-%m-%d}" if r.due else "", r.plate,
                literal(f"{booked:%m-%d %H:%M}", "green") if booked else "", r.customer, r.mobile, r.detail)

    def _figures(self) -> None:
        start, end = self._period()
        report = appointment_figures.report(start, end, shops.scope(self.app.staff))
        self.query_one("#figures-title", Label).update(_(
            "Last {days} days ({start} – {end}): appointment rate = check-ins by appointment / check-ins; "
            "no-show rate = no-shows / appointments due").format(
            days=FIGURE_DAYS, start=fmt_date(start.date()), end=fmt_date((end - dt.timedelta(days=1)).date())))
        table = self.query_one("#figures-table", DataTable)
        table.clear()
        for figures in [report.shop] + report.advisors:
            table.add_row(*cells(*figures_row(figures)))

    @staticmethod
    def _period() -> tuple[dt.datetime, dt.datetime]:
        end = dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time())
        return end - dt.timedelta(days=FIGURE_DAYS), end

    def refresh_from_changes(self, changes) -> None:
        if changes.overflow or any(kind.startswith("appointment") or kind == "order_created" for kind in changes.kinds):
            self.reload()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload()

    # --- tabs and keys -------------------------------------------------------------------------------
    def offers(self, action: str, parameters) -> bool | None:
        tabs = self.TAB_ACTIONS.get(action)
        return tabs is None or self.query_one(TabbedContent).active in tabs

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        active = self.query_one(TabbedContent).active
        self.set_focus(self.query_one({"day": "#list", "calls": "#calls-table", "due": "#due-table",
                                       "short": "#short-table", "figures": "#figures-table"}[active]))
        if active == "figures":
            self._figures()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_day(self, step: int) -> None:
        self.day += dt.timedelta(days=step)
        self._new_day = True
        self._load_day()

    def action_today(self) -> None:
        self.day = clock.today()
        self._new_day = True
        self._load_day()

    # --- the selected appointment ----------------------------------------------------------------------
    def _selected(self) -> appointments.AppointmentRow | None:
        tab = self.query_one(TabbedContent).active
        rows, table = (self.call_rows, "#calls-table") if tab == "calls" else (self.rows, "#list")
        if not rows:
            self.notify(_("No appointment to act on."), severity="warning")
            return None
        return rows[min(self.query_one(table, DataTable).cursor_row, len(rows) - 1)]

    # --- actions ---------------------------------------------------------------------------------------
    def action_book(self) -> None:
        manager = self.app.staff.has_role("manager")
        if self.query_one(TabbedContent).active == "due":
            due = self.query_one("#due-table", PagedTable).selected
            if due is None:
                return
            form = booking_form(plate=due.plate, when=appointments.default_start(), source="reminder", manager=manager,
                                intro=line((due.customer, "bold"), f" · {due.mobile} · ", due.detail))
        else:
            when = None
            if self.focused is self.query_one("#grid") and self.grid and self.grid.slots:
                when = self.grid.slots[min(self.query_one("#grid", DataTable).cursor_row, len(self.grid.slots) - 1)]
                when = when.starts_at
            when = when if when and when > clock.now() else appointments.default_start(self.day)
            form = booking_form(when=when, manager=manager)
        self.ask(form, book_call, success=booked_message)

    def action_arrive(self) -> None:
        row = self._selected()
        if row is None:
            return
        if row.state not in appointments.OPEN and row.state != "no_show":
            self.notify(_("{label} is {state}.").format(label=row.label, state=label(APPOINTMENT_STATE_LABELS, row.state)),
                        severity="warning")
            return
        self.ask(arrival_form(row), lambda v: partial(
            appointments.arrive, row.id, mileage_in=v["mileage_in"], fuel_level=v["fuel_level"],
            promised_at=v["promised_at"], seen_version=row.version),
            success=lambda order: _("{order} checked in from {label}.").format(order=order.label, label=row.label),
            then=lambda order: self.app.open_order(order.id))

    def action_move(self) -> None:
        row = self._selected()
        if row is None:
            return
        fields = [forms.text("starts_at", _("New day and time"), value=row.starts_at.strftime(TIME_FORMAT),
                             max_length=16)]
        if self.app.staff.has_role("manager"):
            fields.append(forms.text("overbook_reason", _("Beyond capacity because"), required=False, max_length=200,
                                     hint=_("only to book when it is full")))
        form = FormDialog(_("Move {label} ({plate})").format(label=row.label, plate=row.plate), fields,
                          submit_label=_("Move"))
        self.ask(form, lambda v: partial(appointments.move, row.id, v["starts_at"], seen_version=row.version,
                                         overbook_reason=v.get("overbook_reason") or ""),
                 success=_("Moved."))

    def action_cancel(self) -> None:
        row = self._selected()
        if row is not None:
            self.ask(reason_form(_("Cancel {label} ({plate})").format(label=row.label, plate=row.plate)),
                     lambda v: partial(appointments.cancel, row.id, v["reason"], seen_version=row.version),
                     success=_("Cancelled: its capacity and parts are free again."))

    @on(DataTable.RowSelected, "#calls-table")
    def action_call(self) -> None:
        if not self.check_action("call", ()) or self.query_one(TabbedContent).active != "calls":
            return
        row = self._selected()
        if row is None:
            return
        form = FormDialog(_("Reminder for {label}: {plate} tomorrow at {time}").format(
            label=row.label, plate=row.plate, time=f"{row.starts_at:%H:%M}"), [
            forms.choice("outcome", _("Outcome"), [(label(CALL_OUTCOME_LABELS, o), o) for o in CALL_OUTCOMES]),
            forms.choice("channel", _("By"), [(label(CALL_CHANNEL_LABELS, c), c) for c in CALL_CHANNELS],
                         value="phone"),
            forms.text("moved_to", _("Moved to"), required=False, max_length=16, placeholder="2026-12-02 10:00",
                       hint=_("when moved"), also=("starts_at",)),
            forms.text("note", _("Note"), required=False, max_length=200, hint=_("needed to cancel")),
        ], intro=line(row.contact_name, " · ", (row.contact_phone, "bold"), " · ", row.work), submit_label=_("Save"))
        self.ask(form, lambda v: partial(appointments.record_call, row.id, v["outcome"], channel=v["channel"],
                                         note=v["note"] or "", moved_to=v["moved_to"] or None,
                                         seen_version=row.version),
                 success=_("Call recorded."))
