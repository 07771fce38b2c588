"""Repair orders (派工單), their job lines, the technicians on them and their clock records."""
from peewee import (SQL, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from models.base import BaseModel, HoursField, MoneyField, PercentField
from models.people import Customer, Staff, Vehicle
from models.shop import Bay, MaintenancePackage, Operation, shop_field
from workshop.i18n import N_

BUSINESS_TYPES = ("maintenance", "general_repair", "body", "paint", "warranty", "insurance",
                  "internal")
# On-screen names, translated where shown: workshop.i18n.label(BUSINESS_TYPE_LABELS, code).
BUSINESS_TYPE_LABELS = {
    "maintenance": N_("maintenance"), "general_repair": N_("general repair"), "body": N_("body repair"),
    "paint": N_("paint"), "warranty": N_("warranty claim"), "insurance": N_("insurance claim"),
    "internal": N_("internal"),
}
PAYERS = ("customer", "insurer", "manufacturer", "internal")
PAYER_LABELS = {"customer": N_("customer"), "insurer": N_("insurer"), "manufacturer": N_("manufacturer"),
                "internal": N_("workshop (internal)")}
JOB_LINE_STATUS_LABELS = {"pending": N_("pending"), "in_progress": N_("in progress"), "paused": N_("paused"),
                          "finished": N_("finished")}


class RepairOrder(BaseModel):
    number = IntegerField()  # unique within its shop (Meta): each shop numbers its own orders
    # Read with the state (the board's index, Meta): a shop's board is its active orders.
    shop = shop_field()
    vehicle = ForeignKeyField(Vehicle, backref="orders", index=True)
    customer = ForeignKeyField(Customer, backref="orders", index=True)
    business_type = CharField(max_length=20)
    advisor = ForeignKeyField(Staff, backref="advised_orders", index=True)
    state = CharField(max_length=20)  # indexed with promised_at (Meta): one index less to update per move
    version = IntegerField(default=1)
    rework = BooleanField(default=False)
    rework_reason = TextField(null=True)
    parts_status = CharField(max_length=10, default="none")  # workshop/availability.py: none ... ordered
    parts_eta = DateField(null=True)  # when the last short part is due, while parts_status is "ordered"
    parts_ready = BooleanField(default=False)  # parts completed while waiting: ready to continue
    time_in = DateTimeField(index=True)
    mileage_in = IntegerField()
    fuel_level = CharField(max_length=8, null=True)
    statement = TextField()
    documents_kept = CharField(max_length=200, null=True)
    promised_at = DateTimeField()
    started_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)  # work finished, sent to QC
    qc_passed_at = DateTimeField(null=True)
    settled_at = DateTimeField(null=True)
    released_at = DateTimeField(null=True, index=True)  # delivered to the customer
    cancelled_at = DateTimeField(null=True)
    cancel_reason = TextField(null=True)
    last_visit_date = DateField(null=True)
    last_visit_mileage = IntegerField(null=True)
    estimate = MoneyField()
    insurer = CharField(max_length=60, null=True)
    claim_no = CharField(max_length=40, null=True)
    assessed_amount = MoneyField(null=True)
    deductible = MoneyField(null=True)
    towing = BooleanField(default=False)
    bay = ForeignKeyField(Bay, null=True, backref="orders")  # the bay the car stands in now
    # The bay of the car's next trade (mechanical, then paint): kept with the order by the dispatch
    # transactions (workshop/trade_dispatch.py), so the board shows "M1 → P1" with the card.
    next_bay = ForeignKeyField(Bay, null=True, backref="+", index=False)
    dispatcher = ForeignKeyField(Staff, null=True, backref="dispatched_orders")
    dispatched_at = DateTimeField(null=True)
    qc_inspector = ForeignKeyField(Staff, null=True, backref="inspected_orders")
    delay_reason = CharField(max_length=40, null=True)
    comeback_of = ForeignKeyField("self", null=True, backref="comebacks")
    comeback_line_id = IntegerField(null=True)  # the failed JobLine of the earlier order
    comeback_charge = CharField(max_length=12, null=True)  # internal or customer
    state_changed_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("state", "promised_at"), False), (("number", "shop"), True))

    @property
    def label(self) -> str:
        """"RO 1042" / "维修单 1042", in the reader's language."""
        return str(self.ref)

    @property
    def ref(self):
        """The order's name as a phrase: an audit event keeps it so, and each reader sees it in their
        language (workshop/phrase.py)."""
        from workshop.phrase import order_ref
        return order_ref(self.number)


class OrderPackage(BaseModel):
    """A maintenance package sold on an order, at the price it had then: its job lines and kit parts are
    listed on the bill and covered by this one price (workshop/pricing.py)."""
    order = ForeignKeyField(RepairOrder, backref="packages", index=True, on_delete="CASCADE")
    package = ForeignKeyField(MaintenancePackage, null=True, backref="+")
    code = CharField(max_length=20)
    name = CharField(max_length=100)
    name_zh = CharField(max_length=100, null=True)
    price = MoneyField()
    payer = CharField(max_length=12, default="customer")


class JobLine(BaseModel):
    order = ForeignKeyField(RepairOrder, backref="job_lines", index=True, on_delete="CASCADE")
    operation = ForeignKeyField(Operation, null=True)
    code = CharField(max_length=20)
    name = CharField(max_length=100)
    trade = CharField(max_length=20)
    standard_hours = HoursField()
    billed_hours = HoursField()
    rate = MoneyField()
    discount_pct = PercentField()
    payer = CharField(max_length=12, default="customer")
    status = CharField(max_length=12, default="pending")  # pending, in_progress, paused, finished
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    # the package whose price covers it (no index: read only through the order)
    package = ForeignKeyField(OrderPackage, null=True, backref="job_lines", index=False)
    # The customer's word on the line (models/approvals.py): lines written at check-in are approved with the
    # order; work found later waits as "pending" until approved, or stays "declined".
    approval = CharField(max_length=10, default="approved", constraints=[SQL("DEFAULT 'approved'")])


class JobLineTechnician(BaseModel):
    line = ForeignKeyField(JobLine, backref="technicians", on_delete="CASCADE")
    technician = ForeignKeyField(Staff, backref="job_assignments", index=True)
    lead = BooleanField(default=False)

    class Meta:
        indexes = ((("line", "technician"), True),)


class TimeLog(BaseModel):
    """A technician's clock-on to clock-off on one job line: actual hours beside billed hours."""
    line = ForeignKeyField(JobLine, backref="time_logs", on_delete="CASCADE")
    technician = ForeignKeyField(Staff, backref="time_logs")
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True)

    class Meta:
        # ended_at alone: the clock records of a period (labour figures) are a range of it, open ones included.
        indexes = ((("technician", "ended_at"), False), (("ended_at",), False))


class OrderCounter(BaseModel):
    """Next number of a numbered series (repair orders, invoices): gapless because it is taken
    inside the transaction that uses it. Each shop numbers its own orders and documents: one row per shop
    and series (series the group numbers as one, like customer codes, use shop 1's row)."""
    shop = shop_field()
    name = CharField(max_length=20)
    next_value = IntegerField()

    class Meta:
        indexes = ((("name", "shop"), True),)
