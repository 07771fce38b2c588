"""Text is data: whatever was stored (by an older version, an import, another program) shows as typed
on every screen of every role, never as markup, never as escape sequences sent to the terminal."""
import datetime as dt
import fcntl
import getpass
import os
import pty
import struct
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from textual.geometry import Region

from models.events import Event
from models.followup import Callback, Complaint
from models.orders import JobLine, RepairOrder
from models.parts import Part
from models.people import Customer, Staff, Vehicle
from models.qc import ChecklistItem
from models.shop import Bay
from screens import registry
from screens.text import clean, cells, line, literal
from tests.factories import make_vehicle
from tests.terminal import read_until
from tests.ui import app_as, settled, wait_until
from workshop import callbacks, clock, parts

ROOT = Path(__file__).resolve().parents[1]

# Legacy values, written straight to the tables as an older version or an import might have.
COMPANY = "Pearl River Trading [HK] Co. [/]"
CUSTOMER = "[HK] Co.[/]"
MODEL = "C[u][/]"
TECH = "Xu[/]\x1b]2;PWNED\x07"
BAY = "Bay[/]\x1b[2J"
PART = "Filter [/b] \x1b]52;c;SGVsbG8=\x07"
STATEMENT = "Noise [urgent] \x1b]52;c;SGVsbG8=\x07 [/] Wipe\x1b[2JOut \u202eevil"
LINE = "Oil [change] [/]\x1b[31m"
COMPLAINT = "[/] loud \x1b]2;PWNED\x07 [@click=app.quit]x[/]"
CHECK = "Torque [HK] [/]"
REASON = "[/] parts [link=http://x]late[/link]"
SUMMARY = "Note [/] [b]x \x1b[2J"
CONTROL = [chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x202E, 0x2066)]


# --- the helpers themselves -------------------------------------------------------------------------

def test_stored_text_is_shown_exactly_as_typed_without_markup():
    assert literal(COMPANY).plain == COMPANY
    assert line(("RO 1042 ", "bold"), COMPANY).plain == "RO 1042 " + COMPANY
    assert [cell.plain for cell in cells(COMPANY, 42)] == [COMPANY, "42"]
    assert all(isinstance(cell, Text) for cell in cells("[b]x[/b]"))


def test_control_characters_are_made_visible_and_bidi_controls_dropped():
    shown = clean("a\x1b]52;c;x\x07b\x1b[2J\u202ec\x9bd\x7f")
    assert shown == "a␛]52;c;x␇b␛[2Jc\ufffdd␡"
    assert not any(ch in shown for ch in CONTROL)
    assert clean("two\nlines\ttab") == "two lines tab"
    assert clean("two\r\nlines", multiline=True) == "two\nlines"


# --- every screen of every role --------------------------------------------------------------------

@pytest.fixture
def hostile_shop(shop):
    """A shop with an order in each part of the service, then its stored text made hostile."""
    at_desk = shop.ready_for_settlement(shop.car2)              # cashier, board
    ChecklistItem.create(business_type="maintenance", position=1, text=CHECK)
    at_qc = shop.ready_for_qc(shop.car3)                        # QC queue
    Part.create(code="OF-001", name=PART, unit="pc", bin="A-01-1", sale_price=Decimal("45"), threshold=5)
    parts.receive("OF-001", "1", by=shop.clerk)
    in_bay = shop.in_progress(shop.car, bay=1)                  # parts queue, bays
    parts.add_part_line(in_bay.id, "OF-001", "3", by=shop.dispatcher)
    gone = shop.delivered(make_vehicle("粤B99999", "LVGBM53K5RG000009", shop.customer))
    callbacks.raise_complaint(shop.customer.id, "placeholder", by=shop.agent, order_id=gone.id)
    clock.advance(days=3)                                       # the first follow-up call is due
    Customer.update(name=CUSTOMER).where(Customer.id == shop.customer.id).execute()
    Customer.update(name=COMPANY).where(Customer.id == shop.vip_customer.id).execute()
    Vehicle.update(model=MODEL).execute()
    Staff.update(name=TECH).where(Staff.id == shop.techs[0].id).execute()
    Bay.update(name=BAY).execute()
    RepairOrder.update(statement=STATEMENT, rework_reason=REASON).execute()
    JobLine.update(name=LINE).execute()
    Complaint.update(description=COMPLAINT).execute()
    Callback.update(reason=REASON).execute()
    Event.create(at=clock.now(), kind="note", entity="repair_order", entity_id=in_bay.id, order=in_bay.id,
                 summary=SUMMARY, before='{"name": "[/b] \\u001b]2;PWNED\\u0007"}', after=f'{{"why": "{CHECK}"}}')
    del at_desk, at_qc
    return shop


