"""Warranty claims: drafted from the order, submitted, rejected, corrected, paid; recovery follows."""
import csv
import datetime as dt
from decimal import Decimal as D

import pytest

from models.events import Event
from models.orders import RepairOrder
from models.people import Vehicle
from models.warranty import WarrantyClaim, WarrantyPayment, WarrantyRejection
from tests.claims_helpers import stock, worked
from tests.factories import make_vehicle
from workshop import claim_export, claim_figures, clock, settings, warranty
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.settlement import settle_fully

NOV = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))


def settled_warranty_job(shop, vehicle=None, **kw) -> WarrantyClaim:
    stock(shop)
    order = worked(shop, vehicle, **kw)
    settle_fully(order.id, shop.cashier)
    return WarrantyClaim.get(WarrantyClaim.order == order.id)


def ready(claim, by):
    return warranty.edit_claim(claim.id, warranty.ClaimForm(
        complaint=claim.complaint, cause="Brake caliper piston seized (manufacturing defect)",
        correction="Replaced front brake pads, cleaned and freed caliper"), by=by)


def recovery_pct():
    rows = claim_figures.recovery(*NOV)
    return [(r.manufacturer, r.claims, r.claimed, r.paid, r.rate_pct) for r in rows]


def test_a_settled_warranty_order_drafts_its_claim_at_the_manufacturers_rates(shop):
    claim = settled_warranty_job(shop)
    detail = warranty.claim_detail(claim.id)
    # Labour: 1.0 h at the shop's mechanical rate 180; part: cost 260 + 15% handling = 299.00.
    assert [(line.kind, line.code, line.quantity, line.rate, line.amount) for line in detail.lines] == [
        ("labor", "ME001", D("1"), D("180"), D("180")), ("part", "BP-100", D("1"), D("299"), D("299"))]
    assert (detail.labor, detail.parts, detail.row.claimed) == (D("180"), D("299"), D("479"))
    assert detail.row.state == "draft" and detail.complaint == "Service please"
    assert detail.row.accepted is None  # no answer yet (not "accepted 0.00")
    assert detail.row.part == "BP-100 Front brake pads"
    assert detail.row.deadline == clock.today() + dt.timedelta(days=30)
    assert claim.old_part_id is not None and detail.row.return_by == clock.today() + dt.timedelta(days=60)
    assert [row.number for row in warranty.to_submit()] == [claim.number]


def test_claim_rejection_correction_payment_moves_the_recovery_figure(shop):
    claim = settled_warranty_job(shop)
    claim = ready(claim, shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    assert recovery_pct() == [("Toyota", 1, D("479"), D("0"), D("0.0"))]
    assert [row.number for row in warranty.awaiting_answer()] == [claim.number]

    warranty.reject(claim.id, "operation", note="ME001 allows 0.8 h", by=shop.advisor)
    assert WarrantyClaim.get_by_id(claim.id).state == "rejected"
    assert [row.number for row in warranty.rejected()] == [claim.number]
    assert [(r.reason, r.count, r.refused) for r in claim_figures.rejection_reasons(*NOV)] == [
        ("operation", 1, D("479"))]
    assert recovery_pct() == [("Toyota", 1, D("479"), D("0"), D("0.0"))]

    # Corrected: 0.8 h as the manufacturer allows, then submitted again.
    warranty.correct(claim.id, by=shop.advisor)
    labour = warranty.claim_detail(claim.id).lines[0]
    warranty.edit_claim(claim.id, warranty.ClaimForm(
        complaint="Noise when braking", cause="Caliper piston seized", correction="Replaced pads, freed caliper",
        quantities={labour.id: "0.8"}), by=shop.advisor)
    claim = warranty.submit(claim.id, by=shop.advisor)
    assert (claim.claimed_amount, claim.submissions) == (D("443"), 2)  # 0.8 h x 180 = 144 + 299
    warranty.answer(claim.id, "443", by=shop.advisor)
    warranty.record_payment(claim.id, "443", reference="GTMC statement 2026-11", by=shop.cashier)

    assert WarrantyClaim.get_by_id(claim.id).state == "paid"
    assert recovery_pct() == [("Toyota", 1, D("443"), D("443"), D("100.0"))]
    assert WarrantyRejection.select().count() == 1  # the rejection stays on record
    assert warranty.to_be_paid() == [] and warranty.rejected() == []


def test_a_partly_accepted_claim_is_paid_in_instalments_never_above_what_was_accepted(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    warranty.answer(claim.id, "400", reason="operation", by=shop.advisor)
    assert WarrantyClaim.get_by_id(claim.id).state == "partly_accepted"
    warranty.record_payment(claim.id, "250", by=shop.cashier)
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="is more than the .*150.00 still to be paid on WC 1") as error:
        warranty.record_payment(claim.id, "150.01", by=shop.cashier)
    assert error.value.field == "amount"
    assert WarrantyPayment.select().count() == 1 and Event.select().count() == events
    warranty.record_payment(claim.id, "150", by=shop.cashier)
    assert WarrantyClaim.get_by_id(claim.id).state == "paid"
    assert recovery_pct() == [("Toyota", 1, D("479"), D("400"), D("83.5"))]


def test_a_claim_cannot_be_paid_above_the_claimed_amount_and_nothing_is_written(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="WC 1 claims .*479.00: the manufacturer cannot accept .*480.00"):
        warranty.answer(claim.id, "480", by=shop.advisor)
    assert Event.select().count() == events and WarrantyClaim.get_by_id(claim.id).state == "submitted"
    warranty.answer(claim.id, "479", by=shop.advisor)
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="claimed .*479.00"):
        warranty.record_payment(claim.id, "500", by=shop.cashier)
    assert WarrantyPayment.select().count() == 0 and Event.select().count() == events


