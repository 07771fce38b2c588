"""The settlement documents: the 结算单 as PDF with its Chinese fields, receipts laid out in display cells,
reprints that show what was really received, English documents by the shop's setting."""
from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from rich.cells import cell_len

from models.people import Customer
from workshop import invoice, settings
from workshop import settlement as s

LONG_SHOP = "广州江畔丰田汽车销售服务有限公司"


@pytest.fixture
def chinese_shop(shop):
    """The small shop with its name, address and tax number set, and a customer with a Chinese name."""
    for key, value in (("shop_name", LONG_SHOP), ("shop_address", "广州市天河区江畔路88号"),
                       ("shop_phone", "020-8888 6688"), ("shop_tax_number", "91440101MA5CXXXX8M")):
        settings.put(key, value, by=shop.manager)
    customer = Customer.get_by_id(shop.customer.id)
    customer.name = "陈小明"
    customer.save()
    from models.shop import Operation
    Operation.update(name_zh="更换机油机滤").where(Operation.code == "QS001").execute()
    return shop


def test_receipt_with_a_chinese_company_name_is_exactly_42_cells_wide(chinese_shop):
    shop = chinese_shop
    company = Customer.get_by_id(shop.vip_customer.id)
    company.name = "广州珠江物流运输集团有限公司第一分公司"  # 38 cells on its own: wrapped, never cut
    company.save()
    order = shop.settled(shop.car2)
    text = invoice.receipt_text(s.current_invoice(order.id).id)
    widths = [cell_len(line) for line in text.splitlines()]
    assert max(widths) == 42, "\n".join(f"{w:3} {line}" for w, line in zip(widths, text.splitlines()))
    joined = text.replace("\n", "").replace(" ", "")
    assert "广州珠江物流运输集团有限公司第一分公司" in joined and LONG_SHOP in joined
    assert "结算单 000001" in text and "客户签字" in text


def test_settlement_form_pdf_embeds_a_chinese_font_and_pdftotext_shows_the_chinese_fields(chinese_shop, tmp_path):
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is needed: .ci/run installs it"
    order = chinese_shop.settled()
    pdf = invoice.settlement_form_pdf(s.current_invoice(order.id).id)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for field in ("结算单", LONG_SHOP, "广州市天河区江畔路88号", "税号", "91440101MA5CXXXX8M", "陈小明", "粤B12345",
                  "LVGBM53KXRG000001", "发动机号", "M20A-123456", "进厂日期", "进厂里程", "20,000 km", "业务类型",
                  "保养", "更换机油机滤", "工时应收", "工时实收", "材料应收", "管理费", "救援/拖车费", "合计", "客户应付",
                  "已收金额", "本次收款", "欠款", "收款明细", "刷卡", "60.00", "客户签字"):
        assert field in text, field
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts or "WenQuanYi" in fonts, fonts
    assert all(line.split()[-4] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded


def test_reprint_shows_everything_received_not_zero(chinese_shop):
    shop = chinese_shop
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "card", "60", by=shop.cashier)
    invoice_id = s.settle(order.id, by=shop.cashier).id
    issued = invoice.invoice_data(invoice_id)
    assert (issued["received"], issued["this_payment"], issued["outstanding"]) == (D("0"), D("60.00"), D("0"))
    again = invoice.invoice_data(invoice_id, reprint=True)
    assert (again["received"], again["this_payment"], again["outstanding"]) == (D("60.00"), D("0"), D("0"))
    text = invoice.receipt_text(invoice_id, reprint=True)
    assert "补打" in text
    received_line = next(line for line in text.splitlines() if line.startswith("已收金额"))
    assert received_line.endswith("¥60.00") or received_line.endswith("60.00"), received_line
    assert "0.00" != received_line.split()[-1]


def test_a_later_payment_gets_a_receipt_with_what_came_before_and_what_is_left(chinese_shop):
    shop = chinese_shop
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "cash", "20", by=shop.cashier)
    invoice_id = s.settle(order.id, by=shop.cashier).id
    later = s.take_payment(order.id, "mobile", "15", by=shop.cashier)
    data = invoice.invoice_data(invoice_id, later.id)
    assert (data["kind"], data["received"], data["this_payment"], data["outstanding"]) == (
        "receipt", D("20.00"), D("15.00"), D("25.00"))
    assert [p["method"] for p in data["payments"]] == ["cash", "mobile"]
    text = invoice.receipt_text(invoice_id, later.id)
    assert "收款收据" in text and "移动支付" in text and "现金" in text


def test_the_a4_page_lists_the_payment_lines(chinese_shop):
    order = chinese_shop.settled()
    page = invoice.settlement_form_html(s.current_invoice(order.id).id)
    assert "收款明细" in page and "刷卡" in page and "Hu Xin" in page and "客户签字" in page


def test_documents_are_in_english_when_the_shop_says_so_whatever_the_screen_reads(chinese_shop):
    shop = chinese_shop
    settings.put("document_language", "en", by=shop.manager)
    order = shop.settled()
    invoice_id = s.current_invoice(order.id).id
    text = invoice.receipt_text(invoice_id)
    for field in ("INVOICE 000001", "Labor receivable", "Already received", "Outstanding", "Oil and filter change",
                  "Customer's signature", "Card", "陈小明"):
        assert field in text, field
    assert "结算单" not in text


def test_names_on_the_receipt_that_do_not_fit_are_wrapped_by_cells_not_cut(chinese_shop):
    d = invoice.invoice_data(s.current_invoice(chinese_shop.settled().id).id)
    d["labor"][0]["name_zh"] = "更换机油机滤及检查底盘紧固件和所有油液液位并复位保养提示"
    text = invoice.render_text(d, 42, invoice.Words("zh_CN"))
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) == 42
    assert "".join(lines).replace(" ", "").count("复位保养提示") == 1


def test_a_machine_without_a_chinese_font_gets_a_clear_message(chinese_shop, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKSHOP_PDF_FONT", str(tmp_path / "missing.ttf"))
    order = chinese_shop.settled()
    with pytest.raises(invoice.DocumentError, match="not a font file"):
        invoice.settlement_form_pdf(s.current_invoice(order.id).id)


def test_invoice_files_are_the_receipt_the_page_and_the_pdf_made_beside_them(chinese_shop, tmp_path):
    import threading
    order = chinese_shop.settled()
    txt, page = invoice.write_invoice(s.current_invoice(order.id).id, directory=tmp_path)
    assert txt.name == "invoice-000001.txt" and "结算单 000001" in txt.read_text(encoding="utf-8")
    assert "收款明细" in page.read_text(encoding="utf-8")
    for thread in threading.enumerate():
        if thread.name == "invoice-pdf":
            thread.join(30)
    pdf = tmp_path / "invoice-000001.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and not list(tmp_path.glob("*.part"))
