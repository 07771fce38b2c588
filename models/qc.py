"""Final inspection: checklists per business type, inspections and their item results."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField
from models.orders import RepairOrder
from models.people import Staff
from workshop.i18n import N_

ITEM_RESULTS = ("pass", "fail", "na")
ITEM_RESULT_LABELS = {"pass": N_("pass"), "fail": N_("fail"), "na": N_("n/a")}


class ChecklistItem(BaseModel):
    business_type = CharField(max_length=20, index=True)
    position = IntegerField(default=0)
    text = CharField(max_length=120)
    text_zh = CharField(max_length=120, null=True)  # shown to Chinese readers (workshop.i18n.local)
    active = BooleanField(default=True)


class Inspection(BaseModel):
    """One sign-off of an order: pass, or fail with the rework it sends back."""
    order = ForeignKeyField(RepairOrder, backref="inspections", index=True)
    inspector = ForeignKeyField(Staff, backref="inspections")
    signed_at = DateTimeField(index=True)
    result = CharField(max_length=4)  # pass or fail
    reinspection = BooleanField(default=False)
    rework_reason = CharField(max_length=200, null=True)
    responsible = ForeignKeyField(Staff, null=True, backref="reworks", index=True)
    penalty = MoneyField()
    promised_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    late = BooleanField(default=False)
    delay_reason = CharField(max_length=40, null=True)


# The failed sign-offs (about 2% of them), by when: the quality report's rework, penalty and
# "ever failed" figures read these alone instead of every inspection of the history.
Inspection.add_index(Inspection.index(Inspection.signed_at, Inspection.order, name="inspection_failed")
                     .where(Inspection.result == "fail"))


class InspectionResult(BaseModel):
    inspection = ForeignKeyField(Inspection, backref="results", on_delete="CASCADE")
    item = ForeignKeyField(ChecklistItem, null=True)
    text = CharField(max_length=120)
    result = CharField(max_length=4)
    note = CharField(max_length=200, null=True)
