"""My jobs (我的工单): a technician's own queue. One key clocks on the selected job (pausing the one they are
on, if any) and pauses it again;
f finishes it; r asks the parts counter; i clocks the shift in or out; t and b take a tool out and back.
At a shop-floor terminal the technician is signed out after each clock action (screens/app.py)."""
from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from models.orders import JOB_LINE_STATUS_LABELS
from screens import forms
from screens.acting import Acting, in_turn
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.tables import Table
from screens.text import cells, line, literal
from workshop import clock, dispatch, my_jobs, pick_requests, shifts, tools
from workshop.parts import fmt
from workshop.i18n import N_, _, label

PART_QTY_MAX = 9999


def _when(value) -> str:
    """16:30 today, 12-01 16:30 another day."""
    if not value:
        return ""
    return value.strftime("%H:%M") if value.date() == clock.today() else value.strftime("%m-%d %H:%M")


def _state(job: my_jobs.MyJob) -> Text:
    if job.clocked_on:
        return line((_("▶ working"), "bold green"))
    if job.blocked:
        return line((job.blocked, "yellow"))
    if job.parts.asked:
        return line((_("parts asked {time}").format(time=job.parts.asked_at.strftime("%H:%M")), "yellow"))
    return line((label(JOB_LINE_STATUS_LABELS, job.status), "green" if job.status == "paused" else ""))


