# Generated from a schema diff on 2026-11-30 13:16; index=False where the model has it and the partial unique
# indexes (one open shift per technician, one open checkout per tool, one open pick request per job line)
# added by hand. The shop floor: trades in their bays, shifts, pick requests, tools, daily labour figures.
from peewee import *
import decimal

def up(migrator, db):
    class Bay(Model):
        class Meta:
            database = db
            table_name = 'bay'

    class JobLine(Model):
        class Meta:
            database = db
            table_name = 'job_line'

    class Operation(Model):
        class Meta:
            database = db
            table_name = 'operation'

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

    class LabourDay(Model):
        day = DateField()
        technician = ForeignKeyField(Staff, null=True, index=False)
        trade = CharField(max_length=20)
        advisor = ForeignKeyField(Staff, null=True, index=False)
        sold_hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        revenue = DecimalField(max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        clocked_seconds = IntegerField(default=0)
        present_seconds = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'labour_day'
            indexes = ((('day',), False),)
    db.create_tables([LabourDay])

    class LabourDayDone(Model):
        day = DateField(unique=True)
        computed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'labour_day_done'
    db.create_tables([LabourDayDone])

    class Tool(Model):
        code = CharField(unique=True, max_length=20)
        name = CharField(max_length=100)
        name_zh = CharField(null=True, max_length=100)
        kind = CharField(max_length=20)
        location = CharField(null=True, max_length=40)
        state = CharField(index=True, max_length=12, default='available')
        calibration_due = DateField(null=True)
        maintenance_due = DateField(null=True)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'tool'
    db.create_tables([Tool])

    class OperationTool(Model):
        operation = ForeignKeyField(Operation, on_delete='CASCADE', index=False)
        tool = ForeignKeyField(Tool, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'operation_tool'
            indexes = ((('operation', 'tool'), True),)
    db.create_tables([OperationTool])

    class PickRequest(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE')
        line = ForeignKeyField(JobLine, on_delete='CASCADE')
        technician = ForeignKeyField(Staff)
        requested_at = DateTimeField()
        note = TextField(null=True)
        last_part_line = ForeignKeyField(PartLine, null=True, on_delete='SET NULL')
        ready_at = DateTimeField(null=True)
        cancelled_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'pick_request'
            indexes = ((('ready_at', 'requested_at'), False),)
    PickRequest.add_index(PickRequest.index(PickRequest.line, unique=True, name="pick_request_open_one_per_line")
                          .where(PickRequest.ready_at.is_null() & PickRequest.cancelled_at.is_null()))
    db.create_tables([PickRequest])

    class Shift(Model):
        technician = ForeignKeyField(Staff, index=False)
        started_at = DateTimeField()
        ended_at = DateTimeField(index=True, null=True)
        note = CharField(null=True, max_length=200)
        class Meta:
            database = db
            table_name = 'shift'
            indexes = ((('technician', 'started_at'), False),)
    Shift.add_index(Shift.index(Shift.technician, unique=True, name="shift_open_one_per_technician")
                    .where(Shift.ended_at.is_null()))
    db.create_tables([Shift])

    class ToolCheckout(Model):
        tool = ForeignKeyField(Tool, index=False)
        technician = ForeignKeyField(Staff)
        line = ForeignKeyField(JobLine, null=True, on_delete='SET NULL')
        order = ForeignKeyField(RepairOrder, null=True, index=False)
        out_at = DateTimeField()
        out_by = ForeignKeyField(Staff)
        in_at = DateTimeField(index=True, null=True)
        in_by = ForeignKeyField(Staff, null=True)
        condition = CharField(null=True, max_length=12)
        class Meta:
            database = db
            table_name = 'tool_checkout'
            indexes = ((('tool', 'out_at'), False),)
    ToolCheckout.add_index(ToolCheckout.index(ToolCheckout.tool, unique=True, name="tool_checkout_open_one_per_tool")
                           .where(ToolCheckout.in_at.is_null()))
    db.create_tables([ToolCheckout])

    class ToolRecord(Model):
        tool = ForeignKeyField(Tool)
        kind = CharField(max_length=12)
        at = DateTimeField()
        by = ForeignKeyField(Staff)
        note = CharField(null=True, max_length=200)
        cost = DecimalField(null=True, max_digits=14, decimal_places=2, default=decimal.Decimal('0.00'))
        next_due = DateField(null=True)
        class Meta:
            database = db
            table_name = 'tool_record'
    db.create_tables([ToolRecord])

    class TradeDispatch(Model):
        order = ForeignKeyField(RepairOrder, on_delete='CASCADE', index=False)
        trade = CharField(max_length=20)
        position = IntegerField()
        bay = ForeignKeyField(Bay, index=False)
        lead = ForeignKeyField(Staff, null=True)
        planned_hours = DecimalField(max_digits=8, decimal_places=2, default=decimal.Decimal('0'))
        estimated_hours = DecimalField(null=True, max_digits=8, decimal_places=2, default=None)
        planned_start = DateTimeField()
        planned_end = DateTimeField()
        mismatch_reason = CharField(null=True, max_length=200)
        allowed_by = ForeignKeyField(Staff, null=True)
        dispatched_by = ForeignKeyField(Staff)
        dispatched_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'trade_dispatch'
            indexes = ((('order', 'trade'), True), (('bay', 'planned_start'), False))
    db.create_tables([TradeDispatch])

    migrator.migrate(migrator.add_column('staff', 'badge', CharField(unique=True, null=True, max_length=16)))
    migrator.migrate(migrator.add_column('repair_order', 'next_bay_id', ForeignKeyField(Bay, field=Bay.id, null=True, index=False)))
    migrator.migrate(migrator.add_index('time_log', ('ended_at',)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('time_log', 'time_log_ended_at'))
    migrator.migrate(migrator.drop_index('staff', 'staff_badge'))
    migrator.migrate(migrator.drop_column('repair_order', 'next_bay_id'))
    migrator.migrate(migrator.drop_column('staff', 'badge'))
    migrator.migrate(migrator.drop_table('trade_dispatch'))
    migrator.migrate(migrator.drop_table('tool_record'))
    migrator.migrate(migrator.drop_table('tool_checkout'))
    migrator.migrate(migrator.drop_table('shift'))
    migrator.migrate(migrator.drop_table('pick_request'))
    migrator.migrate(migrator.drop_table('operation_tool'))
    migrator.migrate(migrator.drop_table('tool'))
    migrator.migrate(migrator.drop_table('labour_day_done'))
    migrator.migrate(migrator.drop_table('labour_day'))
