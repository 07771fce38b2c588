"""Setting a shop up by hand: bays, the operations catalog with kits per series, rates, classes and packages."""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from models.events import Event
from models.orders import JobLine, OrderPackage
from models.parts import Part, PartLine
from models.shop import Bay, LaborRate, Operation
from tests.factories import make_vehicle, set_stock, stock
from workshop import bay_setup, catalog, clock, customer_classes, packages, rates
from workshop.bay_setup import BayForm
from workshop.catalog import OperationForm
from workshop.customer_classes import ClassForm
from workshop.errors import InvalidInput, NotAllowed
from workshop.packages import PackageForm
from workshop.reception import OrderForm, create_order, estimate


def _last_event(kind: str) -> Event:
    return Event.select().where(Event.kind == kind).order_by(Event.id.desc()).get()


# --- bays --------------------------------------------------------------------------------------------------

def test_a_manager_adds_edits_and_retires_a_bay_each_change_audited(shop):
    bay = bay_setup.add_bay(BayForm(code="m9", name="Mechanical 9", name_zh="机修9", kind="mechanical",
                                    capacity="2"), by=shop.manager)
    assert (bay.code, bay.capacity) == ("M9", 2)
    bay_setup.edit_bay(bay.id, BayForm(code="M9", name="Mechanical nine", kind="mechanical", capacity="1"),
                       by=shop.manager)
    assert json.loads(_last_event("bay_changed").after) == {"capacity": 1, "name": "Mechanical nine", "name_zh": None}
    bay_setup.set_active(bay.id, False, by=shop.manager)
    assert not Bay.get_by_id(bay.id).active
    assert "M9" not in [r.code for r in bay_setup.list_bays(include_retired=False)]


@pytest.mark.parametrize("form, field", [
    (BayForm(code="", name="X", kind="mechanical"), "code"),
    (BayForm(code="Q1", name="Quick again", kind="quick_service"), "code"),        # taken
    (BayForm(code="X1", name="X", kind="spaceship"), "kind"),
    (BayForm(code="X1", name="X", kind="body", capacity="0"), "capacity"),
    (BayForm(code="X1", name="X", kind="body", capacity="many"), "capacity"),
    (BayForm(code="X 1", name="X", kind="body"), "code"),
])
def test_bad_bay_input_is_refused_naming_the_field_and_nothing_is_written(shop, form, field):
    before = Bay.select().count()
    with pytest.raises(InvalidInput) as refused:
        bay_setup.add_bay(form, by=shop.manager)
    assert refused.value.field == field
    assert Bay.select().count() == before
    assert not Event.select().where(Event.kind == "bay_added").exists()


def test_a_bay_with_a_car_in_it_is_neither_retired_nor_shrunk_and_a_used_bay_is_not_deleted(shop):
    order = shop.dispatched(bay=2, codes=("BD001",))        # Body 1, two places
    body = shop.bays[2]
    shop.dispatched(shop.car2, bay=2, codes=("BD001",))
    with pytest.raises(InvalidInput, match="2 cars stand in B1"):
        bay_setup.set_active(body.id, False, by=shop.manager)
    with pytest.raises(InvalidInput, match="at least that many places"):
        bay_setup.edit_bay(body.id, BayForm(code="B1", name="Body 1", kind="body", capacity="1"), by=shop.manager)
    with pytest.raises(InvalidInput, match="retire it instead"):
        bay_setup.delete_bay(body.id, by=shop.manager)
    assert Bay.get_by_id(body.id).active and order.bay_id == body.id
    spare = bay_setup.add_bay(BayForm(code="Z9", name="Typo", kind="wash"), by=shop.manager)
    bay_setup.delete_bay(spare.id, by=shop.manager)
    assert Bay.get_or_none(Bay.id == spare.id) is None


def test_only_managers_set_the_shop_up(shop):
    with pytest.raises(NotAllowed):
        bay_setup.add_bay(BayForm(code="X1", name="X", kind="wash"), by=shop.advisor)
    with pytest.raises(NotAllowed):
        rates.set_rate("mechanical", "standard", "200", by=shop.dispatcher)


