"""Import a parts catalog with opening stock from CSV, as a shop moving from another system does.

Every row is checked first; if any row is rejected nothing is imported and the report says which
rows and why. Opening stock enters the ledger as 'opening' movements.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from models.db import run_write
from models.parts import UNITS, Part
from models.people import Staff
from workshop import audit, parts, validation
from workshop.errors import DomainError
from workshop.i18n import N_, _, join
from workshop.permissions import require
from workshop.phrase import Phrase

COLUMNS = ("code", "name", "brand", "category", "fits_models", "unit", "bin", "unit_cost", "sale_price",
           "reorder_threshold", "supplier", "oem", "opening_qty")
REQUIRED = ("code", "name", "unit", "sale_price")


@dataclass
class ImportReport:
    imported: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    @property
    def ok(self) -> bool:
        return not self.rejected


def _row(raw: dict, seen: set[str]) -> dict:
    missing = [c for c in REQUIRED if not (raw.get(c) or "").strip()]
    if missing:
        raise DomainError(_("missing {columns}").format(columns=join(missing)))
    code = validation.text(raw["code"], "code", _("Code"), max_len=30).upper()
    if code in seen:
        raise DomainError(_("code {code} appears twice in the file").format(code=code))
    if Part.select().where(Part.code == code).exists():
        raise DomainError(_("code {code} is already in the catalog").format(code=code))
    unit = raw["unit"].strip()
    if unit not in UNITS:
        raise DomainError(_("unit '{unit}' is not one of {units}").format(unit=unit, units=join(UNITS)))
    row = dict(code=code, name=validation.text(raw["name"], "name", _("Name"), max_len=100), unit=unit,
               brand=validation.text(raw.get("brand"), "brand", _("Brand"), max_len=40, required=False),
               category=validation.text(raw.get("category"), "category", _("Category"), max_len=40, required=False),
               fits_models=validation.text(raw.get("fits_models"), "fits", _("Fits"), max_len=200, required=False),
               bin=(validation.text(raw.get("bin"), "bin", _("Bin"), max_len=20, required=False) or "").upper() or None,
               supplier=validation.text(raw.get("supplier"), "supplier", _("Supplier"), max_len=60, required=False),
               unit_cost=validation.decimal(raw.get("unit_cost") or "0", "unit_cost", _("Unit cost")),
               sale_price=validation.decimal(raw["sale_price"], "sale_price", _("Sale price")),
               reorder_threshold=validation.decimal(raw.get("reorder_threshold") or "0", "threshold", _("Threshold"),
                                                    places=3),
               oem=(raw.get("oem") or "yes").strip().lower() in ("1", "yes", "y", "true", "oem"))
    places = 0 if unit in parts.WHOLE_UNITS else 3
    row["opening"] = validation.decimal(raw.get("opening_qty") or "0", "opening", _("Opening quantity"),
                                        places=places)
    seen.add(code)
    return row


def import_csv(path: str | Path, *, by: Staff) -> ImportReport:
    report, rows, seen = ImportReport(), [], set()
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        unknown = set(reader.fieldnames or ()) - set(COLUMNS)
        if unknown or not set(REQUIRED) <= set(reader.fieldnames or ()):
            report.rejected.append((1, _("header must have {required}; unknown columns: {unknown}").format(
                required=join(REQUIRED), unknown=join(sorted(unknown)) or _("none"))))
            return report
        for number, raw in enumerate(reader, start=2):
            try:
                rows.append(_row(raw, seen))
            except DomainError as error:
                report.rejected.append((number, str(error)))
    if report.rejected:
        return report

    def work():
        nonlocal by
        by = require(by, "manage_stock")
        for row in rows:
            opening = row.pop("opening")
            part = Part.create(**row)
            if opening:
                parts._post(part, "opening", opening, by=by, reason="opening stock (import)")
        audit.record(by, "parts_imported", "part", 0,
                     Phrase(N_("Imported {n} parts from {file}"), n=len(rows), file=Path(path).name),
                     after={"rows": len(rows)})
        return len(rows)

    report.imported = run_write(work)
    return report


__all__ = ["import_csv", "ImportReport", "COLUMNS", "Decimal"]
