"""A guard that cannot flake: the number of SQL queries the board's hot paths issue does not grow
with the number of orders. An N+1 regression fails here, on any machine, at any speed."""
from contextlib import contextmanager

import pytest

from models.db import db
from tests.factories import make_vehicle
from tests.ui import app_as, wait_until
from workshop import board
from workshop.feed import ChangeFeed
from workshop.lifecycle import move_backward, move_forward


@contextmanager
def counted():
    """Collect the SQL statements issued inside the block."""
    statements: list[str] = []

    def hook(event):
        statements.append(event.sql)
    db.obj.query_hooks.append(hook)
    try:
        yield statements
    finally:
        db.obj.query_hooks.remove(hook)


def fill(shop, count: int, start: int = 0) -> list:
    """``count`` active orders, half of them dispatched (technicians on job lines)."""
    from models.shop import Bay
    Bay.update(capacity=1000).where(Bay.id == shop.bays[1].id).execute()
    orders = []
    for i in range(start, start + count):
        car = make_vehicle(f"粤Q{i:05d}", f"LFV2A21K9N3{i:06d}", shop.customer)
        orders.append(shop.dispatched(car, bay=1) if i % 2 else shop.order(car))
    return orders


def budget(shop, count: int, start: int = 0) -> dict[str, int]:
    orders = fill(shop, count, start)
    dispatched = next(o for o in orders if o.state == "dispatched")
    feed = ChangeFeed()
    feed.catch_up()
    result = {}
    with counted() as q:
        board.active_cards()
    result["board load"] = len(q)
    with counted() as q:
        board.cards_for([o.id for o in orders[:3]])
    result["cards of 3 changed orders"] = len(q)
    with counted() as q:
        move_forward(dispatched.id, by=shop.dispatcher, seen_version=dispatched.version + 0)
    result["card move"] = len(q)
    with counted() as q:
        feed.poll()
    result["change feed poll"] = len(q)
    with counted() as q:
        feed.poll()
    result["idle poll"] = len(q)
    move_backward(dispatched.id, by=shop.dispatcher)
    return result


@pytest.mark.parametrize("count", [4])
def test_board_paths_issue_a_fixed_number_of_queries(shop, count):
    small = budget(shop, count)
    # more orders in the same database: the same paths must cost exactly the same
    large = budget(shop, count * 8, start=1000)
    print("query budget", small)
    assert small == large, (small, large)
    assert small["board load"] <= 2
    assert small["cards of 3 changed orders"] <= 2
    assert small["idle poll"] <= 1
    assert small["card move"] <= 8


async def test_live_board_refresh_costs_the_same_with_many_cards(shop):
    orders = fill(shop, 24)
    app = app_as(shop.dispatcher, poll_seconds=3600)  # no timer polls during the measurement
    async with app.run_test(size=(160, 50)) as pilot:
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "BoardScreen")
        area = app.screen
        costs = []
        for n in (1, 3):
            changed = [o.id for o in orders[:n]]
            from workshop.feed import Changes
            with counted() as q:
                area.refresh_from_changes(Changes(order_ids=set(changed)))
                await pilot.pause()
            costs.append(len(q))
        assert costs[0] == costs[1] <= 2, costs


def test_order_screen_data_costs_the_same_however_many_lines_technicians_and_events(shop):
    from workshop import audit, lifecycle
    from workshop.dispatch import clock_on, dispatch, order_lines

    def cost(order_id: int) -> int:
        with counted() as q:
            lifecycle.order_header(order_id)
            lines = order_lines(order_id)
            audit.order_history(order_id)
        assert lines
        return len(q)

    small = shop.dispatched(codes=("QS001",))
    large = shop.order(shop.car2, codes=("QS001", "QS002", "ME001", "BD001", "PT001"))
    # Every trade in one bay, which takes only some of them: a manager allows it with a reason.
    large = dispatch(large.id, shop.bays[2].id, [t.id for t in shop.techs], by=shop.manager, reason="one car, one bay")
    for tech, line in zip(shop.techs, order_lines(large.id)):
        clock_on(line.id, tech.id, by=shop.dispatcher)
    assert cost(small.id) == cost(large.id) <= 5
