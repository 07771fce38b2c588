"""The repair board (維修看板): one column per state, one card per active order, patched in place."""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static

from screens.acting import Acting, in_turn
from screens.card import CardList
from screens.keybar import KeyBar
from screens.text import line
from workshop import board, clock, lifecycle, shops
from workshop.board import Card
from workshop.errors import DomainError, StaleOrder
from workshop.i18n import N_, _, label
from workshop.lifecycle import BOARD_STATES, CHECKED_IN, COLUMN_TITLES


# A move key pressed this soon after another terminal changed the card under the cursor asks first: two
# dispatchers on one card half a second apart must not silently undo each other.
CONFIRM_WITHIN_S = 1.0


@dataclass(frozen=True)
class BoardFilter:
    bay_id: int | None = None
    technician: str | None = None
    advisor_id: int | None = None

    def __bool__(self) -> bool:
        return any((self.bay_id, self.technician, self.advisor_id))

    def keeps(self, card: Card) -> bool:
        return ((self.bay_id is None or card.bay_id == self.bay_id)
                and (self.technician is None or self.technician in card.technicians)
                and (self.advisor_id is None or card.advisor_id == self.advisor_id))


class BoardArea(HorizontalScroll, can_focus=False):
    """The columns side by side; scrolls sideways on a narrow terminal. The screen owns the keys."""


class BoardColumn(Vertical, can_focus=False):
    """One state's column: a title with the count, then the cards (one widget draws them all)."""

    def __init__(self, state: str):
        super().__init__(id=f"col-{state}", classes="board-column")
        self.state = state
        self.title = Static(label(COLUMN_TITLES, state), classes="column-title")
        self.list = CardList(state)
        self.lane = None
        if state == CHECKED_IN:  # today's expected arrivals (appointments) at the head of the column
            from screens.expected import ExpectedLane
            self.lane = ExpectedLane()

    def compose(self) -> ComposeResult:
        yield self.title
        if self.lane is not None:
            yield self.lane
        yield self.list

    @property
    def cards(self) -> list[Card]:
        return self.list.cards

    def update_title(self) -> None:
        """'In progress (48) ▲3 ▼36': the count, and how many cards are out of view above and below."""
        text = f"{label(COLUMN_TITLES, self.state)} ({len(self.list.cards)})"
        above, below = self.list.hidden_counts()
        text += f" ▲{above}" if above else ""
        text += f" ▼{below}" if below else ""
        # layout=False: a title is one line as wide as its column whatever it says, so no layout pass
        self.title.update(text, layout=False)

    def on_card_list_scrolled(self, event: CardList.Scrolled) -> None:
        event.stop()
        self.update_title()


