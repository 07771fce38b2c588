"""Demo shop floor: badges, the tools and equipment register (a brake tool out on a job, a broken A/C station,
a torque wrench overdue for calibration), technicians' clock records and shifts behind the closed orders
(so the labour figures have a history), and today's active orders dispatched per trade with planned bay
times, running clocks and a pick request or two.

The clock records of the history cover the last year of the demo shop and the last 60 days of the large one
(a million closed orders' worth would add minutes to its generation and nothing to the benchmarks).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import db
from seeds import demo

# code, name, 中文名, kind, location, operations (by name) that need it
TOOLS = [
    ("SST-BR01", "Brake piston rewind tool", "制动分泵回位工具", "special_tool", "Tool cabinet A",
     ("Front brake pads", "Rear brake pads", "Front brake discs and pads")),
    ("SST-TC01", "Timing chain locking kit", "正时链条锁止工具", "special_tool", "Tool cabinet A",
     ("Timing chain inspection",)),
    ("SST-CL01", "Clutch alignment tool", "离合器对中工具", "special_tool", "Tool cabinet A", ("Clutch replacement",)),
    ("SST-HV01", "Insulated tool set (hybrid)", "高压绝缘工具组", "special_tool", "Tool cabinet B",
     ("Hybrid system inspection",)),
    ("SCN-01", "Diagnostic scanner (Techstream) 1", "诊断仪 1", "scanner", "Workshop office",
     ("Engine diagnosis", "Infotainment diagnosis")),
    ("SCN-02", "Diagnostic scanner (Techstream) 2", "诊断仪 2", "scanner", "Workshop office", ("ECU software update",)),
    ("AC-01", "A/C recovery and recharge station", "空调冷媒回收加注机", "equipment", "Bay M4",
     ("A/C recharge", "A/C compressor replacement")),
    ("AL-RIG", "Four-wheel alignment rig", "四轮定位仪", "alignment", "Bay A1", ("Four-wheel alignment",)),
    ("TW-01", "Torque wrench 40-200 Nm", "扭力扳手 40-200 Nm", "measuring", "Tool cabinet B", ()),
    ("TW-02", "Torque wrench 5-60 Nm", "扭力扳手 5-60 Nm", "measuring", "Tool cabinet B", ()),
    ("LIFT-M1", "Two-post lift M1", "双柱举升机 M1", "lift", "Bay M1", ()),
    ("LIFT-M2", "Two-post lift M2", "双柱举升机 M2", "lift", "Bay M2", ()),
    ("SPRAY-01", "Spray gun set", "喷枪套装", "equipment", "Paint booth", ()),
]
_size: list = []
_days_done: set = set()
_tech_pace: dict[int, float] = {}


def _reference(rng, size) -> None:
    _size[:] = [size]
    _days_done.clear()
    _tech_pace.clear()
    today = demo.clock.today()
    ids = [sid for (sid,) in db.execute_sql("SELECT id FROM staff ORDER BY id").fetchall()]
    db.obj.cursor().executemany(f"UPDATE staff SET badge = {db.param} WHERE id = {db.param}",
                                [(str(1000 + sid), sid) for sid in ids])
    rows = []
    for code, name, zh, kind, where, _ops in TOOLS:
        calibration = maintenance = None
        if kind in ("measuring", "alignment"):
            calibration = today + dt.timedelta(days=rng.randint(20, 200))
        if kind in ("lift", "equipment", "scanner", "alignment"):
            maintenance = today + dt.timedelta(days=rng.randint(10, 120))
        rows.append((code, name, zh, kind, where, "available", demo._ts(calibration), demo._ts(maintenance), 1))
    demo.bulk("tool", ["code", "name", "name_zh", "kind", "location", "state", "calibration_due", "maintenance_due",
                       "version"], rows)
    tool_ids = dict(db.execute_sql("SELECT code, id FROM tool").fetchall())
    ops: dict[str, list[int]] = {}
    for oid, name in db.execute_sql("SELECT id, name FROM operation").fetchall():
        ops.setdefault(name.replace(" (hybrid)", ""), []).append(oid)
    demo.bulk("operation_tool", ["operation_id", "tool_id"],
              [(oid, tool_ids[code]) for code, _n, _z, _k, _w, names in TOOLS for name in names
               for oid in ops.get(name, [])])
    # What the demo shows: a torque wrench overdue, the A/C station broken, a scanner away for maintenance.
    manager = db.execute_sql(f"SELECT MIN(id) FROM staff WHERE roles LIKE {db.param}", ("%manager%",)).fetchone()[0]
    now = demo.clock.now()
    db.execute_sql(f"UPDATE tool SET calibration_due = {db.param} WHERE code = 'TW-02'",
                   (demo._ts(today - dt.timedelta(days=3)),))
    db.execute_sql("UPDATE tool SET state = 'broken' WHERE code = 'AC-01'")
    db.execute_sql("UPDATE tool SET state = 'maintenance' WHERE code = 'SCN-02'")
    demo.bulk("tool_record", ["tool_id", "kind", "at", "by_id", "note"],
              [(tool_ids["AC-01"], "damage", demo._ts(now - dt.timedelta(days=1)), manager, "Leaking hose coupling"),
               (tool_ids["TW-01"], "calibration", demo._ts(now - dt.timedelta(days=60)), manager,
                "Calibrated by the supplier")])


def _technicians() -> list[int]:
    return [sid for sid, roles in db.execute_sql("SELECT id, roles FROM staff WHERE active = " + _true()).fetchall()
            if "technician" in roles]


def _history(rng, closed, progress) -> None:
    """Clock records of the batch's lines and the technicians' shifts of its day."""
    if not closed:
        return
    size = _size[0] if _size else None
    now = demo.clock.now()
    window = 60 if size is not None and size.closed_orders > 100_000 else 400  # no size: a backfill asked for it
    day = closed[0].time_in.date()
    if (now.date() - day).days > window:
        return
    ids = [c.id for c in closed]
    hours = {lid: Decimal(str(h)) for lid, h in db.execute_sql(
        f"SELECT id, billed_hours FROM job_line WHERE order_id BETWEEN {db.param} AND {db.param}",
        (min(ids), max(ids))).fetchall()}
    free_at: dict[int, dt.datetime] = {}
    logs = []
    for order in closed:
        start = order.time_in + dt.timedelta(minutes=20)
        for line_id, tech in zip(order.line_ids, order.technician_ids):
            pace = _tech_pace.setdefault(tech, rng.uniform(0.85, 1.2))
            began = max(start, free_at.get(tech, start))
            if began.time() >= dt.time(16, 30):
                began = dt.datetime.combine(began.date() + dt.timedelta(days=1), dt.time(8, 30))
            length = float(hours.get(line_id, Decimal("1"))) * pace * rng.uniform(0.8, 1.2)
            ended = began + dt.timedelta(hours=max(length, 0.1))
            if ended >= now:  # today's last orders: their work ended by now
                began, ended = min(began, now - dt.timedelta(hours=length + 0.1)), now - dt.timedelta(minutes=5)
            free_at[tech] = ended + dt.timedelta(minutes=rng.randint(5, 20))
            logs.append((line_id, tech, demo._ts(began), demo._ts(ended)))
    demo.bulk("time_log", ["line_id", "technician_id", "started_at", "ended_at"], logs)
    if day in _days_done:
        return
    _days_done.add(day)
    shifts = []
    for tech in _technicians():
        if (day.toordinal() + tech) % 7 == 0:
            continue  # a day off a week
        began = dt.datetime.combine(day, dt.time(7, 45)) + dt.timedelta(minutes=rng.randint(0, 30))
        ended = dt.datetime.combine(day, dt.time(17, 0)) + dt.timedelta(minutes=rng.randint(0, 90))
        shifts.append((tech, demo._ts(began), demo._ts(ended)))
    demo.bulk("shift", ["technician_id", "started_at", "ended_at"], shifts)


def _active(rng, active) -> None:
    """Today's orders in the workshop dispatched per trade, with planned times, clocks and shifts."""
    from workshop import trade_dispatch
    now = demo.clock.now()
    in_bays = [oid for oid, state, *_ in active if state in ("dispatched", "in_progress", "waiting_parts")]
    if not in_bays:
        return
    bays = {bid: kind for bid, kind in db.execute_sql("SELECT id, kind FROM bay WHERE active = "
                                                       + _true()).fetchall()}
    by_kind: dict[str, list[int]] = {}
    for bid, kind in sorted(bays.items()):
        by_kind.setdefault(kind, []).append(bid)
    supervisor = db.execute_sql(
            f"SELECT MIN(id) FROM staff WHERE roles LIKE {db.param}", ("%supervisor%",)).fetchone()[0]
    dispatcher = db.execute_sql(
            f"SELECT MIN(id) FROM staff WHERE roles LIKE {db.param}", ("%dispatcher%",)).fetchone()[0]
    orders = {oid: (bay, state) for oid, bay, state in db.execute_sql(
        f"SELECT id, bay_id, state FROM repair_order WHERE id IN ({', '.join(str(i) for i in in_bays)})").fetchall()}
    lines: dict[int, list] = {}
    for lid, oid, trade, status in db.execute_sql(
            f"SELECT id, order_id, trade, status FROM job_line WHERE order_id IN ({', '.join(str(i) for i in in_bays)}) "
            "ORDER BY id").fetchall():
        lines.setdefault(oid, []).append((lid, trade, status))
    leads = {lid: tech for lid, tech in db.execute_sql(
        f"SELECT line_id, technician_id FROM job_line_technician WHERE line_id IN "
        f"({', '.join(str(l[0]) for ls in lines.values() for l in ls) or '0'})").fetchall()}
    _xu_gang_has_work(in_bays, lines, leads)
    rows, next_bays = [], []
    for oid in in_bays:
        here, _state = orders[oid]
        trades = list(dict.fromkeys(trade for _l, trade, _s in lines.get(oid, [])))
        for position, trade in enumerate(trades, 1):
            if position == 1 and here is not None:
                bay = here
            else:
                fitting = [b for kind, ids in by_kind.items() if trade in trade_dispatch.BAY_TAKES.get(kind, {kind})
                           for b in ids]
                bay = rng.choice(fitting) if fitting else here
            fits = trade in trade_dispatch.BAY_TAKES.get(bays.get(bay, ""), {bays.get(bay, "")})
            lead = next((leads[lid] for lid, t, _s in lines[oid] if t == trade and lid in leads), None)
            rows.append((oid, trade, position, bay, lead, demo._ts(now), demo._ts(now),
                         None if fits else "Its own bays were full", None if fits else supervisor, dispatcher,
                         demo._ts(now)))
        later = next((r[3] for r in rows if r[0] == oid and r[2] > 1 and r[3] != here), None)
        if later is not None:
            next_bays.append((later, oid))
    demo.bulk("trade_dispatch", ["order_id", "trade", "position", "bay_id", "lead_id", "planned_start", "planned_end",
                                 "mismatch_reason", "allowed_by_id", "dispatched_by_id", "dispatched_at"], rows)
    db.obj.cursor().executemany(f"UPDATE repair_order SET next_bay_id = {db.param} WHERE id = {db.param}", next_bays)
    for oid in sorted(in_bays, key=lambda o: orders[o][1] != "in_progress"):
        trade_dispatch._replan(oid, now, keep_started=False)
    _clocks(rng, in_bays, orders, lines, leads, now)


