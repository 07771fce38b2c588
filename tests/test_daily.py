"""Time-driven rules (workshop/daily.py) run without anyone opening a screen: from every signed-in
terminal now and then, and from `workshop daily` for cron; running them twice changes nothing more."""
from models.events import Event
from models.followup import Complaint
from tests.ui import app_as, wait_until
from workshop import callbacks, cli, clock, daily


def _complaint(shop) -> Complaint:
    return callbacks.raise_complaint(shop.customer.id, "Noise still there", by=shop.agent)


def _escalations() -> int:
    return Event.select().where(Event.kind == "complaint_escalated").count()


def test_the_daily_rules_escalate_once_however_often_they_run(shop):
    complaint = _complaint(shop)
    assert daily.run()["complaints escalated"] == 0
    clock.advance(days=2, minutes=1)
    assert daily.run()["complaints escalated"] == 1
    assert daily.run()["complaints escalated"] == 0
    assert daily.run(cron=True)["labour days kept"] == 35  # cron keeps labour days
    clock.advance(days=2)
    assert daily.run(cron=True)["labour days kept"] == 2  # the two days that closed
    assert Complaint.get_by_id(complaint.id).escalated_at is not None and _escalations() == 1


def test_workshop_daily_runs_them_from_cron(shop, db_path, capsys):
    _complaint(shop)
    clock.advance(days=3)
    assert cli.main(["--db", str(db_path), "daily"], warm=False) == 0
    assert "complaints escalated: 1" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "daily"], warm=False) == 0
    assert "complaints escalated: 0" in capsys.readouterr().out
    assert _escalations() == 1


def test_a_broken_rule_is_logged_and_the_others_still_run(shop, monkeypatch):
    def broken(*, by=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(daily, "JOBS", [("broken", broken), ("complaints escalated", callbacks.escalate_overdue)])
    _complaint(shop)
    clock.advance(days=3)
    assert daily.run() == {"broken": -1, "complaints escalated": 1}


async def test_a_terminal_with_no_follow_up_screen_open_escalates_and_keeps_doing_so(shop, monkeypatch):
    import screens.app
    monkeypatch.setattr(screens.app, "RULES_EVERY_S", 0.2)
    first = _complaint(shop)
    clock.advance(days=3)
    app = app_as(shop.dispatcher, time_rules=True)  # the board only: nobody opens the follow-up screen
    async with app.run_test(size=(80, 24)) as pilot:
        assert await wait_until(pilot, lambda: Complaint.get_by_id(first.id).escalated_at is not None)
        second = _complaint(shop)  # the terminal stays open for days
        clock.advance(days=3)
        assert await wait_until(pilot, lambda: Complaint.get_by_id(second.id).escalated_at is not None)
        assert app.screen.__class__.__name__ == "BoardScreen"
    assert _escalations() == 2


def test_appointments_whose_car_never_came_are_marked_no_shows_by_the_daily_rules(shop):
    import datetime as dt

    from workshop import appointments
    appointment = appointments.book_typed(shop.car.plate, "2026-11-20 10:00", "QS001", by=shop.advisor)
    clock.freeze(dt.datetime(2026, 11, 20, 11, 1))
    assert daily.run()["appointment no-shows marked"] == 1
    assert daily.run()["appointment no-shows marked"] == 0
    assert appointments.get(appointment.id).state == "no_show"
def test_the_daily_rules_put_a_never_serviced_car_bought_seven_months_ago_on_the_maintenance_list(shop, db_path,
                                                                                                capsys):
    import datetime as dt

    from models.people import Vehicle
    from workshop import reminders
    Vehicle.update(purchase_date=clock.today() - dt.timedelta(days=213), purchase_mileage=15) \
        .where(Vehicle.id == shop.car.id).execute()
    assert reminders.due("maintenance") == []
    assert cli.main(["--db", str(db_path), "daily"], warm=False) == 0
    assert "maintenance plans made: 1" in capsys.readouterr().out
    assert [r.plate for r in reminders.due("maintenance")] == [shop.car.plate]
