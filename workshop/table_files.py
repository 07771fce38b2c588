"""Reading the tables a shop brings from its old system: CSV in UTF-8 or in GBK/GB18030 (what Excel writes on
Chinese Windows; told apart with charset-normalizer), or an .xlsx workbook (its first sheet). Headers may be
English column names or the Chinese ones a Chinese DMS exports; each importer maps them to its columns."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from workshop.errors import InvalidInput
from workshop.i18n import _

# Encodings charset-normalizer may name for Chinese text, read as the superset that decodes them all.
_AS_GB18030 = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"}
MAX_ROWS = 200_000


@dataclass
class TableFile:
    name: str
    encoding: str                      # "utf-8", "gb18030", "big5" or "xlsx"
    headers: list[str]                 # as written in the file
    rows: list[tuple[int, list[str]]]  # (line or sheet row number, cells as text; dates as ISO text)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    matches = list(from_bytes(data, cp_isolation=["gb18030", "gbk", "gb2312", "big5", "utf_16", "cp1252"]))
    for match in matches:
        encoding = match.encoding.lower().replace("-", "_")
        if encoding in _AS_GB18030 or encoding in ("gb18030", "big5", "utf_16"):
            encoding = "gb18030" if encoding in _AS_GB18030 else encoding
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    try:  # charset-normalizer unsure (a short file): GB18030 decodes any Chinese Excel export it can
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InvalidInput(_("The file's characters are neither UTF-8 nor GBK: save it from Excel as "
                             "'CSV UTF-8' and import it again."), "file") from None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a mobile number Excel kept as a number: 13812345678.0
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def read_table(path: str | Path) -> TableFile:
    """The file's header and data rows (blank rows skipped), or InvalidInput saying why it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("There is no file {name}.").format(name=str(path)), "file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() == ".xls":
        raise InvalidInput(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."), "file")
    data = path.read_bytes()
    text, encoding = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, headers = [], None
    for number, cells in enumerate(reader, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(_("The file has more than {count} rows: split it.").format(count=MAX_ROWS), "file")
    if headers is None:
        raise InvalidInput(_("The file is empty."), "file")
    return TableFile(path.name, encoding, headers, rows)


def _read_xlsx(path: Path) -> TableFile:
    from openpyxl import load_workbook
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # a damaged or foreign file: openpyxl raises many kinds
        raise InvalidInput(_("{name} is not a readable .xlsx workbook ({error}).").format(
            name=path.name, error=type(error).__name__), "file") from None
    try:
        sheet = book.worksheets[0]
        rows, headers = [], None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue
            if headers is None:
                headers = cells
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(_("The file has more than {count} rows: split it.").format(count=MAX_ROWS), "file")
    finally:
        book.close()
    if headers is None:
        raise InvalidInput(_("The file is empty."), "file")
    return TableFile(path.name, "xlsx", headers, rows)


def map_headers(headers: list[str], aliases: dict[str, str], columns: tuple[str, ...],
                required: tuple[str, ...]) -> dict[str, int]:
    """Column name -> index in the row, from headers written as column names or their aliases (Chinese);
    InvalidInput naming unknown or missing columns."""
    found, unknown = {}, []
    for index, header in enumerate(headers):
        key = header.strip().lstrip("\ufeff")
        name = key.lower().replace(" ", "_") if key.lower().replace(" ", "_") in columns else aliases.get(key)
        if name is None:
            if key:
                unknown.append(key)
            continue
        if name in found:
            raise InvalidInput(_("Column {name} appears twice in the header.").format(name=key), "file")
        found[name] = index
    missing = [c for c in required if c not in found]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("missing columns: {names}").format(names=", ".join(missing)))
        if unknown:
            parts.append(_("unknown columns: {names}").format(names=", ".join(unknown)))
        raise InvalidInput(_("The header does not fit ({problems}). The columns are: {columns}.").format(
            problems="; ".join(parts), columns=", ".join(columns)), "file")
    return found


def row_values(cells: list[str], index: dict[str, int]) -> dict[str, str]:
    return {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
