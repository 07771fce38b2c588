"""Reception: checking a car in, with good and bad input, through the service and the form."""
import datetime as dt
from decimal import Decimal

import pytest

from models.orders import JobLine, RepairOrder
from models.people import Customer, Vehicle
from tests.ui import app_as, settled
from workshop import clock, validation
from workshop.errors import InvalidInput, NotAllowed
from workshop.reception import CustomerForm, OrderForm, VehicleForm, create_order, register_vehicle


@pytest.mark.parametrize("plate", ["粤B12345", "粵B12345", "京A·D1234", "粤BD12345", "沪AF12345", "苏E12345D",
                                   " 粤b 12345 "])
def test_valid_plates_are_accepted_and_normalised(db_path, plate):
    assert validation.plate(plate).startswith(("粤", "京", "沪", "苏"))


@pytest.mark.parametrize("plate,reason", [("", "required"), ("B12345", "not a valid plate"),
                                          ("粤B1234", "not a valid plate"), ("粤BI2345", "not a valid plate"),
                                          ("粤B123456789", "not a valid plate")])
def test_malformed_plates_are_refused(db_path, plate, reason):
    with pytest.raises(InvalidInput, match=reason):
        validation.plate(plate)


@pytest.mark.parametrize("vin,reason", [("LVGBM53K5RG00000", "17 characters"), ("LVGBM53K5RG00000I", "I, O or Q"),
                                        ("LVGBM53K5RG0000O1", "I, O or Q"), ("LVGBM53K5RG0000-1", "letters and digits")])
def test_malformed_vins_are_refused(db_path, vin, reason):
    with pytest.raises(InvalidInput, match=reason):
        validation.vin(vin)


def test_phone_numbers(db_path):
    assert validation.phone("138 1234 5678") == "13812345678"
    with pytest.raises(InvalidInput, match="not a valid phone"):
        validation.phone("12345")


def form(shop, **changes):
    values = dict(vehicle_id=shop.car.id, business_type="maintenance", mileage_in="21000", fuel_level="1/2",
                  statement="Service", promised_at=clock.now() + dt.timedelta(hours=3), operation_codes=["QS001", "ME001"])
    values.update(changes)
    return OrderForm(**values)


def test_advisor_checks_car_in_with_job_lines_from_catalog(shop):
    order = create_order(form(shop), by=shop.advisor)
    assert order.state == "checked_in" and order.advisor_id == shop.advisor.id
    lines = list(JobLine.select().where(JobLine.order == order.id).order_by(JobLine.id))
    assert [(l.code, l.rate) for l in lines] == [("QS001", Decimal("120")), ("ME001", Decimal("180"))]


@pytest.mark.parametrize("changes,message", [
    ({"mileage_in": ""}, "must be a number"),
    ({"mileage_in": "-5"}, "cannot be negative"),
    ({"statement": "  "}, "statement is required"),
    ({"statement": "x" * 1001}, "too long"),
    ({"promised_at": dt.datetime(2020, 1, 1)}, "in the past"),
    ({"operation_codes": []}, "at least one job line"),
    ({"operation_codes": ["NOPE1"]}, "Unknown operation"),
    ({"business_type": "insurance"}, "Insurer is required"),
])
def test_bad_order_input_is_refused_and_writes_nothing(shop, changes, message):
    with pytest.raises(InvalidInput, match=message):
        create_order(form(shop, **changes), by=shop.advisor)
    assert RepairOrder.select().count() == 0


def test_mileage_below_last_visit_is_refused(shop):
    first = create_order(form(shop, mileage_in="30000"), by=shop.advisor)
    RepairOrder.update(state="delivered").where(RepairOrder.id == first.id).execute()
    with pytest.raises(InvalidInput, match="below the last visit"):
        create_order(form(shop, mileage_in="29000"), by=shop.advisor)


def test_second_open_order_for_same_car_is_refused(shop):
    create_order(form(shop), by=shop.advisor)
    with pytest.raises(InvalidInput, match="already has an open order"):
        create_order(form(shop), by=shop.advisor)


def test_technician_may_not_create_orders(shop):
    with pytest.raises(NotAllowed, match="service advisor"):
        create_order(form(shop), by=shop.techs[0])


def test_register_vehicle_for_new_customer_and_refuse_duplicate_plate(shop):
    car = register_vehicle(CustomerForm(name="Lin Tao", mobile="13700001234"),
                           VehicleForm(plate="粤C54321", vin="LVGBM53K4RG000009", brand="Toyota", model="RAV4"),
                           by=shop.advisor)
    assert Customer.get_by_id(car.customer_id).name == "Lin Tao"
    with pytest.raises(InvalidInput, match="already registered"):
        register_vehicle(CustomerForm(name="X", mobile="13700009999"),
                         VehicleForm(plate="粤C54321", vin="LVGBM53K0RG000010", brand="Toyota", model="RAV4"),
                         by=shop.advisor)
    assert Customer.select().where(Customer.name == "X").count() == 0


async def test_reception_form_checks_a_car_in_with_keys(shop):
    async with app_as(shop.advisor).run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"粤B12345", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert "Wang Wei" in str(screen.query_one("#found").content)
        screen.query_one("#mileage_in").value = "25000"
        screen.query_one("#statement").value = "Noise when braking"
        screen.query_one("#operations").value = "ME001"
        await pilot.press("ctrl+s")
        await settled(pilot)
        order = RepairOrder.get(RepairOrder.vehicle == shop.car.id)
        assert order.statement == "Noise when braking" and order.mileage_in == 25000
        assert order.id in pilot.app.screen.cards  # back on the board, the new card is there


