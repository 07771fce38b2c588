"""Demo parts: a catalog with bins and stock, standard parts of operations, today's pick queue and
the parts used by the history. The ledger starts at go-live with one opening movement per part, so
on-hand always equals the sum of the ledger."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import db
from models.parts import Part
from seeds import demo
from seeds.chinese import PARTS as PARTS_ZH
from seeds.chinese import chinese_name
from seeds.reference import VEHICLE_MODELS
from workshop.availability import Need, status_of
from workshop.pinyin import initials
from workshop.reception import payer_for

# (code stem, name, category, unit, cost, price, per-engine/per-model/universal, threshold)
_BASES = [
    ("OF", "Oil filter", "filters", "pc", "28", "58", "engine", 10),
    ("AF", "Air filter", "filters", "pc", "45", "98", "engine", 6),
    ("CF", "Cabin filter", "filters", "pc", "38", "88", "model", 6),
    ("SP", "Spark plug", "ignition", "pc", "42", "95", "engine", 16),
    ("BPF", "Front brake pads", "brakes", "set", "260", "520", "model", 4),
    ("BPR", "Rear brake pads", "brakes", "set", "220", "460", "model", 4),
    ("BDF", "Front brake disc", "brakes", "pc", "340", "690", "model", 2),
    ("WB", "Wiper blade set", "body", "set", "65", "150", "model", 6),
    ("SHF", "Front shock absorber", "suspension", "pc", "520", "980", "model", 2),
    ("HL", "Headlamp assembly", "electrical", "pc", "1450", "2680", "model", 1),
    ("BMF", "Front bumper cover", "body", "pc", "980", "1880", "model", 1),
    ("BMR", "Rear bumper cover", "body", "pc", "920", "1760", "model", 1),
    ("MR", "Door mirror", "body", "pc", "610", "1180", "model", 1),
    ("WP", "Water pump", "engine", "pc", "780", "1450", "engine", 1),
    ("EM", "Engine mount", "engine", "pc", "420", "860", "model", 1),
    ("DB", "Drive belt", "engine", "pc", "95", "210", "engine", 3),
    ("TC", "Timing chain kit", "engine", "set", "890", "1680", "engine", 1),
    ("TS", "Thermostat", "engine", "pc", "130", "280", "engine", 2),
    ("BU", "Headlamp bulb", "electrical", "pc", "45", "110", "model", 6),
    ("BL", "Brake light bulb", "electrical", "pc", "12", "35", "model", 10),
    ("RH", "Radiator hose", "engine", "pc", "85", "190", "model", 2),
]
_UNIVERSAL = [
    ("OIL-0W20", "Engine oil 0W-20", "fluids", "L", "38", "78", 60),
    ("OIL-5W30", "Engine oil 5W-30", "fluids", "L", "32", "68", 40),
    ("ATF-WS", "Transmission fluid WS", "fluids", "L", "55", "110", 20),
    ("CLT-LLC", "Coolant long life", "fluids", "L", "22", "48", 20),
    ("BF-DOT4", "Brake fluid DOT4", "fluids", "L", "40", "85", 10),
    ("BAT-60", "Battery 60Ah", "electrical", "pc", "520", "880", 3),
    ("TY-21555", "Tyre 215/55 R17", "tyres", "pc", "560", "890", 8),
    ("TY-22565", "Tyre 225/65 R17", "tyres", "pc", "620", "980", 8),
    ("AC-R1234", "Refrigerant R1234yf", "fluids", "kg", "380", "720", 5),
    ("PNT-BASE", "Paint base coat", "paint", "L", "260", "520", 10),
    ("PNT-CLR", "Clear coat", "paint", "L", "180", "360", 10),
    ("WS-GLASS", "Windscreen glass", "body", "pc", "1650", "2980", 1),
    ("WSH-FLD", "Washer fluid", "fluids", "L", "6", "15", 20),
    ("CLIP-KIT", "Trim clip kit", "body", "set", "18", "45", 10),
]
# Which catalog part an operation uses as standard, by words in its name: (stem or code, qty).
_STANDARD = [
    ("Oil and filter change", [("OF", 1), ("OIL-0W20", "4.5")]),
    ("service", [("OF", 1), ("OIL-0W20", "4.5")]),
    ("Air filter", [("AF", 1)]),
    ("Cabin filter", [("CF", 1)]),
    ("Wiper blade", [("WB", 1)]),
    ("Battery", [("BAT-60", 1)]),
    ("Tyre replacement", [("TY-21555", 2)]),
    ("Brake fluid", [("BF-DOT4", 1)]),
    ("Coolant", [("CLT-LLC", 6)]),
    ("Spark plug", [("SP", 4)]),
    ("Transmission fluid", [("ATF-WS", 4)]),
    ("Front brake pads", [("BPF", 1)]),
    ("Rear brake pads", [("BPR", 1)]),
    ("Front brake discs", [("BDF", 2), ("BPF", 1)]),
    ("Front shock", [("SHF", 2)]),
    ("Water pump", [("WP", 1), ("CLT-LLC", 6)]),
    ("Engine mount", [("EM", 1)]),
    ("A/C recharge", [("AC-R1234", "0.5")]),
    ("Headlamp", [("HL", 1)]),
    ("Front bumper", [("BMF", 1), ("CLIP-KIT", 1)]),
    ("Rear bumper", [("BMR", 1), ("CLIP-KIT", 1)]),
    ("Mirror", [("MR", 1)]),
    ("Windscreen", [("WS-GLASS", 1)]),
    ("respray", [("PNT-BASE", "1.5"), ("PNT-CLR", 1)]),
]
_MODEL_STEM = {model: series.upper()[:4] for _, series, model, _, _ in VEHICLE_MODELS}
_ENGINES = sorted({engine for *_, engine, fuel in VEHICLE_MODELS if fuel != "electric"})  # an EV has no oil filter
_SERIES = [(series, model, engine) for _, series, model, engine, _ in VEHICLE_MODELS]


def catalog() -> list[tuple]:
    """(code, name, brand, category, fits, unit, bin, cost, price, threshold, supplier, oem)."""
    rows, shelf = [], 0
    for stem, name, category, unit, cost, price, per, threshold in _BASES:
        variants = ([(e, f"{name} {e}", ", ".join(m for _, _, m, eng, _ in VEHICLE_MODELS if eng == e))
                     for e in _ENGINES] if per == "engine" else
                    [(_MODEL_STEM[m], f"{name} {s}", m) for _, s, m, _, _ in VEHICLE_MODELS])
        for suffix, full, fits in variants:
            shelf += 1
            rows.append((f"{stem}-{suffix}", full, "Toyota", category, fits, unit,
                         f"{chr(65 + shelf // 40)}-{shelf % 40 // 8 + 1:02d}-{shelf % 8 + 1}", cost, price,
                         str(threshold), "GAC Toyota Parts", True))
    # An aftermarket alternative for each wear part, cheaper, from another brand and supplier.
    for row in list(rows):
        code, name, _, category, fits, unit, bin_, cost, price, threshold, _, _ = row
        if category in ("filters", "brakes", "ignition", "suspension", "electrical", "engine"):
            shelf += 1
            rows.append((f"{code}-AM", f"{name} (aftermarket)", "Bosch" if category != "brakes" else "Brembo",
                         category, fits, unit, f"{chr(72 + shelf // 40)}-{shelf % 40 // 8 + 1:02d}-{shelf % 8 + 1}",
                         str((Decimal(cost) * Decimal("0.7")).quantize(Decimal("1"))),
                         str((Decimal(price) * Decimal("0.75")).quantize(Decimal("1"))), threshold,
                         "Guangzhou Auto Supply", False))
    for code, name, category, unit, cost, price, threshold in _UNIVERSAL:
        shelf += 1
        rows.append((code, name, "Denso" if category == "electrical" else "Toyota Genuine", category, "all",
                     unit, f"F-{shelf % 10 + 1:02d}-1", cost, price, str(threshold), "Guangzhou Auto Supply",
                     category != "tyres"))
    return rows


def _reference(rng, size) -> None:
    _KITS.clear()
    if hasattr(_history, "prices"):
        del _history.prices
    rows = catalog()
    scale = max(1, size.active_orders // 40)
    now = demo._ts(dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=1))
    parts = []
    for row in rows:
        threshold = int(row[9])
        # Most parts comfortably stocked, some low, a few out: the low-stock list has real work.
        roll = rng.random()
        on_hand = 0 if roll < 0.04 else int(threshold * scale * (0.5 if roll < 0.15 else rng.uniform(1.5, 4)))
        parts.append(row + (str(on_hand),))
    named = []
    for row in parts:
        zh = chinese_name(PARTS_ZH, row[1])
        named.append(row[:2] + (zh, initials(zh or row[1])) + row[2:])
    demo.bulk("part", ["code", "name", "name_zh", "initials", "brand", "category", "fits_models", "unit", "bin",
                       "unit_cost", "sale_price", "reorder_threshold", "supplier", "oem"], [row[:-1] for row in named])
    ids = dict(db.execute_sql("SELECT code, id FROM part").fetchall())
    # The demo is one shop: its stock is shop 1's (models.shop.FIRST_SHOP), a row per part.
    demo.bulk("part_stock", ["part_id", "shop_id", "on_hand"], [(ids[p[0]], 1, p[-1]) for p in parts])
    demo.bulk("stock_movement", ["part_id", "kind", "qty", "on_hand_after", "at", "reason"],
              [(ids[p[0]], "opening", p[-1], p[-1], now, "opening stock at go-live") for p in parts])
    _kits(ids)


def _kit_codes(items, model: str, engine: str, ids) -> list[tuple[str, object]]:
    """A kit's part codes for one series: engine parts of its engine, body parts of its model."""
    out = []
    for stem, qty in items:
        for code in (stem, f"{stem}-{engine}", f"{stem}-{_MODEL_STEM[model]}"):
            if code in ids:
                out.append((code, qty))
                break
    return out


