"""A write that lost a race the database could not serialise (SQLite: the lock held past the busy timeout;
PostgreSQL: a serialization failure or a deadlock) runs again from the start a bounded number of times,
keeps nothing of the lost attempt, and ends in a clear message; and the database itself refuses stock
below zero, whatever path writes it."""
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import IntegrityError, OperationalError

from models.db import db, is_sqlite, run_write
from models.parts import Part, PartStock
from models.shop import Bay
from workshop.errors import Busy
from tests.factories import set_stock, stock

ROOT = Path(__file__).resolve().parents[1]


def _lost_race():
    """The error the engine raises when this transaction lost to another one."""
    if is_sqlite():
        return OperationalError("database is locked")
    import psycopg.errors
    return psycopg.errors.SerializationFailure("could not serialize access due to concurrent update")


def test_a_lost_race_runs_again_and_keeps_nothing_of_the_lost_attempt(shop):
    attempts = []

    def work():
        attempts.append(1)
        Bay.create(code=f"X{len(attempts)}", name="Extra", kind="mechanical")
        if len(attempts) == 1:
            raise _lost_race()
        return "done"

    assert run_write(work) == "done"
    assert len(attempts) == 2
    assert [b.code for b in Bay.select().where(Bay.code.startswith("X"))] == ["X2"]


def test_a_race_lost_every_time_ends_in_a_clear_message_with_nothing_saved(shop):
    attempts = []

    def work():
        attempts.append(1)
        Bay.create(code=f"Y{len(attempts)}", name="Extra", kind="mechanical")
        raise _lost_race()

    with pytest.raises(Busy, match="nothing was saved"):
        run_write(work, retries=2)
    assert len(attempts) == 3
    assert not Bay.select().where(Bay.code.startswith("Y")).exists()


def test_other_database_errors_are_not_retried(shop):
    attempts = []

    def work():
        attempts.append(1)
        Bay.create(code="Q1", name="Same code as the shop's", kind="quick_service")

    with pytest.raises(IntegrityError):
        run_write(work)
    assert len(attempts) == 1


def test_the_database_refuses_stock_below_zero_whatever_writes_it(shop):
    part = Part.create(code="SP-1", name="Spark plug", unit="pc", sale_price=Decimal("30"))
    set_stock(part, "2", reserved="1")
    with pytest.raises(IntegrityError):
        with db.atomic():
            PartStock.update(on_hand=PartStock.on_hand - 3).where(PartStock.part == part.id).execute()
    with pytest.raises(IntegrityError):
        with db.atomic():
            PartStock.update(reserved=PartStock.reserved - 2).where(PartStock.part == part.id).execute()
    assert (stock(part).on_hand, stock(part).reserved) == (Decimal("2"), Decimal("1"))


DEADLOCK = textwrap.dedent("""
    import json, os, sys, time
    from models.db import open_database, run_write
    from models.parts import PartStock
    path, first, second, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    open_database(path)
    attempts = []
    def work():
        attempts.append(1)
        PartStock.by_id(first, lock=True)
        if len(attempts) == 1:                # both hold their first part before either asks for its second
            open(f"{start}.{first}", "w").close()
            while not os.path.exists(f"{start}.{second}"):
                time.sleep(0.001)
        PartStock.by_id(second, lock=True)    # ... the other's first: a deadlock
        PartStock.update(on_hand=PartStock.on_hand + 1).where(PartStock.id.in_([first, second])).execute()
    while not os.path.exists(start):
        time.sleep(0.001)
    run_write(work)
    print(json.dumps({"attempts": len(attempts)}))
""")


@pytest.mark.postgres_only
def test_two_processes_in_a_deadlock_both_succeed_one_after_a_retry(shop, db_path, tmp_path):
    a = Part.create(code="DL-A", name="A", unit="pc", sale_price=Decimal("1"))
    b = Part.create(code="DL-B", name="B", unit="pc", sale_price=Decimal("1"))
    rows = {part.id: PartStock.create(part=part.id, shop=1).id for part in (a, b)}
    start = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", DEADLOCK, str(db_path), str(x), str(y), str(start)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for x, y in ((rows[a.id], rows[b.id]), (rows[b.id], rows[a.id]))]
    start.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out)["attempts"])
    assert sorted(results) == [1, 2]  # PostgreSQL broke the deadlock; the loser ran again
    assert stock(a).on_hand == stock(b).on_hand == Decimal("2")
