"""Pricing on worked examples, each written out by hand."""
from decimal import Decimal as D

from workshop.pricing import Bill, cents, fee_line, labor_line, parts_line


def test_half_up_rounding_once_per_line():
    assert cents(D("0.125")) == D("0.13") and cents(D("0.124")) == D("0.12") and cents(D("2.675")) == D("2.68")


def test_vip_customer_discounts_labor_and_parts_per_line():
    # Labor: 1.5 h x 180.00 = 270.00; VIP labor discount 15% -> 270.00 x 0.85 = 229.50
    # Parts: 3 x 33.33 = 99.99; material discount 8% -> 99.99 x 0.92 = 91.9908 -> 91.99
    # Oil: 4.5 L x 68.00 = 306.00; 8% -> 281.52
    bill = Bill([labor_line("ME001", "Front brake pads", "1.5", "180", "customer", "15"),
                 parts_line("BP-1", "Brake pads", "3", "33.33", "customer", "8"),
                 parts_line("OIL", "Engine oil", "4.5", "68", "customer", "8")], tax_rate=D("13"), tax_included=True)
    assert [l.charged for l in bill.lines] == [D("229.50"), D("91.99"), D("281.52")]
    assert bill.labor_receivable == D("270.00") and bill.parts_receivable == D("405.99")
    assert bill.total == D("603.01")  # 229.50 + 91.99 + 281.52
    # Tax contained in 603.01 at 13%: 603.01 x 13 / 113 = 69.3728... -> 69.37
    assert bill.tax == D("69.37")


def test_fees_and_tax_added_when_prices_exclude_tax():
    # Labor 2 h x 120 = 240.00; management fee 30.00; towing 150.00 -> 420.00 net
    # VAT 13% on 420.00 = 54.60 -> total 474.60
    bill = Bill([labor_line("QS002", "5,000 km service", "2", "120", "customer"),
                 fee_line("management", "Management fee", "30"), fee_line("towing", "Towing", "150")],
                tax_rate=D("13"), tax_included=False)
    assert bill.fees == D("180.00") and bill.tax == D("54.60") and bill.total == D("474.60")
    assert bill.shares["customer"] == D("474.60")


def test_insurer_pays_assessed_amount_less_deductible_customer_pays_deductible_and_excess():
    # Insurer lines: body 5 h x 160 = 800.00, bumper 1 x 1880 = 1880.00 -> 2680.00
    # Assessed 2500.00, deductible 500.00:
    #   insurer pays 2500.00 - 500.00 = 2000.00
    #   customer pays 500.00 + (2680.00 - 2500.00) = 680.00
    bill = Bill([labor_line("BD001", "Front bumper repair", "5", "160", "insurer"),
                 parts_line("BMF", "Front bumper cover", "1", "1880", "insurer")],
                tax_rate=D("13"), tax_included=True, assessed_amount=D("2500"), deductible=D("500"))
    assert bill.shares["insurer"] == D("2000.00") and bill.shares["customer"] == D("680.00")
    assert bill.total == D("2680.00")


def test_warranty_lines_go_to_the_manufacturer_and_discounts_do_not_apply_to_them():
    bill = Bill([labor_line("ME030", "Hybrid system inspection", "1.5", "180", "manufacturer", "15"),
                 labor_line("QS001", "Oil change", "0.5", "120", "customer", "15")], tax_rate=D("13"),
                tax_included=True)
    # 1.5 x 180 = 270.00 to the maker (no discount); 0.5 x 120 = 60.00 less 15% = 51.00 customer
    assert bill.shares["manufacturer"] == D("270.00") and bill.shares["customer"] == D("51.00")


def test_extra_discount_is_one_rounded_line_on_the_customers_labor_and_parts():
    # 1 h x 180 = 180.00, parts 1 x 99.99 = 99.99 -> 279.99; 5% = 13.9995 -> 14.00
    bill = Bill([labor_line("ME001", "Brakes", "1", "180", "customer"), parts_line("P", "Pads", "1", "99.99",
                                                                                   "customer"),
                 fee_line("management", "Management fee", "20")],
                tax_rate=D("13"), tax_included=True, extra_discount_pct=D("5"))
    assert bill.discount == D("14.00") and bill.total == D("285.99")  # 279.99 + 20.00 - 14.00


def test_internal_comeback_lines_cost_the_workshop_not_the_customer():
    bill = Bill([labor_line("ME001", "Brakes again", "1", "180", "internal")], tax_rate=D("13"), tax_included=True)
    assert bill.shares["customer"] == D("0.00") and bill.shares["internal"] == D("180.00")
