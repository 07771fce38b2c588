# Generated from a schema diff on 2026-11-23 00:37; immutability triggers added by hand.
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
        kind = CharField(max_length=8)
        value = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        reason = CharField(max_length=200)
        by = ForeignKeyField(Staff)
        role = CharField(max_length=20)
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
        created_by = ForeignKeyField(Staff, null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'fee_line'
    db.create_tables([FeeLine])

    class OnAccountRelease(Model):
        order = ForeignKeyField(RepairOrder, unique=True)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        reason = CharField(max_length=200)
        class Meta:
            database = db
            table_name = 'on_account_release'
    db.create_tables([OnAccountRelease])

    class Settlement(Model):
        order = ForeignKeyField(RepairOrder)
        customer = ForeignKeyField(Customer)
        kind = CharField(max_length=8, default='invoice')
        number = IntegerField()
        reverses = ForeignKeyField('self', unique=True, null=True)
        at = DateTimeField(index=True)
        by = ForeignKeyField(Staff, null=True)
        reason = CharField(null=True, max_length=200)
        prices_include_tax = BooleanField(default=True)
        tax_rate = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        labor_receivable = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        labor_charged = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        parts_receivable = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        parts_charged = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        management_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        auxiliary_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        sublet_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        towing_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        other_fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        adjustment = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        tax = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        total = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        customer_share = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        insurer_share = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        manufacturer_share = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        internal_share = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        received_before = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        this_payment = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        lines_json = TextField(null=True)
        class Meta:
            database = db
            table_name = 'settlement'
            indexes = ((('kind', 'number'), True),)
    db.create_tables([Settlement])

    class OpenBalance(Model):
        order = ForeignKeyField(RepairOrder, unique=True)
        customer = ForeignKeyField(Customer)
        settlement = ForeignKeyField(Settlement)
        since = DateField(index=True)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        class Meta:
            database = db
            table_name = 'open_balance'
    db.create_tables([OpenBalance])

    class Payment(Model):
        order = ForeignKeyField(RepairOrder)
        method = CharField(max_length=10)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        tendered = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        change = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        reference = CharField(null=True, max_length=40)
        by = ForeignKeyField(Staff)
        at = DateTimeField()
        reverses = ForeignKeyField('self', null=True)
        reason = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'payment'
            indexes = ((('at', 'by'), False),)
    db.create_tables([Payment])

    # Settled records are facts. The services refuse these changes with a message; the triggers make
    # sure no other path (a script, a future bug) changes them silently either.
    if isinstance(db, SqliteDatabase):
        for table in ("settlement", "payment"):
            for event in ("UPDATE", "DELETE"):
                db.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are never changed: record a reversal'); END")
        # Lines of a settled order; a delivered order's lines are guarded by the services only (the
        # demo history marks comebacks on delivered orders in bulk).
        for table in ("job_line", "part_line", "fee_line"):
            for event, row in (("UPDATE", "OLD"), ("DELETE", "OLD")):
                db.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_settled_{event.lower()} BEFORE {event} ON {table} "
                    f"WHEN (SELECT state FROM repair_order WHERE id = {row}.order_id) = 'settled' "
                    f"BEGIN SELECT RAISE(ABORT, 'a settled order is read-only: void the settlement first'); END")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                      "(name LIKE 'settlement_no_%' OR name LIKE 'payment_no_%' OR name LIKE '%_settled_%')").fetchall():
            db.execute_sql(f"DROP TRIGGER {name}")
    migrator.migrate(migrator.drop_table('payment'))
    migrator.migrate(migrator.drop_table('open_balance'))
    migrator.migrate(migrator.drop_table('settlement'))
    migrator.migrate(migrator.drop_table('on_account_release'))
    migrator.migrate(migrator.drop_table('fee_line'))
    migrator.migrate(migrator.drop_table('adjustment'))
