"""The translation catalogs, kept with Babel (a developer's tool, not used while the app runs).

    python -m workshop.catalogs            extract every _()/N_()/ngettext() string, update each
                                           language's .po (new entries empty, gone ones dropped), compile .mo
    python -m workshop.catalogs --check    the same without writing: exit 1 if a .po or .mo is out of date
                                           or an entry has no translation
    python -m workshop.catalogs add FILE.json
                                           put translations into the zh_CN catalog: a JSON object
                                           {"English msgid": "中文", ...}; for an ngettext entry the key is
                                           the singular and the value a list of the forms (then run the
                                           first command)
    python -m workshop.catalogs merge BASE OURS THEIRS
                                           git merge driver for .po files: the union of both sides'
                                           entries (.gitattributes; `git config merge.pocatalog.driver
                                           "python -m workshop.catalogs merge %O %A %B"`)
"""
from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from workshop.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = LOCALE_DIR.parents[1]
SOURCES = ("workshop", "screens", "models", "seeds")
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2), "Nn_": (1, 2)}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


def extract() -> Catalog:
    """Every translatable string of the app's code, with where it is used (file, no line numbers)."""
    template = Catalog(project="workshop-terminal", charset="utf-8")
    for source in SOURCES:
        for filename, _lineno, message, comments, context in extract_from_dir(
                ROOT / source, method_map=[("**.py", "python")], keywords=KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            if source == "workshop" and filename.startswith("catalogs"):
                continue
            template.add(message, None, [(f"{source}/{filename}", None)], auto_comments=comments,
                         context=context)
    return template


def read(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, omit_header=False,
             ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def updated(language: str, template: Catalog) -> Catalog:
    catalog = read(po_path(language), language)
    catalog.update(template, no_fuzzy_matching=True)
    # Fixed dates: the file changes only when its entries do (no churn, no merge conflicts on a header line).
    catalog.revision_date = catalog.creation_date = FIXED_DATE
    catalog.project, catalog.version = "workshop-terminal", "1"
    catalog.last_translator = catalog.language_team = "workshop-terminal"
    catalog.header_comment = f"# Translations of the workshop terminal: {LANGUAGES[language]}."
    catalog.fuzzy = False
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if not all(strings) or message.fuzzy:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def run(check: bool) -> int:
    template = extract()
    problems = 0
    for language in LANGUAGES:
        if language == "en":
            continue
        catalog = updated(language, template)
        po, mo = po_bytes(catalog), mo_bytes(catalog)
        for path, data in ((po_path(language), po), (mo_path(language), mo)):
            current = path.read_bytes() if path.exists() else b""
            if current != data:
                if check:
                    print(f"{path.relative_to(ROOT)} is out of date: run python -m workshop.catalogs")
                    problems += 1
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
        missing = untranslated(catalog)
        if missing:
            print(f"{language}: {len(missing)} entries without a translation, e.g.:")
            for message in missing[:15]:
                print(f"  {message!r}")
            problems += 1
    return 1 if problems else 0


def merge(base: str, ours: str, theirs: str) -> int:
    """Union of two edited catalogs: every entry either side has; where both translated one differently,
    ours wins. Written to ``ours`` as git expects."""
    ours_catalog = read(Path(ours), "zh_CN")
    theirs_catalog = read(Path(theirs), "zh_CN")
    for message in theirs_catalog:
        if not message.id:
            continue
        mine = ours_catalog.get(message.id, message.context)
        if mine is None:
            ours_catalog[message.id] = message
        elif not mine.string and message.string:
            mine.string = message.string
    Path(ours).write_bytes(po_bytes(ours_catalog))
    return 0


def add(json_file: str, language: str = "zh_CN") -> int:
    """Set translations from a JSON object of msgid -> translation (entries not yet extracted are added
    too, so translations can be written before or after the code). A msgid with a context is written
    "context\u0004msgid" (as gettext stores it); a plural's translation is a list of its forms."""
    import json
    entries = json.loads(Path(json_file).read_text(encoding="utf-8"))
    catalog = read(po_path(language), language)
    template = None
    for msgid, msgstr in entries.items():
        context, _sep, msgid = msgid.rpartition("\u0004")
        context = context or None
        if isinstance(msgstr, list):
            msgstr = tuple(msgstr)
        existing = catalog.get(msgid, context)
        if existing is None and isinstance(msgstr, tuple):  # a plural: its English forms come from the code
            extracted = (template := template or extract()).get(msgid, context)
            if extracted is not None:
                msgid = extracted.id
        if existing is None:
            catalog.add(msgid, msgstr, context=context)
        else:
            existing.string = msgstr
            existing.flags.discard("fuzzy")
    po_path(language).parent.mkdir(parents=True, exist_ok=True)
    po_path(language).write_bytes(po_bytes(catalog))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["add"]:
        return add(argv[1])
    if argv[:1] == ["merge"]:
        return merge(*argv[1:4])
    return run(check="--check" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