def _kits(ids) -> None:
    """Each operation's parts kit per series, set through the catalog service as the demo's manager: the
    series an operation is for each get their own parts (a Highlander's oil filter is an A25A one, a RAV4's
    bumper is a RAV4 bumper); a kit the same for every series is the operation's general kit."""
    from decimal import Decimal as D

    from models.people import Staff
    from models.shop import Operation, OperationSeries
    from seeds.reference import STAFF
    from workshop.catalog import replace_kit
    manager = Staff.get(Staff.login == STAFF[0][0])
    parts = {p.code: p for p in Part.select()}
    listed: dict[int, set[str]] = {}
    for op_id, series in OperationSeries.select(OperationSeries.operation, OperationSeries.series).tuples():
        listed.setdefault(op_id, set()).add(series)
    for op in Operation.select().order_by(Operation.id):
        items = next((items for words, items in _STANDARD if words in op.name), None)
        if items is None:
            continue
        per_series = {series: _kit_codes(items, model, engine, ids) for series, model, engine in _SERIES
                      if op.id not in listed or series in listed[op.id]}
        kits = {tuple(kit) for kit in per_series.values()}
        if len(kits) == 1:
            per_series = {"": next(iter(kits))}
        for series, kit in per_series.items():
            if kit:
                replace_kit(op, series, [(parts[code], D(str(qty))) for code, qty in kit], by=manager)


