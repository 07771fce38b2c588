"""Lists out of the terminal: the cashier's queue, receivables, the audit trail, reminders and quality
figures as CSV or Excel (.xlsx), with headers in the reader's language.

A list is rows (the plain dataclasses the workshop functions return) and columns: a header (marked
with N_, translated when written), how to read the value from a row, and what kind of value it is.
In a spreadsheet money and numbers stay numbers (formatted, summable), dates stay dates; text stays
text, so a customer called "=SUM(A1)" is a name and never a formula (CSV: such text is prefixed with
an apostrophe, as spreadsheet programs expect). CSV is UTF-8 with a byte-order mark: without it,
Excel in a Chinese Windows reads UTF-8 as GBK and shows mojibake for every Chinese name.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from workshop.i18n import N_, Words, language

TEXT, MONEY, NUMBER, DATE, DATETIME, PERCENT = "text", "money", "number", "date", "datetime", "percent"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str                        # English, marked with N_ (translated when written)
    value: str | Callable[[Any], Any]  # attribute name, or a function of the row
    kind: str = TEXT
    width: int = 14                    # spreadsheet column width, in characters
    labels: dict[str, str] | None = None  # a label table: codes are written as their names

    def read(self, row, words: Words):
        value = getattr(row, self.value) if isinstance(self.value, str) else self.value(row)
        if self.labels is not None and value is not None:
            return words.label(self.labels, value)
        return value


def _lookup(module: str, name: str) -> dict[str, str]:
    import importlib
    return getattr(importlib.import_module(module), name)


def columns_for(list_name: str) -> list[Column]:
    """The columns of one of the lists that can be exported."""
    from models.orders import BUSINESS_TYPE_LABELS
    from workshop.lifecycle import STATE_LABELS
    if list_name == "cashier_queue":
        return [Column(N_("RO"), "number", NUMBER, 8), Column(N_("Plate"), "plate", TEXT, 12),
                Column(N_("Customer"), "customer", TEXT, 24),
                Column(N_("Business type"), "business_type", TEXT, 14, BUSINESS_TYPE_LABELS),
                Column(N_("State"), "state", TEXT, 14, STATE_LABELS), Column(N_("Ready since"), "ready_at", DATETIME, 17)]
    if list_name == "receivables":
        return [Column(N_("RO"), "number", NUMBER, 8), Column(N_("Plate"), "plate", TEXT, 12),
                Column(N_("Customer"), "customer", TEXT, 24), Column(N_("Mobile"), "mobile", TEXT, 14),
                Column(N_("Invoice date"), "since", DATE, 12), Column(N_("Outstanding"), "amount", MONEY, 14),
                Column(N_("Days"), "bucket", TEXT, 8)]
    if list_name == "audit":
        return [Column(N_("When"), "at", DATETIME, 17), Column(N_("Who"), "actor", TEXT, 14),
                Column(N_("What"), "kind", TEXT, 18), Column(N_("RO"), "order_number", NUMBER, 8),
                Column(N_("Summary"), "summary", TEXT, 50), Column(N_("Before"), "before", TEXT, 30),
                Column(N_("After"), "after", TEXT, 30)]
    if list_name == "reminders":
        return [Column(N_("Reminder"), "kind", TEXT, 18, _reminder_labels()),
                Column(N_("Customer"), "customer", TEXT, 24), Column(N_("Mobile"), "mobile", TEXT, 14),
                Column(N_("Plate"), "plate", TEXT, 12), Column(N_("Due"), "due", DATE, 12),
                Column(N_("Detail"), "detail", TEXT, 40)]
    if list_name == "quality":
        return [Column(N_("Name"), "name", TEXT, 18), Column(N_("Inspected"), "inspected", NUMBER, 10),
                Column(N_("First-time pass %"), "first_time_pct", PERCENT, 12),
                Column(N_("Rework %"), "rework_pct", PERCENT, 10), Column(N_("On time %"), "on_time_pct", PERCENT, 10),
                Column(N_("Average delay (h)"), "avg_delay_hours", NUMBER, 12),
                Column(N_("Delivered"), "delivered", NUMBER, 10), Column(N_("Comebacks"), "comebacks", NUMBER, 10),
                Column(N_("Comeback %"), "comeback_pct", PERCENT, 10), Column(N_("Penalties"), "penalties", MONEY, 12)]
    if list_name == "warranty_claims":
        from workshop.warranty import REJECTION_REASONS, STATE_LABELS as CLAIM_STATES
        return [Column(N_("Claim no."), "number", NUMBER, 9), Column(N_("RO"), "order_number", NUMBER, 8),
                Column(N_("Plate"), "plate", TEXT, 12), Column(N_("Customer"), "customer", TEXT, 24),
                Column(N_("Manufacturer"), "manufacturer", TEXT, 14),
                Column(N_("State"), "state", TEXT, 16, CLAIM_STATES), Column(N_("Claimed"), "claimed", MONEY, 12),
                Column(N_("Accepted"), "accepted", MONEY, 12), Column(N_("Paid"), "paid", MONEY, 12),
                Column(N_("Submit by"), "deadline", DATE, 12), Column(N_("Submitted"), "submitted_at", DATETIME, 17),
                Column(N_("Answered"), "answered_at", DATETIME, 17),
                Column(N_("Rejection reason"), "rejection_reason", TEXT, 22, REJECTION_REASONS),
                Column(N_("Causal part"), "part", TEXT, 24), Column(N_("Old part back by"), "return_by", DATE, 12)]
    if list_name == "insurer_receivables":
        return [Column(N_("Insurer"), "insurer", TEXT, 18), Column(N_("RO"), "number", NUMBER, 8),
                Column(N_("Plate"), "plate", TEXT, 12), Column(N_("Customer"), "customer", TEXT, 24),
                Column(N_("Claim report no."), "claim_no", TEXT, 22), Column(N_("Invoice date"), "since", DATE, 12),
                Column(N_("Days"), "bucket", TEXT, 8), Column(N_("Outstanding"), "amount", MONEY, 14)]
    raise KeyError(list_name)


def _reminder_labels() -> dict[str, str]:
    return {"maintenance": N_("Maintenance due"), "insurance": N_("Insurance renewal"),
            "warranty": N_("Warranty expiry"), "lost": N_("Lost customer"), "birthday": N_("Birthday")}


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"
    if kind == DATETIME and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == DATE and isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    if kind == TEXT and text.startswith(FORMULA_START):
        return "'" + text  # shown as typed, never run as a formula
    return text


FILE_MODE = 0o640  # an exported list names customers: readable by the shop's group, never by other logins


def _created_private(path: Path) -> None:
    """Create (or empty) ``path`` 0640 before anything is written to it: the writers below then open the
    file that exists and keep its mode (a umask of 022 would leave a list of customers readable by every
    login). A symbolic link planted at the name is refused, not followed."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        os.fchmod(handle, FILE_MODE)
    finally:
        os.close(handle)