def _xu_gang_has_work(in_bays, lines, leads) -> None:
    """The demo's first mechanic (the README's example of a technician at the shop-floor terminal) leads the
    mechanical and quick-service lines of the first two cars in the workshop that have them."""
    found = db.execute_sql("SELECT id FROM staff WHERE login = 'xu.gang'").fetchone()
    if found is None:
        return
    xu, given = found[0], 0
    for oid in in_bays:
        mine = [lid for lid, trade, status in lines.get(oid, []) if trade in ("mechanical", "quick_service")
                and status != "finished"]
        if not mine:
            continue
        marks = ", ".join(str(lid) for lid in mine)
        db.execute_sql(f"DELETE FROM job_line_technician WHERE line_id IN ({marks})")
        demo.bulk("job_line_technician", ["line_id", "technician_id", "lead"], [(lid, xu, True) for lid in mine])
        leads.update({lid: xu for lid in mine})
        given += 1
        if given == 2:
            return


def _true() -> str:
    return "1" if db.obj.__class__.__name__ == "SqliteDatabase" else "TRUE"


def _clocks(rng, in_bays, orders, lines, leads, now) -> None:
    """Shifts since this morning, a running clock on in-progress lines, a brake tool out, a pick request."""
    if dt.time(8, 0) <= now.time() <= dt.time(18, 0):
        techs = _technicians()
        demo.bulk("shift", ["technician_id", "started_at"],
                  [(t, demo._ts(now.replace(hour=7, minute=45, second=0) + dt.timedelta(minutes=rng.randint(0, 30))))
                   for t in techs if (now.date().toordinal() + t) % 7])
    on_shift = {t for (t,) in db.execute_sql("SELECT technician_id FROM shift WHERE ended_at IS NULL").fetchall()}
    # A clock runs only on a line whose parts are all issued: the rule clocking on keeps (workshop/dispatch.py).
    from workshop.pick_requests import OPEN
    unissued = {lid for (lid,) in db.execute_sql(
        "SELECT DISTINCT job_line_id FROM part_line WHERE job_line_id IS NOT NULL AND qty > picked - returned "
        f"AND status IN ({', '.join(repr(s) for s in OPEN)}) "
        f"AND order_id IN ({', '.join(str(i) for i in in_bays)})").fetchall()}
    busy: set[int] = set()
    logs, started = [], []
    for oid in in_bays:
        if orders[oid][1] != "in_progress":
            continue
        for lid, _trade, status in [line for line in lines.get(oid, []) if line[0] not in unissued][:1]:
            tech = leads.get(lid)
            if tech is None or tech in busy or tech not in on_shift or status == "finished":
                continue
            busy.add(tech)
            began = now - dt.timedelta(minutes=rng.randint(10, 90))
            logs.append((lid, tech, demo._ts(began)))
            started.append((demo._ts(began), lid))
    demo.bulk("time_log", ["line_id", "technician_id", "started_at"], logs)
    db.obj.cursor().executemany(f"UPDATE job_line SET status = 'in_progress', started_at = {db.param} "
                                f"WHERE id = {db.param}", started)
    brake = db.execute_sql(
        "SELECT jl.id, jl.order_id, jt.technician_id FROM job_line jl "
        "JOIN operation_tool ot ON ot.operation_id = jl.operation_id "
        "JOIN tool t ON t.id = ot.tool_id AND t.code = 'SST-BR01' "
        "JOIN job_line_technician jt ON jt.line_id = jl.id "
        f"WHERE jl.order_id IN ({', '.join(str(i) for i in in_bays)}) AND jl.status != 'finished' "
        "ORDER BY jl.id").fetchone()
    if brake is not None:
        line_id, order_id, tech = brake
        db.execute_sql("UPDATE tool SET state = 'out', version = version + 1 WHERE code = 'SST-BR01'")
        tool_id = db.execute_sql("SELECT id FROM tool WHERE code = 'SST-BR01'").fetchone()[0]
        demo.bulk("tool_checkout", ["tool_id", "technician_id", "line_id", "order_id", "out_at", "out_by_id"],
                  [(tool_id, tech, line_id, order_id, demo._ts(now - dt.timedelta(minutes=40)), tech)])
    wanting = db.execute_sql(
        "SELECT pl.job_line_id, pl.order_id, jt.technician_id FROM part_line pl "
        "JOIN job_line_technician jt ON jt.line_id = pl.job_line_id "
        f"WHERE pl.order_id IN ({', '.join(str(i) for i in in_bays)}) AND pl.status = 'requested' "
        "AND pl.qty > pl.picked - pl.returned ORDER BY pl.id").fetchall()
    seen, requests = set(), []
    for job_line, order_id, tech in wanting:
        if job_line in seen or len(requests) >= 2:
            continue
        seen.add(job_line)
        requests.append((order_id, job_line, tech, demo._ts(now - dt.timedelta(minutes=rng.randint(3, 25)))))
    demo.bulk("pick_request", ["order_id", "line_id", "technician_id", "requested_at"], requests)


