"""The customer's word on a job line (估價 / 追加項目): work found during the repair is proposed, then approved
or declined, with who said so, when, how, and for how much. JobLine.approval holds where a line stands now;
these rows are how it got there."""
from peewee import CharField, DateTimeField, ForeignKeyField

from models.base import BaseModel, MoneyField
from models.orders import JobLine
from models.people import Staff
from workshop.i18n import N_

APPROVAL_STATES = ("approved", "pending", "declined")
APPROVAL_LABELS = {"approved": N_("approved"), "pending": N_("waiting for approval"), "declined": N_("declined")}
# How the customer gave their answer. A message (WeChat or SMS) and a signature on paper carry a reference.
APPROVAL_CHANNELS = ("in_person", "phone", "message", "paper")
APPROVAL_CHANNEL_LABELS = {"in_person": N_("in person"), "phone": N_("phone"), "message": N_("WeChat / SMS"),
                           "paper": N_("signature on paper")}
DECISIONS = ("proposed", "approved", "declined")


class LineApproval(BaseModel):
    line = ForeignKeyField(JobLine, backref="approvals", on_delete="CASCADE", index=True)
    decision = CharField(max_length=10)           # proposed, approved, declined
    channel = CharField(max_length=10, null=True)  # how the customer answered (None when proposed)
    reference = CharField(max_length=60, null=True)  # the message's id, the signed sheet's number
    customer_name = CharField(max_length=60, null=True)  # who answered for the customer
    amount = MoneyField()                          # what the line was quoted at
    recorded_by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()

    class Meta:
        indexes = ((("decision", "at"), False),)  # declined work over a period, for the reminder list
