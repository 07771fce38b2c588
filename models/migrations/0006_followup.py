# Generated from a schema diff on 2026-11-23 00:51.
from peewee import *

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

    class Vehicle(Model):
        class Meta:
            database = db
            table_name = 'vehicle'

    class Callback(Model):
        order = ForeignKeyField(RepairOrder, null=True)
        customer = ForeignKeyField(Customer)
        vehicle = ForeignKeyField(Vehicle, null=True)
        kind = CharField(max_length=12)
        reason = CharField(null=True, max_length=120)
        required = BooleanField(default=True)
        due = DateField(index=True)
        window_end = DateField()
        agent = ForeignKeyField(Staff, null=True)
        status = CharField(index=True, max_length=12, default='open')
        attempts = IntegerField(default=0)
        next_try_at = DateTimeField(null=True)
        letter_due = BooleanField(default=False)
        created_at = DateTimeField()
        done_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'callback'
            indexes = ((('status', 'due'), False), (('agent', 'status', 'due'), False))
    db.create_tables([Callback])

    class CallRecord(Model):
        callback = ForeignKeyField(Callback, null=True)
        customer = ForeignKeyField(Customer)
        direction = CharField(max_length=3, default='out')
        by = ForeignKeyField(Staff)
        at = DateTimeField(index=True)
        reached = BooleanField(default=True)
        notes = CharField(null=True, max_length=500)
        class Meta:
            database = db
            table_name = 'call_record'
    db.create_tables([CallRecord])

    class Answer(Model):
        call = ForeignKeyField(CallRecord, on_delete='CASCADE')
        question = CharField(max_length=160)
        score = IntegerField()
        class Meta:
            database = db
            table_name = 'answer'
    db.create_tables([Answer])

    class Complaint(Model):
        customer = ForeignKeyField(Customer)
        order = ForeignKeyField(RepairOrder, null=True)
        description = CharField(max_length=500)
        department = CharField(max_length=40)
        responsible = ForeignKeyField(Staff, null=True)
        status = CharField(index=True, max_length=12, default='open')
        due = DateField()
        created_by = ForeignKeyField(Staff)
        created_at = DateTimeField(index=True)
        escalated_at = DateTimeField(null=True)
        supervisor = ForeignKeyField(Staff, null=True)
        resolution = CharField(null=True, max_length=500)
        resolved_at = DateTimeField(null=True)
        verified_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'complaint'
    db.create_tables([Complaint])

    class Question(Model):
        business_type = CharField(index=True, max_length=20)
        position = IntegerField(default=0)
        text = CharField(max_length=160)
        class Meta:
            database = db
            table_name = 'question'
    db.create_tables([Question])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('question'))
    migrator.migrate(migrator.drop_table('complaint'))
    migrator.migrate(migrator.drop_table('answer'))
    migrator.migrate(migrator.drop_table('call_record'))
    migrator.migrate(migrator.drop_table('callback'))
