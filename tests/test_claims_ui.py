"""Money from others, with the keyboard: a warranty claim from submission through rejection, correction and
payment; an accident repair's insurance claim from the order screen and the insurer's share collected at the
cashier's in two payments; a short part ordered from its supplier and received."""
import datetime as dt
from decimal import Decimal as D

from models.insurance import InsuranceClaim, InsuranceDocument, InsurerPayment
from models.orders import JobLine, RepairOrder
from models.parts import Part, PartLine
from models.purchasing import PurchaseOrder, PurchaseOrderLine, Supplier
from models.warranty import WarrantyClaim, WarrantyPayment
from screens.paged import PagedTable
from tests.claims_helpers import stock, worked
from tests.ui import app_as, notifications, row_text, settled, wait_until
from workshop import claim_figures, clock, insurance, parts, purchasing, warranty
from workshop.dispatch import finish_line
from workshop.lifecycle import transition
from workshop.settlement import settle_fully


def screen_named(app, name):
    return lambda: app.screen.__class__.__name__ == name and app.screen.is_attached


async def open_form(pilot, *keys):
    await pilot.press(*keys)
    assert await wait_until(pilot, screen_named(pilot.app, "FormDialog"))
    await pilot.pause()
    return pilot.app.screen


async def submit(pilot):
    await pilot.press("ctrl+s")
    await settled(pilot)


def note(form, name) -> str:
    return str(form.query_one(f"#note-{name}").content)


def figures_text(screen) -> list[list[str]]:
    table = screen.query_one("#recovery")
    return [row_text(table, i) for i in range(table.row_count)]


# --- warranty ------------------------------------------------------------------------------------------------

def settled_warranty_job(shop):
    stock(shop)
    order = worked(shop)
    settle_fully(order.id, shop.cashier)
    return WarrantyClaim.get(WarrantyClaim.order == order.id)


