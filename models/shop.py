"""The shop itself: bays, the operations catalog, labor rates and settings."""
from peewee import BooleanField, CharField, IntegerField, TextField

from models.base import BaseModel, HoursField, MoneyField
from workshop.i18n import N_

BAY_KINDS = ("quick_service", "mechanical", "body", "paint", "wash", "alignment", "electrical")
BAY_KIND_LABELS = {
    "quick_service": N_("quick service"), "mechanical": N_("mechanical"), "body": N_("body"), "paint": N_("paint"),
    "wash": N_("wash"), "alignment": N_("alignment"), "electrical": N_("electrical"),
}


class Bay(BaseModel):
    code = CharField(max_length=10, unique=True)
    name = CharField(max_length=40)
    name_zh = CharField(max_length=40, null=True)  # shown to Chinese readers (workshop.i18n.local)
    kind = CharField(max_length=20)
    capacity = IntegerField(default=1)  # cars it holds at once
    active = BooleanField(default=True)


class Operation(BaseModel):
    """A catalog operation: what a job line is made from."""
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)  # 中文名称: shown to Chinese readers
    initials = CharField(max_length=40, null=True, index=True)  # 拼音首字母 of the Chinese name (or the name)
    trade = CharField(max_length=20)
    standard_hours = HoursField()
    business_type = CharField(max_length=20, null=True)

    def save(self, *args, **kwargs):
        from workshop.pinyin import initials
        self.initials = initials(self.name_zh or self.name)
        return super().save(*args, **kwargs)


class LaborRate(BaseModel):
    trade = CharField(max_length=20, unique=True)
    rate = MoneyField()  # per billed hour


class Setting(BaseModel):
    """A shop setting: ``value`` is JSON text. Defaults live in workshop/settings.py."""
    key = CharField(max_length=60, unique=True)
    value = TextField()