class BoardScreen(Acting, Screen):
    CSS_PATH = "board.tcss"
    BINDINGS = [
        Binding("left,h", "column(-1)", N_("Column to the left"), show=False),
        Binding("right,l", "column(1)", N_("Column to the right"), show=False),
        Binding("up,k", "row(-1)", N_("Card above"), show=False),
        Binding("down,j", "row(1)", N_("Card below"), show=False),
        Binding("pageup", "row(-5)", N_("Page up"), show=False),
        Binding("pagedown", "row(5)", N_("Page down"), show=False),
        Binding("home", "row_edge(0)", N_("First card"), show=False),
        Binding("end", "row_edge(1)", N_("Last card"), show=False),
        Binding("enter", "open", N_("Open")),
        Binding("right_square_bracket,shift+right", "forward", N_("Forward")),
        Binding("left_square_bracket,shift+left", "backward", N_("Back")),
        Binding("d", "dispatch", N_("Dispatch")),
        Binding("m", "next_bay", N_("Next bay")),
        Binding("p", "parts_wait", N_("Wait parts")),
        Binding("n", "new_order", N_("New RO")),
        Binding("A", "arrival", N_("Arrival")),
        Binding("x", "cancel_order", N_("Cancel RO"), show=False),
        Binding("f", "filter", N_("Filter")),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False),
        Binding("f3", "app.open_screen('bays')", N_("Bays")),
        Binding("ctrl+p", "app.command_palette", N_("Search")),
    ]
    # Which permission each board action needs; the footer shows only what the role may do.
    PERMISSIONS = {"forward": "move_card", "backward": "move_card", "dispatch": "dispatch", "next_bay": "dispatch",
                   "parts_wait": "move_card", "new_order": "create_order", "cancel_order": "cancel_order",
                   "arrival": "create_order"}

    def __init__(self):
        super().__init__()
        self.columns: dict[str, BoardColumn] = {s: BoardColumn(s) for s in BOARD_STATES}
        self.cards: dict[int, Card] = {}  # the cards shown (after the filter), by order id
        self.col_index = 0
        self.row_index = 0
        self.board_filter = BoardFilter()
        # The version each order reached by this terminal's own last change: a patched card at another
        # version was changed elsewhere.
        self.own_versions: dict[int, int] = {}
        # (when, order id): another terminal changed the card under the cursor at that moment.
        self.cursor_news: tuple[float, int] | None = None
        self.staff_id = getattr(self.app.staff, "id", None)  # whose board: a new sign-in gets a new one
        self.filter_bar = Static("", id="filter-bar")
        self.area = BoardArea(id="board")

    def compose(self) -> ComposeResult:
        self._fit_columns(self.app.size.width)  # widths known before the first layout
        self.load_all()  # cards are data, drawn by their column: they are in place for the first frame
        yield Header()
        yield self.filter_bar
        with self.area:
            yield from self.columns.values()
        yield KeyBar()

    MIN_COLUMN_WIDTH = 22

    def on_resize(self, event) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, total: int) -> None:
        """As many whole columns as fit side by side; the rest scroll into view with the cursor."""
        width = max(total, self.MIN_COLUMN_WIDTH)
        visible = max(1, min(len(BOARD_STATES), width // self.MIN_COLUMN_WIDTH))
        for column in self.columns.values():
            column.styles.width = width // visible

    def on_mount(self) -> None:
        self._arm_tick()
        self._show_selection()
        self._update_filter_bar()

    # --- loading and patching ---------------------------------------------------------------------------
    def _shop(self) -> int | None:
        """The shop whose cards this board shows: the terminal's in a group, None (every card) in one shop."""
        return shops.scope(getattr(self.app, "staff", None))

    def load_all(self) -> None:
        """Read every card (on open, after a filter change, or after a burst too big to patch)."""
        self.cards = {card.id: card for card in board.active_cards(self._shop()) if self.board_filter.keeps(card)}
        self._rebuild(BOARD_STATES)
        self._reload_lane()

    def _reload_lane(self) -> None:
        lane = self.columns[CHECKED_IN].lane
        if lane is not None and getattr(self.app, "staff", None) is not None:
            lane.reload()

    def _rebuild(self, states, follow: int | None = None) -> None:
        """Re-sort the named columns from ``self.cards``; the cursor stays on ``follow`` if it is shown."""
        by_state: dict[str, list[Card]] = {state: [] for state in states}
        for card in self.cards.values():
            if card.state in by_state:
                by_state[card.state].append(card)
        for state, cards in by_state.items():
            cards.sort(key=lambda c: (c.promised_at, c.number))
            self.columns[state].list.set_cards(cards)
            self.columns[state].update_title()
        if follow is not None and follow in self.cards:
            card = self.cards[follow]
            self.col_index = BOARD_STATES.index(card.state)
            self.row_index = self.current_column().cards.index(card)
        if self.is_mounted:  # (compose reads the cards before the widgets exist; on_mount shows the cursor)
            self._show_selection()
            self._update_filter_bar()

    def refresh_from_changes(self, changes) -> None:
        """Patch only the cards whose orders changed."""
        if changes.overflow:
            self.load_all()
            return
        if any(kind.startswith("appointment") for kind in changes.kinds):
            self._reload_lane()
        if changes.order_ids:
            self.patch(board.cards_for(list(changes.order_ids), self._shop()))

    def patch(self, cards: list[Card]) -> None:
        """Put changed cards in place. The cursor follows its card when this terminal moved it; when
        another terminal did, the cursor stays where it was, and the change is noted for the move keys."""
        selected = self.selected_card()
        follow = selected.id if selected else None
        touched: set[str] = set()
        for card in cards:
            old = self.cards.pop(card.id, None)
            if old is not None:
                touched.add(old.state)
            if not card.active:
                self.own_versions.pop(card.id, None)
            shown = card.active and self.board_filter.keeps(card)
            if shown:
                self.cards[card.id] = card
                touched.add(card.state)
            remote = (old is not None and card.version != old.version and card.id not in self.writing
                      and self.own_versions.get(card.id) != card.version)
            if remote and card.id == follow:
                self.cursor_news = (time.monotonic(), card.id)
                if not shown or card.state != old.state:
                    follow = None
        if touched:
            self._rebuild([s for s in BOARD_STATES if s in touched], follow=follow)

    def _arm_tick(self) -> None:
        """Wake just after the shop's clock turns to the next minute ('time left' counts minutes)."""
        now = clock.now()
        self.set_timer(60.05 - now.second - now.microsecond / 1e6, self.tick)

    def tick(self) -> None:
        """Promised times move on: redraw 'time left' once a minute (no queries)."""
        self._arm_tick()
        for column in self.columns.values():
            column.list.forget_drawn()
        if clock.now().minute % 5 == 0:  # late arrivals turn red, no-shows leave the lane
            self._reload_lane()

    def card_text(self, order_id: int) -> str:
        from screens.card import card_text
        return card_text(self.cards[order_id])

    # --- selection -----------------------------------------------------------------------------------------
    def current_column(self) -> BoardColumn:
        return self.columns[BOARD_STATES[self.col_index]]

    def selected_card(self) -> Card | None:
        cards = self.current_column().cards
        if not cards:
            return None
        self.row_index = max(0, min(self.row_index, len(cards) - 1))
        return cards[self.row_index]

    def _show_selection(self) -> None:
        column = self.current_column()
        card = self.selected_card()
        for col in self.columns.values():
            if col is not column:
                col.list.select(None)
            col.title.set_class(col is column, "-current")  # the title only: restyling the column would redraw its cards
        column.list.select(self.row_index if card is not None else None)
        self.area.scroll_to_widget(column, animate=False)

    def action_column(self, step: int) -> None:
        self.col_index = (self.col_index + step) % len(BOARD_STATES)
        self._show_selection()

    def action_row(self, step: int) -> None:
        self.row_index = max(0, self.row_index + step)
        self._show_selection()

    def action_row_edge(self, last: int) -> None:
        self.row_index = len(self.current_column().cards) - 1 if last else 0
        self._show_selection()

    def select_order(self, order_id: int) -> bool:
        card = self.cards.get(order_id)
        if card is None:
            return False
        self.col_index = BOARD_STATES.index(card.state)
        self.row_index = self.current_column().cards.index(card)
        self._show_selection()
        return True

    # --- actions ---------------------------------------------------------------------------------------------
    def wrote(self, result) -> None:
        if isinstance(getattr(result, "version", None), int):  # this terminal's own change of the order
            self.own_versions[result.id] = result.version

    def refused(self, error: DomainError) -> None:
        if isinstance(error, StaleOrder):  # another terminal changed it: show it as it is now
            self.patch(board.cards_for([error.order_id], self._shop()))

    def _move(self, card: Card, service, *args) -> None:
        self.act(service, card.id, *args, seen_version=card.version, about=card.id)

    def _after_news(self, card: Card, question: str, move) -> None:
        """Make the move now; or, when another terminal changed the card under the cursor less than
        CONFIRM_WITHIN_S ago, first say what changed and ask."""
        news, self.cursor_news = self.cursor_news, None
        if news is None or time.monotonic() - news[0] > CONFIRM_WITHIN_S:
            move()
            return
        try:
            change = lifecycle.last_change(lifecycle.get_order(news[1]))
        except DomainError as error:
            change = str(error)
        text = line(change, "\n\n", _("Under your cursor now: RO {number} ({column}).").format(
            number=card.number, column=lifecycle.label(card.state)), "\n", question, multiline=True)
        from screens.dialogs import YesNo
        self.app.push_screen(YesNo(text), lambda yes: move() if yes else None)

    @in_turn
    def action_forward(self) -> None:
        card = self.selected_card()
        if card is not None:
            self._after_news(card, _("Move it forward anyway?"),
                             lambda: self._move(card, lifecycle.move_forward))

    @in_turn
    def action_backward(self) -> None:
        card = self.selected_card()
        if card is not None:
            self._after_news(card, _("Move it back anyway?"),
                             lambda: self._move(card, lifecycle.move_backward))

    @in_turn
    def action_parts_wait(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        name = "resume" if card.state == lifecycle.WAITING_PARTS else "wait_parts"
        self._after_news(card, _("Change its waiting for parts anyway?"),
                         lambda: self._move(card, lifecycle.transition, name))

    def action_open(self) -> None:
        card = self.selected_card()
        if card is not None:
            self.app.open_order(card.id)

    def action_dispatch(self) -> None:
        """Each trade of the order to its bay and team (screens/trade_dispatch.py)."""
        card = self.selected_card()
        if card is None:
            return
        from screens.trade_dispatch import dispatch_form, plans_from
        from workshop import trade_dispatch
        plan = self.fetch(trade_dispatch.plan_view, card.id)
        if plan is None:
            return
        self.ask(dispatch_form(plan), lambda values: partial(
            trade_dispatch.dispatch_trades, card.id, plans_from(plan, values), seen_version=card.version,
            reason=values["reason"]), about=card.id)

    @in_turn
    def action_next_bay(self) -> None:
        """The car goes on to the bay of its next trade (mechanical done: on to the paint booth)."""
        card = self.selected_card()
        if card is None:
            return
        from workshop import trade_dispatch
        self.act(trade_dispatch.move_to_next_bay, card.id, seen_version=card.version, about=card.id,
                 success=_("RO {number} moved on to bay {bay}.").format(number=card.number, bay=card.next_bay)
                 if card.next_bay else None)

    def action_new_order(self) -> None:
        self.app.open_screen("reception")

    def action_arrival(self) -> None:
        from screens.arrival import ask_arrival
        ask_arrival(self)

    def action_cancel_order(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        from screens.dialogs import reason_form
        form = reason_form(_("Cancel RO {number} ({plate})?").format(number=card.number, plate=card.plate),
                           placeholder=_("why the order is cancelled"))
        self.ask(form, lambda values: partial(lifecycle.cancel, card.id, values["reason"], seen_version=card.version),
                 success=_("RO {number} cancelled.").format(number=card.number), about=card.id)

    def action_filter(self) -> None:
        from screens.board_filter import filter_form

        def done(values: dict | None) -> None:
            if values is not None:
                self.board_filter = BoardFilter(**values)
                self.load_all()

        self.app.push_screen(filter_form(self.board_filter, self._shop()), callback=done)

    def action_clear_filter(self) -> None:
        if self.board_filter:
            self.board_filter = BoardFilter()
            self.load_all()

    def _update_filter_bar(self) -> None:
        bar = self.filter_bar
        bar.display = bool(self.board_filter)
        if self.board_filter:
            bar.update(_("Filtered: {count} cards shown · f to change, Esc to clear").format(count=len(self.cards)))

    def on_card_list_clicked(self, event: CardList.Clicked) -> None:
        self.col_index = BOARD_STATES.index(event.cards.state)
        self.row_index = event.index
        self._show_selection()
        if event.chain >= 2:
            self.action_open()
