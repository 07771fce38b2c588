"""Tools and equipment (工具设备): the register, who has which tool out for which job line, what happened
to each tool (damage, loss, maintenance, calibration), and which catalog operations need which tools."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel, MoneyField
from models.orders import JobLine, RepairOrder
from models.people import Staff
from models.shop import Operation
from workshop.i18n import N_

TOOL_KINDS = ("special_tool", "scanner", "lift", "alignment", "measuring", "equipment")
TOOL_KIND_LABELS = {"special_tool": N_("special tool"), "scanner": N_("diagnostic scanner"), "lift": N_("lift"),
                    "alignment": N_("alignment rig"), "measuring": N_("measuring instrument"),
                    "equipment": N_("equipment")}
# available: on its place; out: checked out to a technician; broken: reported damaged, not to be used;
# maintenance: away for maintenance or calibration; lost: reported lost; retired: no longer in the shop.
TOOL_STATES = ("available", "out", "broken", "maintenance", "lost", "retired")
TOOL_STATE_LABELS = {"available": N_("available"), "out": N_("out"), "broken": N_("broken"),
                     "maintenance": N_("in maintenance"), "lost": N_("lost"), "retired": N_("retired")}
TOOL_RECORD_KINDS = ("damage", "loss", "found", "maintenance", "calibration", "repair", "retired")
TOOL_RECORD_LABELS = {"damage": N_("damage report"), "loss": N_("loss report"), "found": N_("found again"),
                      "maintenance": N_("maintenance"), "calibration": N_("calibration"), "repair": N_("repair"),
                      "retired": N_("retired")}


class Tool(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)
    kind = CharField(max_length=20)
    location = CharField(max_length=40, null=True)
    state = CharField(max_length=12, default="available", index=True)
    calibration_due = DateField(null=True)
    maintenance_due = DateField(null=True)
    version = IntegerField(default=1)


class ToolCheckout(BaseModel):
    """A tool out with a technician, for a job line when it is for one, until it is checked in. At most
    one open checkout per tool (a partial unique index: a tool cannot be out twice, on either engine)."""
    tool = ForeignKeyField(Tool, backref="checkouts", index=False)
    technician = ForeignKeyField(Staff, backref="tool_checkouts")
    line = ForeignKeyField(JobLine, null=True, backref="tool_checkouts", on_delete="SET NULL")
    order = ForeignKeyField(RepairOrder, null=True, backref="tool_checkouts", index=False)
    out_at = DateTimeField()
    out_by = ForeignKeyField(Staff, backref="+")
    in_at = DateTimeField(null=True, index=True)
    in_by = ForeignKeyField(Staff, null=True, backref="+")
    condition = CharField(max_length=12, null=True)  # ok or damaged, said at check-in

    class Meta:
        indexes = ((("tool", "out_at"), False),)


ToolCheckout.add_index(ToolCheckout.index(ToolCheckout.tool, unique=True, name="tool_checkout_open_one_per_tool")
                       .where(ToolCheckout.in_at.is_null()))


class ToolRecord(BaseModel):
    """Something that happened to a tool: a damage or loss report, maintenance, calibration, a repair."""
    tool = ForeignKeyField(Tool, backref="records")
    kind = CharField(max_length=12)
    at = DateTimeField()
    by = ForeignKeyField(Staff, backref="+")
    note = CharField(max_length=200, null=True)
    cost = MoneyField(null=True)
    next_due = DateField(null=True)  # for maintenance and calibration: when it is due again


class OperationTool(BaseModel):
    """A tool a catalog operation needs (the special tool for a timing belt, the alignment rig)."""
    operation = ForeignKeyField(Operation, backref="tools", on_delete="CASCADE", index=False)
    tool = ForeignKeyField(Tool, backref="operations", on_delete="CASCADE")

    class Meta:
        indexes = ((("operation", "tool"), True),)
