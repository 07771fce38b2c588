"""The shop itself: bays, the operations catalog, labor rates and settings."""
from peewee import BooleanField, CharField, IntegerField, TextField

from models.base import BaseModel, HoursField, MoneyField

BAY_KINDS = ("quick_service", "mechanical", "body", "paint", "wash", "alignment", "electrical")


class Bay(BaseModel):
    code = CharField(max_length=10, unique=True)
    name = CharField(max_length=40)
    kind = CharField(max_length=20)
    capacity = IntegerField(default=1)  # cars it holds at once
    active = BooleanField(default=True)


class Operation(BaseModel):
    """A catalog operation: what a job line is made from."""
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    trade = CharField(max_length=20)
    standard_hours = HoursField()
    business_type = CharField(max_length=20, null=True)


class LaborRate(BaseModel):
    trade = CharField(max_length=20, unique=True)
    rate = MoneyField()  # per billed hour


class Setting(BaseModel):
    """A shop setting: ``value`` is JSON text. Defaults live in workshop/settings.py."""
    key = CharField(max_length=60, unique=True)
    value = TextField()
