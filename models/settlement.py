"""Settlement: fees and adjustments on an order's bill, the invoices (and their voids), payments.

Settled records are facts: an invoice row is never updated, a void is a new row reversing it, a
payment is never deleted (a refund or a correction is a new, negative row pointing at it).
``OpenBalance`` is the one derived table: one row per order a customer still owes money on, kept
in step with payments in the same transaction, so receivables never scan a million invoices.
"""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from models.base import BaseModel, MoneyField, PercentField
from models.orders import RepairOrder
from models.shop import shop_field
from models.people import Customer, Staff
from workshop.i18n import N_

FEE_KINDS = ("management", "auxiliary", "sublet", "towing", "other")
# On-screen names, translated where shown: workshop.i18n.label(FEE_LABELS, kind).
FEE_LABELS = {"management": N_("Management fee"), "auxiliary": N_("Auxiliary materials"), "sublet": N_("Sublet"),
              "towing": N_("Towing / rescue"), "other": N_("Other fee")}
PAYMENT_METHODS = ("cash", "card", "mobile", "transfer", "account")
METHOD_LABELS = {"cash": N_("Cash"), "card": N_("Card"), "mobile": N_("Mobile pay"), "transfer": N_("Bank transfer"),
                 "account": N_("On account")}


class FeeLine(BaseModel):
    """A fee on an order's bill: management, auxiliary materials, sublet, towing/rescue, other."""
    order = ForeignKeyField(RepairOrder, backref="fee_lines", index=True, on_delete="CASCADE")
    kind = CharField(max_length=12)
    description = CharField(max_length=100)
    amount = MoneyField()
    payer = CharField(max_length=12, default="customer")
    created_by = ForeignKeyField(Staff, null=True, backref="+")
    created_at = DateTimeField()


class Adjustment(BaseModel):
    """A manual adjustment of the customer's share before settlement: an extra discount in percent
    or an amount (positive = off the bill). Needs a reason and a role allowed to give that much."""
    order = ForeignKeyField(RepairOrder, backref="adjustments", index=True, on_delete="CASCADE")
    kind = CharField(max_length=8)  # percent or amount
    value = MoneyField()
    reason = CharField(max_length=200)
    by = ForeignKeyField(Staff, backref="+")
    role = CharField(max_length=20)  # the role whose limit allowed it
    at = DateTimeField()


class Settlement(BaseModel):
    """An invoice (kind 'invoice') or the void that reverses one (kind 'void', negated amounts).
    Invoice numbers come from the gapless 'invoice' series; voids from the 'credit_note' series."""
    order = ForeignKeyField(RepairOrder, backref="settlements", index=True)
    customer = ForeignKeyField(Customer, backref="settlements", index=True)
    kind = CharField(max_length=8, default="invoice")
    number = IntegerField()
    shop = shop_field()  # the order's shop, whose series numbered it
    reverses = ForeignKeyField("self", null=True, backref="reversals", unique=True)
    at = DateTimeField(index=True)
    by = ForeignKeyField(Staff, null=True, backref="+")
    reason = CharField(max_length=200, null=True)
    prices_include_tax = BooleanField(default=True)
    tax_rate = PercentField()
    labor_receivable = MoneyField()
    labor_charged = MoneyField()
    parts_receivable = MoneyField()
    parts_charged = MoneyField()
    management_fee = MoneyField()
    auxiliary_fee = MoneyField()
    sublet_fee = MoneyField()
    towing_fee = MoneyField()
    other_fee = MoneyField()
    adjustment = MoneyField()
    tax = MoneyField()
    total = MoneyField()
    customer_share = MoneyField()
    insurer_share = MoneyField()
    manufacturer_share = MoneyField()
    internal_share = MoneyField()
    received_before = MoneyField()  # paid on the order before this invoice's session (e.g. a voided one)
    this_payment = MoneyField()     # paid at the desk up to settling
    lines_json = TextField(null=True)  # the bill as settled; null for bulk-seeded history

    class Meta:
        # Each shop has its own invoice and credit-note numbers (its own tax number).
        indexes = ((("kind", "number", "shop"), True),)


class Payment(BaseModel):
    """Money in (positive) or back out (negative: a reversal or refund of ``reverses``)."""
    order = ForeignKeyField(RepairOrder, backref="payments", index=True)
    method = CharField(max_length=10)
    amount = MoneyField()
    tendered = MoneyField(null=True)  # cash handed over
    change = MoneyField(null=True)    # cash handed back
    reference = CharField(max_length=40, null=True)  # card slip, transfer reference
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()
    reverses = ForeignKeyField("self", null=True, backref="reversals")
    reason = CharField(max_length=200, null=True)

    class Meta:
        indexes = ((("at", "by"), False),)


class OpenBalance(BaseModel):
    """What a customer still owes on a settled order (derived; deleted when paid in full).

    It carries copies of the customer's name keys and the car's plate (workshop/lookup.py), so that
    searching the receivables by name or plate is an index range over the balances themselves:
    through the customers or vehicles instead, a short prefix ("粤B") visits thousands of them
    for the few that owe."""
    order = ForeignKeyField(RepairOrder, unique=True, backref="+")
    customer = ForeignKeyField(Customer, index=True, backref="+")
    settlement = ForeignKeyField(Settlement, backref="+")
    since = DateField(index=True)
    amount = MoneyField()
    name_key = CharField(max_length=200, null=True)
    initials = CharField(max_length=40, null=True)
    plate = CharField(max_length=12, null=True)

    class Meta:
        indexes = ((("name_key", "since"), False), (("initials", "since"), False), (("plate", "since"), False))


class OnAccountRelease(BaseModel):
    """A manager's approval to release a car that is not fully paid."""
    order = ForeignKeyField(RepairOrder, unique=True, backref="+")
    by = ForeignKeyField(Staff, backref="+")
    at = DateTimeField()
    reason = CharField(max_length=200)
