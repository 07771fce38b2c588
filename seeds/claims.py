"""Demo money from others, written through the services (with the clock set back where history needs it):
suppliers; purchase orders for some of today's short parts (one of them late); warranty claims for the
latest warranty jobs in every state, so recovery per month and the rejection reasons are alive; insurance
claims on today's accident repairs and the insurers' receivables of the last four months, part paid."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.db import db
from seeds import demo
from workshop import clock
from workshop.errors import DomainError

SUPPLIERS = [  # (name as Part.supplier says it, contact, phone, lead days)
    ("GAC Toyota Parts", "Liang Hui", "020-82268800", 2),
    ("Guangzhou Auto Supply", "Mo Jian", "020-86661234", 1),
    ("Pearl River Tyre Co.", "Deng Li", "020-83339090", 3),
]
CLAIMS = 24            # warranty claims for warranty jobs of the last CLAIM_DAYS
CLAIM_DAYS = 150
RECEIVABLES = 12       # insurers' receivables of accident repairs of the last RECEIVABLE_DAYS
RECEIVABLE_DAYS = 120


def _staff(role: str):
    from models.people import Staff
    return Staff.select().where(Staff.roles.contains(role) & Staff.active).order_by(Staff.id).first()


def _reference(rng, size) -> None:
    from workshop import purchasing
    clerk = _staff("parts_clerk") or _staff("manager")
    for name, contact, phone, lead in SUPPLIERS:
        purchasing.add_supplier(purchasing.SupplierForm(name=name, contact=contact, phone=phone, lead_days=str(lead)),
                                by=clerk)


def _purchase_orders(rng) -> None:
    """Short lines of today's orders: one order in three ordered today, one ordered days ago and now late, one
    left short for the clerk to order."""
    from models.orders import RepairOrder
    from models.parts import Part, PartLine
    from models.purchasing import Supplier
    from workshop import parts, purchasing
    clerk = _staff("parts_clerk") or _staff("manager")
    suppliers = {s.name: s.id for s in Supplier.select()}
    short = list(PartLine.select(PartLine, Part).join(Part).switch(PartLine).join(RepairOrder)
                 .where(PartLine.status.in_(parts.OPEN_LINE) & RepairOrder.state.in_(list(parts.EDITABLE_STATES))
                        & (PartLine.qty > PartLine.picked - PartLine.returned + PartLine.reserved))
                 .order_by(PartLine.order, PartLine.id))
    orders = sorted({line.order_id for line in short})
    rng.shuffle(orders)
    plan = [(set(orders[0::3]), None), (set(orders[1::3]), clock.now() - dt.timedelta(days=5))]
    for chosen, when in plan:
        by_supplier: dict[int, dict[str, list]] = {}
        for line in short:
            sid = suppliers.get(line.part.supplier or "")
            if line.order_id in chosen and sid is not None:
                entry = by_supplier.setdefault(sid, {}).setdefault(line.part.code, [Decimal(0), []])
                entry[0] += line.qty - line.used - line.reserved
                entry[1].append(line.id)
        for sid, wanted in by_supplier.items():
            lines = [purchasing.POLine(code, str(qty.to_integral_value(rounding="ROUND_CEILING"))
                                       if Part.get(Part.code == code).unit in ("pc", "set") else str(qty), ids)
                     for code, (qty, ids) in sorted(wanted.items())]
            if when is None:
                purchasing.create_po(sid, lines, by=clerk)
            else:
                with clock.at(when):  # ordered days ago: the supplier's date has passed
                    purchasing.create_po(sid, lines, by=clerk)


def _warranty_claims(rng) -> None:
    from models.warranty import WarrantyClaim
    from workshop import lifecycle, warranty
    advisor, cashier = _staff("advisor") or _staff("manager"), _staff("cashier") or _staff("manager")
    since = demo._ts(clock.now() - dt.timedelta(days=CLAIM_DAYS))
    rows = db.execute_sql(f"SELECT id, completed_at, statement FROM repair_order WHERE released_at >= {db.param} "
                          "AND business_type = 'warranty' AND state = 'delivered' ORDER BY released_at DESC",
                          (since,)).fetchall()
    rows = rows[::max(1, len(rows) // CLAIMS)][:CLAIMS]  # spread over the months: recovery per month
    causes = [("Hybrid inverter software fault: coolant pump not commanded", "Reflashed the hybrid ECU, bled the system"),
              ("Infotainment unit software fault", "Reflashed the head unit to the latest release")]
    part_cause = ("Water pump bearing noise: seal leaking at 40,000 km", "Replaced water pump and coolant")
    reasons = ["operation", "documents", "old_part", "late", "diagnosis"]
    for index, (order_id, completed, statement) in enumerate(rows):
        done = completed if isinstance(completed, dt.datetime) else dt.datetime.fromisoformat(str(completed))
        with clock.at(done + dt.timedelta(hours=2)):
            order = lifecycle.get_order(order_id)
            try:
                claim = warranty.draft_claim(order.id, by=advisor)
            except DomainError:
                continue  # nothing the manufacturer pays on this one
        age = (clock.now() - done).days
        cause, correction = part_cause if claim.causal_part_line_id else rng.choice(causes)
        with clock.at(done + dt.timedelta(days=1)):
            claim = warranty.edit_claim(claim.id, warranty.ClaimForm(complaint=statement, cause=cause,
                                                                     correction=correction), by=advisor)
        if age < 3:
            continue  # still to submit
        with clock.at(done + dt.timedelta(days=2)):
            claim = warranty.submit(claim.id, by=advisor)
        if age < 20:
            continue  # awaiting the manufacturer's answer
        claimed = Decimal(str(claim.claimed_amount))
        roll = rng.random()
        with clock.at(done + dt.timedelta(days=14)):
            if roll < 0.65:
                warranty.answer(claim.id, claimed, by=advisor)
            elif roll < 0.8:
                warranty.answer(claim.id, (claimed * Decimal("0.8")).quantize(Decimal("0.01")), by=advisor,
                                reason="operation", note="hours above the standard time")
            else:
                warranty.reject(claim.id, rng.choice(reasons), by=advisor)
        claim = WarrantyClaim.get_by_id(claim.id)
        if claim.state == "rejected" and index % 2 == 0 and age > 40:
            with clock.at(done + dt.timedelta(days=16)):  # corrected and sent again, then accepted
                warranty.correct(claim.id, by=advisor)
                warranty.submit(claim.id, by=advisor)
            with clock.at(done + dt.timedelta(days=30)):
                warranty.answer(claim.id, claimed, by=advisor)
            claim = WarrantyClaim.get_by_id(claim.id)
        if claim.causal_part_line_id is not None and age > 10:
            with clock.at(done + dt.timedelta(days=10)):
                warranty.old_part_returned(claim.id, reference=f"SF{claim.number:08d}", by=advisor)
        if claim.state in ("accepted", "partly_accepted") and age > 35:
            with clock.at(done + dt.timedelta(days=35)):
                warranty.record_payment(claim.id, claim.accepted_amount, reference=f"Statement {done:%Y-%m}",
                                        by=cashier)


def _insurance(rng, active) -> None:
    from workshop import insurance, settlement
    advisor, cashier = _staff("advisor") or _staff("manager"), _staff("cashier") or _staff("manager")
    settled = []
    for order_id, state, btype, _time_in, _promised in active:
        if btype != "insurance":
            continue
        if state == "settled":
            settled.append(order_id)
            continue
        order = settlement.lifecycle.get_order(order_id)
        estimate = Decimal(str(order.estimate or 0)) or Decimal("3000")
        assessed = (estimate * Decimal(rng.choice(["0.9", "1.0", "1.1"]))).quantize(Decimal("1"))
        deductible = min(Decimal(rng.choice(["0", "500", "1000"])), (assessed / 4).quantize(Decimal("1")))
        known = state != "checked_in"  # the assessor comes once the car is stripped
        form = insurance.InsuranceForm(insurer=order.insurer or "PICC", claim_no=order.claim_no or "",
                                       assessor=rng.choice(["Chen Gang", "Lu Ping", "Qian Wei"]),
                                       assessed_amount=str(assessed) if known else "",
                                       deductible=str(deductible) if known else "0",
                                       towing_fee=rng.choice(["0", "0", "300"]), property_loss=rng.random() < 0.3)
        insurance.save_claim(order_id, form, by=advisor)
        for code in list(insurance.DOCUMENTS)[:rng.randint(2, len(insurance.DOCUMENTS))]:
            insurance.document_received(order_id, code, by=advisor)
    for order_id in settled:
        insurance.open_receivable(order_id, by=cashier)
    since, now = demo._ts(clock.now() - dt.timedelta(days=RECEIVABLE_DAYS)), demo._ts(clock.now())
    rows = db.execute_sql(f"SELECT id, released_at FROM repair_order WHERE business_type = 'insurance' "
                          f"AND state = 'delivered' AND released_at BETWEEN {db.param} AND {db.param} "
                          "ORDER BY released_at DESC", (since, now)).fetchall()  # (history has a few later ones)
    rows = rows[::max(1, len(rows) // RECEIVABLES)][:RECEIVABLES]  # spread over the months: every aging bucket
    for index, (order_id, _released) in enumerate(rows):
        owed = insurance.open_receivable(order_id, by=cashier)
        if owed > 0 and index % 3 == 1:  # some insurers paid part already
            insurance.record_payment(order_id, (owed / 2).quantize(Decimal("0.01")), reference="TT", by=cashier)


def _active(rng, active) -> None:
    _purchase_orders(rng)
    _warranty_claims(rng)
    _insurance(rng, active)


demo.REFERENCE_EXTENSIONS.append(_reference)
demo.ACTIVE_EXTENSIONS.append(_active)
