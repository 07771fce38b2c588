"""Pricing on worked examples computed by hand, and the invoice adding up whatever the lines are."""
from decimal import Decimal as D

from hypothesis import given, settings as hsettings, strategies as st

from workshop.pricing import FeeItem, LaborItem, PartItem, PricingTerms, cents, compute_bill


def test_general_customer_pays_list_price_with_vat_included():
    # 1.5 h x 180.00 = 270.00 labor; 2 x 45.55 = 91.10 parts; no class discount.
    # Total 361.10, VAT inside it: 361.10 x 13 / 113 = 41.5433.. -> 41.54
    bill = compute_bill([LaborItem("ME001", "Front brake pads", D("1.5"), D("180"))],
                        [PartItem("BP-01", "Brake pads", D("2"), "set", D("45.55"))], [],
                        PricingTerms(tax_rate=D("13"), prices_include_tax=True))
    assert bill.labor_receivable == bill.labor_charged == D("270.00")
    assert bill.parts_receivable == bill.parts_charged == D("91.10")
    assert bill.total == D("361.10")
    assert bill.tax == D("41.54")
    assert bill.customer_share == D("361.10")


def test_vip_class_discounts_labor_and_material_per_line_and_vat_is_added():
    # VIP: labor 15 %, material 8 %.
    # Labor 1.25 h x 170.00 = 212.50; discount 31.875 -> 31.88 (half up); charged 180.62
    # Parts 3 x 19.99 = 59.97; discount 4.7976 -> 4.80; charged 55.17
    # Management fee 20.00 -> before tax 255.79; VAT added 13 %: 33.2527 -> 33.25; total 289.04
    bill = compute_bill([LaborItem("PT001", "Respray", D("1.25"), D("170"))],
                        [PartItem("PT-9", "Paint", D("3"), "L", D("19.99"))],
                        [FeeItem("management", "Management fee", D("20"))],
                        PricingTerms(labor_discount_pct=D("15"), material_discount_pct=D("8"), tax_rate=D("13"),
                                     prices_include_tax=False))
    labor, part = bill.lines
    assert (labor.receivable, labor.discount, labor.charged) == (D("212.50"), D("31.88"), D("180.62"))
    assert (part.receivable, part.discount, part.charged) == (D("59.97"), D("4.80"), D("55.17"))
    assert bill.labor_receivable == D("212.50") and bill.labor_charged == D("180.62")
    assert bill.parts_receivable == D("59.97") and bill.parts_charged == D("55.17")
    assert bill.fees_by_kind["management"] == D("20.00")
    assert bill.tax == D("33.25")
    assert bill.total == D("289.04") == bill.customer_share


def test_rounding_is_half_up_once_per_line():
    # 0.5 h x 100.05 = 50.025 -> 50.03 (half up; banker's rounding would give 50.02)
    # 0.5 h x 100.05 again: two lines of 50.03 = 100.06, not round(100.05) = 100.05
    bill = compute_bill([LaborItem("A", "a", D("0.5"), D("100.05")), LaborItem("B", "b", D("0.5"), D("100.05"))],
                        [], [], PricingTerms(tax_rate=D("0")))
    assert [line.charged for line in bill.lines] == [D("50.03"), D("50.03")]
    assert bill.total == D("100.06")
    assert cents(D("0.005")) == D("0.01") and cents(D("2.675")) == D("2.68")


def test_insurer_pays_assessed_amount_less_deductible_and_customer_the_rest():
    # Insurance job: labor 2 h x 160 = 320.00 + 3 h x 170 = 510.00, part 1 x 880.00, towing 150.00:
    # all insurer lines, 1,860.00 (VAT included). Assessed 1,700.00, deductible 300.00:
    # insurer pays 1,700 - 300 = 1,400.00; customer pays 300 + (1,860 - 1,700) = 460.00.
    # VAT inside 1,860.00: 1,860 x 13 / 113 = 213.982.. -> 213.98
    bill = compute_bill([LaborItem("BD001", "Bumper repair", D("2"), D("160"), payer="insurer"),
                         LaborItem("PT001", "Bumper respray", D("3"), D("170"), payer="insurer")],
                        [PartItem("BMP-1", "Front bumper", D("1"), "pc", D("880"), payer="insurer")],
                        [FeeItem("towing", "Towing", D("150"), payer="insurer")],
                        PricingTerms(labor_discount_pct=D("15"), assessed_amount=D("1700"), deductible=D("300")))
    assert bill.labor_charged == D("830.00")  # class discount is not given on the insurer's lines
    assert bill.shares["insurer"] == D("1400.00")
    assert bill.customer_share == D("460.00")
    assert bill.total == D("1860.00")
    assert bill.tax == D("213.98")


