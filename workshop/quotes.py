"""What work will cost before it is done (估價): catalog operations at the shop's labour rates with their
parts kits at today's sale prices, the customer class's discounts and VAT, through workshop/pricing.py.
Used for an appointment's estimate and for the quote of each job line the customer approves."""
from __future__ import annotations

from decimal import Decimal

from models.parts import OperationPart, Part
from models.people import Customer, CustomerClass
from models.shop import LaborRate, Operation
from workshop import settings
from workshop.pricing import Bill, LaborItem, PartItem, PricingTerms, compute_bill, labor_line, part_line

ZERO = Decimal("0")


def kit(operation_id: int) -> list[tuple[Part, Decimal]]:
    """The parts an operation uses (its standard parts still stocked)."""
    return [(std.part, Decimal(std.qty)) for std in
            OperationPart.select(OperationPart, Part).join(Part)
            .where((OperationPart.operation == operation_id) & (Part.active == True))]  # noqa: E712


def rates() -> dict[str, Decimal]:
    return {trade: Decimal(rate) for trade, rate in LaborRate.select(LaborRate.trade, LaborRate.rate).tuples()}


def terms(customer_id: int) -> PricingTerms:
    """The customer's class discounts and the shop's VAT (no extra discount: that is agreed at the bill)."""
    klass = (CustomerClass.select().join(Customer, on=(Customer.customer_class == CustomerClass.id))
             .where(Customer.id == customer_id).first())
    return PricingTerms(labor_discount_pct=Decimal(klass.labor_discount) if klass else ZERO,
                        material_discount_pct=Decimal(klass.material_discount) if klass else ZERO,
                        tax_rate=Decimal(str(settings.get("vat_rate"))),
                        prices_include_tax=bool(settings.get("prices_include_tax")))


def quote(customer_id: int, work: list[tuple[Operation, Decimal]], extra_parts: list[tuple[Part, Decimal]] = (),
          *, payer: str = "customer") -> Bill:
    """The bill this work would come to: each (operation, billed hours) at its trade's rate with its kit, and
    extra parts, for this customer."""
    table = rates()
    labor = [LaborItem(op.code, op.name, Decimal(hours), table.get(op.trade, ZERO), payer) for op, hours in work]
    items = [PartItem(part.code, part.name, qty, part.unit, Decimal(part.sale_price), payer)
             for op, _hours in work for part, qty in kit(op.id)]
    items += [PartItem(part.code, part.name, Decimal(qty), part.unit, Decimal(part.sale_price), payer)
              for part, qty in extra_parts]
    return compute_bill(labor, items, [], terms(customer_id))


def line_amount(hours: Decimal, rate: Decimal, payer: str, parts: list[tuple[str, str, Decimal, str, Decimal]],
                pricing: PricingTerms) -> Decimal:
    """What one job line comes to, charged after the class discount: its labour and its parts, each
    (code, name, qty, unit, unit price). VAT is inside the prices when the shop's prices include it."""
    total = labor_line(LaborItem("", "", Decimal(hours), Decimal(rate), payer), pricing).charged
    for code, name, qty, unit, price in parts:
        total += part_line(PartItem(code, name, Decimal(qty), unit, Decimal(price), payer), pricing).charged
    return total
