# Generated from a schema diff on 2026-11-30 12:06; the triggers that keep payments as facts added by hand.
from peewee import *
import decimal

def up(migrator, db):
    class JobLine(Model):
        class Meta:
            database = db
            table_name = 'job_line'

    class OldPartRecord(Model):
        class Meta:
            database = db
            table_name = 'old_part_record'

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

    class Settlement(Model):
        class Meta:
            database = db
            table_name = 'settlement'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class InsuranceClaim(Model):
        order = ForeignKeyField(RepairOrder, unique=True)
        insurer = CharField(index=True, max_length=60)
        claim_no = CharField(null=True, max_length=40)
        assessor = CharField(null=True, max_length=60)
        assessed_amount = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        deductible = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        towing_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        personal_injury = BooleanField(default=False)
        property_loss = BooleanField(default=False)
        state = CharField(max_length=10, default='registered')
        version = IntegerField(default=1)
        created_by = ForeignKeyField(Staff)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'insurance_claim'
    db.create_tables([InsuranceClaim])

    class InsuranceDocument(Model):
        claim = ForeignKeyField(InsuranceClaim)
        code = CharField(max_length=20)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'insurance_document'
            indexes = ((('claim', 'code'), True),)
    db.create_tables([InsuranceDocument])

    class InsuranceSupplement(Model):
        claim = ForeignKeyField(InsuranceClaim)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        reason = CharField(max_length=200)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'insurance_supplement'
    db.create_tables([InsuranceSupplement])

    class InsurerBalance(Model):
        order = ForeignKeyField(RepairOrder, unique=True)
        claim = ForeignKeyField(InsuranceClaim, null=True)
        insurer = CharField(index=True, max_length=60)
        settlement = ForeignKeyField(Settlement)
        since = DateField(index=True)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        class Meta:
            database = db
            table_name = 'insurer_balance'
    db.create_tables([InsurerBalance])

    class InsurerPayment(Model):
        order = ForeignKeyField(RepairOrder)
        claim = ForeignKeyField(InsuranceClaim, null=True)
        insurer = CharField(max_length=60)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        paid_on = DateField()
        reference = CharField(null=True, max_length=60)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'insurer_payment'
    db.create_tables([InsurerPayment])

    class Supplier(Model):
        name = CharField(unique=True, max_length=60)
        contact = CharField(null=True, max_length=60)
        phone = CharField(null=True, max_length=20)
        email = CharField(null=True, max_length=120)
        lead_days = IntegerField(default=3)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'supplier'
    db.create_tables([Supplier])

    class PurchaseOrder(Model):
        number = IntegerField(unique=True)
        supplier = ForeignKeyField(Supplier)
        state = CharField(max_length=10, default='open')
        version = IntegerField(default=1)
        ordered_at = DateTimeField()
        expected_on = DateField()
        received_at = DateTimeField(null=True)
        by = ForeignKeyField(Staff)
        note = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'purchase_order'
            indexes = ((('state', 'expected_on'), False),)
    db.create_tables([PurchaseOrder])

    class PurchaseOrderLine(Model):
        po = ForeignKeyField(PurchaseOrder)
        part = ForeignKeyField(Part)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        received = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        unit_cost = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        class Meta:
            database = db
            table_name = 'purchase_order_line'
            indexes = ((('po', 'part'), True),)
    db.create_tables([PurchaseOrderLine])

    class PurchaseOrderLink(Model):
        po_line = ForeignKeyField(PurchaseOrderLine)
        part_line = ForeignKeyField(PartLine, on_delete='CASCADE')
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        class Meta:
            database = db
            table_name = 'purchase_order_link'
            indexes = ((('po_line', 'part_line'), True),)
    db.create_tables([PurchaseOrderLink])

    class WarrantyClaim(Model):
        number = IntegerField(unique=True)
        order = ForeignKeyField(RepairOrder, unique=True)
        manufacturer = CharField(max_length=40)
        state = CharField(max_length=16, default='draft')
        version = IntegerField(default=1)
        complaint = TextField()
        cause = TextField(null=True)
        correction = TextField(null=True)
        causal_part_line = ForeignKeyField(PartLine, null=True)
        old_part = ForeignKeyField(OldPartRecord, null=True)
        return_by = DateField(null=True)
        old_part_returned_at = DateTimeField(null=True)
        old_part_reference = CharField(null=True, max_length=60)
        repair_date = DateField()
        deadline = DateField()
        labor_amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        parts_amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        claimed_amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        accepted_amount = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        rejection_reason = CharField(null=True, max_length=20)
        rejection_note = CharField(null=True, max_length=200)
        submissions = IntegerField(default=0)
        first_submitted_at = DateTimeField(index=True, null=True)
        submitted_at = DateTimeField(null=True)
        answered_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        created_by = ForeignKeyField(Staff)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'warranty_claim'
            indexes = ((('state', 'deadline'), False),)
    db.create_tables([WarrantyClaim])

    class WarrantyClaimLine(Model):
        claim = ForeignKeyField(WarrantyClaim)
        kind = CharField(max_length=6)
        job_line = ForeignKeyField(JobLine, null=True)
        part_line = ForeignKeyField(PartLine, null=True)
        code = CharField(max_length=30)
        name = CharField(max_length=100)
        quantity = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        unit = CharField(max_length=4)
        rate = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'warranty_claim_line'
    db.create_tables([WarrantyClaimLine])

    class WarrantyPayment(Model):
        claim = ForeignKeyField(WarrantyClaim)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        paid_on = DateField()
        reference = CharField(null=True, max_length=60)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'warranty_payment'
    db.create_tables([WarrantyPayment])

    class WarrantyRejection(Model):
        claim = ForeignKeyField(WarrantyClaim)
        reason = CharField(max_length=20)
        note = CharField(null=True, max_length=200)
        claimed = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        accepted = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        by = ForeignKeyField(Staff)
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'warranty_rejection'
    db.create_tables([WarrantyRejection])

    migrator.migrate(migrator.add_column('repair_order', 'parts_eta', DateField(null=True)))

    # Money received from a manufacturer or an insurer is a fact, as the cashier's payments are (0005).
    for table in ("warranty_payment", "insurer_payment"):
        if isinstance(db, SqliteDatabase):
            for event in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed: record a reversal'); END")
        elif isinstance(db, PostgresqlDatabase):
            db.execute_sql(
                "CREATE OR REPLACE FUNCTION refuse_payment_change() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' rows are never changed: record a reversal'; "
                "END $$ "
                "LANGUAGE plpgsql")
            db.execute_sql(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_payment_change()")


def down(migrator, db):
    for table in ("warranty_payment", "insurer_payment"):
        if isinstance(db, SqliteDatabase):
            for event in ("update", "delete"):
                db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        elif isinstance(db, PostgresqlDatabase):
            db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql("DROP FUNCTION IF EXISTS refuse_payment_change()")
    migrator.migrate(migrator.drop_column('repair_order', 'parts_eta'))
    migrator.migrate(migrator.drop_table('warranty_rejection'))
    migrator.migrate(migrator.drop_table('warranty_payment'))
    migrator.migrate(migrator.drop_table('warranty_claim_line'))
    migrator.migrate(migrator.drop_table('warranty_claim'))
    migrator.migrate(migrator.drop_table('purchase_order_link'))
    migrator.migrate(migrator.drop_table('purchase_order_line'))
    migrator.migrate(migrator.drop_table('purchase_order'))
    migrator.migrate(migrator.drop_table('supplier'))
    migrator.migrate(migrator.drop_table('insurer_payment'))
    migrator.migrate(migrator.drop_table('insurer_balance'))
    migrator.migrate(migrator.drop_table('insurance_supplement'))
    migrator.migrate(migrator.drop_table('insurance_document'))
    migrator.migrate(migrator.drop_table('insurance_claim'))