def test_a_payment_to_a_closed_claim_is_refused_and_nothing_is_written(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    warranty.answer(claim.id, "479", by=shop.advisor)
    warranty.record_payment(claim.id, "479", by=shop.cashier)
    events, version = Event.select().count(), WarrantyClaim.get_by_id(claim.id).version
    with pytest.raises(IllegalTransition, match="WC 1 is closed \\(paid by the manufacturer\\): nothing more can be paid to it"):
        warranty.record_payment(claim.id, "1", by=shop.cashier)
    assert WarrantyPayment.select().count() == 1 and Event.select().count() == events
    assert WarrantyClaim.get_by_id(claim.id).version == version


def test_a_rejected_claim_charged_to_the_shop_is_closed(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    warranty.reject(claim.id, "not_covered", by=shop.advisor)
    with pytest.raises(NotAllowed):
        warranty.charge_to_shop(claim.id, "goodwill for a key customer", by=shop.advisor)
    warranty.charge_to_shop(claim.id, "goodwill for a key customer", by=shop.manager)
    assert WarrantyClaim.get_by_id(claim.id).state == "charged_internal"
    with pytest.raises(IllegalTransition, match="closed"):
        warranty.record_payment(claim.id, "10", by=shop.cashier)
    with pytest.raises(IllegalTransition, match="closed"):
        warranty.correct(claim.id, by=shop.advisor)
    assert recovery_pct() == [("Toyota", 1, D("479"), D("0"), D("0.0"))]


@pytest.mark.parametrize("step, message, field", [
    (lambda c, s: warranty.submit(c.id, by=s.advisor), "say what caused the fault", "cause"),
    (lambda c, s: warranty.record_payment(c.id, "10", by=s.cashier), "record the manufacturer's answer", None),
    (lambda c, s: warranty.answer(c.id, "10", by=s.advisor), "only a submitted claim can be answered", None),
    (lambda c, s: warranty.edit_claim(c.id, warranty.ClaimForm(complaint=""), by=s.advisor), "Complaint is required",
     "complaint"),
    (lambda c, s: warranty.record_payment(c.id, "-5", by=s.cashier), "cannot be negative", "amount"),
    (lambda c, s: warranty.record_payment(c.id, "5", paid_on="2026-11-21", by=s.cashier),
     "Paid on cannot be after 2026-11-20", "paid_on"),
    (lambda c, s: warranty.record_payment(c.id, "5", paid_on="last week", by=s.cashier), "must be a date",
     "paid_on"),
])
def test_bad_steps_on_a_draft_claim_are_refused_with_a_message(shop, step, message, field):
    claim = settled_warranty_job(shop)
    events = Event.select().count()
    with pytest.raises((InvalidInput, IllegalTransition), match=message) as error:
        step(claim, shop)
    assert getattr(error.value, "field", None) == field
    assert Event.select().count() == events and WarrantyClaim.get_by_id(claim.id).state == "draft"


def test_an_answer_below_the_claim_needs_the_reason(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    with pytest.raises(InvalidInput, match="reason") as error:
        warranty.answer(claim.id, "0", by=shop.advisor)
    assert error.value.field == "reason"
    with pytest.raises(InvalidInput, match="from the list"):
        warranty.reject(claim.id, "because", by=shop.advisor)


def test_who_may_do_what_with_claims(shop):
    claim = ready(settled_warranty_job(shop), shop.advisor)
    with pytest.raises(NotAllowed):
        warranty.submit(claim.id, by=shop.cashier)
    warranty.submit(claim.id, by=shop.advisor)
    warranty.answer(claim.id, "479", by=shop.advisor)
    with pytest.raises(NotAllowed):
        warranty.record_payment(claim.id, "479", by=shop.advisor)


def test_a_stale_view_of_a_claim_changes_nothing(shop):
    claim = settled_warranty_job(shop)
    ready(claim, shop.advisor)  # another terminal edited it since `claim` was read
    with pytest.raises(Exception, match="changed at another terminal"):
        warranty.submit(claim.id, by=shop.advisor, seen_version=claim.version)
    assert WarrantyClaim.get_by_id(claim.id).state == "draft"


def test_claims_are_drafted_only_for_finished_work_the_manufacturer_pays_for(shop):
    stock(shop)
    order = shop.in_progress(business_type="warranty", codes=("ME001",))
    with pytest.raises(IllegalTransition, match="once the work is done"):
        warranty.draft_claim(order.id, by=shop.advisor)
    paid_by_owner = worked(shop, shop.car2, business_type="general_repair", bay=4)
    with pytest.raises(InvalidInput, match="no work the manufacturer pays for"):
        warranty.draft_claim(paid_by_owner.id, by=shop.advisor)
    settle_fully(paid_by_owner.id, shop.cashier)
    assert WarrantyClaim.select().count() == 0  # no claim drafted for a customer-paid job


def test_lists_show_deadlines_ages_and_old_parts_due_back(shop):
    first = settled_warranty_job(shop)
    clock.advance(days=3)
    honda = make_vehicle("粤B99999", "LHGCV1658M8000001", shop.vip_customer)
    Vehicle.update(brand="Honda").where(Vehicle.id == honda.id).execute()
    settings.DEFAULTS["warranty_terms"]["Honda"] = {"submit_days": 10, "return_days": 20}
    try:
        second = settled_warranty_job(shop, honda, bay=4)
    finally:
        settings.DEFAULTS["warranty_terms"].pop("Honda")
    # Honda wants its claims within 10 days: the second job's deadline comes first.
    assert [row.number for row in warranty.to_submit()] == [second.number, first.number]
    assert [row.number for row in warranty.to_submit(manufacturer="Toyota")] == [first.number]
    assert warranty.to_submit("粤B99999")[0].days_left(clock.today()) == 10
    assert [row.number for row in warranty.old_parts_due()] == [second.number, first.number]
    warranty.old_part_returned(second.id, reference="SF1234567", by=shop.advisor)
    assert [row.number for row in warranty.old_parts_due()] == [first.number]
    ready(first, shop.advisor)
    warranty.submit(first.id, by=shop.advisor)
    clock.advance(days=5)
    assert warranty.awaiting_answer()[0].age_days(clock.today()) == 5


def test_a_batch_is_exported_as_csv_and_xlsx_and_submitted_all_or_nothing(shop, tmp_path):
    first = ready(settled_warranty_job(shop), shop.advisor)
    second = settled_warranty_job(shop, shop.car2, bay=4)  # no cause yet
    path = claim_export.export_batch([first.id, second.id], tmp_path / "batch.csv")
    with open(path, encoding="utf-8-sig") as file:
        table = list(csv.reader(file))
    assert table[0][:3] == ["Dealer", "Claim no.", "RO no."]
    assert [(row[1], row[13], row[18]) for row in table[1:]] == [
        (str(first.number), "ME001", "180.00"), (str(first.number), "BP-100", "299.00"),
        (str(second.number), "ME001", "180.00"), (str(second.number), "BP-100", "299.00")]
    assert table[1][3] == "LVGBM53KXRG000001" and table[1][9].startswith("Brake caliper")

    from openpyxl import load_workbook
    warranty.edit_claim(first.id, warranty.ClaimForm(complaint="=1+1 noise", cause="c", correction="c"),
                        by=shop.advisor)
    book = load_workbook(claim_export.export_batch([first.id], tmp_path / "batch.xlsx"))
    sheet = book.active
    assert sheet.cell(row=2, column=2).value == first.number and sheet.cell(row=3, column=19).value == 299
    complaint = sheet.cell(row=2, column=9)
    assert (complaint.value, complaint.data_type) == ("=1+1 noise", "s")  # what was typed, never a formula
    first = ready(first, shop.advisor)
    assert not list(tmp_path.glob(".*part"))

    with pytest.raises(InvalidInput, match="say what caused the fault"):
        warranty.submit_batch([first.id, second.id], by=shop.advisor)
    assert {c.state for c in WarrantyClaim.select()} == {"draft"}  # the first was not sent alone
    ready(second, shop.advisor)
    warranty.submit_batch([first.id, second.id], by=shop.advisor)
    assert {c.state for c in WarrantyClaim.select()} == {"submitted"}
    with pytest.raises(InvalidInput, match=".csv or an .xlsx"):
        claim_export.export_batch([first.id], tmp_path / "batch.pdf")


def test_the_settle_hook_never_drafts_twice_and_a_void_keeps_the_claim(shop):
    from workshop.settlement import void
    claim = settled_warranty_job(shop)
    order = RepairOrder.get_by_id(claim.order_id)
    void(order.id, "wrong mileage", by=shop.manager)
    settle_fully(order.id, shop.cashier)
    assert WarrantyClaim.select().count() == 1


def test_money_from_the_manufacturer_is_never_changed_or_deleted(shop):
    from peewee import DatabaseError

    from models.db import transaction
    claim = ready(settled_warranty_job(shop), shop.advisor)
    warranty.submit(claim.id, by=shop.advisor)
    warranty.answer(claim.id, "479", by=shop.advisor)
    warranty.record_payment(claim.id, "100", by=shop.cashier)
    for change in (lambda: WarrantyPayment.update(amount=D("1")).execute(),
                   lambda: WarrantyPayment.delete().execute()):
        with pytest.raises(DatabaseError, match="never changed"):
            with transaction():
                change()
    assert [p.amount for p in WarrantyPayment.select()] == [D("100")]


def test_each_manufacturers_terms_are_kept_as_a_table_and_new_claims_follow_them(shop):
    from models.shop import Setting
    warranty.set_terms("Toyota", "14", "20", "200", "10", by=shop.manager)
    warranty.set_terms("Lexus", "45", "90", "", "12.5", by=shop.manager)  # a second maker: the first stays
    rows = warranty.terms_rows()
    assert [(r.maker, r.own, r.terms.submit_days, r.terms.labor_rate) for r in rows] == [
        ("*", True, 30, None), ("Lexus", True, 45, None), ("Toyota", True, 14, D("200"))]
    claim = settled_warranty_job(shop)  # 1.0 h at Toyota's 200.00; pads cost 260 + 10% = 286.00
    assert (claim.claimed_amount, claim.deadline, claim.return_by) == (
        D("486"), clock.today() + dt.timedelta(days=14), clock.today() + dt.timedelta(days=20))

    stored, events = Setting.get(Setting.key == "warranty_terms").value, Event.select().count()
    for args, field in [(("Toyota", "0", "20", "", "10"), "submit_days"), (("Toyota", "14", "x", "", "10"), "return_days"),
                        (("Toyota", "14", "20", "-5", "10"), "labor_rate"), (("Toyota", "14", "20", "", "101"),
                                                                               "parts_handling_pct"),
                        (("", "14", "20", "", "10"), "maker")]:
        with pytest.raises(InvalidInput) as error:
            warranty.set_terms(*args, by=shop.manager)
        assert error.value.field == field
    with pytest.raises(NotAllowed):
        warranty.set_terms("Toyota", "60", "90", "", "10", by=shop.advisor)
    with pytest.raises(InvalidInput, match="default terms stay"):
        warranty.remove_terms("*", by=shop.manager)
    assert Setting.get(Setting.key == "warranty_terms").value == stored and Event.select().count() == events

    warranty.remove_terms("Toyota", by=shop.manager)
    assert [(r.maker, r.own, r.terms.submit_days) for r in warranty.terms_rows()] == [
        ("*", True, 30), ("Lexus", True, 45), ("Toyota", False, 30)]  # claimed to: listed, on the default
    assert WarrantyClaim.get_by_id(claim.id).deadline == clock.today() + dt.timedelta(days=14)  # kept
