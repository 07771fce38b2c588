"""Purchasing: suppliers, purchase orders (采购订单) for parts, and the repair orders' part lines each PO line serves.

A PO line's outstanding quantity is ``qty - received``; ``PurchaseOrderLink.qty`` is the part of it still
expected for one part line (a short reservation), so an order knows it is "ordered" and when the goods are due.
"""
from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField, QtyField
from models.parts import Part, PartLine
from models.people import Staff
from models.shop import shop_field

PO_STATES = ("open", "received", "cancelled")


class Supplier(BaseModel):
    """Who parts are bought from. ``Part.supplier`` names a part's usual supplier by this name."""
    name = CharField(max_length=60, unique=True)
    contact = CharField(max_length=60, null=True)
    phone = CharField(max_length=20, null=True)
    email = CharField(max_length=120, null=True)
    lead_days = IntegerField(default=3)  # days from ordering to delivery, for the expected date
    active = BooleanField(default=True)


class PurchaseOrder(BaseModel):
    number = IntegerField(unique=True)  # the group's numbering: a supplier sees one series
    shop = shop_field()  # whose warehouse the goods go into
    supplier = ForeignKeyField(Supplier, backref="purchase_orders", index=True)
    state = CharField(max_length=10, default="open")
    version = IntegerField(default=1)
    ordered_at = DateTimeField()
    expected_on = DateField()  # the ETA every short card tied to this PO shows
    received_at = DateTimeField(null=True)
    by = ForeignKeyField(Staff, backref="+")
    note = CharField(max_length=200, null=True)

    class Meta:
        indexes = ((("state", "expected_on"), False),)  # open POs, late ones first


class PurchaseOrderLine(BaseModel):
    po = ForeignKeyField(PurchaseOrder, backref="lines", index=True)
    part = ForeignKeyField(Part, backref="po_lines", index=True)
    qty = QtyField()
    received = QtyField()
    unit_cost = MoneyField()

    class Meta:
        indexes = ((("po", "part"), True),)


class PurchaseOrderLink(BaseModel):
    """A PO line tied to a part line of a repair order it serves: ``qty`` is still expected for that line."""
    po_line = ForeignKeyField(PurchaseOrderLine, backref="links")
    part_line = ForeignKeyField(PartLine, backref="po_links", index=True, on_delete="CASCADE")
    qty = QtyField()

    class Meta:
        indexes = ((("po_line", "part_line"), True),)