def screen_text(screen) -> str:
    """Every line the widgets of a screen draw, as text (what the terminal would be sent, less styles)."""
    drawn = []
    for widget in screen.query("*"):
        if not widget.display or not widget.size.area:
            continue
        width, height = widget.size
        try:
            strips = widget.render_lines(Region(0, 0, width, height))
        except Exception as error:  # a widget that cannot draw what it holds fails the test, named
            raise AssertionError(f"{widget!r} could not be drawn: {error}") from error
        drawn.extend(strip.text for strip in strips)
    return "\n".join(drawn)


def assert_shown_safely(screen, where: str) -> str:
    text = screen_text(screen)
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if ch in CONTROL and ch != "\n"})
    assert not bad, f"{where}: control characters reached the screen: {bad}"
    return text


ROLES = ["manager", "advisor", "dispatcher", "clerk", "inspector", "cashier", "agent"]


@pytest.mark.parametrize("role", ROLES)
async def test_every_screen_of_every_role_shows_stored_text_literally(hostile_shop, role):
    from workshop.permissions import can
    staff = getattr(hostile_shop, role)
    app = app_as(staff)
    seen = {}
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        # Built ahead, laid out and drawn out of sight as production does while the terminal is idle
        # (the audit screen used to crash here, a few seconds after sign-in).
        while app.kept.build_next(app.staff):
            await pilot.pause()
        seen["board"] = assert_shown_safely(app.screen, f"{role}: board")
        for entry in registry.ENTRIES:
            if entry.name == "board" or (entry.action and not can(staff, entry.action)):
                continue
            if entry.key:
                await pilot.press(entry.key)
            else:  # (a screen without a key of its own opens from the palette or another screen)
                app.open_screen(entry.name)
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ != "BoardScreen"
                                    and app.screen.is_attached), entry.name
            await settled(pilot)  # (the quality figures come from a worker)
            seen[entry.name] = assert_shown_safely(app.screen, f"{role}: {entry.name}")
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BoardScreen")
        # One order opened from the board, with its header, lines, parts and history.
        order = RepairOrder.get(RepairOrder.vehicle == hostile_shop.car.id)
        app.open_order(order.id)
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "OrderDetailScreen")
        await pilot.pause()
        seen["order"] = assert_shown_safely(app.screen, f"{role}: order")
        assert app.is_running
    everything = "\n".join(seen.values())
    assert CUSTOMER in seen["board"] or COMPANY in seen["board"]  # as typed, brackets and all
    assert clean(STATEMENT) in seen["order"] and "Noise [urgent] ␛]52;c;SGVsbG8=␇ [/] Wipe␛[2JOut evil" in seen["order"]
    assert COMPANY in everything or CUSTOMER in everything
    if role == "manager":
        assert "Note [/] [b]x ␛[2J" in seen["audit"]  # the audit trail, summary and detail
        assert "[/b] ␛]2;PWNED␇" in seen["audit"]
    if role == "cashier":
        assert COMPANY in seen["cashier"]
    if role == "clerk":
        assert clean(PART)[:20] in seen["parts"]
    if role == "inspector":
        assert "Xu[/]␛]2;PWNED␇" in seen["qc"]
    if role == "agent":
        assert REASON[:20] in seen["callbacks"]  # the call's reason, as stored


