"""The key bar at the foot of every screen: the keys the signed-in role may press here, in one widget;
and the keys screen (F1) that lists every key of a screen, including those the bar had no room for.

Textual's ``Footer`` builds a widget per key and rebuilds them all whenever the bindings change, which
is every time a screen opens or comes back: measured in a real terminal, a second layout and repaint
of 40 ms on returning to the board and 200 ms on opening the cashier's screen. This bar is one line of
text drawn by one widget: the same keys in the same order (one per action), keys the role may not use
left out (the screens' ``check_action``), disabled keys dimmed, and a click presses the key.

One line, however narrow the terminal: a screen lists its keys most important first (its BINDINGS'
order), the bar shows as many whole keys as fit, and then "F1 More" at the right beside the palette's
key. F1 (or ?) opens the keys screen: every key of the screen in the reader's language, the ones the
bar left out too, and Enter presses the one chosen. Descriptions are marked with N_ where they are
bound and translated here, where they are shown.
"""
from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workshop.i18n import N_, _

# Textual names the command palette's key "palette" (the key bar shows it): marked here for translation.
N_("palette")
HELP_KEY = "f1"  # the keys screen, from anywhere (bound by the app; "?" too where no text box has the focus)


def said(description: str) -> str:
    """A key's description in the reader's language (descriptions are msgids; an empty one stays
    empty: gettext would answer "" with the catalog's header)."""
    return _(description) if description else ""


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
        self.cut = False  # whether the last drawing left keys out (then "F1 More" shows)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, key as shown, description in the reader's language, enabled) of every key shown, one
        per action; the command palette's key last."""
        return [(key, display, said(description), enabled) for key, display, description, enabled in self._keys()]

    def _keys(self) -> list[tuple[str, str, str, bool]]:
        shown: dict[str, tuple[str, str, str, bool]] = {}
        palette = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            description = binding.description
            if binding.action.startswith("open_key("):  # a key several screens share: the one it opens here
                entry = self.app.entry_for_key(binding.key)
                if entry is None or not entry.footer:
                    continue
                description = entry.title
            item = (binding.key, self.app.get_key_display(binding), description, enabled)  # (a msgid: keys())
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = item
            elif binding.show and binding.action not in shown and binding.action != "show_keys":
                shown[binding.action] = item
        return list(shown.values()) + ([palette] if palette else [])

    def render(self) -> Text:
        """The keys from the left, as many whole ones as fit; at the right end the palette's key (search)
        and, when keys were left out, F1 for all of them."""
        items = self.keys()
        palette = items.pop() if items and items[-1][0] == self.app.COMMAND_PALETTE_BINDING else None
        width = self.size.width
        right_items = [palette] if palette else []
        right, right_spans = self._draw(right_items)
        line, spans = self._draw(items)
        self.cut = line.cell_len > width - right.cell_len - (1 if right.cell_len else 0)
        if self.cut:
            more = (HELP_KEY, self.app.get_key_display(Binding(HELP_KEY, "show_keys")), _("More"), True)
            right, right_spans = self._draw([more] + right_items)
            room = width - right.cell_len - 1
            spans = [span for span in spans if span[1] <= room]  # whole keys only
            line.truncate(spans[-1][1] if spans else 0)
        self._spans = spans
        if right.cell_len:
            offset = max(width - right.cell_len, line.cell_len)
            line.append(" " * (offset - line.cell_len))
            self._spans += [(start + offset, end + offset, key) for start, end, key in right_spans]
            line.append_text(right)
        line.truncate(width)
        return line

    def _draw(self, items) -> tuple[Text, list[tuple[int, int, str]]]:
        """The keys as one line of text, and where each key sits on it (widths in terminal cells)."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        disabled_style = self.get_component_rich_style("keybar--disabled")
        line = Text(no_wrap=True, overflow="crop")
        spans = []
        for key, display, description, enabled in items:
            start = line.cell_len
            line.append(f" {display} ", key_style if enabled else disabled_style)
            if description:
                line.append(f"{description} ", description_style if enabled else disabled_style)
            spans.append((start, line.cell_len, key))
        return line, spans

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


class KeysScreen(ModalScreen[str | None]):
    """Every key of a screen, in the reader's language: those the key bar shows first, in its order,
    then the others (moving about, tabs, keys the bar had no room for). Enter presses the one chosen;
    keys the role may not use are not listed, disabled ones are greyed."""

    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > Vertical { width: 72; max-width: 100%; height: auto; max-height: 100%;
                            border: thick $primary; background: $panel; padding: 0 1; }
    KeysScreen OptionList { height: auto; max-height: 30; border: none; }
    KeysScreen .muted { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,f1", "close", N_("Close"))]

    def __init__(self, screen) -> None:
        super().__init__()
        self.keys = screen_keys(screen)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Keys of this screen"), classes="title")
            options = []
            for key, display, description, enabled in self.keys:
                text = Text(no_wrap=True, overflow="ellipsis")
                text.append(f"{display:>8} ", "bold")  # (key names are ASCII: one cell each)
                text.append(description)
                options.append(Option(text, id=key, disabled=not enabled))
            yield OptionList(*options, id="keys")
            yield Label(_("Enter presses the key · Esc closes"), classes="muted")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)


def screen_keys(screen) -> list[tuple[str, str, str, bool]]:
    """(key, key as shown, description, enabled) of every key a screen answers with a description,
    one per action: the key bar's first, then the rest; the app's own keys (quit, switch user) last."""
    app = screen.app
    first: dict[str, tuple[str, str, str, bool]] = {}
    rest: dict[str, tuple[str, str, str, bool]] = {}
    for _key, (node, binding, enabled, _tooltip) in screen.active_bindings.items():
        if not binding.description or binding.action in ("show_keys", "command_palette", "app.command_palette"):
            continue
        if not _ours(node, binding):  # (Textual's own widgets' keys: moving a cursor, editing text)
            continue
        description = binding.description
        if binding.action.startswith("open_key("):  # a shared key (F12): the screen it opens for this person
            entry = app.entry_for_key(binding.key)
            if entry is None or (binding.action in first or binding.action in rest):
                continue
            description = entry.title
        item = (binding.key, app.get_key_display(binding), said(description), enabled)
        place = first if binding.show and node is not app else rest
        if binding.action not in first and binding.action not in rest:
            place[binding.action] = item
    return list(first.values()) + list(rest.values())


def _ours(node, binding: Binding) -> bool:
    """Whether this project bound the key (in a screen, widget or the app of screens/), not Textual."""
    for cls in type(node).__mro__:
        if cls.__module__.startswith("textual"):
            continue
        for bound in cls.__dict__.get("BINDINGS", ()):
            action = bound.action if isinstance(bound, Binding) else bound[1]
            if action == binding.action:
                return True
    return False
