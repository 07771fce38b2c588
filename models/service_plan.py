"""A car's maintenance plan (新车保养计划): the first service (首保) and the regular services (定保) planned
from its purchase date and mileage, each planned, then due, then done or missed (workshop/service_plan.py)."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel
from models.orders import RepairOrder
from models.people import Vehicle
from workshop.i18n import N_

# planned -> open (the car's next service: listed once due) -> done (a maintenance visit) or missed (the next
# one fell due first). One open service per car at most.
PLAN_STATUSES = ("planned", "open", "done", "missed")
PLAN_STATUS_LABELS = {"planned": N_("planned"), "open": N_("due next"), "done": N_("done"), "missed": N_("missed")}


class PlannedService(BaseModel):
    vehicle = ForeignKeyField(Vehicle, backref="planned_services", index=False)  # (vehicle, seq) below
    seq = IntegerField()          # 1: the first service
    due_km = IntegerField()       # the odometer reading it is due at
    planned_date = DateField()    # the date it is due at by the plan (months from the purchase)
    due_date = DateField()        # the earlier of the planned date and the day the car's pace reaches due_km
    status = CharField(max_length=8, default="planned")
    order = ForeignKeyField(RepairOrder, null=True, backref="+", index=False)  # the visit that did it
    closed_at = DateTimeField(null=True)

    class Meta:
        # the list of services due: by status, then date and car (its order, so a page stops early)
        indexes = ((("vehicle", "seq"), True), (("status", "due_date", "vehicle"), False))
