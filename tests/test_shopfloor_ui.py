"""The shop floor at 80x24, from the keyboard: a technician at a shared terminal signs in with badge and PIN,
sees their jobs, clocks on with one key, asks for a part and is signed out; an order goes mechanical →
paint; a special tool out on a job is what dispatch warns about; the bays' timeline; labour figures."""
import datetime as dt
from decimal import Decimal

import pytest

from models.orders import JobLine, RepairOrder, TimeLog
from models.parts import OperationPart, Part
from models.shopfloor import PickRequest
from models.shop import Operation
from screens.badge_signin import BadgeSignInScreen
from screens.board import BoardScreen
from screens.forms import FormDialog
from screens.my_jobs import MyJobsScreen
from tests.factories import make_staff
from tests.ui import PilotApp, app_as, notifications, row_text, settled, wait_until
from workshop import accounts, clock, dispatch, parts, settings, tools, trade_dispatch
from workshop.tools import ToolForm


@pytest.fixture
def floor(shop):
    shop.painter = make_staff("cao.yu", "Cao Yu", "technician", "paint")
    accounts.set_badge(shop.techs[0].id, "1015", by=shop.manager)
    pads = Part.create(code="BP-100", name="Front brake pads", unit="pc", bin="A-01-1", unit_cost=Decimal("260"),
                       sale_price=Decimal("520"))
    OperationPart.create(operation=Operation.get(Operation.code == "ME001"), part=pads, qty=Decimal("1"))
    parts.receive("BP-100", "4", by=shop.clerk, reference="opening")
    return shop


def floor_app() -> PilotApp:
    return PilotApp(shop_floor=True, poll_seconds=0.05, time_rules=False)


async def badge_sign_in(pilot, badge="1015", pin="2468"):
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen))
    await pilot.press(*badge, "enter", *pin, "enter")
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyJobsScreen))
    await settled(pilot)


async def test_a_technician_signs_in_with_badge_and_pin_clocks_on_with_one_key_asks_for_a_part_and_is_signed_out(floor):
    shop = floor
    xu = shop.techs[0]
    oil = shop.dispatched(codes=("QS001",), hours_ahead=2)  # no parts: ready to start
    brakes = shop.dispatched(shop.car2, bay=4, codes=("ME001",), hours_ahead=6)  # pads still to pick
    app = floor_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press(*"1015", "enter", *"0000", "enter")
        assert await wait_until(pilot, lambda: "Wrong PIN" in str(pilot.app.screen.query_one("#sign-error").content))
        await pilot.press(*"2468", "enter")  # the badge stays, the PIN is typed again
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, MyJobsScreen))
        await settled(pilot)
        table = pilot.app.screen.query_one("MyJobsScreen DataTable")
        assert [row_text(table, i)[0] for i in range(table.row_count)] == [str(oil.number), str(brakes.number)]
        assert "parts to pick" in row_text(table, 1)[5]
        await pilot.press("enter")  # one key: the oil change is clocked on...
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen))  # ...and out he goes
        log = TimeLog.get(TimeLog.technician == xu.id)
        assert log.line_id == JobLine.get(JobLine.order == oil.id).id and log.ended_at is None
        assert RepairOrder.get_by_id(oil.id).state == "in_progress"
        assert any("Xu Gang clocked on RO" in n and "Xu Gang is signed out" in n for n in notifications(pilot.app))

        await badge_sign_in(pilot)
        await pilot.press("down", "r")  # the brake job: ask the parts counter for its pads
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        assert "BP-100" in str(pilot.app.screen.intro)
        await pilot.press("tab", "tab", *"car on the lift", "ctrl+s")  # (the note, for the clerk)
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen))
        request = PickRequest.get()
        assert (request.line_id, request.technician_id, request.ready_at) == (
            JobLine.get(JobLine.order == brakes.id).id, xu.id, None)
        assert parts.pick_queue()[0].order_number == brakes.number  # first in the clerk's queue
    async with app_as(shop.clerk).run_test(size=(80, 24)) as pilot:  # who asks, for what, why: above the queue
        await pilot.press("f5")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "PartsScreen")
        asked = pilot.app.screen.query_one("#asked")
        assert await wait_until(pilot, lambda: asked.display and "Xu Gang at 09:00" in str(asked.content))
        assert f"RO {brakes.number} Front brake pads" in str(asked.content) and "car on the lift" in str(asked.content)


