"""The board driven with keys, as a dispatcher would: database and screen both checked."""
import subprocess
import sys
import textwrap

from models.events import Event
from models.orders import RepairOrder
from screens.board import BoardScreen
from tests.ui import app_as, notifications, settled, wait_until
from workshop import lifecycle


def column_of(app, order_id):
    card = app.screen.cards.get(order_id)
    return card.state if card else None


async def test_board_shows_every_active_order_in_its_column(shop):
    a = shop.order()
    b = shop.dispatched(shop.car2, bay=1)
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        assert isinstance(pilot.app.screen, BoardScreen)
        assert column_of(pilot.app, a.id) == "checked_in"
        assert column_of(pilot.app, b.id) == "dispatched"
        text = pilot.app.screen.card_text(b.id)
        assert f"RO {b.number}" in text and "粤A88888" in text and "M1" in text and "Xu Gang" in text


async def test_dispatcher_moves_card_forward_with_keys(shop):
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right")          # to the Dispatched column
        await pilot.press("right_square_bracket")
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "in_progress"
        event = Event.select().where((Event.order == order.id) & (Event.kind == "start")).get()
        assert event.actor_id == shop.dispatcher.id
        assert column_of(pilot.app, order.id) == "in_progress"
        assert pilot.app.screen.selected_card().id == order.id  # the cursor follows the card
        assert "In progress (1)" in str(pilot.app.screen.columns["in_progress"].title.content)


async def test_illegal_move_shows_reason_and_changes_nothing(shop):
    order = shop.order()
    async with app_as(shop.dispatcher).run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right_square_bracket")
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "checked_in"
        assert any("Dispatch it first" in n for n in notifications(pilot.app))
        assert not Event.select().where((Event.order == order.id) & (Event.kind != "order_created")).exists()


async def test_cashier_cannot_move_cards_from_the_board(shop):
    order = shop.dispatched()
    async with app_as(shop.cashier).run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "right_square_bracket")
        await settled(pilot)
        assert RepairOrder.get_by_id(order.id).state == "dispatched"
        assert pilot.app.screen.check_action("forward", ()) is False


async def test_stale_card_is_refused_with_who_moved_it_and_refreshed(shop):
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("right")
        assert await wait_until(pilot, lambda: pilot.app.screen.selected_card().id == order.id)
        # Another terminal starts the job, and this one has not heard yet (the key comes within the
        # live feed's delay): its watcher is stopped, so the press always meets the stale card.
        pilot.app.watcher.stop()
        lifecycle.transition(order.id, "start", by=shop.techs[0])
        await pilot.press("left_square_bracket")   # this terminal still shows it as dispatched: un-dispatch
        assert await wait_until(pilot, lambda: any(f"RO {order.number} was started" in n and "Xu Gang" in n
                                                   for n in notifications(pilot.app)))
        assert RepairOrder.get_by_id(order.id).state == "in_progress"
        assert await wait_until(pilot, lambda: column_of(pilot.app, order.id) == "in_progress")


async def test_dispatch_dialog_puts_car_in_bay_with_technician(shop):
    order = shop.order()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter", "home", "enter")  # open the bay list (those taking quick service first), pick M1
        await pilot.press("space")                             # first technician
        await pilot.press("ctrl+s")
        await settled(pilot)
        fresh = RepairOrder.get_by_id(order.id)
        assert fresh.state == "dispatched" and fresh.bay_id == shop.bays[1].id
        assert column_of(pilot.app, order.id) == "dispatched"


async def test_changing_the_team_keeps_the_lead_first(shop):
    from workshop.dispatch import dispatch, lead_technician, order_lines
    order = shop.order()
    xu, song, tang = shop.techs  # listed by name in the dialog: Song Jie, Tang Kai, Xu Gang
    dispatch(order.id, shop.bays[1].id, [xu.id, song.id], by=shop.dispatcher)
    line_id = order_lines(order.id)[0].id
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "d")
        # The car has a bay already: the cursor waits on the technicians (on Song Jie).
        assert await wait_until(pilot, lambda: getattr(pilot.app.focused, "id", None)
                                == "field-technicians-quick_service")
        await pilot.press("down", "space")  # Tang Kai joins
        await pilot.press("ctrl+s")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
    assert lead_technician(line_id) == xu.id
    assert order_lines(order.id)[0].technicians == ("Xu Gang", "Song Jie", "Tang Kai")


async def test_enter_opens_order_with_lines_and_history(shop):
    shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert type(screen).__name__ == "OrderDetailScreen"
        assert screen.query_one("#lines").row_count == 1
        history = [str(screen.query_one("#history").get_row_at(i)[2]) for i in range(screen.query_one("#history").row_count)]
        assert any("dispatched" in h for h in history)
        await pilot.press("f")    # finish the job line
        await settled(pilot)
        assert str(screen.query_one("#lines").get_row_at(0)[7]) == "finished"  # (after the customer's word)


async def test_filter_by_bay_hides_other_cards(shop):
    a = shop.dispatched(bay=0)
    b = shop.dispatched(shop.car2, bay=1)
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("enter", "down", "down", "down", "down", "down", "enter")  # by code: B1, M1, M2, P1, Q1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert a.id in pilot.app.screen.cards and b.id not in pilot.app.screen.cards
        await pilot.press("escape")
        await pilot.pause()
        assert b.id in pilot.app.screen.cards


