"""A DataTable that shows one page of a list that can grow: the loader fetches exactly one page
(LIMIT/OFFSET or a keyset) from workshop/, and > / < move between pages."""
from __future__ import annotations

from typing import Callable, Sequence

from textual.binding import Binding

from screens.tables import Table
from screens.text import cells
from workshop.i18n import N_, _

PAGE_SIZE = 100


class PagedTable(Table):
    """Rows come from ``loader(limit, offset)``, or with ``keyset=True`` from ``loader(limit, after)``
    where ``after`` is the last item of the page before (None for the first): a list that grows long
    (reminders, open calls) then costs the same on its hundredth page as on its first.
    ``render_row(item)`` turns an item into its cells' values, each shown literally (screens/text.py)."""

    BINDINGS = [Binding(">", "next_page", N_("Next page"), show=False),
                Binding("<", "prev_page", N_("Previous page"), show=False)]

    def __init__(self, columns: Sequence[str], render_row: Callable, *, page_size: int = PAGE_SIZE, **kwargs):
        kwargs.setdefault("cursor_type", "row")
        kwargs.setdefault("zebra_stripes", True)
        super().__init__(**kwargs)
        self._columns = columns
        self.render_row = render_row
        self.page_size = page_size
        self.page = 0
        self.items: list = []
        self.loader: Callable[[int, object], list] | None = None
        self.keyset = False
        self.starts: list = [None]  # keyset: the item each page seen starts after

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def load(self, loader: Callable[[int, object], list] | None = None, *, page: int | None = None,
             keyset: bool | None = None) -> None:
        """(Re)load the current page; keeps the cursor on the same row number where it can."""
        if loader is not None:
            self.loader = loader
            self.page = 0
            self.starts = [None]
            self.keyset = bool(keyset)
        if page is not None:
            if self.keyset and page > self.page and self.items:
                self.starts[page:] = [self.items[-1]]
            self.page = max(0, page)
        if self.loader is None:
            return
        row = self.cursor_row
        # One extra row tells whether there is a next page without counting the whole list.
        where = self.starts[self.page] if self.keyset else self.page * self.page_size
        items = self.loader(self.page_size + 1, where)
        self.has_next = len(items) > self.page_size
        self.items = items[:self.page_size]
        self.clear()
        for index, item in enumerate(self.items):
            self.add_row(*cells(*self.render_row(item)), key=str(index))
        if self.items:
            self.move_cursor(row=min(row, len(self.items) - 1))
        self.border_subtitle = self.page_label()

    def page_label(self) -> str:
        if not self.items:
            return _("nothing to show")
        first = self.page * self.page_size + 1
        more = " · " + _("> next page") if self.has_next else ""
        back = " · " + _("< previous") if self.page else ""
        return f"{first}-{first + len(self.items) - 1}{more}{back}"

    @property
    def selected(self):
        if not self.items:
            return None
        return self.items[min(self.cursor_row, len(self.items) - 1)]

    def action_next_page(self) -> None:
        if getattr(self, "has_next", False):
            self.load(page=self.page + 1)

    def action_prev_page(self) -> None:
        if self.page:
            self.load(page=self.page - 1)
