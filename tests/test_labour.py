"""Labour figures against a day worked out by hand.

Thursday 2026-11-19. Xu Gang (mechanical) is present 08:00-17:00 (9 h), Cao Yu (paint) 08:30-16:30 (8 h).
- RO A, Wang Wei (no class discount), front brake pads ME001, 1.0 h billed at 180: Xu Gang clocks 09:00-10:30
  (1.5 h); QC fails it once (Xu Gang responsible), then passes; invoiced: 1.0 h sold, 180.00.
- RO B, Pearl River Logistics (VIP, 15 % off labour), ME001 + bumper respray PT001 (3.0 h at 170): Xu Gang
  clocks the brakes 10:30-11:30 (1.0 h) in M2, the car moves to the paint booth, Cao Yu clocks 11:30-14:30
  (3.0 h); invoiced: 1.0 h sold for 153.00 (180 less 15 %), 3.0 h for 433.50 (510 less 15 %).

By hand:
| | sold h | clocked h | present h | revenue | efficiency | productivity | labour rate | commission |
| Xu Gang | 2.00 | 2.50 | 9.00 | 333.00 | 2/2.5 = 80.0 % | 2.5/9 = 27.8 % | 333/2.5 = 133.20 | 5 % = 16.65 |
| Cao Yu | 3.00 | 3.00 | 8.00 | 433.50 | 100.0 % | 3/8 = 37.5 % | 144.50 | 6 % (paint) = 26.01 |
| shop | 5.00 | 5.50 | 17.00 | 766.50 | 5/5.5 = 90.9 % | 5.5/17 = 32.4 % | 766.5/5.5 = 139.36 | 42.66 |
"""
import datetime as dt
from decimal import Decimal

import pytest

from models.labour import LabourDay, LabourDayDone
from models.orders import JobLine
from models.shopfloor import Shift
from tests.factories import make_staff
from workshop import clock, dispatch, labour, lifecycle, qc, settings, shifts, trade_dispatch
from workshop.errors import InvalidInput, NotAllowed
from workshop.settlement import settle_fully, void
from workshop.trade_dispatch import TradePlan

THURSDAY = dt.date(2026, 11, 19)


def at(hour: int, minute: int = 0) -> None:
    clock.freeze(dt.datetime.combine(THURSDAY, dt.time(hour, minute)))


def line(order, code) -> JobLine:
    return JobLine.get((JobLine.order == order.id) & (JobLine.code == code))


def finish_and_pass(shop, order, hour, minute=0):
    at(hour, minute)
    lifecycle.transition(order.id, "finish", by=shop.dispatcher)
    qc.sign(order.id, {}, passed=True, by=shop.inspector)


@pytest.fixture
def thursday(shop):
    return build_thursday(shop)


