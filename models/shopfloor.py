"""The shop floor: an order's trades in their bays (车间派工 per trade), technicians' shifts (hours present)
and their requests to the parts counter."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel, HoursField
from models.orders import JobLine, RepairOrder
from models.parts import PartLine
from models.people import Staff
from models.shop import Bay


class TradeDispatch(BaseModel):
    """One trade of an order (mechanical, body, paint...) dispatched to a bay with a lead. The car goes
    through its trades' bays in ``position`` order; the bay it stands in now is ``RepairOrder.bay``. The
    team of each job line is kept on the line (JobLineTechnician), so a line can be re-dispatched alone.
    Planned start and end come from the standard hours of the trade's open lines and the bay's queue."""
    order = ForeignKeyField(RepairOrder, backref="trade_dispatches", on_delete="CASCADE", index=False)
    trade = CharField(max_length=20)
    position = IntegerField()
    bay = ForeignKeyField(Bay, backref="trade_dispatches", index=False)
    lead = ForeignKeyField(Staff, null=True, backref="led_trades")
    planned_hours = HoursField()  # the hours planned for its open work
    estimated_hours = HoursField(null=True, default=None)  # the dispatcher's own estimate, else standard hours
    planned_start = DateTimeField()
    planned_end = DateTimeField()
    # A bay whose kind does not fit the trade, allowed by a supervisor or manager with a reason.
    mismatch_reason = CharField(max_length=200, null=True)
    allowed_by = ForeignKeyField(Staff, null=True, backref="+")
    dispatched_by = ForeignKeyField(Staff, backref="+")
    dispatched_at = DateTimeField()

    class Meta:
        indexes = ((("order", "trade"), True), (("bay", "planned_start"), False))


class Shift(BaseModel):
    """A technician present at work, clocked in at the terminal and out again (hours present). One open
    shift per technician at a time (a partial unique index); corrections by a supervisor are new rows or
    edits on the audit trail."""
    technician = ForeignKeyField(Staff, backref="shifts", index=False)
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True, index=True)
    note = CharField(max_length=200, null=True)

    class Meta:
        indexes = ((("technician", "started_at"), False),)


Shift.add_index(Shift.index(Shift.technician, unique=True, name="shift_open_one_per_technician")
                .where(Shift.ended_at.is_null()))


class PickRequest(BaseModel):
    """A technician asks the parts counter for the parts of a job line (领料申请): open until every open
    part line of the job line is picked, then ready. One open request per job line (a partial unique
    index): asking again for another part adds it to the request that is open."""
    order = ForeignKeyField(RepairOrder, backref="pick_requests", on_delete="CASCADE")
    line = ForeignKeyField(JobLine, backref="pick_requests", on_delete="CASCADE")
    technician = ForeignKeyField(Staff, backref="pick_requests")
    requested_at = DateTimeField()
    note = TextField(null=True)
    last_part_line = ForeignKeyField(PartLine, null=True, backref="+", on_delete="SET NULL")
    ready_at = DateTimeField(null=True)
    cancelled_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("ready_at", "requested_at"), False),)


PickRequest.add_index(PickRequest.index(PickRequest.line, unique=True, name="pick_request_open_one_per_line")
                      .where(PickRequest.ready_at.is_null() & PickRequest.cancelled_at.is_null()))
