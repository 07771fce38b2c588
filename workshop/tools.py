"""Tools and equipment (工具设备管理): the register, check-out to a technician and a job line, check-in,
damage and loss reports, maintenance and calibration with their due dates, who has what now, and which
tools a job needs (the catalog says which operations need which tools).

Rules, decided here:
- a tool changes state with a conditional UPDATE on its version (and a partial unique index allows one
  open check-out per tool), so two terminals checking out the same tool at once cannot both succeed, on
  SQLite or PostgreSQL: the second is told who has it;
- only an available tool goes out; one that is broken, lost, in maintenance or overdue for calibration
  is refused with the reason (a measuring tool out of calibration measures wrong);
- a technician checks tools out and in for themself; the tool keeper (supervisor, parts clerk, manager)
  also for others, and keeps the register;
- checking in a damaged tool makes it broken (a damage report is recorded with it); a lost tool is
  closed out of its check-out; maintenance or calibration makes a broken or away tool available again
  and moves its due date on;
- dispatch is warned about a line whose operation needs a tool that is out (with whom), broken, lost,
  in maintenance or overdue.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from peewee import JOIN, IntegrityError

from models.db import run_write
from models.orders import JobLine, RepairOrder
from models.people import Staff
from models.shop import Operation
from models.tools import (TOOL_KIND_LABELS, TOOL_KINDS, TOOL_RECORD_LABELS, TOOL_STATE_LABELS, OperationTool, Tool,
                          ToolCheckout, ToolRecord)
from workshop import audit, clock, i18n, typed_dates, validation
from workshop.errors import IllegalTransition, InvalidInput, NotFound
from workshop.i18n import N_, _, label, local, ngettext
from workshop.phrase import Phrase
from workshop.permissions import can, require

MAINTENANCE_KINDS = ("maintenance", "calibration", "repair")


def _as_dt(value):
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _code(value) -> str:
    code = validation.text(value, "code", _("Code"), max_len=20).upper()
    if not all(c.isalnum() or c in "-_./" for c in code):
        raise InvalidInput(_("A tool code has only letters, digits and - _ . /"), "code")
    return code


def find(code: str) -> Tool:
    tool = Tool.get_or_none(Tool.code == (code or "").strip().upper())
    if tool is None:
        raise NotFound(_("No tool with code '{code}'.").format(code=(code or "").strip()))
    return tool


def _change(tool: Tool, changes: dict) -> None:
    """Move a tool on from the state this transaction read it in, or say who changed it first."""
    changes = dict(changes)
    updated = (Tool.update({**{getattr(Tool, k): v for k, v in changes.items()}, Tool.version: Tool.version + 1})
               .where((Tool.id == tool.id) & (Tool.version == tool.version)).execute())
    if updated != 1:
        fresh = Tool.get_by_id(tool.id)  # what the other terminal made of it (PostgreSQL reads its commit)
        if fresh.state == "out" and tool.state != "out":
            raise IllegalTransition(_holder_text(fresh) + " " + _("It must be checked in first."))
        raise IllegalTransition(_("{code} was changed at another terminal just now: look again.").format(
            code=tool.code))
    for key, value in changes.items():
        setattr(tool, key, value)
    tool.version += 1


# --- the register -----------------------------------------------------------------------------------

@dataclass
class ToolForm:
    code: str = ""
    name: str = ""
    name_zh: str = ""
    kind: str = "special_tool"
    location: str = ""
    calibration_due: object = None
    maintenance_due: object = None


def _values(form: ToolForm) -> dict:
    if form.kind not in TOOL_KINDS:
        raise InvalidInput(_("Choose what kind of tool it is."), "kind")
    return {
        "code": _code(form.code),
        "name": validation.text(form.name, "name", _("Name"), max_len=100),
        "name_zh": validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=100, required=False),
        "kind": form.kind,
        "location": validation.text(form.location, "location", _("Location"), max_len=40, required=False),
        "calibration_due": typed_dates.parse(form.calibration_due, "calibration_due", _("Calibration due"),
                                             required=False),
        "maintenance_due": typed_dates.parse(form.maintenance_due, "maintenance_due", _("Maintenance due"),
                                             required=False),
    }


def register(form: ToolForm, *, by) -> str:
    """Add a tool or piece of equipment to the register."""
    values = _values(form)

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        if Tool.select().where(Tool.code == values["code"]).exists():
            raise InvalidInput(_("Tool code {code} is taken.").format(code=values["code"]), "code")
        tool = Tool.create(**values)
        audit.record(by, "tool_registered", "tool", tool.id, Phrase(N_("Tool {code} {name} registered"),
                                                                    code=tool.code, name=tool.name), after=values)
        return tool.code

    return run_write(work)


def edit(code: str, form: ToolForm, *, by) -> str:
    """Change a tool's name, kind, place or due dates (its code stays)."""
    values = _values(form)
    values.pop("code")

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        tool = find(code)
        before = {k: getattr(tool, k) for k in values}
        _change(tool, values)
        audit.record(by, "tool_edited", "tool", tool.id, Phrase(N_("Tool {code} changed"), code=tool.code),
                     before=before, after=values)
        return tool.code

    return run_write(work)


