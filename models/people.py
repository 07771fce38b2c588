"""Customers, their classes and vehicles; the staff who work the shop."""
from peewee import (SQL, BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from workshop.i18n import N_
from models.base import BaseModel, MoneyField, PercentField
from models.shop import Shop, shop_field

ROLES = ("advisor", "dispatcher", "supervisor", "technician", "parts_clerk", "qc_inspector",
         "cashier", "follow_up_agent", "care_supervisor", "manager", "group_manager")
# On-screen names, translated where shown: workshop.i18n.label(ROLE_LABELS, code).
ROLE_LABELS = {
    "advisor": N_("service advisor"), "dispatcher": N_("dispatcher"), "supervisor": N_("workshop supervisor"),
    "technician": N_("technician"), "parts_clerk": N_("parts clerk"), "qc_inspector": N_("QC inspector"),
    "cashier": N_("cashier"), "follow_up_agent": N_("follow-up agent"),
    "care_supervisor": N_("customer-care supervisor"), "manager": N_("manager"),
    "group_manager": N_("group manager"),  # a dealer group's figures, per shop and for the group
}
TRADES = ("mechanical", "body", "paint", "quick_service", "wash", "electrical", "alignment")
TRADE_LABELS = {
    "mechanical": N_("mechanical"), "body": N_("body"), "paint": N_("paint"), "quick_service": N_("quick service"),
    "wash": N_("wash"), "electrical": N_("electrical"), "alignment": N_("alignment"),
}
FUEL_TYPES = ("petrol", "diesel", "hybrid", "plug_in_hybrid", "electric", "gas")
FUEL_TYPE_LABELS = {"petrol": N_("petrol"), "diesel": N_("diesel"), "hybrid": N_("hybrid"),
                    "plug_in_hybrid": N_("plug-in hybrid"), "electric": N_("electric"), "gas": N_("gas (CNG/LPG)")}
CUSTOMER_KINDS = ("private", "company", "fleet")
CUSTOMER_KIND_LABELS = {"private": N_("private"), "company": N_("company"), "fleet": N_("fleet")}


class CustomerClass(BaseModel):
    """General, platinum, diamond, VIP: what a class costs and the discounts it gives. A customer holds a
    class for ``valid_months`` from when it is given (Customer.class_until); an expired class gives nothing."""
    name = CharField(max_length=40, unique=True)
    name_zh = CharField(max_length=40, null=True)
    labor_discount = PercentField()      # 工時優惠率, percent
    material_discount = PercentField()   # 材料優惠率, percent
    fee = MoneyField()
    points_needed = IntegerField(default=0)
    valid_months = IntegerField(default=12)
    is_vip = BooleanField(default=False)
    active = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])  # retired: given to nobody new


class Customer(BaseModel):
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=100, index=True)
    # Search keys (workshop/lookup.py), kept on every save like the initials below: the name as it
    # is searched (case, spaces and punctuation folded); a prefix of it is one index range.
    name_key = CharField(max_length=200, null=True, index=True)
    kind = CharField(max_length=10, default="private")
    mobile = CharField(max_length=20, index=True)
    home_phone = CharField(max_length=20, null=True)
    office_phone = CharField(max_length=20, null=True)
    address = CharField(max_length=200, null=True)
    postcode = CharField(max_length=10, null=True)
    email = CharField(max_length=120, null=True)
    id_number = CharField(max_length=40, null=True)
    birthday = DateField(null=True)
    birthday_md = CharField(max_length=5, null=True, index=True)  # "MM-DD": birthday reminders, an index range
    notes = TextField(null=True)
    # (indexed with class_until, Meta: members of a class still holding it counted from the index alone)
    customer_class = ForeignKeyField(CustomerClass, null=True, backref="customers", index=False)
    class_until = DateField(null=True)  # the class's discounts apply up to this day (None: no end)
    is_key = BooleanField(default=False)
    has_complained = BooleanField(default=False)
    unreachable = BooleanField(default=False)
    created_at = DateTimeField()
    last_visit_at = DateTimeField(null=True, index=True)  # kept at check-in: lost-customer lists
    # 拼音首字母 of the name (陈小明 -> cxm), kept on every save: a counter finds people by typing them.
    initials = CharField(max_length=40, null=True, index=True)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # bumped by each edit of the file
    # Merged into another file of the same person (workshop/customer_file.py): kept, because its invoices are
    # facts that name it, but found by no search and given no new work.
    merged_into = ForeignKeyField("self", null=True, backref="merged_files", index=False)  # (NULL for almost all)

    class Meta:
        indexes = ((("customer_class", "class_until"), False),)

    def save(self, *args, **kwargs):
        from workshop.lookup import customer_keys
        for column, value in customer_keys(self.name, self.kind, self.birthday).items():
            setattr(self, column, value)
        return super().save(*args, **kwargs)


