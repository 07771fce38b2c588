"""Estimate and approval per job line: work found during the repair waits for the customer's word."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from models.approvals import LineApproval
from models.orders import JobLine, RepairOrder
from models.parts import OperationPart, Part, PartLine
from models.shop import Operation
from workshop import approvals, parts, settlement
from workshop.dispatch import clock_on, finish_line
from workshop.errors import IllegalTransition, InvalidInput, NotAllowed
from workshop.lifecycle import transition
from workshop.reception import add_job_line
from tests.factories import stock


def brake_kit(shop, qty="4") -> Part:
    part = Part.create(code="BP-100", name="Brake pads", unit="set", bin="B-02-1", sale_price=D("300.00"),
                       unit_cost=D("150"))
    OperationPart.create(operation=Operation.get(Operation.code == "ME001"), part=part, qty=D("1"))
    parts.receive("BP-100", qty, by=shop.clerk, reference="opening")
    return part


def found_in_the_bay(shop):
    """An oil change in progress; front brake pads found worn (ME001, 1.0 h at 180 and a 300.00 set)."""
    order = shop.in_progress()
    order = add_job_line(order.id, "ME001", by=shop.dispatcher)
    return order, JobLine.get((JobLine.order == order.id) & (JobLine.code == "ME001"))


def test_work_found_in_the_bay_waits_for_approval_nobody_clocks_on_it_and_no_parts_are_reserved(shop):
    part = brake_kit(shop)
    order, line = found_in_the_bay(shop)
    assert line.approval == "pending"
    assert PartLine.select().where(PartLine.job_line == line.id).count() == 0 and stock(part).reserved == 0
    with pytest.raises(IllegalTransition, match="waits for the customer's approval"):
        clock_on(line.id, shop.techs[0].id, by=shop.techs[0])
    with pytest.raises(IllegalTransition, match="waits for the customer's approval"):
        finish_line(line.id, by=shop.dispatcher)
    quote = {q.code: q for q in approvals.order_quotes(order.id)}["ME001"]
    assert (quote.approval, quote.amount) == ("pending", D("480.00"))  # 180 labour + 300 pads, quoted
    assert LineApproval.get(LineApproval.line == line.id).decision == "proposed"
    # the car cannot go to QC with work waiting for the customer's word
    for other in JobLine.select().where((JobLine.order == order.id) & (JobLine.id != line.id)):
        finish_line(other.id, by=shop.dispatcher)
    with pytest.raises(IllegalTransition, match="wait for the customer's approval"):
        transition(order.id, "finish", by=shop.dispatcher)
    # nor is it on the bill
    assert [li.code for li in settlement.bill_for(order.id).labor_lines] == ["QS001"]


def test_approval_records_who_when_and_how_and_reserves_the_parts(shop):
    part = brake_kit(shop)
    order, line = found_in_the_bay(shop)
    with pytest.raises(InvalidInput, match="message's reference") as refused:
        approvals.approve(order.id, [line.id], channel="message", by=shop.advisor)
    assert refused.value.field == "reference"
    with pytest.raises(NotAllowed):
        approvals.approve(order.id, [line.id], channel="phone", by=shop.techs[0])
    assert JobLine.get_by_id(line.id).approval == "pending"
    approvals.approve(order.id, [line.id], channel="message", reference="WX 20261120-0931", customer_name="Mrs Wang",
                      by=shop.advisor)
    assert JobLine.get_by_id(line.id).approval == "approved"
    assert PartLine.get(PartLine.job_line == line.id).reserved == 1 and stock(part).reserved == 1
    quote = {q.code: q for q in approvals.order_quotes(order.id)}["ME001"]
    assert (quote.answered_by, quote.channel, quote.reference, quote.recorded_by, quote.amount) == (
        "Mrs Wang", "message", "WX 20261120-0931", "Li Wei", D("480.00"))
    assert quote.answered_at is not None
    from workshop.trade_dispatch import redispatch_line
    redispatch_line(line.id, [shop.techs[0].id], by=shop.dispatcher)  # the work found gets its technician
    parts.pick(PartLine.get(PartLine.job_line == line.id).id, by=shop.clerk)  # and its parts
    clock_on(line.id, shop.techs[0].id, by=shop.techs[0])   # now it may be worked on
    assert [li.code for li in settlement.bill_for(order.id).labor_lines] == ["QS001", "ME001"]


def test_declined_work_stays_declined_off_the_bill_and_on_the_declined_work_list(shop):
    brake_kit(shop)
    order, line = found_in_the_bay(shop)
    approvals.decline(order.id, [line.id], channel="phone", by=shop.advisor)
    assert JobLine.get_by_id(line.id).approval == "declined"
    with pytest.raises(IllegalTransition, match="declined"):
        clock_on(line.id, shop.techs[0].id, by=shop.techs[0])
    with pytest.raises(IllegalTransition, match="declined already"):
        approvals.decline(order.id, [line.id], channel="phone", by=shop.advisor)
    for other in JobLine.select().where((JobLine.order == order.id) & (JobLine.id != line.id)):
        finish_line(other.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)     # declined work does not hold the car
    transition(order.id, "qc_pass", by=shop.inspector)
    bill = settlement.bill_for(order.id)
    assert [li.code for li in bill.labor_lines] == ["QS001"] and bill.part_lines == []
    settlement.settle_fully(order.id, shop.cashier)
    assert RepairOrder.get_by_id(order.id).state == "settled"
    rows = approvals.declined_work(dt.date(2026, 11, 1))
    assert [(r.order_number, r.code, r.plate, r.customer, r.amount) for r in rows] == [
        (order.number, "ME001", "粤B12345", "Wang Wei", D("480.00"))]


def test_a_declined_line_can_still_be_approved_while_the_car_is_in_the_shop_an_approved_one_not_declined(shop):
    order, line = found_in_the_bay(shop)
    approvals.decline(order.id, [line.id], channel="in_person", by=shop.advisor)
    approvals.approve(order.id, [line.id], channel="paper", reference="sheet 17", by=shop.advisor)
    assert JobLine.get_by_id(line.id).approval == "approved"
    with pytest.raises(IllegalTransition, match="approved already"):
        approvals.decline(order.id, [line.id], channel="phone", by=shop.advisor)
    assert approvals.declined_work(dt.date(2026, 11, 1)) == []


def test_lines_written_at_check_in_are_approved_with_the_order(shop):
    order = shop.order(codes=("QS001", "ME001"))
    assert {line.approval for line in JobLine.select().where(JobLine.order == order.id)} == {"approved"}
    assert approvals.waiting_counts([order.id]) == {}


def test_an_answer_for_a_line_of_another_order_or_an_unknown_channel_changes_nothing(shop):
    order, line = found_in_the_bay(shop)
    other = shop.order(shop.car2)
    with pytest.raises(Exception, match="not on"):
        approvals.approve(other.id, [line.id], channel="phone", by=shop.advisor)
    with pytest.raises(InvalidInput, match="How did the customer answer"):
        approvals.approve(order.id, [line.id], channel="fax", by=shop.advisor)
    with pytest.raises(InvalidInput, match="Pick the job line"):
        approvals.approve(order.id, [], channel="phone", by=shop.advisor)
    assert JobLine.get_by_id(line.id).approval == "pending" and LineApproval.select().count() == 1


def test_the_estimate_lists_each_line_with_its_amount_and_where_it_stands_in_the_shops_language(shop):
    from rich.cells import cell_len

    from workshop import document_files
    from workshop.estimate_document import estimate_data, render_text
    from workshop.i18n import Words
    brake_kit(shop)
    order, line = found_in_the_bay(shop)
    data = estimate_data(order.id)
    assert [(x.code, x.approval, x.amount) for x in data["lines"]] == [("QS001", "approved", D("60.00")),
                                                                      ("ME001", "pending", D("480.00"))]
    assert data["totals"] == {"approved": D("60.00"), "pending": D("480.00"), "declined": D("0.00")}
    chinese = render_text(data, words=Words("zh_CN"))
    assert "估价单" in chinese and "待客户确认" in chinese and "待您确认的项目" in chinese and "480.00" in chinese
    assert all(cell_len(row) <= 42 for row in chinese.splitlines())
    english = render_text(data, words=Words("en"))
    assert "Waiting for your approval" in english and "ME001 Front brake pads" in english
    written = document_files.write_estimate(order.id)   # beside the shop's invoices
    assert written.ok and sorted(p.name for p in written.paths) == [f"estimate-RO{order.number}.html",
                                                                    f"estimate-RO{order.number}.txt"]
