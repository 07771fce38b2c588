"""Campaigns (活动): an event on a date, who is invited by a rule, the invitations due two weeks before with
the answer of each call or message, and who came (workshop/campaigns.py)."""
from peewee import SQL, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from models.base import BaseModel
from models.people import Customer, Staff, Vehicle
from workshop.i18n import N_

# Who a campaign invites: cars due for a service by its date, customers lost by its date, cars of a model.
CAMPAIGN_RULES = ("service_due", "lost", "model")
CAMPAIGN_RULE_LABELS = {"service_due": N_("cars due for a service"), "lost": N_("lost customers"),
                        "model": N_("cars of a brand or model")}
# due: to be invited (again, after an unanswered try); done: answered, or a message sent.
INVITATION_STATUSES = ("due", "done")


class Campaign(BaseModel):
    name = CharField(max_length=100)
    starts_on = DateField(index=True)
    ends_on = DateField()
    rule = CharField(max_length=20)
    rule_value = CharField(max_length=60, null=True)  # the brand or model of a "model" rule
    invite_from = DateField()  # invitations are due from this day (campaign_invite_days before it starts)
    invited = IntegerField()   # how many the rule matched when it was made
    # Kept by the invitation's services in their own transaction (a list of campaigns reads no invitations):
    answered = IntegerField(default=0)  # invitations closed: answered, a message sent, or given up
    accepted = IntegerField(default=0)  # invitations whose answer is "will come"
    marked_came = IntegerField(default=0)  # marked at the event (check-ins during it are counted apart)
    notes = CharField(max_length=500, null=True)
    created_by = ForeignKeyField(Staff, backref="+")
    created_at = DateTimeField()


class Invitation(BaseModel):
    campaign = ForeignKeyField(Campaign, backref="invitations", index=False)  # (campaign, customer) below
    customer = ForeignKeyField(Customer, backref="invitations", index=True)
    vehicle = ForeignKeyField(Vehicle, null=True, backref="+", index=False)
    due = DateField()
    status = CharField(max_length=6, default="due", constraints=[SQL("DEFAULT 'due'")])
    result = CharField(max_length=20, null=True)  # the last call's or message's (workshop/call_register.py)
    attempts = IntegerField(default=0)
    answered_at = DateTimeField(null=True)
    came_at = DateTimeField(null=True)  # marked at the event; a check-in during it counts as well

    class Meta:
        indexes = ((("campaign", "customer"), True), (("status", "due"), False))
