"""Every kind of change the services record has its name in both languages on the audit trail (its kind
column and filter): never the code, never English on a Chinese screen."""
import re
from pathlib import Path

from models.followup import COMPLAINT_STATUSES
from models.tools import TOOL_RECORD_LABELS
from workshop import audit, i18n

ROOT = Path(__file__).resolve().parents[1]
LITERAL = re.compile(r'audit\.record\(\s*[^,()]+,\s*"([a-z_]+)"\s*,')
PREFIXED = re.compile(r'audit\.record\(\s*[^,()]+,\s*"([a-z_]+_)"\s*\+')
# the kinds written as a prefix and a code: what the code can be
SUFFIXES = {"complaint_": COMPLAINT_STATUSES, "po_": ("closed", "cancelled"),
            "tool_": ("damage", "loss", "found", "maintenance", "calibration", "repair")}


def recorded_kinds() -> set[str]:
    kinds = set()
    for path in (ROOT / "workshop").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        kinds.update(LITERAL.findall(text))
        for prefix in PREFIXED.findall(text):
            kinds.update(prefix + code for code in SUFFIXES[prefix])
    return kinds


def test_every_kind_of_change_recorded_has_a_name():
    kinds = recorded_kinds()
    assert len(kinds) > 100  # the pattern still finds the services' calls
    assert sorted(k for k in kinds if k not in audit.KIND_LABELS) == []


def test_the_names_are_chinese_on_a_chinese_screen():
    assert set(TOOL_RECORD_LABELS) >= set(SUFFIXES["tool_"])
    try:
        i18n.set_language("zh_CN")
        untranslated = sorted(k for k in recorded_kinds() if audit.kind_label(k) == audit.KIND_LABELS.get(k))
    finally:
        i18n.set_language("en")
    assert untranslated == []