def set_operation_tools(operation_code: str, tool_codes: list[str], *, by) -> list[str]:
    """Say which tools a catalog operation needs (replacing what it said); returns their codes."""

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        operation = Operation.get_or_none(Operation.code == (operation_code or "").strip().upper())
        if operation is None:
            raise NotFound(_("No operation with code '{code}'.").format(code=(operation_code or "").strip()))
        tools = [find(c) for c in dict.fromkeys(c.strip().upper() for c in tool_codes if c.strip())]
        before = [c for (c,) in OperationTool.select(Tool.code).join(Tool)
                  .where(OperationTool.operation == operation.id).tuples()]
        OperationTool.delete().where(OperationTool.operation == operation.id).execute()
        for tool in tools:
            OperationTool.create(operation=operation.id, tool=tool.id)
        codes = [t.code for t in tools]
        audit.record(by, "operation_tools_set", "operation", operation.id,
                     Phrase(N_("Operation {code} needs: {tools}"), code=operation.code, tools=", ".join(codes) or "-"),
                     before={"tools": before}, after={"tools": codes})
        return codes

    return run_write(work)


def _codes(text) -> list[str]:
    """Codes typed with spaces, commas or semicolons between them (either width), each once, upper case."""
    if isinstance(text, (list, tuple)):
        text = " ".join(str(t) for t in text)
    for sep in ",;，；、":
        text = (text or "").replace(sep, " ")
    return list(dict.fromkeys(c.upper() for c in text.split()))


MAX_OPERATIONS = 100  # operations that need one tool: a tool keeper's list, not the catalog


def operations_needing(code: str) -> list[str]:
    """The codes of the catalog operations that need this tool."""
    tool = find(code)
    return [c for (c,) in OperationTool.select(Operation.code).join(Operation)
            .where(OperationTool.tool == tool.id).order_by(Operation.code).tuples()]


def set_tool_operations(code: str, operation_codes, *, by) -> list[str]:
    """Say which catalog operations need this tool (replacing what was said); returns their codes. Unknown
    codes are refused, naming them, and nothing is written."""
    wanted = _codes(operation_codes)
    validation.refuse_control_characters(" ".join(wanted), "operations", _("Operations"))
    if len(wanted) > MAX_OPERATIONS:
        raise InvalidInput(_("At most {count} operations.").format(count=MAX_OPERATIONS), "operations")
    if any(len(c) > 20 for c in wanted):
        raise InvalidInput(_("An operation code is at most 20 characters."), "operations")

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        tool = find(code)
        found = dict(Operation.select(Operation.code, Operation.id).where(Operation.code.in_(wanted or [""])).tuples())
        unknown = [c for c in wanted if c not in found]
        if unknown:
            raise InvalidInput(ngettext("No operation with code {codes} in the catalog.",
                                        "No operations with codes {codes} in the catalog.",
                                        len(unknown)).format(codes=", ".join(unknown)), "operations")
        before = [c for (c,) in OperationTool.select(Operation.code).join(Operation)
                  .where(OperationTool.tool == tool.id).order_by(Operation.code).tuples()]
        OperationTool.delete().where(OperationTool.tool == tool.id).execute()
        if wanted:
            OperationTool.insert_many([{"operation": found[c], "tool": tool.id} for c in wanted]).execute()
        after = sorted(wanted)
        audit.record(by, "tool_operations_set", "tool", tool.id,
                     Phrase(N_("{code} is needed by: {operations}"), code=tool.code,
                            operations=", ".join(after) or "-"),
                     before={"operations": before}, after={"operations": after})
        return after

    return run_write(work)


# --- out and in ----------------------------------------------------------------------------------------

def _open_checkout(tool: Tool) -> ToolCheckout | None:
    return ToolCheckout.select().where((ToolCheckout.tool == tool.id) & ToolCheckout.in_at.is_null()).first()


