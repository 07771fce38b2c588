"""The terminal application: sign-in, the screens a role may open, the live change feed, idle sign-out."""
from __future__ import annotations

import asyncio
import os
import threading
import time
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from models.db import (WRITE_DEADLINE_S, WRITE_NOTICE_S, is_postgres, leave_checkpoints_to_watch, own_connection,
                       set_wait_listener)
from models.people import ROLE_LABELS
from screens import collector, registry
from screens.textual_patches import OpaqueScreens, UnhandledErrors, install_strip_divide
from screens.kept import KeptScreens
from screens.keybar import KeysScreen
from screens.live_search import DEBOUNCE_S
from screens.text import clean, content
from workshop import accounts, faults, i18n, settings
from workshop.actor import Actor
from workshop.errors import DomainError
from workshop.feed import ChangeFeed, ChangeWatcher
from workshop.i18n import N_, _
from workshop.permissions import can

POLL_SECONDS = 0.2  # a database in memory (no watcher): how often to read the event table
RULES_EVERY_S = 600  # how often a signed-in terminal runs the time-driven rules (workshop/daily.py)
BUILD_AHEAD_EVERY_S = 1.0  # one screen built ahead per idle second
SIGNOUT_RECHECK_S = 600.0  # the idle sign-out's timer wakes at least this rarely (its setting may change)
WATCH_SECONDS = 0.05  # SQLite: how often the watcher thread asks whether anyone committed
BUILD_AGAIN_AFTER_FAULT_S = 30.0  # screens built ahead start again this long after a database fault
FAULT_REPEAT_S = 5.0  # a database fault met again and again (timers, keys) is said at most this often

install_strip_divide()


def _sign_out(staff: Actor, why: dict) -> None:
    """(In a worker: the sign-out's audit row is a write like any other.) ``why``: accounts.sign_out's
    keywords (idle_minutes, idle_seconds, after_action)."""
    from models.db import own_connection
    with own_connection():
        accounts.sign_out(staff, **why)


def _hit_text(matcher, value: str):
    """A hit as the palette shows it: the text literally (``Matcher.highlight`` reads it as markup),
    the letters that matched the query highlighted."""
    text = clean(value)
    shown = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if not text[offset].isspace():
            shown = shown.stylize(matcher.match_style, offset, offset + 1)
    return shown


def _find_orders(query: str, shop: int | None = None) -> tuple[list, list]:
    """The palette's orders for ``query``: active ones, then the history's (in a worker thread, on a
    connection of its own)."""
    from workshop.board import search_active
    from workshop.search import search as search_history
    with own_connection():
        # The active orders are the terminal's shop's (its board); the history is the group's (a car's visits
        # at every shop).
        return search_active(query, limit=20, shop=shop), search_history(query, limit=10)


class OrderSearch(Provider):
    """Command palette: find an order by plate, RO number, customer, phone or VIN (active ones first,
    then the history), and open it. The search runs in a thread once typing pauses: each key cancels
    the search of the key before (the palette does), so typing never waits for a query."""

    async def search(self, query: str) -> Hits:
        from workshop.lifecycle import label
        app = self.app
        if app.staff is None or len(query.strip()) < 2:
            return
        await asyncio.sleep(DEBOUNCE_S)
        try:
            from workshop import shops
            cards, history = await asyncio.to_thread(_find_orders, query, shops.scope(app.staff))
        except DomainError:
            return
        matcher = self.matcher(query)
        seen = set()
        for card in cards:
            seen.add(card.id)
            text = f"{_('RO {number}').format(number=card.number)}  {card.plate}  {card.customer}  ({label(card.state)})"
            # (help is read as markup unless it is Content already)
            yield Hit(max(matcher.match(text), 0.5), _hit_text(matcher, text), partial(app.open_order, card.id),
                      text=clean(text), help=content(_("{model} · advisor {advisor}").format(
                          model=card.model, advisor=card.advisor)))
        # The whole history too: earlier visits by RO number, plate, phone, VIN or name (index lookups).
        for hit in history:
            if hit.order_id in seen:
                continue
            text = f"{_('RO {number}').format(number=hit.number)}  {hit.plate}  {hit.customer}  ({label(hit.state)})"
            yield Hit(max(matcher.match(text), 0.3), _hit_text(matcher, text), partial(app.open_order, hit.order_id),
                      text=clean(text), help=content(_("{model} · in {day} · {mobile}").format(
                          model=hit.model, day=f"{hit.time_in:%Y-%m-%d}", mobile=hit.mobile)))