async def test_forms_and_the_palette_show_stored_names_literally(hostile_shop):
    app = app_as(hostile_shop.dispatcher)
    async with app.run_test(size=(120, 40)) as pilot:
        order = RepairOrder.get(RepairOrder.vehicle == hostile_shop.car.id)
        assert app.screen.select_order(order.id)
        await pilot.press("d")  # the dispatch form: bays and technicians as stored
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press("tab")
        text = assert_shown_safely(app.screen, "dispatch form")
        assert "Xu[/]␛]2;PWNED" in text and "Bay[/]␛[2J" in text, text
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"Pearl")
        assert await wait_until(pilot, lambda: COMPANY in screen_text(app.screen))
        assert_shown_safely(app.screen, "command palette")


async def test_the_sign_in_list_shows_names_literally(hostile_shop):
    from screens.app import WorkshopApp
    Staff.update(name=COMPANY).where(Staff.id == hostile_shop.cashier.id).execute()
    app = WorkshopApp(poll_seconds=0.05, build_ahead=False, time_rules=False)
    async with app.run_test(size=(100, 40)) as pilot:
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "SignInScreen")
        await pilot.pause()
        text = assert_shown_safely(app.screen, "sign-in")
        assert "Pearl River Tradin" in text and "Xu[/]␛]2;PWNED␇" in text, text


async def test_claims_and_purchase_orders_show_stored_text_literally(hostile_shop):
    """A warranty claim, an insurer and a supplier whose stored text is hostile, on every screen that shows
    them: the claims lists and the claim, the insurance claim, the insurers' tab, the parts to order and POs."""
    from models.insurance import InsuranceClaim, InsurerBalance
    from models.purchasing import Supplier
    from models.warranty import WarrantyClaim
    from tests.claims_helpers import stock, worked
    from workshop import insurance, purchasing, settlement
    from workshop.lifecycle import transition
    shop = hostile_shop
    stock(shop)
    warranty_job = worked(shop, make_vehicle("粤B77777", "LVGBM53K5RG000007", shop.customer), bay=4)
    settlement.settle_fully(warranty_job.id, shop.cashier)  # drafts its claim
    accident = shop.in_progress(make_vehicle("粤B66666", "LVGBM53K5RG000006", shop.customer), codes=("BD001",),
                                business_type="insurance")
    insurance.save_claim(accident.id, insurance.InsuranceForm(insurer="PICC", assessed_amount="300"), by=shop.advisor)
    for job in JobLine.select().where(JobLine.order == accident.id):
        from workshop.dispatch import finish_line
        finish_line(job.id, by=shop.dispatcher)
    transition(accident.id, "finish", by=shop.dispatcher)
    transition(accident.id, "qc_pass", by=shop.inspector)
    settlement.settle_fully(accident.id, shop.cashier)  # the insurer owes its share
    supplier = purchasing.add_supplier(purchasing.SupplierForm(name="Parts Co"), by=shop.clerk)
    Part.update(supplier="Parts Co").execute()
    purchasing.create_po(supplier.id, [purchasing.POLine("OF-001", "1")], by=shop.clerk)  # one still short
    WarrantyClaim.update(cause=STATEMENT, complaint=COMPLAINT, manufacturer="Toy[/]ota").execute()
    InsuranceClaim.update(insurer=COMPANY, assessor=CUSTOMER).execute()
    InsurerBalance.update(insurer=COMPANY).execute()
    Supplier.update(name=COMPANY).execute()
    Part.update(supplier=COMPANY).execute()
    app = app_as(shop.manager)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        async def shown(keys=(), screen="") -> str:
            for key in keys:
                await pilot.press(key)
                await settled(pilot)
            if screen:
                assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == screen)
            await settled(pilot)
            return assert_shown_safely(app.screen, f"{screen} after {keys}")

        app.open_screen("warranty")
        text = await shown(screen="WarrantyScreen")  # the claim beside the list on a wide terminal
        assert "Toy[/]ota" in text and "Noise [urgent] ␛]52;c;SGVsbG8=␇ [/] Wipe␛[2JOut" in text
        text = await shown(["enter"], "ClaimScreen")
        assert "[/] loud ␛]2;PWNED␇ [@click=app.quit]x[/]" in text
        await shown(["escape", "6"], "WarrantyScreen")
        await shown(["escape", "f5", "5"], "PartsScreen")
        assert "Pearl River Tra…" in await shown(["5"], "PartsScreen")  # (cut to its column)
        assert "Pearl River Tra" in await shown(["6"], "PartsScreen")
        await shown(["escape", "f7"], "CashierScreen")
        assert COMPANY in await shown(["n"], "CashierScreen")
        await pilot.press("escape")
        app.open_order(accident.id)
        await shown(screen="OrderDetailScreen")
        text = await shown(["i"], "InsuranceClaimScreen")
        assert COMPANY in text and CUSTOMER in text
        assert app.is_running


