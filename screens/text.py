"""Text is data: the one place where stored or typed text becomes something drawn on screen.

Rich and Textual read a plain ``str`` given to a Static, a Label, a DataTable cell, an option, a
notification or a command-palette hit as markup: ``Pearl River Trading [HK] Co. [/]`` loses ``[HK]``
and its ``[/]`` raises an error that takes the terminal down; ``[@click=app.quit]`` would be an action.
And a value holding an escape sequence (``ESC ]52;`` writes the clipboard, ``ESC ]2;`` the window
title, ``ESC [2J`` clears the screen) would be written as it is to the terminal of whoever looks at it.

So a screen never puts a value into markup: it builds ``rich.text.Text`` (or Textual ``Content``) with
the helpers here, which also make control characters visible (``ESC`` shows as ``␛``) and drop the
invisible characters that reorder text (bidi overrides). Entry refuses such characters
(workshop/validation.py); this is for what was stored before, or came in some other way.
"""
from __future__ import annotations

from typing import Iterable, Union

from rich.cells import set_cell_size
from rich.text import Text
from textual.content import Content

Part = Union[str, Text, tuple]  # a value, a Text, or (value, style)

# C0 controls show as their Unicode "control picture" (␀ ... ␟, ␡ for DEL); C1 controls (which some
# terminals read as escape sequences, e.g. U+009B as CSI) as the replacement character.
_VISIBLE = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({code: 0xFFFD for code in range(0x80, 0xA0)})
# Characters that reorder or hide the text around them: dropped.
_INVISIBLE = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])

ONE_LINE = str.maketrans({**_VISIBLE, **_INVISIBLE, 0x09: " ", 0x0A: " ", 0x0D: " ", 0x2028: " ",
                          0x2029: " "})
LINES = str.maketrans({**_VISIBLE, **_INVISIBLE, 0x09: "    ", 0x0A: "\n", 0x2028: "\n", 0x2029: "\n"})


def clean(value: object, *, multiline: bool = False) -> str:
    """A value as text that is safe to draw: control characters made visible, bidi controls dropped;
    newlines kept only when ``multiline`` (a statement, a note), else turned into spaces."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if multiline:
        return text.replace("\r\n", "\n").translate(LINES).replace("\r", "\n")
    return text.translate(ONE_LINE)


def pad(value: object, width: int) -> str:
    """A value cut or padded to ``width`` terminal cells (a Chinese character takes two)."""
    return set_cell_size(clean(value), width)


def literal(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A value shown exactly as typed: never markup."""
    return Text(clean(value, multiline=multiline), style=style, end="")


def line(*parts: Part, multiline: bool = False) -> Text:
    """Text assembled from values (each shown literally) and ``(value, style)`` pairs; a ``Text``
    part is taken as it is (it was built here)."""
    result = Text(end="")
    for part in parts:
        if isinstance(part, Text):
            result.append_text(part)
        elif isinstance(part, tuple):
            value, style = part
            result.append(clean(value, multiline=multiline), style=style or None)
        else:
            result.append(clean(part, multiline=multiline))
    return result


def lines(rows: Iterable[Part]) -> Text:
    """Several lines, one per part (each built with ``line`` if it is not a Text yet)."""
    return Text("\n", end="").join(row if isinstance(row, Text) else line(row) for row in rows)


def cells(*values: object) -> list[Text]:
    """A table row: every cell literal (a DataTable reads a ``str`` cell as markup)."""
    return [value if isinstance(value, Text) else literal(value) for value in values]


def content(value: object) -> Content:
    """Textual ``Content`` of a value, for the places that take Content (the command palette's help)."""
    return Content(clean(value))


def message(value: object) -> str:
    """A notification's text: safe to draw (shown with markup off, see WorkshopApp.notify)."""
    return clean(value, multiline=True)


def cut(value: object, width: int) -> str:
    """A value cut to at most ``width`` terminal cells, with … where it was cut (a Chinese character
    takes two cells: cutting by characters made Chinese names twice as wide as the column allowed)."""
    from rich.cells import cell_len, set_cell_size
    text = clean(value)
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"