def _holder_text(tool: Tool) -> str:
    out = _open_checkout(tool)
    if out is None:
        return ""
    holder = Staff.get_by_id(out.technician_id)
    number = (RepairOrder.select(RepairOrder.number).where(RepairOrder.id == out.order_id).scalar()
              if out.order_id else None)
    when = f"{_as_dt(out.out_at):%m-%d %H:%M}"
    if number:
        return _("{code} is out with {name} since {time} (RO {number}).").format(
            code=tool.code, name=holder.name, time=when, number=number)
    return _("{code} is out with {name} since {time}.").format(code=tool.code, name=holder.name, time=when)


def _refuse_unavailable(tool: Tool) -> None:
    if tool.state == "out":
        raise IllegalTransition(_holder_text(tool) + " " + _("It must be checked in first."))
    if tool.state != "available":
        raise IllegalTransition(_("{code} is {state}: it cannot go out.").format(
            code=tool.code, state=label(TOOL_STATE_LABELS, tool.state)))
    due = _as_date(tool.calibration_due)
    if due is not None and due < clock.today():
        raise IllegalTransition(_("{code} was due for calibration on {date}: calibrate it before it goes out.").format(
            code=tool.code, date=i18n.date(due)))


def check_out(code: str, technician_id: int, *, by, line_id: int | None = None) -> str:
    """A tool goes out to a technician, for a job line when it is for one; returns its code."""

    def work():
        nonlocal by
        by = require(by, "use_tools")
        if technician_id != by.id:
            by = require(by, "manage_tools")
        tool = find(code)
        _refuse_unavailable(tool)
        tech = Staff.by_id(technician_id)
        if tech is None or not tech.active:
            raise NotFound(_("No such active staff member."))
        line = order_id = None
        if line_id is not None:
            line = JobLine.get_or_none(JobLine.id == line_id)
            if line is None:
                raise NotFound(_("That job line does not exist."))
            order_id = line.order_id
        now = clock.now()
        _change(tool, {"state": "out"})
        ToolCheckout.create(tool=tool.id, technician=tech.id, line=line_id, order=order_id, out_at=now, out_by=by.id)
        number = RepairOrder.select(RepairOrder.number).where(RepairOrder.id == order_id).scalar() if order_id else None
        summary = (Phrase(N_("{code} checked out to {name} for RO {number} '{line}'"),
                          code=tool.code, name=tech.name, number=number, line=line.name) if line is not None
                   else Phrase(N_("{code} checked out to {name}"), code=tool.code, name=tech.name))
        audit.record(by, "tool_out", "tool", tool.id, summary, order_id=order_id,
                     after={"technician": tech.id, "line": line_id})
        return tool.code

    try:
        return run_write(work)
    except IntegrityError:  # the partial unique index: another terminal checked it out at the same moment
        raise IllegalTransition(_("{code} was checked out at another terminal just now.").format(
            code=(code or "").strip().upper())) from None


def check_in(code: str, *, by, damaged: bool = False, note: str = "") -> str:
    """A tool comes back to its place; damaged, it is put aside as broken with a damage report."""
    note = validation.text(note, "note", _("Note"), max_len=200, required=damaged)

    def work():
        nonlocal by
        by = require(by, "use_tools")
        tool = find(code)
        out = _open_checkout(tool)
        if tool.state != "out" or out is None:
            raise IllegalTransition(_("{code} is not out: there is nothing to check in ({state}).").format(
                code=tool.code, state=label(TOOL_STATE_LABELS, tool.state)))
        if out.technician_id != by.id:
            by = require(by, "manage_tools")
        now = clock.now()
        ToolCheckout.update(in_at=now, in_by=by.id, condition="damaged" if damaged else "ok").where(
            ToolCheckout.id == out.id).execute()
        _change(tool, {"state": "broken" if damaged else "available"})
        if damaged:
            ToolRecord.create(tool=tool.id, kind="damage", at=now, by=by.id, note=note)
        audit.record(by, "tool_in", "tool", tool.id,
                     (Phrase(N_("{code} checked in damaged: {note}"), code=tool.code, note=note) if damaged
                      else Phrase(N_("{code} checked in"), code=tool.code)),
                     order_id=out.order_id, before={"state": "out"}, after={"state": tool.state})
        return tool.code

    return run_write(work)