# --- catalog, kits per series --------------------------------------------------------------------------------

def _parts():
    for code, name, unit, price in (("OF-M20A", "Oil filter M20A", "pc", "58"), ("OIL-0W20", "Engine oil 0W-20", "L",
                                     "78"), ("OF-A25A", "Oil filter A25A", "pc", "62"),
                                    ("CF-BZ4X", "Cabin filter bZ4X", "pc", "120")):
        set_stock(Part.create(code=code, name=name, unit=unit, sale_price=Decimal(price)), "50")


def test_an_operations_kit_follows_the_cars_series_and_an_ev_gets_no_engine_oil(shop):
    _parts()
    op = catalog.add_operation(OperationForm(code="qs101", name="Oil and filter change", name_zh="更换机油机滤",
                                             trade="quick_service", standard_hours="0.5",
                                             applies_to="Camry, Highlander"), by=shop.manager)
    catalog.set_kit(op.id, "", "OF-M20A*1; OIL-0W20*4.5", by=shop.manager)
    catalog.set_kit(op.id, "Highlander", [("OF-A25A", "1"), ("OIL-0W20", "5")], by=shop.manager)
    cabin = catalog.add_operation(OperationForm(code="QS107", name="Cabin filter", trade="quick_service",
                                                standard_hours="0.3"), by=shop.manager)
    catalog.set_kit(cabin.id, "bZ4X", "CF-BZ4X*1", by=shop.manager)

    highlander = make_vehicle("粤B66666", "LVGBM53K0RG000066", shop.customer, series="Highlander",
                              model="Highlander 2.5 HEV")
    ev = make_vehicle("粤BD88888", "LVGBM53K0RG000088", shop.customer, series="bZ4X", model="bZ4X FWD")
    order = shop.order(highlander, codes=("QS101",))
    assert sorted((pl.part.code, pl.qty) for pl in PartLine.select().where(PartLine.order == order.id)) == \
        [("OF-A25A", Decimal("1")), ("OIL-0W20", Decimal("5"))]
    camry_order = shop.order(shop.car, codes=("QS101",))
    assert sorted(pl.part.code for pl in PartLine.select().where(PartLine.order == camry_order.id)) == \
        ["OF-M20A", "OIL-0W20"]
    with pytest.raises(InvalidInput, match="not for a bZ4X: it applies to Camry, Highlander") as refused:
        shop.order(ev, codes=("QS101",))
    assert refused.value.field == "operations"
    ev_order = shop.order(ev, codes=("QS107",))
    assert [pl.part.code for pl in PartLine.select().where(PartLine.order == ev_order.id)] == ["CF-BZ4X"]
    assert [pl.part.code for pl in PartLine.select().where(PartLine.order == shop.order(shop.car2, codes=("QS107",)).id)] == []


def test_a_kit_typed_for_a_series_in_another_case_replaces_that_series_kit(shop):
    _parts()
    op = catalog.add_operation(OperationForm(code="QS102", name="Oil change", trade="quick_service",
                                             standard_hours="0.5", applies_to="Highlander"), by=shop.manager)
    catalog.set_kit(op.id, "HIGHLANDER", "OF-A25A*1", by=shop.manager)      # spelt as the operation spells it
    catalog.set_kit(op.id, "highlander", "OF-A25A*1; OIL-0W20*5", by=shop.manager)
    assert list(catalog.operation_detail(op.id).kits) == ["Highlander"]
    assert [line.code for line in catalog.operation_detail(op.id).kits["Highlander"]] == ["OF-A25A", "OIL-0W20"]


@pytest.mark.parametrize("items, message", [
    ("NOPE-1*1", "Not in the parts catalog: NOPE-1"),
    ("OF-M20A*1.5", "whole pc"),
    ("OF-M20A*0", "more than zero"),
    ("OF-M20A*1; OF-M20A*2", "twice"),
    ("OIL-0W20*abc", "must be a number"),
])
def test_a_bad_kit_is_refused_and_the_old_kit_stays(shop, items, message):
    _parts()
    op = Operation.get(Operation.code == "QS001")
    catalog.set_kit(op.id, "", "OIL-0W20*4", by=shop.manager)
    with pytest.raises(InvalidInput, match=message):
        catalog.set_kit(op.id, "", items, by=shop.manager)
    assert catalog.operation_detail(op.id).kits[""][0].code == "OIL-0W20"


