"""Pinyin initials (拼音首字母): how a Chinese counter finds 陈小明 by typing ``cxm`` and 机油 by ``jy``.

The initials of a name are worked out when the name is written (a model's ``save()``, the demo
generator, the migration that filled existing rows) and kept in an indexed ``initials`` column, so a
search is an index range (``initials >= 'cxm' AND initials < 'cxm\\uffff'``), not a conversion of every
row. pypinyin (about 0.1 s to import, 15 µs a name) is imported the first time a name is converted,
never on a terminal's start-up path.
"""
from __future__ import annotations

import re

MAX_LEN = 40

# Surnames read differently from the same character in other words: pypinyin's default reading of a
# lone 曾 is "ceng" and of 单 "dan", but as the first character of a person's name they are Zeng and Shan.
SURNAME_INITIALS = {"曾": "z", "单": "s", "解": "x", "仇": "q", "查": "z", "区": "o", "朴": "p", "覃": "q",
                    "翟": "z", "盖": "g", "缪": "m", "乐": "y", "尉": "y", "种": "c", "繁": "p", "员": "y",
                    "秘": "b", "召": "s", "句": "g", "长": "c", "柏": "b", "藏": "z", "牟": "m"}

_RUNS = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+)")


def initials(text: str | None, *, person: bool = False) -> str | None:
    """The lower-case initials of ``text``: one letter per Chinese character (its pinyin's first letter)
    and one per Latin word or number (``Oil filter`` -> ``of``), in order. ``person``: the first
    character is read as a surname. None for a text without any (nothing to index)."""
    if not text:
        return None
    out: list[str] = []
    first = True
    for chinese, latin in _RUNS.findall(text):
        if chinese:
            letters = _chinese_initials(chinese)
            if person and first and chinese[0] in SURNAME_INITIALS:
                letters[0] = SURNAME_INITIALS[chinese[0]]
            out.extend(letters)
        else:
            out.append(latin[0].lower())
        first = False
    joined = "".join(out)[:MAX_LEN]
    return joined or None


def _chinese_initials(run: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin
    letters = lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore", strict=False)
    if len(letters) != len(run):  # a character pypinyin does not know: keep positions by skipping it
        letters = [(lazy_pinyin(ch, style=Style.FIRST_LETTER, errors="ignore", strict=False) or [""])[0]
                   for ch in run]
    return [letter[:1].lower() for letter in letters]


def looks_like_initials(text: str) -> bool:
    """Typed text that could be pinyin initials: 1-40 Latin letters and digits, no spaces."""
    return bool(text) and len(text) <= MAX_LEN and text.isascii() and text.isalnum()


def prefix(field, text: str):
    """An index range on an initials column: ``field`` starts with ``text`` (lower-cased)."""
    text = text.lower()
    return (field >= text) & (field < text + "\uffff")


__all__ = ["initials", "looks_like_initials", "prefix", "SURNAME_INITIALS"]
