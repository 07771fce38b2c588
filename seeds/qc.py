"""Demo QC: checklists per business type, and a year of inspections behind the closed orders
(about 2% reworked, late ones with delay reasons, a few comebacks) so the quality figures are alive."""
from __future__ import annotations

import datetime as dt

from models.db import db
from seeds import demo
from seeds.chinese import CHECKLIST as CHECKLIST_ZH
from workshop.qc import DELAY_REASONS

COMMON = ["No warning lamps on the dashboard", "All lights and indicators work", "Cleanliness: seats, floor, wheel",
          "Old parts bagged and labelled", "Customer's items left as found"]
CHECKLISTS = {
    "maintenance": ["Engine oil level and no leaks", "Coolant, brake and washer fluid levels",
                    "Torque marks on drain plug and wheel nuts", "Tyre pressures set", "Service reminder reset"],
    "general_repair": ["Fault in the customer's statement fixed", "Torque marks on fasteners touched",
                       "No fluid leaks", "Road test: no noise or vibration", "No new fault codes"],
    "body": ["Panel gaps even", "Doors, bonnet and boot close properly", "No sealer or glue residue",
             "Glass and mirrors clean"],
    "paint": ["Colour match in daylight", "No runs, dust or orange peel", "Masking removed, no overspray",
              "Polished to finish"],
    "insurance": ["All assessed items repaired", "Panel gaps even", "Colour match in daylight",
                  "Photos of the finished repair taken"],
    "warranty": ["Warranty operation done as the manufacturer prescribes", "Replaced part tagged for return",
                 "No new fault codes", "Road test"],
}
_last_visit: dict[int, tuple[int, dt.datetime, int]] = {}
_inspectors: list[int] = []


def _reference(rng, size) -> None:
    _last_visit.clear()
    _inspectors.clear()
    rows = []
    for btype, items in CHECKLISTS.items():
        for position, text in enumerate(items + COMMON, 1):
            rows.append((btype, position, text, CHECKLIST_ZH.get(text)))
    demo.bulk("checklist_item", ["business_type", "position", "text", "text_zh"], rows)


def _history(rng, closed, progress) -> None:
    if not closed:
        return
    if not _inspectors:
        _inspectors.extend(i for (i,) in db.execute_sql(
                f"SELECT id FROM staff WHERE roles LIKE {db.param}", ("%qc_inspector%",)))
    ids = [c.id for c in closed]
    facts = {oid: (promised, completed) for oid, promised, completed in db.execute_sql(
        f"SELECT id, promised_at, completed_at FROM repair_order WHERE id BETWEEN {db.param} AND {db.param}",
        (min(ids), max(ids)))}
    rows, comebacks = [], []
    for order in closed:
        promised, completed = facts[order.id]
        promised, completed = demo.as_datetime(promised), demo.as_datetime(completed)
        late = completed > promised
        inspector = rng.choice(_inspectors)
        signed = completed + dt.timedelta(minutes=rng.randint(5, 50))
        reworked = rng.random() < 0.018 and order.technician_ids
        if reworked:
            tech = rng.choice(order.technician_ids)
            rows.append((order.id, inspector, demo._ts(signed - dt.timedelta(hours=1)), "fail", False,
                         rng.choice(["Torque marks missing on wheel nuts", "Oil leak at drain plug",
                                     "Warning lamp still on", "Paint run on door edge", "Noise on road test"]),
                         tech, "100" if rng.random() < 0.3 else "0", demo._ts(promised), demo._ts(completed), late,
                         None))
        rows.append((order.id, inspector, demo._ts(signed), "pass", bool(reworked), None, None, "0",
                     demo._ts(promised), demo._ts(completed), late,
                     rng.choice(DELAY_REASONS) if late else None))
        previous = _last_visit.get(order.vehicle_id)
        if previous and (order.time_in - previous[1]).days <= 30 and rng.random() < 0.02:
            comebacks.append((previous[0], previous[2], order.id))
        if order.line_ids:
            _last_visit[order.vehicle_id] = (order.id, order.released_at, order.line_ids[0])
    demo.bulk("inspection", ["order_id", "inspector_id", "signed_at", "result", "reinspection", "rework_reason",
                             "responsible_id", "penalty", "promised_at", "completed_at", "late", "delay_reason"], rows)
    if comebacks:
        db.execute_sql("UPDATE job_line SET payer = 'internal' WHERE order_id IN (%s)"
                       % ",".join(str(c[2]) for c in comebacks))
        db.obj.cursor().executemany(
            f"UPDATE repair_order SET comeback_of_id = {db.param}, comeback_line_id = {db.param}, "
            f"comeback_charge = 'internal' WHERE id = {db.param}", comebacks)


demo.REFERENCE_EXTENSIONS.append(_reference)
demo.HISTORY_EXTENSIONS.append(_history)