class ScreenCommands(Provider):
    """Command palette: the screens the signed-in role may open."""

    def _entries(self):
        return [e for e in registry.ENTRIES
                if self.app.staff is not None and (e.action is None or can(self.app.staff, e.action))
                and registry.load(e) is not None]

    def _text(self, entry) -> str:
        """"Open Audit (F9)": the key only where it opens this screen for this person (F12 is shared)."""
        title = _("Open {screen}").format(screen=_(entry.title))
        keyed = entry.key and self.app.entry_for_key(entry.key) is entry
        return f"{title} ({entry.key.upper()})" if keyed else title

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(Content(self._text(entry)), partial(self.app.open_screen, entry.name),
                               help=content(_(entry.help)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            text = self._text(entry)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _hit_text(matcher, text), partial(self.app.open_screen, entry.name),
                          text=text, help=content(_(entry.help)))


def _file_search():
    """The palette's customer and vehicle files (imported when the palette first opens, not at start-up)."""
    from screens.customer_file import FileSearch
    return FileSearch


def _screen_of(error: BaseException) -> Screen | None:
    """The screen whose widget's handler raised ``error`` (the innermost widget method in its traceback)."""
    from textual.widget import Widget
    found, trace = None, error.__traceback__
    while trace is not None:
        owner = trace.tb_frame.f_locals.get("self")  # which object's method ran there (nothing is shown or logged)
        if isinstance(owner, Widget):
            found = owner if isinstance(owner, Screen) else found
            try:
                found = owner.screen
            except Exception:  # noqa: BLE001 - a widget not (or no longer) on a screen
                pass
        trace = trace.tb_next
    return found


class WorkshopApp(UnhandledErrors, OpaqueScreens):
    TITLE = N_("Workshop")  # (translated in the header: _set_staff, show_sign_in)
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ScreenCommands, OrderSearch, _file_search}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), priority=True),
        Binding("ctrl+c", "quit", N_("Quit"), show=False, priority=True),
        Binding("ctrl+u", "switch_user", N_("Switch user")),
        Binding("f1,question_mark", "show_keys", N_("All keys"), show=False),
    ] + [Binding(key, f"open_key('{key}')", next(e.title for e in registry.ENTRIES if e.key == key),
                 show=any(e.footer for e in registry.ENTRIES if e.key == key)) for key in registry.keys()]

    class DatabaseChanged(Message):
        """Some connection committed (posted by the change watcher's thread)."""

    class CodeLoaded(Message):
        """Every screen's code is imported (posted by the start-up worker)."""

    def __init__(self, *, first_run_message: str | None = None, auto_staff=None,
                 poll_seconds: float = POLL_SECONDS, watch_seconds: float = WATCH_SECONDS,
                 build_ahead: bool = True, time_rules: bool = True, shop_floor: bool = False):
        super().__init__()
        # A shared shop-floor terminal (workshop --shop-floor): sign-in by badge number and PIN, a technician
        # lands on their own jobs, and is signed out after a clock action or a short idle time.
        self.shop_floor = shop_floor
        # No animations unless asked for (TEXTUAL_ANIMATIONS=full): over SSH every frame of a sliding
        # tab underline or a smooth scroll is sent, and the underline's twenty frames made switching
        # to the reminders tab take 50-100 ms instead of 20 (large shop, 120x40).
        self.animation_level = os.environ.get("TEXTUAL_ANIMATIONS", "none")  # type: ignore[assignment]
        self.build_ahead = build_ahead
        self.time_rules = time_rules
        self.escalations_told: dict[int, int] = {}  # staff id -> escalated complaints they were told of
        self.staff: Actor | None = None  # who this terminal acts for: plain data, never a database row
        # Signed in by the SSH map (the Unix login is the person): no idle sign-out until someone
        # switches user on this terminal; from then on it is a shared terminal like any other.
        self.mapped_session = False
        self.sign_in_source = accounts.terminal_source()  # where this terminal's PINs come from (back-off)
        self.first_run_message = first_run_message
        self.auto_staff = Actor.of(auto_staff) if auto_staff is not None else None
        self.poll_seconds = poll_seconds
        self.feed: ChangeFeed | None = None
        self.kept = KeptScreens(self)
        self._building: Timer | None = None
        self._collecting: Timer | None = None
        self._exit_by: dict = {}  # (exit waits at most until then for a screen being built)
        self.watcher = ChangeWatcher(lambda: self.post_message(self.DatabaseChanged()), watch_seconds)
        self.last_input = time.monotonic()
        # The terminal's own language (LANG and friends); whoever signs in may read another, and the
        # terminal goes back to this one when they sign out.
        self.terminal_language = i18n.set_language(i18n.language_from_environment())
        self.title = _(self.TITLE)
        self.fault_message: str | None = None  # why the app stopped, printed once the terminal is restored
        self._fault_said_at = float("-inf")  # when a database fault was last said (database_fault)
        self._loop_thread: int | None = None

    # --- start, sign-in, sign-out -------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """Signed in already (an SSH login): the board is the first screen, drawn in the first frame."""
        if self.auto_staff is not None:
            from screens.board import BoardScreen
            from workshop import shops
            try:  # the terminal's shop: the configured one, else their home shop
                self.auto_staff = shops.at_sign_in(self.auto_staff)
            except DomainError as error:  # not a shop they work in: they sign in as anyone else would
                self.first_run_message = str(error)
                self.auto_staff = None
                return Screen(id="_default")
            self._set_staff(self.auto_staff)
            self.mapped_session = True
            return BoardScreen()
        return Screen(id="_default")

    def on_mount(self) -> None:
        self._loop_thread = threading.get_ident()
        set_wait_listener(self._write_waiting)
        if is_postgres():  # read in commit order (workshop/pg_feed.py)
            from workshop.pg_feed import CommitOrderFeed
            self.feed = CommitOrderFeed()
        else:
            self.feed = ChangeFeed()
        if self.staff is None:
            self.show_sign_in()

    def _listen(self) -> None:
        """Hear other terminals' changes (started once the first frame is out: a thread and a connection
        less before it), and catch up with any made since the feed was opened."""
        import models
        models.load_all()  # (the first frame loaded only the board's models: now every backref exists)
        if is_postgres():  # a thread LISTENs: woken by the NOTIFY each commit of an event sends
            from workshop.pg_feed import NotifyWatcher
            self.watcher = NotifyWatcher(lambda: self.post_message(self.DatabaseChanged()))
            self.watcher.start()
        elif self.watcher.start():  # SQLite: a thread tells us of commits and checkpoints the WAL
            leave_checkpoints_to_watch()
        else:  # a database in memory: ask the event table on a timer
            self.set_interval(self.poll_seconds, self.poll_changes)
        self.catch_up()
        # No timer wakes an idle terminal for nothing: the sign-out and the collections in pauses are
        # one-shot timers armed by activity (a key, a click, a live change), and they end with it.
        self._arm_signout()
        # The time-driven rules: now (after the first frame), then every RULES_EVERY_S (one wake-up in ten
        # minutes; nothing is drawn unless they changed something).
        self.set_interval(RULES_EVERY_S, self.run_time_rules)
        self.run_time_rules()
        self.walk_through_set_up()  # signed in already (SSH): a shop not ready opens its set-up

    def show_sign_in(self) -> None:
        if self.shop_floor:
            from screens.badge_signin import BadgeSignInScreen
            self.push_screen(BadgeSignInScreen(message=self.first_run_message), callback=self._after_sign_in)
            return
        from screens.signin import SignInScreen
        self.push_screen(SignInScreen(message=self.first_run_message), callback=self._after_sign_in)

    def _after_sign_in(self, staff: Actor | None) -> None:
        if staff is None:
            self.exit()
        else:
            self.signed_in(staff)

    def _set_staff(self, staff) -> None:
        self.staff = Actor.of(staff)
        self.escalations_told = {}  # told again at each sign-in
        # Their language from now on: every screen is built for them after this (the previous person's
        # were dropped at sign-out).
        i18n.set_language(self.staff.language or self.terminal_language)
        self.title = _(self.TITLE)
        roles = i18n.join(i18n.label(ROLE_LABELS, r) for r in self.staff.roles)
        shop = f" · {self.staff.shop_code}" if self.staff.shop_code else ""  # (a group's terminal: which shop)
        self.sub_title = clean(f"{self.staff.name} · {roles}{shop}")  # (the header shows it literally)
        self.last_input = time.monotonic()

    def signed_in(self, staff: Actor) -> None:
        from workshop import shops
        options = shops.choices(staff)
        if options:  # a group's terminal not fixed to a shop, someone who works in several: which one today?
            from screens import forms
            from screens.forms import FormDialog

            def chosen(values: dict | None) -> None:  # (Escape: their home shop)
                self._signed_in(shops.working_in(staff, values["shop"]) if values else staff)

            self.push_screen(FormDialog(_("Which shop do you work in now?"), [
                forms.choice("shop", _("Shop"), [(f"{row.code} · {row.name}", row.id) for row in options],
                             value=staff.shop_id)], submit_label=_("Sign in")), callback=chosen)
            return
        self._signed_in(staff)

    def _signed_in(self, staff: Actor) -> None:
        self._set_staff(staff)
        self.show_board()
        if self.shop_floor and can(self.staff, "my_jobs"):
            self.open_screen("myjobs")  # a technician at the shop-floor terminal: straight to their jobs
        self.build_screens_ahead()
        self.call_after_refresh(self.run_time_rules)
        self.call_after_refresh(self.walk_through_set_up)

    def walk_through_set_up(self) -> None:
        """A shop that cannot check a car in yet opens its set-up for whoever may set it up, at the list of
        what is still missing."""
        if self.staff is None or not can(self.staff, "shop_setup"):
            return
        from workshop.setup_status import status
        if not status().ready:
            self.open_screen("setup")
            self.notify(_("This shop is not ready for its first check-in yet: the set-up says what is missing."))

    def after_floor_action(self, done: str) -> None:
        """A technician's clock action at a shop-floor terminal is done: they are signed out at once (setting
        ``shopfloor_signout_after_action``), and the terminal says what was done for whom."""
        if not self.shop_floor or self.staff is None or not settings.get("shopfloor_signout_after_action"):
            return
        name = self.staff.name
        self.action_switch_user(after_action=True)
        self.notify(_("{done} · {name} is signed out.").format(done=done, name=name), timeout=8)

    def run_time_rules(self) -> None:
        """Escalations and other time-driven rules (workshop/daily.py), in a worker: any signed-in
        terminal keeps them going, whichever screens it has open (they are idempotent)."""
        if self.staff is None or not self.time_rules:
            return

        staff = self.staff

        def work() -> None:
            from models.db import own_connection
            from workshop import callbacks, daily
            with own_connection():
                if any(daily.run().values()):
                    self.post_message(self.DatabaseChanged())  # (thread-safe) show what changed
                escalated = callbacks.escalated_to(staff.id)
                notice = callbacks.escalation_notice(staff.id)
            try:
                self.call_from_thread(self._tell_escalations, staff.id, escalated, notice)
            except RuntimeError:  # the app closed meanwhile
                pass

        self.run_worker(work, thread=True, group="time-rules", exclusive=True, exit_on_error=False)

    def _tell_escalations(self, staff_id: int, count: int, notice: str | None) -> None:
        """"2 complaints escalated to you": at sign-in, and again when one more is escalated to them."""
        told = self.escalations_told.get(staff_id, 0)
        if self.staff is not None and self.staff.id == staff_id and notice and count > told:
            self.notify(notice + " · " + _("F8: the follow-up screen shows them first."), severity="warning",
                        timeout=30)
        self.escalations_told[staff_id] = count

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification is plain text: messages name customers, parts and reasons as typed, and
        Textual would read them as markup (``[HK]`` vanishes, ``[/]`` raises)."""
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(clean(message, multiline=True), title=clean(title), severity=severity, markup=False,
                       **kwargs)

    def show_board(self) -> None:
        """Back to the signed-in member's board, under every other screen."""
        from screens.board import BoardScreen
        while len(self.screen_stack) > 1 and not self._is_own_board(self.screen_stack[-1]):
            self.pop_screen()
        if not self._is_own_board(self.screen_stack[-1]):
            self.push_screen(BoardScreen())

    def _is_own_board(self, screen: Screen) -> bool:
        from screens.board import BoardScreen
        return isinstance(screen, BoardScreen) and screen.staff_id == getattr(self.staff, "id", None)

    def action_switch_user(self, **why) -> None:
        """Sign out and show the sign-in; ``why``: accounts.sign_out's keywords (none: signed out by themself)."""
        if self.staff is not None:
            self.run_worker(partial(_sign_out, self.staff, why), thread=True, exit_on_error=False)
        self.staff = None
        self.mapped_session = False
        self.sub_title = ""
        i18n.set_language(self.terminal_language)  # the next person signs in on the terminal's language
        self.title = _(self.TITLE)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.call_after_refresh(self.kept.forget)  # once the pops are done
        self.first_run_message = None
        self.show_sign_in()

    def action_export_list(self) -> None:
        """Write the list the current screen shows (all of it, not just the page) as CSV and .xlsx."""
        export_list = getattr(self.screen, "export_list", None)
        if export_list is None:
            return
        listed = export_list()
        if listed is None:  # (the screen said why there is nothing to write)
            return
        name, rows = listed
        words = i18n.Words(i18n.language())

        def write() -> None:
            from workshop.export import export_both
            try:
                paths = export_both(name, rows, words=words)
            except OSError as error:
                self.call_from_thread(self.notify, i18n._("The list could not be written: {error}").format(
                    error=error), severity="error")
                return
            self.call_from_thread(self.notify, i18n._("{count} rows written: {csv} and {xlsx}").format(
                count=len(rows), csv=paths[0], xlsx=paths[1].name))

        self.run_worker(write, thread=True, exit_on_error=False)

    def action_choose_language(self) -> None:
        """The signed-in person picks the language they read; every screen is built again in it."""
        from screens.language import LanguageChoice

        def chosen(code: str | None) -> None:
            if code is None or self.staff is None:
                return
            from workshop.errors import DomainError
            try:
                staff = accounts.set_language(self.staff.id, code, by=self.staff)
            except DomainError as error:
                self.notify(str(error), severity="error")
                return
            self._set_staff(staff)
            while len(self.screen_stack) > 1:  # screens built in the old language go
                self.pop_screen()
            self.call_after_refresh(self.kept.forget)
            self.call_after_refresh(self.show_board)

        self.push_screen(LanguageChoice(i18n._("The language you read"), self.staff.language), chosen)

    def on_key(self, event) -> None:
        self.last_input = time.monotonic()
        self._arm_idle_collection()

    def on_mouse_down(self, event) -> None:
        self.last_input = time.monotonic()
        self._arm_idle_collection()

    def idle_limit(self) -> int:
        """Seconds without a key before the terminal signs out (0: never): a shop-floor terminal's own
        short setting, else the minutes every terminal has."""
        if self.shop_floor:
            return int(settings.get("shopfloor_idle_seconds"))
        return int(settings.get("idle_signout_minutes")) * 60

    def _arm_signout(self) -> None:
        """Wake when the idle sign-out would be due (keys pressed meanwhile put it off again)."""
        limit = self.idle_limit()
        due = self.last_input + limit - time.monotonic() if limit > 0 else SIGNOUT_RECHECK_S
        self.set_timer(max(1.0, min(due + 0.5, SIGNOUT_RECHECK_S)), self.idle_signout)

    def idle_signout(self) -> None:
        self._arm_signout()
        limit = self.idle_limit()
        if self.staff is None or self.mapped_session or limit <= 0:
            return
        if time.monotonic() - self.last_input > limit:
            name = self.staff.name
            if limit < 120:
                self.action_switch_user(idle_seconds=limit)
                self.notify(_("{name} was signed out after {seconds} seconds without input.").format(
                    name=name, seconds=limit))
                return
            minutes = limit // 60
            self.action_switch_user(idle_minutes=minutes)
            self.notify(_("{name} was signed out after {minutes} minutes without input.").format(
                name=name, minutes=minutes))

    # --- navigation ----------------------------------------------------------------------------------
    def entry_for_key(self, key: str):
        """The screen a function key opens for the signed-in person: the first entry of that key they may
        open (F12 is a manager's set-up, an advisor's appointments), else the first (which says who may)."""
        entries = [e for e in registry.ENTRIES if e.key == key]
        if not entries:
            return None
        return next((e for e in entries if self.staff is not None and (e.action is None or can(self.staff, e.action))),
                    entries[0])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A screen's key shown in every key bar (``footer``) shows only to those who may open it."""
        if action == "open_key" and parameters:
            entry = self.entry_for_key(str(parameters[0]))
            if entry is not None and entry.footer and (
                    self.staff is None or (entry.action is not None and not can(self.staff, entry.action))
                    or type(self.screen).__name__ == entry.target.split(":")[1]):  # (not on its own screen)
                return False
        return True

    def action_open_key(self, key: str) -> None:
        entry = self.entry_for_key(key)
        if entry is not None:
            self.open_screen(entry.name)

    def action_open_screen(self, name: str) -> None:
        self.open_screen(name)

    def open_screen(self, name: str) -> None:
        if self.staff is None:
            return
        entry = next(e for e in registry.ENTRIES if e.name == name)
        if entry.action is not None and not can(self.staff, entry.action):
            from workshop.permissions import MATRIX
            from models.people import ROLE_LABELS
            from workshop.i18n import label
            who = i18n.join(sorted(label(ROLE_LABELS, r) for r in MATRIX[entry.action][1]))
            self.notify(_("{screen} is for {roles}.").format(screen=_(entry.title), roles=who), severity="warning")
            return
        screen_class = registry.load(entry)
        if screen_class is None:
            self.notify(_("{screen} is not available in this version.").format(screen=_(entry.title)),
                        severity="warning")
            return
        if name == "board":
            self.show_board()
            return
        if type(self.screen) is screen_class:
            return
        if entry.keep:
            self.kept.open(entry, screen_class)
        else:
            self.push_screen(screen_class())

    def open_order(self, order_id: int) -> None:
        self.kept.open_order(order_id)

    def open_warranty_claim(self, claim_id: int) -> None:
        """The warranty claims screen with one claim open on it (from a warranty order's screen)."""
        self.open_screen("warranty")
        if hasattr(self.screen, "open_claim"):
            self.screen.open_claim(claim_id)

    def get_system_commands(self, screen):
        """The palette's commands, in the reader's language (Textual's own are English: ours replace
        them, calling the same public actions)."""
        yield SystemCommand(_("Keys"), _("Every key of this screen (F1)"), self.action_show_keys)
        yield SystemCommand(_("Theme"), _("Change the colours"), self.action_change_theme)
        yield SystemCommand(_("Screenshot"), _("Save an SVG picture of the screen"), self.action_save_screenshot)
        yield SystemCommand(_("Quit"), _("Leave the workshop terminal"), self.action_quit)
        if self.staff is not None:
            yield SystemCommand(_("Switch user"), _("Sign out and let someone else sign in"),
                                self.action_switch_user)
            yield SystemCommand(i18n._("Language / 语言"), i18n._("The language you read, on every terminal"),
                                self.action_choose_language)
            if hasattr(screen, "export_list"):
                yield SystemCommand(i18n._("Export this list"), i18n._("Write it as CSV and Excel (.xlsx) files"),
                                    self.action_export_list)

    def action_show_keys(self) -> None:
        """Every key of the current screen (the key bar shows those that fit); Enter presses one."""
        if isinstance(self.screen, KeysScreen):
            return
        self.push_screen(KeysScreen(self.screen), lambda key: self.call_after_refresh(self.simulate_key, key)
                         if key else None)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the reader's language."""
        from textual.command import CommandPalette
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search: plate, RO number, "
                                                                                  "customer, or a command…")))

    def action_change_theme(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def action_save_screenshot(self) -> None:
        def save() -> None:
            try:
                path = self.save_screenshot()
            except OSError as error:
                self.notify(_("The screenshot could not be saved: {error}").format(error=error), severity="error")
                return
            self.notify(_("Screenshot saved: {path}").format(path=path))

        self.set_timer(0.1, save)  # (after the palette has closed: the picture is of the screen below)

    # --- live changes ----------------------------------------------------------------------------------
    def poll_changes(self) -> None:
        """On a timer (databases without a change watcher): did another terminal commit? If so, tell
        the screens what changed."""
        if self.feed is None:
            return
        try:
            changes = self.feed.poll()
        except Exception as error:  # noqa: BLE001 - the database went away: said, and asked again next time
            if not faults.is_database_fault(error):
                raise
            self.database_fault(error, "reading the changes failed")
            return
        if changes:
            self.broadcast_changes(changes)

    def on_ready(self) -> None:
        """The first frame is out: listen for changes; import the other screens' code meanwhile, off the
        event loop."""
        self._listen()
        self.run_worker(self._settle_in, thread=True, exit_on_error=False)

    def _settle_in(self) -> None:
        registry.preload()
        collector.settle()  # garbage collection, off since the command started, tuned on (screens/collector.py)
        self.post_message(self.CodeLoaded())  # (thread-safe, and never waits for a closing app)

    def on_workshop_app_code_loaded(self, _message) -> None:
        self._arm_idle_collection()
        self.build_screens_ahead()

    def exit(self, *args, **kwargs) -> None:
        """Leave, but not in the middle of building a screen out of sight (it takes tens of
        milliseconds): Textual would close it half mounted, and its handlers fail on missing widgets."""
        self.stop_building_ahead()
        if self.kept.building() and time.monotonic() < self._exit_by.setdefault("t", time.monotonic() + 2):
            self.set_timer(0.02, partial(self.exit, *args, **kwargs))
            return
        super().exit(*args, **kwargs)

    def stop_building_ahead(self) -> None:
        self.build_ahead = False
        if self._building is not None:
            self._building.stop()
            self._building = None

    def build_screens_ahead(self) -> None:
        """Build the screens the signed-in member may open, one at a time, while nobody is typing."""
        if self._building is None and self.build_ahead:
            self._building = self.set_interval(BUILD_AHEAD_EVERY_S, self._build_next_screen)

    def _build_next_screen(self) -> None:
        if self.staff is None or time.monotonic() - self.last_input < BUILD_AHEAD_EVERY_S:
            return
        if not self.kept.build_next(self.staff):
            self._building.stop()
            self._building = None
        self._arm_idle_collection()

    def _arm_idle_collection(self, after: float = collector.IDLE_COLLECT_AFTER_S) -> None:
        if self._collecting is None and collector.applies():
            self._collecting = self.set_timer(after, self.collect_when_idle)

    def collect_when_idle(self) -> None:
        """A pause after activity: collect what it left (screens/collector.py), then sleep until the
        next activity."""
        self._collecting = None
        again = collector.collect_if_idle(time.monotonic() - self.last_input)
        if again is not None:
            self._arm_idle_collection(max(again, 0.1))

    def on_unmount(self) -> None:
        self.watcher.stop()
        set_wait_listener(None)

    # --- faults ----------------------------------------------------------------------------------------
    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action: a refusal or fault that the screen did not show itself (a full disk, a writer
        that held everyone up) is shown here, and the terminal goes on; the change was rolled back."""
        shown = self.screen_stack[-1] if self.screen_stack else None
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=10, markup=False)
            return True
        except Exception as error:  # noqa: BLE001 - a read on this thread met a database fault
            if not faults.is_database_fault(error):
                raise  # a bug: the app closes with its plain message (unhandled_error)
            if shown is not None and self.screen is not shown and shown in self.screen_stack:
                self.pop_screen()  # a screen opened by the key that could not read what it shows: not left half empty
            self.database_fault(error, f"{action} failed")
            return True

    def survives(self, error: Exception) -> bool:
        """An exception nothing handled (screens/textual_patches.py): a database fault met while a screen
        read (a screen built ahead mounting, a timer) is said and the terminal goes on; anything else closes
        the app with its plain message. The screens built ahead meanwhile may hold half their lists: they are
        dropped and built again later."""
        if not faults.is_database_fault(error):
            return False
        self.database_fault(error, "a screen could not read the database")
        failed = _screen_of(error)
        if failed is not None and not failed.is_mounted:  # it failed while it was being built
            if failed is self.screen and len(self.screen_stack) > 1:
                self.pop_screen()  # not left half built on top (and keys go to the screen below)
            self.call_after_refresh(self.kept.drop, failed)
        return True

    def database_fault(self, error: BaseException, context: str) -> None:
        """A database fault met on the UI thread (the server went away, the disk failed): logged, said in one
        plain sentence (at most every few seconds: timers meet it too), and the terminal goes on. Whatever it
        interrupted was rolled back; a PostgreSQL connection it broke is dropped so that the next read, once
        the server is back, opens a new one."""
        faults.log(error, context)
        from models.db import db
        try:
            connection = db.connection() if not db.is_closed() else None
            if connection is not None and (getattr(connection, "closed", False) or getattr(connection, "broken", False)):
                db.close()
        except Exception:  # noqa: BLE001 - closing what is already broken
            pass
        # Screens built ahead or opened meanwhile may hold half their lists: dropped, built again later.
        if self._building is not None:
            self._building.stop()
            self._building = None
            self.set_timer(BUILD_AGAIN_AFTER_FAULT_S, self.build_screens_ahead)
        self.call_after_refresh(self.kept.forget)
        now = time.monotonic()
        if now - self._fault_said_at > FAULT_REPEAT_S:
            self._fault_said_at = now
            self.notify(faults.describe(error), severity="error", timeout=10, markup=False)

    def unhandled_error(self, error: Exception) -> None:
        """An error nothing handled (screens/textual_patches.py): its details go to the log, never to the
        screen (no traceback, no variables: a PIN could be among them); the app closes and the command prints
        the plain message once the terminal is restored."""
        self.fault_message = faults.report(error, context="the terminal stopped")

    def _write_waiting(self, waiting: bool) -> None:
        """From a thread whose write waits for another terminal's change (models/db.py): say so. (Screens write
        from workers; a write made on the event loop's own thread could not draw this, and ends with
        WriteBusy's message.)"""
        if waiting and threading.get_ident() != self._loop_thread:
            try:
                self.call_from_thread(self.notify, _("Waiting for another terminal's change..."),
                                      severity="warning", timeout=WRITE_DEADLINE_S - WRITE_NOTICE_S)
            except RuntimeError:  # the app is closing
                pass

    def on_workshop_app_database_changed(self, _message: DatabaseChanged) -> None:
        self.catch_up()

    def catch_up(self) -> None:
        """After this terminal's own change: read its events so every screen shows it."""
        if self.feed is not None:
            try:
                changes = self.feed.catch_up()
            except Exception as error:  # noqa: BLE001 - the database went away: said, and read again later
                if not faults.is_database_fault(error):
                    raise
                self.database_fault(error, "reading the changes failed")
                return
            if changes:
                self.broadcast_changes(changes)

    def broadcast_changes(self, changes) -> None:
        """Screens on the stack refresh now; kept screens away from it catch up when they are opened."""
        for screen in self.screen_stack:
            handler = getattr(screen, "refresh_from_changes", None)
            if handler is not None:
                handler(changes)
        self.kept.note(changes)
        self._arm_idle_collection()
