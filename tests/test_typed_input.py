"""What people type, through every service that stores it: control characters are refused with the field named,
numbers that are not numbers (1e30, NaN, 40 digits) or beyond their stated bound give a message, and a refusal
writes nothing."""
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from models import ALL_MODELS
from models.followup import Callback
from models.parts import Part
from models.qc import ChecklistItem
from models.settlement import Payment
from workshop import accounts, callbacks, clock, lifecycle, parts, qc, validation
from workshop import settlement as s
from workshop.errors import InvalidInput
from workshop.parts_import import import_csv
from workshop.reception import CustomerForm, OrderForm, VehicleForm, create_order, register_vehicle
from tests.factories import stock


def snapshot():
    """Every row of every table: a refusal must leave all of it as it was."""
    return {model.__name__: list(model.select().order_by(model._meta.primary_key).tuples()) for model in ALL_MODELS}


def refused(call, field):
    """The call raises InvalidInput about ``field`` and changes nothing in the database."""
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        call()
    assert error.value.field == field, str(error.value)
    assert snapshot() == before
    return str(error.value)


def stocked(code="OF-001", qty="10"):
    Part.create(code=code, name="Oil filter", unit="pc", bin="A-01-1", sale_price=Decimal("45"),
                unit_cost=Decimal("20"))
    return code


# --- numbers ---------------------------------------------------------------------------------------------

NOT_NUMBERS = ["1e30", "1e309", "1E5", "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1" * 40,
               "9" * 19 + ".5", "0x1F", "1_000", "١٢٣", "१२", "²", "12,34", "1,2,3", "¥5", "5 5", "1.2.3", "--1",
               "-", "."]
BLANK_IS_A_DEFAULT = {"QC penalty": "0", "cash tendered": "the amount", "refund amount": "all of it",
                      "pick quantity": "what is left to pick", "model year": "not known"}


def _picked_line(shop):
    stocked()
    parts.receive("OF-001", "10", by=shop.clerk)
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "OF-001", "3", by=shop.dispatcher)
    parts.pick(line.id, by=shop.clerk)
    return line


def _qc_items():
    return [ChecklistItem.create(business_type="maintenance", position=0, text="Road test")]


def _fail_qc(shop):
    """An order ready for QC; signing it failed with a penalty is the call to make."""
    _qc_items()
    order = shop.ready_for_qc()
    results = {item.id: ("fail", "noise") for item in ChecklistItem.select()}
    return lambda penalty: qc.sign(order.id, results, passed=False, by=shop.inspector, rework_reason="noise",
                                   responsible_id=shop.techs[0].id, penalty=penalty)


def _payment(shop):
    order = shop.settled()
    return Payment.get(Payment.order == order.id)


# field name -> (prepare(shop) -> anything, call(shop, prepared, value) -> None, the error's field)
NUMBER_FIELDS = {
    "payment amount": (lambda shop: shop.ready_for_settlement(),
                       lambda shop, order, v: s.take_payment(order.id, "card", v, by=shop.cashier), "amount"),
    "cash tendered": (lambda shop: shop.ready_for_settlement(),
                      lambda shop, order, v: s.take_payment(order.id, "cash", "10", tendered=v, by=shop.cashier),
                      "tendered"),
    "fee amount": (lambda shop: shop.ready_for_settlement(),
                   lambda shop, order, v: s.add_fee(order.id, "towing", v, by=shop.advisor), "amount"),
    "discount": (lambda shop: shop.ready_for_settlement(),
                 lambda shop, order, v: s.set_adjustment(order.id, kind="amount", value=v, reason="loyal",
                                                         by=shop.manager), "value"),
    "refund amount": (_payment, lambda shop, payment, v: s.refund(payment.id, "charged twice", amount=v,
                                                                  by=shop.manager), "amount"),
    "part quantity": (lambda shop: (stocked(), shop.order())[1],
                      lambda shop, order, v: parts.add_part_line(order.id, "OF-001", v, by=shop.advisor), "qty"),
    "pick quantity": (lambda shop: (stocked(), parts.receive("OF-001", "5", by=shop.clerk),
                                    parts.add_part_line(shop.in_progress().id, "OF-001", "2", by=shop.dispatcher))[2],
                      lambda shop, line, v: parts.pick(line.id, v, by=shop.clerk), "qty"),
    "return quantity": (_picked_line, lambda shop, line, v: parts.return_part(line.id, v, by=shop.clerk), "qty"),
    "goods-in quantity": (lambda shop: stocked(), lambda shop, code, v: parts.receive(code, v, by=shop.clerk), "qty"),
    "stocktake count": (lambda shop: stocked(),
                        lambda shop, code, v: parts.count_stock(code, v, "count", by=shop.clerk), "counted"),
    "QC penalty": (_fail_qc, lambda shop, sign, v: sign(v), "penalty"),
    "mileage in": (lambda shop: None,
                   lambda shop, _, v: create_order(OrderForm(
                       vehicle_id=shop.car.id, mileage_in=v, statement="noise", operation_codes=["QS001"],
                       promised_at=clock.now() + dt.timedelta(hours=2)), by=shop.advisor), "mileage_in"),
    "model year": (lambda shop: None,
                   lambda shop, _, v: register_vehicle(CustomerForm(), VehicleForm(
                       plate="粤B99999", vin="LVGBM53K9RG000099", brand="BYD", model="Han", model_year=v),
                       customer_id=shop.customer.id, by=shop.advisor), "model_year"),
}

# The stated upper bound of each field and a value just above it.
ABOVE_BOUND = {
    "payment amount": "10000000", "cash tendered": "10000000", "fee amount": "1000000.01",
    "discount": "10000000", "refund amount": "10000000", "part quantity": "10000", "pick quantity": "10000",
    "return quantity": "10000", "goods-in quantity": "10000", "stocktake count": "1000000",
    "QC penalty": "10000.01", "mileage in": "2000001", "model year": "2100",
}


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_what_is_not_a_number_is_refused_with_a_message_in_every_number_field(shop, name):
    prepare, call, field = NUMBER_FIELDS[name]
    prepared = prepare(shop)
    for value in NOT_NUMBERS + ([] if name in BLANK_IS_A_DEFAULT else ["", "  "]):
        message = refused(lambda value=value: call(shop, prepared, value), field)
        assert "number" in message or "digits" in message, (value, message)


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_every_number_field_has_a_stated_upper_bound(shop, name):
    prepare, call, field = NUMBER_FIELDS[name]
    prepared = prepare(shop)
    message = refused(lambda: call(shop, prepared, ABOVE_BOUND[name]), field)
    assert "more than" in message