async def test_reception_form_shows_bad_vin_and_writes_nothing(shop):
    async with app_as(shop.advisor).run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"粤C77777", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert screen.query_one("#new-car").display
        screen.query_one("#vin").value = "LVGBM53K5RG00000O"
        screen.query_one("#model").value = "RAV4"
        screen.query_one("#name").value = "Lin Tao"
        screen.query_one("#mobile").value = "13700001234"
        await pilot.press("ctrl+r")
        await settled(pilot)
        assert "I, O or Q" in str(screen.query_one("#note-vin").content)  # under the VIN's row
        assert screen.query_one("#note-vin").display
        assert Vehicle.select().where(Vehicle.plate == "粤C77777").count() == 0
        assert pilot.app.focused.id == "vin"
        assert screen.query_one("#vin").value == "LVGBM53K5RG00000O"  # what was typed stays


def test_owner_of_a_car_on_file(shop):
    from workshop.reception import Owner, owner_of
    assert owner_of(shop.car2.customer_id) == Owner(shop.vip_customer.id, "Pearl River Logistics", "13900001111")


def test_operations_catalog_search_by_name_or_code_sorted_and_limited(shop):
    from workshop.reception import OperationChoice, find_operations
    assert [op.code for op in find_operations("")] == ["BD001", "ME001", "PT001", "QS001", "QS002"]
    assert find_operations(" brake ") == [OperationChoice("ME001", "Front brake pads", Decimal("1.0"))]
    assert [op.code for op in find_operations("QS")] == ["QS001", "QS002"]
    assert [op.code for op in find_operations("bumper")] == ["BD001", "PT001"]
    assert [op.code for op in find_operations("", limit=2)] == ["BD001", "ME001"]
    assert find_operations("no such job") == []


def test_an_accident_car_is_checked_in_with_its_claim_assessment_deductible_and_towing(shop):
    from models.insurance import InsuranceClaim
    from models.settlement import FeeLine
    from workshop.settlement import bill_for
    order = create_order(form(shop, business_type="insurance", operation_codes=["BD001"], insurer="PICC",
                              claim_no="RDAA2026110001", assessed_amount="1000", deductible="100", towing_fee="300",
                              documents_kept="行驶证, 保单"), by=shop.advisor)
    claim = InsuranceClaim.get(InsuranceClaim.order == order.id)
    assert (claim.claim_no, claim.assessed_amount, claim.deductible, claim.towing_fee) == \
        ("RDAA2026110001", Decimal("1000.00"), Decimal("100.00"), Decimal("300.00"))
    assert (order.claim_no, order.assessed_amount, order.deductible, order.towing, order.documents_kept) == \
        ("RDAA2026110001", Decimal("1000.00"), Decimal("100.00"), True, "行驶证, 保单")
    assert [(f.kind, f.amount, f.payer) for f in FeeLine.select().where(FeeLine.order == order.id)] == \
        [("towing", Decimal("300.00"), "insurer")]
    bill = bill_for(order.id)
    assert order.estimate == bill.total == Decimal("620.00")         # 2 h body at 160, towing 300
    assert (bill.shares["insurer"], bill.customer_share) == (Decimal("520.00"), Decimal("100.00"))  # the deductible


@pytest.mark.parametrize("changes, field", [
    ({"business_type": "maintenance", "assessed_amount": "100"}, "assessed_amount"),
    ({"business_type": "insurance", "insurer": "PICC", "assessed_amount": "100", "deductible": "200"}, "deductible"),
    ({"towing_fee": "-1"}, "towing_fee"),
])
def test_insurance_figures_that_do_not_fit_are_refused_at_reception(shop, changes, field):
    with pytest.raises(InvalidInput) as refused:
        create_order(form(shop, **changes), by=shop.advisor)
    assert refused.value.field == field
    assert RepairOrder.select().count() == 0


def test_the_advisors_bill_counts_requested_parts_until_the_work_is_done(shop):
    from models.parts import Part
    from workshop import catalog
    from workshop.settlement import bill_for
    from tests.factories import set_stock
    set_stock(Part.create(code="OIL-0W20", name="Engine oil 0W-20", unit="L", sale_price=Decimal("78")), "2")
    catalog.set_kit(shop_operation("QS001"), "", "OIL-0W20*4", by=shop.manager)
    order = create_order(form(shop, operation_codes=["QS001"]), by=shop.advisor)   # 2 L in stock: 2 short
    bill = bill_for(order.id)
    assert [(line.code, line.quantity) for line in bill.part_lines] == [("OIL-0W20", Decimal("4"))]
    assert order.estimate == bill.total == Decimal("60.00") + Decimal("312.00")
    assert bill_for(order.id, include_requested=False).part_lines == []          # nothing picked yet


def shop_operation(code: str) -> int:
    from models.shop import Operation
    return Operation.get(Operation.code == code).id


def test_the_estimate_shown_before_check_in_is_what_the_order_stores(shop):
    from workshop.reception import estimate
    preview = estimate(form(shop))
    order = create_order(form(shop), by=shop.advisor)
    assert preview.total == order.estimate == Decimal("240.00")    # 0.5 h at 120 + 1 h at 180
