"""Every use of a private name of Textual in this project, each with why and what to ask upstream.

Textual is pinned (``textual==8.2.8`` in pyproject.toml) and tests/test_textual_patches.py fails on
any other version, naming each private name that is gone. At run time, on another version (a
forced upgrade), ``ACTIVE`` is False and the app runs on Textual's public API alone: screens are
then built when first opened rather than ahead, slower but correct. tests/test_private_names.py
fails if a private name of textual, rich or peewee is used anywhere else in screens/, workshop/ or
models/.
"""
from __future__ import annotations

import textual
from textual.app import App
from textual.screen import Screen

TESTED_WITH = "8.2.8"

# The private names used below: methods of these classes, and attributes of their instances.
METHODS = {App: ("_load_screen_css", "_get_screen"), Screen: ("_refresh_layout",)}
INSTANCE_ATTRIBUTES = {Screen: ("_compositor",)}

ACTIVE = textual.__version__ == TESTED_WITH and all(
    callable(getattr(owner, name, None)) for owner, names in METHODS.items() for name in names)


# --- Building a screen out of sight -------------------------------------------------------------------
# Why: a screen's first open costs its compose, mount, first layout and first draw. Measured in a real
# terminal on the large shop (bench/screens.py, 120x40, the manager): the first open of the order,
# audit, cashier, parts and follow-up screens took 109 / 123 / 160 / 195 / 139 ms when built on the
# key press (target 100 ms), against 38 / 52 / 62 / 133 / 95 ms when built ahead while the terminal
# was idle. Textual has no public way to compose, lay out and draw a screen that is not shown:
# push_screen() makes it current (it takes the keys and the terminal), and push_screen(mode=...)
# needs a mode that was switched to, which shows it.
# Upstream: an issue asking for ``App.prepare_screen(screen)`` (an awaitable that composes, mounts,
# lays out and renders an installed screen at the app's size without showing it), the public form
# of the four calls below.

def build_out_of_sight(app: App, name: str) -> None:
    """What push_screen does before it shows a screen: its styles, then its widgets (composed and
    mounted by its own message loop), without making it the current screen."""
    app._load_screen_css(app.get_screen(name))
    app._get_screen(name)


def lay_out_out_of_sight(screen: Screen, app: App) -> None:
    """The first layout of a screen built ahead, at the terminal's size (Textual lays a screen out
    again when it is shown at another size)."""
    screen._refresh_layout(app.size)


def draw_out_of_sight(screen: Screen) -> None:
    """Draw a laid-out screen without sending it to the terminal: the lines its widgets keep make its
    first showing as quick as the ones after."""
    screen._compositor.render_update(full=True)