def test_stock_count_and_qc_penalty_have_bounds_they_lacked(shop):
    code = stocked()
    refused(lambda: parts.count_stock(code, "999999999", "count", by=shop.clerk), "counted")
    sign = _fail_qc(shop)
    refused(lambda: sign("1000000"), "penalty")


def test_full_width_digits_from_a_chinese_input_method_are_the_same_number(shop):
    code = stocked()
    parts.receive(code, "１２", by=shop.clerk)
    assert stock(code).on_hand == 12
    order = shop.ready_for_settlement()
    s.take_payment(order.id, "card", "２５．５０", by=shop.cashier)
    assert Payment.get().amount == Decimal("25.50")


def test_minus_zero_is_zero_not_a_negative_amount(shop):
    assert str(validation.decimal("-0", "x", "X", maximum=10)) == "0"
    assert str(validation.decimal("-0.00", "x", "X", maximum=10)) == "0.00"
    code = stocked()
    parts.receive(code, "3", by=shop.clerk)
    parts.count_stock(code, "-0", "all gone", by=shop.clerk)
    on_hand = stock(code).on_hand
    assert on_hand == 0 and not on_hand.is_signed()  # "0" (SQLite) or "0.000" (PostgreSQL's scale), not "-0"


def test_an_imported_catalog_row_with_a_non_number_is_rejected_with_its_reason(shop, tmp_path):
    f = tmp_path / "parts.csv"
    f.write_text("code,name,brand,unit,bin,unit_cost,sale_price,reorder_threshold,opening_qty\n"
                 "OF-001,Oil filter,Toyota,pc,A-01-1,1e30,45,5,12\n"
                 "OF-002,Air filter,Toyota,pc,A-01-2,20,NaN,5,1\n"
                 "OF-003,Cabin filter,Toyota,pc,A-01-3,20,45,5,99999999999999999999999\n")
    report = import_csv(f, by=shop.clerk)
    reasons = dict(report.rejected)
    assert report.imported == 0 and Part.select().count() == 0
    assert "must be a number" in reasons[2] and "must be a number" in reasons[3]
    assert "too many digits" in reasons[4]


@given(st.text(max_size=30))
@hsettings(max_examples=300, deadline=None)
def test_any_text_in_a_number_field_is_a_number_or_a_message(value):
    try:
        number = validation.decimal(value, "amount", "Amount", maximum=validation.MAX_MONEY)
    except InvalidInput:
        return
    assert number.is_finite() and 0 <= number <= validation.MAX_MONEY
    assert number == number.quantize(Decimal("0.01"))


# --- control characters ------------------------------------------------------------------------------------

HOSTILE = ["Pearl\x1b]52;c;cm0gLXJm\x07 River", "Li\x1b[2J Wei", "A\u202eB", "A\u2066B\u2069", "A\u202aB",
           "NUL\x00X", "DEL\x7fX", "C1\x9bX", "C1\x85X", "zero\u200bwidth", "bom\ufeffX", "rlm\u200fX",
           "soft\u00adhyphen", "line\u2028sep", "tag\U000e0041X", "fill\u3164er"]
LINE_BREAKS = ["two\nlines", "tab\there", "cr\rhere"]


def _callback(shop):
    shop.delivered()
    return Callback.get()


def _complaint(shop):
    return callbacks.raise_complaint(shop.customer.id, "noisy brakes", by=shop.agent)


def _qc_order(shop):
    items = _qc_items()
    return shop.ready_for_qc(), items


def _customer(**changes):
    base = dict(name="Wang Fang", mobile="13700001111", email="", address="")
    return CustomerForm(**{**base, **changes})


def _vehicle(**changes):
    base = dict(plate="粤B99999", vin="LVGBM53K9RG000099", brand="BYD", model="Han", engine_no="", colour="")
    return VehicleForm(**{**base, **changes})


def _order_form(shop, **changes):
    base = dict(vehicle_id=shop.car.id, mileage_in="20000", statement="noise", operation_codes=["QS001"],
                promised_at=clock.now() + dt.timedelta(hours=2), business_type="insurance", insurer="PICC")
    return OrderForm(**{**base, **changes})


