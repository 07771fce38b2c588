"""Cards on the board: what a card says (``card_lines``) and ``CardList``, the one widget that draws a
column's cards.

A column draws its cards itself, line by line (Textual's line API), instead of holding one widget per card:
a board of 300 orders is some twenty widgets, so it opens in one cheap layout pass, only the lines on screen
are ever drawn, and a card moved by another terminal repaints two columns from cached lines.
"""
from __future__ import annotations

import datetime as dt

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from models.orders import BUSINESS_TYPE_LABELS
from screens.text import clean
from workshop import clock
from workshop.i18n import N_, NC_, _, label, pgettext
from workshop.board import Card
from workshop.lifecycle import BAY_STATES, CHECKED_IN, overdue

CARD_HEIGHT = 4  # lines of text on a card
CARD_PITCH = CARD_HEIGHT + 1  # a blank line between cards


# Short weekday names for a promised time on another day (a card is narrow): "Mon 09:00" / "周一 09:00".
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def time_left(promised: dt.datetime, now: dt.datetime) -> tuple[str, str]:
    """('2h10m left' | 'overdue 35m', style) for a promised completion time, in the reader's language
    ('剩2时10分' | '超时35分')."""
    seconds = int((promised - now).total_seconds())
    span = abs(seconds) // 60
    days, rest = divmod(span, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = _("{days}d{hours}h").format(days=days, hours=hours)
    elif hours:
        text = _("{hours}h{minutes}m").format(hours=hours, minutes=f"{minutes:02d}")
    else:
        text = _("{minutes}m").format(minutes=minutes)
    if seconds < 0:
        return _("overdue {time}").format(time=text), "bold red"
    return _("{time} left").format(time=text), "yellow" if seconds < 3600 else "green"


def promised_text(promised: dt.datetime, now: dt.datetime) -> str:
    """The promised time: "09:00" today, "Mon 09:00" on another day."""
    if promised.date() == now.date():
        return promised.strftime("%H:%M")
    return f"{_(WEEKDAYS[promised.weekday()])} {promised:%H:%M}"


# A card's flags: (short, long) in the reader's language; the short one (a letter, a character) is for
# narrow columns. Marked with a context: "L" and "P" mean other things elsewhere (litre...).
FLAGS = {
    "short": (NC_("card flag", "P"), NC_("card flag", "PARTS")),
    "partial": (NC_("card flag", "p"), NC_("card flag", "PARTS½")),
    "ordered": (NC_("card flag", "E"), None),
    "late": (NC_("card flag", "L"), None),
    "rework": (NC_("card flag", "R"), NC_("card flag", "REWORK")),
    "ready": (NC_("card flag", "✓"), NC_("card flag", "PARTS OK")),
    "vip": (NC_("card flag", "V"), NC_("card flag", "VIP")),
    "insurance": (NC_("card flag", "I"), NC_("card flag", "INS")),
}


def _flag(name: str, short: bool) -> str:
    text = FLAGS[name][0 if short else 1]
    return pgettext("card flag", text)


def _parts_flag(card: Card, short: bool, today: dt.date) -> tuple[str, str] | None:
    """The parts state as a flag: short, partly there, on order with its date, or late (availability.py)."""
    parts = card.parts_state(today)
    eta = card.parts_eta.strftime("%m-%d") if card.parts_eta else "?"
    if parts == "short":
        return (_flag("short", short), "bold black on yellow")
    if parts == "partial":
        return (_flag("partial", short), "black on yellow")
    if parts == "ordered":  # every missing part is on a purchase order: when it is due
        return (_flag("ordered", True) if short else _("ETA {date}").format(date=eta), "black on yellow")
    if parts == "late":  # the supplier's date has passed
        return (_flag("late", True) if short else _("LATE {date}").format(date=eta), "bold white on red")
    return None


def flags(card: Card, short: bool = False, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The card's flags as (label, style); ``short`` gives one-letter labels for narrow columns."""
    result = []
    if card.rework:
        result.append((_flag("rework", short), "bold white on red"))
    parts = _parts_flag(card, short, today or clock.today())
    if parts is not None:
        result.append(parts)
    if card.parts_ready:
        result.append((_flag("ready", short), "black on green"))
    if card.vip:
        result.append((_flag("vip", short), "bold black on magenta"))
    if card.insurance:
        result.append((_flag("insurance", short), "black on cyan"))
    return result


def _tags(card: Card, short: bool, today: dt.date | None = None) -> Text:
    tags = Text()
    for flag, style in flags(card, short, today):
        tags.append(" ")
        tags.append(flag, style=style)
    return tags


def is_overdue(card: Card, now: dt.datetime | None = None) -> bool:
    return overdue(card.promised_at, now)


def card_lines(card: Card, width: int, now: dt.datetime | None = None) -> list[Text]:
    """The four lines of a card, each cut to ``width`` cells: RO and plate with flags; car and customer;
    bay and technicians (or what the card waits for); promised time, time left and advisor. Stored
    values are appended as plain text (never markup) and cleaned of control characters."""
    now = now or clock.now()
    width = max(width, 8)
    head = Text()
    head.append(pgettext("card", "RO {number}").format(number=card.number) + " ", style="bold")
    head.append(clean(card.plate), style="bold cyan")
    tags = _tags(card, short=False, today=now.date())
    narrow = head.cell_len + tags.cell_len > width
    if narrow:
        tags = _tags(card, short=True, today=now.date())
    head.truncate(max(width - tags.cell_len, 8), overflow="ellipsis")
    head.append(" " * max(0, width - head.cell_len - tags.cell_len))
    head.append_text(tags)
    head.truncate(width)

    who = Text(clean(f"{card.model} · {card.customer}"))
    who.truncate(width, overflow="ellipsis")

    where = Text()
    if narrow and card.parts_state(now.date()) in ("ordered", "late"):  # the head had room for "E"/"L" only
        eta_text, eta_style = _parts_flag(card, False, now.date())
        where.append(eta_text, style=eta_style)
        where.append(" ")
    if card.bay:
        where.append(clean(card.bay), style="bold")
        if card.next_bay:  # where the car goes after this bay's work (mechanical, then paint)
            where.append(clean(f"→{card.next_bay}"), style="cyan")
        where.append(" ")
    elif card.state in BAY_STATES:
        where.append(_("no bay") + " ", style="dim")
    if card.state == CHECKED_IN and not card.technicians:
        where.append(_("to dispatch · {business_type}").format(
            business_type=label(BUSINESS_TYPE_LABELS, card.business_type)), style="yellow")
    elif card.rework and card.rework_reason:
        where.append(clean(f"⟲ {card.rework_reason}"), style="red")
    else:
        where.append(clean(", ".join(card.technicians)) if card.technicians else _("no technician"),
                     style="" if card.technicians else "dim")
    where.truncate(width, overflow="ellipsis")

    left, style = time_left(card.promised_at, now)
    when = promised_text(card.promised_at, now)
    due = Text()
    due.append(f"{when} ", style="dim")
    due.append(left, style=style)
    due.append(clean(f" · {card.advisor}"), style="dim")
    due.truncate(width, overflow="ellipsis")
    return [head, who, where, due]


def card_text(card: Card, width: int = 40) -> str:
    """A card as plain text (for tests and logs)."""
    return "\n".join(line.plain for line in card_lines(card, width))


class CardList(ScrollView, can_focus=False):
    """A column's cards, most urgent first, drawn by one widget. ``selected`` is the cursor's index, or None
    when the cursor is in another column. The screen owns the keys; a click posts ``CardList.Clicked``.

    It has no scrollbar: a scrollbar changes with every card that comes or goes, and Textual repaints the
    whole column for it (a move cost two frames instead of one). ``hidden_counts`` says how many cards are
    above and below the view, for the column's title; the wheel still scrolls."""

    COMPONENT_CLASSES = {"card", "card--selected", "card--bar", "card--bar-selected", "card--bar-overdue"}
    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: hidden;
    }
    CardList > .card { background: $panel; }
    CardList > .card--selected { background: $primary-muted; }
    CardList > .card--bar { color: $primary-darken-2; }
    CardList > .card--bar-selected { color: $accent; }
    CardList > .card--bar-overdue { color: $error; }
    """

    class Scrolled(Message):
        """The cards in view changed (scrolled, resized): the title's above/below counts follow."""

    class Clicked(Message):
        def __init__(self, cards: "CardList", index: int, chain: int) -> None:
            super().__init__()
            self.cards, self.index, self.chain = cards, index, chain

    def __init__(self, state: str):
        super().__init__()
        self.state = state
        self.cards: list[Card] = []
        self.selected: int | None = None
        self._lines: dict[tuple, list[Strip]] = {}  # a card's drawn lines, by (card, width, selected)

    def set_cards(self, cards: list[Card]) -> None:
        """Show these cards; only the lines from the first card that differs are drawn again."""
        old, self.cards = self.cards, cards
        height = len(cards) * CARD_PITCH
        if height != self.virtual_size.height:
            # Without a layout pass (the reactive would ask for one): the list keeps its size on screen,
            # only how far it can scroll changes. A layout pass made every live change cost twice.
            self.set_reactive(CardList.virtual_size, Size(self.virtual_size.width, height))
        if len(self._lines) > 4 * len(cards) + 50:
            self._lines.clear()
        first = next((i for i, (a, b) in enumerate(zip(old, cards)) if a != b), min(len(old), len(cards)))
        if first < max(len(old), len(cards)):
            self._refresh_cards(first, max(len(old), len(cards)))

    def select(self, index: int | None) -> None:
        if index != self.selected:
            before, self.selected = self.selected, index
            for changed in (before, index):
                if changed is not None:
                    self._refresh_cards(changed, changed + 1)
        if index is not None:
            self.scroll_to_region(Region(0, index * CARD_PITCH, 1, CARD_PITCH), animate=False, immediate=True)

    def _refresh_cards(self, first: int, end: int) -> None:
        """Draw again the lines of cards ``first`` to ``end - 1`` that are in view."""
        top = first * CARD_PITCH - int(self.scroll_offset.y)
        bottom = end * CARD_PITCH - int(self.scroll_offset.y)
        top, bottom = max(top, 0), min(bottom, self.size.height)
        if bottom > top:
            self.refresh(Region(0, top, self.size.width, bottom - top))

    def forget_drawn(self) -> None:
        """Times shown on cards move on: draw every card afresh (the board's clock tick)."""
        self._lines.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # a theme change recolours every card

    def _on_resize(self, event: events.Resize) -> None:
        self._lines.clear()
        self.virtual_size = Size(event.size.width, len(self.cards) * CARD_PITCH)
        self.post_message(self.Scrolled())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.post_message(self.Scrolled())

    @property
    def allow_vertical_scroll(self) -> bool:
        return self.virtual_size.height > self.size.height  # the wheel scrolls, without a scrollbar

    def hidden_counts(self) -> tuple[int, int]:
        """(cards above the view, cards below it): those not shown whole."""
        height = self.size.height
        if not height or not self.cards:
            return 0, 0
        top = int(self.scroll_offset.y)
        above = min(len(self.cards), -(-top // CARD_PITCH))
        last_whole = (top + height - CARD_HEIGHT) // CARD_PITCH  # the last card whose lines all show
        below = max(0, len(self.cards) - 1 - last_whole)
        return above, below

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index, row = divmod(self.scroll_offset.y + y, CARD_PITCH)
        if index >= len(self.cards) or row >= CARD_HEIGHT:
            return Strip.blank(width, self.rich_style)
        card = self.cards[index]
        key = (card, width, index == self.selected)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = self._draw(card, width, index == self.selected)
        return lines[row]

    def _draw(self, card: Card, width: int, selected: bool) -> list[Strip]:
        now = clock.now()
        base = self.get_component_rich_style("card--selected" if selected else "card")
        bar_name = "card--bar-selected" if selected else ("card--bar-overdue" if is_overdue(card, now)
                                                          else "card--bar")
        bar = Segment("▌", base + Style(color=self.get_component_rich_style(bar_name).color))
        pad = Segment(" ", base)
        console = self.app.console
        strips = []
        for text in card_lines(card, width - 3, now):
            segments = [bar, pad, *Segment.apply_style(text.render(console, end=""), base)]
            strips.append(Strip(segments).adjust_cell_length(width, base))
        return strips

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index, row = divmod(self.scroll_offset.y + offset.y, CARD_PITCH)
        if index < len(self.cards) and row < CARD_HEIGHT:
            self.post_message(self.Clicked(self, index, event.chain))
