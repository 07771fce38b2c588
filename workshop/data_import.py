"""Moving in from another system: customers with their vehicles, and the operations catalog with kits, from CSV
(UTF-8 or GBK/GB18030) or .xlsx. The parts catalog comes in through workshop/parts_import.py the same way.

Every row is checked first, with the same rules as the screens (workshop/customer_file.py, workshop/catalog.py);
if any row is refused nothing is written and the report says which rows and why. A dry run stops there either
way. What is written is written in one transaction, with one audit row for the whole import (an audit row per
customer would wake every terminal's change feed ten thousand times for nothing on it).

Customers file: one row per vehicle with its owner's columns (an owner without a car: a row without plate and
VIN). Rows with the same mobile number, however written, are one customer; an owner whose mobile is already on
file gets the vehicles added to that file. Operations file: one row per operation; a further row with the same
code adds the kit for another series (its other columns empty or the same).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from models.db import db, run_write
from models.orders import OrderCounter
from models.parts import Part
from models.people import Customer, CustomerClass, Staff, Vehicle
from models.shop import Operation
from workshop import audit, clock, i18n
from workshop.catalog import OperationForm, insert_operation, kit_items, replace_kit, validate_operation
from workshop.customer_file import CustomerForm, VehicleForm, validate_customer, validate_vehicle
from workshop.errors import DomainError, InvalidInput
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require
from workshop.lookup import customer_keys
from workshop.table_files import TableFile, map_headers, read_table, row_values

Progress = Callable[[str, int, int], None]
BATCH = 500

CUSTOMER_COLUMNS = ("code", "name", "kind", "mobile", "home_phone", "office_phone", "address", "postcode", "email",
                    "id_number", "birthday", "class", "class_until", "key_customer", "notes",
                    "plate", "vin", "brand", "series", "model", "model_code", "model_year", "engine_no", "gearbox",
                    "colour", "fuel_type", "purchase_date", "purchase_mileage", "selling_dealer", "insurer",
                    "insurance_expiry", "warranty_expiry")
CUSTOMER_REQUIRED = ("name", "mobile")
# The headers a Chinese DMS export carries.
CUSTOMER_ALIASES = {
    "客户编号": "code", "车主编号": "code", "客户名称": "name", "客户姓名": "name", "姓名": "name", "车主": "name",
    "车主姓名": "name", "客户类型": "kind", "客户性质": "kind", "手机": "mobile", "手机号": "mobile", "手机号码": "mobile",
    "移动电话": "mobile", "家庭电话": "home_phone", "住宅电话": "home_phone", "办公电话": "office_phone",
    "单位电话": "office_phone", "地址": "address", "联系地址": "address", "邮编": "postcode", "邮政编码": "postcode",
    "邮箱": "email", "电子邮件": "email", "证件号": "id_number", "证件号码": "id_number", "身份证号": "id_number",
    "组织机构代码": "id_number", "生日": "birthday", "出生日期": "birthday", "客户分类": "class", "会员等级": "class",
    "分类有效期": "class_until", "会员有效期": "class_until", "重点客户": "key_customer", "大客户": "key_customer",
    "备注": "notes", "车牌": "plate", "车牌号": "plate", "车牌号码": "plate", "VIN": "vin", "车架号": "vin",
    "底盘号": "vin", "品牌": "brand", "车系": "series", "车型": "model", "车型名称": "model", "车型代码": "model_code",
    "年款": "model_year", "发动机号": "engine_no", "变速箱": "gearbox", "颜色": "colour", "车身颜色": "colour",
    "燃油类型": "fuel_type", "燃料类型": "fuel_type", "购车日期": "purchase_date", "购车里程": "purchase_mileage",
    "销售商": "selling_dealer", "销售经销商": "selling_dealer", "保险公司": "insurer", "保险到期": "insurance_expiry",
    "保险到期日": "insurance_expiry", "保修到期": "warranty_expiry", "保修到期日": "warranty_expiry",
}
KINDS = {"private": "private", "个人": "private", "私人": "private", "company": "company", "公司": "company",
         "单位": "company", "fleet": "fleet", "车队": "fleet", "": "private"}
FUELS = {"汽油": "petrol", "柴油": "diesel", "混动": "hybrid", "混合动力": "hybrid", "油电混合": "hybrid",
         "插电混动": "plug_in_hybrid", "插电式混合动力": "plug_in_hybrid", "纯电": "electric", "纯电动": "electric",
         "电动": "electric", "燃气": "gas", "plug-in hybrid": "plug_in_hybrid"}
YES = {"yes", "y", "1", "true", "是", "√", "x"}
NO = {"no", "n", "0", "false", "否", ""}

OPERATION_COLUMNS = ("code", "name", "name_zh", "trade", "standard_hours", "price_class", "business_type",
                     "applies_to", "kit_series", "kit")
OPERATION_REQUIRED = ("code", "name", "trade", "standard_hours")
OPERATION_ALIASES = {"工时代码": "code", "项目代码": "code", "英文名称": "name", "名称": "name", "中文名称": "name_zh",
                     "工时名称": "name_zh", "工种": "trade", "班组": "trade", "标准工时": "standard_hours",
                     "工时": "standard_hours", "价格类别": "price_class", "业务类型": "business_type",
                     "适用车系": "applies_to", "配件车系": "kit_series", "配件": "kit", "标准配件": "kit"}
TRADES = {"机修": "mechanical", "钣金": "body", "喷漆": "paint", "快保": "quick_service", "快修": "quick_service",
          "洗车": "wash", "美容": "wash", "电器": "electrical", "电工": "electrical", "四轮定位": "alignment",
          "定位": "alignment"}
BUSINESS_TYPES = {"保养": "maintenance", "一般维修": "general_repair", "普通维修": "general_repair", "钣金": "body",
                  "喷漆": "paint", "保修": "warranty", "索赔": "warranty", "保险": "insurance", "事故": "insurance",
                  "内部": "internal"}


@dataclass
class ImportReport:
    kind: str
    file: str
    encoding: str = ""
    rows: int = 0
    dry_run: bool = False
    created: dict = field(default_factory=dict)              # "customers": 9,000, "vehicles": 10,000...
    existing: dict = field(default_factory=dict)             # "customers": owners already on file
    rejected: list = field(default_factory=list)             # (line, reason)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def imported(self) -> int:
        """Rows' records written (0 after a dry run or a refused file)."""
        return next(iter(self.created.values()), 0) if self.written else 0


