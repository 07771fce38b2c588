"""Money from others in figures: warranty recovery and rejection reasons, insurers' receivables by age.

- **recovery** per month and manufacturer: paid / claimed, over the claims first submitted that month
  (claimed as last corrected, paid as received so far): a rejection keeps it down, a payment after
  correction brings it up. The target the documents give is 95%.
- **rejection reasons**: the manufacturers' answers in the period that refused all or part of a claim,
  per reason: how many and how much was refused (a claim rejected twice counts twice: each cost work).
- **insurer aging**: what each insurer still owes, by days since the invoice (the cashier's buckets).

Claims are a few dozen a month, so their rows are grouped here rather than with engine-specific date SQL.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import JOIN, Case, fn

from models.insurance import InsurerBalance
from models.orders import RepairOrder
from models.warranty import WarrantyClaim, WarrantyPayment, WarrantyRejection
from workshop import clock
from workshop.pricing import ZERO, cents
from workshop.settlement import AGING_BUCKETS

RECOVERY_TARGET_PCT = Decimal("95")


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Recovery:
    month: str  # "2026-11"
    manufacturer: str
    claims: int
    claimed: Decimal
    paid: Decimal

    @property
    def rate_pct(self) -> Decimal | None:
        return _pct(self.paid, self.claimed)

    @property
    def on_target(self) -> bool | None:
        return None if self.rate_pct is None else self.rate_pct >= RECOVERY_TARGET_PCT


def _start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time())


def recovery(start: dt.date, end: dt.date, *, manufacturer: str | None = None) -> list[Recovery]:
    """Recovery per month and manufacturer for claims first submitted in [start, end) (one query)."""
    paid = (WarrantyPayment.select(WarrantyPayment.claim, fn.SUM(WarrantyPayment.amount).alias("paid"))
            .group_by(WarrantyPayment.claim).alias("paid_per_claim"))
    query = (WarrantyClaim.select(WarrantyClaim.first_submitted_at, WarrantyClaim.manufacturer,
                                  WarrantyClaim.claimed_amount, paid.c.paid)
             .join(paid, JOIN.LEFT_OUTER, on=(paid.c.claim_id == WarrantyClaim.id))
             .where((WarrantyClaim.first_submitted_at >= _start(start)) & (WarrantyClaim.first_submitted_at < _start(end))))
    if manufacturer:
        query = query.where(WarrantyClaim.manufacturer == manufacturer)
    groups: dict[tuple[str, str], list] = {}
    for submitted, maker, claimed, got in query.tuples():
        at = submitted if isinstance(submitted, dt.datetime) else dt.datetime.fromisoformat(str(submitted))
        key = (at.strftime("%Y-%m"), maker)
        entry = groups.setdefault(key, [0, ZERO, ZERO])
        entry[0] += 1
        entry[1] += Decimal(str(claimed))
        entry[2] += Decimal(str(got or 0))
    return [Recovery(month, maker, n, cents(claimed), cents(got))
            for (month, maker), (n, claimed, got) in sorted(groups.items())]


@dataclass(frozen=True)
class RejectionReason:
    reason: str  # a code of workshop.warranty.REJECTION_REASONS
    count: int
    refused: Decimal


def rejection_reasons(start: dt.date, end: dt.date, *, manufacturer: str | None = None) -> list[RejectionReason]:
    """Refusals in [start, end) per reason, the most frequent first (one query)."""
    refused = fn.SUM(WarrantyRejection.claimed - WarrantyRejection.accepted)
    query = (WarrantyRejection.select(WarrantyRejection.reason, fn.COUNT(WarrantyRejection.id), refused)
             .join(WarrantyClaim)
             .where((WarrantyRejection.at >= _start(start)) & (WarrantyRejection.at < _start(end))))
    if manufacturer:
        query = query.where(WarrantyClaim.manufacturer == manufacturer)
    rows = query.group_by(WarrantyRejection.reason).tuples()
    return sorted((RejectionReason(reason, count, cents(Decimal(str(amount or 0)))) for reason, count, amount in rows),
                  key=lambda r: (-r.count, r.reason))


@dataclass(frozen=True)
class InsurerAging:
    insurer: str
    buckets: dict[str, Decimal]  # "0-30", "31-60", "61-90", "90+"
    orders: int

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def insurer_aging(shop: int | None = None) -> list[InsurerAging]:
    """What each insurer owes, by days since the invoice (one query over the open balances only; ``shop``: on
    that shop's orders)."""
    today = clock.today()
    cases = []
    for _name, low, high in AGING_BUCKETS:
        cond = InsurerBalance.since <= today - dt.timedelta(days=low)
        if high is not None:
            cond &= InsurerBalance.since >= today - dt.timedelta(days=high)
        cases.append(fn.SUM(Case(None, ((cond, InsurerBalance.amount),), 0)))
    rows = InsurerBalance.select(InsurerBalance.insurer, fn.COUNT(InsurerBalance.id), *cases)
    if shop is not None:
        rows = rows.join(RepairOrder, on=(InsurerBalance.order == RepairOrder.id)).where(RepairOrder.shop == shop)
    rows = rows.group_by(InsurerBalance.insurer).order_by(InsurerBalance.insurer).tuples()
    return [InsurerAging(insurer, {name: cents(Decimal(str(value or 0)))
                                   for (name, _, _), value in zip(AGING_BUCKETS, values)}, count)
            for insurer, count, *values in rows]


__all__ = ["recovery", "rejection_reasons", "insurer_aging", "Recovery", "RejectionReason", "InsurerAging",
           "RECOVERY_TARGET_PCT"]