def report(code: str, kind: str, note: str, *, by) -> str:
    """A damage or loss report (工具报损): the tool is put aside as broken, or lost (closing its check-out);
    ``found`` brings a lost tool back."""
    if kind not in ("damage", "loss", "found"):
        raise InvalidInput(_("Say whether the tool is damaged, lost or found."), "kind")
    note = validation.text(note, "note", _("What happened"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "use_tools")
        tool = find(code)
        out = _open_checkout(tool)
        if out is not None and out.technician_id != by.id:
            by = require(by, "manage_tools")
        if out is None and kind != "found":
            by = require(by, "manage_tools")
        if kind == "found" and tool.state != "lost":
            raise IllegalTransition(_("{code} is not lost.").format(code=tool.code))
        if tool.state in ("lost", "retired") and kind != "found":
            raise IllegalTransition(_("{code} is {state} already.").format(
                code=tool.code, state=label(TOOL_STATE_LABELS, tool.state)))
        now = clock.now()
        if out is not None:
            ToolCheckout.update(in_at=now, in_by=by.id, condition="damaged" if kind == "damage" else "lost").where(
                ToolCheckout.id == out.id).execute()
        new_state = {"damage": "broken", "loss": "lost", "found": "broken"}[kind]
        before = tool.state
        _change(tool, {"state": new_state})
        ToolRecord.create(tool=tool.id, kind=kind, at=now, by=by.id, note=note)
        audit.record(by, "tool_" + kind, "tool", tool.id, Phrase(N_("{code}: {what}: {note}"),
                                                                 code=tool.code, what=label(TOOL_RECORD_LABELS, kind),
                                                                 note=note),
            order_id=out.order_id if out is not None else None, before={"state": before}, after={"state": new_state})
        return tool.code

    return run_write(work)


def send_away(code: str, note: str, *, by) -> str:
    """A tool goes away for maintenance or calibration (it cannot be checked out meanwhile)."""
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        tool = find(code)
        if tool.state not in ("available", "broken"):
            raise IllegalTransition(_("{code} is {state}: only a tool on its place or broken goes to maintenance.").format(
                code=tool.code, state=label(TOOL_STATE_LABELS, tool.state)))
        before = tool.state
        _change(tool, {"state": "maintenance"})
        audit.record(by, "tool_away", "tool", tool.id, (Phrase(N_("{code} sent to maintenance: {note}"), code=tool.code, note=note) if note
                      else Phrase(N_("{code} sent to maintenance"), code=tool.code)), before={"state": before}, after={"state": "maintenance"})
        return tool.code

    return run_write(work)


def record_maintenance(code: str, kind: str, *, by, done_on=None, next_due=None, note: str = "",
                       cost=None) -> str:
    """Maintenance, calibration or a repair was done (设备维护): the tool is available again and, with
    ``next_due``, due again then."""
    if kind not in MAINTENANCE_KINDS:
        raise InvalidInput(_("Say whether it was maintenance, calibration or a repair."), "kind")
    done = typed_dates.parse(done_on or clock.today(), "done_on", _("Done on"), latest=clock.today())
    due = typed_dates.parse(next_due, "next_due", _("Next due"), required=False)
    if due is not None and due <= done:
        raise InvalidInput(_("The next due date must come after the day it was done."), "next_due")
    note = validation.text(note, "note", _("Note"), max_len=200, required=False)
    amount = validation.decimal(cost, "cost", _("Cost"), maximum=validation.MAX_MONEY) if cost not in (None, "") else None

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        tool = find(code)
        if tool.state in ("out", "lost", "retired"):
            raise IllegalTransition(_("{code} is {state}: it cannot be maintained now.").format(
                code=tool.code, state=label(TOOL_STATE_LABELS, tool.state)))
        changes: dict = {"state": "available"}
        if due is not None:
            changes["calibration_due" if kind == "calibration" else "maintenance_due"] = due
        before = {k: getattr(tool, k) for k in changes}
        _change(tool, changes)
        ToolRecord.create(tool=tool.id, kind=kind, at=dt.datetime.combine(done, clock.now().time()), by=by.id,
                          note=note, cost=amount, next_due=due)
        audit.record(by, "tool_" + kind, "tool", tool.id, Phrase(N_("{code}: {what} done on {date}"),
                                                                 code=tool.code, what=label(TOOL_RECORD_LABELS, kind),
                                                                 date=i18n.date(done)), before=before, after=changes)
        return tool.code

    return run_write(work)


def retire(code: str, note: str, *, by) -> str:
    note = validation.text(note, "note", _("Reason"), max_len=200)

    def work():
        nonlocal by
        by = require(by, "manage_tools")
        tool = find(code)
        if tool.state == "out":
            raise IllegalTransition(_holder_text(tool) + " " + _("It must be checked in first."))
        before = tool.state
        _change(tool, {"state": "retired"})
        ToolRecord.create(tool=tool.id, kind="retired", at=clock.now(), by=by.id, note=note)
        audit.record(by, "tool_retired", "tool", tool.id, Phrase(N_("{code} retired: {note}"),
                                                                 code=tool.code, note=note),
                     before={"state": before}, after={"state": "retired"})
        return tool.code

    return run_write(work)


# --- what screens show ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ToolRow:
    id: int
    code: str
    name: str
    kind: str
    location: str
    state: str
    calibration_due: dt.date | None
    maintenance_due: dt.date | None
    holder: str | None          # who has it out
    holder_id: int | None
    order_number: int | None    # the order it is out for
    line_name: str | None
    out_at: dt.datetime | None
    version: int
    line_id: int | None = None  # the job line it is out for

    def overdue(self, today: dt.date) -> bool:
        return any(d is not None and d < today for d in (self.calibration_due, self.maintenance_due))


def _rows(query) -> list[ToolRow]:
    rows = (query.select(Tool.id, Tool.code, Tool.name, Tool.name_zh, Tool.kind, Tool.location, Tool.state,
                         Tool.calibration_due, Tool.maintenance_due, Staff.name, Staff.id, RepairOrder.number,
                         JobLine.name, ToolCheckout.out_at, Tool.version, ToolCheckout.line)
            .join(ToolCheckout, JOIN.LEFT_OUTER, on=((ToolCheckout.tool == Tool.id) & ToolCheckout.in_at.is_null()))
            .join(Staff, JOIN.LEFT_OUTER, on=(ToolCheckout.technician == Staff.id))
            .join_from(ToolCheckout, RepairOrder, JOIN.LEFT_OUTER, on=(ToolCheckout.order == RepairOrder.id))
            .join_from(ToolCheckout, JobLine, JOIN.LEFT_OUTER, on=(ToolCheckout.line == JobLine.id))
            .tuples())
    return [ToolRow(i, code, local(name, zh), kind, loc or "", state, _as_date(cal), _as_date(mnt), holder, holder_id,
                    number, line, _as_dt(out), version, line_id)
            for i, code, name, zh, kind, loc, state, cal, mnt, holder, holder_id, number, line, out, version, line_id
            in rows]


def register_list(search: str = "", *, state: str | None = None, limit: int = 100, offset: int = 0) -> list[ToolRow]:
    """The register, by code; searched by code, name or place; retired tools only when asked for."""
    query = Tool.select()
    text = (search or "").strip()
    if text:
        query = query.where(Tool.code.startswith(text.upper()) | Tool.name.contains(text) | Tool.name_zh.contains(text)
                            | Tool.location.contains(text))
    if state:
        query = query.where(Tool.state == state)
    else:
        query = query.where(Tool.state != "retired")
    return _rows(query.order_by(Tool.code).limit(limit).offset(offset))


def who_has_what(*, technician_id: int | None = None) -> list[ToolRow]:
    """Tools out now, longest out first (one technician's, when given)."""
    query = Tool.select().where(Tool.state == "out")
    rows = _rows(query)
    if technician_id is not None:
        rows = [r for r in rows if r.holder_id == technician_id]
    return sorted(rows, key=lambda r: r.out_at or clock.now())


def due_list(*, within_days: int = 14) -> list[ToolRow]:
    """Tools due for calibration or maintenance within ``within_days`` (overdue ones first)."""
    horizon = clock.today() + dt.timedelta(days=within_days)
    query = Tool.select().where((Tool.state != "retired") & ((Tool.calibration_due <= horizon)
                                                            | (Tool.maintenance_due <= horizon)))
    rows = _rows(query)
    return sorted(rows, key=lambda r: min(d for d in (r.calibration_due, r.maintenance_due) if d is not None))


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    what: str   # a record kind, or "out" / "in"
    who: str
    note: str


def history(code: str, *, limit: int = 50) -> list[HistoryRow]:
    """A tool's check-outs and records, newest first."""
    tool = find(code)
    rows = [HistoryRow(_as_dt(at), kind, who, note or "") for at, kind, who, note in (
        ToolRecord.select(ToolRecord.at, ToolRecord.kind, Staff.name, ToolRecord.note)
        .join(Staff, on=(ToolRecord.by == Staff.id)).where(ToolRecord.tool == tool.id)
        .order_by(ToolRecord.id.desc()).limit(limit).tuples())]
    for out_at, in_at, who, number in (ToolCheckout.select(ToolCheckout.out_at, ToolCheckout.in_at, Staff.name,
                                                           RepairOrder.number)
                                       .join(Staff, on=(ToolCheckout.technician == Staff.id))
                                       .join_from(ToolCheckout, RepairOrder, JOIN.LEFT_OUTER,
                                                  on=(ToolCheckout.order == RepairOrder.id))
                                       .where(ToolCheckout.tool == tool.id)
                                       .order_by(ToolCheckout.out_at.desc()).limit(limit).tuples()):
        rows.append(HistoryRow(_as_dt(out_at), "out", who, f"RO {number}" if number else ""))
        if in_at is not None:
            rows.append(HistoryRow(_as_dt(in_at), "in", who, ""))
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit]


