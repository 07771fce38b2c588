"""Translations: the catalogs are complete and compiled, and the language follows the environment."""
import pytest

from workshop import catalogs, i18n


def test_every_translatable_string_has_its_chinese_entry_and_the_compiled_catalog_is_current(capsys):
    assert catalogs.run(check=True) == 0, capsys.readouterr().out


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh_CN"),
    ({"LANGUAGE": "fr:zh_CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
    ({"LC_MESSAGES": "C", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "zh_TW.UTF-8"}, "zh_CN"),
    ({}, "en"),
])
def test_language_comes_from_the_standard_environment(environ, expected):
    assert i18n.language_from_environment(environ) == expected


def test_switching_language_changes_what_later_calls_return():
    before = i18n.language()
    try:
        i18n.set_language("en")
        assert i18n.money(1234.5) == "CN¥1,234.50"
        i18n.set_language("zh_CN")
        assert i18n.language() == "zh_CN"
        assert i18n.money(1234.5) == "¥1,234.50"
    finally:
        i18n.set_language(before)
