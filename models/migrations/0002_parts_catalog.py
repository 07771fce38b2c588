# Generated from a schema diff on 2026-11-23 00:00.
from peewee import *
import decimal

def up(migrator, db):
    class JobLine(Model):
        class Meta:
            database = db
            table_name = 'job_line'

    class Operation(Model):
        class Meta:
            database = db
            table_name = 'operation'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class Part(Model):
        code = CharField(unique=True, max_length=30)
        name = CharField(index=True, max_length=100)
        brand = CharField(null=True, max_length=40)
        category = CharField(null=True, max_length=40)
        fits_models = CharField(null=True, max_length=200)
        unit = CharField(max_length=4, default='pc')
        warehouse = CharField(max_length=20, default='MAIN')
        bin = CharField(null=True, max_length=20)
        unit_cost = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        sale_price = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        reorder_threshold = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        supplier = CharField(null=True, max_length=60)
        oem = BooleanField(default=True)
        on_hand = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        reserved = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'part'
    db.create_tables([Part])

    class OperationPart(Model):
        operation = ForeignKeyField(Operation, on_delete='CASCADE')
        part = ForeignKeyField(Part)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        class Meta:
            database = db
            table_name = 'operation_part'
            indexes = ((('operation', 'part'), True),)
    db.create_tables([OperationPart])

    class PartLine(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE')
        job_line = ForeignKeyField(JobLine, null=True, on_delete='SET NULL')
        part = ForeignKeyField(Part)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        reserved = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        picked = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        returned = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        unit_price = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        discount_pct = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        payer = CharField(max_length=12, default='customer')
        status = CharField(max_length=12, default='requested')
        requested_by = ForeignKeyField(Staff, null=True)
        requested_at = DateTimeField()
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'part_line'
    db.create_tables([PartLine])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('part_line'))
    migrator.migrate(migrator.drop_table('operation_part'))
    migrator.migrate(migrator.drop_table('part'))
