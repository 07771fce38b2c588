"""The board's layout in plain Textual, with none of the project's code: a header, seven 26-cell columns of
a title and a screen of card text each, a key bar. What Textual itself takes to paint a screen as full as
the board's first frame (bench/first_frame.py measures it beside the hello world and the real cold start)."""
from textual.app import App
from textual.containers import HorizontalScroll, Vertical
from textual.widgets import Header, Static

COLUMNS = ("Checked in", "Dispatched", "In progress", "Wait parts", "Ready QC", "Ready to settle", "Settled")
CARD = "RO 7503 粤S6AA2S\nHighlander 2.5 HEV · Wang\nBay 3 · Li Qiang · 2h10\n"


class BoardLayout(App):
    CSS = """
    .column { width: 26; height: 1fr; padding: 0 1 0 0; }
    .title { height: 1; text-style: bold; background: $primary-background; padding: 0 1; margin-bottom: 1; }
    .cards { background: $boost; }
    """

    def compose(self):
        yield Header()
        with HorizontalScroll():
            for n, title in enumerate(COLUMNS):
                with Vertical(classes="column"):
                    yield Static(f"{title} ({n + 3})", classes="title")
                    yield Static(CARD * (n + 3), classes="cards")
        yield Static("F1 Keys  F2 Order  F3 Dispatch  F4 Parts  F5 QC  F6 Cashier  Ctrl+P Find  Ctrl+Q Quit")


if __name__ == "__main__":
    BoardLayout().run()
