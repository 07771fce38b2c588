"""A part's stock at the group's other shops (集团其他门店库存): what a parts clerk looks at before buying a part a
sister shop has on its shelf.

Read only. ``free_elsewhere`` gives, for one page of parts, the free stock (on hand less reserved) of every other
active shop of the group, summed: one aggregate over part_stock, whatever the page's length. ``by_shop`` gives one
part's stock in each shop, so the clerk knows whom to ask. A transfer (调拨) is sent by the shop that has the stock
(``parts.move_to_shop`` moves the terminal's own shop's free stock): a clerk short of a part asks that shop's clerk.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from peewee import JOIN, Case, fn

from models.parts import Part, PartStock
from models.shop import Shop
from workshop.errors import NotAllowed
from workshop.i18n import _, local
from workshop.parts import find_part
from workshop.permissions import can, require

RIGHT = "pick_parts"  # whoever may open the parts screen (screens/registry.py)
ZERO = Decimal("0")
# A shop's free stock of a part: never below zero, even if a row were ever reserved beyond its on-hand.
_FREE = Case(None, [(PartStock.on_hand > PartStock.reserved, PartStock.on_hand - PartStock.reserved)], 0)


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0))


def free_elsewhere(part_codes: Iterable[str], shop: int, *, by) -> dict[str, Decimal]:
    """The free stock of each part at the group's other active shops (``shop``, the terminal's, left out), summed;
    parts no other shop has free are left out of the answer. One query for the whole page.

    The right is checked against the terminal's signed-in actor without reading the database (the page's read
    stays one query; the screen that shows it is the parts screen, opened with the same right)."""
    if not can(by, RIGHT):
        raise NotAllowed(_("Only those who may open the parts screen see the other shops' stock."))
    codes = sorted(set(part_codes))
    if not codes:
        return {}
    total = fn.SUM(_FREE)
    rows = (PartStock.select(Part.code, total)
            .join(Part, on=(PartStock.part == Part.id))
            .switch(PartStock).join(Shop, on=(PartStock.shop == Shop.id))
            .where(Part.code.in_(codes) & (PartStock.shop != shop) & (Shop.active == True))  # noqa: E712
            .group_by(Part.code)
            .having(total > 0)
            .tuples())
    return {code: _decimal(free) for code, free in rows}


@dataclass(frozen=True)
class ShopStock:
    """One shop's stock of a part."""
    shop_code: str
    shop_name: str  # in the reader's language
    on_hand: Decimal
    reserved: Decimal
    bin: str  # the shop's bin, else the catalogue's; "" when neither names one
    here: bool  # the terminal's own shop

    @property
    def free(self) -> Decimal:
        return max(self.on_hand - self.reserved, ZERO)


def by_shop(part_code: str, shop: int, *, by) -> list[ShopStock]:
    """A part's stock in each active shop of the group, the terminal's own (``shop``) first, then those with the
    most free stock; shops that never held it show zeros with the catalogue's bin. One query (a group has a
    handful of shops)."""
    require(by, RIGHT)
    part = find_part(part_code)
    rows = (Shop.select(Shop.id, Shop.code, Shop.name, Shop.name_zh, fn.COALESCE(PartStock.on_hand, 0),
                        fn.COALESCE(PartStock.reserved, 0), PartStock.bin)
            .join(PartStock, JOIN.LEFT_OUTER, on=((PartStock.shop == Shop.id) & (PartStock.part == part.id)))
            .where(Shop.active == True)  # noqa: E712
            .order_by(Shop.code).limit(500).tuples())
    result = [ShopStock(code, local(name, name_zh), _decimal(on_hand), _decimal(reserved), bin_ or part.bin or "",
                        shop_id == shop)
              for shop_id, code, name, name_zh, on_hand, reserved, bin_ in rows]
    return sorted(result, key=lambda s: (not s.here, -s.free, s.shop_code))
