"""A pseudo-locale: every message that goes through gettext comes back with its letters turned into
look-alike accented letters of the same width ("Open" -> "Ǿƥḗƞ"), placeholders and markup kept. On a
screen drawn in it, any run of plain ASCII letters was not translated, unless it is data (a name, a
plate, a code stored in the database) or a key's name.

    with pseudo_locale():   # every later _() / ngettext / pgettext is transformed
        ...
"""
from __future__ import annotations

import gettext
import re
from contextlib import contextmanager

from workshop import i18n

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOOK_ALIKE = "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ"
_TABLE = str.maketrans(_PLAIN, _LOOK_ALIKE)
# Left as they are: format placeholders ({name}, {amount:,.2f}), %-placeholders, Rich markup tags.
_KEEP = re.compile(r"\{[^{}]*\}|%(?:\([a-z_]+\))?[sd]|\[/?[a-z@#][^\[\]]*\]")


def transform(message: str) -> str:
    if not message:
        return message
    out, last = [], 0
    for kept in _KEEP.finditer(message):
        out.append(message[last:kept.start()].translate(_TABLE))
        out.append(kept.group())
        last = kept.end()
    out.append(message[last:].translate(_TABLE))
    return "".join(out)


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return transform(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return transform(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return transform(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return transform(singular if n == 1 else plural)


@contextmanager
def pseudo_locale():
    """Every message in the pseudo-locale (formats and reference names as in Chinese) until the end."""
    before = i18n.language()
    i18n.force(PseudoTranslations(), "zh_CN")
    try:
        yield
    finally:
        i18n.force(None, before)


# A word of ASCII letters standing alone (not part of a code such as ME001, 粤B12345 or OF-M20A's M20A).
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")


def untranslated(text: str, allowed: set[str]) -> list[str]:
    """The lines of ``text`` holding an English word that is neither data nor a key's name."""
    found = []
    for line in text.splitlines():
        words = [w for w in WORD.findall(line) if w not in allowed and w.lower() not in allowed]
        if words:
            found.append(f"{sorted(set(words))}: {line.strip()}")
    return found


CODE = re.compile(r"[a-z_,]+")  # a stored code ("in_progress", "advisor,dispatcher"): shown through a label


def stored_words() -> set[str]:
    """Every word of every text value in the database (names, plates, statements, reference data), but
    codes (they reach the screen through label tables) and what events say (phrases, translated)."""
    from peewee import CharField, TextField
    import models
    from models.events import Event
    words: set[str] = set()
    for model in models.ALL_MODELS:
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))
                  and not any(f is said for said in (Event.summary, Event.message))]  # (== builds SQL)
        if not fields:
            continue
        for row in model.select(*fields).tuples():
            for value in row:
                if value and not CODE.fullmatch(str(value)):
                    words.update(re.findall(r"[A-Za-z]{2,}", str(value)))
    return words
