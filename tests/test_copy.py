"""`workshop copy`: a shop's whole history moves from its SQLite file into an empty database (PostgreSQL on
the suite's PostgreSQL pass, another SQLite file otherwise), checked by row counts, the stock ledger and the
payments' total; a copy that does not add up, or into a database that holds a shop, keeps nothing. And no
command prints a database password."""
import sqlite3
from decimal import Decimal

import pytest

import models
from models.db import db, mask_url, open_database
from models.orders import RepairOrder
from models.parts import Part
from models.people import Staff
from models.schema import migrate
from tests import engines
from workshop import settings
from workshop.errors import DomainError
from workshop.shop_copy import copy_shop


@pytest.fixture
def tiny_shop_file(tmp_path, frozen_clock):
    """A generated tiny shop (history, invoices, payments, stock) in an SQLite file of its own."""
    from seeds.demo import generate
    path = tmp_path / "source.db"
    open_database(path)
    migrate()
    settings.forget_cache()
    generate("tiny", seed=7)
    counts = {m._meta.table_name: m.select().count() for m in models.ALL_MODELS}
    db.close()
    return path, counts


@pytest.fixture
def empty_target(tmp_path):
    """An empty database to copy into (a fresh schema on PostgreSQL, a new file on SQLite)."""
    schema = None
    if engines.on_postgres():
        schema, target = engines.new_schema()
    else:
        target = str(tmp_path / "target.db")
    yield target
    db.close()
    settings.forget_cache()
    if schema:
        engines.drop_schema(schema)


def test_copy_moves_the_whole_history_and_the_shop_works_on(tiny_shop_file, empty_target):
    source, counts = tiny_shop_file
    assert counts["repair_order"] > 50 and counts["payment"] and counts["event"]
    report = copy_shop(source, empty_target)
    assert report.rows == counts
    assert report.parts_checked == counts["part"] and report.payments_total > 0
    assert {m._meta.table_name: m.select().count() for m in models.ALL_MODELS} == counts  # in the target
    # The copy is a working shop: new rows take new ids and numbers after the copied ones.
    from tests.factories import make_vehicle
    from workshop.reception import OrderForm, create_order
    from workshop import clock
    import datetime as dt
    advisor = Staff.get(Staff.login == "li.wei")
    car = make_vehicle("粤Z99999", "LVGBM53K5RZ999999", models.Customer.select().first())
    highest = max(n for (n,) in RepairOrder.select(RepairOrder.number).tuples())
    order = create_order(OrderForm(vehicle_id=car.id, mileage_in="100", statement="Check",
                                   promised_at=clock.now() + dt.timedelta(hours=2), operation_codes=["QS001"]),
                         by=advisor)
    assert order.number == highest + 1 and order.id > counts["repair_order"]


def test_a_copy_into_a_database_that_holds_a_shop_is_refused(tiny_shop_file, empty_target):
    source, counts = tiny_shop_file
    copy_shop(source, empty_target)
    with pytest.raises(DomainError, match="already holds a shop"):
        copy_shop(source, empty_target)
    assert RepairOrder.select().count() == counts["repair_order"]  # nothing twice


def test_a_copy_whose_stock_ledger_does_not_add_up_keeps_nothing(tiny_shop_file, empty_target):
    source, _counts = tiny_shop_file
    with sqlite3.connect(source) as raw:  # on-hand of one shop changed behind the ledger's back
        raw.execute("UPDATE part_stock SET on_hand = on_hand + 1 WHERE id = (SELECT MIN(id) FROM part_stock)")
    with pytest.raises(DomainError, match="stock ledger of part .* in shop #1"):
        copy_shop(source, empty_target)
    assert RepairOrder.select().count() == 0 and Part.select().count() == 0


def test_no_command_prints_the_database_password(tmp_path, capsys, empty_target):
    from workshop.cli import main
    url = empty_target if engines.on_postgres() else "postgresql://clerk:S3cretPw@127.0.0.1:9/nowhere"
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    assert password not in mask_url(url) and "***" in mask_url(url)
    assert mask_url("postgresql://h/db?password=S3cretPw&sslmode=require") == \
        "postgresql://h/db?password=***&sslmode=require"
    for argv in (["--db", url, "migrate"], ["copy", "--from", str(tmp_path / "none.db"), "--to", url],
                 ["migrate", "--db", url, "--no-such-option", url]):
        try:
            main(argv, warm=False)
        except SystemExit:  # a command line argparse refused, repeating it
            pass
        except Exception as error:  # noqa: BLE001 - a server that is not there: its message counts too
            print(error)
        out, err = capsys.readouterr()
        assert password not in out + err
    db.close()


def test_money_and_quantities_keep_their_exact_value(tiny_shop_file, empty_target):
    source, _counts = tiny_shop_file
    with sqlite3.connect(source) as raw:
        expected = {pid: Decimal(str(price)) for pid, price in raw.execute("SELECT id, sale_price FROM part")}
    copy_shop(source, empty_target)
    assert {p.id: p.sale_price for p in Part.select()} == expected
