"""Import a parts catalog with opening stock from CSV (UTF-8 or GBK) or .xlsx, as a shop moving from another
system does.

Every row is checked first; if any row is rejected nothing is imported and the report says which rows and
why; a dry run stops after the check. Opening stock enters the ledger as 'opening' movements.
"""
from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from models.db import run_write
from models.parts import UNITS, Part
from models.people import Staff
from workshop import amounts, audit, parts, shops, validation
from workshop.data_import import ImportReport, Progress, _chunks, _quiet, opened
from workshop.errors import DomainError
from workshop.i18n import N_, _, join
from workshop.permissions import require
from workshop.phrase import Phrase
from workshop.pinyin import initials
from workshop.table_files import row_values

COLUMNS = ("code", "name", "name_zh", "brand", "category", "fits_models", "unit", "bin", "unit_cost", "sale_price",
           "reorder_threshold", "supplier", "oem", "opening_qty")
REQUIRED = ("code", "name", "unit", "sale_price")
ALIASES = {"配件代码": "code", "配件编号": "code", "零件号": "code", "英文名称": "name", "名称": "name",
           "配件名称": "name_zh", "中文名称": "name_zh", "品牌": "brand", "类别": "category", "配件类别": "category",
           "适用车型": "fits_models", "单位": "unit", "货位": "bin", "库位": "bin", "成本价": "unit_cost",
           "进价": "unit_cost", "销售价": "sale_price", "售价": "sale_price", "临界值": "reorder_threshold",
           "安全库存": "reorder_threshold", "供应商": "supplier", "原厂": "oem", "期初数量": "opening_qty",
           "库存数量": "opening_qty"}
UNIT_ALIASES = {"个": "pc", "件": "pc", "只": "pc", "升": "L", "公斤": "kg", "千克": "kg", "米": "m", "套": "set"}
MAX_PRICE = Decimal("9999999.99")
MAX_STOCK = Decimal("999999")


def _row(raw: dict, seen: set[str]) -> dict:
    missing = [c for c in REQUIRED if not (raw.get(c) or "").strip()]
    if missing:
        raise DomainError(_("missing {columns}").format(columns=join(missing)))
    code = validation.text(raw["code"], "code", _("Code"), max_len=30).upper()
    if code in seen:
        raise DomainError(_("code {code} appears twice in the file").format(code=code))
    unit = validation.text(raw["unit"], "unit", N_("Unit"), max_len=10)
    unit = UNIT_ALIASES.get(unit, unit)
    if unit not in UNITS:
        raise DomainError(_("unit '{unit}' is not one of {units}").format(unit=unit, units=join(UNITS)))

    def amount(name, label, places=2, maximum=MAX_PRICE):
        return amounts.decimal(raw.get(name) or "0", name, label, places=places, maximum=maximum)
    name_zh = validation.text(raw.get("name_zh"), "name_zh", N_("Chinese name"), max_len=100, required=False)
    name = validation.text(raw["name"], "name", N_("Name"), max_len=100)
    row = dict(code=code, name=name, name_zh=name_zh, initials=initials(name_zh or name), unit=unit,
               brand=validation.text(raw.get("brand"), "brand", N_("Brand"), max_len=40, required=False),
               category=validation.text(raw.get("category"), "category", N_("Category"), max_len=40, required=False),
               fits_models=validation.text(raw.get("fits_models"), "fits", N_("Fits"), max_len=200, required=False),
               bin=(validation.text(raw.get("bin"), "bin", N_("Bin"), max_len=20, required=False) or "").upper() or None,
               supplier=validation.text(raw.get("supplier"), "supplier", N_("Supplier"), max_len=60, required=False),
               unit_cost=amount("unit_cost", N_("Unit cost")),
               sale_price=amount("sale_price", N_("Sale price")),
               reorder_threshold=amount("reorder_threshold", N_("Threshold"), 3, MAX_STOCK),
               oem=(raw.get("oem") or "yes").strip().lower() in ("1", "yes", "y", "true", "oem", "是", "原厂"))
    places = 0 if unit in parts.WHOLE_UNITS else 3
    row["opening"] = amount("opening_qty", N_("Opening quantity"), places, MAX_STOCK)
    seen.add(code)
    return row


def import_parts(path: str | Path, *, by: Staff, dry_run: bool = False,
                 progress: Progress | None = None) -> ImportReport:
    """The parts catalog with opening stock, all or nothing (see the module docstring)."""
    require(by, "manage_stock")
    started = time.perf_counter()
    progress = progress or _quiet
    table, report, index = opened("parts", path, dry_run, ALIASES, COLUMNS, REQUIRED)
    if index is None:
        return report
    rows, seen, lines = [], set(), {}
    total = len(table.rows)
    for done, (number, cells) in enumerate(table.rows, start=1):
        try:
            row = _row(row_values(cells, index), seen)
            rows.append(row)
            lines[row["code"]] = number
        except DomainError as error:
            report.rejected.append((number, str(error)))
        if done % 500 == 0 or done == total:
            progress(_("checking"), done, total)
    for chunk in _chunks(list(lines)):
        for (code,) in Part.select(Part.code).where(Part.code.in_(chunk)).tuples():
            report.rejected.append((lines[code], _("code {code} is already in the catalog").format(code=code)))
    report.rejected.sort()
    report.created = {"parts": len(rows)}
    if report.ok and not dry_run:
        def work():
            nonlocal by
            shop = shops.of(by)  # the opening stock is the terminal's shop's
            by = require(by, "manage_stock")  # and again at the moment of writing
            for n, row in enumerate(rows, start=1):
                opening = row.pop("opening")
                part_id = Part.insert(**row).execute()
                if opening:
                    parts._post(Part.get_by_id(part_id), shop, "opening", opening, by=by, reason="opening stock (import)")
                if n % 500 == 0 or n == len(rows):
                    progress(_("writing"), n, len(rows))
            audit.record(by, "parts_imported", "part", 0,
                         Phrase(N_("Imported {n} parts from {file}"), n=len(rows), file=Path(path).name),
                         after={"rows": len(rows), "file": table.name, "encoding": table.encoding})
        run_write(work)
    report.seconds = time.perf_counter() - started
    return report


def import_csv(path: str | Path, *, by: Staff) -> ImportReport:
    """The parts file at ``path`` (CSV or .xlsx), all or nothing."""
    return import_parts(path, by=by)


__all__ = ["import_csv", "import_parts", "ImportReport", "COLUMNS", "Decimal"]