# field -> (prepare(shop), call(shop, prepared, text), error field, multi-line?)
TEXT_FIELDS = {
    "customer name": (None, lambda shop, _, t: register_vehicle(_customer(name=t), _vehicle(), by=shop.advisor),
                      "name", False),
    "customer email": (None, lambda shop, _, t: register_vehicle(_customer(email=t + "@x.cn"), _vehicle(),
                                                                 by=shop.advisor), "email", False),
    "address": (None, lambda shop, _, t: register_vehicle(_customer(address=t), _vehicle(), by=shop.advisor),
                "address", False),
    "plate": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(plate="粤B" + t), by=shop.advisor),
              "plate", False),
    "VIN": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(vin=t), by=shop.advisor), "vin", False),
    "brand": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(brand=t), by=shop.advisor),
              "brand", False),
    "model": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(model=t), by=shop.advisor),
              "model", False),
    "engine no.": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(engine_no=t), by=shop.advisor),
                   "engine_no", False),
    "colour": (None, lambda shop, _, t: register_vehicle(_customer(), _vehicle(colour=t), by=shop.advisor),
               "colour", False),
    "mobile": (None, lambda shop, _, t: register_vehicle(_customer(mobile="138" + t), _vehicle(), by=shop.advisor),
               "mobile", False),
    "statement": (None, lambda shop, _, t: create_order(_order_form(shop, statement=t), by=shop.advisor),
                  "statement", True),
    "insurer": (None, lambda shop, _, t: create_order(_order_form(shop, insurer=t), by=shop.advisor),
                "insurer", False),
    "claim no.": (None, lambda shop, _, t: create_order(_order_form(shop, claim_no=t), by=shop.advisor),
                  "claim_no", False),
    "documents kept": (None, lambda shop, _, t: create_order(_order_form(shop, documents_kept=t), by=shop.advisor),
                       "documents_kept", False),
    "cancel reason": (lambda shop: shop.order(),
                      lambda shop, order, t: lifecycle.cancel(order.id, t, by=shop.advisor), "reason", False),
    "move note": (lambda shop: shop.order(),
                  lambda shop, order, t: lifecycle.transition(order.id, "dispatch", note=t, by=shop.dispatcher),
                  "note", False),
    "staff login": (None, lambda shop, _, t: accounts.add_staff(t, "New Person", ["advisor"], "1357",
                                                                by=shop.manager), "login", False),
    "staff name": (None, lambda shop, _, t: accounts.add_staff("new.person", t, ["advisor"], "1357",
                                                               by=shop.manager), "name", False),
    "QC item note": (_qc_order, lambda shop, p, t: qc.sign(p[0].id, {p[1][0].id: ("fail", t)}, passed=False,
                                                           rework_reason="noise", responsible_id=shop.techs[0].id,
                                                           by=shop.inspector), "note", False),
    "rework reason": (_qc_order, lambda shop, p, t: qc.sign(p[0].id, {p[1][0].id: ("fail", "noise")}, passed=False,
                                                            rework_reason=t, responsible_id=shop.techs[0].id,
                                                            by=shop.inspector), "rework_reason", False),
    "checklist item": (None, lambda shop, _, t: qc.add_item("maintenance", t, by=shop.manager), "text", False),
    "call notes": (_callback, lambda shop, cb, t: callbacks.record_call(cb.id, reached=True, notes=t, by=shop.agent),
                   "notes", True),
    "complaint on a call": (_callback, lambda shop, cb, t: callbacks.record_call(cb.id, reached=True, complaint=t,
                                                                                 by=shop.agent), "complaint", True),
    "incoming call": (None, lambda shop, _, t: callbacks.log_incoming(shop.customer.id, t, by=shop.agent),
                      "notes", True),
    "complaint": (None, lambda shop, _, t: callbacks.raise_complaint(shop.customer.id, t, by=shop.agent),
                  "description", True),
    "resolution": (_complaint, lambda shop, c, t: callbacks.update_complaint(c.id, "resolved", resolution=t,
                                                                             by=shop.agent), "resolution", True),
    "fee description": (lambda shop: shop.ready_for_settlement(),
                        lambda shop, o, t: s.add_fee(o.id, "towing", "10", description=t, by=shop.advisor),
                        "description", False),
    "discount reason": (lambda shop: shop.ready_for_settlement(),
                        lambda shop, o, t: s.set_adjustment(o.id, kind="amount", value="1", reason=t,
                                                            by=shop.manager), "reason", False),
    "payment reference": (lambda shop: shop.ready_for_settlement(),
                          lambda shop, o, t: s.take_payment(o.id, "card", "10", reference=t, by=shop.cashier),
                          "reference", False),
    "on-account reason": (lambda shop: shop.settled(),
                          lambda shop, o, t: s.approve_on_account(o.id, t, by=shop.manager), "reason", False),
    "void reason": (lambda shop: shop.settled(), lambda shop, o, t: s.void(o.id, t, by=shop.manager),
                    "reason", False),
    "refund reason": (_payment, lambda shop, p, t: s.refund(p.id, t, by=shop.manager), "reason", False),
    "return reason": (_picked_line, lambda shop, line, t: parts.return_part(line.id, "1", reason=t, by=shop.clerk),
                      "reason", False),
    "old part note": (_picked_line, lambda shop, line, t: parts.record_old_part(line.id, "scrap", t, by=shop.clerk),
                      "note", False),
    "delivery note": (lambda shop: stocked(), lambda shop, code, t: parts.receive(code, "1", reference=t,
                                                                                    by=shop.clerk),
                      "reference", False),
    "stocktake reason": (lambda shop: stocked(), lambda shop, code, t: parts.count_stock(code, "1", t, by=shop.clerk),
                         "reason", False),
    "bin": (lambda shop: stocked(), lambda shop, code, t: parts.transfer(code, t, by=shop.clerk), "bin", False),
}


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_control_and_invisible_characters_are_refused_naming_the_field(shop, name):
    prepare, call, field, multiline = TEXT_FIELDS[name]
    prepared = prepare(shop) if prepare else None
    for value in HOSTILE + ([] if multiline else LINE_BREAKS):
        refused(lambda value=value: call(shop, prepared, value), field)
    if multiline:  # where a field is several lines, line breaks and tabs are kept
        call(shop, prepared, "first line\r\n\tsecond line")


def test_the_message_names_the_field_and_the_character(shop):
    order = shop.order()
    message = refused(lambda: lifecycle.cancel(order.id, "ok\u202eko", by=shop.advisor), "reason")
    assert "Reason for cancelling" in message and "U+202E" in message
    message = refused(lambda: lifecycle.cancel(order.id, "a\nb", by=shop.advisor), "reason")
    assert "one line" in message


def test_an_imported_catalog_row_with_an_escape_sequence_is_rejected(shop, tmp_path):
    f = tmp_path / "parts.csv"
    f.write_text("code,name,brand,unit,bin,unit_cost,sale_price,reorder_threshold,opening_qty\n"
                 "OF-001,Oil \x1b[2Jfilter,Toyota,pc,A-01-1,20,45,5,12\n", encoding="utf-8")
    report = import_csv(f, by=shop.clerk)
    assert report.imported == 0 and "U+001B" in dict(report.rejected)[2]


def test_text_with_brackets_and_chinese_is_stored_as_typed(shop):
    car = register_vehicle(_customer(name="Pearl River Trading [HK] Co. [/]"), _vehicle(brand="比亚迪 [BYD]"),
                           by=shop.advisor)
    assert car.customer.name == "Pearl River Trading [HK] Co. [/]" and car.brand == "比亚迪 [BYD]"


ALLOWED = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
                        blacklist_characters="\u115f\u1160\u3164\uffa0")


@given(st.text(max_size=40))
@hsettings(max_examples=500, deadline=None)
def test_any_text_is_refused_or_stored_without_a_control_character(value):
    try:
        stored = validation.text(value, "name", "Name", max_len=40, required=False)
    except InvalidInput as error:
        assert error.field == "name"
        return
    assert stored is None or validation.refused_character(stored) is None


@given(st.text(ALLOWED, min_size=1, max_size=40).filter(lambda v: v.strip() == v and v))
@hsettings(max_examples=300, deadline=None)
def test_text_without_control_characters_is_kept_exactly(value):
    assert validation.text(value, "name", "Name", max_len=40) == value


