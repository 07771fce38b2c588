"""Two clerks at two terminals pick the last unit at the same moment: one gets it, the other a message."""
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from models.db import db
from models.parts import Part, PartLine, StockMovement
from workshop import parts
from tests.factories import stock

CLERK = textwrap.dedent("""
    import json, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import parts
    from workshop.errors import DomainError
    path, line_id, start_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    open_database(path)
    clerk = Staff.get(Staff.login == "huang.bo")
    import os
    while not os.path.exists(start_file):   # both processes start picking at the same moment
        time.sleep(0.001)
    try:
        parts.pick(line_id, "1", by=clerk)
        print(json.dumps({"ok": True}))
    except DomainError as error:
        print(json.dumps({"ok": False, "message": str(error)}))
""")


def test_two_clerks_picking_the_last_unit_one_succeeds_one_is_told(shop, db_path, tmp_path):
    Part.create(code="OF-001", name="Oil filter", unit="pc", sale_price=Decimal("45"))
    first = shop.in_progress(shop.car)
    second = shop.in_progress(shop.car2, bay=1)
    line_a = parts.add_part_line(first.id, "OF-001", "1", by=shop.dispatcher)
    line_b = parts.add_part_line(second.id, "OF-001", "1", by=shop.dispatcher)
    # One unit found at stocktake: free stock, reserved for neither order, so either clerk may take it.
    parts.count_stock("OF-001", "1", "found in returns shelf", by=shop.clerk)
    assert stock("OF-001").reserved == 0
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", CLERK, str(db_path), str(line), str(start)], cwd=root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for line in (line_a.id, line_b.id)]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    db.connect(reuse_if_open=True)
    assert sorted(r["ok"] for r in results) == [False, True]
    refused = next(r for r in results if not r["ok"])
    assert "OF-001" in refused["message"] and "can be picked" in refused["message"]
    part = Part.get(Part.code == "OF-001")
    assert stock(part).on_hand == 0 and parts.ledger_balance(part.id, 1) == 0
    assert StockMovement.select().where(StockMovement.kind == "issue").count() == 1
    assert sum(line.picked for line in PartLine.select()) == 1
