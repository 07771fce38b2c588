"""After the visit: callbacks created by rule, the call register, satisfaction answers, complaints."""
from peewee import SQL, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel
from models.orders import RepairOrder
from models.people import Customer, Staff, Vehicle
from workshop.i18n import N_

CALLBACK_KINDS = ("first", "second", "verification", "next_visit", "reminder")
CALLBACK_KIND_LABELS = {"first": N_("first callback"), "second": N_("second callback"),
                        "verification": N_("verification call"), "next_visit": N_("next visit"),
                        "reminder": N_("reminder")}
CALLBACK_STATUSES = ("open", "done", "unreachable", "cancelled")
CALLBACK_STATUS_LABELS = {"open": N_("open"), "done": N_("done"), "unreachable": N_("unreachable"),
                          "cancelled": N_("cancelled")}
# The call register: how a call reached us or the customer, and what it was about.
CALL_CHANNELS = ("phone", "walk_in", "sms", "wechat")
CALL_CHANNEL_LABELS = {"phone": N_("phone call"), "walk_in": N_("at the desk (walk-in)"), "sms": N_("SMS"),
                       "wechat": N_("WeChat")}
CALL_TOPICS = ("callback", "incoming", "winback", "campaign")
CALL_TOPIC_LABELS = {"callback": N_("follow-up call"), "incoming": N_("incoming"), "winback": N_("win-back call"),
                     "campaign": N_("campaign invitation")}
COMPLAINT_STATUSES = ("open", "in_progress", "resolved", "verified")
# 抱怨: a complaint's course, from logged to verified with the customer.
COMPLAINT_STATUS_LABELS = {"open": N_("open"), "in_progress": N_("being handled"), "resolved": N_("resolved"),
                           "verified": N_("verified with the customer")}


class Callback(BaseModel):
    order = ForeignKeyField(RepairOrder, null=True, backref="callbacks", index=True)
    customer = ForeignKeyField(Customer, backref="callbacks", index=True)
    vehicle = ForeignKeyField(Vehicle, null=True, backref="callbacks")
    kind = CharField(max_length=12)
    reason = CharField(max_length=120, null=True)
    required = BooleanField(default=True)  # a 100% callback
    due = DateField()  # indexed with what the follow-up figures count (Meta): they read the index alone
    window_end = DateField()
    agent = ForeignKeyField(Staff, null=True, backref="callbacks", index=True)
    status = CharField(max_length=12, default="open", index=True)
    attempts = IntegerField(default=0)
    next_try_at = DateTimeField(null=True)
    letter_due = BooleanField(default=False)
    created_at = DateTimeField()
    done_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("status", "due"), False), (("agent", "status", "due"), False),
                   (("due", "status", "window_end", "done_at"), False))


class CallRecord(BaseModel):
    """The call register: every call, outgoing or incoming."""
    callback = ForeignKeyField(Callback, null=True, backref="calls")
    customer = ForeignKeyField(Customer, backref="calls", index=True)
    direction = CharField(max_length=3, default="out")
    by = ForeignKeyField(Staff, backref="calls")
    at = DateTimeField(index=True)
    reached = BooleanField(default=True)
    notes = CharField(max_length=500, null=True)
    channel = CharField(max_length=10, default="phone", constraints=[SQL("DEFAULT 'phone'")])
    topic = CharField(max_length=10, default="callback", constraints=[SQL("DEFAULT 'callback'")])
    # What the call came to (workshop/call_register.py: a code of the topic's result table).
    result = CharField(max_length=20, null=True)
    vehicle = ForeignKeyField(Vehicle, null=True, backref="calls", index=False)

    class Meta:
        indexes = ((("topic", "at"), False),)  # the register's incoming calls, newest first


class Question(BaseModel):
    business_type = CharField(max_length=20, index=True)
    position = IntegerField(default=0)
    text = CharField(max_length=160)
    text_zh = CharField(max_length=160, null=True)  # the script in Chinese (workshop.i18n.local)


class Answer(BaseModel):
    call = ForeignKeyField(CallRecord, backref="answers", on_delete="CASCADE", index=False)
    question = CharField(max_length=160)
    score = IntegerField()  # 1 to 5

    class Meta:
        # With the score: CSI over a period reads this index alone (a month is ~40,000 answers on the large shop).
        indexes = ((("call", "score"), False),)


class Complaint(BaseModel):
    customer = ForeignKeyField(Customer, backref="complaints", index=True)
    order = ForeignKeyField(RepairOrder, null=True, backref="complaints")
    description = CharField(max_length=500)
    department = CharField(max_length=40)
    responsible = ForeignKeyField(Staff, null=True, backref="complaints")
    status = CharField(max_length=12, default="open", index=True)
    due = DateField()
    created_by = ForeignKeyField(Staff)
    created_at = DateTimeField(index=True)
    escalated_at = DateTimeField(null=True, index=True)  # the follow-up figures count by period
    # Whom it was escalated to: someone whose role may handle complaints (workshop/callbacks.escalation_target).
    supervisor = ForeignKeyField(Staff, null=True, index=False)
    resolution = CharField(max_length=500, null=True)
    resolved_at = DateTimeField(null=True, index=True)
    verified_at = DateTimeField(null=True)
    call = ForeignKeyField(CallRecord, null=True, backref="complaints")  # the call or visit it was raised on

    class Meta:
        indexes = ((("supervisor", "status"), False),)  # "2 complaints escalated to you" at sign-in