def _quiet(step: str, done: int, total: int) -> None:
    pass


def opened(kind: str, path: str | Path, dry_run: bool, aliases, columns, required
           ) -> tuple[TableFile, ImportReport, dict | None]:
    """The file read, its report begun and its headers mapped to columns; the mapping is None when the
    headers are refused (the reason is then the report's line 1)."""
    table = read_table(path)
    report = ImportReport(kind, table.name, table.encoding, len(table.rows), dry_run)
    try:
        return table, report, map_headers(table.headers, aliases, columns, required)
    except InvalidInput as error:
        report.rejected.append((1, str(error)))
        return table, report, None


def _reason(error: DomainError) -> str:
    return str(error)


def _yes(value: str, column: str) -> bool:
    text = (value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise InvalidInput(_("{column}: write yes or no.").format(column=column), column)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- customers and vehicles ---------------------------------------------------------------------------------------

def import_customers(path: str | Path, *, by: Staff, dry_run: bool = False,
                     progress: Progress | None = None) -> ImportReport:
    """Customers with their vehicles from a CSV or .xlsx file (see the module docstring)."""
    require(by, "import_data")
    import time
    started = time.perf_counter()
    progress = progress or _quiet
    table, report, index = opened("customers", path, dry_run, CUSTOMER_ALIASES, CUSTOMER_COLUMNS, CUSTOMER_REQUIRED)
    if index is None:
        return report
    customers, vehicles = _check_customers(table, index, report, progress)
    report.created = {"customers": sum(1 for c in customers.values() if c["id"] is None),
                      "vehicles": len(vehicles)}
    report.existing = {"customers": sum(1 for c in customers.values() if c["id"] is not None)}
    if report.ok and not dry_run:
        run_write(lambda: _write_customers(customers, vehicles, table, by, progress))
        # Cars bought lately and never serviced here are due their first services now, not one batch of
        # the time-driven rule every 10 minutes (each batch its own short write transaction).
        from workshop.service_plan import plan_new_cars
        while plan_new_cars(by=by):
            pass
    report.seconds = time.perf_counter() - started
    return report


def _check_customers(table: TableFile, index: dict, report: ImportReport, progress: Progress):
    total = len(table.rows)
    classes, class_rows = {}, {}
    for klass in CustomerClass.select():
        class_rows[klass.id] = klass
        classes[klass.name.casefold()] = klass.id
        if klass.name_zh:
            classes[klass.name_zh.casefold()] = klass.id
    customers: dict[str, dict] = {}     # mobile -> {"id": existing id or None, "data": columns, "line": first line}
    codes_in_file: dict[str, str] = {}  # code -> mobile
    vehicles: list[dict] = []
    plates: dict[str, int] = {}
    vins: dict[str, int] = {}
    for done, (line, cells) in enumerate(table.rows, start=1):
        raw = row_values(cells, index)
        try:
            kind = KINDS.get((raw.get("kind") or "").strip().lower())
            if kind is None:
                raise InvalidInput(_("Customer type must be private, company or fleet."), "kind")
            klass = None
            if (raw.get("class") or "").strip():
                klass = classes.get(raw["class"].strip().casefold())
                if klass is None:
                    raise InvalidInput(_("No customer class called {name}: set it up first.").format(
                        name=raw["class"].strip()), "class")
            form = CustomerForm(name=raw.get("name", ""), mobile=raw.get("mobile", ""), kind=kind,
                                home_phone=raw.get("home_phone", ""), office_phone=raw.get("office_phone", ""),
                                email=raw.get("email", ""), address=raw.get("address", ""),
                                postcode=raw.get("postcode", ""), id_number=raw.get("id_number", ""),
                                birthday=raw.get("birthday", ""), notes=raw.get("notes", ""),
                                customer_class_id=klass, class_until=raw.get("class_until", ""),
                                is_key=_yes(raw.get("key_customer", ""), "key_customer"))
            data = validate_customer(form, classes=class_rows)
            code = (raw.get("code") or "").strip().upper() or None
            if code is not None and (len(code) > 20 or not re.fullmatch(r"[A-Z0-9\-_.]+", code)):
                raise InvalidInput(_("A customer code has at most 20 letters, digits, dashes or dots."), "code")
            car = None
            if (raw.get("plate") or "").strip() or (raw.get("vin") or "").strip():
                fuel = (raw.get("fuel_type") or "").strip()
                vform = VehicleForm(**{name: raw.get(name, "") for name in (
                    "plate", "vin", "brand", "series", "model", "model_code", "model_year", "engine_no", "gearbox",
                    "colour", "purchase_date", "purchase_mileage", "selling_dealer", "insurer", "insurance_expiry",
                    "warranty_expiry")}, fuel_type=FUELS.get(fuel, FUELS.get(fuel.lower(), fuel.lower())))
                car = validate_vehicle(vform)
                for key, seen in (("plate", plates), ("vin", vins)):
                    if car[key] in seen:
                        raise InvalidInput(_("{value} is also on line {line}.").format(value=car[key],
                                                                                     line=seen[car[key]]), key)
            mobile = data["mobile"]
            if code is not None:
                other = codes_in_file.get(code)
                if other is not None and other != mobile:
                    raise InvalidInput(_("Customer code {code} is given to two different mobiles.").format(code=code),
                                       "code")
        except InvalidInput as error:
            report.rejected.append((line, _reason(error)))
            continue
        if code is not None:
            codes_in_file[code] = mobile
        if mobile not in customers:
            customers[mobile] = {"id": None, "data": data, "line": line, "code": code}
        if car is not None:
            plates[car["plate"]], vins[car["vin"]] = line, line
            vehicles.append({"mobile": mobile, "data": car, "line": line})
        if done % 500 == 0 or done == total:
            progress(_("checking"), done, total)
    progress(_("checking"), total, total)
    # What is on file already: owners by mobile; plates, VINs and codes that would clash (index lookups).
    for chunk in _chunks(list(customers)):
        for cid, mobile in (Customer.select(Customer.id, Customer.mobile)
                            .where(Customer.mobile.in_(chunk) & Customer.merged_into.is_null()).tuples()):
            customers[mobile]["id"] = cid
    code_lines = {c["code"]: c["line"] for c in customers.values() if c["code"] and c["id"] is None}
    for chunk in _chunks(list(code_lines)):
        for (code,) in Customer.select(Customer.code).where(Customer.code.in_(chunk)).tuples():
            report.rejected.append((code_lines[code], _("Customer code {code} is already on file.").format(code=code)))
    for lines, column in ((plates, Vehicle.plate), (vins, Vehicle.vin)):
        for chunk in _chunks(list(lines)):
            for (value,) in Vehicle.select(column).where(column.in_(chunk)).tuples():
                report.rejected.append((lines[value], _("{value} is already registered.").format(value=value)))
    report.rejected.sort()
    return customers, vehicles


def _reserve_codes(count: int) -> list[str]:
    """``count`` new owner codes C100001... from the gapless customer series, taken in one step."""
    from workshop.reception import next_number
    if count == 0:
        return []
    first = next_number("customer", 100001)
    OrderCounter.update(next_value=OrderCounter.next_value + count - 1).where(OrderCounter.name == "customer").execute()
    return [f"C{first + i}" for i in range(count)]


def _write_customers(customers: dict, vehicles: list, table: TableFile, by: Staff, progress: Progress) -> None:
    by = require(by, "import_data")  # again at the moment of writing
    now = clock.now()
    new = [c for c in customers.values() if c["id"] is None]
    generated = iter(_reserve_codes(sum(1 for c in new if not c["code"])))
    for c in new:
        c["code"] = c["code"] or next(generated)
    total = len(new) + len(vehicles)
    done = 0
    for chunk in _chunks(new):
        _insert(Customer, [dict(c["data"], code=c["code"], created_at=now, version=1,  # keys as Customer.save keeps
                                **customer_keys(c["data"]["name"], c["data"]["kind"], c["data"]["birthday"]))
                           for c in chunk])
        done += len(chunk)
        progress(_("writing"), done, total)
    ids = {}
    for chunk in _chunks([c["code"] for c in new]):
        ids.update(Customer.select(Customer.code, Customer.id).where(Customer.code.in_(chunk)).tuples())
    for c in new:
        c["id"] = ids[c["code"]]
    _bump_counter_past([c["code"] for c in new])
    for chunk in _chunks(vehicles):
        _insert(Vehicle, [dict(v["data"], customer=customers[v["mobile"]]["id"], version=1) for v in chunk])
        done += len(chunk)
        progress(_("writing"), done, total)
    audit.record(by, "customers_imported", "customer", 0,
                 Phrase(N_("Imported {customers} customers and {vehicles} vehicles from {file}"), customers=len(new),
                        vehicles=len(vehicles), file=table.name),
                 after={"file": table.name, "encoding": table.encoding, "customers": len(new),
                        "vehicles": len(vehicles), "rows": len(table.rows)})
    progress(_("writing"), total, total)


def _insert(model, rows: list[dict]) -> None:
    """Many rows of one model with the same columns: one statement made once and executed for each row (Peewee
    took half a second to build the SQL of a 500-row insert_many, longer than writing it)."""
    if not rows:
        return
    defaults = {f.name: (f.default() if callable(f.default) else f.default) for f in model._meta.sorted_fields
                if not f.primary_key and f.name not in rows[0] and f.default is not None}
    rows = [dict(defaults, **row) for row in rows] if defaults else rows
    fields = [model._meta.fields[name] for name in rows[0]]
    sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(model._meta.table_name,
                                                     ", ".join(f'"{f.column_name}"' for f in fields),
                                                     ", ".join([db.param] * len(fields)))
    db.cursor().executemany(sql, [[f.db_value(row[f.name]) for f in fields] for row in rows])


def _bump_counter_past(codes: list[str]) -> None:
    """Codes brought from the old system (C123456) are never handed out again by the series."""
    numbers = [int(c[1:]) for c in codes if re.fullmatch(r"C\d{1,15}", c)]
    if not numbers:
        return
    counter = OrderCounter.get_or_none(OrderCounter.name == "customer")
    if counter is None:
        OrderCounter.create(name="customer", next_value=max(numbers) + 1)
    elif counter.next_value <= max(numbers):
        OrderCounter.update(next_value=max(numbers) + 1).where(OrderCounter.id == counter.id).execute()


# --- operations catalog -------------------------------------------------------------------------------------------

def import_operations(path: str | Path, *, by: Staff, dry_run: bool = False,
                      progress: Progress | None = None) -> ImportReport:
    """The operations catalog with kits per series from a CSV or .xlsx file (see the module docstring)."""
    require(by, "import_data")
    import time
    started = time.perf_counter()
    progress = progress or _quiet
    table, report, index = opened("operations", path, dry_run, OPERATION_ALIASES, OPERATION_COLUMNS, OPERATION_REQUIRED)
    if index is None:
        return report
    operations: dict[str, dict] = {}
    kits: list[tuple[str, str, list, int]] = []   # (operation code, series, [(part code, qty)], line)
    total = len(table.rows)
    for done, (line, cells) in enumerate(table.rows, start=1):
        raw = row_values(cells, index)
        try:
            code = (raw.get("code") or "").strip().upper()
            if code in operations:
                first = operations[code]["raw"]
                clash = [c for c in ("name", "name_zh", "trade", "standard_hours", "price_class", "business_type",
                                     "applies_to") if (raw.get(c) or "").strip() and raw.get(c) != first.get(c)]
                if clash:
                    raise InvalidInput(_("{code} is already on line {line}: a repeated code only adds a kit "
                                         "(differs in {columns}).").format(code=code, line=operations[code]["line"],
                                                                          columns=", ".join(clash)), "code")
            else:
                trade = (raw.get("trade") or "").strip()
                btype = (raw.get("business_type") or "").strip()
                form = OperationForm(code=code, name=raw.get("name", ""), name_zh=raw.get("name_zh", ""),
                                     trade=TRADES.get(trade, trade.lower()),
                                     standard_hours=raw.get("standard_hours", ""),
                                     price_class=raw.get("price_class", "") or "standard",
                                     business_type=BUSINESS_TYPES.get(btype, btype.lower()),
                                     applies_to=(raw.get("applies_to") or "").replace(";", ","))
                data, series = validate_operation(form)
                operations[code] = {"data": data, "series": series, "line": line, "raw": raw}
            if (raw.get("kit") or "").strip():
                series = (raw.get("kit_series") or "").strip()
                if any(k[0] == code and k[1].casefold() == series.casefold() for k in kits):
                    raise InvalidInput(_("{code} has two kits for {series}.").format(
                        code=code, series=series or _("every series")), "kit")
                kits.append((code, series, kit_items(raw["kit"]), line))
        except InvalidInput as error:
            report.rejected.append((line, _reason(error)))
        if done % 200 == 0 or done == total:
            progress(_("checking"), done, total)
    taken = {c for (c,) in Operation.select(Operation.code).where(Operation.code.in_(list(operations))).tuples()} \
        if operations else set()
    for code in sorted(taken):
        report.rejected.append((operations[code]["line"], _("Operation code {code} is already in the catalog.")
                                .format(code=code)))
    part_codes = sorted({pc for _c, _s, items, _l in kits for pc, _q in items})
    parts = {}
    for chunk in _chunks(part_codes):
        parts.update((p.code, p) for p in Part.select().where(Part.code.in_(chunk)))
    for _code, _series, items, line in kits:
        missing = [pc for pc, _q in items if pc not in parts]
        if missing:
            report.rejected.append((line, _("Not in the parts catalog: {codes}.").format(codes=", ".join(missing))))
        whole = [pc for pc, q in items if pc in parts and parts[pc].unit in ("pc", "set") and q != q.to_integral()]
        if whole:
            report.rejected.append((line, _("{code} is counted in whole {unit}.").format(
                code=whole[0], unit=parts[whole[0]].unit)))
    report.rejected.sort()
    report.created = {"operations": len(operations), "kits": len(kits)}
    if report.ok and not dry_run:
        def work():
            nonlocal by
            by = require(by, "import_data")  # again at the moment of writing
            made = {}
            for n, (code, op) in enumerate(operations.items(), start=1):
                made[code] = insert_operation(op["data"], op["series"], by=by)
                progress(_("writing"), n, len(operations))
            for code, series, items, _line in kits:
                replace_kit(made[code], series, [(parts[pc], Decimal(q)) for pc, q in items], by=by)
            audit.record(by, "operations_imported", "operation", 0,
                         Phrase(N_("Imported {operations} operations and {kits} kits from {file}"),
                                operations=len(operations), kits=len(kits), file=table.name),
                         after={"file": table.name, "operations": len(operations), "kits": len(kits)})
        run_write(work)
    report.seconds = time.perf_counter() - started
    return report


def describe(report: ImportReport) -> str:
    """One line saying what an import did (or would do), in the reader's language."""
    counts = ", ".join(f"{i18n.number(n)} {_(KIND_WORDS.get(k, k))}" for k, n in report.created.items())
    if not report.ok:
        return i18n.ngettext("Nothing imported: {count} row refused.", "Nothing imported: {count} rows refused.",
                             len(report.rejected)).format(count=len(report.rejected))
    if report.dry_run:
        return _("Dry run of {file} ({encoding}): every row is fine; it would import {counts}.").format(
            file=report.file, encoding=report.encoding, counts=counts)
    return _("Imported from {file} ({encoding}): {counts} in {seconds} s.").format(
        file=report.file, encoding=report.encoding, counts=counts, seconds=f"{report.seconds:.1f}")


KIND_WORDS = {"customers": i18n.N_("customers"), "vehicles": i18n.N_("vehicles"), "operations": i18n.N_("operations"),
              "kits": i18n.N_("kits"), "parts": i18n.N_("parts")}

__all__ = ["import_customers", "import_operations", "ImportReport", "describe", "CUSTOMER_COLUMNS",
           "OPERATION_COLUMNS", "db"]
