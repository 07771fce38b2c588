"""``Table``: Textual's DataTable that keeps its drawn cells when its screen comes back.

Textual restyles every widget of a screen each time the screen is shown again, and DataTable answers
by throwing away every cell it has drawn, although nothing about its look changed. Measured in a real
terminal on the large shop: the parts screen took 114 ms to repaint its 30 rows on return; with the
cells kept, 10 ms. This table drops its drawn cells only when its look did change (a theme switch,
a new style): it compares its own style and its component styles just before it draws, for the
state it is in (focused or not: gaining focus changes the cursor's look, not the cells it drew).

Textual also sends a table a resize event each time its tab pane or its screen is shown again, at
the size it already had, and DataTable throws its drawn cells away on every resize. This table
keeps them unless the size did change: the follow-up screen's switch to its reminders tab drew 70
lines of cells each time, and now draws none.
"""
from __future__ import annotations

from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable


class Table(DataTable):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._look: tuple | None = None
        self._looks: dict = {}  # by pseudo-class state (focus...): the look its drawn cells were drawn in
        self._look_checked = False
        self._resized_to: Size | None = None

    def _on_resize(self, event: events.Resize) -> None:
        if event.size == self._resized_to:
            event.prevent_default()  # (DataTable's handler would drop every drawn cell)
        self._resized_to = event.size

    def notify_style_update(self) -> None:
        Widget.notify_style_update(self)  # the widget's own style caches; the cells wait for render_lines
        self._look_checked = False
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self._look_checked:
            look = (self.rich_style, tuple(self.get_component_rich_style(name)
                                           for name in sorted(self.COMPONENT_CLASSES)))
            if look != self._look:
                self._look = look
                # DataTable keys its drawn cells by pseudo-class state, so a table that gains focus
                # keeps the cells it drew unfocused (and finds its focused ones again): only the
                # state's own look changing makes them stale. Its cell-style cache has no such key.
                self._get_styles_to_render_cell.cache_clear()
                state = self._pseudo_class_state
                if self._looks.get(state, look) != look:
                    self._forget_drawn_cells()
                    self._looks.clear()
                self._looks[state] = look
            self._look_checked = True
        return super().render_lines(crop)

    def _forget_drawn_cells(self) -> None:
        # What DataTable.notify_style_update clears (Textual is pinned in pyproject.toml).
        self._row_render_cache.clear()
        self._cell_render_cache.clear()
        self._row_renderable_cache.clear()
        self._line_cache.clear()
        self._styles_cache.clear()
        self._get_styles_to_render_cell.cache_clear()