async def test_later_screens_show_stored_text_literally(hostile_shop):
    """Set-up, appointments, tools, the call register, campaigns, the customer's and the car's file, labour figures
    and a technician's My jobs, with hostile text stored in every field they show: drawn literally, nothing crashes."""
    from models.appointments import Appointment, AppointmentCall
    from models.campaigns import Campaign
    from models.followup import CallRecord
    from models.people import CustomerClass
    from models.shop import MaintenancePackage, Operation
    from models.tools import Tool, ToolRecord
    from screens.customer_file import open_customer_file, open_vehicle_file
    from workshop import appointments, call_register, campaigns, packages, tools, winback
    shop = hostile_shop
    when = dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time(10))
    booked = appointments.book(appointments.AppointmentForm(vehicle_id=shop.car2.id, starts_at=when,
                                                            operation_codes=["QS001"]), by=shop.advisor)
    appointments.record_call(booked.id, "confirmed", note="fine", by=shop.advisor)
    tools.register(tools.ToolForm(code="SST-1", name="Piston tool", location="Cabinet"), by=shop.manager)
    tools.check_out("SST-1", shop.techs[0].id, by=shop.techs[0])
    tools.register(tools.ToolForm(code="SST-2", name="Puller", location="Cabinet"), by=shop.manager)
    tools.report("SST-2", "damage", "bent", by=shop.manager)
    call_register.record_incoming(shop.vip_customer.id, result="enquiry", notes="asks", by=shop.agent)
    winback.record_winback(shop.customer.id, result="no_answer", notes="later", by=shop.agent)
    campaigns.create_campaign(campaigns.CampaignForm(name="Winter", starts_on=clock.today() + dt.timedelta(days=5),
                                                     rule="model", rule_value="Camry", notes="n"), by=shop.manager)
    packages.add_package(packages.PackageForm(code="PK1", name="First", price="399", operation_codes="QS001"),
                         by=shop.manager)
    Appointment.update(contact_name=COMPANY, notes=STATEMENT).execute()
    AppointmentCall.update(note=SUMMARY).execute()
    Tool.update(name=PART, location=BAY).execute()
    ToolRecord.update(note=COMPLAINT).execute()
    CallRecord.update(notes=COMPLAINT).execute()
    Campaign.update(name=CHECK, notes=SUMMARY, rule_value=MODEL).execute()
    Operation.update(name=LINE).execute()
    CustomerClass.update(name=REASON).where(CustomerClass.id == shop.vip.id).execute()
    MaintenancePackage.update(name=SUMMARY).execute()
    seen = {}
    app = app_as(shop.manager)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        async def walk(name, open_it, screen, tabs):
            open_it()
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == screen), name
            for tab in tabs:
                if tab:
                    await pilot.press(*tab)
                await settled(pilot)
                seen[f"{name} {tab}"] = assert_shown_safely(app.screen, f"{name} after {tab}")
            for _ in range(3):  # (a dialog opened from the screen closes first)
                if app.screen.__class__.__name__ != "BoardScreen":
                    await pilot.press("escape")
                    await pilot.pause(0.2)
            assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BoardScreen"), name

        await walk("setup", lambda: app.open_screen("setup"), "ShopSetupScreen", ["", "2", "3", "4", "5", "6", "7"])
        await walk("appointments", lambda: app.open_screen("appointments"), "AppointmentsScreen",
                   ["", "]", "2", "3", "4", "5"])
        await walk("tools", lambda: app.open_screen("tools"), "ToolsScreen", ["", "2", "3", "1h"])
        await walk("follow-up", lambda: app.open_screen("callbacks"), "CallbacksScreen",
                   ["", "2", "3", "4", "5", "6", "7"])
        await walk("customer", lambda: open_customer_file(app, shop.vip_customer.id), "CustomerFileScreen", [""])
        await walk("car", lambda: open_vehicle_file(app, shop.car2.id), "VehicleFileScreen", ["", "2", "3"])
        await walk("labour", lambda: app.open_screen("labour"), "LabourScreen", [""])
        assert app.is_running
    everything = "\n".join(seen.values())
    assert COMPANY in everything                                       # the appointment's contact
    assert "Noise [urgent] ␛]52;c;SGVsbG8=␇" in everything             # its notes
    assert "Oil [change] [/]␛[31m" in everything                       # an operation in set-up
    assert "[/] parts [link=http://x]late[/link]" in everything         # a customer class
    assert "Torque [HK] [/]" in everything                              # a campaign
    assert "Bay[/]␛[2J" in everything                                   # a tool's place
    assert "[/] loud ␛]2;PWNED␇ [@click=app.quit]x" in seen["follow-up 6"]  # the call register's notes (cut at 40 cells)
    assert "Filter [/b] ␛]52;c;SGVsbG8=␇" in seen["tools 1h"]          # a tool's history

    tech = app_as(shop.techs[0])
    async with tech.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("f12")
        assert await wait_until(pilot, lambda: tech.screen.__class__.__name__ == "MyJobsScreen")
        await pilot.pause(0.3)
        text = assert_shown_safely(tech.screen, "my jobs")
        assert "Oil [change] [/]␛[31m" in text, text
        assert tech.is_running


