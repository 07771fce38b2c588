"""Translations and locale formats: every user-visible string goes through ``_()`` here.

The catalogs are standard gettext files under ``workshop/locale/<lang>/LC_MESSAGES/workshop.po``,
extracted and compiled with Babel (``python -m workshop.catalogs``); the compiled ``.mo`` files ship
as package data. One terminal is one process and serves one person at a time, so the language is
process-wide: it starts from the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) and follows the
preference of whoever signs in.

Strings defined at import time (label tables, key descriptions) are marked with ``N_()`` for
extraction and translated where they are shown, with ``_()``.
"""
from __future__ import annotations

import gettext
import os
from decimal import Decimal
from pathlib import Path

DOMAIN = "workshop"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
DEFAULT = "en"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT
# Translations and language used whatever language is asked for later (tests: a pseudo-locale that
# transforms every message, so that any English left on a screen shows it escaped translation).
_forced: tuple[gettext.NullTranslations, str] | None = None


# The language someone reads, as a label table: each language by its own name; "" is the terminal's.
LANGUAGE_NAMES = {**LANGUAGES, "": "terminal's language"}  # (the last one marked for extraction below)


def _(message: str) -> str:
    """The message in the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose English is ambiguous (e.g. "Open" a screen / an "Open" complaint)."""
    return _translations.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (it is translated where shown)."""
    return message


LANGUAGE_NAMES[""] = N_("terminal's language")


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction (a phrase said later for its count: workshop/phrase.py)."""
    return singular, plural


def NC_(context: str, message: str) -> str:
    """``N_`` for a message whose English is ambiguous: translated where shown with
    ``pgettext(context, message)``."""
    return message


def label(labels: dict[str, str], code: str | None) -> str:
    """The on-screen name of a code from a label table (values marked with N_), in the current language."""
    if code is None:
        return ""
    text = labels.get(code)
    return _(text) if text is not None else code


def normalise(value: str | None) -> str | None:
    """A supported language for a locale name (``zh_CN.UTF-8``, ``zh-cn``, ``zh``, ``en_US``), or None."""
    if not value:
        return None
    value = value.split(".")[0].split("@")[0].replace("-", "_")
    if value in ("C", "POSIX"):
        return "en"
    lang, _sep, region = value.partition("_")
    lang = lang.lower()
    if lang == "zh":
        return "zh_CN"  # Traditional follows from the same catalog later; Simplified is what the shops read
    if lang == "en":
        return "en"
    if f"{lang}_{region.upper()}" in LANGUAGES:
        return f"{lang}_{region.upper()}"
    return lang if lang in LANGUAGES else None


def language_from_environment(environ: dict | None = None) -> str:
    """The language the environment asks for, as gettext reads it: LANGUAGE (a list), then LC_ALL,
    LC_MESSAGES and LANG. The first supported one wins; English otherwise."""
    environ = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if not value:
            continue
        candidates = value.split(":") if variable == "LANGUAGE" else [value]
        for candidate in candidates:
            found = normalise(candidate)
            if found:
                return found
        if variable != "LANGUAGE":
            return DEFAULT  # a locale is set and it is not one we have: English, not the next variable
    return DEFAULT


def set_language(code: str | None) -> str:
    """Switch every later ``_()`` to ``code`` (a supported language); returns the language now in use."""
    global _translations, _language
    code = normalise(code) or DEFAULT
    if _forced is not None:
        _translations, _language = _forced
        return _language
    if code == _language:
        return code
    if code == DEFAULT:
        _translations = gettext.NullTranslations()
    else:
        _translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code
    return code


def force(translations: gettext.NullTranslations | None, code: str = "zh_CN") -> None:
    """Use ``translations`` for every message and ``code``'s formats and reference names, whatever
    language is chosen later; None goes back to the catalogs (in ``code``). For tests (a pseudo-locale)."""
    global _forced, _language
    _forced = (translations, code) if translations is not None else None
    _language = ""  # (set_language below switches, even to the language in use)
    set_language(code)


def language() -> str:
    return _language


def local(english: str | None, chinese: str | None) -> str:
    """The name of a piece of reference data (an operation, a part, a checklist item...) in the reader's
    language: the Chinese name when reading Chinese and there is one, else the English name."""
    if _language == "zh_CN" and chinese:
        return chinese
    return english or chinese or ""


