"""Appointments (預約登記): a car booked for a half-hour, the work asked for, the capacity it takes in
half-hour slots per trade, the parts held for its date, and the calls made the day before."""
from peewee import SQL, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.base import BaseModel, HoursField, MoneyField, QtyField
from models.orders import RepairOrder
from models.parts import Part
from models.people import Customer, Staff, Vehicle
from models.shop import Operation, shop_field
from workshop.i18n import N_

# booked -> confirmed (the day-before call) -> arrived (a repair order); or cancelled, or a no-show.
APPOINTMENT_STATES = ("booked", "confirmed", "arrived", "no_show", "cancelled")
APPOINTMENT_STATE_LABELS = {"booked": N_("booked"), "confirmed": N_("confirmed"), "arrived": N_("arrived"),
                            "no_show": N_("no-show"), "cancelled": N_("cancelled")}
# How the booking came about: the customer phoned, came to the desk, or the shop called them (主动预约).
SOURCES = ("phone", "walk_in", "reminder")
SOURCE_LABELS = {"phone": N_("phone"), "walk_in": N_("walk-in"), "reminder": N_("proactive (reminder)")}
# What the day-before call or message came to.
CALL_OUTCOMES = ("confirmed", "moved", "cancelled", "no_answer")
CALL_OUTCOME_LABELS = {"confirmed": N_("confirmed"), "moved": N_("moved"), "cancelled": N_("cancelled"),
                       "no_answer": N_("no answer")}
CALL_CHANNELS = ("phone", "sms", "wechat")
CALL_CHANNEL_LABELS = {"phone": N_("phone call"), "sms": N_("SMS"), "wechat": N_("WeChat")}


class Appointment(BaseModel):
    number = IntegerField(unique=True)  # the group numbers appointments as one series
    shop = shop_field()  # the shop the car is booked into
    vehicle = ForeignKeyField(Vehicle, backref="appointments", index=False)  # (vehicle, starts_at) below
    customer = ForeignKeyField(Customer, backref="appointments", index=True)
    contact_name = CharField(max_length=60)
    contact_phone = CharField(max_length=20)
    starts_at = DateTimeField(index=True)   # the half-hour the car is due
    ends_at = DateTimeField()               # the end of its last booked half-hour
    business_type = CharField(max_length=20)
    hours = HoursField()                    # standard hours of the requested work, all trades
    estimate = MoneyField()                 # 估價 given when booked
    state = CharField(max_length=12, default="booked")
    source = CharField(max_length=12)
    notes = TextField(null=True)
    accepted_by = ForeignKeyField(Staff, backref="appointments_accepted", index=True)
    accepted_at = DateTimeField()
    overbooked_by = ForeignKeyField(Staff, null=True, backref="+")  # a manager booked it beyond capacity
    overbooked_reason = CharField(max_length=200, null=True)
    parts_short = BooleanField(default=False)  # a part it needs is not held for it: flagged days ahead
    order = ForeignKeyField(RepairOrder, null=True, backref="appointments", unique=True)
    arrived_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)       # cancelled or marked a no-show
    close_reason = CharField(max_length=200, null=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField()

    class Meta:
        indexes = ((("vehicle", "starts_at"), False), (("state", "starts_at"), False))

    @property
    def label(self) -> str:
        """"AP 12" / "预约 12", in the reader's language."""
        return str(self.ref)

    @property
    def ref(self):
        """The appointment's name as a phrase (audit events keep it so: each reader sees their language)."""
        from workshop.phrase import Phrase
        return Phrase(N_("AP {number}"), number=self.number)


class AppointmentLine(BaseModel):
    """One piece of requested work: a catalog operation, with the hours booked for it."""
    appointment = ForeignKeyField(Appointment, backref="lines", on_delete="CASCADE", index=True)
    operation = ForeignKeyField(Operation, backref="+")
    code = CharField(max_length=20)
    name = CharField(max_length=100)
    trade = CharField(max_length=20)
    hours = HoursField()
    position = IntegerField(default=0)
    package_code = CharField(max_length=20, null=True)  # asked for as part of this maintenance package (保養套餐)


class AppointmentSlot(BaseModel):
    """The capacity an appointment takes in one half-hour: technician hours of a trade and a place in a bay
    of a kind. Written when it is booked (or moved), so the day's load is one index range."""
    appointment = ForeignKeyField(Appointment, backref="slots", on_delete="CASCADE", index=True)
    starts_at = DateTimeField()
    trade = CharField(max_length=20)
    bay_kind = CharField(max_length=20)
    hours = HoursField()

    class Meta:
        indexes = ((("starts_at",), False),)


class AppointmentPart(BaseModel):
    """A part the appointment is expected to need, held (reserved in stock) for its date (零件預先檢料)."""
    appointment = ForeignKeyField(Appointment, backref="parts", on_delete="CASCADE", index=True)
    part = ForeignKeyField(Part, backref="+", index=True)
    operation = ForeignKeyField(Operation, null=True, backref="+")  # the operation's kit it came from
    qty = QtyField()
    reserved = QtyField()   # held now; qty - reserved is short


class AppointmentCall(BaseModel):
    """The day-before reminder: one call or message and what it came to."""
    appointment = ForeignKeyField(Appointment, backref="calls", on_delete="CASCADE", index=True)
    at = DateTimeField()
    by = ForeignKeyField(Staff, backref="+")
    channel = CharField(max_length=10)
    outcome = CharField(max_length=12)
    note = CharField(max_length=200, null=True)
    moved_to = DateTimeField(null=True)


class AppointmentDay(BaseModel):
    """One row per day that has bookings. A booking updates the rows of the days it takes before it reads
    their load: on PostgreSQL that row lock makes two advisors booking the last free hour take turns (on
    SQLite the write transaction does already)."""
    day = DateField(unique=True)
    bookings = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
