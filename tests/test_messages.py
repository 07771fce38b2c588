"""What workshop/ says to people goes through gettext: every refusal's message is translated, and
every audit event says what happened as a phrase (workshop/phrase.py), so that each reader reads it in
their own language. Checked on the code itself: a new service that raises a plain English message, or
records a summary as a finished string, fails here with its file and line."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRORS = {"DomainError", "InvalidInput", "NotFound", "NotAllowed", "IllegalTransition", "StaleOrder",
          "SignInFailed", "DocumentError"}


def _modules():
    for path in sorted((ROOT / "workshop").glob("*.py")):
        if path.name in ("catalogs.py", "warm.py", "inotify.py"):  # a developer's tool; no user text
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _plain(node) -> bool:
    """A message written out in English: a literal, an f-string, or a literal's .format()/+."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(ch.isalpha() for ch in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain(node.left) or _plain(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _plain(node.func.value)
    return False


def _finished(node) -> bool:
    """A summary said already (in the writer's language) instead of a phrase: _(...).format(...) or
    _(...) + ..., or plain English."""
    if _plain(node):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        inner = node.func.value
        return isinstance(inner, ast.Call) and getattr(inner.func, "id", getattr(inner.func, "attr", "")) == "_"
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
        return True
    if isinstance(node, ast.BinOp):
        return _finished(node.left) or _finished(node.right)
    return False


def test_every_refusal_of_the_domain_is_translated():
    plain = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
                if name in ERRORS and node.exc.args and _plain(node.exc.args[0]):
                    plain.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not plain, "refusals in plain English (use _() with named placeholders):\n" + "\n".join(plain)


def test_every_event_says_what_happened_as_a_phrase():
    finished = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            summary = None
            if name == "record" and len(node.args) >= 5:
                summary = node.args[4]
            for keyword in node.keywords:
                if keyword.arg == "summary":
                    summary = keyword.value
                    if isinstance(summary, ast.Lambda):
                        summary = summary.body
            if summary is not None and _finished(summary):
                finished.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not finished, ("events whose summary is a finished string (record a Phrase: each reader then "
                          "reads it in their own language):\n" + "\n".join(finished))