class Words:
    """One language's words and formats, independent of the terminal's current language: a document
    printed in the shop's document language while the cashier's screen stays in theirs (and safe to use
    from a worker thread, since nothing global is switched)."""

    def __init__(self, code: str | None):
        self.language = normalise(code) or DEFAULT
        self._t = (gettext.NullTranslations() if self.language == DEFAULT
                   else gettext.translation(DOMAIN, LOCALE_DIR, languages=[self.language], fallback=True))
        self.locale = "zh_CN" if self.language == "zh_CN" else "en_US"

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)

    def label(self, labels: dict[str, str], code: str | None) -> str:
        if code is None:
            return ""
        text = labels.get(code)
        return self._(text) if text is not None else code

    def local(self, english: str | None, chinese: str | None) -> str:
        if self.language == "zh_CN" and chinese:
            return chinese
        return english or chinese or ""

    def money(self, amount, *, symbol: bool = True) -> str:
        from babel.numbers import format_currency, format_decimal
        amount = Decimal(amount or 0)
        if symbol:
            return format_currency(amount, CURRENCY, locale=self.locale)
        return format_decimal(amount, format="#,##0.00", locale=self.locale)

    def number(self, value) -> str:
        from babel.numbers import format_decimal
        return format_decimal(value, locale=self.locale)


class _Current:
    """The current language's words, with the interface of ``Words`` (workshop/phrase.py says a phrase
    with either)."""

    @property
    def language(self) -> str:
        return _language

    def _(self, message: str) -> str:
        return _(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return pgettext(context, message)

    def label(self, labels: dict[str, str], code: str | None) -> str:
        return label(labels, code)

    def local(self, english: str | None, chinese: str | None) -> str:
        return local(english, chinese)

    def money(self, amount, *, symbol: bool = True) -> str:
        return money(amount, symbol=symbol)

    def number(self, value) -> str:
        return number(value)


_CURRENT = _Current()


def current() -> _Current:
    """The words of the language in use now (switches with it)."""
    return _CURRENT


def join(items) -> str:
    """Items one after the other with the reader's list separator: "a, b" / "a、b"."""
    return pgettext("list separator", ", ").join(str(item) for item in items)


def babel_locale() -> str:
    return "zh_CN" if _language == "zh_CN" else "en_US"


# --- numbers, money, dates in the reader's locale (Babel is imported when first needed) -------------------
CURRENCY = "CNY"


def money(amount: Decimal | int | float | None, *, symbol: bool = True) -> str:
    """An amount with thousands separators and two decimals, with ¥ unless ``symbol`` is False."""
    from babel.numbers import format_currency, format_decimal
    amount = Decimal(amount or 0)
    if symbol:
        return format_currency(amount, CURRENCY, locale=babel_locale())
    return format_decimal(amount, format="#,##0.00", locale=babel_locale())


def number(value: int | Decimal | float) -> str:
    from babel.numbers import format_decimal
    return format_decimal(value, locale=babel_locale())


def date(value) -> str:
    """A date as the shop writes it (ISO order in both languages: 2026-11-30)."""
    return value.strftime("%Y-%m-%d") if value is not None else ""


def datetime(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday(value) -> str:
    """A date's short weekday name in the reader's language: "Mon" / "周一"."""
    return _(WEEKDAYS[value.weekday()])


def day(value, rest: str = "%H:%M") -> str:
    """A time on a list, weekday first: "Mon 09:00" / "周一 09:00" (``rest``: what strftime adds)."""
    return f"{weekday(value)} {value.strftime(rest)}" if value is not None else ""


def ago(seconds: float) -> str:
    """How long ago, in words: "3 min ago" / "3分钟前"."""
    from babel.dates import format_timedelta
    from datetime import timedelta
    # (at least a second: "0 seconds" with a direction reads "in 0 seconds")
    return format_timedelta(timedelta(seconds=-max(abs(seconds), 1)), add_direction=True, locale=babel_locale(),
                            threshold=1.0)


def duration(seconds: float) -> str:
    """A length of time in words: "3 hours" / "3小时"."""
    from babel.dates import format_timedelta
    from datetime import timedelta
    return format_timedelta(timedelta(seconds=abs(seconds)), locale=babel_locale(), threshold=1.0)


set_language(language_from_environment())
