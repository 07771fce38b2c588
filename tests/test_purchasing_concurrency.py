"""Two clerks at two terminals receive the same PO line at the same moment: together never more than ordered."""
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from models.db import db
from models.parts import Part, StockMovement
from models.purchasing import PurchaseOrder, PurchaseOrderLine
from workshop import parts, purchasing
from workshop.purchasing import POLine, SupplierForm

CLERK = textwrap.dedent("""
    import json, os, sys, time
    from models.db import open_database
    from models.people import Staff
    from workshop import purchasing
    from workshop.errors import DomainError
    path, po_id, line_id, qty, start_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    open_database(path)
    clerk = Staff.get(Staff.login == "huang.bo")
    while not os.path.exists(start_file):   # both terminals press Enter at the same moment
        time.sleep(0.001)
    try:
        purchasing.receive(po_id, {line_id: qty}, by=clerk, reference="DN-" + str(os.getpid()))
        print(json.dumps({"ok": True}))
    except DomainError as error:
        print(json.dumps({"ok": False, "message": str(error)}))
""")


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(3))
def test_two_clerks_receiving_the_same_po_line_never_take_in_more_than_ordered(shop, db_path, tmp_path, round_):
    Part.create(code="BP-100", name="Front brake pads", unit="pc", sale_price=Decimal("520"))
    supplier = purchasing.add_supplier(SupplierForm(name="GAC Parts"), by=shop.clerk)
    po = purchasing.create_po(supplier.id, [POLine("BP-100", "5")], by=shop.clerk)
    line = PurchaseOrderLine.get(PurchaseOrderLine.po == po.id)
    db.close()
    start = tmp_path / "go"
    root = Path(__file__).resolve().parents[1]
    # Each delivery note says 3 of the 5: one of them must be refused.
    procs = [subprocess.Popen([sys.executable, "-c", CLERK, str(db_path), str(po.id), str(line.id), "3", str(start)],
                              cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    db.connect(reuse_if_open=True)
    assert sorted(r["ok"] for r in results) == [False, True], results
    refused = next(r for r in results if not r["ok"])
    assert "Only 2 pc of BP-100 are still due" in refused["message"]
    part = Part.get(Part.code == "BP-100")
    assert PurchaseOrderLine.get_by_id(line.id).received == 3
    assert parts.stock_of(part.id, 1).on_hand == 3 == parts.ledger_balance(part.id, 1)
    assert StockMovement.select().where(StockMovement.kind == "receipt").count() == 1
    assert PurchaseOrder.get_by_id(po.id).state == "open"
