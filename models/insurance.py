"""Insurance claims (事故车): the insurer's assessment (定损) and supplements, the documents checklist, and the
insurer's share of a settled bill as a receivable paid later, in one or many payments.

``InsurerBalance`` is derived, like ``OpenBalance``: one row per settled order the insurer still owes on,
kept in step with the invoice and the insurer's payments in the same transaction (aging never scans history).
"""
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField
from models.orders import RepairOrder
from models.people import Staff
from models.settlement import Settlement

INSURANCE_STATES = ("registered", "assessed", "invoiced", "paid")


class InsuranceClaim(BaseModel):
    order = ForeignKeyField(RepairOrder, unique=True, backref="+")
    insurer = CharField(max_length=60, index=True)
    claim_no = CharField(max_length=40, null=True)  # the insurer's report number 报案号
    assessor = CharField(max_length=60, null=True)
    assessed_amount = MoneyField(null=True)  # the first assessment; supplements add to it
    deductible = MoneyField()
    towing_fee = MoneyField()
    personal_injury = BooleanField(default=False)  # 人伤
    property_loss = BooleanField(default=False)    # 物损
    state = CharField(max_length=10, default="registered")
    version = IntegerField(default=1)
    created_by = ForeignKeyField(Staff, backref="+")
    created_at = DateTimeField()


class InsuranceSupplement(BaseModel):
    """Damage found during the repair and re-assessed by the insurer: adds to the assessed amount."""
    claim = ForeignKeyField(InsuranceClaim, backref="supplements", index=True)
    amount = MoneyField()
    reason = CharField(max_length=200)
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()


class InsuranceDocument(BaseModel):
    """One document of the claim's checklist, received (a row) or not (no row)."""
    claim = ForeignKeyField(InsuranceClaim, backref="documents")
    code = CharField(max_length=20)
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()

    class Meta:
        indexes = ((("claim", "code"), True),)


class InsurerBalance(BaseModel):
    """What an insurer still owes on a settled order (derived; deleted when paid in full)."""
    order = ForeignKeyField(RepairOrder, unique=True, backref="+")
    claim = ForeignKeyField(InsuranceClaim, null=True, backref="+")
    insurer = CharField(max_length=60, index=True)
    settlement = ForeignKeyField(Settlement, backref="+")
    since = DateField(index=True)
    amount = MoneyField()


class InsurerPayment(BaseModel):
    order = ForeignKeyField(RepairOrder, backref="+", index=True)
    claim = ForeignKeyField(InsuranceClaim, null=True, backref="+")
    insurer = CharField(max_length=60)
    amount = MoneyField()
    paid_on = DateField()
    reference = CharField(max_length=60, null=True)
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()
