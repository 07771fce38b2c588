"""The key bar at the foot of every screen: the keys the signed-in role may press here, in one widget.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the bindings change, which
is every time a screen opens or comes back: measured in a real terminal, a second layout and repaint
of 40 ms on returning to the board and 200 ms on opening the cashier's screen. This bar is one line of
text drawn by one widget: the same keys in the same order (one per action), keys the role may not use
left out (the screens' ``check_action``), disabled keys dimmed, and a click presses the key.
"""
from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widget import Widget

from workshop.i18n import _


class KeyBar(Widget):
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .keybar--disabled {
        color: $text-disabled;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []  # (first cell, end cell, key) of each key shown

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description, enabled) of every key shown, one per action; the command
        palette's key last."""
        shown: dict[str, tuple[str, str, str, bool]] = {}
        palette = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            item = (binding.key, self.app.get_key_display(binding), binding.description, enabled)
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = item
            elif binding.show and binding.action not in shown:
                shown[binding.action] = item
        return list(shown.values()) + ([palette] if palette else [])

    def render(self) -> Text:
        """The keys from the left; the palette's key (search) always shows, at the right end."""
        items = self.keys()
        palette = items.pop() if items and items[-1][0] == self.app.COMMAND_PALETTE_BINDING else None
        width = self.size.width
        right, right_spans = self._draw([palette] if palette else [])
        line, self._spans = self._draw(items)
        room = width - right.cell_len - (1 if right.cell_len else 0)
        if line.cell_len > room:
            line.truncate(max(room - 1, 0))
            line.append("…")
            self._spans = [span for span in self._spans if span[1] <= room - 1]
        if right.cell_len:
            offset = width - right.cell_len
            line.append(" " * max(offset - line.cell_len, 0))
            self._spans += [(start + offset, end + offset, key) for start, end, key in right_spans]
            line.append_text(right)
        return line

    def _draw(self, items) -> tuple[Text, list[tuple[int, int, str]]]:
        """The keys as one line of text, and where each key sits on it."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        line = Text(no_wrap=True, overflow="crop")
        spans = []
        for key, display, description, enabled in items:
            start = line.cell_len
            line.append(f" {display} ", key_style if enabled else disabled_style)
            if description:  # (descriptions are marked N_ where bound: translated here, where shown)
                line.append(f"{_(description)} ", description_style if enabled else disabled_style)
            spans.append((start, line.cell_len, key))
        return line, spans

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