async def test_second_terminal_sees_move_without_keypress(shop, db_path):
    """A real second process moves a card; this terminal shows it without a key being pressed."""
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        assert column_of(pilot.app, order.id) == "dispatched"
        script = textwrap.dedent(f"""
            from models import open_database
            from models.people import Staff
            from workshop import lifecycle
            open_database({str(db_path)!r})
            lifecycle.transition({order.id}, "start", by=Staff.get(Staff.login == "xu.gang"))
        """)
        subprocess.run([sys.executable, "-c", script], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[1]))
        assert await wait_until(pilot, lambda: column_of(pilot.app, order.id) == "in_progress")


def _many_orders(shop, count):
    from tests.factories import make_vehicle
    orders = []
    for i in range(count):
        car = make_vehicle(f"粤B{10000 + i}", f"LVGBM53K{i:09d}", shop.customer)
        orders.append(shop.order(car, hours_ahead=i + 1))
    return orders  # most urgent first, as the column shows them


async def test_cursor_scrolls_a_long_column_at_80x24(shop):
    orders = _many_orders(shop, 12)
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        cards = pilot.app.screen.columns["checked_in"].list
        assert cards.scroll_offset.y == 0
        await pilot.press("end")
        await pilot.pause()
        assert pilot.app.screen.selected_card().id == orders[-1].id
        assert cards.scroll_offset.y > 0  # the last card was scrolled into view
        shown = "\n".join(cards.render_line(y).text for y in range(cards.size.height))
        assert f"RO {orders[-1].number}" in shown and f"RO {orders[0].number}" not in shown
        await pilot.press("home")
        await pilot.pause()
        assert cards.scroll_offset.y == 0 and pilot.app.screen.selected_card().id == orders[0].id


async def test_click_selects_a_card_and_double_click_opens_it(shop):
    orders = _many_orders(shop, 3)
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        cards = pilot.app.screen.columns["checked_in"].list
        await pilot.click(cards, offset=(4, 5))  # the second card's first line
        assert pilot.app.screen.selected_card().id == orders[1].id
        await pilot.click(cards, offset=(4, 10), times=2)
        await pilot.pause()
        assert getattr(pilot.app.screen, "order_id", None) == orders[2].id


async def test_column_title_says_how_many_cards_are_out_of_view_above_and_below(shop):
    from tests.factories import make_vehicle
    for i in range(9):
        shop.order(make_vehicle(f"粤B{i:05d}", f"LFV2A21K9N5{i:06d}", shop.customer))
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        title = lambda: str(pilot.app.screen.columns["checked_in"].title.content)  # noqa: E731
        assert await wait_until(pilot, lambda: title() == "Checked in (9) ▼5")  # 4 whole cards fit at 80x24
        await pilot.press(*["down"] * 8)  # to the last card: the view scrolls down
        assert await wait_until(pilot, lambda: title() == "Checked in (9) ▲5")
        await pilot.press("home")
        assert await wait_until(pilot, lambda: title() == "Checked in (9) ▼5")


async def test_opening_an_order_titles_that_screen_only(shop):
    order = shop.order()
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        signed_in = pilot.app.sub_title
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: pilot.app.screen.sub_title is not None)
        assert pilot.app.screen.sub_title.startswith(f"RO {order.number} · ")
        await pilot.press("escape")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
        assert pilot.app.sub_title == signed_in and "Zhang Lei" in signed_in  # not the last order's number


async def test_one_order_screen_shows_one_order_after_another(shop):
    first = shop.order()
    second = shop.order(shop.car2)
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        head = lambda: str(pilot.app.screen.query_one("#order-head").content)  # noqa: E731
        opened = {}
        for order in (first, second, first):
            assert pilot.app.screen.select_order(order.id)
            await pilot.press("enter")
            assert await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderDetailScreen")
            assert await wait_until(pilot, lambda order=order: f"RO {order.number}" in head())
            other = second if order is first else first
            assert f"RO {other.number}" not in head()
            opened.setdefault("screen", pilot.app.screen)
            assert pilot.app.screen is opened["screen"]  # built once, reused
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))


async def test_key_bar_shows_only_the_keys_the_role_may_use_and_a_click_presses_one(shop):
    from screens.keybar import KeyBar
    order = shop.order()
    async with app_as(shop.cashier).run_test(size=(120, 40)) as pilot:
        labels = [description for _, _, description, _ in pilot.app.screen.query_one(KeyBar).keys()]
        assert "Open" in labels and "Forward" not in labels and "Dispatch" not in labels
    async with app_as(shop.dispatcher).run_test(size=(120, 40)) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        labels = [description for _, _, description, _ in bar.keys()]
        assert labels[:3] == ["Open", "Forward", "Back"] and "Dispatch" in labels
        await pilot.pause()
        start, _end, key = bar._spans[0]
        assert key == "enter"
        await pilot.click(KeyBar, offset=(start + 1, 0))  # the ⏎ Open key
        assert await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "OrderDetailScreen")
        assert f"RO {order.number}" in str(pilot.app.screen.query_one("#order-head").content)
