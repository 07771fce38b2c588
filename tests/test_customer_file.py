"""The customer's and the vehicle's file: every field, phones and VINs checked, edits from two terminals, the
car's history, finding a file, merging two files of one person."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from models.events import Event
from models.followup import Callback, Complaint
from models.orders import RepairOrder
from models.people import Customer, Vehicle
from models.settlement import Settlement
from workshop import customer_file, phones, reminders, vins
from workshop.customer_file import CustomerForm, VehicleForm
from workshop.errors import InvalidInput, NotAllowed, StaleRecord
from workshop.reception import register_vehicle


@pytest.mark.parametrize("typed", ["+86 138 1234 5678", "13812345678", "138-1234-5678", "(+86) 13812345678",
                                   "１３８１２３４５６７８"])
def test_one_mobile_however_it_is_written(db_path, typed):
    assert phones.normalise(typed) == "13812345678"


@pytest.mark.parametrize("typed", ["0000000", "12345", "1381234567", "13812345678x", "abc"])
def test_what_is_not_a_phone_number_is_refused(db_path, typed):
    with pytest.raises(InvalidInput, match="not a"):
        phones.normalise(typed)


def test_a_landline_and_a_hong_kong_mobile_keep_what_makes_them_callable(db_path):
    assert phones.normalise("020-8888 6688") == "02088886688"
    assert phones.normalise("+852 9123 4567") == "+85291234567"
    assert phones.display("13812345678") == "138 1234 5678"


def test_a_second_file_for_a_number_already_on_file_is_refused_naming_the_file(shop):
    with pytest.raises(InvalidInput, match=r"already the mobile of Wang Wei \(C100001\)") as refused:
        customer_file.create_customer(CustomerForm(name="W. Wei", mobile="+86 138 1234 5678"), by=shop.advisor)
    assert refused.value.field == "mobile"


def test_reception_adds_a_car_to_the_file_of_the_same_mobile_written_another_way(shop):
    car = register_vehicle(CustomerForm(name="Wang Wei", mobile="+86 138-1234-5678"),
                           VehicleForm(plate="粤C54321", vin=vins.with_check_digit("LVGBM53K0RG000077"),
                                       brand="Toyota", model="RAV4"), by=shop.advisor)
    assert car.customer_id == shop.customer.id
    assert Customer.select().count() == 2


@pytest.mark.parametrize("vin", [
    "LVGBM53K5RG000001",                                   # its check digit is X
    vins.with_check_digit("LFV2A21K0P4000123")[:12] + "8" + vins.with_check_digit("LFV2A21K0P4000123")[13:],
])                                                         # a valid VIN with one digit misread (0 as 8)
def test_a_vin_whose_check_digit_is_wrong_is_refused_with_what_it_should_be(shop, vin):
    expected = vins.check_digit(vin)
    with pytest.raises(InvalidInput, match=f"check digit, is {vin[8]} but the other characters give {expected}") \
            as refused:
        customer_file.add_vehicle(shop.customer.id, VehicleForm(plate="粤C11111", vin=vin, brand="Toyota",
                                                                 model="Camry"), by=shop.advisor)
    assert refused.value.field == "vin"
    assert not Vehicle.select().where(Vehicle.plate == "粤C11111").exists()


def test_a_shop_of_grey_imports_may_switch_the_check_digit_off(shop):
    from workshop import settings
    settings.put("vin_check_digit", "no", by=shop.manager)
    car = customer_file.add_vehicle(shop.customer.id, VehicleForm(plate="粤C11111", vin="JTDBT123456789012",
                                                                   brand="Lexus", model="LX"), by=shop.advisor)
    assert car.vin == "JTDBT123456789012"


def test_every_field_of_both_files_is_kept_and_audited(shop):
    form = CustomerForm(name="陈小明", kind="private", mobile="139 2222 3333", home_phone="020-8765 4321",
                        office_phone="", email="chen@example.cn", address="天河路1号", postcode="510000",
                        id_number="44010619900101123x", birthday="1990-01-01", notes="prefers WeChat",
                        customer_class_id=shop.vip.id, class_until="2027-06-30", is_key=True)
    customer = customer_file.create_customer(form, by=shop.advisor)
    car = customer_file.add_vehicle(customer.id, VehicleForm(
        plate="粤A12345", vin=vins.with_check_digit("LFMAP22C0K0000123"), brand="Toyota", series="RAV4",
        model="RAV4 2.0 CVT", model_code="MXAA54", model_year="2019", engine_no="M20A-998877", gearbox="CVT",
        colour="white", fuel_type="petrol", purchase_date="2019年5月3日", purchase_mileage="8",
        selling_dealer="Guangzhou Riverside Toyota", insurer="PICC", insurance_expiry="2026/12/20",
        warranty_expiry="20220503"), by=shop.advisor)
    file = customer_file.customer_file(customer.id)
    assert (file.name, file.mobile, file.home_phone, file.id_number, file.birthday, file.class_until,
            file.class_valid, file.is_key) == ("陈小明", "13922223333", "02087654321", "44010619900101123X",
                                               dt.date(1990, 1, 1), dt.date(2027, 6, 30), True, True)
    v = customer_file.vehicle_file(car.id)
    assert (v.series, v.model_code, v.gearbox, v.fuel_type, v.purchase_date, v.insurer, v.insurance_expiry,
            v.warranty_expiry, v.owner_name) == ("RAV4", "MXAA54", "CVT", "petrol", dt.date(2019, 5, 3), "PICC",
                                                 dt.date(2026, 12, 20), dt.date(2022, 5, 3), "陈小明")
    assert Customer.get_by_id(customer.id).initials == "cxm"
    created = Event.get((Event.kind == "customer_created") & (Event.entity_id == customer.id))
    assert json.loads(created.after)["birthday"] == "1990-01-01"


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"), ({"kind": "alien"}, "kind"), ({"mobile": "0000000"}, "mobile"),
    ({"email": "not-an-email"}, "email"), ({"birthday": "1990-02-30"}, "birthday"),
    ({"birthday": "2999-01-01"}, "birthday"), ({"postcode": "51-00"}, "postcode"),
    ({"customer_class_id": 9999}, "customer_class"), ({"class_until": "soon"}, "class_until"),
    ({"home_phone": "12"}, "home_phone"),
])
def test_bad_customer_input_is_refused_naming_the_field_and_nothing_is_written(shop, changes, field):
    form = customer_file.form_of_customer(shop.customer.id)
    for key, value in changes.items():
        setattr(form, key, value)
    with pytest.raises(InvalidInput) as refused:
        customer_file.update_customer(shop.customer.id, form, by=shop.advisor, seen_version=1)
    assert refused.value.field == field
    assert Customer.get_by_id(shop.customer.id).version == 1


@pytest.mark.parametrize("changes, field", [
    ({"plate": "粤A88888"}, "plate"),                          # another car's
    ({"fuel_type": "coal"}, "fuel_type"), ({"model_year": "1800"}, "model_year"),
    ({"purchase_mileage": "-1"}, "purchase_mileage"), ({"insurance_expiry": "31/12/2026"}, "insurance_expiry"),
    ({"purchase_date": "2030-01-01"}, "purchase_date"), ({"brand": ""}, "brand"),
])
def test_bad_vehicle_input_is_refused_naming_the_field(shop, changes, field):
    form = customer_file.form_of_vehicle(shop.car.id)
    for key, value in changes.items():
        setattr(form, key, value)
    with pytest.raises(InvalidInput) as refused:
        customer_file.update_vehicle(shop.car.id, form, by=shop.advisor, seen_version=1)
    assert refused.value.field == field


def test_an_edit_from_a_terminal_that_read_an_older_file_is_refused_saying_who_changed_it(shop):
    first = customer_file.form_of_customer(shop.customer.id)
    second = customer_file.form_of_customer(shop.customer.id)
    first.address = "Tianhe Road 1"
    customer_file.update_customer(shop.customer.id, first, by=shop.advisor, seen_version=1)
    second.email = "wang@example.cn"
    with pytest.raises(StaleRecord, match="changed by Li Wei"):
        customer_file.update_customer(shop.customer.id, second, by=shop.agent, seen_version=1)
    saved = Customer.get_by_id(shop.customer.id)
    assert (saved.address, saved.email, saved.version) == ("Tianhe Road 1", None, 2)


def test_the_insurance_expiry_entered_in_the_file_puts_the_customer_on_the_renewal_list(shop):
    assert reminders.due("insurance") == []
    form = customer_file.form_of_vehicle(shop.car.id)
    form.insurer, form.insurance_expiry = "PICC", "2026-12-30"       # 40 days after the frozen today
    customer_file.update_vehicle(shop.car.id, form, by=shop.advisor, seen_version=1)
    listed = reminders.due("insurance")
    assert [(r.plate, r.due) for r in listed] == [("粤B12345", dt.date(2026, 12, 30))]
    form.insurance_expiry = "2027-03-01"                              # beyond 45 days: not yet
    customer_file.update_vehicle(shop.car.id, form, by=shop.advisor, seen_version=2)
    assert reminders.due("insurance") == []


def test_a_technician_cannot_edit_a_file(shop):
    with pytest.raises(NotAllowed):
        customer_file.update_customer(shop.customer.id, customer_file.form_of_customer(shop.customer.id),
                                      by=shop.techs[0], seen_version=1)


def test_the_cars_history_shows_its_visits_parts_complaints_and_callbacks(shop):
    from decimal import Decimal
    from models.parts import Part, PartLine
    done = shop.delivered(mileage=20000)
    filter_ = Part.create(code="OF-M20A", name="Oil filter M20A", name_zh="机油滤清器", unit="pc", sale_price=58)
    PartLine.create(order=done.id, part=filter_.id, qty=1, picked=1, status="used", requested_at=done.time_in)
    Complaint.create(customer=shop.customer.id, order=done.id, description="Noise again", department="service",
                     due=dt.date(2026, 11, 22), created_by=shop.agent.id, created_at=dt.datetime(2026, 11, 20, 10))
    now = shop.order(mileage=25000)
    history = customer_file.vehicle_file(shop.car.id)
    assert [(v.number, v.mileage) for v in history.visits] == [(now.number, 25000), (done.number, 20000)]
    assert history.visits[1].total is not None and history.visits[0].total is None
    assert [c.text for c in history.complaints] == ["Noise again"]
    assert Callback.select().where(Callback.order == done.id).count() == len(history.callbacks) >= 1
    assert history.callbacks[0].kind == "first callback"
    assert [(p.order_number, p.code, p.qty) for p in history.parts] == [(done.number, "OF-M20A", Decimal("1"))]


def test_a_file_is_found_by_plate_vin_phone_or_name(shop):
    def found(text):
        return [(h.kind, h.customer_id, h.vehicle_id) for h in customer_file.lookup(text)]
    car = ("vehicle", shop.customer.id, shop.car.id)
    assert car in found("粤B12345") and car in found("粤b123")
    assert found(shop.car.vin) == [car]
    assert ("customer", shop.customer.id, None) in found("+86 138 1234 5678")
    assert ("customer", shop.customer.id, None) in found("Wang")


def test_merging_two_files_of_one_person_moves_everything_and_keeps_the_invoices(shop):
    settled = shop.settled(shop.car3)
    twin = customer_file.create_customer(CustomerForm(name="Wang Wei", mobile="13612345678", email="ww@example.cn",
                                                      birthday="1985-03-03", notes="second file"), by=shop.advisor)
    Vehicle.update(customer=twin.id).where(Vehicle.id == shop.car3.id).execute()
    RepairOrder.update(customer=twin.id).where(RepairOrder.id == settled.id).execute()
    with pytest.raises(NotAllowed):
        customer_file.merge_customers(shop.customer.id, twin.id, by=shop.advisor)
    result = customer_file.merge_customers(shop.customer.id, twin.id, by=shop.manager)
    kept = Customer.get_by_id(shop.customer.id)
    assert (kept.email, kept.birthday, kept.mobile) == ("ww@example.cn", dt.date(1985, 3, 3), "13812345678")
    assert "second file" in kept.notes
    assert Vehicle.get_by_id(shop.car3.id).customer_id == kept.id
    assert RepairOrder.get_by_id(settled.id).customer_id == kept.id
    assert result.moved["vehicle"] == 1 and result.moved["repair_order"] == 1
    assert Customer.get_by_id(twin.id).merged_into_id == kept.id
    assert Settlement.select().where(Settlement.order == settled.id).count() == 1   # untouched, never rewritten
    assert [h for h in customer_file.lookup("13612345678") if h.kind == "customer"] == []
    from workshop.customers import find_customers
    assert [h.id for h in find_customers("1361234")] == []
    assert reminders.due("birthday") == [] or all(r.customer_id != twin.id for r in reminders.due("birthday"))
    event = Event.get(Event.kind == "customers_merged")
    assert json.loads(event.before)["merged"]["email"] == "ww@example.cn"
    with pytest.raises(InvalidInput, match="already merged"):
        customer_file.merge_customers(shop.customer.id, twin.id, by=shop.manager)
