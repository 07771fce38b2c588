"""Parts: the group's catalogue, each shop's stock of it, and the part lines of repair orders.

On-hand and reserved quantities are balances of the stock ledger, per shop (PartStock: one row per part and
shop's warehouse; the parts capability posts a movement row and updates the balance in the same transaction);
nothing else writes them.
"""
from peewee import SQL, BooleanField, Check, CharField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField, PercentField, QtyField
from models.orders import JobLine, OrderPackage, RepairOrder
from models.people import Staff
from models.shop import Operation, Shop, shop_field
from workshop.i18n import N_

UNITS = ("pc", "L", "kg", "m", "set")  # "pc" and "set" are whole numbers; the others decimals
UNIT_LABELS = {"pc": N_("pc"), "L": N_("L"), "kg": N_("kg"), "m": N_("m"), "set": N_("set")}
PART_LINE_STATUSES = ("requested", "picked", "used", "returned", "cancelled")
PART_LINE_STATUS_LABELS = {"requested": N_("requested"), "picked": N_("picked"), "used": N_("used"),
                           "returned": N_("returned"), "cancelled": N_("cancelled")}


class Part(BaseModel):
    code = CharField(max_length=30, unique=True)
    name = CharField(max_length=100, index=True)
    name_zh = CharField(max_length=100, null=True)  # 中文名称: shown to Chinese readers
    initials = CharField(max_length=40, null=True, index=True)  # 拼音首字母 of the Chinese name (or the name)
    brand = CharField(max_length=40, null=True)
    category = CharField(max_length=40, null=True)
    fits_models = CharField(max_length=200, null=True)
    unit = CharField(max_length=4, default="pc")
    warehouse = CharField(max_length=20, default="MAIN")
    bin = CharField(max_length=20, null=True)  # where a shop keeps it unless its PartStock names another bin
    unit_cost = MoneyField()
    sale_price = MoneyField()
    reorder_threshold = QtyField()
    supplier = CharField(max_length=60, null=True)
    oem = BooleanField(default=True)
    active = BooleanField(default=True)

    def save(self, *args, **kwargs):
        from workshop.pinyin import initials
        self.initials = initials(self.name_zh or self.name)
        return super().save(*args, **kwargs)


class PartStock(BaseModel):
    """A part's stock in one shop's warehouse (库存): the balances of that shop's ledger rows, the bin the shop
    keeps it in (None: the catalogue's ``Part.bin``) and the shop's own reorder threshold (None: the catalogue's
    ``Part.reorder_threshold``; a small shop and a big one keep different levels). A missing row is no stock;
    the parts capability makes it on the first movement. Never negative, by the database too (CHECKs)."""
    part = ForeignKeyField(Part, backref="stock", index=False, on_delete="CASCADE")
    shop = ForeignKeyField(Shop, backref="+", index=False)
    on_hand = QtyField(constraints=[Check("on_hand >= 0")])
    reserved = QtyField(constraints=[Check("reserved >= 0")])
    bin = CharField(max_length=20, null=True)
    reorder_threshold = QtyField(null=True, default=None)

    class Meta:
        table_name = "part_stock"
        indexes = ((("part", "shop"), True),)

    @property
    def available(self):
        return self.on_hand - self.reserved


class OperationPart(BaseModel):
    """The parts kit of a catalog operation, added to an order with the job line. A kit is per vehicle series
    (a Camry's oil filter is not a RAV4's); ``series`` "" is the kit for every series without its own."""
    operation = ForeignKeyField(Operation, backref="standard_parts", on_delete="CASCADE")
    series = CharField(max_length=40, default="", constraints=[SQL("DEFAULT ''")])
    part = ForeignKeyField(Part, backref="operations")
    qty = QtyField()

    class Meta:
        indexes = ((("operation", "series", "part"), True),)


class PartLine(BaseModel):
    """A part needed by a repair order: reserved when added, picked by the clerk, then used or
    returned. qty = what the job needs; reserved + picked never exceed it."""
    order = ForeignKeyField(RepairOrder, backref="part_lines", index=True, on_delete="CASCADE")
    job_line = ForeignKeyField(JobLine, null=True, backref="part_lines", on_delete="SET NULL")
    part = ForeignKeyField(Part, backref="lines", index=True)
    qty = QtyField()
    reserved = QtyField()
    picked = QtyField()
    returned = QtyField()
    unit_price = MoneyField()
    discount_pct = PercentField()
    payer = CharField(max_length=12, default="customer")
    status = CharField(max_length=12, default="requested")
    requested_by = ForeignKeyField(Staff, null=True, backref="requested_part_lines")
    requested_at = DateTimeField()
    position = IntegerField(default=0)
    # a kit part the package price covers (no index: read only through the order)
    package = ForeignKeyField(OrderPackage, null=True, backref="part_lines", index=False)

    @property
    def used(self):
        return self.picked - self.returned


MOVEMENT_KINDS = ("receipt", "issue", "return", "exchange", "old_part", "adjustment", "transfer", "opening",
                  "shop_out", "shop_in")  # 调拨: stock moved between two shops of the group
# 领料 / 退料 / 换料 / 旧件回收: the stock ledger's words.
MOVEMENT_KIND_LABELS = {"receipt": N_("goods in"), "issue": N_("issue"), "return": N_("return"),
                        "exchange": N_("exchange"), "old_part": N_("old part taken back"),
                        "adjustment": N_("stocktake adjustment"), "transfer": N_("bin transfer"),
                        "opening": N_("opening stock"), "shop_out": N_("stock transfer out"),
                        "shop_in": N_("stock transfer in")}


class StockMovement(BaseModel):
    """One line of the stock ledger of a shop's warehouse. on_hand of a part in a shop (PartStock) is the sum of
    its movements' qty there."""
    part = ForeignKeyField(Part, backref="movements", index=True)
    shop = shop_field()
    kind = CharField(max_length=12)
    qty = QtyField()  # signed: + into stock, - out of stock; 0 for a transfer between bins
    on_hand_after = QtyField()
    order = ForeignKeyField(RepairOrder, null=True, backref="stock_movements", index=True)
    part_line = ForeignKeyField(PartLine, null=True, backref="movements")
    by = ForeignKeyField(Staff, null=True, backref="stock_movements")
    at = DateTimeField(index=True)
    reason = CharField(max_length=200, null=True)
    reference = CharField(max_length=60, null=True)


OLD_PART_DISPOSITIONS = ("customer", "warranty", "scrap")
OLD_PART_DISPOSITION_LABELS = {"customer": N_("given to the customer"), "warranty": N_("kept for the warranty claim"),
                               "scrap": N_("scrapped")}


class OldPartRecord(BaseModel):
    """舊件回收: the part taken off the car, and what became of it."""
    part_line = ForeignKeyField(PartLine, backref="old_parts", on_delete="CASCADE")
    disposition = CharField(max_length=10)
    note = CharField(max_length=200, null=True)
    by = ForeignKeyField(Staff, null=True)
    at = DateTimeField()
