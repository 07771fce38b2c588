"""Sixteen terminals (real processes) move the same few orders at once on one SQLite file.

Afterwards every attempted change was either applied or refused with a clear reason, the event log
holds exactly the applied ones, no process ever saw 'database is locked', and replaying the log from
the starting states reproduces every order's final state through legal transitions only."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from models.db import db
from models.events import Event
from models.orders import RepairOrder
from workshop.lifecycle import TRANSITIONS

WORKERS = 16
ATTEMPTS = 15
MOVES = {"dispatched": ["start", "wait_parts"], "in_progress": ["stop", "wait_parts"],
         "waiting_parts": ["resume"]}

WORKER = textwrap.dedent("""
    import json, os, random, sys, time
    from models.db import open_database
    from models.orders import RepairOrder
    from models.people import Staff
    from workshop import lifecycle
    from workshop.errors import IllegalTransition, StaleOrder
    path, worker, attempts, start, order_ids = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    order_ids = [int(i) for i in order_ids.split(",")]
    moves = %r
    open_database(path)
    who = Staff.get(Staff.login == "zhang.lei")
    rng = random.Random(worker)
    while not os.path.exists(start):
        time.sleep(0.001)
    for attempt in range(attempts):
        order_id = rng.choice(order_ids)
        order = RepairOrder.get_by_id(order_id)             # this terminal's view
        name = rng.choice(moves[order.state])
        time.sleep(rng.random() * 0.003)                     # the user thinks; others act
        op_id = f"w{worker}-{attempt}"
        try:
            lifecycle.transition(order_id, name, by=who, seen_version=order.version, op_id=op_id)
            result = "applied"
        except (StaleOrder, IllegalTransition) as error:
            result = type(error).__name__ + ": " + str(error)
        except Exception as error:                           # anything else is a failure of the design
            result = "ERROR " + type(error).__name__ + ": " + str(error)
        print(json.dumps({"op_id": op_id, "order": order_id, "move": name, "result": result}), flush=True)
""") % (MOVES,)


def test_sixteen_processes_moving_the_same_orders_never_lose_or_invent_a_change(shop, db_path, tmp_path):
    orders = [shop.dispatched(car, bay=bay) for car, bay in ((shop.car, 0), (shop.car2, 1), (shop.car3, 4))]
    start_versions = {o.id: RepairOrder.get_by_id(o.id).version for o in orders}
    first_event = Event.select().order_by(Event.id.desc()).first().id
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    ids = ",".join(str(o.id) for o in orders)
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(db_path), str(w), str(ATTEMPTS), str(start), ids],
                              cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(WORKERS)]
    start.touch()
    attempts = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        attempts += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    db.connect(reuse_if_open=True)

    assert len(attempts) == WORKERS * ATTEMPTS
    errors = [a for a in attempts if a["result"].startswith("ERROR")]
    assert errors == [], errors[:3]
    applied = {a["op_id"] for a in attempts if a["result"] == "applied"}
    refused = [a for a in attempts if a["result"] != "applied"]
    assert applied and refused  # real contention happened
    assert all(r["result"].startswith(("StaleOrder: RO", "IllegalTransition: RO")) for r in refused)

    logged = list(Event.select().where((Event.id > first_event) & Event.op_id.is_null(False)).order_by(Event.id))
    assert {e.op_id for e in logged} == applied  # the log matches the applied changes exactly

    for order in orders:
        state = "dispatched"
        events = [e for e in logged if e.order_id == order.id]
        for event in events:
            move = TRANSITIONS[event.kind]
            assert state in move.source, f"impossible move {event.kind} from {state}"
            state = move.target
        final = RepairOrder.get_by_id(order.id)
        assert final.state == state
        assert final.version == start_versions[order.id] + len(events)
