"""Tables and kept screens follow the app's look: a theme changed while a kept screen was away shows
in its colours when it comes back."""
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


async def test_a_new_theme_redraws_the_cells(monkeypatch):
    drawn = []
    draw = DataTable.render_line

    def counted(self, y):
        drawn.append(self.id)
        return draw(self, y)

    monkeypatch.setattr(DataTable, "render_line", counted)
    app = TwoTabs()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        drawn.clear()
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        await pilot.pause()
        assert "ta" in drawn


async def test_a_kept_screen_shown_again_after_a_theme_change_is_in_the_new_colours(shop):
    from screens.cashier import CashierScreen
    from tests.ui import app_as, wait_until
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
        table = app.screen.query_one("#orders")
        before = table.styles.background
        await back_to_board()
        app.theme = "solarized-light" if app.theme != "solarized-light" else "nord"
        await pilot.pause()
        await open_cashier()
        assert table.styles.background != before