# --- what a job needs ----------------------------------------------------------------------------------------

WARNING_LABELS = {"out": N_("out"), "broken": N_("broken"), "lost": N_("lost"), "maintenance": N_("in maintenance"),
                  "overdue": N_("overdue for calibration"), "retired": N_("retired")}


@dataclass(frozen=True)
class ToolWarning:
    """A tool a line's operation needs that is not ready for it."""
    line_id: int
    line_name: str
    code: str
    tool_name: str
    problem: str                 # out, broken, lost, maintenance, overdue, retired
    holder: str | None = None    # when out: who has it
    order_number: int | None = None  # when out: for which order

    def text(self) -> str:
        if self.problem == "out" and self.holder:
            where = _(" for RO {number}").format(number=self.order_number) if self.order_number else ""
            return _("'{line}' needs {code} {tool}: out with {name}{where}.").format(
                line=self.line_name, code=self.code, tool=self.tool_name, name=self.holder, where=where)
        return _("'{line}' needs {code} {tool}: {problem}.").format(
            line=self.line_name, code=self.code, tool=self.tool_name, problem=label(WARNING_LABELS, self.problem))


def needed_by_lines(line_ids: list[int]) -> dict[int, list[ToolRow]]:
    """The tools each job line's operation needs, as they stand (two queries)."""
    if not line_ids:
        return {}
    pairs = list(JobLine.select(JobLine.id, OperationTool.tool)
                 .join(OperationTool, on=(OperationTool.operation == JobLine.operation))
                 .where(JobLine.id.in_(line_ids)).tuples())
    if not pairs:
        return {}
    rows = {r.id: r for r in _rows(Tool.select().where(Tool.id.in_(list({t for _, t in pairs}))))}
    result: dict[int, list[ToolRow]] = {}
    for line_id, tool_id in pairs:
        result.setdefault(line_id, []).append(rows[tool_id])
    return result