async def test_a_warranty_claim_goes_through_rejection_correction_and_payment_and_the_recovery_follows(shop):
    claim = settled_warranty_job(shop)  # 1.0 h x 180 + pads 299.00 = 479.00
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+p")  # the palette opens it (every function key is taken)
        await pilot.pause()
        await pilot.press(*"warranty")

        def offered() -> bool:  # (the palette's searches all answered: the order searches come last)
            found = app.screen.query_one("CommandList")
            return found.option_count > 0 and "Warranty claims" in str(found.get_option_at_index(0).prompt)

        assert await wait_until(pilot, offered)
        await pilot.pause(0.5)
        if app.screen.query_one("CommandList").highlighted is None:
            await pilot.press("down")
        await pilot.press("enter")
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
        screen = app.screen
        assert [row.number for row in screen.table("submit").items] == [claim.number]

        form = await open_form(pilot, "s")  # submit: the cause is asked first
        assert app.focused is form.widget("cause")
        await submit(pilot)  # nothing typed: refused in the form, nothing sent
        assert "Cause is needed" in note(form, "cause") and app.screen is form
        await pilot.press(*"Caliper piston seized", "tab", *"Replaced pads, freed caliper")
        await submit(pilot)
        assert WarrantyClaim.get_by_id(claim.id).state == "submitted"
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))

        await pilot.press("2")
        await settled(pilot)
        assert [row.number for row in screen.table("waiting").items] == [claim.number]
        form = await open_form(pilot, "a")  # rejected (不受理): wrong operation hours
        await pilot.press("enter", "down", "down", "enter")  # the answer: rejected
        await pilot.press("tab", "enter", *["down"] * 5, "enter")  # the reason: wrong operation code or hours
        await pilot.press(*"ME001 allows 0.8 h")
        assert (form.raw("result"), form.raw("reason")) == ("rejected", "operation")
        await submit(pilot)
        assert WarrantyClaim.get_by_id(claim.id).state == "rejected"
        await pilot.press("6")
        await settled(pilot)
        assert figures_text(screen)[0][-1] == "0.0%"  # claimed 479.00, nothing paid

        await pilot.press("3")
        await settled(pilot)
        assert await wait_until(pilot, lambda: screen.tab == "rejected")  # (a lost key would fail here, named)
        assert [row.number for row in screen.table("rejected").items] == [claim.number]
        await pilot.press("c")  # back to draft, and straight into its form
        assert await wait_until(pilot, screen_named(app, "FormDialog"))
        form = app.screen
        labour = warranty.claim_detail(claim.id).lines[0]
        form.widget(f"line_{labour.id}").focus()
        await pilot.press("ctrl+u", *"0.8")
        await submit(pilot)
        assert WarrantyClaim.get_by_id(claim.id).claimed_amount == D("443")  # 0.8 h x 180 + 299
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
        assert screen.tab == "submit"
        await open_form(pilot, "s")
        await submit(pilot)
        assert WarrantyClaim.get_by_id(claim.id).state == "submitted"

        await pilot.press("2")
        await settled(pilot)
        form = await open_form(pilot, "a")
        await pilot.press("enter", "down", "enter", *"500")  # partly accepted... with more than claimed
        await submit(pilot)
        assert app.screen is form and "cannot accept" in note(form, "accepted")
        assert (form.raw("result"), form.raw("accepted")) == ("partly_accepted", "500")  # kept as typed
        await pilot.press("ctrl+u", *"443")
        await submit(pilot)
        assert WarrantyClaim.get_by_id(claim.id).state == "accepted"

        await pilot.press("4")
        await settled(pilot)
        form = await open_form(pilot, "p")
        assert form.raw("amount") == "443.00"
        await pilot.press("ctrl+u", *"500")
        await submit(pilot)
        assert app.screen is form and "still to be paid" in note(form, "amount") and form.raw("amount") == "500"
        await pilot.press("ctrl+u", *"200", "tab", "tab", *"GTMC 2026-11")
        await submit(pilot)
        await open_form(pilot, "p")  # the rest
        await submit(pilot)
        assert [D(p.amount) for p in WarrantyPayment.select().order_by(WarrantyPayment.id)] == [D("200"), D("243")]
        assert WarrantyClaim.get_by_id(claim.id).state == "paid"
        await pilot.press("6")
        await settled(pilot)
        assert figures_text(screen)[0][-3:] == ["443.00", "443.00", "100.0%"]
    month = (dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert [(r.claimed, r.paid) for r in claim_figures.recovery(*month)] == [(D("443"), D("443"))]


async def test_each_role_sees_only_its_warranty_keys(shop):
    claim = settled_warranty_job(shop)
    warranty.edit_claim(claim.id, warranty.ClaimForm(complaint="Noise", cause="Seized", correction="Freed"),
                        by=shop.advisor, submit=True)
    warranty.answer(claim.id, "479", by=shop.advisor)
    for staff, may_pay, may_answer in ((shop.advisor, False, True), (shop.cashier, True, False)):
        app = app_as(staff)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_screen("warranty")
            assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
            await settled(pilot)
            await pilot.press("4")
            await settled(pilot)
            assert bool(app.screen.check_action("pay", ())) is may_pay
            await pilot.press("1")
            await settled(pilot)
            assert (app.screen.check_action("edit", ()) is not False) is may_answer
            assert app.screen.check_action("charge", ()) is False  # a manager's
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_screen("warranty")
        await pilot.pause()
        assert app.screen.__class__.__name__ != "WarrantyScreen"


async def test_a_warranty_order_opens_its_claim_from_the_order_screen_and_a_batch_file_is_written(shop, tmp_path):
    from workshop import settings
    settings.put("invoice_dir", str(tmp_path / "documents"), by=shop.manager)
    stock(shop)
    order = worked(shop)  # passed QC, not settled: no claim yet
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_order(order.id)
        assert await wait_until(pilot, screen_named(app, "OrderDetailScreen"))
        await pilot.pause()
        await pilot.press("w")  # drafted, and shown on the claims screen
        assert await wait_until(pilot, screen_named(app, "ClaimScreen"))
        claim = WarrantyClaim.get(WarrantyClaim.order == order.id)
        assert "WC 1" in str(app.screen.query_one("#claim").content)
        assert "Front brake pads" in str(app.screen.query_one("#claim").content)
        await pilot.press("escape")
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
        await pilot.press("x")  # the batch as dealers send it
        await settled(pilot)
        written = sorted(p.name for p in (tmp_path / "exports").iterdir())
        assert [name.rsplit(".", 1)[1] for name in written] == ["csv", "xlsx"]
        text = (tmp_path / "exports" / written[0]).read_text(encoding="utf-8-sig")
        assert str(claim.number) in text and "BP-100" in text
        assert any("1 claim written" in n for n in notifications(app))


async def test_the_cashier_settling_a_warranty_job_is_told_its_claim_was_drafted(shop, tmp_path):
    from workshop import settings
    settings.put("invoice_dir", str(tmp_path / "inv"), by=shop.manager)
    stock(shop)
    order = worked(shop)  # the manufacturer pays all of it: nothing for the customer
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, screen_named(app, "CashierScreen"))
        await settled(pilot)
        await pilot.press("s")
        assert await wait_until(pilot, lambda: any("drafted" in n for n in notifications(app)))
    claim = WarrantyClaim.get(WarrantyClaim.order == order.id)
    assert any(f"WC {claim.number} drafted: 479.00 to claim from Toyota" in n for n in notifications(app))


