"""Two terminals, one card, half a second apart: the change comes from another process, as it would from
another terminal. My cursor does not follow a card another terminal moved, and a move key pressed right
after a remote change to the card under my cursor asks first, saying what changed."""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.orders import RepairOrder
from screens.dialogs import YesNo
from tests.ui import app_as, settled, wait_until
from workshop.lifecycle import BOARD_STATES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def patient(monkeypatch):
    """A second to react is the shop's rule; a slow test machine gets longer, so the test never races it."""
    import screens.board
    monkeypatch.setattr(screens.board, "CONFIRM_WITHIN_S", 30.0)


def other_terminal(db_path, order_id, move, login="xu.gang", bay=None):
    """Another terminal (a real process) changes the order."""
    if move == "redispatch":
        action = (f"from workshop.dispatch import dispatch, lead_technician\n"
                  f"from models.orders import JobLine\n"
                  f"line = JobLine.get(JobLine.order == {order_id})\n"
                  f"dispatch({order_id}, {bay}, [lead_technician(line.id)], by=who)")
    else:
        action = f"lifecycle.transition({order_id}, {move!r}, by=who)"
    script = textwrap.dedent(f"""
        from models import open_database
        from models.people import Staff
        from workshop import lifecycle
        open_database({str(db_path)!r})
        who = Staff.get(Staff.login == {login!r})
    """) + action
    subprocess.run([sys.executable, "-c", script], check=True, cwd=str(ROOT))


def cursor(app):
    screen = app.screen
    card = screen.selected_card()
    return BOARD_STATES[screen.col_index], card.id if card else None


async def test_my_cursor_stays_where_it_was_when_another_terminal_moves_the_card(shop, db_path, patient):
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right")                                   # on the card, in Dispatched
        assert cursor(pilot.app) == ("dispatched", order.id)
        other_terminal(db_path, order.id, "start")                   # the other dispatcher's ]
        assert await wait_until(pilot, lambda: pilot.app.screen.cards[order.id].state == "in_progress")
        assert cursor(pilot.app) == ("dispatched", None)             # not following it to In progress
        await pilot.press("left_square_bracket")                     # my [ half a second later
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "in_progress"  # the other's move stands


async def test_a_move_key_right_after_a_remote_change_asks_first_saying_what_changed(shop, db_path, patient):
    first = shop.dispatched(hours_ahead=2)
    second = shop.dispatched(shop.car2, bay=1, hours_ahead=3)
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        assert cursor(pilot.app) == ("dispatched", first.id)
        other_terminal(db_path, first.id, "start")
        assert await wait_until(pilot, lambda: pilot.app.screen.cards[first.id].state == "in_progress")
        assert cursor(pilot.app) == ("dispatched", second.id)       # another card is under the cursor now
        await pilot.press("left_square_bracket")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, YesNo))
        question = str(pilot.app.screen.query_one("Static").content)
        assert f"RO {first.number} was started" in question and "Xu Gang" in question
        assert f"Under your cursor now: RO {second.number} (Dispatched)" in question
        await pilot.press("n")
        await settled(pilot)
        assert RepairOrder.get_by_id(second.id).state == "dispatched"
        await pilot.press("left_square_bracket")                     # asked once: now it moves
        await settled(pilot)
        assert RepairOrder.get_by_id(second.id).state == "checked_in"


async def test_confirming_makes_the_move_on_the_card_as_it_is_now(shop, db_path, patient):
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        other_terminal(db_path, order.id, "redispatch", login="zhang.lei", bay=shop.bays[1].id)
        assert await wait_until(pilot, lambda: pilot.app.screen.cards[order.id].bay == "M1")
        assert cursor(pilot.app) == ("dispatched", order.id)         # same column: still on it
        await pilot.press("left_square_bracket")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, YesNo))
        assert "was re-dispatched to bay M1, Xu Gang by Zhang Lei" in str(pilot.app.screen.query_one("Static").content)
        await pilot.press("y")
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "checked_in"


async def test_my_own_move_is_followed_and_a_key_later_than_a_second_does_not_ask(shop, db_path, monkeypatch):
    import screens.board
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right_square_bracket")          # my own move: the cursor follows
        await settled(pilot)  # (the move is written in a worker)
        assert cursor(pilot.app) == ("in_progress", order.id)
        other_terminal(db_path, order.id, "stop")                    # back to Dispatched, elsewhere
        assert await wait_until(pilot, lambda: pilot.app.screen.cards[order.id].state == "dispatched")
        assert cursor(pilot.app) == ("in_progress", None)
        monkeypatch.setattr(screens.board, "CONFIRM_WITHIN_S", 0.0)  # as if the user read it for a second
        await pilot.press("left", "right_square_bracket")
        await settled(pilot)
        assert not isinstance(pilot.app.screen, YesNo)
        assert RepairOrder.get_by_id(order.id).state == "in_progress"
