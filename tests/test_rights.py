"""Rights are checked at the moment of the action, not at sign-in: the terminal holds a plain Actor,
every service re-reads the staff member inside its own transaction."""
import dataclasses

import pytest

from models.events import Event
from models.orders import JobLine, RepairOrder, TimeLog
from models.people import Staff
from models.settlement import Payment, Settlement
from tests.factories import make_staff
from tests.ui import app_as, notifications, wait_until
from workshop import accounts, qc, settlement
from workshop.actor import Actor
from workshop.dispatch import clock_off, clock_on, dispatch
from workshop.errors import NotAllowed
from workshop.lifecycle import transition
from workshop.qc import sign


def test_a_cashier_deactivated_while_signed_in_cannot_take_a_payment(shop):
    order = shop.ready_for_settlement()
    cashier = Actor.of(shop.cashier)           # what the terminal holds since the morning's sign-in
    row = Staff.get_by_id(shop.cashier.id)     # or a row read then (as the app held until now)
    accounts.set_roles(shop.cashier.id, ["cashier"], active=False, by=shop.manager)
    with pytest.raises(NotAllowed, match="Hu Xin is no longer an active member of staff"):
        settlement.take_payment(order.id, "cash", "10", by=cashier)
    with pytest.raises(NotAllowed, match="no longer an active"):
        settlement.take_payment(order.id, "cash", "10", by=row)
    with pytest.raises(NotAllowed, match="no longer an active"):
        settlement.settle(order.id, by=cashier)
    assert Payment.select().count() == 0 and Settlement.select().count() == 0


def test_a_manager_demoted_to_advisor_cannot_void_and_the_check_runs_inside_the_transaction(shop):
    order = shop.settled()
    deputy = make_staff("deputy", "Qian Fang", "manager")
    manager = Actor.of(deputy)
    accounts.set_roles(deputy.id, ["advisor"], by=shop.manager)
    with pytest.raises(NotAllowed, match="Qian Fang may not void or refund settlements"):
        settlement.void(order.id, "wrong price", by=manager)
    assert RepairOrder.get_by_id(order.id).state == "settled"
    assert not Settlement.select().where(Settlement.kind == "void").exists()


def test_require_rereads_the_member_and_gives_the_fresh_row_for_the_event(shop):
    from workshop.permissions import require
    stale = dataclasses.replace(Actor.of(shop.dispatcher), name="Old Name", roles=("manager",))
    with pytest.raises(NotAllowed, match="Zhang Lei may not manage staff"):
        require(stale, "manage_staff")              # the roles the terminal remembers do not count
    fresh = require(stale, "dispatch")
    assert isinstance(fresh, Staff) and fresh.name == "Zhang Lei"
    order = dispatch(shop.order().id, shop.bays[0].id, [shop.techs[0].id], by=Actor.of(shop.dispatcher))
    last = Event.select().where(Event.order == order.id).order_by(Event.id.desc()).first()
    assert last.actor_id == shop.dispatcher.id


def test_a_technician_clocks_only_themself_and_a_dispatcher_clocks_for_them_on_record(shop):
    order = shop.dispatched(tech=0)
    line = JobLine.get(JobLine.order == order.id)
    other = shop.techs[1]
    with pytest.raises(NotAllowed, match="Song Jie may not clock technicians on and off for them"):
        clock_on(line.id, shop.techs[0].id, by=other)
    assert not TimeLog.select().exists()
    clock_on(line.id, shop.techs[0].id, by=shop.dispatcher)
    event = Event.select().where(Event.kind == "clock_on").get()
    assert event.actor_id == shop.dispatcher.id
    assert "Xu Gang clocked on" in event.summary and "clocked by Zhang Lei" in event.summary
    assert '"technician": %d' % shop.techs[0].id in event.after
    with pytest.raises(NotAllowed):
        clock_off(line.id, shop.techs[0].id, finished=False, by=other)
    clock_off(line.id, shop.techs[0].id, finished=False, by=shop.techs[0])
    event = Event.select().where(Event.kind == "clock_off").get()
    assert event.actor_id == shop.techs[0].id and "clocked by" not in event.summary


def test_an_inspector_who_clocked_on_the_order_cannot_sign_its_qc_after_leaving_the_team(shop):
    from models.qc import ChecklistItem
    item = ChecklistItem.create(business_type="maintenance", position=1, text="Road test")
    both = make_staff("dual", "Ma Jun", "qc_inspector,technician", "quick_service")
    order = shop.dispatched(tech=1)
    line = JobLine.get(JobLine.order == order.id)
    dispatch(order.id, shop.bays[0].id, [shop.techs[1].id, both.id], by=shop.dispatcher)
    clock_on(line.id, both.id, by=both)            # helps out for a while...
    clock_off(line.id, both.id, finished=False, by=both)
    dispatch(order.id, shop.bays[0].id, [shop.techs[1].id], by=shop.dispatcher)   # ...and is off the team
    assert not qc.order_technician_staff(order.id) or both.id not in [s.id for s in qc.order_technician_staff(order.id)]
    from workshop.dispatch import finish_line
    finish_line(line.id, by=shop.dispatcher)
    transition(order.id, "finish", by=shop.dispatcher)
    with pytest.raises(NotAllowed, match="Ma Jun worked on RO"):
        sign(order.id, {item.id: ("pass", "")}, passed=True, by=both)
    sign(order.id, {item.id: ("pass", "")}, passed=True, by=shop.inspector)


async def test_the_app_holds_an_actor_and_a_deactivated_cashier_is_refused_at_the_desk(shop):
    order = shop.ready_for_settlement()
    async with app_as(shop.cashier).run_test(size=(80, 24), notifications=True) as pilot:
        assert isinstance(pilot.app.staff, Actor)
        accounts.set_roles(shop.cashier.id, ["cashier"], active=False, by=shop.manager)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert await wait_until(pilot, lambda: any("no longer an active" in n for n in notifications(pilot.app)))
        assert RepairOrder.get_by_id(order.id).state == "ready_settlement"


async def test_idle_sign_out_spares_an_ssh_session_until_someone_else_switched_user_on_it(shop, monkeypatch):
    import screens.app
    from workshop import settings
    settings.put("idle_signout_minutes", 1, by=shop.manager)
    app = screens.app.WorkshopApp(auto_staff=shop.advisor, poll_seconds=0.05, build_ahead=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.last_input -= 3600
        app.idle_signout()
        assert app.staff is not None and app.staff.id == shop.advisor.id     # the Unix login is the person
        app.action_switch_user()                                               # someone else uses it
        await pilot.pause()
        app.signed_in(Actor.of(shop.cashier))
        await pilot.pause()
        app.last_input -= 3600
        app.idle_signout()
        await pilot.pause()
        assert app.staff is None