async def test_a_manager_keeps_each_manufacturers_claim_terms_in_a_table_not_json(shop):
    from models.people import Vehicle
    app = app_as(shop.manager)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_screen("warranty")
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
        await settled(pilot)
        await pilot.press("m")
        assert await wait_until(pilot, screen_named(app, "WarrantyTermsScreen"))
        form = await open_form(pilot, "a")  # a manufacturer with terms of its own
        await pilot.press(*"Lexus", "tab", "ctrl+u", *"0")
        await submit(pilot)
        assert app.screen is form and "At least 1" in note(form, "submit_days")
        await pilot.press("ctrl+u", *"21", "tab", "tab", *"230")
        await submit(pilot)
        assert await wait_until(pilot, screen_named(app, "WarrantyTermsScreen"))
        table = app.screen.query_one("#terms")
        assert [row_text(table, i)[:4] for i in range(table.row_count)] == [
            ["every other maker (*)", "30 d", "60 d", "the shop's"], ["Lexus", "21 d", "60 d", "230.00"]]
    assert warranty.terms_for("Lexus").submit_days == 21
    Vehicle.update(brand="Lexus").where(Vehicle.id == shop.car.id).execute()
    claim = settled_warranty_job(shop)
    assert (claim.deadline, claim.claimed_amount) == (clock.today() + dt.timedelta(days=21), D("529"))  # 230 + 299
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_screen("warranty")
        assert await wait_until(pilot, screen_named(app, "WarrantyScreen"))
        assert app.screen.check_action("terms", ()) is False  # an advisor reads the terms, a manager sets them


# --- insurance -----------------------------------------------------------------------------------------------

def finish(shop, order):
    for job in JobLine.select().where(JobLine.order == order.id):
        finish_line(job.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    return transition(order.id, "qc_pass", by=shop.inspector)


async def test_an_accident_repairs_claim_is_entered_on_the_order_and_its_insurer_pays_in_two_payments(shop):
    stock(shop)
    order = shop.in_progress(codes=("BD001", "PT001"), business_type="insurance")  # 320 + 510
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_order(order.id)
        assert await wait_until(pilot, screen_named(app, "OrderDetailScreen"))
        await pilot.pause()
        await pilot.press("i")  # the claim registered at check-in (insurer only so far)
        assert await wait_until(pilot, screen_named(app, "InsuranceClaimScreen"))
        await pilot.press("e")
        assert await wait_until(pilot, screen_named(app, "FormDialog"))
        form = app.screen
        await pilot.press("ctrl+u", *"PICC", "tab", *"RDAA2026440100", "tab", *"Chen Gang", "tab", *"800",
                          "tab", "ctrl+u", *"900", "tab", "ctrl+u", *"150", "tab", "tab", "space")
        await submit(pilot)  # a deductible above the assessment: refused beside it, everything kept
        assert app.screen is form and "cannot be more than the assessed amount" in note(form, "deductible")
        assert (form.raw("insurer"), form.raw("assessed_amount"), form.raw("towing_fee"),
                form.raw("property_loss")) == ("PICC", "800", "150", True)
        assert app.focused is form.widget("deductible")
        await pilot.press("ctrl+u", *"200")
        await submit(pilot)
        claim = InsuranceClaim.get(InsuranceClaim.order == order.id)
        assert (claim.insurer, claim.claim_no, D(claim.assessed_amount), D(claim.deductible), claim.property_loss) == (
            "PICC", "RDAA2026440100", D("800"), D("200"), True)
        assert await wait_until(pilot, screen_named(app, "InsuranceClaimScreen"))

        await open_form(pilot, "s")  # damage found later, re-assessed
        await pilot.press(*"100", "tab", *"Rear parking sensor")
        await submit(pilot)
        await open_form(pilot, "d")  # the documents received so far
        await pilot.press("space", "down", "space")
        await submit(pilot)
        assert InsuranceDocument.select().where(InsuranceDocument.claim == claim.id).count() == 2
        shown = str(app.screen.query_one("#claim").content)
        assert "✓ insurance policy" in shown and "✗ claim application form" in shown
        assert "Assessed in all: 900.00" in shown
    assert RepairOrder.get_by_id(order.id).assessed_amount == D("900")

    finish(shop, order)
    settle_fully(order.id, shop.cashier)  # the customer pays the deductible and the rest; the insurer 700.00
    app = app_as(shop.cashier)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, screen_named(app, "CashierScreen"))
        await pilot.press("n")
        await settled(pilot)
        screen = app.screen
        assert row_text(screen.query_one("#insurer-aging"), 0)[:2] == ["PICC", "700.00"]
        form = await open_form(pilot, "enter")  # the insurer's payment on the selected order
        await pilot.press("ctrl+u", *"300", "tab", "tab", *"PICC-TT-1")
        await submit(pilot)
        assert await wait_until(pilot, screen_named(app, "CashierScreen"))
        assert row_text(screen.query_one("#insurer-aging"), 0)[:2] == ["PICC", "400.00"]
    clock.advance(days=40)
    async with app_as(shop.cashier).run_test(size=(80, 24), notifications=True) as pilot:
        app = pilot.app
        await pilot.press("f7")
        assert await wait_until(pilot, screen_named(app, "CashierScreen"))
        await pilot.press("n")
        await settled(pilot)
        screen = app.screen
        assert row_text(screen.query_one("#insurer-aging"), 0)[:3] == ["PICC", "·", "400.00"]  # 31-60 days
        form = await open_form(pilot, "m")
        await pilot.press("ctrl+u", *"500")
        await submit(pilot)
        assert app.screen is form and "more than the" in note(form, "amount") and form.raw("amount") == "500"
        await pilot.press("ctrl+u", *"400")
        await submit(pilot)
        assert await wait_until(pilot, screen_named(app, "CashierScreen"))
        assert screen.query_one("#insurer-aging").row_count == 0
    assert [D(p.amount) for p in InsurerPayment.select().order_by(InsurerPayment.id)] == [D("300"), D("400")]
    assert InsuranceClaim.get_by_id(claim.id).state == "paid" and insurance.receivables() == []