async def test_a_job_whose_parts_are_not_issued_is_refused_with_the_reason_and_an_idle_terminal_signs_out(floor):
    shop = floor
    brakes = shop.dispatched(codes=("ME001",))
    settings.put("shopfloor_idle_seconds", 1, by=shop.manager)
    app = floor_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await badge_sign_in(pilot)
        await pilot.press("enter")
        # (waited for: on a loaded machine the refusal can come back after the 1 s idle sign-out)
        assert await wait_until(pilot, lambda: any("not issued yet (BP-100 Front brake pads 0 of 1)" in n
                                                   for n in notifications(pilot.app)))
        assert not TimeLog.select().exists()
        # Nobody touches the terminal: it signs out by itself.
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen), rounds=100)
        await settled(pilot)
        assert any("Xu Gang was signed out after 1 seconds without input" in n for n in notifications(pilot.app))
    assert RepairOrder.get_by_id(brakes.id).state == "dispatched"


async def test_dispatch_per_trade_sends_the_car_mechanical_then_paint_and_the_card_says_where_next(floor):
    shop = floor
    xu, cao = shop.techs[0], shop.painter
    order = shop.order(codes=("ME001", "PT001"), business_type="general_repair")
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.select_order(order.id)
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        assert (form.raw("bay-mechanical"), form.raw("bay-paint")) == (shop.bays[1].id, shop.bays[3].id)  # M1, P1
        # mechanical: its team (Xu Gang, listed first as a mechanic); hours as standard; paint: Cao Yu, and the
        # dispatcher's own 12 hours for the respray, which go on into tomorrow (08:00-18:00)
        await pilot.press("tab", "space", "tab", "tab", "tab", "space", "tab", *"12", "ctrl+s")
        await settled(pilot)
        assert isinstance(pilot.app.screen, BoardScreen), getattr(pilot.app.screen, "fields", None)
        fresh = RepairOrder.get_by_id(order.id)
        assert (fresh.bay_id, fresh.next_bay_id) == (shop.bays[1].id, shop.bays[3].id)
        stages = trade_dispatch.stages(order.id)
        assert [(s.bay, s.lead) for s in stages] == [("M1", "Xu Gang"), ("P1", "Cao Yu")]
        card = pilot.app.screen.cards[order.id]
        assert "M1→P1" in "".join(text.plain for text in _card_lines(card))
        await pilot.press("enter")  # the order says the bays it goes through, and when
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "OrderDetailScreen")
        head = pilot.app.screen.query_one("#order-head")
        await settled(pilot)
        assert await wait_until(pilot, lambda: "Bays: ▶ M1 mechanical (Xu Gang, 09:00–10:00) → · P1 paint (Cao Yu, "
                                "10:00–11-21 12:00)" in " ".join(str(head.content).split()))
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))

        for line in JobLine.select().where(JobLine.order == order.id):
            if line.trade == "mechanical":
                for part_line in parts.order_part_lines(order.id):
                    parts.pick(part_line.id, by=shop.clerk)
                dispatch.clock_on(line.id, xu.id, by=xu)
                dispatch.clock_off(line.id, xu.id, finished=True, by=xu)
        pilot.app.catch_up()
        await settled(pilot)
        assert pilot.app.screen.select_order(order.id)
        await pilot.press("m")  # mechanical done: on to the paint booth
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).bay_id == shop.bays[3].id
        assert await wait_until(pilot, lambda: pilot.app.screen.cards[order.id].bay == "P1"
                                and pilot.app.screen.cards[order.id].next_bay is None)
    assert cao.id in [t.technician_id for t in JobLine.get((JobLine.order == order.id)
                                                           & (JobLine.trade == "paint")).technicians]


def _card_lines(card):
    from screens.card import card_lines
    return card_lines(card, 40)