@given(st.text(st.sampled_from(["\n", "\t", "a", "中", "\x1b", "\u202e", "\x00", "\r"]), max_size=20))
@hsettings(max_examples=300, deadline=None)
def test_multi_line_fields_keep_line_breaks_and_tabs_and_nothing_else(value):
    try:
        stored = validation.text(value, "notes", "Notes", max_len=40, required=False, multiline=True)
    except InvalidInput:
        assert any(c in value for c in "\x1b\u202e\x00")
        return
    assert stored is None or set(stored) <= set("\n\ta中")


# --- numbers typed into searches ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["²", "1" * 40, "RO" + "9" * 25, "１０" * 12, "١٢٣"])
def test_a_search_for_something_that_is_not_an_ro_number_is_a_search_not_a_crash(shop, typed):
    from workshop import board, search
    shop.order()
    # (No exception: "²" reads as 2 and may find a plate with a 2 in it; forty digits are no RO number.)
    for found in (board.search_active(typed), search.search(typed), parts.pick_queue(typed),
                  parts.parts_out(typed), s.cashier_queue(typed), s.receivables(typed)):
        assert isinstance(found, list)
    if typed != "²":
        assert board.search_active(typed) == [] and s.cashier_queue(typed) == []


def test_a_full_width_ro_number_finds_the_order(shop):
    from workshop import board
    order = shop.order()
    full_width = "".join(chr(0xFF10 + int(d)) for d in str(order.number))
    assert [c.id for c in board.search_active(full_width)] == [order.id]
    from workshop import lookup
    assert lookup.order_number("RO 1042") == 1042 and lookup.order_number("1" * 40) is None


@pytest.mark.parametrize("call", [
    lambda shop: parts.add_part_line(shop.order().id, "OF\x1b]2;owned\x07", "1", by=shop.advisor),
    lambda shop: parts.receive("\x1b[2J", "1", by=shop.clerk),
    lambda shop: __import__("workshop.reception", fromlist=["x"]).add_job_line(shop.order().id, "QS\x1b[2J",
                                                                                by=shop.advisor),
    lambda shop: create_order(_order_form(shop, operation_codes=["QS001", "X\x1b[2J"]), by=shop.advisor),
])
def test_a_code_with_an_escape_sequence_is_refused_before_a_message_could_echo_it(shop, call):
    with pytest.raises(InvalidInput) as error:
        call(shop)
    assert "\x1b" not in str(error.value) and "U+001B" in str(error.value)


def test_a_number_a_form_already_read_is_taken_as_that_number():
    """Forms hand the services Decimal values: 1E+3 (typed as 1e3) is a thousand, not text to refuse."""
    assert validation.decimal(Decimal("1E+3"), "amount", "Amount", maximum=validation.MAX_MONEY) == 1000
    assert validation.integer(Decimal("2E+1"), "qty", "Quantity", maximum=100) == 20
    with pytest.raises(InvalidInput, match="more than"):
        validation.decimal(Decimal("1E+8"), "amount", "Amount", maximum=validation.MAX_MONEY)
    with pytest.raises(InvalidInput, match="must be a number"):
        validation.decimal(Decimal("NaN"), "amount", "Amount", maximum=validation.MAX_MONEY)
    assert str(validation.decimal(12, "amount", "Amount", maximum=validation.MAX_MONEY)) == "12"


# --- the screens and services that came later: set-up, appointments, shop floor, follow-up, claims, buying ------
# Each entry calls the service a form of that screen calls, as the form hands it what was typed.

def _tomorrow_at(hour):
    return dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(hour))


def _appointment(shop):
    from workshop import appointments
    return appointments.book(appointments.AppointmentForm(vehicle_id=shop.car.id, starts_at=_tomorrow_at(10),
                                                          operation_codes=["QS001"]), by=shop.advisor)


def _tool(shop):
    from workshop import tools
    tools.register(tools.ToolForm(code="SST-1", name="Piston tool"), by=shop.manager)
    return "SST-1"


def _tool_out(shop):
    from workshop import tools
    code = _tool(shop)
    tools.check_out(code, shop.techs[0].id, by=shop.techs[0])
    return code


def _supplier(shop):
    from workshop import purchasing
    stocked("BP-100")
    return purchasing.add_supplier(purchasing.SupplierForm(name="GAC Parts"), by=shop.manager)


def _po(shop):
    from workshop import purchasing
    supplier = _supplier(shop)
    po = purchasing.create_po(supplier.id, [purchasing.POLine("BP-100", "2")], by=shop.clerk)
    from models.purchasing import PurchaseOrderLine
    return po, PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)


def _warranty_claim(shop):
    from models.warranty import WarrantyClaim
    from tests.claims_helpers import stock, worked
    stock(shop)
    order = worked(shop)
    s.settle_fully(order.id, shop.cashier)
    return WarrantyClaim.get(WarrantyClaim.order == order.id)


