# Generated from a schema diff on 2026-11-23 00:41.
from peewee import *
import decimal

def up(migrator, db):
    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class ChecklistItem(Model):
        business_type = CharField(index=True, max_length=20)
        position = IntegerField(default=0)
        text = CharField(max_length=120)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'checklist_item'
    db.create_tables([ChecklistItem])

    class Inspection(Model):
        order = ForeignKeyField(RepairOrder)
        inspector = ForeignKeyField(Staff)
        signed_at = DateTimeField(index=True)
        result = CharField(max_length=4)
        reinspection = BooleanField(default=False)
        rework_reason = CharField(null=True, max_length=200)
        responsible = ForeignKeyField(Staff, null=True)
        penalty = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        promised_at = DateTimeField(null=True)
        completed_at = DateTimeField(null=True)
        late = BooleanField(default=False)
        delay_reason = CharField(null=True, max_length=40)
        class Meta:
            database = db
            table_name = 'inspection'
    db.create_tables([Inspection])

    class InspectionResult(Model):
        inspection = ForeignKeyField(Inspection, on_delete='CASCADE')
        item = ForeignKeyField(ChecklistItem, null=True)
        text = CharField(max_length=120)
        result = CharField(max_length=4)
        note = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'inspection_result'
    db.create_tables([InspectionResult])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('inspection_result'))
    migrator.migrate(migrator.drop_table('inspection'))
    migrator.migrate(migrator.drop_table('checklist_item'))
