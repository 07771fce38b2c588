"""The repair board (維修看板): one column per state, one card per active order, patched in place."""
from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from screens.card import OrderCard
from screens.dialogs import ConfirmText
from workshop import board, lifecycle
from workshop.board import Card
from workshop.errors import DomainError, StaleOrder
from workshop.lifecycle import BOARD_STATES, COLUMN_TITLES
from workshop.permissions import can


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


class BoardColumn(VerticalScroll, can_focus=False):
    """One state's column: a title with the count, then the cards, most urgent first."""

    def __init__(self, state: str):
        super().__init__(id=f"col-{state}", classes="board-column")
        self.state = state
        self.title = Static(COLUMN_TITLES[state], classes="column-title")
        self.initial: list[OrderCard] = []  # cards composed with the column (the board's first frame)

    def compose(self) -> ComposeResult:
        yield self.title
        yield from self.initial
        self.initial = []

    @property
    def cards(self) -> list[OrderCard]:
        return [c for c in self.children if isinstance(c, OrderCard)]

    def update_title(self, count: int | None = None) -> None:
        self.title.update(f"{COLUMN_TITLES[self.state]} ({len(self.cards) if count is None else count})")


class BoardScreen(Screen):
    CSS_PATH = "board.tcss"
    BINDINGS = [
        Binding("left,h", "column(-1)", "◀", show=False),
        Binding("right,l", "column(1)", "▶", show=False),
        Binding("up,k", "row(-1)", "▲", show=False),
        Binding("down,j", "row(1)", "▼", show=False),
        Binding("home", "row_edge(0)", "First", show=False),
        Binding("end", "row_edge(1)", "Last", show=False),
        Binding("enter", "open", "Open"),
        Binding("right_square_bracket,shift+right", "forward", "Forward"),
        Binding("left_square_bracket,shift+left", "backward", "Back"),
        Binding("d", "dispatch", "Dispatch"),
        Binding("p", "parts_wait", "Wait parts"),
        Binding("n", "new_order", "New RO"),
        Binding("x", "cancel_order", "Cancel RO", show=False),
        Binding("f", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("f3", "app.open_screen('bays')", "Bays"),
        Binding("ctrl+p", "app.command_palette", "Search"),
    ]
    # Which permission each board action needs; the footer shows only what the role may do.
    ACTION_PERMISSIONS = {"forward": "move_card", "backward": "move_card", "dispatch": "dispatch",
                          "parts_wait": "move_card", "new_order": "create_order", "cancel_order": "cancel_order"}

    def __init__(self):
        super().__init__()
        self.columns: dict[str, BoardColumn] = {s: BoardColumn(s) for s in BOARD_STATES}
        self.cards: dict[int, OrderCard] = {}
        self._pending: dict[int, Card] = {}
        self.col_index = 0
        self.row_index = 0
        self.board_filter = BoardFilter()

    def compose(self) -> ComposeResult:
        self._fit_columns(self.app.size.width)  # widths known before the first layout
        self.load_all(initial=True)  # the first cards are composed with their columns: one layout
        yield Header()
        yield Static("", id="filter-bar")
        with BoardArea(id="board"):
            yield from self.columns.values()
        yield Footer()

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
        self.set_interval(30, self.tick)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        needed = self.ACTION_PERMISSIONS.get(action)
        if needed is not None and not can(self.app.staff, needed):
            return False
        return True

    # --- loading and patching ---------------------------------------------------------------------------
    def load_all(self, initial: bool = False) -> None:
        """Build every card once (on open, or after a burst of changes too big to patch)."""
        for widget in self.cards.values():
            widget.remove()
        self.cards.clear()
        by_state: dict[str, list[Card]] = {s: [] for s in BOARD_STATES}
        for card in board.active_cards():
            if self.board_filter.keeps(card):
                by_state[card.state].append(card)
        # The cards a column can show are built for the first frame; the rest are built and mounted
        # right after it, so a board of hundreds of orders opens as fast as a small one.
        first = max(6, self.app.size.height // 4 + 1)
        self._pending = {c.id: c for cards in by_state.values() for c in cards[first:]}
        for state, cards in by_state.items():
            widgets = [OrderCard(card) for card in cards[:first]]
            self.cards.update((w.data.id, w) for w in widgets)
            if initial:
                self.columns[state].initial = widgets
            elif widgets:
                self.columns[state].mount_all(widgets)
        self.call_after_refresh(self._after_layout_change)
        if self._pending:
            self.call_after_refresh(self.set_timer, 0.1, self._mount_rest)  # after the first frame is out

    def _mount_rest(self) -> None:
        pending, self._pending = self._pending, {}
        by_state: dict[str, list[OrderCard]] = {}
        for card in pending.values():
            widget = OrderCard(card)
            self.cards[card.id] = widget
            by_state.setdefault(card.state, []).append(widget)
        for state, widgets in by_state.items():
            self.columns[state].mount_all(widgets)
        self.call_after_refresh(self._after_layout_change)

    def refresh_from_changes(self, changes) -> None:
        """Patch only the cards whose orders changed."""
        if changes.overflow:
            self.load_all()
            return
        if changes.order_ids:
            self.patch(board.cards_for(list(changes.order_ids)))

    def patch(self, cards: list[Card]) -> None:
        selected = self.selected_card()
        follow = selected.order_id if selected else None
        for card in cards:
            self._pending.pop(card.id, None)  # not built yet (see load_all): built fresh below
            widget = self.cards.get(card.id)
            keep = card.active and self.board_filter.keeps(card)
            if widget is not None and keep and widget.data.state == card.state:
                if widget.data.promised_at != card.promised_at:
                    widget.data = card
                    self._place(widget, move=True)
                else:
                    widget.data = card
                continue
            if widget is not None:
                widget.remove()
                del self.cards[card.id]
            if keep:
                widget = OrderCard(card)
                self.cards[card.id] = widget
                self._place(widget)
        self._after_layout_change(follow)  # titles and cursor in the same frame as the move: one repaint, not two

    def _place(self, widget: OrderCard, move: bool = False) -> None:
        column = self.columns[widget.data.state]
        siblings = [c for c in column.cards if c is not widget]
        before = next((c for c in siblings if c.sort_key > widget.sort_key), None)
        if move:
            if before is not None:
                column.move_child(widget, before=before)
            elif siblings:
                column.move_child(widget, after=siblings[-1])
            return
        if before is not None:
            column.mount(widget, before=before)
        else:
            column.mount(widget)

    def _after_layout_change(self, follow: int | None = None) -> None:
        counts = {state: 0 for state in self.columns}
        for data in [w.data for w in self.cards.values()] + list(self._pending.values()):
            counts[data.state] = counts.get(data.state, 0) + 1
        for state, column in self.columns.items():
            column.update_title(counts[state])
        if follow is not None and follow in self.cards:
            widget = self.cards[follow]
            column = self.columns[widget.data.state]
            self.col_index = BOARD_STATES.index(widget.data.state)
            self.row_index = column.cards.index(widget) if widget in column.cards else 0
        self._show_selection()
        self._update_filter_bar()

    def tick(self) -> None:
        """Promised times move on: repaint 'time left' twice a minute (no queries)."""
        for widget in self.cards.values():
            widget.watch_data(widget.data)
            widget.refresh()

    # --- selection -----------------------------------------------------------------------------------------
    def current_column(self) -> BoardColumn:
        return self.columns[BOARD_STATES[self.col_index]]

    def selected_card(self) -> OrderCard | None:
        cards = self.current_column().cards
        if not cards:
            return None
        self.row_index = max(0, min(self.row_index, len(cards) - 1))
        return cards[self.row_index]

    def _show_selection(self) -> None:
        for widget in self.query(".-selected"):
            widget.remove_class("-selected")
        column = self.current_column()
        for col in self.columns.values():
            col.set_class(col is column, "-current")
        self.query_one("#board", BoardArea).scroll_to_widget(column, animate=False)
        card = self.selected_card()
        if card is not None:
            card.add_class("-selected")
            column.scroll_to_widget(card, animate=False)

    def action_column(self, step: int) -> None:
        self.col_index = (self.col_index + step) % len(BOARD_STATES)
        self._show_selection()

    def action_row(self, step: int) -> None:
        self.row_index += step
        self._show_selection()

    def action_row_edge(self, last: int) -> None:
        self.row_index = len(self.current_column().cards) - 1 if last else 0
        self._show_selection()

    def select_order(self, order_id: int) -> bool:
        widget = self.cards.get(order_id)
        if widget is None:
            return False
        self.col_index = BOARD_STATES.index(widget.data.state)
        self.row_index = self.current_column().cards.index(widget)
        self._show_selection()
        return True

    # --- actions ---------------------------------------------------------------------------------------------
    def _run(self, fn, *args, **kwargs) -> bool:
        """Call a service for the selected card; show the refusal if there is one; patch the board."""
        try:
            fn(*args, **kwargs)
        except StaleOrder as error:
            self.notify(str(error), severity="warning", timeout=8)
            self.patch(board.cards_for([error.order_id]))
            return False
        except DomainError as error:
            self.notify(str(error), severity="error", timeout=8)
            return False
        finally:
            self.app.catch_up()
        return True

    def action_forward(self) -> None:
        card = self.selected_card()
        if card is not None:
            self._run(lifecycle.move_forward, card.order_id, by=self.app.staff, seen_version=card.data.version)

    def action_backward(self) -> None:
        card = self.selected_card()
        if card is not None:
            self._run(lifecycle.move_backward, card.order_id, by=self.app.staff, seen_version=card.data.version)

    def action_parts_wait(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        name = "resume" if card.data.state == lifecycle.WAITING_PARTS else "wait_parts"
        self._run(lifecycle.transition, card.order_id, name, by=self.app.staff, seen_version=card.data.version)

    def action_open(self) -> None:
        card = self.selected_card()
        if card is not None:
            self.app.open_order(card.order_id)

    def action_dispatch(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        from screens.dispatch import DispatchScreen
        data = card.data

        def done(result) -> None:
            if result:
                from workshop.dispatch import dispatch
                bay_id, tech_ids = result
                self._run(dispatch, data.id, bay_id, tech_ids, by=self.app.staff, seen_version=data.version)

        self.app.push_screen(DispatchScreen(data), callback=done)

    def action_new_order(self) -> None:
        self.app.open_screen("reception")

    def action_cancel_order(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        data = card.data

        def done(reason: str | None) -> None:
            if reason is not None:
                self._run(lifecycle.cancel, data.id, reason, by=self.app.staff, seen_version=data.version)

        self.app.push_screen(ConfirmText(f"Cancel RO {data.number} ({data.plate})?", "Reason"), callback=done)

    def action_filter(self) -> None:
        from screens.board_filter import FilterScreen

        def done(result: BoardFilter | None) -> None:
            if result is not None:
                self.board_filter = result
                self.load_all()

        self.app.push_screen(FilterScreen(self.board_filter), callback=done)

    def action_clear_filter(self) -> None:
        if self.board_filter:
            self.board_filter = BoardFilter()
            self.load_all()

    def _update_filter_bar(self) -> None:
        bar = self.query_one("#filter-bar", Static)
        bar.display = bool(self.board_filter)
        if self.board_filter:
            bar.update(f"Filtered: {len(self.cards)} cards shown · f to change, Esc to clear")

    def on_click(self, event) -> None:
        widget = event.widget
        while widget is not None and not isinstance(widget, OrderCard):
            widget = widget.parent
        if isinstance(widget, OrderCard) and self.select_order(widget.order_id) and event.chain >= 2:
            self.action_open()
