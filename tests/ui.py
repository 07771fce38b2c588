"""Helpers for Pilot tests: start the app signed in as someone, wait for what a user would wait for."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import screens.app
from screens.app import WorkshopApp


class PilotApp(WorkshopApp):
    """The app under Pilot. Pilot closes an app without ``exit()`` (which waits for a screen being
    built ahead to be mounted, as a user's Ctrl+Q does): this does the same before Pilot closes it."""

    CSS_PATH = str(Path(screens.app.__file__).with_name(WorkshopApp.CSS_PATH))  # (relative to screens/)

    @asynccontextmanager
    async def run_test(self, *args, **kwargs):
        async with super().run_test(*args, **kwargs) as pilot:
            yield pilot
            self.stop_building_ahead()
            for _ in range(100):
                if not self.kept.building():
                    break
                await pilot.pause(0.02)
            await pilot.pause()


def app_as(staff, *, poll_seconds: float = 0.05, build_ahead: bool = True, time_rules: bool = False) -> WorkshopApp:
    """The app as a terminal where ``staff`` is signed in (the board is the first screen), as in
    production: screens are built ahead while nobody types. ``build_ahead=False`` only where a test
    says why. The time-driven rules (workshop/daily.py) run only when asked: a test sees the changes it
    makes."""
    return PilotApp(auto_staff=staff, poll_seconds=poll_seconds, build_ahead=build_ahead, time_rules=time_rules)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


class NeverHappened(AssertionError):
    pass


async def wait_until(pilot, condition, *, rounds: int = 200, step: float = 0.05) -> bool:
    """Let the app run until ``condition()`` holds (bounded, about ``rounds * step`` seconds at least),
    and fail the test if it never does: a wait is always an assertion (``assert await wait_until``
    reads better, but a bare ``await wait_until`` cannot pass by mistake either)."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause(step)
    if condition():
        return True
    raise NeverHappened(f"waited {rounds * step:.0f} s and more for a condition that never held: "
                        f"{getattr(condition, '__qualname__', condition)} "
                        f"({condition.__code__.co_filename.rsplit('/', 1)[-1]}:{condition.__code__.co_firstlineno})")


async def settled(pilot) -> None:
    """Wait until what this terminal set going has finished and shows: the writes it runs in workers
    (screens/acting.py) and their results on screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def parts_catalog(pilot):
    """The parts screen (F5) opened on its catalogue tab from the keyboard; its table (rows still loading)."""
    app = pilot.app
    await pilot.press("f5")
    assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "PartsScreen")
    await pilot.press("2")
    return app.screen.query_one("#catalog-table")


def row_text(table, index: int) -> list[str]:
    """A table row's cells as the plain text they show."""
    return [str(cell) for cell in table.get_row_at(index)]
