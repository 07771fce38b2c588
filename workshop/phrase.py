"""Phrases: a message kept as its English template and its values, so that it can be said again later in
whichever language the reader reads.

An audit event is written once, by whoever made the change, and read for years by others: a Chinese
manager reads the history an English-reading advisor wrote. So an event does not store its summary in
the writer's language: it stores the phrase (``Event.message``, JSON: the msgid and the values) and,
for the record, its English text (``Event.summary``). The reader's terminal says the phrase in its
own language when it shows the event (``render``). Events written before phrases existed have no
message and show their summary as it was written.

A value is shown as it is (a name, a plate, a number), or says itself in the reader's language: a
code of a label table (``Term``), an amount of money (``Money``), a fixed word (``Word``), a date or a
time (``When``), a list (``Items``), or another phrase (a summary made of parts).
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from workshop import i18n


class Value:
    """A value of a phrase that says itself in the reader's language."""

    def say(self, words) -> str:
        raise NotImplementedError

    def dump(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class Term(Value):
    """A code shown through a label table: ``Term("models.people:ROLE_LABELS", "manager")`` says
    "manager" / "服务经理". The table is named by where it lives, so a reader imports it when needed."""
    table: str
    code: str | None

    def say(self, words) -> str:
        return words.label(_table(self.table), self.code)

    def dump(self) -> dict:
        return {"t": "term", "table": self.table, "code": self.code}


@dataclass(frozen=True)
class Word(Value):
    """A fixed word or phrase without values (marked with N_ where it is written, or NC_ with a
    ``context`` when its English is ambiguous)."""
    text: str
    context: str | None = None

    def say(self, words) -> str:
        if not self.text:
            return ""
        return words.pgettext(self.context, self.text) if self.context else words._(self.text)

    def dump(self) -> dict:
        return {"t": "word", "text": self.text, **({"c": self.context} if self.context else {})}


@dataclass(frozen=True)
class Local(Value):
    """A name of reference data that has an English and a Chinese name (an operation, a part...): each
    reader gets the one of their language (``i18n.local``)."""
    english: str | None
    chinese: str | None

    def say(self, words) -> str:
        return words.local(self.english, self.chinese)

    def dump(self) -> dict:
        return {"t": "local", "en": self.english, "zh": self.chinese}


@dataclass(frozen=True)
class Money(Value):
    """An amount as the screens show it: thousands separators, two decimals (``symbol``: with ¥)."""
    amount: Decimal
    symbol: bool = False

    def say(self, words) -> str:
        return words.money(self.amount, symbol=self.symbol)

    def dump(self) -> dict:
        return {"t": "money", "v": str(self.amount), **({"s": 1} if self.symbol else {})}


@dataclass(frozen=True)
class When(Value):
    """A date or a time, as ``strftime`` writes it (the shop writes dates the same way in both
    languages); a weekday (``%a``) is said in the reader's language."""
    value: dt.date | dt.datetime
    format: str = "%Y-%m-%d"

    def say(self, words) -> str:
        text = self.format
        if "%a" in text:
            text = text.replace("%a", words._(WEEKDAYS[self.value.weekday()]))
        return self.value.strftime(text)

    def dump(self) -> dict:
        return {"t": "when", "v": self.value.isoformat(), "f": self.format,
                "d": not isinstance(self.value, dt.datetime)}


@dataclass(frozen=True)
class Items(Value):
    """Several values said one after the other with the reader's list separator (", " / "、")."""
    items: tuple

    def __init__(self, items):
        object.__setattr__(self, "items", tuple(items))

    def say(self, words) -> str:
        return words.pgettext("list separator", ", ").join(_say(item, words) for item in self.items)

    def dump(self) -> dict:
        return {"t": "items", "v": [_dump(item) for item in self.items]}


class Phrase(Value):
    """``Phrase(N_("{order} was moved by {name}"), order=..., name=...)``; a plural
    ``Phrase(Nn_("{n} line", "{n} lines"), n=count, ...)``: ngettext picks the form for ``n`` (also
    given to the template as ``{n}``)."""

    __slots__ = ("msgid", "values", "plural", "n")

    def __init__(self, msgid: str | tuple[str, str], /, *, plural: str | None = None, n: int | None = None,
                 **values: Any):
        if isinstance(msgid, tuple):
            msgid, plural = msgid
        self.msgid, self.plural, self.n, self.values = msgid, plural, n, values

    def say(self, words=None) -> str:
        words = words or i18n.current()
        template = (words.ngettext(self.msgid, self.plural, self.n) if self.plural is not None
                    else words._(self.msgid))
        values = {name: _say(value, words) for name, value in self.values.items()}
        if self.n is not None:
            values.setdefault("n", self.n)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: the English
            return self.msgid.format(**values)

    def english(self) -> str:
        return self.say(i18n.Words("en"))

    def __str__(self) -> str:
        return self.say()

    def __add__(self, other) -> "Phrase":
        """Two phrases (or a phrase and a value) said one after the other."""
        return Phrase("{a}{b}", a=self, b=other)

    def __eq__(self, other) -> bool:
        return isinstance(other, Phrase) and self.dump() == other.dump()

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        return f"Phrase({self.msgid!r}, {self.values!r})"

    def dump(self) -> dict:
        data = {"m": self.msgid, "a": {name: _dump(value) for name, value in self.values.items()}}
        if self.plural is not None:
            data.update(p=self.plural, n=self.n)
        return data

    def to_json(self) -> str:
        return json.dumps(self.dump(), ensure_ascii=False, separators=(",", ":"))


def order_ref(number: int) -> Phrase:
    """A repair order's name, "RO 1042" / "维修单 1042"."""
    return Phrase(i18n.N_("RO {number}"), number=number)


WEEKDAYS = (i18n.N_("Mon"), i18n.N_("Tue"), i18n.N_("Wed"), i18n.N_("Thu"), i18n.N_("Fri"), i18n.N_("Sat"),
            i18n.N_("Sun"))


def _say(value, words) -> str:
    if isinstance(value, Value):
        return value.say(words)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


def _dump(value):
    if isinstance(value, Value):
        return value.dump()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return When(value, "%Y-%m-%d %H:%M" if isinstance(value, dt.datetime) else "%Y-%m-%d").dump()
    return str(value)


def _load(data):
    if not isinstance(data, dict):
        return data
    if "m" in data:
        return Phrase(data["m"], plural=data.get("p"), n=data.get("n"),
                      **{name: _load(value) for name, value in (data.get("a") or {}).items()})
    kind = data.get("t")
    if kind == "term":
        return Term(data["table"], data.get("code"))
    if kind == "word":
        return Word(data.get("text", ""), data.get("c"))
    if kind == "local":
        return Local(data.get("en"), data.get("zh"))
    if kind == "money":
        return Money(Decimal(data["v"]), bool(data.get("s")))
    if kind == "when":
        value = dt.date.fromisoformat(data["v"]) if data.get("d") else dt.datetime.fromisoformat(data["v"])
        return When(value, data.get("f", "%Y-%m-%d"))
    if kind == "items":
        return Items(_load(item) for item in data.get("v", ()))
    return str(data)


def load(text: str | None) -> Phrase | None:
    """The phrase stored as JSON (``Phrase.to_json``); None for none or for what cannot be read."""
    if not text:
        return None
    try:
        loaded = _load(json.loads(text))
    except (ValueError, TypeError, KeyError):
        return None
    return loaded if isinstance(loaded, Phrase) else None


def render(message: str | None, fallback: str, words=None) -> str:
    """What an event says to its reader: its phrase in the reader's language, else (an event written
    before phrases, or a phrase that cannot be read) its summary as it was written."""
    phrase = load(message)
    if phrase is None:
        return fallback
    try:
        return phrase.say(words)
    except Exception:  # (a label table renamed since, a value of another shape): the record, not a crash
        return fallback


@cache
def _table(path: str) -> dict:
    module, _sep, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return {}


def said(text) -> tuple[str, str | None]:
    """(English summary, message JSON or None) of what a service gives to an audit row: a Phrase, or a
    plain string (said as it was written, in the writer's language)."""
    if isinstance(text, Phrase):
        return text.english(), text.to_json()
    return str(text), None
