"""Search boxes answer as you type, from a worker thread: typing never waits for a query."""
import threading

from screens.cashier import CashierScreen
from tests.ui import app_as, wait_until
from workshop import board
from workshop import settlement as service


async def test_palette_searches_once_typing_pauses_and_off_the_ui_thread(shop, monkeypatch):
    order = shop.order()
    asked = []

    def recording(text, limit=20, shop=None):
        asked.append((text, threading.current_thread() is threading.main_thread()))
        return real(text, limit, shop)
    real = board.search_active
    monkeypatch.setattr(board, "search_active", recording)
    # A pause longer than any gap between the keys below, however busy the machine: one search.
    monkeypatch.setattr("screens.app.DEBOUNCE_S", 1.5)
    async with app_as(shop.dispatcher).run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"B12345")
        palette = pilot.app.screen
        assert await wait_until(pilot, lambda: any(
            f"RO {order.number}" in str(palette.query_one("CommandList").get_option_at_index(i).prompt)
            for i in range(palette.query_one("CommandList").option_count)))
    assert asked == [("B12345", False)]  # one search, for the text as it stood when typing paused, in a thread


async def test_cashier_queue_and_receivables_are_searched_as_typed(shop):
    waiting = shop.ready_for_settlement(shop.car)
    other = shop.ready_for_settlement(shop.car2)
    owing = []
    for vehicle in (shop.car3,):
        order = shop.ready_for_settlement(vehicle)
        service.take_payment(order.id, "cash", "10", by=shop.cashier)
        service.settle(order.id, by=shop.cashier)
        owing.append(order)
    service.take_payment(other.id, "cash", "10", by=shop.cashier)
    service.settle(other.id, by=shop.cashier)
    async with app_as(shop.cashier).run_test(size=(100, 30)) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, CashierScreen))
        screen = pilot.app.screen
        await pilot.press("slash", *"A888")                    # no Enter: the queue follows the typing
        assert await wait_until(pilot, lambda: [r.order_id for r in screen.rows] == [other.id])
        await pilot.press(*["backspace"] * 4)
        assert await wait_until(pilot, lambda: {r.order_id for r in screen.rows} >= {waiting.id, other.id})
        screen.action_tab("receivables")
        await pilot.pause()
        assert await wait_until(pilot, lambda: len(screen.receivable_rows) == 2)   # two owing, both listed
        await pilot.press("slash", *"pearl")
        assert await wait_until(pilot, lambda: [r.order_id for r in screen.receivable_rows] == [other.id])


async def test_reception_finds_operations_as_typed_from_a_worker(shop):
    async with app_as(shop.advisor).run_test(size=(100, 40)) as pilot:
        await pilot.press("f4")
        assert await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == "ReceptionScreen")
        screen = pilot.app.screen
        screen.query_one("#op-search").focus()
        await pilot.press(*"brake")
        results = screen.query_one("#op-results")
        assert await wait_until(pilot, lambda: results.option_count == 1
                                and results.get_option_at_index(0).id == "ME001")


async def test_a_paged_table_pages_by_keyset_both_ways():
    from textual.app import App

    from screens.paged import PagedTable
    asked = []

    def loader(limit, after):
        asked.append(after)
        return [n for n in range(1, 6) if after is None or n > after][:limit]

    class Lists(App):
        def compose(self):
            yield PagedTable(("n",), lambda n: (str(n),), page_size=2, id="t")

    async with Lists().run_test() as pilot:
        table = pilot.app.query_one(PagedTable)
        table.load(loader, keyset=True)
        table.focus()
        seen = [list(table.items)]
        for key in (">", ">", ">", "<", "<"):
            await pilot.press(key)
            seen.append(list(table.items))
    assert seen == [[1, 2], [3, 4], [5], [5], [3, 4], [1, 2]]
    assert asked == [None, 2, 4, 2, None]   # each page read from the last row before it, never by offset
