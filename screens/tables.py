"""``Table``: Textual's DataTable that keeps its drawn cells when its screen or tab comes back.

Textual restyles a widget when its screen is shown again or focus moves, and DataTable answers by
throwing away every cell it has drawn, although nothing about its look changed. Measured in a real
terminal on the large shop: the parts screen took 114 ms to repaint its 30 rows on return; with the
cells kept, 10 ms. This table drops its drawn cells only when its look did change (a theme switch, a
new style): it compares its own style and its component styles (public) just before it draws, for
the state it is in (focused or not: gaining focus changes the cursor's look, not the cells it drew).
Forgetting the cells is a patch on DataTable's private caches (screens/textual_patches.py); on a
Textual version that patch was not tested with, the table behaves as DataTable does.

Textual also sends a table a resize event each time its tab pane or its screen is shown again, at the
size it already had, and DataTable throws its drawn cells away on every resize. This table keeps them
unless the size did change: the follow-up screen's switch to its reminders tab drew 70 lines of cells
each time, and now draws none.
"""
from __future__ import annotations

from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable

from screens import textual_patches


class Table(DataTable):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.drawn_look: tuple | None = None  # the look its cell styles were worked out for
        self.drawn_looks: dict = {}  # by state (focused...): the look its drawn cells were drawn in
        self.look_checked = False
        self.resized_to: Size | None = None

    def on_resize(self, event: events.Resize) -> None:
        if event.size == self.resized_to:
            event.prevent_default()  # (DataTable's own handler, next, would drop every drawn cell)
        self.resized_to = event.size

    def notify_style_update(self) -> None:
        if not textual_patches.active():
            super().notify_style_update()
            return
        Widget.notify_style_update(self)  # the widget's own style caches; the cells wait for render_lines
        self.look_checked = False
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.look_checked and textual_patches.active():
            look = (self.rich_style, tuple(self.get_component_rich_style(name)
                                           for name in sorted(self.COMPONENT_CLASSES)))
            if look != self.drawn_look:
                self.drawn_look = look
                # DataTable keys its drawn cells by focus state, so a table that gains focus keeps the
                # cells it drew unfocused (and finds its focused ones again): only the state's own look
                # changing makes them stale. Its cell-style cache has no such key.
                textual_patches.forget_cell_styles(self)
                state = (self.has_focus, self.disabled, self.app.app_focus)
                if self.drawn_looks.get(state, look) != look:
                    textual_patches.forget_drawn_cells(self)
                    self.drawn_looks.clear()
                self.drawn_looks[state] = look
            self.look_checked = True
        return super().render_lines(crop)
