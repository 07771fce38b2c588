"""The follow-up agent records a call with the keyboard."""
import datetime as dt

from models.followup import Answer, Callback, Question
from tests.ui import app_as, notifications, wait_until
from workshop import clock


async def test_agent_records_a_reached_call_with_scores(shop):
    for i, text in enumerate(("Ready when promised?", "Satisfied overall?")):
        Question.create(business_type="general", position=i, text=text)
    shop.delivered()
    clock.advance(days=3)
    app = app_as(shop.agent)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "CallbacksScreen")
        assert len(app.screen.query_one("#calls").items) == 1
        await pilot.press("enter")
        assert await wait_until(pilot, lambda: app.screen.__class__.__name__ == "FormDialog")
        await pilot.press("tab", "5", "tab", "4", "tab", *"all good", "ctrl+s")
        assert await wait_until(pilot, lambda: Callback.get(Callback.kind == "first").status == "done")
        assert sorted(a.score for a in Answer.select()) == [4, 5]
        assert Callback.get(Callback.kind == "second").due == clock.today() + dt.timedelta(days=7)
        assert any("Call recorded" in m for m in notifications(app))
