# Generated from a schema diff on 2026-11-30 13:07 (issue 20): appointments with the capacity they take per
# half-hour, the parts held for them and the day-before calls; the customer's approval of job lines.
# job_line.approval has a SQL default, so terminals of the previous release still insert approved lines.
from peewee import *
import decimal

def up(migrator, db):
    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class JobLine(Model):
        class Meta:
            database = db
            table_name = 'job_line'

    class Operation(Model):
        class Meta:
            database = db
            table_name = 'operation'

    class Part(Model):
        class Meta:
            database = db
            table_name = 'part'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class Vehicle(Model):
        class Meta:
            database = db
            table_name = 'vehicle'

    class Appointment(Model):
        number = IntegerField(unique=True)
        vehicle = ForeignKeyField(Vehicle, index=False)
        customer = ForeignKeyField(Customer)
        contact_name = CharField(max_length=60)
        contact_phone = CharField(max_length=20)
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField()
        business_type = CharField(max_length=20)
        hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        estimate = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        state = CharField(max_length=12, default='booked')
        source = CharField(max_length=12)
        notes = TextField(null=True)
        accepted_by = ForeignKeyField(Staff)
        accepted_at = DateTimeField()
        overbooked_by = ForeignKeyField(Staff, null=True)
        overbooked_reason = CharField(null=True, max_length=200)
        parts_short = BooleanField(default=False)
        order = ForeignKeyField(RepairOrder, unique=True, null=True)
        arrived_at = DateTimeField(null=True)
        closed_at = DateTimeField(null=True)
        close_reason = CharField(null=True, max_length=200)
        version = IntegerField(default=1)
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'appointment'
            indexes = ((('vehicle', 'starts_at'), False), (('state', 'starts_at'), False))
    db.create_tables([Appointment])

    class AppointmentCall(Model):
        appointment = ForeignKeyField(Appointment, on_delete='CASCADE')
        at = DateTimeField()
        by = ForeignKeyField(Staff)
        channel = CharField(max_length=10)
        outcome = CharField(max_length=12)
        note = CharField(null=True, max_length=200)
        moved_to = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'appointment_call'
    db.create_tables([AppointmentCall])

    class AppointmentDay(Model):
        day = DateField(unique=True)
        bookings = IntegerField(default=0, constraints=[SQL('DEFAULT 0')])
        class Meta:
            database = db
            table_name = 'appointment_day'
    db.create_tables([AppointmentDay])

    class AppointmentLine(Model):
        appointment = ForeignKeyField(Appointment, on_delete='CASCADE')
        operation = ForeignKeyField(Operation)
        code = CharField(max_length=20)
        name = CharField(max_length=100)
        trade = CharField(max_length=20)
        hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'appointment_line'
    db.create_tables([AppointmentLine])

    class AppointmentPart(Model):
        appointment = ForeignKeyField(Appointment, on_delete='CASCADE')
        part = ForeignKeyField(Part)
        operation = ForeignKeyField(Operation, null=True)
        qty = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        reserved = DecimalField(max_digits=12, decimal_places=3, default=decimal.Decimal('0'))
        class Meta:
            database = db
            table_name = 'appointment_part'
    db.create_tables([AppointmentPart])

    class AppointmentSlot(Model):
        appointment = ForeignKeyField(Appointment, on_delete='CASCADE')
        starts_at = DateTimeField()
        trade = CharField(max_length=20)
        bay_kind = CharField(max_length=20)
        hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        class Meta:
            database = db
            table_name = 'appointment_slot'
            indexes = ((('starts_at',), False),)
    db.create_tables([AppointmentSlot])

    class LineApproval(Model):
        line = ForeignKeyField(JobLine, on_delete='CASCADE')
        decision = CharField(max_length=10)
        channel = CharField(null=True, max_length=10)
        reference = CharField(null=True, max_length=60)
        customer_name = CharField(null=True, max_length=60)
        amount = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        recorded_by = ForeignKeyField(Staff)
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'line_approval'
            indexes = ((('decision', 'at'), False),)
    db.create_tables([LineApproval])

    # NOT NULL with a constant DEFAULT in one ALTER: no UPDATE of every job line and, on SQLite, no rebuild of
    # the table (which would drop its triggers and take minutes on a shop with a million orders).
    migrator.migrate(migrator.add_column('job_line', 'approval',
                                         CharField(max_length=10, default='approved',
                                                   constraints=[SQL("DEFAULT 'approved'")]),
                                         allow_not_null=True))

def down(migrator, db):
    migrator.migrate(migrator.drop_column('job_line', 'approval'))
    migrator.migrate(migrator.drop_table('line_approval'))
    migrator.migrate(migrator.drop_table('appointment_slot'))
    migrator.migrate(migrator.drop_table('appointment_part'))
    migrator.migrate(migrator.drop_table('appointment_line'))
    migrator.migrate(migrator.drop_table('appointment_day'))
    migrator.migrate(migrator.drop_table('appointment_call'))
    migrator.migrate(migrator.drop_table('appointment'))