def write_csv(path: Path | str, columns: list[Column], rows: Iterable, *, words: Words | None = None) -> Path:
    """The rows as CSV (UTF-8 with BOM), headers in ``words``' language (the reader's by default)."""
    words = words or Words(language())
    path = Path(path)
    _created_private(path)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([words._(c.header) for c in columns])
        for row in rows:
            writer.writerow([_csv_value(c.read(row, words), c.kind) for c in columns])
    return path


def write_xlsx(path: Path | str, columns: list[Column], rows: Iterable, *, title: str = "",
               words: Words | None = None) -> Path:
    """The rows as an Excel workbook: one sheet, a bold header row frozen at the top, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    words = words or Words(language())
    path = Path(path)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = (title or "list")[:31]
    for i, column in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=i, value=words._(column.header))
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = column.width
    sheet.freeze_panes = "A2"
    for r, row in enumerate(rows, 2):
        for i, column in enumerate(columns, 1):
            value = column.read(row, words)
            cell = sheet.cell(row=r, column=i)
            if value is None:
                continue
            if column.kind == MONEY:
                cell.value = float(Decimal(str(value)).quantize(Decimal("0.01")))
                cell.number_format = "#,##0.00"
            elif column.kind in (NUMBER, PERCENT):
                cell.value = float(value) if isinstance(value, Decimal) else value
                cell.number_format = "0.0" if column.kind == PERCENT else "General"
            elif column.kind == DATETIME and isinstance(value, dt.datetime):
                cell.value = value
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif column.kind == DATE and isinstance(value, (dt.date, dt.datetime)):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = str(value)
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
    _created_private(Path(path))
    book.save(path)
    return path


def export_dir() -> Path:
    """Where exported lists go: an 'exports' folder beside the documents folder (workshop/document_files.py:
    beside the database, or where a manager set it; never the home folder of whoever runs the terminal).
    Raises document_files.NoFolder (an OSError) on PostgreSQL when no folder is set."""
    from workshop.document_files import folder
    return folder().parent / "exports"


def export_both(list_name: str, rows: list, *, directory: Path | None = None,
                words: Words | None = None) -> tuple[Path, Path]:
    """Write a list as CSV and as .xlsx, named after the list and the time; returns both paths."""
    from workshop import clock
    from workshop.document_files import ensure_folder
    folder = Path(directory) if directory else export_dir()
    ensure_folder(folder)
    stem = f"{list_name}-{clock.now():%Y%m%d-%H%M%S}"
    return (export(list_name, rows, folder / f"{stem}.csv", words=words),
            export(list_name, rows, folder / f"{stem}.xlsx", words=words))


def export(list_name: str, rows: Iterable, path: Path | str, *, words: Words | None = None) -> Path:
    """Write one of the lists (cashier_queue, receivables, audit, reminders, quality) to ``path``: .xlsx
    as a workbook, anything else as CSV."""
    columns = columns_for(list_name)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return write_xlsx(path, columns, rows, title=list_name, words=words)
    return write_csv(path, columns, rows, words=words)


__all__ = ["Column", "columns_for", "export", "export_both", "export_dir", "write_csv", "write_xlsx"]
