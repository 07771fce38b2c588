"""A hello-world Textual app: the floor of any Textual program's first frame (bench/first_frame.py)."""
from textual.app import App
from textual.widgets import Static


class Hello(App):
    def compose(self):
        yield Static("Hello, world")


if __name__ == "__main__":
    Hello().run()
