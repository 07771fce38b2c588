"""One card on the board: a single widget that draws itself at a fixed height, updated in place."""
from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from workshop import clock
from workshop.board import Card
from workshop.lifecycle import BAY_STATES, CHECKED_IN


def time_left(promised: dt.datetime, now: dt.datetime) -> tuple[str, str]:
    """('2h10m left' | 'overdue 35m', style) for a promised completion time."""
    seconds = int((promised - now).total_seconds())
    span = abs(seconds) // 60
    days, rest = divmod(span, 24 * 60)
    hours, minutes = divmod(rest, 60)
    text = f"{days}d{hours}h" if days else (f"{hours}h{minutes:02d}m" if hours else f"{minutes}m")
    if seconds < 0:
        return f"overdue {text}", "bold red"
    return f"{text} left", "yellow" if seconds < 3600 else "green"


def flags(card: Card, short: bool = False) -> list[tuple[str, str]]:
    """The card's flags as (label, style); ``short`` gives one-letter labels for narrow columns."""
    result = []
    if card.rework:
        result.append(("R" if short else "REWORK", "bold white on red"))
    if card.parts_status == "short":
        result.append(("P" if short else "PARTS", "bold black on yellow"))
    elif card.parts_status == "partial":
        result.append(("p" if short else "PARTS½", "black on yellow"))
    if card.parts_ready:
        result.append(("✓" if short else "PARTS OK", "black on green"))
    if card.vip:
        result.append(("V" if short else "VIP", "bold black on magenta"))
    if card.insurance:
        result.append(("I" if short else "INS", "black on cyan"))
    return result


def _tags(card: Card, short: bool) -> Text:
    tags = Text()
    for label, style in flags(card, short):
        tags.append(" ")
        tags.append(label, style=style)
    return tags


class OrderCard(Widget):
    """An order on the board. ``data`` is replaced when the order changes; the card repaints itself."""

    DEFAULT_CSS = """
    OrderCard {
        height: 4;
        margin-bottom: 1;
        padding: 0 1;
        background: $panel;
        border-left: tall $primary-darken-2;
    }
    OrderCard.-selected {
        background: $boost;
        border-left: tall $accent;
        text-style: none;
    }
    OrderCard.-overdue {
        border-left: tall $error;
    }
    """

    data: reactive[Card | None] = reactive(None, layout=False)

    def __init__(self, card: Card):
        super().__init__()
        self.set_reactive(OrderCard.data, card)
        self.order_id = card.id
        self._mark_overdue(card)

    def watch_data(self, card: Card) -> None:
        self._mark_overdue(card)

    def _mark_overdue(self, card: Card) -> None:
        self.set_class(card.promised_at < clock.now(), "-overdue")

    @property
    def sort_key(self) -> tuple:
        return (self.data.promised_at, self.data.number)

    def render(self) -> Text:
        card = self.data
        width = max(self.size.width - 2, 10)
        head = Text()
        head.append(f"RO {card.number} ", style="bold")
        head.append(card.plate, style="bold cyan")
        tags = _tags(card, short=False)
        if head.cell_len + tags.cell_len > width:
            tags = _tags(card, short=True)
        head.truncate(max(width - tags.cell_len, 8), overflow="ellipsis")
        head.append(" " * max(0, width - head.cell_len - tags.cell_len))
        head.append_text(tags)
        head.truncate(width)

        who = Text(f"{card.model} · {card.customer}")
        who.truncate(width, overflow="ellipsis")

        where = Text()
        if card.bay:
            where.append(card.bay + " ", style="bold")
        elif card.state in BAY_STATES:
            where.append("no bay ", style="dim")
        if card.state == CHECKED_IN and not card.technicians:
            where.append(f"to dispatch · {card.business_type.replace('_', ' ')}", style="yellow")
        elif card.rework and card.rework_reason:
            where.append(f"⟲ {card.rework_reason}", style="red")
        else:
            where.append(", ".join(card.technicians) if card.technicians else "no technician",
                         style="" if card.technicians else "dim")
        where.truncate(width, overflow="ellipsis")

        now = clock.now()
        left, style = time_left(card.promised_at, now)
        when = card.promised_at.strftime("%H:%M" if card.promised_at.date() == now.date() else "%a %H:%M")
        due = Text()
        due.append(f"{when} ", style="dim")
        due.append(left, style=style)
        due.append(f" · {card.advisor}", style="dim")
        due.truncate(width, overflow="ellipsis")
        return Text("\n").join([head, who, where, due])