def build_thursday(shop):
    """The day of the module's docstring, worked through the services; the clock stops the next morning."""
    settings.put("labour_commission_pct", {"*": "5", "paint": "6"}, by=shop.manager)
    xu = shop.techs[0]
    cao = make_staff("cao.yu", "Cao Yu", "technician", "paint")
    shop.painter = cao
    at(8)
    shifts.clock_in(xu.id, by=xu)
    a = shop.order(codes=("ME001",), hours_ahead=8)
    b = shop.order(shop.car2, codes=("ME001", "PT001"), business_type="general_repair", hours_ahead=8)
    dispatch.dispatch(a.id, shop.bays[1].id, [xu.id], by=shop.dispatcher)
    trade_dispatch.dispatch_trades(b.id, [TradePlan("mechanical", shop.bays[4].id, (xu.id,)),
                                          TradePlan("paint", shop.bays[3].id, (cao.id,))], by=shop.dispatcher)
    at(8, 30)
    shifts.clock_in(cao.id, by=cao)
    at(9)
    dispatch.clock_on(line(a, "ME001").id, xu.id, by=xu)
    at(10, 30)
    dispatch.clock_off(line(a, "ME001").id, xu.id, finished=True, by=xu)
    dispatch.clock_on(line(b, "ME001").id, xu.id, by=xu)
    at(10, 40)
    lifecycle.transition(a.id, "finish", by=shop.dispatcher)
    qc.sign(a.id, {}, passed=False, by=shop.inspector, rework_reason="torque marks missing", responsible_id=xu.id)
    finish_and_pass(shop, a, 11)
    at(11, 10)
    settle_fully(a.id, shop.cashier)
    at(11, 30)
    dispatch.clock_off(line(b, "ME001").id, xu.id, finished=True, by=xu)
    trade_dispatch.move_to_next_bay(b.id, by=shop.dispatcher)
    dispatch.clock_on(line(b, "PT001").id, cao.id, by=cao)
    at(14, 30)
    dispatch.clock_off(line(b, "PT001").id, cao.id, finished=True, by=cao)
    finish_and_pass(shop, b, 14, 50)
    at(15)
    settle_fully(b.id, shop.cashier)
    at(16, 30)
    shifts.clock_out(cao.id, by=cao)
    at(17)
    shifts.clock_out(xu.id, by=xu)
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0))  # the figures are read the next morning
    shop.a, shop.b = a, b
    return shop


def figures(fig):
    return (fig.sold_hours, fig.clocked_hours, fig.present_hours, fig.revenue, fig.efficiency_pct,
            fig.productivity_pct, fig.effective_rate, fig.commission)


def D(*values):
    return tuple(None if v is None else Decimal(v) for v in values)


def test_the_labour_figures_of_a_day_match_the_hand_computed_case(thursday):
    shop = thursday
    report = labour.report(THURSDAY, THURSDAY, viewer=shop.manager)
    techs = {f.name: f for f in report.technicians}
    assert set(techs) == {"Xu Gang", "Cao Yu"}
    assert figures(techs["Xu Gang"]) == D("2.00", "2.50", "9.00", "333.00", "80.0", "27.8", "133.20", "16.65")
    assert figures(techs["Cao Yu"]) == D("3.00", "3.00", "8.00", "433.50", "100.0", "37.5", "144.50", "26.01")
    assert figures(report.shop) == D("5.00", "5.50", "17.00", "766.50", "90.9", "32.4", "139.36", "42.66")
    trades = {f.key: f for f in report.trades}
    assert figures(trades["mechanical"])[:4] == D("2.00", "2.50", "9.00", "333.00")
    assert figures(trades["paint"])[:4] == D("3.00", "3.00", "8.00", "433.50")
    (advisor,) = report.advisors
    assert advisor.name == "Li Wei" and advisor.present_hours is None and advisor.productivity_pct is None
    assert figures(advisor)[:5] == D("5.00", "5.50", None, "766.50", "90.9")
    # Rework and comebacks from the quality figures of the same day.
    assert (techs["Xu Gang"].reworked, techs["Cao Yu"].reworked, advisor.reworked, advisor.inspected) == (1, 0, 1, 2)
    assert (report.shop.reworked, report.shop.inspected, report.shop.rework_pct) == (1, 2, Decimal("50.0"))

    # The closed day was kept; read again, it gives the same from the kept rows.
    assert LabourDayDone.select().where(LabourDayDone.day == THURSDAY).exists()
    assert LabourDay.select().count() > 0
    again = labour.report(THURSDAY, THURSDAY)
    assert figures(again.shop) == figures(report.shop)


def test_a_shift_corrected_afterwards_changes_the_kept_day(thursday):
    shop = thursday
    labour.report(THURSDAY, THURSDAY)
    shift = Shift.get(Shift.technician == shop.painter.id)
    supervisor = make_staff("liu.yang", "Liu Yang", "supervisor")
    shifts.record_shift(shop.painter.id, "2026-11-19 08:00", "2026-11-19 16:30", by=supervisor,
                        shift_id=shift.id, note="was in at 8, forgot to clock")
    cao = {f.name: f for f in labour.report(THURSDAY, THURSDAY).technicians}["Cao Yu"]
    assert (cao.present_hours, cao.productivity_pct) == (Decimal("8.50"), Decimal("35.3"))  # 3 / 8.5


