# Generated from a schema diff on 2026-11-23 00:47.
from peewee import *
import decimal

def up(migrator, db):
    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class Adjustment(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE')
        discount_pct = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        reason = CharField(max_length=200)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'adjustment'
    db.create_tables([Adjustment])

    class FeeLine(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE')
        kind = CharField(max_length=12)
        description = CharField(max_length=100)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        payer = CharField(max_length=12, default='customer')
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'fee_line'
    db.create_tables([FeeLine])

    class Invoice(Model):
        number = IntegerField(unique=True)
        kind = CharField(max_length=8, default='invoice')
        order = ForeignKeyField(RepairOrder)
        customer = ForeignKeyField(Customer)
        original = ForeignKeyField('self', null=True)
        at = DateTimeField(index=True)
        by = ForeignKeyField(Staff)
        labor_receivable = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        labor_charged = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        parts_receivable = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        parts_charged = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        fees = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        discount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        tax_rate = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        tax_included = BooleanField(default=True)
        tax = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        total = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        customer_due = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        insurer_due = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        manufacturer_due = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        internal_cost = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        paid = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        outstanding = DecimalField(index=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        reason = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'invoice'
    db.create_tables([Invoice])

    class InvoiceLine(Model):
        invoice = ForeignKeyField(Invoice, on_delete='CASCADE')
        section = CharField(max_length=8)
        code = CharField(null=True, max_length=30)
        description = CharField(max_length=100)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        unit_price = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        receivable = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        discount_pct = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        charged = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        payer = CharField(max_length=12)
        class Meta:
            database = db
            table_name = 'invoice_line'
    db.create_tables([InvoiceLine])

    class Payment(Model):
        invoice = ForeignKeyField(Invoice)
        order = ForeignKeyField(RepairOrder)
        method = CharField(max_length=10)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        tendered = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        change = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        by = ForeignKeyField(Staff)
        at = DateTimeField(index=True)
        reverses = ForeignKeyField('self', null=True)
        reason = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'payment'
    db.create_tables([Payment])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('payment'))
    migrator.migrate(migrator.drop_table('invoice_line'))
    migrator.migrate(migrator.drop_table('invoice'))
    migrator.migrate(migrator.drop_table('fee_line'))
    migrator.migrate(migrator.drop_table('adjustment'))
