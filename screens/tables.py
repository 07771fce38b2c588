"""``Table``: the DataTable every list screen shows.

One class for the project's tables, so that a change to how all of them look or behave is made once.
It used to keep its drawn cells across restyles and same-size resizes through DataTable's private
caches; Textual's public behaviour redraws them, which costs a screen shown again a few milliseconds
(README, "Benchmarks").
"""
from __future__ import annotations

from textual.widgets import DataTable


class Table(DataTable):
    """Textual's DataTable (the screens' lists)."""