def _submitted_claim(shop):
    from workshop import warranty
    claim = _warranty_claim(shop)
    warranty.edit_claim(claim.id, warranty.ClaimForm(complaint="brakes", cause="seized", correction="freed"),
                        by=shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    return claim


def _accident(shop):
    return shop.order(business_type="insurance")


def _assessed(shop):
    order = _accident(shop)
    _save_claim(shop, order, assessed_amount="600")
    return order


def _insurer_owes(shop):
    from workshop import insurance
    order = shop.ready_for_settlement(business_type="insurance")
    insurance.save_claim(order.id, insurance.InsuranceForm(insurer="PICC", claim_no="C1", assessed_amount="600"),
                         by=shop.advisor)
    s.settle_fully(order.id, shop.cashier)
    return order


def _campaign(shop, **changes):
    from workshop import campaigns
    base = dict(name="Winter check", starts_on=clock.today() + dt.timedelta(days=10), rule="service_due")
    return campaigns.create_campaign(campaigns.CampaignForm(**{**base, **changes}), by=shop.manager)


def _invitation(shop):
    from workshop import campaigns, settings as shop_settings
    shop_settings.put("campaign_invite_days", 30, by=shop.manager)
    _campaign(shop, rule="model", rule_value="Camry")
    due = campaigns.invitations_due()
    if not due:
        pytest.skip("no invitation due for the small shop's cars")
    return due[0]


def _job_line(shop):
    from models.orders import JobLine
    order = shop.in_progress()
    stocked("OF-002")
    return JobLine.get(JobLine.order == order.id)


def _bay(**changes):
    from workshop.bay_setup import BayForm
    return BayForm(**{**dict(code="X9", name="Extra", kind="mechanical", capacity="1"), **changes})


def _operation(**changes):
    from workshop.catalog import OperationForm
    return OperationForm(**{**dict(code="ZZ900", name="Check", trade="mechanical", standard_hours="1"), **changes})


def _class(**changes):
    from workshop.customer_classes import ClassForm
    return ClassForm(**{**dict(name="Diamond"), **changes})


def _package(**changes):
    from workshop.packages import PackageForm
    return PackageForm(**{**dict(code="PK1", name="First", price="399", operation_codes="QS001"), **changes})


def _file_customer(**changes):
    from workshop.customer_file import CustomerForm as FileCustomer
    return FileCustomer(**{**dict(name="Wang Fang", mobile="13700001111"), **changes})


def _file_vehicle(**changes):
    from workshop.customer_file import VehicleForm as FileVehicle
    return FileVehicle(**{**dict(plate="粤C11111", vin="LVGBM53K9RG000099", brand="Toyota", series="Camry",
                                                model="Camry 2.0"),
                          **changes})


def _add_bay(shop, _, form):
    from workshop import bay_setup
    bay_setup.add_bay(form, by=shop.manager)


def _add_operation(shop, _, form):
    from workshop import catalog
    catalog.add_operation(form, by=shop.manager)


def _add_class(shop, _, form):
    from workshop import customer_classes
    customer_classes.add_class(form, by=shop.manager)


def _add_package(shop, _, form):
    from workshop import packages
    packages.add_package(form, by=shop.manager)


def _create_customer(shop, _, form):
    from workshop import customer_file
    customer_file.create_customer(form, by=shop.advisor)


def _add_file_vehicle(shop, _, form):
    from workshop import customer_file
    customer_file.add_vehicle(shop.customer.id, form, by=shop.advisor)


def _book(shop, _, **changes):
    from workshop import appointments
    form = appointments.AppointmentForm(**{**dict(vehicle_id=shop.car.id, starts_at=_tomorrow_at(10),
                                                  operation_codes=["QS001"]), **changes})
    appointments.book(form, by=shop.advisor)


def _book_typed(shop, _, **changes):
    from workshop import appointments
    appointments.book_typed(**{**dict(plate=shop.car.plate, starts_at="2026-11-21 10:00", codes="QS001"), **changes},
                            by=shop.advisor)


def _register_tool(shop, _, **changes):
    from workshop import tools
    tools.register(tools.ToolForm(**{**dict(code="SST-9", name="Tool"), **changes}), by=shop.manager)


def _save_claim(shop, order, **changes):
    from workshop import insurance
    insurance.save_claim(order.id, insurance.InsuranceForm(**{**dict(insurer="PICC", claim_no="C1"), **changes}),
                         by=shop.advisor)


def _edit_claim(shop, claim, **changes):
    from workshop import warranty
    warranty.edit_claim(claim.id, warranty.ClaimForm(**{**dict(complaint="brakes"), **changes}), by=shop.advisor)


def _incoming(shop, _, **changes):
    from workshop import call_register
    call_register.record_incoming(shop.customer.id, **{**dict(result="enquiry"), **changes}, by=shop.agent)


def _winback(shop, _, **changes):
    from workshop import winback
    winback.record_winback(shop.customer.id, **{**dict(result="no_answer"), **changes}, by=shop.agent)


def _supplier_form(shop, _, **changes):
    from workshop import purchasing
    purchasing.add_supplier(purchasing.SupplierForm(**{**dict(name="GAC Parts"), **changes}), by=shop.manager)


def _dispatch_hours(shop, order, hours):
    from workshop.trade_dispatch import TradePlan, dispatch_trades
    dispatch_trades(order.id, [TradePlan("quick_service", shop.bays[0].id, (shop.techs[1].id,), hours=hours)],
                    by=shop.dispatcher)


# field name -> (prepare(shop) or None, call(shop, prepared, text), error field, multi-line?)
LATER_TEXT_FIELDS = {
    # set-up (F12 of a manager): bays, operations, customer classes, packages, settings
    "bay code": (None, lambda shop, p, t: _add_bay(shop, p, _bay(code="X" + t)), "code", False),
    "bay name": (None, lambda shop, p, t: _add_bay(shop, p, _bay(name=t)), "name", False),
    "bay Chinese name": (None, lambda shop, p, t: _add_bay(shop, p, _bay(name_zh=t)), "name_zh", False),
    "operation code": (None, lambda shop, p, t: _add_operation(shop, p, _operation(code="ZZ" + t)), "code", False),
    "operation name": (None, lambda shop, p, t: _add_operation(shop, p, _operation(name=t)), "name", False),
    "operation Chinese name": (None, lambda shop, p, t: _add_operation(shop, p, _operation(name_zh=t)), "name_zh",
                               False),
    "operation series": (None, lambda shop, p, t: _add_operation(shop, p, _operation(applies_to=t)), "applies_to",
                         False),
    "class name": (None, lambda shop, p, t: _add_class(shop, p, _class(name=t)), "name", False),
    "class Chinese name": (None, lambda shop, p, t: _add_class(shop, p, _class(name_zh=t)), "name_zh", False),
    "package code": (None, lambda shop, p, t: _add_package(shop, p, _package(code="P" + t)), "code", False),
    "package name": (None, lambda shop, p, t: _add_package(shop, p, _package(name=t)), "name", False),
    "shop name setting": (None, lambda shop, p, t: __import__("workshop.settings").settings.put(
        "shop_name", t, by=shop.manager), "shop_name", False),
    "shop address setting": (None, lambda shop, p, t: __import__("workshop.settings").settings.put(
        "shop_address", t, by=shop.manager), "shop_address", False),
    # the customer's file
    "file: customer name": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(name=t)), "name", False),
    "file: address": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(address=t)), "address", False),
    "file: postcode": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(postcode=t)), "postcode",
                       False),
    "file: ID number": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(id_number=t)), "id_number",
                        False),
    "file: home phone": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(home_phone="020" + t)),
                         "home_phone", False),
    "file: notes": (None, lambda shop, p, t: _create_customer(shop, p, _file_customer(notes=t)), "notes", True),
    "file: model code": (None, lambda shop, p, t: _add_file_vehicle(shop, p, _file_vehicle(model_code=t)),
                         "model_code", False),
    "file: gearbox": (None, lambda shop, p, t: _add_file_vehicle(shop, p, _file_vehicle(gearbox=t)), "gearbox", False),
    "file: selling dealer": (None, lambda shop, p, t: _add_file_vehicle(shop, p, _file_vehicle(selling_dealer=t)),
                             "selling_dealer", False),
    # appointments
    "appointment contact": (None, lambda shop, p, t: _book(shop, p, contact_name=t), "contact_name", False),
    "appointment notes": (None, lambda shop, p, t: _book(shop, p, notes=t), "notes", True),
    "appointment typed codes": (None, lambda shop, p, t: _book_typed(shop, p, codes="QS001 X" + t), "work", False),
    "appointment codes": (None, lambda shop, p, t: _book(shop, p, operation_codes=["QS001", "X" + t]), "work", False),
    "appointment plate": (None, lambda shop, p, t: _book_typed(shop, p, plate="粤B" + t), "vehicle", False),
    "appointment cancel reason": (_appointment, lambda shop, a, t: __import__(
        "workshop.appointments").appointments.cancel(a.id, t, by=shop.advisor), "reason", False),
    "appointment call note": (_appointment, lambda shop, a, t: __import__(
        "workshop.appointments").appointments.record_call(a.id, "confirmed", note=t, by=shop.advisor), "note", False),
    "arrival statement": (_appointment, lambda shop, a, t: __import__("workshop.appointments").appointments.arrive(
        a.id, mileage_in="21000", statement=t, by=shop.advisor), "statement", True),
    # the shop floor: tools, shifts, asking the counter, dispatch per trade
    "tool code": (None, lambda shop, p, t: _register_tool(shop, p, code="T" + t), "code", False),
    "tool name": (None, lambda shop, p, t: _register_tool(shop, p, name=t), "name", False),
    "tool location": (None, lambda shop, p, t: _register_tool(shop, p, location=t), "location", False),
    "tool return note": (_tool_out, lambda shop, code, t: __import__("workshop.tools").tools.check_in(
        code, damaged=True, note=t, by=shop.techs[0]), "note", False),
    "tool loss report": (_tool_out, lambda shop, code, t: __import__("workshop.tools").tools.report(
        code, "loss", t, by=shop.techs[0]), "note", False),
    "tool maintenance note": (_tool, lambda shop, code, t: __import__("workshop.tools").tools.record_maintenance(
        code, "repair", note=t, by=shop.manager), "note", False),
    "tool retire reason": (_tool, lambda shop, code, t: __import__("workshop.tools").tools.retire(
        code, t, by=shop.manager), "note", False),
    "shift note": (None, lambda shop, p, t: __import__("workshop.shifts").shifts.record_shift(
        shop.techs[0].id, "2026-11-19 08:00", "2026-11-19 17:00", note=t, by=shop.manager), "note", False),
    "parts request note": (_job_line, lambda shop, line, t: __import__("workshop.pick_requests").pick_requests.request(
        line.id, note=t, by=shop.dispatcher), "note", False),
    # follow-up: call register, win-back, campaigns
    "incoming call notes": (None, lambda shop, p, t: _incoming(shop, p, notes=t), "notes", True),
    "incoming complaint": (None, lambda shop, p, t: _incoming(shop, p, result="complaint", complaint=t), "complaint",
                           True),
    "win-back notes": (None, lambda shop, p, t: _winback(shop, p, notes=t), "notes", True),
    "campaign name": (None, lambda shop, p, t: _campaign(shop, name=t), "name", False),
    "campaign model": (None, lambda shop, p, t: _campaign(shop, rule="model", rule_value=t), "rule_value", False),
    "campaign notes": (None, lambda shop, p, t: _campaign(shop, notes=t), "notes", True),
    # claims: warranty and insurance
    "warranty complaint": (_warranty_claim, lambda shop, c, t: _edit_claim(shop, c, complaint=t), "complaint", True),
    "warranty cause": (_warranty_claim, lambda shop, c, t: _edit_claim(shop, c, cause=t), "cause", True),
    "warranty correction": (_warranty_claim, lambda shop, c, t: _edit_claim(shop, c, correction=t), "correction",
                            True),
    "warranty rejection note": (_submitted_claim, lambda shop, c, t: __import__("workshop.warranty").warranty.reject(
        c.id, "operation", note=t, by=shop.advisor), "note", False),
    "warranty payment reference": (_submitted_claim, lambda shop, c, t: __import__(
        "workshop.warranty").warranty.record_payment(c.id, "1", reference=t, by=shop.cashier), "reference", False),
    "old part shipping note": (_warranty_claim, lambda shop, c, t: __import__(
        "workshop.warranty").warranty.old_part_returned(c.id, reference=t, by=shop.clerk), "reference", False),
    "insurer": (_accident, lambda shop, o, t: _save_claim(shop, o, insurer=t), "insurer", False),
    "insurance claim no.": (_accident, lambda shop, o, t: _save_claim(shop, o, claim_no=t), "claim_no", False),
    "assessor": (_accident, lambda shop, o, t: _save_claim(shop, o, assessor=t), "assessor", False),
    "supplement reason": (_accident, lambda shop, o, t: __import__("workshop.insurance").insurance.add_supplement(
        o.id, "100", t, by=shop.advisor), "reason", False),
    "insurer payment reference": (_insurer_owes, lambda shop, o, t: __import__(
        "workshop.insurance").insurance.record_payment(o.id, "1", reference=t, by=shop.cashier), "reference", False),
    # buying: suppliers and purchase orders
    "supplier name": (None, lambda shop, p, t: _supplier_form(shop, p, name=t), "name", False),
    "supplier contact": (None, lambda shop, p, t: _supplier_form(shop, p, contact=t), "contact", False),
    "supplier email": (None, lambda shop, p, t: _supplier_form(shop, p, email=t + "@x.cn"), "email", False),
    "PO note": (_supplier, lambda shop, sup, t: __import__("workshop.purchasing").purchasing.create_po(
        sup.id, [__import__("workshop.purchasing").purchasing.POLine("BP-100", "1")], note=t, by=shop.clerk),
                "note", False),
    "PO part code": (_supplier, lambda shop, sup, t: __import__("workshop.purchasing").purchasing.create_po(
        sup.id, [__import__("workshop.purchasing").purchasing.POLine("BP" + t, "1")], by=shop.clerk), "part", False),
    "PO cancel reason": (_po, lambda shop, p, t: __import__("workshop.purchasing").purchasing.cancel(
        p[0].id, t, by=shop.clerk), "reason", False),
    "PO delivery note": (_po, lambda shop, p, t: __import__("workshop.purchasing").purchasing.receive(
        p[0].id, {p[1].id: "1"}, reference=t, by=shop.clerk), "reference", False),
}


