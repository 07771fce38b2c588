"""``KeptScreen``: the base of the screens a terminal keeps between opens (screens/kept.py).

Shown again, a kept screen is restyled and redrawn by Textual as any pushed screen is: a restyle skip
and a table that kept its drawn cells (private Textual 8.2.8 state) saved 10-30 ms of an open shown
again, which stays within the 100 ms target without them (README, "Benchmarks").
"""
from __future__ import annotations

from textual.screen import Screen


class KeptScreen(Screen):
    """A screen built once per sign-in and shown again and again (see screens/kept.py)."""
