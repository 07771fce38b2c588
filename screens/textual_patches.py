"""Every use of a private name of Textual in this project, each with why and what to ask upstream.

Textual is pinned (``textual==8.2.8`` in pyproject.toml) and tests/test_private_names.py fails on
any other version, naming each private name that is gone. At run time, on another version (a
forced upgrade), ``active()`` is False and the app runs on Textual's public API alone: screens are
then built when first opened rather than ahead, slower but correct. tests/test_private_names.py
fails if a private name of textual, rich or peewee is used anywhere else in screens/, workshop/ or
models/.
"""
from __future__ import annotations

from functools import cache

from textual.app import App
from textual.screen import Screen

TESTED_WITH = "8.2.8"


def used() -> tuple[dict, dict]:
    """The private names used below: (methods of these classes, attributes of their instances)."""
    from textual.widgets import DataTable  # (imported when asked: the board does not need it to start)
    methods = {App: ("_load_screen_css", "_get_screen", "_background_screens", "_handle_exception",
                     "_exception_event", "_close_messages_no_wait"), Screen: ("_refresh_layout",),
               DataTable: ("_get_styles_to_render_cell",)}
    instance_attributes = {Screen: ("_compositor",), App: ("_screen_stack", "_exception", "_return_code"),
                           DataTable: ("_row_render_cache", "_cell_render_cache", "_row_renderable_cache",
                                       "_line_cache", "_styles_cache")}
    return methods, instance_attributes


@cache
def active() -> bool:
    """Whether the patches apply: the Textual they were written for, with every name still there. Asked
    after the first frame (textual.__version__ reads the package metadata: 15-20 ms of a cold start)."""
    import textual
    methods, _ = used()
    return textual.__version__ == TESTED_WITH and all(
        hasattr(owner, name) for owner, names in methods.items() for name in names)


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


# --- Tables keep their drawn cells --------------------------------------------------------------------
# Why: DataTable throws away every cell it has drawn whenever it is restyled, although a restyle that
# changes nothing about its look is the usual case (a tab shown again, focus moving to it). Measured
# in a real terminal on the large shop (bench/screens.py, 120x40, the manager), with this patch, the
# restyle skip and the opaque-screen patch below all removed: the parts, cashier and follow-up
# screens took 164 / 118 / 177 ms (p50) to show again and the switch to the reminders tab 314 ms,
# against 9 / 16 / 18 ms and 74 ms with them (the same run). screens/tables.py decides when a look really changed
# (from public styles); what it then forgets are DataTable's private caches.
# Upstream: an issue (with a PR) for DataTable.notify_style_update to compare the component styles
# its cells were drawn with and keep its caches when they are unchanged.

def forget_cell_styles(table) -> None:
    """The cell-style cache (it has no key for focus: a table that gains focus must drop it)."""
    table._get_styles_to_render_cell.cache_clear()


def forget_drawn_cells(table) -> None:
    """What DataTable.notify_style_update clears."""
    table._row_render_cache.clear()
    table._cell_render_cache.clear()
    table._row_renderable_cache.clear()
    table._line_cache.clear()
    table._styles_cache.clear()
    forget_cell_styles(table)


# --- Opaque screens hide the ones below -----------------------------------------------------------------
# Why: Textual 8.2.8 counts the screen below the current one as showing through even when the current
# one is opaque (all but dialogs are here), so every refresh of the board underneath (each live change)
# drew the screen on top again in full: twice per screen opened. Upstream: a PR for
# App._background_screens to stop at the first screen whose background is opaque.

class OpaqueScreens(App):
    """An app whose opaque screens hide the ones below them from the compositor."""

    @property
    def _background_screens(self) -> list[Screen]:
        # (No version check here: it runs for every frame, the first included. On a Textual without
        # these names this property is never asked, or falls back to Textual's own answer.)
        stack = getattr(self, "_screen_stack", None)
        if stack and stack[-1].styles.background.a == 1:
            return []
        return super()._background_screens


# --- Drawn lines that do not refer to themselves --------------------------------------------------------
# Why: Textual 8.2.8's ``Strip.divide`` caches its answer in the strip itself; when the only cut is at
# the strip's end (a line one widget covers, the usual case) that answer is ``[self]``, so the strip
# refers to itself and only the cycle collector can free it. That was half the cyclic garbage a
# screen switch leaves. Measured without it (bench/long_use.py, large shop, 50 rounds, beside the code
# that had it, machine loaded): 22 young collections while working instead of 12, and the middle
# generation collected twice while working (175 ms), never before. Such a strip now answers
# ``[self]`` without caching it. (A public method, replaced: no private name, but a patch all the
# same.) Upstream: a PR for Strip.divide to return ``[self]`` uncached for a cut at its end.

def install_strip_divide() -> None:
    from textual.strip import Strip
    if getattr(Strip.divide, "workshop_patch", False):
        return
    textual_divide = Strip.divide

    def divide(self: Strip, cuts) -> list[Strip]:
        cell_length = self.cell_length
        cuts = [cut for cut in cuts if cut <= cell_length]
        if cuts == [cell_length]:
            return [self]
        return textual_divide(self, cuts)

    divide.workshop_patch = True
    Strip.divide = divide


# --- Unhandled errors never show a traceback ------------------------------------------------------------
# Why: Textual 8.2.8's App._handle_exception ends the app by printing a Rich traceback with
# ``show_locals=True``: the values of every variable of every frame, on the screen of whoever is at the
# terminal. On a read-only database that was the PIN just typed at sign-in (issue 15, item 3). There is no
# public hook for an exception no handler caught. This keeps what Textual does for tests (the first error
# is kept, and run_test() re-raises it) and for closing the app (the terminal is restored), and hands the
# error to the app's public ``unhandled_error(error)`` (screens/app.py: the log and a plain sentence)
# instead of rendering a traceback. Upstream: an issue asking for a public App.on_unhandled_exception
# hook, or for the traceback's locals to be off by default outside ``textual run --dev``.

class UnhandledErrors(App):
    """An app that reports an exception nothing handled through ``unhandled_error(error)``."""

    def unhandled_error(self, error: Exception) -> None:  # pragma: no cover - the app defines it
        raise NotImplementedError

    def survives(self, error: Exception) -> bool:
        """Whether the app shows ``error`` itself and goes on (a database fault), instead of closing."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        # Textual calls this for an exception raised in any handler (a key, a timer, a screen mounting);
        # the handler's message pump goes on unless the app closes, so an app that survives the error
        # returns here and keeps running.
        if self.survives(error):
            return
        if not active():  # another Textual: its own handling, after ours has logged the error
            self.unhandled_error(error)
            return super()._handle_exception(error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        try:
            self.unhandled_error(error)
        finally:
            self._close_messages_no_wait()  # as Textual's _fatal_error does: the app closes