@pytest.mark.parametrize("name", LATER_TEXT_FIELDS)
def test_control_characters_are_refused_on_every_later_screen(shop, name):
    prepare, call, field, multiline = LATER_TEXT_FIELDS[name]
    prepared = prepare(shop) if prepare else None
    for value in HOSTILE + ([] if multiline else LINE_BREAKS):
        message = refused(lambda value=value: call(shop, prepared, value), field)
        assert "\x1b" not in message and "\u202e" not in message, (value, message)


# field name -> (prepare(shop) or None, call(shop, prepared, typed number), error field, a value above its bound)
LATER_NUMBER_FIELDS = {
    "bay capacity": (None, lambda shop, p, v: _add_bay(shop, p, _bay(capacity=v)), "capacity", "100"),
    "standard hours": (None, lambda shop, p, v: _add_operation(shop, p, _operation(standard_hours=v)),
                       "standard_hours", "1000"),
    "labour discount": (None, lambda shop, p, v: _add_class(shop, p, _class(labor_discount=v)), "labor_discount",
                        "101"),
    "class months": (None, lambda shop, p, v: _add_class(shop, p, _class(valid_months=v)), "valid_months", "1000"),
    "class fee": (None, lambda shop, p, v: _add_class(shop, p, _class(fee=v)), "fee", "10000000"),
    "class points": (None, lambda shop, p, v: _add_class(shop, p, _class(points_needed=v)), "points_needed",
                     "100000000000"),
    "package price": (None, lambda shop, p, v: _add_package(shop, p, _package(price=v)), "price", "10000000"),
    "labour rate": (None, lambda shop, p, v: __import__("workshop.rates").rates.set_rate(
        "mechanical", "standard", v, by=shop.manager), "rate", "10000000"),
    "kit quantity": (lambda shop: (stocked("OF-002"), __import__("models.shop").shop.Operation.get(
        code="QS001"))[1], lambda shop, op, v: __import__("workshop.catalog").catalog.set_kit(
        op.id, "", [("OF-002", v)], by=shop.manager), "kit", "10000"),
    "VAT setting": (None, lambda shop, p, v: __import__("workshop.settings").settings.put(
        "vat_rate", v, by=shop.manager), "vat_rate", "101"),
    "idle sign-out setting": (None, lambda shop, p, v: __import__("workshop.settings").settings.put(
        "idle_signout_minutes", v, by=shop.manager), "idle_signout_minutes", "100000"),
    "file: model year": (None, lambda shop, p, v: _add_file_vehicle(shop, p, _file_vehicle(model_year=v)),
                         "model_year", "2100"),
    "file: purchase mileage": (None, lambda shop, p, v: _add_file_vehicle(shop, p, _file_vehicle(purchase_mileage=v)),
                               "purchase_mileage", "2000001"),
    "appointment hours": (None, lambda shop, p, v: _book(shop, p, hours={"QS001": v}), "hours", "1000"),
    "appointment extra part": (lambda shop: stocked("OF-002"), lambda shop, p, v: _book(
        shop, p, extra_parts=[("OF-002", v)]), "qty", "10000"),
    "arrival mileage": (_appointment, lambda shop, a, v: __import__("workshop.appointments").appointments.arrive(
        a.id, mileage_in=v, by=shop.advisor), "mileage_in", "2000001"),
    "dispatch hours": (lambda shop: shop.order(), _dispatch_hours, "hours-quick_service", "1000"),
    "parts request quantity": (_job_line, lambda shop, line, v: __import__("workshop.pick_requests").pick_requests.request(
        line.id, part_code="OF-002", qty=v, by=shop.dispatcher), "qty", "10000"),
    "tool maintenance cost": (_tool, lambda shop, code, v: __import__("workshop.tools").tools.record_maintenance(
        code, "repair", cost=v, by=shop.manager), "cost", "10000000"),
    "warranty hours or quantity": (_warranty_claim, lambda shop, c, v: _edit_claim(
        shop, c, quantities={__import__("models.warranty").warranty.WarrantyClaimLine.get(
            claim=c.id).id: v}), "quantity", "10000"),
    "warranty amount accepted": (_submitted_claim, lambda shop, c, v: __import__("workshop.warranty").warranty.answer(
        c.id, v, by=shop.advisor), "accepted", "10000000"),
    "warranty payment": (_submitted_claim, lambda shop, c, v: __import__("workshop.warranty").warranty.record_payment(
        c.id, v, by=shop.cashier), "amount", "10000000"),
    "assessed amount": (_accident, lambda shop, o, v: _save_claim(shop, o, assessed_amount=v), "assessed_amount",
                        "10000000.01"),
    "deductible": (_accident, lambda shop, o, v: _save_claim(shop, o, deductible=v), "deductible", "10000000.01"),
    "towing fee": (_accident, lambda shop, o, v: _save_claim(shop, o, towing_fee=v), "towing_fee", "10000000.01"),
    "supplement amount": (_assessed, lambda shop, o, v: __import__("workshop.insurance").insurance.add_supplement(
        o.id, v, "more damage", by=shop.advisor), "amount", "10000000.01"),
    "insurer payment": (_insurer_owes, lambda shop, o, v: __import__("workshop.insurance").insurance.record_payment(
        o.id, v, by=shop.cashier), "amount", "10000000.01"),
    "supplier lead days": (None, lambda shop, p, v: _supplier_form(shop, p, lead_days=v), "lead_days", "366"),
    "PO quantity": (_supplier, lambda shop, sup, v: __import__("workshop.purchasing").purchasing.create_po(
        sup.id, [__import__("workshop.purchasing").purchasing.POLine("BP-100", v)], by=shop.clerk), "qty", "10000"),
    "PO received quantity": (_po, lambda shop, p, v: __import__("workshop.purchasing").purchasing.receive(
        p[0].id, {p[1].id: v}, by=shop.clerk), "qty", "10000"),
}
LATER_BLANK_IS_A_DEFAULT = {"appointment hours", "dispatch hours", "parts request quantity", "tool maintenance cost",
                            "assessed amount", "deductible", "towing fee", "supplier lead days",
                            "file: model year", "file: purchase mileage", "warranty hours or quantity",
                            "supplement amount",
                            "bay capacity", "labour discount", "class months", "class fee", "class points"}


