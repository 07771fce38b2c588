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
PATH = re.compile(r"(?<![\w])/[\w.\-]+(?:/[\w.\-…]*)+")


def untranslated(text: str, allowed: set[str]) -> list[str]:
    """The lines of ``text`` holding an English word that is neither data nor a key's name (a word cut
    short with … counts as the data it is the start of)."""
    found = []
    for line in text.splitlines():
        line = PATH.sub(" ", line)  # a file's path (where a document was written) is data
        words = []
        for match in WORD.finditer(line):
            word = match.group()
            if word in allowed or word.lower() in allowed:
                continue
            if line[match.end():match.end() + 1] == "…" and any(a.startswith(word) for a in allowed):
                continue
            words.append(word)
        if words:
            found.append(f"{sorted(set(words))}: {line.strip()}")
    return found


# Names of keys and file kinds a Chinese screen writes in Latin letters too.
KEPT = {"Ctrl", "Esc", "Enter", "Tab", "Excel", "xlsx", "csv", "txt", "html", "pdf", "svg"}


def kept_words() -> set[str]:
    """The abbreviations the Chinese catalog itself keeps as they are (VIN, PIN, VIP, CSV, PDF...) and
    the names of keys: what a screen in real Chinese (a document, an exported list) may show."""
    from babel.messages.pofile import read_po
    from workshop import catalogs
    words: set[str] = set(KEPT)
    with catalogs.po_path("zh_CN").open("rb") as file:
        for message in read_po(file):
            if not message.id:
                continue  # (the catalog's header)
            strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
            for text in strings:
                words.update(w for w in re.findall(r"[A-Za-z]{2,}", _KEEP.sub("", text or "")) if w.isupper())
    return words


def codes() -> set[str]:
    """Every code a label table names (states, kinds, roles, units...): stored, but shown through its
    label, so never allowed on screen as it is."""
    import importlib
    import pkgutil
    import models
    import workshop
    found: set[str] = set()
    for package in (models, workshop):
        for info in pkgutil.iter_modules(package.__path__):
            if info.name in ("cli", "warm", "catalogs"):
                continue
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if name.endswith("LABELS") and isinstance(value, dict):
                    found.update(k for k in value if isinstance(k, str))
    return found


def stored_words() -> set[str]:
    """Every word of every text value in the database (names, plates, statements, reference data), but
    codes (they reach the screen through label tables) and what events say (phrases, translated)."""
    from peewee import CharField, TextField
    import models
    from models.events import Event
    known_codes = codes()
    words: set[str] = set()
    for model in models.ALL_MODELS:
        fields = [f for f in model._meta.sorted_fields if isinstance(f, (CharField, TextField))
                  and not any(f is said for said in (Event.summary, Event.message))]  # (== builds SQL)
        if not fields:
            continue
        for row in model.select(*fields).tuples():
            for field, value in zip(fields, row):
                if any(field is said for said in (Event.before, Event.after)):
                    value = _json_values(value)  # (its keys are field names: shown translated)
                if value and not (set(str(value).split(",")) <= known_codes):
                    words.update(re.findall(r"[A-Za-z]{2,}", str(value)))
    return words


def _json_values(raw: str | None) -> str:
    import json
    try:
        values = json.loads(raw or "{}")
    except ValueError:
        return raw or ""
    return " ".join(str(v) for v in values.values()) if isinstance(values, dict) else str(values)
