"""The base every model inherits: bound to the database proxy, snake_case table names."""
from decimal import Decimal

from peewee import DecimalField, Model

from models.db import db


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def MoneyField(**kwargs):
    """Money in the shop's currency: exact decimal, two places."""
    kwargs.setdefault("default", Decimal("0.00"))
    return DecimalField(max_digits=14, decimal_places=2, auto_round=False, **kwargs)


def QtyField(**kwargs):
    """A quantity of a part: whole pieces or litres to three places."""
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=12, decimal_places=3, auto_round=False, **kwargs)


def HoursField(**kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=8, decimal_places=2, auto_round=False, **kwargs)


def PercentField(**kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=5, decimal_places=2, auto_round=False, **kwargs)
