# Written by hand on 2026-11-30 (issue 24; numbered after main's 0013): the follow-up loop without gaps. The call register says how a
# call came (phone, walk-in, SMS, WeChat), what it was about and what it came to; a complaint knows the call
# it was raised on and is found by whom it was escalated to; cars get maintenance plans (首保/定保) found by
# status and date, and never-serviced cars by purchase date; campaigns with their invitations.
from peewee import *


def up(migrator, db):
    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class Customer(Model):
        class Meta:
            database = db
            table_name = 'customer'

    class Vehicle(Model):
        class Meta:
            database = db
            table_name = 'vehicle'

    class RepairOrder(Model):
        class Meta:
            database = db
            table_name = 'repair_order'

    class CallRecord(Model):
        class Meta:
            database = db
            table_name = 'call_record'

    migrator.migrate(
        migrator.add_column('call_record', 'channel',
                            CharField(max_length=10, default='phone', constraints=[SQL("DEFAULT 'phone'")])),
        migrator.add_column('call_record', 'topic',
                            CharField(max_length=10, default='callback', constraints=[SQL("DEFAULT 'callback'")])),
        migrator.add_column('call_record', 'result', CharField(max_length=20, null=True)),
        migrator.add_column('call_record', 'vehicle_id',
                            ForeignKeyField(Vehicle, null=True, field=Vehicle._meta.primary_key, index=False)),
        migrator.add_column('complaint', 'call_id',
                            ForeignKeyField(CallRecord, null=True, field=CallRecord._meta.primary_key)),
        migrator.drop_index('complaint', 'complaint_supervisor_id'),
        migrator.add_index('complaint', ('supervisor_id', 'status'), False),
        migrator.add_index('call_record', ('topic', 'at'), False),
        migrator.add_index('vehicle', ('last_visit_at', 'purchase_date'), False),
    )
    # Incoming calls logged before this version were the only ones with direction 'in'.
    db.execute_sql("UPDATE call_record SET topic = 'incoming' WHERE direction = 'in'")

    class PlannedService(Model):
        vehicle = ForeignKeyField(Vehicle, index=False)
        seq = IntegerField()
        due_km = IntegerField()
        planned_date = DateField()
        due_date = DateField()
        status = CharField(max_length=8, default='planned')
        order = ForeignKeyField(RepairOrder, null=True, index=False)
        closed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'planned_service'
            indexes = ((('vehicle', 'seq'), True), (('status', 'due_date', 'vehicle'), False))

    class Campaign(Model):
        name = CharField(max_length=100)
        starts_on = DateField(index=True)
        ends_on = DateField()
        rule = CharField(max_length=20)
        rule_value = CharField(max_length=60, null=True)
        invite_from = DateField()
        invited = IntegerField()
        answered = IntegerField(default=0)
        accepted = IntegerField(default=0)
        marked_came = IntegerField(default=0)
        notes = CharField(max_length=500, null=True)
        created_by = ForeignKeyField(Staff)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'campaign'

    class Invitation(Model):
        campaign = ForeignKeyField(Campaign, index=False)
        customer = ForeignKeyField(Customer, index=True)
        vehicle = ForeignKeyField(Vehicle, null=True, index=False)
        due = DateField()
        status = CharField(max_length=6, default='due', constraints=[SQL("DEFAULT 'due'")])
        result = CharField(max_length=20, null=True)
        attempts = IntegerField(default=0)
        answered_at = DateTimeField(null=True)
        came_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = 'invitation'
            indexes = ((('campaign', 'customer'), True), (('status', 'due'), False))

    db.create_tables([PlannedService, Campaign, Invitation])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('invitation'), migrator.drop_table('campaign'), migrator.drop_table('planned_service'),
        migrator.drop_index('vehicle', 'vehicle_last_visit_at_purchase_date'),
        migrator.drop_index('call_record', 'call_record_topic_at'),
        migrator.drop_index('complaint', 'complaint_supervisor_id_status'),
        migrator.add_index('complaint', ('supervisor_id',), False),
        migrator.drop_column('complaint', 'call_id'),
        migrator.drop_column('call_record', 'vehicle_id'), migrator.drop_column('call_record', 'result'),
        migrator.drop_column('call_record', 'topic'), migrator.drop_column('call_record', 'channel'),
    )
