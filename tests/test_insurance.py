"""Insurance claims: assessment, supplements, the split at settlement and the insurer's receivable with aging."""
from decimal import Decimal as D

import pytest

from models.events import Event
from models.insurance import InsuranceClaim, InsurerBalance, InsurerPayment
from models.orders import JobLine, RepairOrder
from models.settlement import FeeLine
from tests.claims_helpers import stock, worked
from workshop import claim_figures, clock, insurance
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.insurance import InsuranceForm
from workshop.settlement import bill_for, settle_fully, void

CLAIM = InsuranceForm(insurer="PICC", claim_no="RDAA202644010000123", assessor="Chen Gang", assessed_amount="800",
                      deductible="200", towing_fee="150", property_loss=True)


def accident(shop, form=CLAIM):
    """Body 2 h x 160 = 320.00 and paint 3 h x 170 = 510.00, towing 150.00: 980.00 of insurer work."""
    stock(shop)
    order = shop.in_progress(codes=("BD001", "PT001"), business_type="insurance")
    insurance.save_claim(order.id, form, by=shop.advisor)
    return order


def finish(shop, order):
    from workshop.dispatch import finish_line
    from workshop.lifecycle import transition
    for job in JobLine.select().where(JobLine.order == order.id):
        finish_line(job.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    return transition(order.id, "qc_pass", by=shop.inspector)


def aging():
    return {a.insurer: {k: v for k, v in a.buckets.items() if v} for a in claim_figures.insurer_aging()}


def test_an_accident_repairs_insurer_share_is_collected_in_two_payments_and_shows_in_aging(shop):
    order = finish(shop, accident(shop))
    bill = bill_for(order.id)
    # The insurer pays the assessed 800.00 less the 200.00 deductible; the customer the deductible and the
    # 180.00 of work above the assessment.
    assert (bill.shares["insurer"], bill.customer_share, bill.total) == (D("600"), D("380"), D("980"))
    invoice = settle_fully(order.id, shop.cashier)
    assert D(invoice.insurer_share) == D("600")
    assert aging() == {"PICC": {"0-30": D("600")}}
    assert [(r.number, r.amount, r.bucket, r.claim_no) for r in insurance.receivables()] == [
        (order.number, D("600"), "0-30", "RDAA202644010000123")]

    insurance.record_payment(order.id, "250", reference="PICC-TT-0045", by=shop.cashier)
    clock.advance(days=40)
    assert aging() == {"PICC": {"31-60": D("350")}}
    assert insurance.receivables("picc")[0].amount == D("350")

    insurance.record_payment(order.id, "350", by=shop.cashier)
    assert aging() == {} and insurance.receivables() == []
    assert InsuranceClaim.get(InsuranceClaim.order == order.id).state == "paid"
    assert insurance.claim_view(order.id).paid == D("600")
    events = Event.select().count()
    with pytest.raises(IllegalTransition, match="paid in full; the claim is closed"):
        insurance.record_payment(order.id, "1", by=shop.cashier)
    assert InsurerPayment.select().count() == 2 and Event.select().count() == events
    from peewee import DatabaseError

    from models.db import transaction
    with pytest.raises(DatabaseError, match="never changed"):
        with transaction():
            InsurerPayment.update(amount=D("1")).execute()


def test_an_insurer_cannot_pay_more_than_it_owes_and_nothing_is_written(shop):
    order = finish(shop, accident(shop))
    settle_fully(order.id, shop.cashier)
    events = Event.select().count()
    with pytest.raises(InvalidInput, match="is more than the .*600.00 PICC still owes") as error:
        insurance.record_payment(order.id, "600.01", by=shop.cashier)
    assert error.value.field == "amount"
    assert InsurerPayment.select().count() == 0 and Event.select().count() == events
    assert InsurerBalance.get(InsurerBalance.order == order.id).amount == D("600")


def test_the_claim_keeps_the_orders_insurance_fields_and_its_towing_fee_line(shop):
    order = accident(shop)
    got = RepairOrder.get_by_id(order.id)
    assert (got.insurer, got.claim_no, got.assessed_amount, got.deductible, got.towing) == (
        "PICC", "RDAA202644010000123", D("800"), D("200"), True)
    fee = FeeLine.get(FeeLine.order == order.id)
    assert (fee.kind, fee.amount, fee.payer) == ("towing", D("150"), "insurer")
    insurance.add_supplement(order.id, "300", "Rear door frame bent, found after stripping", by=shop.advisor)
    view = insurance.claim_view(order.id)
    assert (view.assessed_amount, view.assessed_total, len(view.supplements)) == (D("800"), D("1100"), 1)
    assert RepairOrder.get_by_id(order.id).assessed_amount == D("1100")
    insurance.save_claim(order.id, InsuranceForm(insurer="PICC", assessed_amount="800", deductible="200",
                                                 towing_fee="0"), by=shop.advisor)
    assert FeeLine.select().where(FeeLine.order == order.id).count() == 0
    assert RepairOrder.get_by_id(order.id).towing is False


def test_work_the_insurer_does_not_cover_is_the_customers(shop):
    order = accident(shop, InsuranceForm(insurer="PICC", assessed_amount="2000", deductible="0"))
    paint = JobLine.get((JobLine.order == order.id) & (JobLine.code == "PT001"))
    insurance.set_covered(order.id, job_line_id=paint.id, covered=False, by=shop.advisor)
    bill = bill_for(order.id)
    assert (bill.shares["insurer"], bill.customer_share) == (D("320"), D("510"))


def test_the_desk_says_which_lines_the_insurer_does_not_cover_in_one_change(shop):
    from models.parts import PartLine
    from workshop import parts
    order = accident(shop, InsuranceForm(insurer="PICC", assessed_amount="3000", deductible="0", towing_fee="150"))
    paint = JobLine.get((JobLine.order == order.id) & (JobLine.code == "PT001"))
    pads = parts.add_part_line(order.id, "BP-100", "1", by=shop.dispatcher)  # 520.00, the insurer's at first
    assert insurance.claim_view(order.id).bill_insurer == D("1500")  # 320 + 510 + 520 + towing 150
    events = Event.select().count()
    assert insurance.set_not_covered(order.id, [paint.id], [pads.id], by=shop.advisor) == (["PT001", "BP-100"], [])
    assert Event.select().count() == events + 1
    view = insurance.claim_view(order.id)
    assert [(kind, code, covered) for kind, _id, code, _name, covered in view.cover] == [
        ("job", "BD001", True), ("job", "PT001", False), ("part", "BP-100", False)]
    assert (view.bill_insurer, view.bill_customer) == (D("470"), D("1030"))
    assert PartLine.get_by_id(pads.id).payer == "customer"

    assert insurance.set_not_covered(order.id, [], [pads.id], by=shop.advisor) == ([], ["PT001"])  # paint again
    assert (insurance.claim_view(order.id).bill_insurer, bill_for(order.id).customer_share) == (D("980"), D("520"))
    other = shop.in_progress(shop.car3, codes=("QS001",))
    stranger = JobLine.get(JobLine.order == other.id)
    events = Event.select().count()
    assert insurance.set_not_covered(order.id, [], [pads.id], by=shop.advisor) == ([], [])  # nothing changed
    with pytest.raises(InvalidInput, match="not on RO"):
        insurance.set_not_covered(order.id, [stranger.id], [], by=shop.advisor)
    with pytest.raises(NotAllowed):
        insurance.set_not_covered(order.id, [], [], by=shop.techs[0])
    assert Event.select().count() == events and JobLine.get_by_id(stranger.id).payer == "customer"
    assert PartLine.get_by_id(pads.id).payer == "customer"

    parts.pick(pads.id, by=shop.clerk)
    settle_fully(finish(shop, order).id, shop.cashier)
    assert insurance.claim_view(order.id).bill_insurer is None  # the invoice's share from now on
    with pytest.raises(IllegalTransition, match="read-only"):
        insurance.set_not_covered(order.id, [], [], by=shop.advisor)


@pytest.mark.parametrize("form, message, field", [
    (InsuranceForm(insurer=""), "Insurer is required", "insurer"),
    (InsuranceForm(insurer="PICC", assessed_amount="500", deductible="600"), "cannot be more than the assessed",
     "deductible"),
    (InsuranceForm(insurer="PICC", assessed_amount="abc"), "must be a number", "assessed_amount"),
    (InsuranceForm(insurer="PICC", towing_fee="-5"), "cannot be negative", "towing_fee"),
    (InsuranceForm(insurer="PICC", assessed_amount="99999999"), "more than", "assessed_amount"),
])
def test_bad_claims_are_refused_with_the_field_and_nothing_is_written(shop, form, message, field):
    order = shop.in_progress(codes=("BD001",), business_type="insurance", bay=2)
    registered = InsuranceClaim.get(InsuranceClaim.order == order.id)  # at check-in, with the insurer named there
    events = Event.select().count()
    with pytest.raises(InvalidInput, match=message) as error:
        insurance.save_claim(order.id, form, by=shop.advisor)
    assert error.value.field == field
    assert InsuranceClaim.get_by_id(registered.id).version == registered.version
    assert InsuranceClaim.select().count() == 1 and Event.select().count() == events


def test_claims_only_on_insurance_orders_not_yet_settled_and_by_the_desk(shop):
    order = shop.in_progress(shop.car3, codes=("QS001",))
    with pytest.raises(InvalidInput, match="not an insurance repair"):
        insurance.save_claim(order.id, CLAIM, by=shop.advisor)
    accident_order = accident(shop)
    with pytest.raises(NotAllowed):
        insurance.save_claim(accident_order.id, CLAIM, by=shop.techs[0])
    settle_fully(finish(shop, accident_order).id, shop.cashier)
    with pytest.raises(IllegalTransition, match="read-only"):
        insurance.add_supplement(accident_order.id, "100", "more damage", by=shop.advisor)
    with pytest.raises(NotAllowed):
        insurance.record_payment(accident_order.id, "100", by=shop.advisor)


def test_the_documents_checklist(shop):
    order = accident(shop)
    insurance.document_received(order.id, "accident_report", by=shop.advisor)
    insurance.document_received(order.id, "photos", by=shop.advisor)
    insurance.document_received(order.id, "photos", by=shop.advisor, received=False)
    docs = dict(insurance.claim_view(order.id).documents)
    assert docs["accident_report"] and not docs["photos"] and len(docs) == len(insurance.DOCUMENTS)
    with pytest.raises(InvalidInput, match="from the checklist"):
        insurance.document_received(order.id, "selfie", by=shop.advisor)


def test_a_void_takes_the_receivable_back_and_settling_again_counts_what_the_insurer_paid(shop):
    order = finish(shop, accident(shop))
    settle_fully(order.id, shop.cashier)
    insurance.record_payment(order.id, "100", by=shop.cashier)
    void(order.id, "wrong assessment number", by=shop.manager)
    assert InsurerBalance.select().count() == 0
    assert InsuranceClaim.get(InsuranceClaim.order == order.id).state == "assessed"
    settle_fully(order.id, shop.cashier)
    assert InsurerBalance.get(InsurerBalance.order == order.id).amount == D("500")
    assert InsuranceClaim.get(InsuranceClaim.order == order.id).state == "invoiced"


def test_an_insurance_order_settled_without_a_claim_still_owes_the_insurers_share(shop):
    stock(shop)
    order = worked(shop, business_type="insurance", codes=("BD001",), bay=2, part=None)
    settle_fully(order.id, shop.cashier)
    assert [(r.insurer, r.amount) for r in insurance.receivables()] == [("PICC", D("320"))]


def test_a_cashier_deactivated_while_signed_in_cannot_record_the_insurers_money(shop):
    from models.people import Staff
    from workshop.actor import Actor
    order = finish(shop, accident(shop))
    settle_fully(order.id, shop.cashier)
    terminal = Actor.of(shop.cashier)  # what the cash desk holds since the morning
    insurance.record_payment(order.id, "100", by=terminal)
    assert InsurerPayment.get().by_id == shop.cashier.id
    Staff.update(active=False).where(Staff.id == shop.cashier.id).execute()
    with pytest.raises(NotAllowed, match="no longer an active member of staff"):
        insurance.record_payment(order.id, "100", by=terminal)
    assert InsurerPayment.select().count() == 1
