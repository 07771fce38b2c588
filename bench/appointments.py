"""Appointments on the large shop: the day view (the half-hour grid per trade and the day's list) and the capacity
check of a booking, p50/p95, target p95 <= 50 ms; and, for information, a booking written, a booking refused with
the next free times, the reminder list, the expected arrivals and the clerk's pre-picks.

    .venv/bin/python -m bench.appointments [--db /tmp/appointments-large.db] [--n 200] [--clock cpu]

--clock cpu times each call by its thread's processor time (the kernel's part, reading the file's pages, included):
on a machine shared with other work the wall clock measures the queue for a core as much as the code.

It measures on a copy of the large shop (BENCH_LARGE_DB, copied the first time: the shared file stays as it is),
migrated, with appointments added the first time: 60 days of history in bulk and 14 days ahead booked through the
booking service (so they respect capacity and hold their parts).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import time
from pathlib import Path

from bench.common import LARGE_DB, report

COPY = Path("/tmp/appointments-large.db")


def _prepare(path: Path, per_day: int) -> None:
    from models.db import db, open_database
    from models.schema import migrate
    if not path.exists():
        source = LARGE_DB
        print(f"copying {source} to {path} ...", flush=True)
        started = time.perf_counter()
        shutil.copyfile(source, path)
        print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    open_database(path)
    started = time.perf_counter()
    applied = migrate()
    if applied:
        print(f"migrated ({', '.join(applied)}) in {time.perf_counter() - started:.1f} s", flush=True)
    if db.execute_sql("SELECT COUNT(*) FROM appointment").fetchone()[0]:
        return
    from seeds import appointments as seeding
    from seeds.demo import ClosedOrder
    from workshop import clock
    rng = random.Random(20)
    since = clock.now() - dt.timedelta(days=seeding.HISTORY_DAYS)
    started = time.perf_counter()
    closed = [ClosedOrder(oid, number, cid, vid, advisor, btype, dt.datetime.fromisoformat(str(t_in)), None, None, 0,
                          (), ())
              for oid, number, cid, vid, advisor, btype, t_in in db.execute_sql(
                  "SELECT id, number, customer_id, vehicle_id, advisor_id, business_type, time_in FROM repair_order "
                  "WHERE time_in >= ? AND state = 'delivered' ORDER BY time_in", (since.isoformat(sep=" "),))]
    with db.atomic():
        seeding.history(rng, closed)
    print(f"history: {db.execute_sql('SELECT COUNT(*) FROM appointment').fetchone()[0]:,} appointments for "
          f"{len(closed):,} orders in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    booked = seeding.upcoming(rng, days=14, per_day=per_day)
    print(f"booked {booked:,} appointments ahead through the service in {time.perf_counter() - started:.1f} s",
          flush=True)
    db.execute_sql("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=COPY)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--per-day", type=int, default=400, help="bookings tried per day when seeding")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    _prepare(args.db, args.per_day)
    clock_ = time.perf_counter if args.clock == "wall" else time.thread_time
    print(f"clock: {args.clock}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    from models.db import db
    from workshop import appointments, capacity, clock, prepick
    from workshop.errors import DomainError
    from models.people import Staff
    rng = random.Random(7)
    today = clock.today()
    days = [today + dt.timedelta(days=i) for i in range(14)]
    per_day = {d: appointments.count_open(d) for d in days[:3]}
    print("open appointments today, tomorrow, the day after:", ", ".join(f"{n}" for n in per_day.values()))
    slots = [(t, op) for (t, op) in db.execute_sql("SELECT trade, code FROM operation").fetchall()]
    by_trade: dict[str, list[str]] = {}
    for trade, code in slots:
        by_trade.setdefault(trade, []).append(code)
    cap = capacity.shop_capacity()
    hours = capacity.opening()

    def work() -> list[tuple[str, object]]:
        from decimal import Decimal
        picked = [rng.choice(["quick_service", "mechanical", "electrical", "body"]) for _ in range(rng.choice([1, 1, 2]))]
        return [(t, Decimal(rng.choice(["0.5", "0.8", "1.0", "1.5", "2.5"]))) for t in picked if t in cap.trades]

    def any_slot() -> dt.datetime:
        day = rng.choice(days[1:])
        return rng.choice(hours.day_slots(day))

    times = []
    for _ in range(args.n):
        day = rng.choice(days)
        t = clock_()
        capacity.day_grid(day)
        appointments.day_list(day)
        times.append(clock_() - t)
    report("day view (grid per trade and the day's list)", times, target_ms=50)

    times = []
    for _ in range(args.n):
        start, wanted = any_slot(), work() or [("quick_service", 1)]
        t = clock_()
        capacity.check(start, wanted)
        times.append(clock_() - t)
    report("capacity check of a booking", times, target_ms=50)

    times = []
    for _ in range(args.n // 4):
        start, wanted = any_slot(), work() or [("quick_service", 1)]
        t = clock_()
        capacity.next_free(start, wanted)
        times.append(clock_() - t)
    report("next three free times (a refusal's offer)", times)

    advisor = Staff.get(Staff.login == "li.wei")
    top = db.execute_sql("SELECT MAX(id) FROM vehicle").fetchone()[0]
    codes = by_trade.get("quick_service", [])[:10]
    booked, refused, unfit = [], [], []
    later = [today + dt.timedelta(days=i) for i in range(15, 45)]  # beyond what was booked ahead: room left
    rng = random.Random()  # not the seeded one: a second run would ask for the same cars at the same times
    for i in range(args.n // 2):
        day = rng.choice(later if i % 2 else days[1:])
        form = appointments.AppointmentForm(vehicle_id=rng.randint(1, top), starts_at=rng.choice(hours.day_slots(day)),
                                            operation_codes=[rng.choice(codes)])
        t = clock_()
        try:
            appointments.book(form, by=advisor)
            booked.append(clock_() - t)
        except appointments.CapacityFull:
            refused.append(clock_() - t)
        except DomainError:  # the drawn operation is not for that car's series: refused before the transaction
            unfit.append(clock_() - t)
    if booked:
        report("booking written (check, lock, slots, parts, event)", booked)
    if refused:
        report("booking refused (with the next free times)", refused)
    if unfit:
        report("booking refused (work not for the car)", unfit)

    for name, call in (("reminder list (tomorrow)", lambda: appointments.reminder_list()),
                       ("expected arrivals (today)", lambda: appointments.expected_arrivals()),
                       ("pre-picks (tomorrow)", lambda: prepick.prepicks()),
                       ("parts short, next 7 days", lambda: prepick.shortages())):
        times = []
        for _ in range(max(20, args.n // 10)):
            t = clock_()
            call()
            times.append(clock_() - t)
        report(name, times)


if __name__ == "__main__":
    main()