def test_an_operation_on_orders_is_retired_not_deleted_and_reception_no_longer_offers_it(shop):
    shop.order()
    op = Operation.get(Operation.code == "QS001")
    with pytest.raises(InvalidInput, match="retire it instead"):
        catalog.delete_operation(op.id, by=shop.manager)
    catalog.set_active(op.id, False, by=shop.manager)
    with pytest.raises(InvalidInput, match="No longer offered: QS001"):
        shop.order(shop.car2)
    assert "QS001" not in [r.code for r in catalog.list_operations(include_retired=False)]


def test_editing_an_operation_changes_new_orders_not_old_ones_and_keeps_initials(shop):
    old = shop.order()
    op = Operation.get(Operation.code == "QS001")
    catalog.edit_operation(op.id, OperationForm(code="QS001", name="Oil change", name_zh="更换机油", trade="quick_service",
                                                standard_hours="0.7"), by=shop.manager)
    assert Operation.get_by_id(op.id).initials == "ghjy"
    assert JobLine.get(JobLine.order == old.id).billed_hours == Decimal("0.5")
    new = shop.order(shop.car2)
    assert JobLine.get(JobLine.order == new.id).billed_hours == Decimal("0.7")


# --- rates ---------------------------------------------------------------------------------------------------

def test_rates_per_trade_and_price_class_price_the_job_line(shop):
    rates.set_rate("mechanical", "premium", "260", by=shop.manager)
    catalog.add_operation(OperationForm(code="ME900", name="Hybrid inverter check", trade="mechanical",
                                        standard_hours="2", price_class="premium"), by=shop.manager)
    order = shop.order(codes=("ME900", "ME001"))
    assert sorted((j.code, j.rate) for j in JobLine.select().where(JobLine.order == order.id)) == \
        [("ME001", Decimal("180")), ("ME900", Decimal("260"))]
    assert json.loads(_last_event("labor_rate_set").after)["price_class"] == "premium"


def test_an_operation_without_a_rate_is_refused_at_reception_naming_the_rate_to_set(shop):
    catalog.add_operation(OperationForm(code="EL001", name="A/C recharge", trade="electrical", standard_hours="0.8"),
                          by=shop.manager)
    with pytest.raises(InvalidInput, match=r"No labour rate is set for electrical \(standard\)"):
        shop.order(codes=("EL001",))
    rates.set_rate("electrical", "standard", "200", by=shop.manager)
    assert shop.order(codes=("EL001",)).state == "checked_in"
    with pytest.raises(InvalidInput, match="operation is sold at this rate"):
        rates.remove_rate("electrical", "standard", by=shop.manager)
    assert [r.rate for r in rates.list_rates() if r.trade == "electrical"] == [Decimal("200")]


@pytest.mark.parametrize("value", ["0", "-5", "abc", "100000000"])
def test_a_bad_rate_is_refused(shop, value):
    with pytest.raises(InvalidInput) as refused:
        rates.set_rate("mechanical", "standard", value, by=shop.manager)
    assert refused.value.field == "rate"
    assert LaborRate.get(LaborRate.trade == "mechanical").rate == Decimal("180")


# --- customer classes ------------------------------------------------------------------------------------------

def test_a_class_set_up_by_hand_discounts_its_members_until_it_expires(shop):
    from workshop import customer_file
    from workshop.settlement import bill_for
    diamond = customer_classes.add_class(ClassForm(name="Diamond", name_zh="钻石", labor_discount="10",
                                                   material_discount="5", valid_months="12", fee="800"),
                                         by=shop.manager)
    form = customer_file.form_of_customer(shop.customer.id)
    form.customer_class_id = diamond.id
    customer_file.update_customer(shop.customer.id, form, by=shop.advisor, seen_version=1)
    assert customer_file.customer_file(shop.customer.id).class_until == dt.date(2027, 11, 20)
    order = shop.order(codes=("ME001",))
    assert bill_for(order.id).labor_lines[0].discount == Decimal("18.00")  # 10% of 180
    clock.freeze(dt.datetime(2027, 11, 21, 9, 0))   # a year and a day later: expired
    later = shop.order(shop.car3, codes=("ME001",))
    assert bill_for(later.id).labor_lines[0].discount == Decimal("0.00")
    assert bill_for(order.id).labor_lines[0].discount == Decimal("18.00")  # checked in while it held


