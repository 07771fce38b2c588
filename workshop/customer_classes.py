"""Customer classes (客戶分類: general, platinum, diamond, VIP) as a manager sets them: labour and material
discount, validity in months, fee and points needed. Given to a customer, a class holds for its validity
(workshop/customer_file.py keeps the customer's ``class_until``); an expired class gives no discount."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from peewee import fn

from models.db import run_write
from models.people import Customer, CustomerClass, Staff
from workshop import audit, clock, i18n, validation
from workshop.amounts import MAX_PRICE, decimal, integer
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require


@dataclass
class ClassForm:
    name: str = ""
    name_zh: str = ""
    labor_discount: str = "0"
    material_discount: str = "0"
    valid_months: str = "12"
    fee: str = "0"
    points_needed: str = "0"
    is_vip: bool = False


@dataclass(frozen=True)
class ClassRow:
    id: int
    name: str         # in the reader's language
    name_en: str
    name_zh: str
    labor_discount: Decimal
    material_discount: Decimal
    valid_months: int
    fee: Decimal
    points_needed: int
    is_vip: bool
    active: bool
    members: int      # customers holding it today (not expired)

    def form(self) -> ClassForm:
        return ClassForm(self.name_en, self.name_zh, str(self.labor_discount), str(self.material_discount),
                         str(self.valid_months), str(self.fee), str(self.points_needed), self.is_vip)


def validate_class(form: ClassForm) -> dict:
    return dict(
        name=validation.text(form.name, "name", _("Name"), max_len=40),
        name_zh=validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=40, required=False),
        labor_discount=decimal(form.labor_discount, "labor_discount", _("Labour discount %"), maximum=Decimal(100)),
        material_discount=decimal(form.material_discount, "material_discount", _("Material discount %"),
                                  maximum=Decimal(100)),
        valid_months=integer(form.valid_months, "valid_months", _("Valid for (months, 0: no end)"), minimum=0,
                             maximum=120),
        fee=decimal(form.fee, "fee", _("Fee"), maximum=MAX_PRICE),
        points_needed=integer(form.points_needed, "points_needed", _("Points needed"), minimum=0,
                              maximum=10_000_000),
        is_vip=bool(form.is_vip))


def _class(class_id: int) -> CustomerClass:
    found = CustomerClass.get_or_none(CustomerClass.id == class_id)
    if found is None:
        raise NotFound(_("That customer class does not exist."))
    return found


def _name_free(name: str, other_than: int | None) -> None:
    query = CustomerClass.select(CustomerClass.id).where(fn.LOWER(CustomerClass.name) == name.lower())
    if other_than is not None:
        query = query.where(CustomerClass.id != other_than)
    if query.exists():
        raise InvalidInput(_("There is already a class called {name}.").format(name=name), "name")


def insert_class(data: dict, *, by: Staff | None) -> CustomerClass:
    _name_free(data["name"], None)
    klass = CustomerClass.create(**data)
    audit.record(by, "customer_class_added", "customer_class", klass.id, Phrase(N_("Customer class {name} added"), name=klass.name),
                 after=data)
    return klass


def add_class(form: ClassForm, *, by: Staff) -> CustomerClass:
    """A new customer class."""
    data = validate_class(form)
    return run_write(lambda: insert_class(data, by=require(by, "shop_setup")))


def edit_class(class_id: int, form: ClassForm, *, by: Staff) -> CustomerClass:
    """Change a class: new discounts apply to orders checked in from now on (bills are priced when shown,
    settled ones keep theirs)."""
    data = validate_class(form)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        klass = _class(class_id)
        _name_free(data["name"], klass.id)
        before = {k: getattr(klass, k) for k in data if getattr(klass, k) != data[k]}
        if not before:
            return klass
        CustomerClass.update(**data).where(CustomerClass.id == klass.id).execute()
        audit.record(by, "customer_class_changed", "customer_class", klass.id,
                     Phrase(N_("Customer class {name}: {fields} changed"), name=data["name"],
                            fields=audit.changed_fields(before)),
                     before=before, after={k: data[k] for k in before})
        return _class(klass.id)

    return run_write(work)


def set_active(class_id: int, active: bool, *, by: Staff) -> CustomerClass:
    """Retire a class (given to nobody new; its holders keep it until it expires) or bring it back."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        klass = _class(class_id)
        if klass.active != active:
            CustomerClass.update(active=active).where(CustomerClass.id == klass.id).execute()
            audit.record(by, "customer_class_retired" if not active else "customer_class_reactivated",
                         "customer_class", klass.id, (Phrase(N_("Customer class {name} retired"), name=klass.name) if not active
                          else Phrase(N_("Customer class {name} offered again"), name=klass.name)),
                         before={"active": klass.active}, after={"active": active})
        return _class(klass.id)

    return run_write(work)


def list_classes(*, include_retired: bool = True) -> list[ClassRow]:
    """Every class with how many customers hold it today (two queries)."""
    today = clock.today()
    # From the (class, until) index alone: merged files hold no class (workshop/customer_file.merge_customers).
    members = dict(Customer.select(Customer.customer_class, fn.COUNT(Customer.customer_class))
                   .where(Customer.customer_class.is_null(False)
                          & (Customer.class_until.is_null() | (Customer.class_until >= today)))
                   .group_by(Customer.customer_class).tuples())
    query = CustomerClass.select().order_by(CustomerClass.active.desc(), CustomerClass.labor_discount, CustomerClass.id)
    if not include_retired:
        query = query.where(CustomerClass.active)
    return [ClassRow(c.id, i18n.local(c.name, c.name_zh), c.name, c.name_zh or "", Decimal(c.labor_discount),
                     Decimal(c.material_discount), c.valid_months, Decimal(c.fee), c.points_needed, bool(c.is_vip),
                     bool(c.active), members.get(c.id, 0)) for c in query]