async def test_a_special_tool_taken_out_for_a_job_is_what_dispatch_warns_about(floor):
    shop = floor
    tools.register(ToolForm(code="SST-0901", name="Brake piston rewind tool", kind="special_tool"), by=shop.manager)
    tools.set_operation_tools("ME001", ["SST-0901"], by=shop.manager)
    brakes = shop.dispatched(codes=("ME001",))
    later = shop.order(shop.car2, codes=("ME001",))
    app = floor_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await badge_sign_in(pilot)
        await pilot.press("t")  # the tool this job needs, picked already
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        assert pilot.app.screen.raw("code") == "SST-0901"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(pilot.app.screen, MyJobsScreen)
    assert tools.who_has_what()[0].line_name == "Front brake pads" and tools.who_has_what()[0].holder == "Xu Gang"
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.select_order(later.id)
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        intro = pilot.app.screen.intro.plain
        assert f"'Front brake pads' needs SST-0901 Brake piston rewind tool: out with Xu Gang for RO {brakes.number}." \
            in intro.replace("\n", " ")


async def test_the_bays_timeline_shows_todays_work_and_who_is_busy_until_when(floor):
    shop = floor
    clock.freeze(dt.datetime(2026, 11, 20, 10, 0))
    order = shop.order(codes=("ME001", "PT001"), business_type="general_repair")
    trade_dispatch.dispatch_trades(order.id, [trade_dispatch.TradePlan("mechanical", shop.bays[1].id, (shop.techs[0].id,)),
                                              trade_dispatch.TradePlan("paint", shop.bays[3].id, (shop.painter.id,))],
                                   by=shop.dispatcher)
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "BaysScreen")
        await settled(pilot)
        bays = pilot.app.screen.query_one("#bays")
        rows = {row_text(bays, i)[0]: row_text(bays, i) for i in range(bays.row_count)}
        assert rows["M1"][2] == str(order.number) and rows["M1"][3] == "11:00"
        assert rows["P1"][2] == "—" and rows["P1"][3] == "14:00"
        assert "▒" in rows["M1"][4] and "▒" in rows["P1"][4]  # planned, not started yet
        techs = pilot.app.screen.query_one("#techs")
        busy = {row_text(techs, i)[0]: row_text(techs, i) for i in range(techs.row_count)}
        assert busy["Xu Gang"][3] == "11:00" and busy["Cao Yu"][3] == "14:00" and busy["Song Jie"][3] == "—"


async def test_the_labour_figures_screen_shows_the_hand_computed_day(shop):
    from tests.test_labour import build_thursday
    build_thursday(shop)
    clock.freeze(dt.datetime(2026, 11, 23, 9, 0))  # read on the Monday after
    async with app_as(shop.manager).run_test(size=(80, 24)) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "QualityScreen")
        await pilot.press("l")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "LabourScreen")
        await pilot.press("w")  # the last 7 days: Thursday's work and nothing else
        screen = pilot.app.screen
        techs = screen.query_one("#labour-techs")
        assert await wait_until(pilot, lambda: techs.row_count == 2)
        rows = {row_text(techs, i)[0]: row_text(techs, i) for i in range(techs.row_count)}
        assert rows["Xu Gang"][1:9] == ["2.0", "2.5", "9.0", "80.0%", "27.8%", "133.20", "333.00", "16.65"]
        assert rows["Cao Yu"][1:9] == ["3.0", "3.0", "8.0", "100.0%", "37.5%", "144.50", "433.50", "26.01"]
        shop_row = row_text(screen.query_one("#labour-shop"), 0)
        assert shop_row[1:9] == ["5.0", "5.5", "17.0", "90.9%", "32.4%", "139.36", "766.50", "42.66"]
        # The trend is of whole weeks, to last Sunday: Thursday's week is its last point.
        assert "12 weeks to 2026-11-22" in str(screen.query_one("#labour-trend-title").content)
        sold = screen.query_one("#trend-sold Sparkline")
        assert await wait_until(pilot, lambda: len(sold.data) == 12 and sold.data[-1] == 5.0)
        assert sold.data[:11] == [0.0] * 11


