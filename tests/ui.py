"""Helpers for Pilot tests: start the app signed in as someone, wait for what a user would wait for."""
from __future__ import annotations

from screens.app import WorkshopApp


def app_as(staff, *, poll_seconds: float = 0.05, build_ahead: bool = False) -> WorkshopApp:
    """The app as a terminal where ``staff`` is signed in (the board is the first screen). Screens are
    not built ahead unless asked: a test sees only the screens it opens."""
    return WorkshopApp(auto_staff=staff, poll_seconds=poll_seconds, build_ahead=build_ahead)


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def wait_until(pilot, condition, *, rounds: int = 200, step: float = 0.05) -> bool:
    """Let the app run until ``condition()`` holds (bounded; returns whether it did)."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause(step)
    return condition()
