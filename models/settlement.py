"""Settlement: fees and adjustments before the bill is final, invoices with frozen lines, payments.

Settled records are never edited: a void or refund is a new row that reverses the original."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField, PercentField, QtyField
from models.orders import RepairOrder
from models.people import Customer, Staff

FEE_KINDS = ("management", "auxiliary", "sublet", "towing", "other")
PAYMENT_METHODS = ("cash", "card", "mobile", "transfer", "account")


class FeeLine(BaseModel):
    order = ForeignKeyField(RepairOrder, backref="fees", index=True, on_delete="CASCADE")
    kind = CharField(max_length=12)
    description = CharField(max_length=100)
    amount = MoneyField()
    payer = CharField(max_length=12, default="customer")
    by = ForeignKeyField(Staff)
    at = DateTimeField()


class Adjustment(BaseModel):
    """An extra discount on the customer's share, given at pre-settlement with a reason."""
    order = ForeignKeyField(RepairOrder, backref="adjustments", index=True, on_delete="CASCADE")
    discount_pct = PercentField()
    reason = CharField(max_length=200)
    by = ForeignKeyField(Staff)
    at = DateTimeField()


class Invoice(BaseModel):
    """The settled bill: numbered without gaps, its amounts frozen. kind 'void' reverses an invoice."""
    number = IntegerField(unique=True)
    kind = CharField(max_length=8, default="invoice")
    order = ForeignKeyField(RepairOrder, backref="invoices", index=True)
    customer = ForeignKeyField(Customer, backref="invoices", index=True)
    original = ForeignKeyField("self", null=True, backref="reversals")
    at = DateTimeField(index=True)
    by = ForeignKeyField(Staff, backref="invoices")
    labor_receivable = MoneyField()
    labor_charged = MoneyField()
    parts_receivable = MoneyField()
    parts_charged = MoneyField()
    fees = MoneyField()
    discount = MoneyField()
    tax_rate = PercentField()
    tax_included = BooleanField(default=True)
    tax = MoneyField()
    total = MoneyField()
    customer_due = MoneyField()
    insurer_due = MoneyField()
    manufacturer_due = MoneyField()
    internal_cost = MoneyField()
    paid = MoneyField()
    outstanding = MoneyField(index=True)
    reason = CharField(max_length=200, null=True)


class InvoiceLine(BaseModel):
    invoice = ForeignKeyField(Invoice, backref="lines", on_delete="CASCADE")
    section = CharField(max_length=8)  # labor, parts, fee, discount
    code = CharField(max_length=30, null=True)
    description = CharField(max_length=100)
    qty = QtyField()
    unit_price = MoneyField()
    receivable = MoneyField()
    discount_pct = PercentField()
    charged = MoneyField()
    payer = CharField(max_length=12)


class Payment(BaseModel):
    """Money in (or out, negative, for a refund or reversal). Never deleted."""
    invoice = ForeignKeyField(Invoice, backref="payments", index=True)
    order = ForeignKeyField(RepairOrder, backref="payments", index=True)
    method = CharField(max_length=10)
    amount = MoneyField()
    tendered = MoneyField(null=True)
    change = MoneyField(null=True)
    by = ForeignKeyField(Staff, backref="payments")
    at = DateTimeField(index=True)
    reverses = ForeignKeyField("self", null=True, backref="reversals")
    reason = CharField(max_length=200, null=True)
