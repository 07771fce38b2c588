"""Warranty claims (保修索赔): what the shop claims from the manufacturer for a warranty order, the
manufacturer's answers (a rejection 不受理 is kept as a fact even after the claim is corrected) and payments.

Payments are never updated or deleted (triggers refuse it); a claim's paid amount is the sum of its payments.
"""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel, MoneyField, QtyField
from models.orders import JobLine, RepairOrder
from models.parts import OldPartRecord, PartLine
from models.people import Staff

CLAIM_STATES = ("draft", "submitted", "accepted", "partly_accepted", "rejected", "paid", "charged_internal")


class WarrantyClaim(BaseModel):
    number = IntegerField(unique=True)
    order = ForeignKeyField(RepairOrder, unique=True, backref="+")
    manufacturer = CharField(max_length=40)
    state = CharField(max_length=16, default="draft")
    version = IntegerField(default=1)
    complaint = TextField()
    cause = TextField(null=True)
    correction = TextField(null=True)
    causal_part_line = ForeignKeyField(PartLine, null=True, backref="+")
    old_part = ForeignKeyField(OldPartRecord, null=True, backref="+")  # 舊件回收 record kept for the return
    return_by = DateField(null=True)
    old_part_returned_at = DateTimeField(null=True)
    old_part_reference = CharField(max_length=60, null=True)
    repair_date = DateField()
    deadline = DateField()  # submit by: repair date + the manufacturer's submit days
    labor_amount = MoneyField()
    parts_amount = MoneyField()
    claimed_amount = MoneyField()
    accepted_amount = MoneyField(null=True)
    rejection_reason = CharField(max_length=20, null=True)
    rejection_note = CharField(max_length=200, null=True)
    submissions = IntegerField(default=0)
    first_submitted_at = DateTimeField(null=True, index=True)  # the month recovery is counted in
    submitted_at = DateTimeField(null=True)
    answered_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    created_by = ForeignKeyField(Staff, backref="+")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("state", "deadline"), False),)

    @property
    def label(self) -> str:
        """"WC 12" / "索赔单 12", in the reader's language."""
        from workshop.warranty import claim_label
        return claim_label(self.number)


class WarrantyClaimLine(BaseModel):
    """One labour operation or part on a claim, at the manufacturer's rates."""
    claim = ForeignKeyField(WarrantyClaim, backref="lines", index=True)
    kind = CharField(max_length=6)  # labor, part
    job_line = ForeignKeyField(JobLine, null=True, backref="+")
    part_line = ForeignKeyField(PartLine, null=True, backref="+")
    code = CharField(max_length=30)
    name = CharField(max_length=100)
    quantity = QtyField()  # hours or pieces
    unit = CharField(max_length=4)
    rate = MoneyField()
    amount = MoneyField()
    position = IntegerField(default=0)


class WarrantyRejection(BaseModel):
    """An answer that refused all or part of a claim, with the manufacturer's reason."""
    claim = ForeignKeyField(WarrantyClaim, backref="rejections", index=True)
    reason = CharField(max_length=20)
    note = CharField(max_length=200, null=True)
    claimed = MoneyField()
    accepted = MoneyField()
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField(index=True)


class WarrantyPayment(BaseModel):
    claim = ForeignKeyField(WarrantyClaim, backref="payments", index=True)
    amount = MoneyField()
    paid_on = DateField()
    reference = CharField(max_length=60, null=True)  # the manufacturer's statement or credit note
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()