def test_a_retired_class_is_given_to_nobody_new(shop):
    from workshop import customer_file
    klass = customer_classes.add_class(ClassForm(name="Gold", labor_discount="3"), by=shop.manager)
    customer_classes.set_active(klass.id, False, by=shop.manager)
    form = customer_file.form_of_customer(shop.customer.id)
    form.customer_class_id = klass.id
    with pytest.raises(InvalidInput, match="retired") as refused:
        customer_file.update_customer(shop.customer.id, form, by=shop.advisor, seen_version=1)
    assert refused.value.field == "customer_class"


@pytest.mark.parametrize("form, field", [
    (ClassForm(name="", labor_discount="5"), "name"),
    (ClassForm(name="VIP"), "name"),                                  # taken (case ignored below)
    (ClassForm(name="vip"), "name"),
    (ClassForm(name="Super", labor_discount="101"), "labor_discount"),
    (ClassForm(name="Super", material_discount="-1"), "material_discount"),
    (ClassForm(name="Super", valid_months="1.5"), "valid_months"),
])
def test_bad_class_input_is_refused(shop, form, field):
    with pytest.raises(InvalidInput) as refused:
        customer_classes.add_class(form, by=shop.manager)
    assert refused.value.field == field


# --- packages ---------------------------------------------------------------------------------------------------

def test_a_package_sells_its_operations_and_kits_at_one_price_which_the_class_does_not_reduce(shop):
    from workshop.settlement import bill_for
    _parts()
    oil = Operation.get(Operation.code == "QS001")
    catalog.set_kit(oil.id, "", "OF-M20A*1; OIL-0W20*4", by=shop.manager)
    package = packages.add_package(PackageForm(code="fs1", name="First service", name_zh="首保", price="399",
                                               operation_codes="QS001, QS002"), by=shop.manager)
    form = OrderForm(vehicle_id=shop.car2.id, business_type="maintenance", mileage_in="5000", statement="First service",
                     promised_at=clock.now() + dt.timedelta(hours=2), package_codes=["FS1"],
                     operation_codes=["ME001"])
    preview = estimate(form)
    order = create_order(form, by=shop.advisor)    # car2 belongs to the VIP customer: 15% labour, 8% parts
    bill = bill_for(order.id)
    assert preview.total == bill.total == order.estimate
    sold = OrderPackage.get(OrderPackage.order == order.id)
    assert (sold.code, sold.price, sold.package_id) == ("FS1", Decimal("399.00"), package.id)
    lines = {line.code: line for line in bill.lines}
    assert lines["QS001"].charged == lines["QS002"].charged == Decimal("0.00")
    assert lines["OF-M20A"].charged == lines["OIL-0W20"].charged == Decimal("0.00")
    assert (lines["FS1"].charged, lines["FS1"].unit) == (Decimal("399.00"), "pkg")
    assert lines["ME001"].charged == Decimal("153.00")              # 180 less the VIP's 15%
    assert bill.total == Decimal("552.00")


