"""Sign-in: PINs hashed with no write lock held, back-offs per terminal and per person that grow and
that nobody can use to keep a colleague out, lockouts on the audit trail and lifted by a manager, and
the demo PIN told only on a shop created as a demo."""
import pytest

from models.events import Event
from models.people import SignInAttempt, Staff
from tests.factories import TEST_PIN
from workshop import accounts, clock
from workshop.actor import Actor
from workshop.errors import SignInFailed

MINE, ELSEWHERE, OTHER = "local desk-3 uid 1001", "ssh 10.0.0.66", "ssh 10.0.0.77"


def wrong(staff, source, times=1):
    for _ in range(times):
        with pytest.raises(SignInFailed):
            accounts.sign_in(staff.id, "0000", source=source)


def test_the_pin_is_hashed_with_no_write_lock_held(shop, monkeypatch):
    from models.db import db
    seen = []
    real = accounts.pin_matches

    def spy(pin, stored):
        seen.append(db.in_transaction())
        return real(pin, stored)
    monkeypatch.setattr(accounts, "pin_matches", spy)
    assert accounts.sign_in(shop.cashier.id, TEST_PIN, source=MINE) == Actor.of(shop.cashier)
    wrong(shop.cashier, MINE)
    assert seen == [False, False]


def test_sign_in_returns_an_actor_and_records_where_from(shop):
    actor = accounts.sign_in(shop.cashier.id, TEST_PIN, source=MINE)
    assert actor == Actor(shop.cashier.id, "hu.xin", "Hu Xin", ("cashier",), None)
    event = Event.select().where(Event.kind == "signed_in").get()
    assert event.actor_id == shop.cashier.id and MINE in event.summary


def test_wrong_pins_typed_elsewhere_do_not_keep_a_colleague_out_of_their_own_terminal(shop):
    accounts.sign_in(shop.cashier.id, TEST_PIN, source=MINE)          # her desk: familiar from now on
    wrong(shop.cashier, ELSEWHERE, 5)                                   # someone else, somewhere else
    with pytest.raises(SignInFailed, match="try again in 60 seconds"):
        accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE)   # even the right PIN waits there
    with pytest.raises(SignInFailed, match="try again"):
        accounts.sign_in(shop.cashier.id, TEST_PIN, source=OTHER)       # and at any unfamiliar terminal
    assert accounts.sign_in(shop.cashier.id, TEST_PIN, source=MINE).id == shop.cashier.id


def test_the_back_off_grows_with_each_failure_and_a_try_during_it_checks_no_pin(shop, monkeypatch):
    wrong(shop.cashier, ELSEWHERE, 5)
    waits = []
    for _ in range(4):
        with pytest.raises(SignInFailed) as refused:
            accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE)
        waits.append(str(refused.value))
        clock.advance(seconds={0: 60, 1: 120, 2: 240, 3: 480}[len(waits) - 1])
        wrong(shop.cashier, ELSEWHERE)
    assert ["60 seconds" in waits[0], "2 minutes" in waits[1], "4 minutes" in waits[2], "8 minutes" in waits[3]] == \
        [True] * 4
    monkeypatch.setattr(accounts, "pin_matches", lambda pin, stored: pytest.fail("hashed during a back-off"))
    before = SignInAttempt.select().count()
    with pytest.raises(SignInFailed, match="16 minutes"):
        accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE)
    assert SignInAttempt.select().count() == before                    # nothing written for a refused try


def test_a_terminal_trying_many_names_is_held_after_ten_failures(shop):
    people = [shop.advisor, shop.dispatcher, shop.clerk, shop.inspector, shop.cashier, shop.agent]
    for person in people:
        wrong(person, ELSEWHERE, 1)
    for person in people[:4]:
        wrong(person, ELSEWHERE, 1)
    with pytest.raises(SignInFailed, match="60 seconds"):            # 10 failures from this terminal
        accounts.sign_in(shop.manager.id, TEST_PIN, source=ELSEWHERE)
    assert accounts.sign_in(shop.manager.id, TEST_PIN, source=OTHER).id == shop.manager.id


