"""The bill of a repair order, computed from plain values (no database): pure functions.

The rule, in the order it is applied (every amount is a ``Decimal``; never a float):

1. **Labor line**: receivable = billed hours x rate, rounded to the cent (ROUND_HALF_UP).
   **Part line**: receivable = quantity used x unit sale price, rounded to the cent.
2. **Discount per line**: the line's own discount percent if it has one, otherwise the customer
   class's labor (labor lines) or material (part lines) discount percent; class discounts apply
   only to lines the customer pays. discount = receivable x percent / 100, rounded to the cent;
   charged = receivable - discount.
   2a. **Maintenance packages**: the job lines and kit parts a package covers are listed at their own
   price with a 100% discount, and the package is one labour line at its price (unit "pkg"), which
   class discounts do not reduce: the package price is already the deal.
3. **Fees** (management, auxiliary materials, sublet, towing/rescue, other) are lines of their own,
   charged as entered (already in cents).
4. **Extra discount (adjustment)** on the customer's share, one line: a percent of the customer's
   charged lines and fees (rounded to the cent) or an amount; it cannot exceed that share.
5. **Tax** (VAT at the shop's rate), one line per payer: with tax-inclusive prices the tax
   contained in the payer's amount, amount x rate / (100 + rate); with tax-exclusive prices the
   tax added, amount x rate / 100; each rounded to the cent. Gross per payer = amount (+ tax when
   exclusive).
6. **Insurance**: of what the insurer's lines come to (gross), the insurer pays up to the assessed
   amount (all of it when none is set) less the deductible; the customer pays the deductible and
   anything above the assessed amount. Warranty lines are paid by the manufacturer, internal and
   comeback lines by the workshop (payer "internal").

Rounding happens once per line; every total is a sum of rounded lines, so the invoice always adds up.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
PAYERS = ("customer", "insurer", "manufacturer", "internal")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up (0.005 -> 0.01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LaborItem:
    code: str
    name: str
    hours: Decimal
    rate: Decimal
    payer: str = "customer"
    discount_pct: Decimal = Decimal("0")  # the line's own discount; 0 = use the class discount
    unit: str = "h"
    class_discount: bool = True           # False: a package's price, which the class does not reduce


@dataclass(frozen=True)
class PartItem:
    code: str
    name: str
    qty: Decimal
    unit: str
    unit_price: Decimal
    payer: str = "customer"
    discount_pct: Decimal = Decimal("0")


@dataclass(frozen=True)
class FeeItem:
    kind: str  # management, auxiliary, sublet, towing, other
    description: str
    amount: Decimal
    payer: str = "customer"


@dataclass(frozen=True)
class BillLine:
    section: str  # labor, parts
    code: str
    name: str
    quantity: Decimal  # hours or quantity
    unit: str
    price: Decimal  # rate or unit price
    receivable: Decimal
    discount_pct: Decimal
    discount: Decimal
    charged: Decimal
    payer: str


@dataclass(frozen=True)
class PricingTerms:
    labor_discount_pct: Decimal = Decimal("0")     # the customer class's
    material_discount_pct: Decimal = Decimal("0")
    tax_rate: Decimal = Decimal("13")
    prices_include_tax: bool = True
    assessed_amount: Decimal | None = None          # insurance
    deductible: Decimal | None = None
    adjustment_pct: Decimal | None = None           # extra discount on the customer's share
    adjustment_amount: Decimal | None = None


@dataclass
class Bill:
    lines: list[BillLine]
    fees: list[FeeItem]
    terms: PricingTerms
    labor_receivable: Decimal = ZERO
    labor_charged: Decimal = ZERO
    parts_receivable: Decimal = ZERO
    parts_charged: Decimal = ZERO
    fees_by_kind: dict[str, Decimal] = field(default_factory=dict)
    fees_total: Decimal = ZERO
    adjustment: Decimal = ZERO  # positive: taken off the customer's share
    tax: Decimal = ZERO
    tax_by_payer: dict[str, Decimal] = field(default_factory=dict)
    shares: dict[str, Decimal] = field(default_factory=dict)  # gross, after the insurance split
    total: Decimal = ZERO

    @property
    def customer_share(self) -> Decimal:
        return self.shares.get("customer", ZERO)

    @property
    def labor_lines(self) -> list[BillLine]:
        return [line for line in self.lines if line.section == "labor"]

    @property
    def part_lines(self) -> list[BillLine]:
        return [line for line in self.lines if line.section == "parts"]


def _line(section, code, name, quantity, unit, price, payer, own_pct, class_pct, class_applies=True) -> BillLine:
    receivable = cents(Decimal(quantity) * Decimal(price))
    pct = Decimal(own_pct or 0)
    if pct == 0 and payer == "customer" and class_applies:
        pct = Decimal(class_pct or 0)
    discount = cents(receivable * pct / HUNDRED)
    return BillLine(section, code, name, Decimal(quantity), unit, Decimal(price), receivable, pct, discount,
                    receivable - discount, payer)


def labor_line(item: LaborItem, terms: PricingTerms) -> BillLine:
    return _line("labor", item.code, item.name, item.hours, item.unit, item.rate, item.payer, item.discount_pct,
                 terms.labor_discount_pct, item.class_discount)


def part_line(item: PartItem, terms: PricingTerms) -> BillLine:
    return _line("parts", item.code, item.name, item.qty, item.unit, item.unit_price, item.payer,
                 item.discount_pct, terms.material_discount_pct)


def tax_of(amount: Decimal, rate: Decimal, inclusive: bool) -> Decimal:
    """The VAT line of one payer's amount, rounded to the cent."""
    rate = Decimal(rate)
    if inclusive:
        return cents(amount * rate / (HUNDRED + rate))
    return cents(amount * rate / HUNDRED)


