"""What work will cost before it is done (估價): catalog operations at the shop's labour rates with their
parts kits at today's sale prices, the customer class's discounts and VAT, through workshop/pricing.py.
Used for an appointment's estimate and for the quote of each job line the customer approves."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from models.parts import Part
from models.shop import STANDARD_PRICE_CLASS, MaintenancePackage, Operation
from workshop import settings
from workshop.pricing import Bill, LaborItem, PartItem, PricingTerms, compute_bill, labor_line, part_line

ZERO = Decimal("0")


def kit(operation_id: int, series: str | None = None) -> list[tuple[Part, Decimal]]:
    """The parts an operation brings for a car of ``series`` (its kit for that series, else its general kit;
    workshop/catalog.kit_for), parts still stocked."""
    from workshop.catalog import kit_for  # (not on the board's import path: a terminal's cold start)
    wanted = kit_for(operation_id, series)
    parts = {p.id: p for p in Part.select().where(Part.id.in_([pid for pid, _qty in wanted]))} if wanted else {}
    return [(parts[pid], Decimal(qty)) for pid, qty in wanted if pid in parts]


def terms(customer_id: int, on: dt.date | None = None) -> PricingTerms:
    """The customer's class discounts while the class is valid on ``on`` (today), and the shop's VAT (no extra
    discount: that is agreed at the bill)."""
    from workshop.customer_file import class_discounts  # (phonenumbers: not on a cold start's path)
    klass = class_discounts(customer_id, on or dt.date.today())
    if klass is not None and not klass.valid:
        klass = None
    return PricingTerms(labor_discount_pct=Decimal(klass.labor_discount) if klass else ZERO,
                        material_discount_pct=Decimal(klass.material_discount) if klass else ZERO,
                        tax_rate=Decimal(str(settings.get("vat_rate"))),
                        prices_include_tax=bool(settings.get("prices_include_tax")))


def quote(customer_id: int, work: list[tuple[Operation, Decimal]], extra_parts: list[tuple[Part, Decimal]] = (),
          *, packages: list[tuple[MaintenancePackage, list[Operation]]] = (), payer: str = "customer",
          series: str | None = None, on: dt.date | None = None) -> Bill:
    """The bill this work would come to: each (operation, billed hours) at its trade's rate with its kit, each
    maintenance package at its price (its operations and kits listed, covered by the price, as reception bills
    them), and extra parts, for this customer."""
    from workshop.rates import rates_by_key
    from workshop.settlement import IN_PACKAGE
    table = rates_by_key()
    labor, items = [], []

    def add(op: Operation, hours, discount: Decimal) -> None:
        labor.append(LaborItem(op.code, op.name, Decimal(hours),
                               table.get((op.trade, op.price_class or STANDARD_PRICE_CLASS), ZERO), payer, discount))
        items.extend(PartItem(part.code, part.name, qty, part.unit, Decimal(part.sale_price), payer, discount)
                     for part, qty in kit(op.id, series))

    for op, hours in work:
        add(op, hours, ZERO)
    for package, ops in packages:
        for op in ops:
            add(op, op.standard_hours, IN_PACKAGE)
        labor.append(LaborItem(package.code, package.name, Decimal("1"), Decimal(package.price), payer, unit="pkg",
                               class_discount=False))
    items += [PartItem(part.code, part.name, Decimal(qty), part.unit, Decimal(part.sale_price), payer)
              for part, qty in extra_parts]
    return compute_bill(labor, items, [], terms(customer_id, on))


def line_amount(hours: Decimal, rate: Decimal, payer: str, parts: list[tuple[str, str, Decimal, str, Decimal]],
                pricing: PricingTerms) -> Decimal:
    """What one job line comes to, charged after the class discount: its labour and its parts, each
    (code, name, qty, unit, unit price). VAT is inside the prices when the shop's prices include it."""
    total = labor_line(LaborItem("", "", Decimal(hours), Decimal(rate), payer), pricing).charged
    for code, name, qty, unit, price in parts:
        total += part_line(PartItem(code, name, Decimal(qty), unit, Decimal(price), payer), pricing).charged
    return total