class MyJobsScreen(Acting, KeptScreen):
    CSS_PATH = "my_jobs.tcss"
    # Enter on a job clocks on (or pauses) it: the table's own Enter selects the row (_selected).
    BINDINGS = [
        Binding("o", "clock_on", N_("Clock on")),
        Binding("p", "pause", N_("Pause")),
        Binding("f", "finish", N_("Finish")),
        Binding("r", "ask_parts", N_("Ask for parts")),
        Binding("i", "shift", N_("Clock in/out")),
        Binding("t", "tool_out", N_("Tool out")),
        Binding("b", "tool_back", N_("Tool back")),
        Binding("escape", "leave", N_("Board")),
    ]
    PERMISSIONS = {**dict.fromkeys(("toggle", "clock_on", "pause", "finish", "shift"), "clock_time"),
                   "ask_parts": "request_parts", "tool_out": "use_tools", "tool_back": "use_tools"}

    def __init__(self) -> None:
        super().__init__()
        self.jobs: my_jobs.MyJobs | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="me")
        yield Table(id="jobs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="job-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("My jobs")
        table = self.query_one("#jobs", DataTable)
        job_width = max(14, self.app.size.width - 59)  # the job's name takes what the other columns leave
        for title, width in ((_("RO"), 8), (_("Plate"), 8), (_("Job"), job_width), (_("Bay"), 4),
                             (_("Promised"), 11), (_("Now"), 16)):
            table.add_column(title, width=width, key=title)
        self.reload()
        self.query_one("#jobs").focus()

    # --- reading ---------------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.app.staff is None:
            return
        self.jobs = my_jobs.my_jobs(self.app.staff.id)
        table = self.query_one("#jobs", DataTable)
        row = table.cursor_row
        table.clear()
        for job in self.jobs.jobs:
            table.add_row(*cells(job.order_number, job.plate, job.name, job.bay or "—",
                                 _when(job.promised_at), _state(job)), key=str(job.line_id))
        if self.jobs.jobs:
            table.move_cursor(row=min(row, len(self.jobs.jobs) - 1))
        self._show_me()
        self._show_detail()

    def _show_me(self) -> None:
        mine = self.jobs
        parts = [(mine.name, "bold")]
        if mine.on_shift_since:
            parts.append("  " + _("on shift since {time}").format(time=mine.on_shift_since.strftime("%H:%M")))
        else:
            parts.append(("  " + _("not clocked in (i)"), "yellow"))
        clocked = mine.job(mine.clocked_line_id) if mine.clocked_line_id else None
        if clocked is not None:
            parts.append(("  " + _("working on RO {number} {job}").format(number=clocked.order_number,
                                                                          job=clocked.name), "green"))
        self.query_one("#me", Static).update(line(*parts))

    @property
    def selected(self) -> my_jobs.MyJob | None:
        if self.jobs is None or not self.jobs.jobs:
            return None
        table = self.query_one("#jobs", DataTable)
        return self.jobs.jobs[min(table.cursor_row, len(self.jobs.jobs) - 1)]

    @on(DataTable.RowSelected, "#jobs")
    def _selected(self) -> None:
        if self.check_action("toggle", ()):
            self.action_toggle()

    @on(DataTable.RowHighlighted, "#jobs")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        job = self.selected
        box = self.query_one("#job-detail", Static)
        if job is None:
            box.update(literal(_("No jobs dispatched to you now.")))
            return
        rows = [line((_("RO {number}").format(number=job.order_number) + " ", "bold"), f"{job.plate} {job.model} · ",
                     (job.name, "bold"))]
        where = _("{hours} h · bay {bay}").format(hours=job.standard_hours, bay=job.bay or "—")
        if job.car_bay and job.car_bay != job.bay:
            where += " · " + _("the car is in {bay}").format(bay=job.car_bay)
        if job.planned_start:
            where += " · " + _("planned {start}–{end}").format(start=_when(job.planned_start),
                                                               end=_when(job.planned_end))
        rows.append(line(where, "  ", (_("promised {time}").format(time=_when(job.promised_at)),
                                       "red" if job.late else "")))
        parts = job.parts
        state = label(pick_requests.LABELS, parts.status)
        if parts.missing:
            state += ": " + ", ".join(f"{m.code} {m.name} {fmt(m.issued)}/{fmt(m.qty)}" for m in parts.missing[:3])
        if parts.asked:
            state += " · " + _("asked at {time}").format(time=parts.asked_at.strftime("%H:%M"))
        elif parts.ready_at:
            state += " · " + _("ready since {time}").format(time=parts.ready_at.strftime("%H:%M"))
        rows.append(line((state, "" if parts.issued else "yellow")))
        for warning in job.tools:
            rows.append(line((warning.text(), "yellow")))
        box.update(Text("\n", end="").join(rows))

    def refresh_from_changes(self, changes) -> None:
        self.reload()  # (a few queries: another terminal's pick, dispatch or tool changes what is shown)

    def after_acting(self) -> None:
        self.reload()

    # --- acting ----------------------------------------------------------------------------------------
    def _job(self) -> my_jobs.MyJob | None:
        job = self.selected
        if job is None:
            self.notify(_("No job selected."), severity="warning")
        return job

    def _clock(self, service, job: my_jobs.MyJob, done: str, **kwargs) -> None:
        me = self.app.staff.id
        self.act(service, job.line_id, me, seen_version=None, about=job.order_id,
                 then=lambda _result: self._done(done), **kwargs)

    def _done(self, done: str) -> None:
        if self.app.shop_floor and self.app.staff is not None:
            self.app.after_floor_action(done)
        else:
            self.notify(done)

    @in_turn
    def action_toggle(self) -> None:
        job = self._job()
        if job is None:
            return
        if job.clocked_on:
            self.action_pause()
        else:
            self.action_clock_on()

    @in_turn
    def action_clock_on(self) -> None:
        """Clock on the selected job; on another one already, that one is paused with it (one transaction)."""
        if not (job := self._job()):
            return
        done = _("{name} clocked on RO {number} '{job}'").format(name=self.app.staff.name, number=job.order_number,
                                                                 job=job.name)
        running = self.jobs.job(self.jobs.clocked_line_id) if self.jobs and self.jobs.clocked_line_id else None
        if running is not None and running.line_id != job.line_id:
            done = _("{name} paused RO {number} '{job}' and clocked on RO {next_number} '{next_job}'").format(
                name=self.app.staff.name, number=running.order_number, job=running.name,
                next_number=job.order_number, next_job=job.name)
        self._clock(dispatch.clock_on, job, done, pause_other=True)

    @in_turn
    def action_pause(self) -> None:
        if job := self._job():
            self._clock(dispatch.clock_off, job, _("{name} paused RO {number} '{job}'").format(
                name=self.app.staff.name, number=job.order_number, job=job.name), finished=False)

    @in_turn
    def action_finish(self) -> None:
        if job := self._job():
            if not job.clocked_on:
                self.notify(_("Clock on '{job}' first (Enter): a job is finished by whoever works on it.").format(
                    job=job.name), severity="warning")
                return
            self._clock(dispatch.clock_off, job, _("{name} finished RO {number} '{job}'").format(
                name=self.app.staff.name, number=job.order_number, job=job.name), finished=True)

    def action_ask_parts(self) -> None:
        if not (job := self._job()):
            return
        missing = ", ".join(f"{m.code} {m.name}" for m in job.parts.missing[:3])
        form = FormDialog(_("Ask the parts counter: RO {number} '{job}'").format(number=job.order_number, job=job.name), [
            forms.text("part_code", _("Another part (code)"), required=False, max_length=30, also=("part",),
                       hint=_("blank: the parts of this job still to pick")),
            forms.number("qty", _("Quantity"), value="1", minimum="0.001", maximum=PART_QTY_MAX, places=3,
                         required=False),
            forms.text("note", _("Note"), required=False, max_length=200),
        ], intro=literal(_("Still to pick: {parts}").format(parts=missing)) if missing else None,
            submit_label=_("Ask"))
        self.ask(form, lambda v: partial(pick_requests.request, job.line_id, part_code=v["part_code"] or None,
                                         qty=v["qty"] if v["part_code"] else None, note=v["note"] or ""),
                 about=job.order_id, then=lambda _state: self._done(
                     _("The parts counter was asked for RO {number} '{job}'").format(number=job.order_number,
                                                                                   job=job.name)))

    @in_turn
    def action_shift(self) -> None:
        me = self.app.staff.id
        if self.jobs is not None and self.jobs.on_shift_since:
            self.act(shifts.clock_out, me,
                     then=lambda at: self._done(_("{name} clocked out at {time}").format(
                         name=self.app.staff.name, time=at.strftime("%H:%M"))))
        else:
            self.act(shifts.clock_in, me,
                     then=lambda at: self._done(_("{name} clocked in at {time}").format(
                         name=self.app.staff.name, time=at.strftime("%H:%M"))))

    def action_tool_out(self) -> None:
        job = self.selected
        needed = tools.needed_by_lines([job.line_id]).get(job.line_id, []) if job else []
        options = [(f"{t.code} {t.name} · {label(tools.TOOL_STATE_LABELS, t.state)}", t.code) for t in needed]
        fields = ([forms.choice("code", _("Tool"), options, value=options[0][1])] if options else
                  [forms.text("code", _("Tool code"), max_length=20)])
        title = (_("Take a tool out for RO {number} '{job}'").format(number=job.order_number, job=job.name) if job
                 else _("Take a tool out"))
        form = FormDialog(title, fields, submit_label=_("Take out"))
        me = self.app.staff.id
        self.ask(form, lambda v: partial(tools.check_out, v["code"], me, line_id=job.line_id if job else None),
                 about=job.order_id if job else None,
                 success=lambda code: _("Tool out: {code}.").format(code=code))

    def action_tool_back(self) -> None:
        mine = tools.who_has_what(technician_id=self.app.staff.id)
        if not mine:
            self.notify(_("You have no tools out."), severity="warning")
            return
        form = FormDialog(_("Bring a tool back"), [
            forms.choice("code", _("Tool"), [(f"{t.code} {t.name}", t.code) for t in mine], value=mine[0].code),
            forms.check("damaged", _("Damaged")),
            forms.text("note", _("What is wrong with it"), required=False, max_length=200),
        ], submit_label=_("Take back"))
        self.ask(form, lambda v: partial(tools.check_in, v["code"], damaged=v["damaged"], note=v["note"] or ""),
                 success=lambda code: _("{code} is back.").format(code=code))

    def action_leave(self) -> None:
        if self.app.shop_floor:
            self.app.action_switch_user()
        else:
            self.app.pop_screen()


__all__ = ["MyJobsScreen"]