def test_a_void_counts_on_its_own_day_and_the_period_nets_it(thursday):
    shop = thursday
    void(shop.b.id, "wrong customer on the invoice", by=shop.manager)  # Friday 09:00
    friday = labour.report(THURSDAY + dt.timedelta(days=1), THURSDAY + dt.timedelta(days=1))
    assert (friday.shop.sold_hours, friday.shop.revenue) == (Decimal("-4.00"), Decimal("-586.50"))
    both = labour.report(THURSDAY, THURSDAY + dt.timedelta(days=1))
    assert (both.shop.sold_hours, both.shop.revenue) == (Decimal("1.00"), Decimal("180.00"))
    assert labour.report(THURSDAY, THURSDAY).shop.revenue == Decimal("766.50")


def test_today_counts_live_and_the_weekly_trend_adds_up(thursday):
    shop = thursday
    xu = shop.techs[0]
    order = shop.dispatched(shop.car3, codes=("QS001",))
    dispatch.clock_on(JobLine.get(JobLine.order == order.id).id, xu.id, by=xu)  # Friday 09:00, clocks him in
    clock.freeze(dt.datetime(2026, 11, 20, 10, 30))
    today = labour.report(dt.date(2026, 11, 20), dt.date(2026, 11, 20))
    assert (today.shop.clocked_hours, today.shop.present_hours) == (Decimal("1.50"), Decimal("1.50"))
    weeks = labour.weekly_trend(2)
    assert [w.start for w in weeks] == [dt.date(2026, 11, 9), dt.date(2026, 11, 16)]
    assert (weeks[1].sold_hours, weeks[1].clocked_hours, weeks[1].present_hours) == (
        Decimal("5.00"), Decimal("7.00"), Decimal("18.50"))
    assert weeks[0].clocked_hours == 0 and weeks[0].efficiency_pct is None


def test_who_may_read_the_figures_and_periods_that_make_no_sense(thursday):
    shop = thursday
    with pytest.raises(NotAllowed):
        labour.report(THURSDAY, THURSDAY, viewer=shop.techs[0])
    with pytest.raises(InvalidInput, match="cannot end before it starts"):
        labour.report(THURSDAY, THURSDAY - dt.timedelta(days=1))
    assert not LabourDayDone.select().exists()


def test_a_line_worked_by_a_team_is_shared_equally_the_lead_taking_what_rounding_leaves(shop):
    """RO C: front brake pads ME001, 1.0 h billed at 180, dispatched to Xu Gang (lead), Song Jie and Tang Kai.
    By hand: 1.00 h / 3 = 0.33 each, the lead 0.34; 180.00 / 3 = 60.00 each; the shop 1.00 h and 180.00."""
    xu, song, tang = shop.techs
    at(9)
    order = shop.order(codes=("ME001",), hours_ahead=8)
    dispatch.dispatch(order.id, shop.bays[1].id, [xu.id, song.id, tang.id], by=shop.dispatcher)
    dispatch.clock_on(line(order, "ME001").id, xu.id, by=xu)
    at(10)
    dispatch.clock_off(line(order, "ME001").id, xu.id, finished=True, by=xu)
    finish_and_pass(shop, order, 10, 30)
    at(11)
    settle_fully(order.id, shop.cashier)
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0))
    report = labour.report(THURSDAY, THURSDAY)
    techs = {f.name: (f.sold_hours, f.revenue) for f in report.technicians}
    assert techs == {"Xu Gang": D("0.34", "60.00"), "Song Jie": D("0.33", "60.00"), "Tang Kai": D("0.33", "60.00")}
    assert (report.shop.sold_hours, report.shop.revenue) == D("1.00", "180.00")
