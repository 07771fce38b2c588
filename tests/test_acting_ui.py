"""One way for a screen to act (screens/acting.py): writes run off the UI thread, the terminal keeps
answering meanwhile, a refusal or a fault is said where the user looks, and the board catches up."""
import threading

from models.events import Event
from models.orders import RepairOrder
from screens.board import BoardScreen
from tests.ui import app_as, notifications, settled
from workshop import lifecycle
from workshop.errors import IllegalTransition


async def test_a_move_runs_in_a_worker_thread_with_its_own_connection(shop, monkeypatch):
    from models.db import db
    order = shop.dispatched()
    seen = {}
    real = lifecycle.move_forward

    def recording(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["connection"] = db.connection()
        return real(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "move_forward", recording)
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40)) as pilot:
        ui_connection = db.connection()
        await pilot.press("right", "right_square_bracket")
        await settled(pilot)
        assert seen["thread"] is not threading.main_thread()
        assert seen["connection"] is not ui_connection  # Peewee: one connection per thread
        assert RepairOrder.get_by_id(order.id).state == "in_progress"
        assert app.screen.cards[order.id].state == "in_progress"  # the board caught up with its own write


async def test_the_terminal_answers_keys_while_a_write_waits(shop, monkeypatch):
    first = shop.dispatched()
    shop.dispatched(shop.car2, bay=1)
    release = threading.Event()
    real = lifecycle.move_forward

    def slow(*args, **kwargs):  # another terminal holds the write lock
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "move_forward", slow)
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right")
        column = app.screen.current_column()
        assert app.screen.selected_card().id == column.cards[0].id
        await pilot.press("right_square_bracket")  # the write waits...
        await pilot.press("down")                  # ... and the cursor still moves
        await pilot.pause()
        assert app.screen.selected_card().id == column.cards[1].id
        assert app.screen.acting == 1
        release.set()
        await settled(pilot)
        assert app.screen.acting == 0
        assert RepairOrder.get_by_id(first.id).state == "in_progress"


async def test_a_second_move_pressed_during_the_first_waits_for_it_and_sees_what_it_changed(shop, monkeypatch):
    order = shop.dispatched()
    release = threading.Event()
    real = lifecycle.move_forward

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "move_forward", slow)
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right", "right_square_bracket", "left_square_bracket")  # start, then stop again
        await pilot.pause()
        assert len(app.screen.waiting) == 1  # the second waits its turn
        release.set()
        await settled(pilot)
        await settled(pilot)
        kinds = [e.kind for e in Event.select().where(Event.order == order.id).order_by(Event.id)]
        assert kinds[-2:] == ["start", "stop"], notifications(app)  # both moves, neither refused as stale
        assert RepairOrder.get_by_id(order.id).state == "dispatched"
        assert not notifications(app)


async def test_a_refusal_is_shown_and_changes_nothing(shop, monkeypatch):
    order = shop.dispatched()

    def refusing(*args, **kwargs):
        raise IllegalTransition("RO is waiting for the [urgent] parts [/] of Pearl River Trading [HK] Co.")

    monkeypatch.setattr(lifecycle, "move_forward", refusing)
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right", "right_square_bracket")
        await settled(pilot)
        assert "RO is waiting for the [urgent] parts [/] of Pearl River Trading [HK] Co." in notifications(app)
        assert RepairOrder.get_by_id(order.id).state == "dispatched"
        assert isinstance(app.screen, BoardScreen)


async def test_a_fault_in_a_write_is_a_message_and_the_terminal_goes_on(shop, monkeypatch):
    import sqlite3
    order = shop.dispatched()

    def failing(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(lifecycle, "move_forward", failing)
    app = app_as(shop.dispatcher)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right", "right_square_bracket")
        await settled(pilot)
        assert any("disk reported an error" in n and "nothing was saved" in n for n in notifications(app))
        await pilot.press("left")
        await pilot.pause()
        assert app.screen.col_index == 0  # still answering keys
        assert RepairOrder.get_by_id(order.id).state == "dispatched"


async def test_keys_the_role_may_not_use_are_not_offered(shop):
    shop.dispatched()
    async with app_as(shop.cashier).run_test(size=(120, 40)) as pilot:
        board = pilot.app.screen
        assert board.check_action("forward", ()) is False and board.check_action("dispatch", ()) is False
        assert board.check_action("open", ()) is True