def test_a_package_needs_known_active_operations_and_a_price(shop):
    with pytest.raises(InvalidInput, match="Not in the operations catalog: XX9") as refused:
        packages.add_package(PackageForm(code="P1", name="P", price="100", operation_codes="QS001, XX9"), by=shop.manager)
    assert refused.value.field == "operation_codes"
    with pytest.raises(InvalidInput) as refused:
        packages.add_package(PackageForm(code="P1", name="P", price="0", operation_codes="QS001"), by=shop.manager)
    assert refused.value.field == "price"
    package = packages.add_package(PackageForm(code="P1", name="P", price="100", operation_codes="QS001"),
                                   by=shop.manager)
    with pytest.raises(InvalidInput, match="maintenance package"):
        catalog.set_active(Operation.get(Operation.code == "QS001").id, False, by=shop.manager)
    packages.set_active(package.id, False, by=shop.manager)
    with pytest.raises(InvalidInput, match="No maintenance package P1 is on sale"):
        create_order(OrderForm(vehicle_id=shop.car.id, mileage_in="1", statement="x", package_codes=["P1"],
                               promised_at=clock.now() + dt.timedelta(hours=1)), by=shop.advisor)


def test_an_empty_shop_says_what_is_missing_before_the_first_check_in_and_becomes_ready(db_path, frozen_clock):
    from tests.factories import make_staff
    from workshop.setup_status import status
    manager = make_staff("boss", "Boss", "manager")
    first = status()
    assert not first.ready
    assert [s.key for s in first.missing] == ["identity", "bays", "rates", "operations", "parts", "classes", "staff"]
    bay_setup.add_bay(BayForm(code="M1", name="Mechanical 1", kind="mechanical"), by=manager)
    catalog.add_operation(OperationForm(code="ME001", name="Front brake pads", trade="mechanical",
                                        standard_hours="1"), by=manager)
    middle = status()
    assert not middle.ready and "mechanical/standard" in next(s.detail for s in middle.steps if s.key == "rates")
    rates.set_rate("mechanical", "standard", "180", by=manager)
    assert status().ready
    assert [s.key for s in status().missing] == ["identity", "parts", "classes", "staff"]   # wanted, not required


def test_a_clerk_adds_a_part_with_its_opening_stock_for_the_first_kits(shop):
    from models.parts import StockMovement
    from workshop.part_catalog import PartForm, add_part
    part = add_part(PartForm(code="of-m20a", name="Oil filter M20A", name_zh="机油滤清器", unit="pc",
                             sale_price="58", unit_cost="28", bin="a-01-1", opening_qty="40"), by=shop.clerk)
    assert (part.code, part.bin, stock(part).on_hand, part.initials) == ("OF-M20A", "A-01-1", Decimal("40"), "jylqq")
    assert [(m.kind, m.qty) for m in StockMovement.select().where(StockMovement.part == part.id)] == \
        [("opening", Decimal("40"))]
    assert Event.select().where((Event.entity == "part") & (Event.entity_id == part.id)).count() >= 1
    op = Operation.get(Operation.code == "QS001")
    assert catalog.set_kit(op.id, "", "OF-M20A*1", by=shop.manager) == [("OF-M20A", Decimal("1"))]


@pytest.mark.parametrize("form, field", [
    (dict(code="OF-M20A", name="Again", sale_price="58"), "code"),        # already in the catalog
    (dict(code="X-1", name="Thing", unit="box", sale_price="5"), "unit"),
    (dict(code="X-1", name="Thing", sale_price="0"), "sale_price"),
    (dict(code="X-1", name="Thing", sale_price="5", opening_qty="1.5"), "opening_qty"),   # a whole pc
    (dict(code="X-1", name="", sale_price="5"), "name"),
])
def test_a_bad_part_is_refused_naming_the_field_and_nothing_is_written(shop, form, field):
    from workshop.part_catalog import PartForm, add_part
    add_part(PartForm(code="OF-M20A", name="Oil filter M20A", sale_price="58"), by=shop.clerk)
    parts_before, events_before = Part.select().count(), Event.select().count()
    with pytest.raises(InvalidInput) as refused:
        add_part(PartForm(**form), by=shop.clerk)
    assert refused.value.field == field
    assert (Part.select().count(), Event.select().count()) == (parts_before, events_before)


def test_an_advisor_cannot_add_a_part(shop):
    from workshop.part_catalog import PartForm, add_part
    with pytest.raises(NotAllowed):
        add_part(PartForm(code="X-1", name="Thing", sale_price="5"), by=shop.advisor)
    assert not Part.select().where(Part.code == "X-1").exists()
