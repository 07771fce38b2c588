"""Parts availability of a repair order, in the words the shop uses on the board's card.

An order's open part lines (requested or picked) decide it:

- **none**: the order needs no parts;
- **available**: every line has all its parts (picked, or reserved on the shelf);
- **ordered**: some are missing, but every missing piece is expected from an open purchase order tied to
  its line; the card shows the latest expected date ("parts ETA 12-03");
- **late**: ordered, and that date has passed (derived when shown, so it turns late at midnight without a
  write);
- **short**: some are missing and at least one line has none of its part at all: the job cannot finish,
  however much of the rest is there (a shop does not call that "partly available");
- **partial** (partly available): every line has some of its part, some lines not all of it.

The status and the expected date are stored on the order (``parts_status``, ``parts_eta``) by the
transaction that changed them, so the board reads them with the card and its query count stays flat.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from workshop.i18n import N_

NONE, AVAILABLE, PARTIAL, SHORT, ORDERED, LATE = "none", "available", "partial", "short", "ordered", "late"
OPEN_LINE = ("requested", "picked")
ZERO = Decimal("0")

# On-screen names, translated where shown: workshop.i18n.label(LABELS, code).
LABELS = {NONE: N_("no parts"), AVAILABLE: N_("parts available"), PARTIAL: N_("parts partly available"),
          SHORT: N_("parts short"), ORDERED: N_("parts ordered"), LATE: N_("parts late")}


@dataclass(frozen=True)
class Need:
    """One open part line: what the job needs, what it has, and what is on order for it."""
    qty: Decimal
    have: Decimal  # picked and not returned, plus reserved on the shelf
    on_order: Decimal = ZERO  # still expected from open purchase orders tied to the line
    eta: dt.date | None = None  # the latest expected date of those purchase orders

    @property
    def missing(self) -> Decimal:
        return max(self.qty - self.have, ZERO)


def status_of(needs: list[Need]) -> tuple[str, dt.date | None]:
    """(status, expected date) of an order's open part lines; the date only for "ordered"."""
    if not needs:
        return NONE, None
    missing = [need for need in needs if need.missing > 0]
    if not missing:
        return AVAILABLE, None
    if all(need.on_order >= need.missing for need in missing):
        return ORDERED, max((need.eta for need in missing if need.eta is not None), default=None)
    if any(need.have <= 0 for need in missing):
        return SHORT, None
    return PARTIAL, None


def shown(status: str, eta: dt.date | None, today: dt.date) -> str:
    """What the card says: an order whose parts were due before today is "late"."""
    if status == ORDERED and eta is not None and eta < today:
        return LATE
    return status


def as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def needs_of(order_id: int) -> list[Need]:
    """The order's open part lines with what is on order for each (two queries)."""
    from models.parts import PartLine
    from models.purchasing import PurchaseOrder, PurchaseOrderLine, PurchaseOrderLink
    lines = list(PartLine.select(PartLine.id, PartLine.qty, PartLine.reserved, PartLine.picked, PartLine.returned)
                 .where((PartLine.order == order_id) & PartLine.status.in_(OPEN_LINE)).tuples())
    if not lines:
        return []
    ordered = {line_id: (Decimal(str(qty or 0)), as_date(eta)) for line_id, qty, eta in (
        PurchaseOrderLink.select(PurchaseOrderLink.part_line, fn.SUM(PurchaseOrderLink.qty),
                                 fn.MAX(PurchaseOrder.expected_on).coerce(False))
        .join(PurchaseOrderLine).join(PurchaseOrder)
        .where(PurchaseOrderLink.part_line.in_([line[0] for line in lines]) & (PurchaseOrder.state == "open")
               & (PurchaseOrderLink.qty > 0))
        .group_by(PurchaseOrderLink.part_line).tuples())}
    needs = []
    for line_id, qty, reserved, picked, returned in lines:
        on_order, eta = ordered.get(line_id, (ZERO, None))
        needs.append(Need(Decimal(str(qty)), Decimal(str(picked)) - Decimal(str(returned)) + Decimal(str(reserved)),
                          on_order, eta))
    return needs


def order_status(order_id: int) -> tuple[str, dt.date | None]:
    """(status, expected date) of one order as its lines and purchase orders stand now."""
    return status_of(needs_of(order_id))


__all__ = ["Need", "status_of", "shown", "needs_of", "order_status", "LABELS",
           "NONE", "AVAILABLE", "PARTIAL", "SHORT", "ORDERED", "LATE"]