def test_guesses_a_day_are_few_per_person_and_per_terminal(shop):
    """The figures the README quotes: a 4-digit PIN takes months, not a day."""
    assert accounts.guesses_per_day(5) == 33     # per person from unfamiliar terminals, and per familiar one
    assert accounts.guesses_per_day(10) == 38    # per terminal, whoever's names it tries


def test_a_manager_sees_the_lockout_on_the_audit_trail_and_lifts_it(shop):
    from workshop import audit
    wrong(shop.cashier, ELSEWHERE, 5)
    held = audit.search(kind="sign_in_locked", viewer=shop.manager)
    assert len(held) == 1 and "Hu Xin" in held[0].summary and ELSEWHERE in held[0].summary
    assert accounts.lift_lockout(shop.cashier.id, by=shop.manager) == 5
    assert audit.search(kind="sign_in_lifted", viewer=shop.manager)[0].actor == "Zhou Min"
    assert accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE).id == shop.cashier.id
    wrong(shop.advisor, ELSEWHERE, 6)
    accounts.reset_pin(shop.advisor.id, "8642", by=shop.manager)       # a new PIN lifts it too
    assert accounts.sign_in(shop.advisor.id, "8642", source=ELSEWHERE).id == shop.advisor.id


def test_failures_older_than_a_day_no_longer_count(shop):
    wrong(shop.cashier, ELSEWHERE, 5)
    clock.advance(hours=24, seconds=1)
    assert accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE).id == shop.cashier.id


def test_a_shop_whose_pins_happen_to_be_the_demo_pin_is_no_demo(shop):
    Staff.update(pin_hash=accounts.hash_pin("1234")).execute()
    assert accounts.sign_in_list().demo_shop is False


def test_the_demo_generator_marks_the_shop_it_creates_as_a_demo(tmp_path):
    from models.db import db
    from workshop import settings
    from workshop.cli import prepare
    settings.forget_cache()
    prepare(tmp_path / "demo.db", size="tiny", quiet=True)
    try:
        assert accounts.sign_in_list().demo_shop is True
    finally:
        db.close()
        settings.forget_cache()


async def test_the_sign_in_screen_hints_the_demo_pin_on_a_demo_shop_only(shop):
    from screens.app import WorkshopApp
    Staff.update(pin_hash=accounts.hash_pin("1234")).execute()
    async with WorkshopApp(poll_seconds=0.05, build_ahead=False).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "1234" not in str(pilot.app.screen.query_one("#hint").content)
    accounts.mark_demo_shop()
    async with WorkshopApp(poll_seconds=0.05, build_ahead=False).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "every staff member's PIN is 1234" in str(pilot.app.screen.query_one("#hint").content)


def test_two_terminals_trying_at_once_count_both_tries_before_either_pin_is_checked(shop, monkeypatch):
    """A try is counted before its PIN is hashed: terminals racing a back-off cannot all get through."""
    wrong(shop.cashier, ELSEWHERE, 4)
    real = accounts.pin_matches
    raced = []

    def racing_terminal(pin, stored):
        # While this terminal hashes its PIN, another tries: the fifth try was counted, so the sixth waits.
        if not raced:
            raced.append(True)
            with pytest.raises(SignInFailed, match="try again"):
                accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE)
        return real(pin, stored)
    monkeypatch.setattr(accounts, "pin_matches", racing_terminal)
    with pytest.raises(SignInFailed):
        accounts.sign_in(shop.cashier.id, "0000", source=ELSEWHERE)
    assert raced == [True]


async def test_a_manager_sees_who_is_held_on_the_staff_screen_and_lifts_it_with_u(shop):
    from tests.ui import app_as, wait_until
    wrong(shop.cashier, ELSEWHERE, 5)
    app = app_as(shop.manager)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "StaffScreen")
        table = app.screen.query_one("#staff")
        row = next(i for i, s in enumerate(app.screen.people) if s.id == shop.cashier.id)
        assert "5 wrong PINs: held" in str(table.get_row_at(row))
        table.move_cursor(row=row)
        await pilot.press("u")
        assert await wait_until(pilot, lambda: "held" not in str(table.get_row_at(row)))
    assert accounts.sign_in(shop.cashier.id, TEST_PIN, source=ELSEWHERE).id == shop.cashier.id
