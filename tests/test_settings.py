"""Settings: one name per setting, each read by a rule, each validated against its declaration when changed."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from models.events import Event
from models.shop import Setting
from workshop import settings
from workshop.errors import InvalidInput, NotAllowed

ROOT = Path(__file__).resolve().parent.parent


def _reads() -> tuple[set[str], list[re.Pattern]]:
    """Keys the code reads: string arguments of ``settings.get(...)`` and of any function whose name says
    "setting" (``_setting_int("...")``), outside workshop/settings.py; f-strings become patterns."""
    keys, patterns = set(), []
    for folder in ("workshop", "screens", "seeds"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "workshop" / "settings.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
                if not ((owner == "settings" and name == "get") or "setting" in name.lower()):
                    continue
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    keys.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    pattern = "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
                                      for part in arg.values)
                    patterns.append(re.compile(pattern + "$"))
    return keys, patterns


def test_every_declared_setting_is_read_by_some_rule():
    keys, patterns = _reads()
    unread = [s.key for s in settings.SPECS if s.key not in keys and not any(p.match(s.key) for p in patterns)]
    assert unread == []


def test_every_setting_a_rule_reads_is_declared_once():
    keys, patterns = _reads()
    assert sorted(keys - set(settings.SPEC_BY_KEY)) == []
    for pattern in patterns:
        assert any(pattern.match(key) for key in settings.SPEC_BY_KEY), pattern.pattern
    assert len(settings.SPECS) == len(settings.SPEC_BY_KEY)  # no key declared twice


def test_the_dead_keys_are_gone_and_capabilities_declare_nothing_on_the_side():
    import workshop.callbacks  # noqa: F401  capability modules once added defaults of their own
    import workshop.reminders  # noqa: F401
    import workshop.settlement  # noqa: F401
    for dead in ("maintenance_interval_km", "maintenance_interval_months", "lost_customer_months"):
        assert dead not in settings.DEFAULTS
    assert set(settings.DEFAULTS) == set(settings.SPEC_BY_KEY)


def test_every_setting_has_a_meaning_and_numbers_have_bounds_and_a_unit():
    for s in settings.SPECS:
        assert s.label and s.meaning and s.group in settings.GROUPS
        if s.kind in ("int", "decimal"):
            assert s.minimum is not None and s.maximum is not None and s.unit in settings.UNIT_LABELS, s.key
            assert s.minimum <= type(s.minimum)(s.default) <= s.maximum, s.key
        if s.kind == "choice":
            assert s.default in {code for code, _ in s.choices}


def test_a_manager_changes_a_setting_and_the_rule_reads_it(shop):
    settings.put("insurance_notice_days", "60", by=shop.manager)
    assert settings.get("insurance_notice_days") == 60
    event = Event.select().where(Event.kind == "setting_changed").order_by(Event.id.desc()).get()
    assert json.loads(event.before) == {"insurance_notice_days": 45}
    assert json.loads(event.after) == {"insurance_notice_days": 60}


@pytest.mark.parametrize("key, value, field", [
    ("insurance_notice_days", "0", "insurance_notice_days"),      # below its bound
    ("insurance_notice_days", "400", "insurance_notice_days"),    # above
    ("vat_rate", "13.555", "vat_rate"),                           # three decimals
    ("vat_rate", "abc", "vat_rate"),
    ("prices_include_tax", "perhaps", "prices_include_tax"),
    ("document_language", "fr", "document_language"),
    ("plate_pattern", "^[A-Z", "plate_pattern"),                  # not a regular expression
    ("no_such_setting", "1", "key"),
])
def test_bad_values_are_refused_naming_the_setting_and_nothing_is_written(shop, key, value, field):
    stored = Setting.select().count()  # (on PostgreSQL the suite's shop has its documents folder set)
    with pytest.raises(InvalidInput) as refused:
        settings.put(key, value, by=shop.manager)
    assert refused.value.field == field
    assert Setting.select().count() == stored and not Setting.select().where(Setting.key == key).exists()
    assert not Event.select().where(Event.kind == "setting_changed").exists()


def test_only_managers_change_settings(shop):
    with pytest.raises(NotAllowed):
        settings.put("comeback_days", "20", by=shop.advisor)
    assert settings.get("comeback_days") == 30


def test_several_settings_change_in_one_transaction_or_none_does(shop):
    with pytest.raises(InvalidInput):
        settings.put_many({"shop_name": "Pearl River Toyota", "comeback_days": "9999"}, by=shop.manager)
    assert settings.get("shop_name") == settings.DEFAULTS["shop_name"]
    changed = settings.put_many({"shop_name": "Pearl River Toyota", "shop_bank": "ICBC 6222 0000 1111"},
                                by=shop.manager)
    assert changed == {"shop_name": "Pearl River Toyota", "shop_bank": "ICBC 6222 0000 1111"}
    rows = {r.key: r for r in settings.listing("identity")}
    assert rows["shop_name"].value == "Pearl River Toyota" and rows["shop_name"].changed
    assert not rows["shop_phone"].changed
