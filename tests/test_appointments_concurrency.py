"""Two advisors at two terminals book the last free hour at the same moment: one wins, the other is told
and shown the next free time. Real processes, each with its own connection."""
import datetime as dt
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.appointments import Appointment, AppointmentSlot
from models.db import db
from models.people import Staff

ADVISOR = textwrap.dedent("""
    import datetime as dt, json, os, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import appointments, clock
    from workshop.errors import DomainError
    path, login, vehicle_id, start_file = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    open_database(path)
    clock.freeze(dt.datetime(2026, 11, 20, 9, 0))   # the test shop's day
    advisor = Staff.get(Staff.login == login)
    form = appointments.AppointmentForm(vehicle_id=vehicle_id, starts_at=dt.datetime(2026, 11, 21, 10, 0),
                                        operation_codes=["QS002"])
    while not os.path.exists(start_file):   # both press the key at the same moment
        time.sleep(0.001)
    try:
        appointment = appointments.book(form, by=advisor)
        print(json.dumps({"ok": True, "number": appointment.number}))
    except appointments.CapacityFull as full:
        print(json.dumps({"ok": False, "message": str(full), "free": [at.isoformat() for at in full.free]}))
    except DomainError as error:
        print(json.dumps({"ok": False, "message": str(error), "free": None}))
""")


@pytest.mark.slow
def test_two_advisors_booking_the_last_free_hour_one_wins_the_other_is_shown_the_next_free_time(shop, db_path,
                                                                                                 tmp_path):
    """One quick-service technician: 10:00-11:00 holds one 0.8 h service. Both advisors want it."""
    Staff.create(login="wang.fang", name="Wang Fang", roles="advisor")
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", ADVISOR, str(db_path), login, str(car.id), str(start)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for login, car in (("li.wei", shop.car), ("wang.fang", shop.car2))]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    db.connect(reuse_if_open=True)
    assert sorted(r["ok"] for r in results) == [False, True]
    told = next(r for r in results if not r["ok"])
    assert "No room at" in told["message"] and "quick service is fully booked" in told["message"]
    assert told["free"][0] == dt.datetime(2026, 11, 21, 11, 0).isoformat()
    assert Appointment.select().count() == 1
    assert [s.starts_at.hour for s in AppointmentSlot.select().order_by(AppointmentSlot.starts_at)] == [10, 10]