async def test_work_the_insurer_does_not_cover_is_ticked_on_the_claim_and_the_split_follows(shop):
    order = shop.in_progress(codes=("BD001", "PT001"), business_type="insurance")  # body 320, paint 510
    insurance.save_claim(order.id, insurance.InsuranceForm(insurer="PICC", assessed_amount="2000",
                                                           deductible="100"), by=shop.advisor)
    app = app_as(shop.advisor)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.open_order(order.id)
        assert await wait_until(pilot, screen_named(app, "OrderDetailScreen"))
        await pilot.pause()
        await pilot.press("i")
        assert await wait_until(pilot, screen_named(app, "InsuranceClaimScreen"))
        await pilot.pause()
        assert "the insurer pays 730.00 · the customer 100.00" in str(app.screen.query_one("#claim").content)
        await open_form(pilot, "n")
        await pilot.press("down", "space")  # the paint: the customer wants a colour change the insurer won't pay
        await submit(pilot)
        assert await wait_until(pilot, screen_named(app, "InsuranceClaimScreen"))
        shown = str(app.screen.query_one("#claim").content)
        assert "Not covered, the customer pays: PT001" in shown
        assert "the insurer pays 220.00 · the customer 610.00" in shown
    paint = JobLine.get((JobLine.order == order.id) & (JobLine.code == "PT001"))
    assert paint.payer == "customer"


# --- purchase orders -----------------------------------------------------------------------------------------

