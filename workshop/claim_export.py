"""A batch of warranty claims as dealers send them to the manufacturer: one row per claim line, as CSV
(UTF-8 with a byte-order mark, so a spreadsheet opens Chinese text right) or as an .xlsx workbook.

The file is written beside its final name and renamed into place: a reader never sees half a batch.
"""
from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

from models.orders import RepairOrder
from models.parts import Part, PartLine
from models.people import Vehicle
from models.warranty import WarrantyClaim, WarrantyClaimLine
from workshop import i18n, settings
from workshop.errors import InvalidInput
from workshop.i18n import N_, _
from workshop.pricing import cents

COLUMNS = (N_("Dealer"), N_("Claim no."), N_("RO no."), N_("VIN"), N_("Plate"), N_("Model"), N_("Mileage"),
           N_("Repair date"), N_("Complaint"), N_("Cause"), N_("Correction"), N_("Causal part"), N_("Line"),
           N_("Code"), N_("Description"), N_("Hours / qty"), N_("Unit"), N_("Rate"), N_("Amount"),
           N_("Claim total"))


def rows(claim_ids: list[int]) -> list[list]:
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
            out.append([dealer, claim.number, order.number, car.vin, car.plate, car.model, order.mileage_in,
                        i18n.date(claim.repair_date), claim.complaint, claim.cause or "", claim.correction or "",
                        causal.get(claim.causal_part_line_id, ""), n, line.code, line.name,
                        _quantity(line.quantity), line.unit, cents(Decimal(str(line.rate))),
                        cents(Decimal(str(line.amount))), cents(Decimal(str(claim.claimed_amount)))])
    return out


def _quantity(value) -> Decimal:
    """1, 0.8, 4.5: hours and quantities as written, without the stored trailing zeros."""
    value = Decimal(str(value))
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def export_batch(claim_ids: list[int], path: str | Path) -> Path:
    """Write the claims to ``path`` (.csv or .xlsx, by its suffix); returns the path written."""
    if not claim_ids:
        raise InvalidInput(_("Choose the claims to export."), "claims")
    path = Path(path).expanduser()
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InvalidInput(_("Export to a .csv or an .xlsx file."), "path")
    data = rows(claim_ids)
    header = [_(c) for c in COLUMNS]
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if path.suffix.lower() == ".csv":
            with open(temporary, "w", newline="", encoding="utf-8-sig") as file:
                writer = csv.writer(file)
                writer.writerow(header)
                writer.writerows([[f"{v:f}" if isinstance(v, Decimal) else v for v in row] for row in data])
        else:
            _write_xlsx(temporary, header, data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInput(_("Could not write {path}: {reason}").format(path=str(path), reason=error.strerror
                                                                        or str(error)), "path") from None
    return path


def _write_xlsx(path: Path, header: list[str], data: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = _("Warranty claims")
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money = {header.index(_(c)) for c in (N_("Rate"), N_("Amount"), N_("Claim total"))}
    for row in data:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for index in money:
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    book.save(path)


__all__ = ["export_batch", "rows", "COLUMNS"]
