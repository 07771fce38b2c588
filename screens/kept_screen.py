"""``KeptScreen``: the base of the screens a terminal keeps between opens (screens/kept.py).

Textual restyles every widget of a screen each time it is pushed again (its CSS is applied to every
node anew), in case the app's styles changed while it was away. On the large shop that was most of a
screen's opening: 45 ms of the cashier's, against 18 ms without it (a real terminal, 120x40). A kept
screen is restyled only when what its styles depend on beyond its own widgets did change: the theme,
the terminal's colours or whether the terminal has focus (a screen's stylesheet, read when another
screen is first built, restyles every screen there and then). Its widgets' own
changes (classes, focus, disabled) restyle them when they happen, shown or not. Public API only:
``ScreenResume.refresh_styles``, which this screen's handler sets before Screen's own reads it.
"""
from __future__ import annotations

from textual import events
from textual.screen import Screen


def styled_as(app) -> tuple:
    """What a kept screen's styles depend on beyond its own widgets."""
    return app.theme, app.ansi_color, app.app_focus


class KeptScreen(Screen):
    styled_for: tuple | None = None  # styled_as() when its styles were last brought up to date

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        now = styled_as(self.app)
        if self.styled_for == now:
            event.refresh_styles = False  # (Screen's own handler runs after this one and reads it)
        self.styled_for = now