def backfill(days: int = 60, seed: int = 7, progress=None) -> None:
    """Add the shop floor's demo data to a shop generated before it existed (the benchmarks' large shop):
    badges and tools, clock records and shifts behind the last ``days`` days of closed orders, and today's
    active orders dispatched per trade. Does nothing on a shop that has tools already."""
    import random
    if db.execute_sql("SELECT COUNT(*) FROM tool").fetchone()[0]:
        return
    rng = random.Random(seed)
    progress = progress or (lambda step, done, total: None)
    with db.atomic():
        _reference(rng, None)
        today = demo.clock.today()
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            rows = db.execute_sql(
                f"SELECT id, number, customer_id, vehicle_id, advisor_id, business_type, time_in, completed_at, "
                f"released_at, mileage_in FROM repair_order WHERE time_in >= {db.param} AND time_in < {db.param} "
                f"AND state = 'delivered' ORDER BY id",
                (demo._ts(dt.datetime.combine(day, dt.time())),
                 demo._ts(dt.datetime.combine(day + dt.timedelta(days=1), dt.time())))).fetchall()
            if not rows:
                continue
            ids = [r[0] for r in rows]
            lines: dict[int, list] = {}
            for lid, oid, tech in db.execute_sql(
                    f"SELECT jl.id, jl.order_id, jt.technician_id FROM job_line jl JOIN job_line_technician jt "
                    f"ON jt.line_id = jl.id WHERE jl.order_id BETWEEN {db.param} AND {db.param} ORDER BY jl.id",
                    (min(ids), max(ids))).fetchall():
                lines.setdefault(oid, []).append((lid, tech))
            batch = [demo.ClosedOrder(r[0], r[1], r[2], r[3], r[4], r[5], _dt(r[6]), _dt(r[7]), _dt(r[8]), r[9],
                                      tuple(lid for lid, _ in lines.get(r[0], [])),
                                      tuple(t for _, t in lines.get(r[0], [])))
                     for r in rows]
            _history(rng, batch, progress)
            progress("clock records", days - back + 1, days)
        active = [(oid, state, btype, _dt(t_in), _dt(promised)) for oid, state, btype, t_in, promised in db.execute_sql(
            "SELECT id, state, business_type, time_in, promised_at FROM repair_order "
            "WHERE state NOT IN ('delivered', 'cancelled') ORDER BY id").fetchall()]
        _active(rng, active)


def _dt(value):
    return value if isinstance(value, dt.datetime) or value is None else dt.datetime.fromisoformat(str(value))


demo.REFERENCE_EXTENSIONS.append(_reference)
demo.HISTORY_EXTENSIONS.append(_history)
demo.ACTIVE_EXTENSIONS.append(_active)