@pytest.mark.parametrize("name", LATER_NUMBER_FIELDS)
def test_what_is_not_a_number_is_refused_on_every_later_screen(shop, name):
    prepare, call, field, _above = LATER_NUMBER_FIELDS[name]
    prepared = prepare(shop) if prepare else None
    for value in NOT_NUMBERS + ([] if name in LATER_BLANK_IS_A_DEFAULT else ["", "  "]):
        message = refused(lambda value=value: call(shop, prepared, value), field)
        assert "number" in message or "digits" in message, (value, message)


@pytest.mark.parametrize("name", LATER_NUMBER_FIELDS)
def test_every_later_number_field_has_a_stated_upper_bound(shop, name):
    prepare, call, field, above = LATER_NUMBER_FIELDS[name]
    prepared = prepare(shop) if prepare else None
    message = refused(lambda: call(shop, prepared, above), field)
    assert "more than" in message or "at most" in message.lower() or "above" in message, message


def test_imported_customers_and_operations_with_control_characters_or_absurd_numbers_are_rejected(shop, tmp_path):
    """`workshop import` (customers with cars, the operations catalog): each hostile row is rejected with its reason,
    the reason never carries the escape itself, and nothing of the file is written."""
    from workshop import data_import
    from workshop.vins import with_check_digit
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "name,mobile,plate,vin,brand,model,purchase_mileage,notes\n"
        f"Pearl\x1b]2;owned\x07 River,13700001111,粤A11111,{with_check_digit('LFV2A21K0P0000011')},Toyota,Camry,,\n"
        f"Li Wei,1370000\x1b[2J2222,粤A22222,{with_check_digit('LFV2A21K0P0000012')},Toyota,Camry,,\n"
        f"Wang Fang,13700003333,粤A33333,{with_check_digit('LFV2A21K0P0000013')},Toy\u202eota,Camry,,\n"
        f"Zhao Lei,13700004444,粤A44444,{with_check_digit('LFV2A21K0P0000014')},Toyota,Camry,1e309,\n"
        f"Sun Li,13700005555,粤A55555,{with_check_digit('LFV2A21K0P0000015')},Toyota,Camry,{'9' * 40},\n",
        encoding="utf-8")
    before = snapshot()
    report = data_import.import_customers(customers, by=shop.manager)
    reasons = dict(report.rejected)
    assert sorted(reasons) == [2, 3, 4, 5, 6], reasons
    assert all("\x1b" not in r and "\u202e" not in r for r in reasons.values()), reasons
    assert "U+001B" in reasons[2] and "U+001B" in reasons[3] and "U+202E" in reasons[4]
    assert "number" in reasons[5] and "digits" in reasons[6]
    operations = tmp_path / "operations.csv"
    operations.write_text("code,name,trade,standard_hours,kit\n"
                          "QS900,Oil\x1b[2J change,quick_service,0.5,\n"
                          "QS901,Check,quick_service,NaN,\n"
                          "QS902,Check,quick_service,1e30,\n"
                          "QS903,Check,quick_service,0.5,OF\x1b]52;c;eA==\x07*1\n", encoding="utf-8")
    report = data_import.import_operations(operations, by=shop.manager)
    reasons = dict(report.rejected)
    assert sorted(reasons) == [2, 3, 4, 5], reasons
    assert all("\x1b" not in r for r in reasons.values()), reasons
    assert snapshot() == before


