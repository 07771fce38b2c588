"""Labour figures kept per day (workshop/labour.py): derived from invoices, clock records and shifts, so a
month's figures read a few thousand rows instead of the month's orders, lines and clock records."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, HoursField, MoneyField
from models.people import Staff


class LabourDay(BaseModel):
    """One day's labour of one technician on one trade for one advisor's orders. ``technician`` is None
    for lines nobody was dispatched to; ``advisor`` is None for hours present (a shift is nobody's order)."""
    day = DateField()
    technician = ForeignKeyField(Staff, null=True, backref="+", index=False)
    trade = CharField(max_length=20)
    advisor = ForeignKeyField(Staff, null=True, backref="+", index=False)
    sold_hours = HoursField()        # billed hours invoiced that day (voids count negative)
    revenue = MoneyField()           # labour charged on those invoices
    clocked_seconds = IntegerField(default=0)
    present_seconds = IntegerField(default=0)

    class Meta:
        indexes = ((("day",), False),)


class LabourDayDone(BaseModel):
    """A closed day whose LabourDay rows are written (days are computed once, when first asked for)."""
    day = DateField(unique=True)
    computed_at = DateTimeField()