# --- what really reaches a terminal ------------------------------------------------------------------

def test_no_escape_sequence_from_stored_text_reaches_a_real_terminal(hostile_shop, db_path, tmp_path):
    """The app in a pseudo-terminal, signed in over the SSH map, board then an order: the bytes written to
    the terminal hold the payloads made visible, and never the sequences themselves."""
    from models.db import db
    order = RepairOrder.get(RepairOrder.vehicle == hostile_shop.car.id)
    db.close()
    ssh_map = tmp_path / "ssh-map"
    ssh_map.write_text(f"{getpass.getuser()} = {hostile_shop.dispatcher.login}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(WORKSHOP_WARM="0", TERM="xterm-256color", WORKSHOP_SSH_MAP=str(ssh_map), PYTHONUNBUFFERED="1")
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "workshop.cli", "--db", str(db_path)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    try:
        written = read_until(fd, "Xu[/]␛]2;PWNED␇".encode(), 60)  # the board, with the technician on a card
        os.write(fd, b"\x10")  # Ctrl+P: find the order and open it (its statement and history)
        written += read_until(fd, b"Search", 10)
        os.write(fd, str(order.number).encode())
        written += read_until(fd, CUSTOMER.encode(), 20)
        os.write(fd, b"\r")
        written += read_until(fd, "Wipe␛[2JOut".encode(), 30)
        os.write(fd, b"\x11")  # Ctrl+Q
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not os.waitpid(pid, os.WNOHANG)[0]:
            written += read_until(fd, b"\x00never", 0.2)
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    assert b"\x1b]52;" not in written           # no clipboard write
    assert b"\x1b]2;PWNED" not in written       # no window title
    assert b"Wipe\x1b[2J" not in written        # no clear screen from the data
    assert "\u202e".encode() not in written     # no right-to-left override
    assert "Xu[/]␛]2;PWNED␇".encode() in written  # shown, visibly
    assert "Wipe␛[2JOut".encode() in written and "Noise [urgent] ␛]52;".encode() in written