# --- the same, typed (pasted) into the later screens' forms at 80x24 ------------------------------------------

async def _pasted(pilot, form, values: dict[str, str]):
    """Values put into a form's fields as a paste would (a terminal cannot type ESC into a field), then Ctrl+S."""
    for name, value in values.items():
        form.widget(name).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause(0.3)


def _note(form, name: str) -> str:
    return str(form.query_one(f"#note-{name}").content)


async def test_pasted_control_characters_and_absurd_numbers_are_said_beside_their_field_on_the_later_forms(shop):
    """Set-up's bay form, a tool, a booking and an incoming call: what is refused is said beside the field it is
    about (the escape named, never sent back to the terminal), every value is kept, the form stays open, and
    nothing is written."""
    from screens.forms import FormDialog
    from tests.ui import app_as, wait_until
    before = snapshot()
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        async def form_from(name, screen, *keys) -> FormDialog:
            app.open_screen(name)
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == screen)
            await pilot.pause(0.3)
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.2)
            assert await wait_until(pilot, lambda: isinstance(app.screen, FormDialog))
            return app.screen

        async def close():
            while not app.screen.__class__.__name__ == "BoardScreen":
                await pilot.press("escape")
                await pilot.pause(0.2)

        form = await form_from("setup", "ShopSetupScreen", "2", "a")
        for typed in ("1e309", "NaN", "9" * 40):
            await _pasted(pilot, form, {"code": "X9", "name": "Extra", "capacity": typed})
            assert app.screen is form and _note(form, "capacity"), typed
        await _pasted(pilot, form, {"capacity": "1", "name": "Bay\x1b]2;owned\x07 9"})
        assert app.screen is form and "U+001B" in _note(form, "name") and "\x1b" not in _note(form, "name")
        assert form.widget("code").value == "X9"
        await close()

        form = await form_from("tools", "ToolsScreen", "a")
        await _pasted(pilot, form, {"code": "SST-9", "name": "Puller \u202eloot"})
        assert app.screen is form and "U+202E" in _note(form, "name")
        await close()

        form = await form_from("callbacks", "CallbacksScreen", "i")
        form.widget("result").value = "enquiry"
        await _pasted(pilot, form, {"customer": shop.customer.mobile, "notes": "asks\x1b[2J about price"})
        assert app.screen is form and "U+001B" in _note(form, "notes")
        await close()
        assert app.is_running
    assert snapshot() == before