def test_warranty_lines_go_to_manufacturer_and_comeback_lines_to_the_workshop():
    # Warranty labor 1 h x 180 = 180.00 (manufacturer); internal 0.5 h x 120 = 60.00;
    # customer part 1 x 35.50 with general class: 35.50.
    bill = compute_bill([LaborItem("ME001", "Pads", D("1"), D("180"), payer="manufacturer"),
                         LaborItem("QS001", "Oil", D("0.5"), D("120"), payer="internal")],
                        [PartItem("F-1", "Filter", D("1"), "pc", D("35.50"))], [], PricingTerms())
    assert bill.shares == {"customer": D("35.50"), "insurer": D("0.00"), "manufacturer": D("180.00"),
                           "internal": D("60.00")}
    assert bill.total == D("275.50")


def test_extra_discount_percent_and_amount_come_off_the_customer_share_only():
    # Customer lines 200.00 + manufacturer 100.00; extra 5 % of 200.00 = 10.00 -> customer 190.00
    labor = [LaborItem("A", "a", D("1"), D("200")), LaborItem("W", "w", D("1"), D("100"), payer="manufacturer")]
    bill = compute_bill(labor, [], [], PricingTerms(adjustment_pct=D("5")))
    assert bill.adjustment == D("10.00") and bill.customer_share == D("190.00") and bill.total == D("290.00")
    # An amount of 12.34 -> customer 187.66; an amount above the share is capped at the share.
    assert compute_bill(labor, [], [], PricingTerms(adjustment_amount=D("12.34"))).customer_share == D("187.66")
    assert compute_bill(labor, [], [], PricingTerms(adjustment_amount=D("999"))).customer_share == D("0.00")


def test_a_line_with_its_own_discount_uses_it_instead_of_the_class_discount():
    # 1 h x 100 with its own 50 % (class gives 15 %): 50.00
    bill = compute_bill([LaborItem("A", "a", D("1"), D("100"), discount_pct=D("50"))], [], [],
                        PricingTerms(labor_discount_pct=D("15")))
    assert bill.total == D("50.00")


money = st.decimals(min_value=D("0"), max_value=D("5000"), places=2)
hours = st.decimals(min_value=D("0"), max_value=D("40"), places=2)
pct = st.decimals(min_value=D("0"), max_value=D("100"), places=2)
payers = st.sampled_from(["customer", "insurer", "manufacturer", "internal"])


@hsettings(max_examples=200, deadline=None)
@given(labor=st.lists(st.tuples(hours, money, payers, pct), max_size=6),
       parts=st.lists(st.tuples(st.decimals(min_value=D("0"), max_value=D("50"), places=3), money, payers, pct),
                      max_size=6),
       fees=st.lists(st.tuples(st.sampled_from(["management", "auxiliary", "sublet", "towing", "other"]), money,
                               payers), max_size=4),
       inclusive=st.booleans(), rate=st.sampled_from([D("0"), D("6"), D("9"), D("13")]),
       class_pct=pct, assessed=st.one_of(st.none(), money), deductible=st.one_of(st.none(), money),
       extra=st.one_of(st.none(), pct))
def test_invoice_total_is_the_sum_of_its_rounded_lines(labor, parts, fees, inclusive, rate, class_pct, assessed,
                                                       deductible, extra):
    bill = compute_bill([LaborItem("L", "l", h, r, p, d) for h, r, p, d in labor],
                        [PartItem("P", "p", q, "pc", r, p, d) for q, r, p, d in parts],
                        [FeeItem(k, k, a, p) for k, a, p in fees],
                        PricingTerms(labor_discount_pct=class_pct, material_discount_pct=class_pct, tax_rate=rate,
                                     prices_include_tax=inclusive, assessed_amount=assessed, deductible=deductible,
                                     adjustment_pct=extra))
    for line in bill.lines:
        assert line.charged == line.receivable - line.discount and line.charged == cents(line.charged) >= 0
    net = bill.labor_charged + bill.parts_charged + bill.fees_total - bill.adjustment
    assert bill.total == net + (0 if inclusive else bill.tax)
    assert bill.total == sum(bill.shares.values())
    assert all(share >= 0 and share == cents(share) for share in bill.shares.values())
