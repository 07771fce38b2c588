"""Snapshots of the main screens (pytest-textual-snapshot): what each screen draws, cell by cell, on the
same shop at a frozen clock, compared with the picture accepted before. A layout that shifts, a column
cut short, a key bar that loses a key or a Chinese label that overflows shows as a failing snapshot with
the two pictures side by side (snapshot_report.html). After a change that is meant, look at the new
pictures and accept them: ``pytest tests/test_snapshots.py --snapshot-update``.

English at 80x24 (the board at 160x50 too) for the screens of issue 16; Chinese at 80x24 for the
screens of issue 17 (the board, reception, cashier, QC, and the order, parts, follow-up, set-up,
appointments and my jobs screens a Chinese shop uses most): Chinese takes two cells a character, so
these show what no English picture can (columns sized by cells, the key bar cut at a whole key)."""
from __future__ import annotations

import pytest

from models.orders import RepairOrder
from models.people import Staff
from tests.test_translated_screens import walk_shop  # noqa: F401  (the fixture: a shop with work everywhere)
from tests.ui import app_as

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _app(shop, role: str, language: str):
    staff = shop.technician if role == "technician" else getattr(shop, role)
    Staff.update(language=language).where(Staff.id == staff.id).execute()
    staff = Staff.get_by_id(staff.id)
    # Nothing built ahead and no time-driven rules: only what the screen shows when it is opened.
    return app_as(staff, build_ahead=False, time_rules=False)


def _opening(screen: str, shop, *keys: str):
    """run_before for snap_compare: open ``screen`` ("board", a registry name, or "order"), press
    ``keys``, and wait until what it loads in workers is on screen."""
    async def run_before(pilot) -> None:
        app = pilot.app
        for _ in range(200):  # the board is the first screen of a signed-in terminal
            if app.screen.__class__.__name__ == "BoardScreen":
                break
            await pilot.pause(0.05)
        if screen == "order":
            app.open_order(RepairOrder.get(RepairOrder.vehicle == shop.car.id).id)
        elif screen != "board":
            app.open_screen(screen)
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        if keys:
            await pilot.press(*keys)
            await pilot.pause(0.2)
            await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    return run_before


# (screen, role, keys pressed once it is open)
ENGLISH = [
    ("board", "manager", ()),
    ("reception", "advisor", ()),
    ("order", "manager", ()),
    ("cashier", "cashier", ()),
    ("qc", "inspector", ()),
    ("qc", "inspector", ("enter",)),  # the checklist: "Sign PASS" and "Sign FAIL" whole in the key bar
    ("parts", "clerk", ()),
    ("callbacks", "agent", ()),
    ("audit", "manager", ()),
    ("setup", "manager", ()),
]
CHINESE = [
    ("board", "manager", ()),
    ("reception", "advisor", ()),
    ("cashier", "cashier", ()),
    ("qc", "inspector", ()),
    ("qc", "inspector", ("enter",)),  # the checklist of the car waiting: "签字合格/不合格" must fit
    ("order", "manager", ()),
    ("parts", "clerk", ()),
    ("callbacks", "agent", ()),
    ("setup", "manager", ()),
    ("appointments", "advisor", ()),
    ("myjobs", "technician", ()),
]


@pytest.mark.parametrize("screen,role,keys", ENGLISH,
                         ids=[f"{s}-{r}{'-' + '-'.join(k) if k else ''}" for s, r, k in ENGLISH])
def test_english_screens_at_80x24(snap_compare, walk_shop, screen, role, keys):  # noqa: F811
    assert snap_compare(_app(walk_shop, role, "en"), run_before=_opening(screen, walk_shop, *keys),
                        terminal_size=(80, 24))


def test_the_board_uses_a_wide_terminal(snap_compare, walk_shop):  # noqa: F811
    assert snap_compare(_app(walk_shop, "manager", "en"), run_before=_opening("board", walk_shop),
                        terminal_size=(160, 50))


@pytest.mark.parametrize("screen,role,keys", CHINESE,
                         ids=[f"{s}-{r}{'-' + '-'.join(k) if k else ''}" for s, r, k in CHINESE])
def test_chinese_screens_at_80x24(snap_compare, walk_shop, screen, role, keys):  # noqa: F811
    assert snap_compare(_app(walk_shop, role, "zh_CN"), run_before=_opening(screen, walk_shop, *keys),
                        terminal_size=(80, 24))


def test_the_chinese_board_at_120x40(snap_compare, walk_shop):  # noqa: F811
    assert snap_compare(_app(walk_shop, "manager", "zh_CN"), run_before=_opening("board", walk_shop),
                        terminal_size=(120, 40))