async def test_a_short_part_is_ordered_from_the_parts_screen_and_the_card_shows_its_eta_until_it_arrives(shop):
    purchasing.add_supplier(purchasing.SupplierForm(name="GAC Parts", lead_days="3"), by=shop.clerk)
    Part.create(code="BP-100", name="Front brake pads", unit="pc", bin="A-01-1", sale_price=D("520"),
                unit_cost=D("260"), supplier="GAC Parts")
    order = shop.in_progress()
    line = parts.add_part_line(order.id, "BP-100", "2", by=shop.dispatcher)
    eta = clock.today() + dt.timedelta(days=2)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
        await pilot.press("5")
        await settled(pilot)
        screen = app.screen
        suggested = screen.query_one("#order-table", PagedTable).items
        assert [(s.part_code, s.short, s.qty, s.supplier) for s in suggested] == [("BP-100", 2, 2, "GAC Parts")]
        form = await open_form(pilot, "enter")  # a PO to the part's supplier, with what is short
        assert form.raw("supplier") == Supplier.get().id and form.raw("qty_0") == "2"
        await pilot.press(*"2026-11-01")  # a date already passed
        await submit(pilot)
        assert app.screen is form and "has already passed" in note(form, "expected_on")
        await pilot.press("ctrl+u", *eta.isoformat())
        await submit(pilot)
        po = PurchaseOrder.get()
        assert (po.expected_on, [(pl.qty, pl.received) for pl in po.lines]) == (eta, [(2, 0)])
        assert (RepairOrder.get_by_id(order.id).parts_status, RepairOrder.get_by_id(order.id).parts_eta) == (
            "ordered", eta)
        await pilot.press("escape")
        assert await wait_until(pilot, screen_named(app, "BoardScreen"))
        assert await wait_until(pilot, lambda: "ETA 11-22" in app.screen.card_text(order.id))

        await pilot.press("f5")
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
        await pilot.press("6")
        await settled(pilot)
        assert "RO 1" in str(screen.query_one("#po-lines").get_row_at(0))  # the order it serves
        form = await open_form(pilot, "g")  # goods arrived: one of the two, then more than is due
        await pilot.press("ctrl+u", *"3")
        await submit(pilot)
        assert app.screen is form and "still due" in note(form, f"line_{po.lines[0].id}")
        await pilot.press("ctrl+u", "1")
        await submit(pilot)
        assert PurchaseOrderLine.get().received == 1 and PartLine.get_by_id(line.id).reserved == 1
        await pilot.press("escape")
        assert await wait_until(pilot, screen_named(app, "BoardScreen"))
        assert await wait_until(pilot, lambda: "ETA 11-22" in app.screen.card_text(order.id))  # one still to come

        await pilot.press("f5")
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
        await open_form(pilot, "g")
        await submit(pilot)  # the rest
        assert PurchaseOrder.get().state == "received"
        assert any("Parts now complete for RO 1" in n for n in notifications(app))
        await pilot.press("escape")
        assert await wait_until(pilot, screen_named(app, "BoardScreen"))
        assert await wait_until(pilot, lambda: "ETA" not in app.screen.card_text(order.id))
    assert RepairOrder.get_by_id(order.id).parts_status == "available"


async def test_the_clerk_keeps_the_supplier_list_from_the_parts_screen(shop):
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
        await pilot.press("6", "u")
        assert await wait_until(pilot, screen_named(app, "SuppliersScreen"))
        form = await open_form(pilot, "a")
        await pilot.press(*"Pearl River Tyre Co.", "tab", *"Deng Li", "tab", *"not a phone")
        await submit(pilot)
        assert app.screen is form and "not a phone number" in note(form, "phone")
        assert form.raw("name") == "Pearl River Tyre Co." and form.raw("contact") == "Deng Li"
        await pilot.press("ctrl+u", *"020-83339090", "tab", "tab", "ctrl+u", "5")
        await submit(pilot)
        supplier = Supplier.get()
        assert (supplier.name, supplier.phone, supplier.lead_days) == ("Pearl River Tyre Co.", "02083339090", 5)
        assert await wait_until(pilot, screen_named(app, "SuppliersScreen"))
        form = await open_form(pilot, "e")
        await pilot.press(*["tab"] * 5, "space")  # no longer bought from
        await submit(pilot)
        assert Supplier.get().active is False


async def test_goods_received_take_either_everything_due_or_what_was_typed_never_both(shop):
    supplier = purchasing.add_supplier(purchasing.SupplierForm(name="GAC Parts", lead_days="3"), by=shop.clerk)
    for code in ("BP-100", "OF-200"):
        Part.create(code=code, name=code, unit="pc", bin="A-01-1", sale_price=D("50"), unit_cost=D("20"),
                    supplier="GAC Parts")
    po = purchasing.create_po(supplier.id, [purchasing.POLine("BP-100", "4"), purchasing.POLine("OF-200", "6")],
                              by=shop.clerk)
    app = app_as(shop.clerk)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f5")
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
        await pilot.press("6")
        await settled(pilot)
        form = await open_form(pilot, "g")
        await pilot.press("space", "tab", "1")  # everything ticked, and 1 of 4 typed: which is it?
        await submit(pilot)
        assert app.screen is form and "not both" in note(form, "all")
        assert [line.received for line in PurchaseOrderLine.select().order_by(PurchaseOrderLine.id)] == [0, 0]
        assert app.focused is form.widget("all")
        await pilot.press("space")  # untick: what was typed
        await submit(pilot)
        assert await wait_until(pilot, screen_named(app, "PartsScreen"))
    assert [line.received for line in PurchaseOrderLine.select().order_by(PurchaseOrderLine.id)] == [1, 0]
    assert PurchaseOrder.get_by_id(po.id).state == "open"
