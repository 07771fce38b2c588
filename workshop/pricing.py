"""Pricing: the bill of a repair order, to the cent, by stated rules.

The rules:
- labor line: receivable = billed hours x rate; parts line: receivable = quantity used x sale price;
- the customer class's labor / material discount % applies to lines the customer pays;
  charged = receivable x (100 - discount) / 100;
- every amount is a Decimal rounded ONCE, per line, to the cent, ROUND_HALF_UP; totals are sums of
  rounded lines, never re-rounded;
- fees (management, auxiliary materials, sublet, towing, other) are charged as entered;
- an extra discount from pre-settlement is one line: -(customer's labor + parts charged) x pct, rounded;
- tax: prices include VAT by default (setting prices_include_tax): the tax contained in each payer's
  share is stated, rounded once per payer: share x rate / (100 + rate). When prices exclude tax, the same
  rounding gives share x rate / 100, added to that payer's share;
- who pays: each line has a payer (customer, insurer, manufacturer, internal). For insurance repairs the
  insurer pays the assessed amount less the deductible; the customer pays the deductible and anything
  above the assessment. Internal lines (comebacks, internal orders) are the workshop's cost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
PAYERS = ("customer", "insurer", "manufacturer", "internal")


def cents(value: Decimal) -> Decimal:
    """The one rounding rule: to the cent, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    section: str  # labor, parts, fee, discount
    code: str
    description: str
    qty: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    payer: str
    receivable: Decimal
    charged: Decimal


def labor_line(code, description, hours, rate, payer, discount_pct=ZERO) -> Line:
    gross = Decimal(hours) * Decimal(rate)
    pct = Decimal(discount_pct) if payer == "customer" else ZERO
    return Line("labor", code, description, Decimal(hours), Decimal(rate), pct, payer, cents(gross),
                cents(gross * (HUNDRED - pct) / HUNDRED))


def parts_line(code, description, qty, price, payer, discount_pct=ZERO) -> Line:
    gross = Decimal(qty) * Decimal(price)
    pct = Decimal(discount_pct) if payer == "customer" else ZERO
    return Line("parts", code, description, Decimal(qty), Decimal(price), pct, payer, cents(gross),
                cents(gross * (HUNDRED - pct) / HUNDRED))


def fee_line(kind, description, amount, payer="customer") -> Line:
    amount = cents(Decimal(amount))
    return Line("fee", kind, description, Decimal(1), amount, ZERO, payer, amount, amount)


@dataclass
class Bill:
    lines: list[Line]
    tax_rate: Decimal
    tax_included: bool
    extra_discount_pct: Decimal = ZERO
    assessed_amount: Decimal | None = None
    deductible: Decimal | None = None
    discount_line: Line | None = field(init=False, default=None)

    def __post_init__(self):
        pct = Decimal(self.extra_discount_pct or 0)
        if pct:
            base = sum((l.charged for l in self.lines if l.payer == "customer" and l.section in ("labor", "parts")),
                       ZERO)
            amount = cents(base * pct / HUNDRED)
            self.discount_line = Line("discount", "EXTRA", f"Extra discount {pct}%", Decimal(1), -amount, ZERO,
                                      "customer", ZERO, -amount)

    @property
    def all_lines(self) -> list[Line]:
        return self.lines + ([self.discount_line] if self.discount_line else [])

    def _sum(self, section: str, attr: str) -> Decimal:
        return sum((getattr(l, attr) for l in self.all_lines if l.section == section), ZERO)

    labor_receivable = property(lambda self: self._sum("labor", "receivable"))
    labor_charged = property(lambda self: self._sum("labor", "charged"))
    parts_receivable = property(lambda self: self._sum("parts", "receivable"))
    parts_charged = property(lambda self: self._sum("parts", "charged"))
    fees = property(lambda self: self._sum("fee", "charged"))
    discount = property(lambda self: -self._sum("discount", "charged"))

    def _payer_net(self) -> dict[str, Decimal]:
        shares = {p: ZERO for p in PAYERS}
        for line in self.all_lines:
            shares[line.payer] += line.charged
        if self.deductible is not None or self.assessed_amount is not None:
            insured = shares["insurer"]
            assessed = insured if self.assessed_amount is None else min(insured, cents(self.assessed_amount))
            deductible = min(cents(self.deductible or ZERO), assessed)
            shares["insurer"] = assessed - deductible
            shares["customer"] += deductible + (insured - assessed)
        return shares

    def _tax_of(self, share: Decimal) -> Decimal:
        rate = Decimal(self.tax_rate)
        return cents(share * rate / (HUNDRED + rate)) if self.tax_included else cents(share * rate / HUNDRED)

    @property
    def shares(self) -> dict[str, Decimal]:
        """What each payer owes, tax included."""
        net = self._payer_net()
        if self.tax_included:
            return net
        return {p: amount + self._tax_of(amount) for p, amount in net.items()}

    @property
    def tax(self) -> Decimal:
        return sum((self._tax_of(amount) for amount in self._payer_net().values()), ZERO)

    @property
    def total(self) -> Decimal:
        return sum(self.shares.values(), ZERO)


__all__ = ["cents", "Line", "Bill", "labor_line", "parts_line", "fee_line", "PAYERS"]