def _active(rng, active) -> None:
    """Today's orders get the standard parts of their job lines: reserved, some picked, some short."""
    parts = {pid: [Decimal(str(oh)), Decimal("0"), Decimal(price)] for pid, oh, price in
             db.execute_sql("SELECT p.id, s.on_hand, p.sale_price FROM part p "
                            "JOIN part_stock s ON s.part_id = p.id AND s.shop_id = 1").fetchall()}
    kit = _kit_table()
    states = {oid: (state, btype, time_in) for oid, state, btype, time_in, _ in active}
    lines = db.execute_sql("SELECT j.id, j.order_id, j.operation_id, v.series FROM job_line j "
                           "JOIN repair_order r ON r.id = j.order_id JOIN vehicle v ON v.id = r.vehicle_id "
                           "WHERE j.order_id IN (%s)" % ",".join(str(o) for o in states)).fetchall() if states else []
    rows, movements, status_by_order = [], [], {}
    finished_states = {"ready_qc", "ready_settlement", "settled"}
    position: dict[int, int] = {}
    for line_id, order_id, op_id, series in lines:
        state, btype, time_in = states[order_id]
        payer = payer_for(btype)
        for part_id, qty in kit(op_id, series):
            stock = parts[part_id]
            free = max(stock[0] - stock[1], Decimal("0"))
            if state in finished_states:
                # Past the workshop every part was picked (the rule on 'finish'), so such an order holds
                # no reservation: with stock short, the car got what there was; a part nobody could
                # pick is not on the order.
                qty = min(qty, free)
                if qty <= 0:
                    continue
                reserved = qty
            elif state == "waiting_parts":
                reserved = Decimal("0")  # the reason they wait
            else:
                reserved = min(qty, free)
            picked = Decimal("0")
            if reserved == qty and (state in finished_states or state == "in_progress" and rng.random() < 0.5):
                picked, reserved = qty, Decimal("0")
                stock[0] -= qty
                movements.append((part_id, "issue", str(-qty), str(stock[0]), order_id, demo._ts(time_in),
                                  "picked for the job"))
            stock[1] += reserved
            position[order_id] = position.get(order_id, 0) + 1
            status = "used" if picked and state != "in_progress" else "picked" if picked else "requested"
            rows.append((order_id, line_id, part_id, str(qty), str(reserved), str(picked), str(stock[2]), payer,
                         status, demo._ts(time_in), position[order_id]))
            status_by_order.setdefault(order_id, []).append(Need(qty, picked + reserved))
    demo.bulk("part_line", ["order_id", "job_line_id", "part_id", "qty", "reserved", "picked", "unit_price", "payer",
                            "status", "requested_at", "position"], rows)
    touched = {m[0] for m in movements}
    demo.bulk("stock_movement", ["part_id", "kind", "qty", "on_hand_after", "order_id", "at", "reason"], movements)
    for pid, (on_hand, reserved, _) in parts.items():
        if reserved or pid in touched:
            db.execute_sql(f"UPDATE part_stock SET on_hand = {db.param}, reserved = {db.param} "
                           f"WHERE part_id = {db.param} AND shop_id = 1", (str(on_hand), str(reserved), pid))
    for order_id, needs in status_by_order.items():
        status = status_of(needs)[0]  # nothing is on order yet: seeds.claims orders some of it
        db.execute_sql(f"UPDATE repair_order SET parts_status = {db.param} WHERE id = {db.param}", (status, order_id))
    db.execute_sql("UPDATE repair_order SET parts_status = 'none' WHERE state NOT IN ('delivered', 'cancelled') "
                   "AND id NOT IN (SELECT DISTINCT order_id FROM part_line)")


