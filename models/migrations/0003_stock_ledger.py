# Generated from a schema diff on 2026-11-23 00:35.
from peewee import *
import decimal

def up(migrator, db):
    class Part(Model):
        class Meta:
            database = db
            table_name = 'part'

    class PartLine(Model):
        class Meta:
            database = db
            table_name = 'part_line'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class OldPartRecord(Model):
        part_line = ForeignKeyField(PartLine, on_delete='CASCADE')
        disposition = CharField(max_length=10)
        note = CharField(null=True, max_length=200)
        by = ForeignKeyField(Staff, null=True)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'old_part_record'
    db.create_tables([OldPartRecord])

    class StockMovement(Model):
        part = ForeignKeyField(Part)
        kind = CharField(max_length=12)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        on_hand_after = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        order = ForeignKeyField(RepairOrder, null=True)
        part_line = ForeignKeyField(PartLine, null=True)
        by = ForeignKeyField(Staff, null=True)
        at = DateTimeField(index=True)
        reason = CharField(null=True, max_length=200)
        reference = CharField(null=True, max_length=60)
        class Meta:
            database = db
            table_name = 'stock_movement'
    db.create_tables([StockMovement])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('stock_movement'))
    migrator.migrate(migrator.drop_table('old_part_record'))
