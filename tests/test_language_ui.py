"""Which language: the terminal's (LANG), unless whoever signs in reads another; back to the terminal's
for the next person."""
import pytest

from screens.app import WorkshopApp
from screens.board import BoardScreen
from tests.factories import TEST_PIN
from tests.ui import wait_until
from workshop import accounts, i18n
from workshop.errors import NotAllowed


@pytest.fixture
def chinese_terminal(monkeypatch):
    """A terminal whose environment asks for Chinese (LANG=zh_CN.UTF-8); the process's language is put
    back afterwards (it is process-wide, and the next test in this worker expects its own)."""
    before = i18n.language()
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    yield
    i18n.set_language(before)


async def sign_in(pilot, staff) -> None:
    options = pilot.app.screen.query_one("#staff-list")
    options.highlighted = next(i for i in range(options.option_count)
                               if options.get_option_at_index(i).id == str(staff.id))
    await pilot.press("enter", *TEST_PIN, "enter")  # (the PIN is checked in a worker: wait for the board)
    assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen) and pilot.app.staff is not None
                            and pilot.app.screen.query(".column-title"))


def column_titles(app) -> list[str]:
    return [str(title.render()) for title in app.screen.query(".column-title")]


async def test_staff_member_who_reads_english_gets_english_on_a_chinese_terminal_after_ctrl_u(shop, chinese_terminal):
    accounts.set_language(shop.cashier.id, "en", by=shop.manager)
    app = WorkshopApp(poll_seconds=0.05, build_ahead=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await sign_in(pilot, shop.dispatcher)              # no preference: the terminal's Chinese
        assert i18n.language() == "zh_CN"
        assert column_titles(app)[0].startswith("已接车"), column_titles(app)
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: app.staff is None and app.screen.query("#staff-list"))
        await sign_in(pilot, shop.cashier)                 # reads English
        assert i18n.language() == "en"
        assert column_titles(app)[0].startswith("Checked in"), column_titles(app)
        assert "cashier" in app.sub_title
        await pilot.press("ctrl+u")                        # the next person gets the terminal's language again
        await wait_until(pilot, lambda: app.staff is None and app.screen.query("#staff-list"))
        assert i18n.language() == "zh_CN"
        await sign_in(pilot, shop.dispatcher)
        assert column_titles(app)[0].startswith("已接车"), column_titles(app)
        assert "调度" in app.sub_title or "dispatcher" not in app.sub_title


async def test_a_person_picks_their_own_language_from_the_palette_and_the_board_is_rebuilt_in_it(shop, chinese_terminal):
    app = WorkshopApp(poll_seconds=0.05, build_ahead=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await sign_in(pilot, shop.dispatcher)
        assert column_titles(app)[0].startswith("已接车")
        app.action_choose_language()
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LanguageChoice" and app.screen.query("OptionList"))
        options = app.screen.query_one("OptionList")
        options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "en")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BoardScreen) and column_titles(app)
                         and column_titles(app)[0].startswith("Checked in"))
    assert accounts.Staff.get_by_id(shop.dispatcher.id).language == "en"


def test_only_a_manager_sets_someone_else_s_language(shop):
    with pytest.raises(NotAllowed):
        accounts.set_language(shop.cashier.id, "en", by=shop.dispatcher)
    assert accounts.set_language(shop.dispatcher.id, "zh_CN", by=shop.dispatcher).language == "zh_CN"
    assert accounts.set_language(shop.cashier.id, "", by=shop.manager).language is None


def test_time_left_on_a_card_reads_in_chinese(chinese_terminal):
    import datetime as dt

    from screens.card import promised_text, time_left
    now = dt.datetime(2026, 11, 20, 9, 0)
    i18n.set_language("zh_CN")
    assert time_left(now + dt.timedelta(hours=2, minutes=5), now) == ("剩2时05分", "green")
    assert time_left(now - dt.timedelta(minutes=35), now)[0] == "超时35分"
    assert time_left(now + dt.timedelta(days=1, hours=3), now)[0] == "剩1天3时"
    assert promised_text(dt.datetime(2026, 11, 23, 10, 0), now) == "周一 10:00"
    i18n.set_language("en")
    assert time_left(now + dt.timedelta(hours=2, minutes=5), now)[0] == "2h05m left"
    assert promised_text(dt.datetime(2026, 11, 23, 10, 0), now) == "Mon 10:00"
