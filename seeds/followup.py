"""Demo follow-up: call scripts, and for the last weeks of history the callbacks, calls, answers and
complaints a real shop would have, so today's queue has calls due and overdue and CSI is near target."""
from __future__ import annotations

import datetime as dt

from models.db import db
from seeds import demo
from seeds.chinese import QUESTIONS as QUESTIONS_ZH

QUESTIONS = {
    "general": ["Was the car ready when promised?", "Was the problem fixed the first time?",
                "How was the advisor's explanation of the work and the bill?", "How satisfied are you overall?"],
    "maintenance": ["Was the car ready when promised?", "Was the car clean when you picked it up?",
                    "Did the advisor remind you of the next service?", "How satisfied are you overall?"],
    "insurance": ["Was the claim handled without trouble for you?", "Is the repair as good as before the accident?",
                  "Was the car ready when promised?", "How satisfied are you overall?"],
}
_state = {"agents": [], "now": None}


def _reference(rng, size) -> None:
    demo.bulk("question", ["business_type", "position", "text", "text_zh"],
              [(btype, i, text, QUESTIONS_ZH.get(text)) for btype, texts in QUESTIONS.items()
               for i, text in enumerate(texts, 1)])
    _state["agents"] = [i for (i,) in db.execute_sql(
        f"SELECT id FROM staff WHERE roles LIKE {db.param}", ("%follow_up_agent%",))]
    _state["now"] = dt.datetime.now().replace(microsecond=0)


def _history(rng, closed, progress) -> None:
    now = _state["now"]
    recent = [c for c in closed if (now - c.released_at).days <= 21]
    if not recent or not _state["agents"]:
        return
    callbacks, calls, answers, complaints = [], [], [], []
    for order in recent:
        if rng.random() < 0.25:  # company cars outside the sample
            continue
        picked = order.released_at.date()
        due = picked + dt.timedelta(days=3)
        agent = rng.choice(_state["agents"])
        done = due <= now.date() and rng.random() < 0.85
        opens = dt.datetime.combine(due, dt.time(10))
        hours = rng.randint(0, 70) if done else 0
        # Within three days of opening, in office hours (10:00-17:59); none in the future: the same day
        # if that has passed, or not made yet.
        done_at = opens + dt.timedelta(days=hours // 24, hours=hours % 8) if done else None
        if done_at is not None and done_at > now:
            done_at = opens + dt.timedelta(hours=hours % 8)
            done = done_at <= now
            done_at = done_at if done else None
        status = "done" if done else "open"
        callbacks.append((order.id, order.customer_id, order.vehicle_id, "first", "private owner", True,
                          demo._ts(due), demo._ts(picked + dt.timedelta(days=7)), agent, status, 1 if done else 0,
                          demo._ts(order.released_at), demo._ts(done_at)))
        if done:
            calls.append((order.id, order.customer_id, agent, demo._ts(done_at), rng.random() < 0.04))
    demo.bulk("callback", ["order_id", "customer_id", "vehicle_id", "kind", "reason", "required", "due", "window_end",
                           "agent_id", "status", "attempts", "created_at", "done_at"], callbacks)
    if not calls:
        return
    ids = dict(db.execute_sql(f"SELECT order_id, id FROM callback WHERE order_id BETWEEN {db.param} AND {db.param}",
                              (recent[0].id, recent[-1].id)).fetchall())
    demo.bulk("call_record", ["callback_id", "customer_id", "by_id", "at", "reached", "notes"],
              [(ids[o], c, a, at, True, "complained" if bad else "satisfied") for o, c, a, at, bad in calls])
    call_ids = db.execute_sql("SELECT id, customer_id, at, notes FROM call_record WHERE callback_id IN (%s)"
                              % ",".join(str(ids[o]) for o, *_ in calls)).fetchall()
    for call_id, customer_id, at, notes in call_ids:
        for question in QUESTIONS["general"]:
            score = rng.choice([2, 3]) if notes == "complained" else rng.choices([5, 4, 3], [70, 26, 4])[0]
            answers.append((call_id, question, score))
        if notes == "complained":
            created = dt.datetime.fromisoformat(str(at))
            complaints.append((customer_id, "Noise still there after the repair", "service", "open",
                               demo._ts(created.date() + dt.timedelta(days=2)), rng.choice(_state["agents"]),
                               demo._ts(created), call_id))
    demo.bulk("answer", ["call_id", "question", "score"], answers)
    demo.bulk("complaint", ["customer_id", "description", "department", "status", "due", "created_by_id",
                            "created_at", "call_id"], complaints)


NEW_CARS = 12  # sold in the last year and never serviced here: the maintenance list has their first services


def _new_cars_and_a_campaign(rng, active) -> None:
    """Through the services, as a shop would: a dozen cars bought in the last eleven months, never serviced
    here (their plans are made as they are registered), and a campaign ten days ahead whose invitations
    are due today. A generator of this module's own, so that the other capabilities' data stays as it was."""
    import random

    from models.people import Staff
    from seeds.chinese import GIVEN, SURNAMES
    from workshop import campaigns, clock, customer_file
    from workshop.errors import DomainError
    from workshop.vins import with_check_digit
    own = random.Random(hash(rng.getstate()) ^ 24)
    advisor = Staff.select().where(Staff.roles.contains("advisor") & Staff.active).order_by(Staff.id).first()
    planner = Staff.select().where(Staff.roles.contains("care_supervisor") & Staff.active).order_by(Staff.id).first()
    models = db.execute_sql("SELECT DISTINCT brand, series, model FROM vehicle ORDER BY model LIMIT 6").fetchall()
    if advisor is None or not models:
        return
    today = clock.today()
    for i in range(NEW_CARS):
        brand, series, model = own.choice(models)
        try:
            owner = customer_file.create_customer(customer_file.CustomerForm(
                name=own.choice(SURNAMES) + own.choice(GIVEN) + own.choice(GIVEN),
                mobile=f"13{own.randint(0, 9)}{own.randint(0, 99_999_999):08d}"), by=advisor)
            customer_file.add_vehicle(owner.id, customer_file.VehicleForm(
                plate=f"粤A{own.choice('BCDEFG')}{own.randint(0, 9999):04d}",
                vin=with_check_digit(f"LVGNEW00X{own.randint(0, 99_999_999):08d}"), brand=brand, series=series or "",
                model=model, purchase_date=(today - dt.timedelta(days=30 + 28 * i)).isoformat(),
                purchase_mileage=str(own.randint(5, 40))), by=advisor)
        except DomainError:  # a number or plate the draw repeated: one car fewer
            continue
    if planner is not None:
        try:
            campaigns.create_campaign(campaigns.CampaignForm(
                name="冬季免费检测 Winter check", starts_on=today + dt.timedelta(days=10),
                ends_on=today + dt.timedelta(days=11), rule="service_due"), by=planner)
        except DomainError:  # nobody due, or more than a campaign may invite (the large shop)
            pass


demo.REFERENCE_EXTENSIONS.append(_reference)
demo.HISTORY_EXTENSIONS.append(_history)
demo.ACTIVE_EXTENSIONS.append(_new_cars_and_a_campaign)
