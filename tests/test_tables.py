"""Tables keep the cells they drew when they are shown again (a tab, a kept screen) and still redraw
when their look changes."""
from textual.app import App
from textual.widgets import DataTable, TabbedContent, TabPane

from screens.tables import Table


class TwoTabs(App):
    def compose(self):
        with TabbedContent(initial="a"):
            for pane in "ab":
                with TabPane(pane.upper(), id=pane):
                    yield Table(id=f"t{pane}", cursor_type="row")

    def on_mount(self):
        for table in self.query(Table):
            table.add_columns("RO", "Plate")
            for n in range(20):
                table.add_row(str(1000 + n), f"粤B{n:05d}")
        self.query_one("#ta").focus()


def counting_row_draws(monkeypatch) -> list:
    drawn = []
    draw = DataTable._render_line_in_row

    def counted(self, *args, **kwargs):
        drawn.append(self.id)
        return draw(self, *args, **kwargs)

    monkeypatch.setattr(DataTable, "_render_line_in_row", counted)
    return drawn


async def test_switching_tabs_back_and_forth_draws_no_cells_again(monkeypatch):
    drawn = counting_row_draws(monkeypatch)
    app = TwoTabs()
    async with app.run_test(size=(60, 20)) as pilot:
        tabs = app.query_one(TabbedContent)
        for pane in "baba":  # each table drawn once focused, once not
            tabs.active = pane
            app.query_one(f"#t{pane}").focus()
            await pilot.pause()
        drawn.clear()
        for pane in "baba":
            tabs.active = pane
            app.query_one(f"#t{pane}").focus()
            await pilot.pause()
        assert drawn == []


async def test_a_new_theme_still_redraws_the_cells(monkeypatch):
    drawn = counting_row_draws(monkeypatch)
    app = TwoTabs()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        drawn.clear()
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        await pilot.pause()
        assert "ta" in drawn


async def test_a_kept_screen_shown_again_is_restyled_only_after_a_theme_change(shop, monkeypatch):
    from textual.screen import Screen

    from screens.cashier import CashierScreen
    from tests.ui import app_as, wait_until
    restyled = []
    update = Screen.update_node_styles

    def counted(self, animate: bool = True):
        restyled.append(type(self).__name__)
        return update(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", counted)
    app = app_as(shop.cashier)
    async with app.run_test(size=(100, 30)) as pilot:
        async def open_cashier():
            await pilot.press("f7")
            assert await wait_until(pilot, lambda: isinstance(app.screen, CashierScreen))
            await pilot.pause()

        async def back_to_board():
            await pilot.press("escape")
            assert await wait_until(pilot, lambda: not isinstance(app.screen, CashierScreen))

        await open_cashier()
        await back_to_board()
        restyled.clear()
        await open_cashier()  # nothing changed while it was away: its widgets keep their styles
        assert "CashierScreen" not in restyled
        table = app.screen.query_one("#orders")
        before = table.styles.background
        await back_to_board()
        app.theme = "solarized-light" if app.theme != "solarized-light" else "nord"
        await pilot.pause()
        await open_cashier()  # the theme changed while it was away: restyled, in the new colours
        assert "CashierScreen" in restyled
        assert table.styles.background != before