def adjustment_of(customer_amount: Decimal, terms: PricingTerms) -> Decimal:
    """The extra discount off the customer's share (never more than the share)."""
    if terms.adjustment_pct:
        value = cents(customer_amount * Decimal(terms.adjustment_pct) / HUNDRED)
    elif terms.adjustment_amount:
        value = cents(Decimal(terms.adjustment_amount))
    else:
        return ZERO
    return max(ZERO, min(value, customer_amount))


def split_insurance(insured_gross: Decimal, assessed: Decimal | None, deductible: Decimal | None):
    """(insurer pays, customer pays) of what the insurer's lines come to."""
    cap = insured_gross if assessed is None else min(Decimal(assessed), insured_gross)
    own = min(Decimal(deductible or 0), cap)
    insurer = cap - own
    return insurer, insured_gross - insurer


def compute_bill(labor: list[LaborItem], parts: list[PartItem], fees: list[FeeItem],
                 terms: PricingTerms) -> Bill:
    """The whole bill: lines, section totals, fees, extra discount, tax and who pays what."""
    lines = [labor_line(i, terms) for i in labor] + [part_line(i, terms) for i in parts]
    bill = Bill(lines=lines, fees=list(fees), terms=terms)
    for line in lines:
        if line.section == "labor":
            bill.labor_receivable += line.receivable
            bill.labor_charged += line.charged
        else:
            bill.parts_receivable += line.receivable
            bill.parts_charged += line.charged
    for kind in ("management", "auxiliary", "sublet", "towing", "other"):
        bill.fees_by_kind[kind] = sum((cents(f.amount) for f in fees if f.kind == kind), ZERO)
    bill.fees_total = sum(bill.fees_by_kind.values(), ZERO)

    amounts = {payer: ZERO for payer in PAYERS}
    for line in lines:
        amounts[line.payer] = amounts.get(line.payer, ZERO) + line.charged
    for fee in fees:
        amounts[fee.payer] = amounts.get(fee.payer, ZERO) + cents(fee.amount)
    bill.adjustment = adjustment_of(amounts["customer"], terms)
    amounts["customer"] -= bill.adjustment

    gross = {}
    for payer, amount in amounts.items():
        tax = tax_of(amount, terms.tax_rate, terms.prices_include_tax)
        bill.tax_by_payer[payer] = tax
        gross[payer] = amount if terms.prices_include_tax else amount + tax
    bill.tax = sum(bill.tax_by_payer.values(), ZERO)

    if gross.get("insurer", ZERO) > 0:
        insurer, customer = split_insurance(gross["insurer"], terms.assessed_amount, terms.deductible)
        gross["insurer"] = insurer
        gross["customer"] += customer
    bill.shares = gross
    bill.total = sum(gross.values(), ZERO)
    return bill