class Vehicle(BaseModel):
    plate = CharField(max_length=12, unique=True)
    vin = CharField(max_length=17, unique=True)
    customer = ForeignKeyField(Customer, backref="vehicles", index=True)
    brand = CharField(max_length=40)
    series = CharField(max_length=40, null=True)
    model = CharField(max_length=60)
    model_code = CharField(max_length=30, null=True)  # the maker's model code (车型代码)
    model_year = IntegerField(null=True)
    engine_no = CharField(max_length=30, null=True)
    gearbox = CharField(max_length=30, null=True)
    colour = CharField(max_length=30, null=True)
    fuel_type = CharField(max_length=20, null=True)
    purchase_date = DateField(null=True)
    purchase_mileage = IntegerField(null=True)
    selling_dealer = CharField(max_length=80, null=True)
    insurer = CharField(max_length=60, null=True)
    insurance_expiry = DateField(null=True, index=True)
    warranty_expiry = DateField(null=True, index=True)
    # Kept at check-in, so reminders are an index range instead of a scan of the whole history.
    last_visit_at = DateTimeField(null=True)
    last_mileage = IntegerField(null=True)
    next_service_due = DateField(null=True, index=True)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # bumped by each edit of the file

    class Meta:
        # Cars never serviced here, by purchase date: the ones a maintenance plan is made for (service_plan.py).
        indexes = ((("last_visit_at", "purchase_date"), False),)


class Staff(BaseModel):
    """Someone who signs in. ``roles`` is a comma-separated list from ROLES."""
    login = CharField(max_length=32, unique=True)
    name = CharField(max_length=60)
    roles = CharField(max_length=200)
    trade = CharField(max_length=20, null=True)  # technicians only
    pin_hash = CharField(max_length=200, null=True)
    failed_pins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    active = BooleanField(default=True)
    follow_up_agent = ForeignKeyField("self", null=True, backref="advisors")
    # The language this person reads (en, zh_CN); None: the terminal's (its environment's) language.
    language = CharField(max_length=8, null=True)
    # The number on the staff badge, typed with a PIN at a shared shop-floor terminal (workshop/accounts.py).
    badge = CharField(max_length=16, null=True, unique=True)
    home_shop = shop_field()  # where they sign in unless the terminal is fixed to a shop (StaffShop: others)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def short_name(self) -> str:
        return self.name


class SignInAttempt(BaseModel):
    """One PIN typed for a staff member from a terminal (``source``: the SSH client's address or the
    host and Unix user of a local terminal). Counted before the PIN is checked, so terminals trying in
    parallel queue for the same back-off; ``ok`` once the PIN matched. Successes make a source familiar
    to the person; failures make back-offs (workshop/accounts.py). Not an audit record: a manager lifting
    a lockout deletes the failures, and the event trail keeps what happened."""
    staff = ForeignKeyField(Staff, backref="sign_in_attempts", on_delete="CASCADE", index=False)
    source = CharField(max_length=120)
    at = DateTimeField()
    ok = BooleanField(default=False)

    class Meta:
        indexes = (
            (("staff", "source", "at"), False),  # familiar sources; one person's failures
            (("source", "at"), False),  # one terminal's failures
            (("at",), False),  # pruning
        )


class StaffShop(BaseModel):
    """A shop a staff member may also work in, besides their home shop (a group's floating technician)."""
    staff = ForeignKeyField(Staff, backref="shops", on_delete="CASCADE", index=False)
    shop = ForeignKeyField(Shop, backref="+", on_delete="CASCADE", index=False)

    class Meta:
        indexes = ((("staff", "shop"), True),)