_KITS: dict = {}


def _kit_table():
    """kit(operation id, series) -> [(part id, qty)] from the catalog's kits, read once (the history has a
    million orders): the series' own kit, else the general one, as workshop/catalog.kit_for decides."""
    if not _KITS:
        for op_id, series, part_id, qty in db.execute_sql(
                "SELECT operation_id, series, part_id, qty FROM operation_part ORDER BY id").fetchall():
            _KITS.setdefault((op_id, series), []).append((part_id, Decimal(str(qty))))

    def kit(op_id, series):
        return _KITS.get((op_id, series or "")) or _KITS.get((op_id, ""), [])
    return kit


def _history(rng, closed, progress) -> None:
    """Closed orders used the kits of their job lines (history before go-live: no ledger rows)."""
    if not closed:
        return
    kit = _kit_table()
    prices = getattr(_history, "prices", None)
    if prices is None:
        prices = _history.prices = {pid: str(price) for pid, price in db.execute_sql("SELECT id, sale_price FROM part")}
    first, last = closed[0].line_ids[0] if closed[0].line_ids else 0, max(max(c.line_ids, default=0) for c in closed)
    ops = dict(db.execute_sql(f"SELECT id, operation_id FROM job_line WHERE id BETWEEN {db.param} AND {db.param}",
                              (first, last)).fetchall())
    ids = [c.vehicle_id for c in closed]
    series_of = dict(db.execute_sql("SELECT id, series FROM vehicle WHERE id IN (%s)"
                                    % ",".join(str(i) for i in set(ids))).fetchall())
    rows = []
    for order in closed:
        payer = payer_for(order.business_type)
        at = demo._ts(order.time_in)
        for position, line_id in enumerate(order.line_ids, 1):
            for part_id, qty in kit(ops.get(line_id), series_of.get(order.vehicle_id)):
                rows.append((order.id, line_id, part_id, str(qty), str(qty), prices[part_id], payer, "used", at,
                             position))
    demo.bulk("part_line", ["order_id", "job_line_id", "part_id", "qty", "picked", "unit_price", "payer", "status",
                            "requested_at", "position"], rows)


demo.REFERENCE_EXTENSIONS.append(_reference)
demo.ACTIVE_EXTENSIONS.append(_active)
demo.HISTORY_EXTENSIONS.append(_history)
