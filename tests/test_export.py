"""Lists exported to CSV and Excel: translated headers, numbers as numbers, text never a formula."""
import csv
from decimal import Decimal as D

from openpyxl import load_workbook

from models.people import Customer
from workshop import export
from workshop import settlement as s
from workshop.i18n import Words


def owing_order(shop):
    customer = Customer.get_by_id(shop.customer.id)
    customer.name = "=HYPERLINK(\"x\")陈小明"  # typed at reception: a name, never a formula
    customer.save()
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "cash", "10", by=shop.cashier)
    s.settle(order.id, by=shop.cashier)
    return order


def test_receivables_to_xlsx_with_chinese_headers_and_amounts_as_numbers(shop, tmp_path):
    order = owing_order(shop)
    rows = s.receivables()
    path = export.export("receivables", rows, tmp_path / "receivables.xlsx", words=Words("zh_CN"))
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header == ["维修单号", "车牌号", "客户", "手机", "结算日期", "欠款", "天数"]
    values = [c.value for c in sheet[2]]
    assert values[0] == order.number and values[1] == "粤B12345"
    assert values[2] == "=HYPERLINK(\"x\")陈小明" and sheet.cell(row=2, column=3).data_type == "s"
    assert values[5] == float(D("50.00")) and sheet.cell(row=2, column=6).number_format == "#,##0.00"


def test_cashier_queue_to_csv_in_english_with_codes_written_as_names(shop, tmp_path):
    shop.ready_for_settlement()
    path = export.export("cashier_queue", s.cashier_queue(), tmp_path / "queue.csv", words=Words("en"))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["RO", "Plate", "Customer", "Business type", "State", "Ready since"]
    assert rows[1][1:5] == ["粤B12345", "Wang Wei", "maintenance", "Ready for settlement"]


def test_text_that_looks_like_a_formula_is_quoted_in_csv(shop, tmp_path):
    owing_order(shop)
    path = export.export("receivables", s.receivables(), tmp_path / "r.csv", words=Words("zh_CN"))
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "维修单号"
    assert rows[1][2] == "'=HYPERLINK(\"x\")陈小明" and rows[1][5] == "50.00"


async def test_cashier_exports_the_queue_from_the_command_palette(shop, tmp_path):
    from tests.ui import app_as, wait_until
    from workshop import settings
    settings.put("invoice_dir", str(tmp_path / "inv"), by=shop.manager)
    shop.ready_for_settlement()
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "CashierScreen")
        assert any(c.title == "Export this list" for c in app.get_system_commands(app.screen))
        app.action_export_list()
        await wait_until(pilot, lambda: len(list((tmp_path / "exports").glob("cashier_queue-*"))) == 2)
    book = load_workbook(next((tmp_path / "exports").glob("cashier_queue-*.xlsx"))).active
    assert book.cell(row=2, column=2).value == "粤B12345"
