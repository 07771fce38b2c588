"""Many terminals (real processes) doing the same kind of thing at the same moment, on whichever engine the
suite runs on: clerks booking goods in for one part, advisors checking cars in, cashiers settling. Every
balance comes out exact and every number series gapless, and nobody sees anything but success (on a loaded
machine a write held up past its deadline is refused, changing nothing, and pressed again, as a user would)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from models.db import db
from models.orders import OrderCounter, RepairOrder
from models.parts import Part, StockMovement
from models.people import Customer
from models.settlement import Settlement
from workshop import parts

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 8
EACH = 5  # 8 x 5 = forty of each

PRELUDE = textwrap.dedent("""
    import json, os, sys, time, traceback
    from models.db import open_database
    from models.people import Staff
    path, worker, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    arg = json.loads(sys.argv[4])
    open_database(path)
    def report(**values):
        print(json.dumps(values), flush=True)
    def as_a_user(action):
        # Held up past the write's deadline on a loaded machine, the terminal says so and the user
        # presses the key again (the refusal changed nothing).
        from workshop.errors import WriteBusy
        for _attempt in range(4):
            try:
                return action()
            except WriteBusy:
                time.sleep(0.2)
        return action()
    while not os.path.exists(start):   # every process starts at the same moment
        time.sleep(0.001)
""")


def run_all(script: str, db_path, tmp_path, args: list) -> list[dict]:
    """Run ``script`` in one process per item of ``args`` at once; their reports (JSON lines)."""
    start = tmp_path / "go"
    db.close()
    procs = [subprocess.Popen([sys.executable, "-c", PRELUDE + textwrap.dedent(script), str(db_path), str(i),
                               str(start), json.dumps(arg)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, arg in enumerate(args)]
    start.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        reports += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    db.connect(reuse_if_open=True)
    return reports


GOODS_IN = """
    from workshop import parts
    clerk = Staff.get(Staff.login == "huang.bo")
    for n in range(arg["times"]):
        try:
            as_a_user(lambda: parts.receive(arg["code"], "10", by=clerk, reference=f"DN-{worker}-{n}"))
            report(ok=True)
        except Exception as error:
            report(ok=False, error=type(error).__name__ + ": " + str(error))
"""


def test_clerks_booking_goods_in_of_one_part_at_once_all_count(shop, db_path, tmp_path):
    Part.create(code="BP-100", name="Brake pads", unit="set", sale_price=Decimal("300"))
    reports = run_all(GOODS_IN, db_path, tmp_path, [{"code": "BP-100", "times": EACH}] * PROCESSES)
    assert [r for r in reports if not r["ok"]] == []
    part = Part.get(Part.code == "BP-100")
    assert parts.stock_of(part.id, 1).on_hand == Decimal(10 * PROCESSES * EACH)  # 400: no receipt lost
    assert parts.ledger_balance(part.id, 1) == parts.stock_of(part.id, 1).on_hand
    assert StockMovement.select().where(StockMovement.part == part.id).count() == PROCESSES * EACH


CHECK_IN = """
    import datetime as dt
    from workshop import clock
    from workshop.reception import CustomerForm, OrderForm, VehicleForm, create_order, register_vehicle
    from workshop.vins import check_digit
    advisor = Staff.get(Staff.login == "li.wei")
    for n in range(arg["times"]):
        try:
            raw = f"LVGBM53K0RC{worker:03d}{n:03d}"
            car = as_a_user(lambda: register_vehicle(
                CustomerForm(name=f"Driver {worker}-{n}", mobile=f"139{worker:04d}{n:04d}"),
                VehicleForm(plate=f"粤C{worker}{n}{worker}{n}A", vin=raw[:8] + check_digit(raw) + raw[9:],
                            brand="Toyota", model="Corolla"), by=advisor))
            order = as_a_user(lambda: create_order(OrderForm(
                vehicle_id=car.id, mileage_in="1000", statement="Service",
                promised_at=clock.now() + dt.timedelta(hours=4), operation_codes=["QS001"]), by=advisor))
            report(ok=True, number=order.number)
        except Exception as error:
            report(ok=False, error=type(error).__name__ + ": " + str(error))
"""


def test_forty_check_ins_at_once_get_forty_gapless_ro_numbers(shop, db_path, tmp_path):
    first = RepairOrder.select().count()
    customers = Customer.select().count()
    reports = run_all(CHECK_IN, db_path, tmp_path, [{"times": EACH}] * PROCESSES)
    assert [r for r in reports if not r["ok"]] == []
    numbers = sorted(r["number"] for r in reports)
    assert numbers == list(range(1001 + first, 1001 + first + PROCESSES * EACH))  # gapless, none twice
    assert OrderCounter.get(OrderCounter.name == "repair_order").next_value == numbers[-1] + 1
    codes = sorted(code for (code,) in Customer.select(Customer.code).where(Customer.code.startswith("C1"))
                   .tuples())
    assert len(codes) == len(set(codes)) == customers + PROCESSES * EACH


SETTLE = """
    from workshop import settlement
    cashier = Staff.get(Staff.login == arg["login"])
    for order_id in arg["orders"]:
        try:
            invoice = as_a_user(lambda: settlement.settle(order_id, by=cashier))
            report(ok=True, number=invoice.number)
        except Exception as error:
            report(ok=False, error=type(error).__name__ + ": " + str(error))
"""


def test_forty_cashiers_settlements_at_once_get_forty_gapless_invoice_numbers(shop, db_path, tmp_path):
    from tests.factories import make_staff, make_vehicle
    from workshop import lifecycle
    cashiers = ["hu.xin"] + [make_staff(f"cash{i}", f"Cashier {i}", "cashier").login for i in range(1, PROCESSES)]
    orders = []
    for i in range(PROCESSES * EACH):
        car = make_vehicle(f"粤E{i:05d}", f"LVGBM53K5RE{i:06d}", shop.customer)
        order = shop.order(car)
        orders.append(order.id)
    # Straight to the cashier's queue: the way there is tested elsewhere, and forty trips through the
    # workshop would only make this test slow. An order with nothing paid and a bill on account.
    RepairOrder.update(state=lifecycle.READY_SETTLEMENT).where(RepairOrder.id.in_(orders)).execute()
    args = [{"login": cashiers[p], "orders": orders[p::PROCESSES]} for p in range(PROCESSES)]
    reports = run_all(SETTLE, db_path, tmp_path, args)
    assert [r for r in reports if not r["ok"]] == []
    numbers = sorted(r["number"] for r in reports)
    assert numbers == list(range(1, PROCESSES * EACH + 1))
    assert sorted(n for (n,) in Settlement.select(Settlement.number).tuples()) == numbers
    assert OrderCounter.get(OrderCounter.name == "invoice").next_value == PROCESSES * EACH + 1
    assert RepairOrder.select().where(RepairOrder.state == lifecycle.SETTLED).count() == PROCESSES * EACH
