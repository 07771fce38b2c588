"""The shop itself: its locations (Shop: one for a single workshop, several for a dealer group), bays, the operations catalog (with the series it applies to), labor rates per trade and
price class, maintenance packages and settings."""
from peewee import SQL, BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel, HoursField, MoneyField
from workshop.i18n import N_

# Labour is priced by trade and price class (工时单价类别): an operation names its class, the rate table has
# one rate per trade and class. "standard" is the class every shop starts with.
STANDARD_PRICE_CLASS = "standard"

BAY_KINDS = ("quick_service", "mechanical", "body", "paint", "wash", "alignment", "electrical")
BAY_KIND_LABELS = {
    "quick_service": N_("quick service"), "mechanical": N_("mechanical"), "body": N_("body"), "paint": N_("paint"),
    "wash": N_("wash"), "alignment": N_("alignment"), "electrical": N_("electrical"),
}


# The shop every row belongs to unless told otherwise: a one-shop database has only this one, and rows
# written by a terminal of an earlier release land in it (the columns' SQL default).
FIRST_SHOP = 1


class Shop(BaseModel):
    """A workshop location of the group (门店). Customers and vehicles are the group's; bays, staff assignments,
    orders, appointments, numbering and per-shop settings belong to one shop. Its identity (name, address, phone,
    tax number) heads the documents of its orders."""
    code = CharField(max_length=10, unique=True)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)
    address = CharField(max_length=200, default="")
    phone = CharField(max_length=40, default="")
    tax_number = CharField(max_length=30, default="")
    active = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])


def shop_field(**kwargs):
    """The not-null shop of a row, shop 1 by default (also for INSERTs of an earlier release's terminal)."""
    kwargs.setdefault("index", False)
    return ForeignKeyField(Shop, default=FIRST_SHOP, constraints=[SQL(f"DEFAULT {FIRST_SHOP}")], backref="+",
                           **kwargs)


class Bay(BaseModel):
    code = CharField(max_length=10)  # unique within its shop (Meta)
    shop = shop_field()
    name = CharField(max_length=40)
    name_zh = CharField(max_length=40, null=True)  # shown to Chinese readers (workshop.i18n.local)
    kind = CharField(max_length=20)
    capacity = IntegerField(default=1)  # cars it holds at once
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("code", "shop"), True),)


class Operation(BaseModel):
    """A catalog operation: what a job line is made from."""
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)  # 中文名称: shown to Chinese readers
    initials = CharField(max_length=40, null=True, index=True)  # 拼音首字母 of the Chinese name (or the name)
    trade = CharField(max_length=20)
    standard_hours = HoursField()
    business_type = CharField(max_length=20, null=True)
    # SQL defaults: terminals of the previous release insert rows without these columns.
    price_class = CharField(max_length=20, default=STANDARD_PRICE_CLASS, constraints=[SQL("DEFAULT 'standard'")])
    active = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])  # retired operations stay on old orders

    def save(self, *args, **kwargs):
        from workshop.pinyin import initials
        self.initials = initials(self.name_zh or self.name)
        return super().save(*args, **kwargs)


class OperationSeries(BaseModel):
    """A vehicle series an operation applies to. An operation without any applies to every series."""
    operation = ForeignKeyField(Operation, backref="series", on_delete="CASCADE")
    series = CharField(max_length=40)

    class Meta:
        indexes = ((("operation", "series"), True),)


class LaborRate(BaseModel):
    trade = CharField(max_length=20)
    price_class = CharField(max_length=20, default=STANDARD_PRICE_CLASS, constraints=[SQL("DEFAULT 'standard'")])
    rate = MoneyField()  # per billed hour

    class Meta:
        indexes = ((("trade", "price_class"), True),)


class MaintenancePackage(BaseModel):
    """保養套餐: a named set of operations (first service 首保, regular services 定保) sold at one price, which
    covers the operations' labour and the parts of their kits."""
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)
    price = MoneyField()
    active = BooleanField(default=True)


class PackageOperation(BaseModel):
    package = ForeignKeyField(MaintenancePackage, backref="operations", on_delete="CASCADE")
    operation = ForeignKeyField(Operation, backref="packages")
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("package", "operation"), True),)


class Setting(BaseModel):
    """A shop setting: ``value`` is JSON text. Defaults live in workshop/settings.py."""
    key = CharField(max_length=60, unique=True)
    value = TextField()


class ShopSetting(BaseModel):
    """One shop's own value of a setting (JSON text), over the group's (Setting) or the default."""
    shop = ForeignKeyField(Shop, backref="+", index=False)
    key = CharField(max_length=60)
    value = TextField()

    class Meta:
        indexes = ((("shop", "key"), True),)
