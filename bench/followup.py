"""The follow-up loop's lists on the large shop, one page each, p50/p95 (target p95 <= 20 ms a page): lost
customers, the call register, the maintenance list (plans and pace), planned services due, campaign
invitations, escalated complaints; the churn figures, the time-driven rules every terminal runs at sign-in,
and planning a campaign of 5,000 invitations.

    BENCH_LARGE_DB=/tmp/followup-large.db .venv/bin/python -m bench.followup [--n 50] [--pages 30] [--clock cpu]

``--clock cpu`` times the processor time of this process (SQLite runs in it) instead of the elapsed time:
on a busy machine the elapsed time is mostly waiting for a core.

The large shop has no maintenance plans or campaigns of its own (its cars were all serviced here): the first
run adds, on that file, plans for 50,000 cars (200,000 planned services, one open per car, due dates spread
over two years back and forward) and 10 campaigns, one per model of the shop (~12,000 invitations each:
the bench lifts campaign_max_invitations to 15,000), so that those lists have something to page through. Use a copy of the large shop, never the shared file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from bench.common import open_db, report

TARGET_MS = 20
now = time.perf_counter


def _timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t = now()
        fn()
        times.append(now() - t)
    return times


def _walk(load, pages: int) -> tuple[list[float], int]:
    """Page through a keyset list: the time of each page and how many rows were seen."""
    times, after, seen = [], None, 0
    for _ in range(pages):
        t = now()
        rows = load(after)
        times.append(now() - t)
        if not rows:
            break
        seen += len(rows)
        after = rows[-1]
    return times, seen


def _plans(db, rng: random.Random) -> None:
    from workshop import clock
    if db.execute_sql("SELECT COUNT(*) FROM planned_service").fetchone()[0]:
        return
    t = time.perf_counter()
    today = clock.today()
    ids = [r[0] for r in db.execute_sql("SELECT id FROM vehicle ORDER BY id LIMIT 50000")]
    rows = []
    for vid in ids:
        start = today - dt.timedelta(days=rng.randint(0, 730))
        open_seq = rng.randint(1, 4)
        for seq in range(1, 5):
            due = start + dt.timedelta(days=180 * (seq - 1))
            status = "missed" if seq < open_seq else "open" if seq == open_seq else "planned"
            rows.append((vid, seq, 5000 * seq, due.isoformat(), due.isoformat(), status))
    with db.atomic():
        db.connection().executemany("INSERT INTO planned_service (vehicle_id, seq, due_km, planned_date, due_date, "
                                    "status) VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.execute_sql("ANALYZE planned_service")
    print(f"added {len(rows):,} planned services of {len(ids):,} cars ({time.perf_counter() - t:.1f} s)")


def _campaigns(db) -> None:
    from models.campaigns import Campaign
    from models.people import Staff
    from workshop import campaigns, clock, settings
    if Campaign.select().exists():
        return
    manager = Staff.get(Staff.login == "zhou.min")
    settings.DEFAULTS["campaign_max_invitations"] = 15000  # the large shop's models have ~12,000 cars each
    models = [r[0] for r in db.execute_sql("SELECT model, COUNT(*) c FROM vehicle GROUP BY model ORDER BY c DESC "
                                           "LIMIT 10")]
    for i, model in enumerate(models):
        form = campaigns.CampaignForm(name=f"{model} day", starts_on=clock.today() + dt.timedelta(days=5 + i),
                                      rule="model", rule_value=model)
        t = time.perf_counter()
        try:
            made = campaigns.create_campaign(form, by=manager)
            print(f"campaign {made.name}: {made.invited:,} invited in {time.perf_counter() - t:.2f} s")
        except Exception as refused:  # more than 5,000 drivers of that model: said and skipped
            print(f"campaign {model}: {refused} ({time.perf_counter() - t:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shop", choices=["demo", "large"], default="large")
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global now
    now = time.process_time if args.clock == "cpu" else time.perf_counter
    open_db(args.shop)
    from models.db import db
    from models.schema import migrate
    t = time.perf_counter()
    applied = migrate()
    if applied:
        print(f"migrated {applied} in {time.perf_counter() - t:.1f} s")
    from models.people import Staff
    from workshop import (call_register, callbacks, campaigns, daily, followup_figures, reminders, service_plan,
                          winback)
    rng = random.Random(24)
    _plans(db, rng)
    _campaigns(db)
    n, pages = args.n, args.pages

    print(f"\none page of 100, p95 target {TARGET_MS} ms; '{pages} pages' walks the list page by page (keyset); "
          f"{'processor' if args.clock == 'cpu' else 'elapsed'} time")
    report("lost customers, first page", _timed(lambda: winback.lost_customers(limit=101), n), TARGET_MS)
    times, seen = _walk(lambda after: winback.lost_customers(limit=100, after=after), pages)
    report(f"lost customers, {len(times)} pages ({seen:,} rows)", times, TARGET_MS)
    report("call register, first page", _timed(lambda: call_register.calls(limit=101), n), TARGET_MS)
    times, seen = _walk(lambda after: call_register.calls(limit=100, after=after), pages)
    report(f"call register, {len(times)} pages ({seen:,} rows)", times, TARGET_MS)
    report("call register, incoming only", _timed(lambda: call_register.calls(limit=101, incoming_only=True), n),
           TARGET_MS)
    report("maintenance list (plans + pace), first page", _timed(lambda: reminders.due("maintenance", limit=101), n),
           TARGET_MS)
    times, seen = _walk(lambda after: reminders.due("maintenance", limit=100, after=after), pages)
    report(f"maintenance list, {len(times)} pages ({seen:,} rows)", times, TARGET_MS)
    report("planned services due, first page", _timed(lambda: service_plan.due_services(limit=101), n), TARGET_MS)
    times, seen = _walk(lambda after: service_plan.due_services(limit=100, after=after and after.key), pages)
    report(f"planned services due, {len(times)} pages ({seen:,} rows)", times, TARGET_MS)
    report("invitations due, first page", _timed(lambda: campaigns.invitations_due(limit=101), n), TARGET_MS)
    times, seen = _walk(lambda after: campaigns.invitations_due(limit=100, after=after), pages)
    report(f"invitations due, {len(times)} pages ({seen:,} rows)", times, TARGET_MS)
    first = campaigns.campaigns(limit=1)
    if first:
        report("one campaign's invitations with who came",
               _timed(lambda: campaigns.invitations_of(first[0].id, limit=101), n), TARGET_MS)
    report("campaigns with their figures", _timed(lambda: campaigns.campaigns(limit=51), max(5, n // 5)))
    holder = Staff.get(Staff.login == "liu.yang").id
    report("complaints escalated to me (count, list)",
           _timed(lambda: (callbacks.escalated_to(holder), callbacks.complaints(escalated_to=holder)), n), TARGET_MS)
    report("churn per month (6 months)", _timed(followup_figures.churn_months, max(5, n // 5)))
    daily.run()  # whatever was due is done; what every terminal pays at each sign-in and every 10 minutes:
    report("time-driven rules with nothing due (daily.run)", _timed(daily.run, max(5, n // 5)))
    for sql, label in (
            ("SELECT id FROM customer WHERE last_visit_at < '2026-05-30' ORDER BY last_visit_at DESC, id DESC "
             "LIMIT 101", "lost customers"),
            ("SELECT id FROM planned_service WHERE status = 'open' AND due_date <= '2026-12-14' "
             "ORDER BY due_date, id LIMIT 101", "planned services due"),
            ("SELECT id FROM invitation WHERE status = 'due' AND due <= '2026-11-30' ORDER BY due, id LIMIT 101",
             "invitations due"),
            ("SELECT id FROM call_record WHERE topic = 'incoming' ORDER BY at DESC, id DESC LIMIT 101",
             "incoming calls")):
        plan = "; ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql))
        print(f"plan of {label}: {plan}")


if __name__ == "__main__":
    main()