def warnings_for_lines(line_ids: list[int], *, technician_id: int | None = None) -> list[ToolWarning]:
    """What dispatch is told about the tools these lines need: out with someone else (not for this very
    line), broken, lost, away or overdue (three queries)."""
    needed = needed_by_lines(line_ids)
    if not needed:
        return []
    names = dict(JobLine.select(JobLine.id, JobLine.name).where(JobLine.id.in_(list(needed))).tuples())
    today = clock.today()
    found = []
    for line_id, rows in needed.items():
        for row in rows:
            problem = None
            if row.state == "out":
                mine = row.line_id == line_id or (technician_id is not None and row.holder_id == technician_id)
                if not mine:
                    problem = "out"
            elif row.state != "available":
                problem = row.state
            elif row.calibration_due is not None and row.calibration_due < today:
                problem = "overdue"
            if problem:
                found.append(ToolWarning(line_id, names.get(line_id, ""), row.code, row.name, problem, row.holder,
                                         row.order_number))
    return found


def kinds() -> list[tuple[str, str]]:
    return [(label(TOOL_KIND_LABELS, k), k) for k in TOOL_KINDS]


def may_keep(staff) -> bool:
    return can(staff, "manage_tools")


__all__ = ["register", "edit", "set_operation_tools", "set_tool_operations", "operations_needing", "check_out", "check_in", "report", "send_away",
           "record_maintenance", "retire", "register_list", "who_has_what", "due_list", "history",
           "needed_by_lines", "warnings_for_lines", "ToolWarning", "ToolRow", "ToolForm", "kinds", "find"]
