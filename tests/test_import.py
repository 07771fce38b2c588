"""Moving in from another system: customers with vehicles, the operations catalog and parts, from CSV in UTF-8
or GBK or from .xlsx; all or nothing, a row-by-row report, a dry run."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from models.events import Event
from models.parts import OperationPart, Part
from models.people import Customer, Vehicle
from models.shop import Operation, OperationSeries
from workshop import data_import, parts_import
from workshop.errors import InvalidInput, NotAllowed
from workshop.vins import with_check_digit

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHINESE_HEADER = "客户名称,客户类型,手机,客户分类,生日,车牌号,车架号,品牌,车系,车型,燃油类型,保险公司,保险到期日\n"


def _vin(n: int) -> str:
    return with_check_digit(f"LFV2A21K0P{n:07d}")


def test_a_gbk_file_with_chinese_headers_imports_customers_and_their_cars(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_bytes((CHINESE_HEADER
                   + f"陈小明,个人,138 0013 8000,VIP,1988-06-15,粤A12399,{_vin(1)},丰田,凯美瑞,凯美瑞 2.0,汽油,人保,2026-12-20\n"
                   + f"陈小明,个人,+86 138-0013-8000,,,粤AD67890,{_vin(2)},丰田,bZ4X,bZ4X FWD,纯电,平安,2027-02-10\n"
                   + f"珠江物流有限公司,公司,13900002222,,,粤A77777,{_vin(3)},丰田,汉兰达,汉兰达 2.5,混动,太平洋,\n")
                  .encode("gbk"))
    seen = []
    report = data_import.import_customers(f, by=shop.manager, progress=lambda step, done, total: seen.append(done))
    assert report.ok and report.encoding == "gb18030"
    assert report.created == {"customers": 2, "vehicles": 3}
    chen = Customer.get(Customer.name == "陈小明")
    assert (chen.mobile, chen.customer_class_id, chen.birthday, chen.initials) == \
        ("13800138000", shop.vip.id, dt.date(1988, 6, 15), "cxm")
    assert chen.class_until == dt.date(2027, 11, 20)          # the class's 12 months from today
    cars = {v.plate: v for v in Vehicle.select().where(Vehicle.customer == chen.id)}
    assert set(cars) == {"粤A12399", "粤AD67890"}
    assert (cars["粤AD67890"].fuel_type, cars["粤AD67890"].insurer) == ("electric", "平安")
    assert seen and seen[-1] == 5                              # 3 rows checked, then 2 customers + 3 cars written
    from workshop.customers import find_customers
    assert [h.name for h in find_customers("cxm")] == ["陈小明"]  # search keys written as Customer.save writes them
    from workshop.search import search
    assert search("粤AD67890") == [] and chen.name_key
    event = Event.get(Event.kind == "customers_imported")
    assert json.loads(event.after)["vehicles"] == 3
    assert Customer.select().count() == 4                       # the small shop's two + two


def test_a_file_with_bad_rows_imports_nothing_and_says_which_rows_and_why(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_text("name,mobile,plate,vin,brand,model,class\n"
                 f"Good One,13700001111,粤A11111,{_vin(11)},Toyota,Camry,\n"
                 f"No Phone,0000000,粤A22222,{_vin(12)},Toyota,Camry,\n"
                 f"Bad Vin,13700003333,粤A33333,LVGBM53K5RG000013,Toyota,Camry,\n"
                 f"Same Plate,13700004444,粤A11111,{_vin(14)},Toyota,Camry,\n"
                 f"Taken Plate,13700005555,粤B12345,{_vin(15)},Toyota,Camry,\n"
                 f"No Class,13700006666,粤A66666,{_vin(16)},Toyota,Camry,Gold\n", encoding="utf-8")
    report = data_import.import_customers(f, by=shop.manager)
    assert not report.ok and not report.written
    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "not a valid phone number" in reasons[3]
    assert "check digit" in reasons[4]
    assert "also on line 2" in reasons[5]
    assert "already registered" in reasons[6]
    assert "No customer class called Gold" in reasons[7]
    assert Customer.select().count() == 2 and Vehicle.select().count() == 3
    assert not Event.select().where(Event.kind == "customers_imported").exists()


def test_a_dry_run_checks_everything_and_writes_nothing(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_text(f"name,mobile,plate,vin,brand,model\nA B,13700001111,粤A11111,{_vin(21)},Toyota,Camry\n")
    report = data_import.import_customers(f, by=shop.manager, dry_run=True)
    assert report.ok and not report.written and report.created == {"customers": 1, "vehicles": 1}
    assert "would import" in data_import.describe(report)
    assert Customer.select().count() == 2


def test_an_xlsx_file_imports_with_numbers_and_dates_as_excel_keeps_them(shop, tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "mobile", "birthday", "plate", "vin", "brand", "model", "insurance_expiry"])
    sheet.append(["Li Na", 13712345678, dt.datetime(1990, 2, 3), "粤C12345", _vin(31), "Toyota", "RAV4",
                  dt.date(2026, 12, 1)])
    path = tmp_path / "customers.xlsx"
    book.save(path)
    report = data_import.import_customers(path, by=shop.manager)
    assert report.ok and report.encoding == "xlsx"
    li = Customer.get(Customer.name == "Li Na")
    assert (li.mobile, li.birthday) == ("13712345678", dt.date(1990, 2, 3))
    assert Vehicle.get(Vehicle.plate == "粤C12345").insurance_expiry == dt.date(2026, 12, 1)


def test_an_owner_already_on_file_gets_the_imported_car(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_text(f"name,mobile,plate,vin,brand,model\nWang Wei,+86 138 1234 5678,粤A55555,{_vin(41)},Toyota,Yaris\n")
    report = data_import.import_customers(f, by=shop.manager)
    assert report.ok and report.created == {"customers": 0, "vehicles": 1} and report.existing == {"customers": 1}
    assert Vehicle.get(Vehicle.plate == "粤A55555").customer_id == shop.customer.id


def test_an_imported_car_bought_seven_months_ago_is_due_its_first_service_at_once(shop, tmp_path):
    from workshop import clock, reminders
    bought = clock.today() - dt.timedelta(days=213)
    f = tmp_path / "customers.csv"
    f.write_text(f"name,mobile,plate,vin,brand,model,purchase_date,purchase_mileage\n"
                 f"Li Na,13912340000,粤A66666,{_vin(42)},Toyota,Yaris,{bought.isoformat()},10\n")
    assert data_import.import_customers(f, by=shop.manager).ok
    due = reminders.due("maintenance")
    assert [(r.plate, r.due) for r in due] == [("粤A66666", bought + dt.timedelta(days=125))]


def test_a_header_that_does_not_fit_is_refused_naming_the_columns(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_text("name,phone\nA,1\n")
    report = data_import.import_customers(f, by=shop.manager)
    assert report.rejected and "missing columns: mobile" in report.rejected[0][1]
    assert "unknown columns: phone" in report.rejected[0][1]


def test_only_managers_import_customers_and_a_missing_file_is_said(shop, tmp_path):
    with pytest.raises(NotAllowed):
        data_import.import_customers(SEEDS / "import-customers.csv", by=shop.advisor)
    with pytest.raises(InvalidInput, match="no file"):
        data_import.import_customers(tmp_path / "nope.csv", by=shop.manager)


def test_the_sample_files_import_into_an_empty_shop_with_the_sample_classes(db_path, frozen_clock):
    from tests.factories import make_staff
    from workshop.customer_classes import ClassForm, add_class
    manager = make_staff("boss", "Boss", "manager")
    add_class(ClassForm(name="Platinum", labor_discount="5"), by=manager)
    add_class(ClassForm(name="Diamond", labor_discount="10"), by=manager)
    assert parts_import.import_parts(SEEDS / "import-parts.csv", by=manager).ok
    ops = data_import.import_operations(SEEDS / "import-operations.csv", by=manager)
    assert ops.ok and ops.created == {"operations": 3, "kits": 4}
    oil = Operation.get(Operation.code == "QS101")
    assert sorted(s for (s,) in OperationSeries.select(OperationSeries.series).where(
        OperationSeries.operation == oil.id).tuples()) == ["Camry", "Highlander", "RAV4"]
    kits = {(k.series, k.part.code): k.qty for k in OperationPart.select().where(OperationPart.operation == oil.id)}
    assert kits == {("", "OF-M20A"): Decimal("1"), ("", "OIL-0W20"): Decimal("4.5"),
                    ("Highlander", "OF-A25A"): Decimal("1"), ("Highlander", "OIL-0W20"): Decimal("5")}
    customers = data_import.import_customers(SEEDS / "import-customers.csv", by=manager)
    assert customers.ok and customers.created == {"customers": 2, "vehicles": 3}
    assert Customer.get(Customer.name == "珠江物流有限公司").is_key


def test_an_operations_file_with_unknown_parts_or_a_taken_code_imports_nothing(shop, tmp_path):
    f = tmp_path / "ops.csv"
    f.write_text("code,name,trade,standard_hours,kit\n"
                 "QS900,Thing,quick_service,0.5,NOPE*1\n"
                 "QS001,Again,quick_service,0.5,\n"
                 "QS901,Other,wizardry,0.5,\n"
                 "QS900,Different name,quick_service,0.5,\n")
    report = data_import.import_operations(f, by=shop.manager)
    reasons = dict(report.rejected)
    assert "Not in the parts catalog: NOPE" in reasons[2]
    assert "QS001 is already in the catalog" in reasons[3]
    assert "Pick a trade" in reasons[4]
    assert "already on line 2" in reasons[5]
    assert Operation.select().where(Operation.code.startswith("QS9")).count() == 0


def test_a_gbk_parts_file_with_chinese_headers_and_units(shop, tmp_path):
    f = tmp_path / "parts.csv"
    f.write_bytes("配件代码,英文名称,配件名称,单位,销售价,期初数量\nOF-X1,Oil filter,机油滤清器,个,58,12\n"
                  "OIL-X,Engine oil,机油,升,78,55.5\n".encode("gbk"))
    report = parts_import.import_parts(f, by=shop.clerk)
    assert report.ok and report.imported == 2
    oil = Part.get(Part.code == "OIL-X")
    from tests.factories import stock
    assert (oil.unit, oil.name_zh, oil.initials, stock(oil).on_hand) == ("L", "机油", "jy", Decimal("55.5"))


def test_a_file_neither_utf8_nor_chinese_is_refused_not_garbled(shop, tmp_path):
    f = tmp_path / "customers.csv"
    f.write_bytes(b"name,mobile\n\xff\xfe\x00\x01\x80\x81,13700001111\n")
    with pytest.raises(InvalidInput):
        data_import.import_customers(f, by=shop.manager)
    shutil.rmtree(tmp_path, ignore_errors=True)
