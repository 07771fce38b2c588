"""A batch of warranty claims as dealers send them to the manufacturer: one row per claim line, as CSV or
as an .xlsx workbook (workshop/export.py writes both: headers in the reader's language, money as numbers,
text never a formula).

The file is written beside its final name and renamed into place: a reader never sees half a batch.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from models.orders import RepairOrder
from models.parts import Part, PartLine
from models.people import Vehicle
from models.warranty import WarrantyClaim, WarrantyClaimLine
from workshop import settings
from workshop.errors import InvalidInput
from workshop.export import DATE, MONEY, NUMBER, TEXT, Column, write_csv, write_xlsx
from workshop.i18n import N_, _
from workshop.pricing import cents


@dataclass(frozen=True)
class BatchRow:
    dealer: str
    claim: int
    order: int
    vin: str
    plate: str
    model: str
    mileage: int
    repair_date: dt.date
    complaint: str
    cause: str
    correction: str
    causal_part: str
    line: int
    code: str
    name: str
    quantity: Decimal
    unit: str
    rate: Decimal
    amount: Decimal
    total: Decimal


COLUMNS = [
    Column(N_("Dealer"), "dealer", TEXT, 20), Column(N_("Claim no."), "claim", NUMBER, 9),
    Column(N_("RO no."), "order", NUMBER, 8), Column(N_("VIN"), "vin", TEXT, 19), Column(N_("Plate"), "plate", TEXT, 10),
    Column(N_("Model"), "model", TEXT, 18), Column(N_("Mileage"), "mileage", NUMBER, 9),
    Column(N_("Repair date"), "repair_date", DATE, 11), Column(N_("Complaint"), "complaint", TEXT, 30),
    Column(N_("Cause"), "cause", TEXT, 30), Column(N_("Correction"), "correction", TEXT, 30),
    Column(N_("Causal part"), "causal_part", TEXT, 12), Column(N_("Line"), "line", NUMBER, 5),
    Column(N_("Code"), "code", TEXT, 10), Column(N_("Description"), "name", TEXT, 24),
    Column(N_("Hours / qty"), "quantity", NUMBER, 9), Column(N_("Unit"), "unit", TEXT, 5),
    Column(N_("Rate / price"), "rate", MONEY, 10), Column(N_("Amount"), "amount", MONEY, 11),
    Column(N_("Claim total"), "total", MONEY, 11),
]


def _quantity(value) -> Decimal:
    """1, 0.8, 4.5: hours and quantities as written, without the stored trailing zeros."""
    value = Decimal(str(value))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def rows(claim_ids: list[int]) -> list[BatchRow]:
    """The batch's rows, claims in number order, each claim's lines in order (three queries)."""
    claims = list(WarrantyClaim.select(WarrantyClaim, RepairOrder, Vehicle)
                  .join(RepairOrder, on=(WarrantyClaim.order == RepairOrder.id))
                  .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
                  .where(WarrantyClaim.id.in_(list(claim_ids))).order_by(WarrantyClaim.number))
    if len(claims) != len(set(claim_ids)):
        raise InvalidInput(_("Some of those claims do not exist."), "claims")
    causal_ids = [c.causal_part_line_id for c in claims if c.causal_part_line_id]
    causal = {line_id: code for line_id, code in PartLine.select(PartLine.id, Part.code).join(Part)
              .where(PartLine.id.in_(causal_ids or [0])).tuples()}
    lines: dict[int, list[WarrantyClaimLine]] = {}
    for line in (WarrantyClaimLine.select().where(WarrantyClaimLine.claim.in_([c.id for c in claims]))
                 .order_by(WarrantyClaimLine.claim, WarrantyClaimLine.position, WarrantyClaimLine.id)):
        lines.setdefault(line.claim_id, []).append(line)
    dealer = settings.get("shop_name")
    out = []
    for claim in claims:
        order, car = claim.order, claim.order.vehicle
        for n, line in enumerate(lines.get(claim.id, []), 1):
            out.append(BatchRow(dealer, claim.number, order.number, car.vin, car.plate, car.model, order.mileage_in,
                                claim.repair_date, claim.complaint, claim.cause or "", claim.correction or "",
                                causal.get(claim.causal_part_line_id, ""), n, line.code, line.name,
                                _quantity(line.quantity), line.unit, cents(Decimal(str(line.rate))),
                                cents(Decimal(str(line.amount))), cents(Decimal(str(claim.claimed_amount)))))
    return out


def export_batch(claim_ids: list[int], path: str | Path) -> Path:
    """Write the claims to ``path`` (.csv or .xlsx, by its suffix); returns the path written."""
    if not claim_ids:
        raise InvalidInput(_("Choose the claims to export."), "claims")
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InvalidInput(_("Export to a .csv or an .xlsx file."), "path")
    data = rows(claim_ids)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if suffix == ".csv":
            write_csv(temporary, COLUMNS, data)
        else:
            write_xlsx(temporary, COLUMNS, data, title=_("Warranty claims"))
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(_("Could not write {path}: {reason}").format(
            path=str(path), reason=error.strerror or str(error)), "path") from None
    return path


def export_batch_files(claim_ids: list[int], *, directory: str | Path | None = None) -> tuple[Path, Path]:
    """The batch as both a .csv and an .xlsx, named after the time, in the exports folder (beside the
    invoices) unless ``directory`` says otherwise; returns both paths."""
    from workshop import clock
    from workshop.document_files import ensure_folder
    from workshop.export import export_dir
    folder = Path(directory) if directory else None
    try:
        folder = folder or export_dir()
        ensure_folder(folder)
    except OSError as error:
        raise InvalidInput(_("Could not write {path}: {reason}").format(
            path=str(folder or _("the exports folder")), reason=error.strerror or str(error)), "path") from None
    stem = folder / f"warranty-claims-{clock.now():%Y%m%d-%H%M%S}"
    return export_batch(claim_ids, stem.with_suffix(".csv")), export_batch(claim_ids, stem.with_suffix(".xlsx"))


__all__ = ["export_batch", "export_batch_files", "rows", "COLUMNS", "BatchRow"]
