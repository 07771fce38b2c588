"""Kept screens: the screens a terminal opens again and again (parts, QC, cashier, follow-up, audit...)
are built once per sign-in and kept when the user goes back to the board.

Building a Textual screen (its widgets, their styles, the first layout) took 150-500 ms on the large
shop; showing a kept one again takes 30-60 ms. A kept screen away from the stack misses the live
changes, so they are gathered while it is away and handed to it when it comes back. Screens the
signed-in role may open are built ahead, one at a time, while the terminal is idle, then laid out and
drawn out of sight (Textual keeps the drawn lines), so that even the first open is as quick as the next.
Textual has no public way to do that: the three steps are patches (screens/textual_patches.py), and
on a Textual version they were not tested with, nothing is built ahead.
"""
from __future__ import annotations

from textual.screen import Screen

from screens import registry, textual_patches
from screens.kept_screen import KeptScreen, styled_as
from workshop.feed import Changes
from workshop.permissions import can

ORDER_SCREEN = "order"  # the one order screen, shown for one order after another


class KeptScreens:
    def __init__(self, app) -> None:
        self.app = app
        self.missed: dict[str, Changes | None] = {}  # by screen name: changes made while it was away
        self._unlaid: list[str] = []  # built ahead, not laid out yet
        self._undrawn: list[str] = []  # laid out, not drawn yet
        self._started: set[str] = set()  # built out of sight (mounting, or mounted)

    def open(self, entry: registry.ScreenEntry, screen_class) -> None:
        """Show the entry's screen: the kept one if there is one (caught up), else a new one, kept."""
        screen = self._install(entry.name, screen_class)
        missed = self.missed.get(entry.name)
        self._show(entry.name)
        if missed and hasattr(screen, "refresh_from_changes"):
            screen.refresh_from_changes(missed)

    def open_order(self, order_id: int) -> None:
        """Show one repair order on the kept order screen (built on the first open, then reused)."""
        from screens.order_detail import OrderDetailScreen
        built = self.app.is_screen_installed(ORDER_SCREEN)
        screen = self._install(ORDER_SCREEN, lambda: OrderDetailScreen(order_id))
        self._show(ORDER_SCREEN)
        if built:
            screen.show_order(order_id)  # read afresh whatever it missed: it is one order, a few queries

    def _show(self, name: str) -> None:
        """Make the kept screen current: back down to it if it is on the stack, else on top."""
        app, screen = self.app, self.app.get_screen(name)
        if screen in app.screen_stack:
            while app.screen is not screen:
                app.pop_screen()
        else:
            app.push_screen(screen)
        self.missed[name] = None

    def note(self, changes: Changes) -> None:
        """Live changes arrived: remember them for the kept screens that are away."""
        for name, missed in self.missed.items():
            if self.app.get_screen(name) not in self.app.screen_stack:
                self.missed[name] = changes if missed is None else missed.merged(changes)

    def building(self) -> bool:
        """Whether a screen built ahead is still being composed and mounted: removing it now (a sign-out,
        the app closing) would cut its mounting short and its handlers would fail on missing widgets."""
        for name in self.missed:
            screen = self.app.get_screen(name)
            if name in self._started and not screen.is_mounted:
                return True
        return False

    def forget(self) -> None:
        """A new sign-in starts with fresh screens (another role sees other keys and other lists)."""
        if self.building():  # once it is mounted
            self.app.set_timer(0.05, self.forget)
            return
        for name in list(self.missed):
            screen = self.app.get_screen(name)
            if screen not in self.app.screen_stack:
                self.app.uninstall_screen(name)
                del self.missed[name]
                self._started.discard(name)
                if screen.is_running:
                    screen.remove()  # as Textual removes a popped screen that is not installed

    def drop(self, screen: Screen) -> None:
        """A kept screen that failed while it was built (its database went away mid-mount): forgotten, so
        that it is built again, whole, when it is next opened or built ahead."""
        for name in list(self.missed):
            if self.app.is_screen_installed(name) and self.app.get_screen(name) is screen:
                self._started.discard(name)
                for pending in (self._unlaid, self._undrawn):
                    while name in pending:
                        pending.remove(name)
                if screen not in self.app.screen_stack:
                    self.app.uninstall_screen(name)
                    del self.missed[name]
                    if screen.is_running:
                        screen.remove()

    def build_next(self, staff) -> bool:
        """One step of building ahead, each a tick apart so that Textual handles its messages in between:
        draw the screen laid out last time, lay out the one built last time, build the next screen
        ``staff`` may open (the order screen first); False when there is nothing left to do."""
        if not textual_patches.active():
            return False
        while self._undrawn:
            self._draw(self._undrawn.pop())
        for name in list(self._unlaid):
            if self._lay_out(name):  # (not yet if its widgets are still being mounted: next step)
                self._unlaid.remove(name)
        # The order screen first: Enter on a card is what every role does most, often within seconds
        # of signing in, and on a busy machine building all the others ahead takes longer than that.
        if not self.app.is_screen_installed(ORDER_SCREEN):
            from screens.order_detail import OrderDetailScreen
            self._build(ORDER_SCREEN, self._install(ORDER_SCREEN, lambda: OrderDetailScreen(None)))
            return True
        for entry in registry.ENTRIES:
            if (entry.keep and entry.ahead and entry.name != "board" and entry.name not in self.missed
                    and (entry.action is None or can(staff, entry.action))):
                screen_class = registry.load(entry)
                if screen_class is None:
                    continue
                self._build(entry.name, self._install(entry.name, screen_class))
                return True
        return bool(self._undrawn or self._unlaid)

    def _build(self, name: str, screen: Screen) -> None:
        self._started.add(name)
        textual_patches.build_out_of_sight(self.app, name)
        self._unlaid.append(name)

    def _away(self, name: str) -> Screen | None:
        """The kept screen of this name if it is built and away from the stack."""
        if self.app.is_screen_installed(name):
            screen = self.app.get_screen(name)
            if screen.is_running and screen not in self.app.screen_stack:
                return screen
        return None

    def _lay_out(self, name: str) -> bool:
        """The first layout of a screen built ahead, at the terminal's size, once its widgets are mounted
        (False: not yet). Textual lays a screen out again when it comes back at another size."""
        screen = self._away(name)
        if screen is None:
            return True  # shown or gone meanwhile: nothing to do out of sight
        if not screen.is_mounted:
            return False
        textual_patches.lay_out_out_of_sight(screen, self.app)
        self._undrawn.append(name)
        return True

    def _draw(self, name: str) -> None:
        """Draw a laid-out screen off screen (its widgets have had their resize events by now): the lines
        its widgets keep make its first showing as quick as the ones after (tables: 100 ms less)."""
        screen = self._away(name)
        if screen is not None:
            textual_patches.draw_out_of_sight(screen)
            if isinstance(screen, KeptScreen):
                screen.styled_for = styled_as(self.app)  # styled when mounted: its first showing needs no restyle

    def _install(self, name: str, make) -> Screen:
        """The kept screen of this name, made (by calling ``make``) and installed if there is none."""
        if not self.app.is_screen_installed(name):
            self.app.install_screen(make(), name)
            self.missed[name] = None
        return self.app.get_screen(name)