async def test_the_tool_keeper_says_from_the_tools_screen_which_operations_need_a_tool(floor):
    shop = floor
    tools.register(ToolForm(code="SST-0901", name="Brake piston rewind tool", kind="special_tool"), by=shop.manager)
    tools.check_out("SST-0901", shop.techs[1].id, by=shop.manager)  # out with Gao Feng, for no job
    later = shop.order(shop.car2, codes=("ME001",))
    async with app_as(shop.manager).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "BaysScreen")
        await pilot.press("t")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "ToolsScreen")
        await settled(pilot)
        await pilot.press("u")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        await pilot.press(*"me001 nope", "ctrl+s")  # an unknown code: the form stays, nothing written
        assert await wait_until(pilot, lambda: "No operation with code NOPE" in str(
            form.query_one("#note-operations").content))
        assert tools.operations_needing("SST-0901") == []
        await pilot.press(*["backspace"] * 5, "ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
        assert await wait_until(pilot, lambda: any("needed by 1 operation" in n for n in notifications(pilot.app)))
    assert tools.operations_needing("SST-0901") == ["ME001"]
    assert [w.text() for w in trade_dispatch.plan_view(later.id).tool_warnings] == [
        f"'Front brake pads' needs SST-0901 Brake piston rewind tool: out with {shop.techs[1].name}."]


async def test_a_supervisor_records_a_forgotten_shift_from_the_labour_figures_and_a_backward_one_is_refused(shop):
    from models.shopfloor import Shift
    from tests.test_labour import build_thursday
    build_thursday(shop)  # (the clock stops on Friday 2026-11-20 at 09:00)
    async with app_as(shop.manager).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f11")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "QualityScreen")
        await pilot.press("l")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "LabourScreen")
        await pilot.press("w")
        techs = pilot.app.screen.query_one("#labour-techs")
        assert await wait_until(pilot, lambda: techs.row_count == 2)
        assert row_text(techs, 0)[:4] == ["Cao Yu", "3.0", "3.0", "8.0"]
        await pilot.press("c")  # on Cao Yu: she was here on Wednesday and never clocked
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        assert form.raw("technician") == shop.painter.id and form.raw("started_at") == "2026-11-20 08:00"
        shifts_before = Shift.select().count()
        await pilot.press("tab", *["backspace"] * 16, *"2026-11-18 08:00", "tab", *"2026-11-18 07:00", "ctrl+s")
        assert await wait_until(pilot, lambda: "cannot end before it starts" in str(
            form.query_one("#note-ended_at").content))
        assert Shift.select().count() == shifts_before
        await pilot.press(*["backspace"] * 5, *"16:00", "tab", *"forgot her badge", "ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
        assert await wait_until(pilot, lambda: techs.row_count == 2 and row_text(techs, 0)[3] == "16.0")
    assert Shift.select().count() == shifts_before + 1


async def test_one_job_line_gets_another_team_from_the_order_with_its_team_and_trade_listed_first(floor):
    shop = floor
    xu, song = shop.techs[0], shop.techs[1]
    order = shop.dispatched(codes=("ME001", "QS001"))  # both lines Xu Gang's
    brakes, oil = (JobLine.get((JobLine.order == order.id) & (JobLine.code == c)) for c in ("ME001", "QS001"))
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.select_order(order.id)
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "OrderDetailScreen")
        await settled(pilot)
        await pilot.press("down", "t")  # the oil change: Song Jie, the quick-service technician, takes it
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        team = pilot.app.screen.widget("technicians")
        names = [str(team.get_option_at_index(i).prompt).split(" · ")[0] for i in range(team.option_count)]
        assert names == ["Xu Gang", "Song Jie", "Cao Yu", "Tang Kai"]  # the team, its trade, the others
        await pilot.press("space", "down", "space", "ctrl+s")
        assert await wait_until(pilot, lambda: not isinstance(pilot.app.screen, FormDialog))
    assert [t.technician_id for t in JobLine.get_by_id(oil.id).technicians] == [song.id]
    assert [t.technician_id for t in JobLine.get_by_id(brakes.id).technicians] == [xu.id]  # the other line as it was


async def test_one_key_on_another_job_pauses_the_one_the_technician_is_on(floor):
    shop = floor
    first = shop.dispatched(codes=("QS001",), hours_ahead=2)
    second = shop.dispatched(shop.car2, bay=4, codes=("QS001",), hours_ahead=6)
    app = floor_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await badge_sign_in(pilot)
        await pilot.press("enter")  # on the first car's oil change; signed out
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen))
        await badge_sign_in(pilot)
        await pilot.press("down", "enter")  # the second car: one key, no clocking off first
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BadgeSignInScreen))
        assert any(f"Xu Gang paused RO {first.number} 'Oil and filter change' and clocked on RO {second.number}" in n
                   for n in notifications(pilot.app))
    running = [log.line_id for log in TimeLog.select().where(TimeLog.ended_at.is_null())]
    assert running == [JobLine.get(JobLine.order == second.id).id]
    assert JobLine.get(JobLine.order == first.id).status == "paused"
