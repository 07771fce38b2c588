# Generated from a schema diff on 2026-11-22 22:51.
from peewee import *
import decimal

def up(migrator, db):
    class Bay(Model):
        code = CharField(unique=True, max_length=10)
        name = CharField(max_length=40)
        kind = CharField(max_length=20)
        capacity = IntegerField(default=1)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'bay'
    db.create_tables([Bay])

    class CustomerClass(Model):
        name = CharField(unique=True, max_length=40)
        labor_discount = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        material_discount = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        fee = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        points_needed = IntegerField(default=0)
        valid_months = IntegerField(default=12)
        is_vip = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'customer_class'
    db.create_tables([CustomerClass])

    class Customer(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(index=True, max_length=100)
        kind = CharField(max_length=10, default='private')
        mobile = CharField(index=True, max_length=20)
        home_phone = CharField(null=True, max_length=20)
        office_phone = CharField(null=True, max_length=20)
        address = CharField(null=True, max_length=200)
        postcode = CharField(null=True, max_length=10)
        email = CharField(null=True, max_length=120)
        id_number = CharField(null=True, max_length=40)
        birthday = DateField(null=True)
        notes = TextField(null=True)
        customer_class = ForeignKeyField(CustomerClass, null=True)
        is_key = BooleanField(default=False)
        has_complained = BooleanField(default=False)
        unreachable = BooleanField(default=False)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'customer'
    db.create_tables([Customer])

    class Staff(Model):
        login = CharField(unique=True, max_length=32)
        name = CharField(max_length=60)
        roles = CharField(max_length=200)
        trade = CharField(null=True, max_length=20)
        pin_hash = CharField(null=True, max_length=200)
        failed_pins = IntegerField(default=0)
        locked_until = DateTimeField(null=True)
        active = BooleanField(default=True)
        follow_up_agent = ForeignKeyField('self', null=True)
        class Meta:
            database = db
            table_name = 'staff'
    db.create_tables([Staff])

    class Vehicle(Model):
        plate = CharField(unique=True, max_length=12)
        vin = CharField(unique=True, max_length=17)
        customer = ForeignKeyField(Customer)
        brand = CharField(max_length=40)
        series = CharField(null=True, max_length=40)
        model = CharField(max_length=60)
        model_year = IntegerField(null=True)
        engine_no = CharField(null=True, max_length=30)
        gearbox = CharField(null=True, max_length=30)
        colour = CharField(null=True, max_length=30)
        fuel_type = CharField(null=True, max_length=20)
        purchase_date = DateField(null=True)
        purchase_mileage = IntegerField(null=True)
        selling_dealer = CharField(null=True, max_length=80)
        insurance_expiry = DateField(index=True, null=True)
        warranty_expiry = DateField(index=True, null=True)
        class Meta:
            database = db
            table_name = 'vehicle'
    db.create_tables([Vehicle])

    class RepairOrder(Model):
        number = IntegerField(unique=True)
        vehicle = ForeignKeyField(Vehicle)
        customer = ForeignKeyField(Customer)
        business_type = CharField(max_length=20)
        advisor = ForeignKeyField(Staff)
        state = CharField(index=True, max_length=20)
        version = IntegerField(default=1)
        rework = BooleanField(default=False)
        rework_reason = TextField(null=True)
        parts_status = CharField(max_length=10, default='none')
        parts_ready = BooleanField(default=False)
        time_in = DateTimeField(index=True)
        mileage_in = IntegerField()
        fuel_level = CharField(null=True, max_length=8)
        statement = TextField()
        documents_kept = CharField(null=True, max_length=200)
        promised_at = DateTimeField()
        started_at = DateTimeField(null=True)
        completed_at = DateTimeField(null=True)
        qc_passed_at = DateTimeField(null=True)
        settled_at = DateTimeField(null=True)
        released_at = DateTimeField(index=True, null=True)
        cancelled_at = DateTimeField(null=True)
        cancel_reason = TextField(null=True)
        last_visit_date = DateField(null=True)
        last_visit_mileage = IntegerField(null=True)
        estimate = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        insurer = CharField(null=True, max_length=60)
        claim_no = CharField(null=True, max_length=40)
        assessed_amount = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        deductible = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        towing = BooleanField(default=False)
        bay = ForeignKeyField(Bay, null=True)
        dispatcher = ForeignKeyField(Staff, null=True)
        dispatched_at = DateTimeField(null=True)
        qc_inspector = ForeignKeyField(Staff, null=True)
        delay_reason = CharField(null=True, max_length=40)
        comeback_of = ForeignKeyField('self', null=True)
        comeback_line_id = IntegerField(null=True)
        comeback_charge = CharField(null=True, max_length=12)
        state_changed_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'repair_order'
            indexes = ((('state', 'promised_at'), False),)
    db.create_tables([RepairOrder])

    class Event(Model):
        at = DateTimeField()
        actor = ForeignKeyField(Staff, null=True)
        kind = CharField(max_length=40)
        entity = CharField(max_length=30)
        entity_id = IntegerField()
        order = ForeignKeyField(RepairOrder, null=True)
        summary = TextField()
        before = TextField(null=True)
        after = TextField(null=True)
        op_id = CharField(unique=True, null=True, max_length=40)
        class Meta:
            database = db
            table_name = 'event'
            indexes = ((('order', 'id'), False), (('actor', 'at'), False), (('kind', 'at'), False), (('at',), False), (('entity', 'entity_id'), False))
    db.create_tables([Event])

    class Operation(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        trade = CharField(max_length=20)
        standard_hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        business_type = CharField(null=True, max_length=20)
        class Meta:
            database = db
            table_name = 'operation'
    db.create_tables([Operation])

    class JobLine(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE')
        operation = ForeignKeyField(Operation, null=True)
        code = CharField(max_length=20)
        name = CharField(max_length=100)
        trade = CharField(max_length=20)
        standard_hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        billed_hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        rate = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        discount_pct = DecimalField(max_digits=5, decimal_places=2, default=decimal.Decimal('0'))
        payer = CharField(max_length=12, default='customer')
        status = CharField(max_length=12, default='pending')
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'job_line'
    db.create_tables([JobLine])

    class JobLineTechnician(Model):
        line = ForeignKeyField(JobLine, on_delete='CASCADE')
        technician = ForeignKeyField(Staff)
        lead = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'job_line_technician'
            indexes = ((('line', 'technician'), True),)
    db.create_tables([JobLineTechnician])

    class LaborRate(Model):
        trade = CharField(unique=True, max_length=20)
        rate = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        class Meta:
            database = db
            table_name = 'labor_rate'
    db.create_tables([LaborRate])

    class OrderCounter(Model):
        name = CharField(unique=True, max_length=20)
        next_value = IntegerField()
        class Meta:
            database = db
            table_name = 'order_counter'
    db.create_tables([OrderCounter])

    class Setting(Model):
        key = CharField(unique=True, max_length=60)
        value = TextField()
        class Meta:
            database = db
            table_name = 'setting'
    db.create_tables([Setting])

    class TimeLog(Model):
        line = ForeignKeyField(JobLine, on_delete='CASCADE')
        technician = ForeignKeyField(Staff)
        started_at = DateTimeField()
        ended_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'time_log'
            indexes = ((('technician', 'ended_at'), False),)
    db.create_tables([TimeLog])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('time_log'))
    migrator.migrate(migrator.drop_table('setting'))
    migrator.migrate(migrator.drop_table('order_counter'))
    migrator.migrate(migrator.drop_table('labor_rate'))
    migrator.migrate(migrator.drop_table('job_line_technician'))
    migrator.migrate(migrator.drop_table('job_line'))
    migrator.migrate(migrator.drop_table('operation'))
    migrator.migrate(migrator.drop_table('event'))
    migrator.migrate(migrator.drop_table('repair_order'))
    migrator.migrate(migrator.drop_table('vehicle'))
    migrator.migrate(migrator.drop_table('staff'))
    migrator.migrate(migrator.drop_table('customer'))
    migrator.migrate(migrator.drop_table('customer_class'))
    migrator.migrate(migrator.drop_table('bay'))
