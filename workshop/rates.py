"""Labour rates (工时单价) per trade and price class: a job line is sold at the rate of its operation's trade and
price class. There is no silent fallback: an operation whose rate is not set is refused at reception, naming
the rate a manager must set, rather than sold for nothing."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from models.db import run_write
from models.people import TRADE_LABELS, TRADES, Staff
from models.shop import STANDARD_PRICE_CLASS, LaborRate, Operation
from workshop import audit, i18n
from workshop.amounts import MAX_PRICE, decimal
from workshop.catalog import price_class_of
from workshop.errors import InvalidInput
from workshop.i18n import N_, _
from workshop.phrase import Money, Phrase, Term
from workshop.permissions import require


@dataclass(frozen=True)
class RateRow:
    trade: str
    trade_label: str
    price_class: str
    rate: Decimal
    operations: int   # active operations sold at this rate


def _trade(trade: str) -> str:
    if trade not in TRADES:
        raise InvalidInput(_("Pick a trade."), "trade")
    return trade


def set_rate(trade: str, price_class: str, rate, *, by: Staff) -> Decimal:
    """Set (or change) the hourly rate of a trade and price class."""
    trade, pclass = _trade(trade), price_class_of(price_class)
    amount = decimal(rate, "rate", _("Rate per hour"), maximum=MAX_PRICE)
    if amount == 0:
        raise InvalidInput(_("A labour rate must be more than zero."), "rate")
    return run_write(lambda: put_rate(trade, pclass, amount, by=require(by, "shop_setup")))


def put_rate(trade: str, price_class: str, amount: Decimal, *, by: Staff | None) -> Decimal:
    """Inside a transaction: the rate from validated values, with its audit row when it changes."""
    row = LaborRate.get_or_none((LaborRate.trade == trade) & (LaborRate.price_class == price_class))
    if row is not None and Decimal(row.rate) == amount:
        return amount
    if row is None:
        rate_id = LaborRate.create(trade=trade, price_class=price_class, rate=amount).id
    else:
        rate_id = row.id
        LaborRate.update(rate=amount).where(LaborRate.id == row.id).execute()
    audit.record(by, "labor_rate_set", "labor_rate", rate_id,
                 Phrase(N_("Labour rate {trade}/{price_class}: {amount} per hour"),
                        trade=Term("models.people:TRADE_LABELS", trade), price_class=price_class, amount=Money(amount)),
                 before={"rate": row.rate} if row else None,
                 after={"trade": trade, "price_class": price_class, "rate": amount})
    return amount


def remove_rate(trade: str, price_class: str, *, by: Staff) -> None:
    """Remove a rate no active operation is sold at."""
    pclass = price_class_of(price_class)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        row = LaborRate.get_or_none((LaborRate.trade == trade) & (LaborRate.price_class == pclass))
        if row is None:
            return
        used = (Operation.select(fn.COUNT(Operation.id))
                .where((Operation.trade == trade) & (Operation.price_class == pclass) & Operation.active).scalar())
        if used:
            raise InvalidInput(i18n.ngettext("{count} operation is sold at this rate: change it first.",
                                             "{count} operations are sold at this rate: change them first.",
                                             used).format(count=used), "rate")
        LaborRate.delete().where(LaborRate.id == row.id).execute()
        audit.record(by, "labor_rate_removed", "labor_rate", row.id, Phrase(N_("Labour rate {trade}/{price_class} removed"),
                            trade=Term("models.people:TRADE_LABELS", trade), price_class=pclass),
                     before={"trade": trade, "price_class": pclass, "rate": row.rate})

    run_write(work)


def rate_for(trade: str, price_class: str | None) -> Decimal | None:
    row = (LaborRate.select(LaborRate.rate)
           .where((LaborRate.trade == trade) & (LaborRate.price_class == (price_class or STANDARD_PRICE_CLASS)))
           .scalar())
    return None if row is None else Decimal(row)


def rates_by_key() -> dict[tuple[str, str], Decimal]:
    return {(t, c): Decimal(r) for t, c, r in LaborRate.select(LaborRate.trade, LaborRate.price_class,
                                                                 LaborRate.rate).tuples()}


def missing_rate_message(trade: str, price_class: str) -> str:
    return _("No labour rate is set for {trade} ({price_class}): a manager sets it in Shop set-up, Rates.").format(
        trade=i18n.label(TRADE_LABELS, trade), price_class=price_class)


def list_rates() -> list[RateRow]:
    """Every rate with the number of active operations sold at it, and a row (rate 0) for each trade and class
    the catalog needs but no rate covers."""
    used = {(t, c): n for t, c, n in Operation.select(Operation.trade, Operation.price_class, fn.COUNT(Operation.id))
            .where(Operation.active).group_by(Operation.trade, Operation.price_class).tuples()}
    rates = rates_by_key()
    keys = sorted(set(rates) | set(used), key=lambda k: (TRADES.index(k[0]) if k[0] in TRADES else 99, k[1]))
    return [RateRow(t, i18n.label(TRADE_LABELS, t), c, rates.get((t, c), Decimal("0")), used.get((t, c), 0))
            for t, c in keys]


def price_classes() -> list[str]:
    names = {c for (c,) in LaborRate.select(LaborRate.price_class).distinct().tuples()}
    return sorted(names | {STANDARD_PRICE_CLASS})
