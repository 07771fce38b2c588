"""No screen's data and no search reads a table that grows with history from end to end.

Every call bench/growth.py times (each screen's data, each search as typed) runs on a small generated
shop; each SQL statement it issues is explained (EXPLAIN QUERY PLAN) twice: with no planner
statistics, as a shop's own file has, and with the statistics of the large benchmark shop (300 active
and 1,000,000 closed orders; tests/data/large_shop_stat1.json, its sqlite_stat1), with which SQLite
plans as it would on that file. A full scan (SCAN) of a table that grows with history fails, naming
the call, the statement and the plan. Plans depend on the schema and the statistics only, not on how
many rows the file holds, so this small file answers for the large one.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from models.db import db, open_database
from workshop.lifecycle import CLOSED_STATES
from models.schema import migrate
from workshop import clock, settings

# Tables whose rows accumulate with every car that comes through (or every customer ever seen).
GROWING = {"repair_order", "job_line", "job_line_technician", "time_log", "event", "part_line",
           "stock_movement", "old_part_record", "inspection", "inspection_result", "fee_line", "adjustment",
           "settlement", "payment", "open_balance", "on_account_release", "callback", "call_record", "answer",
           "complaint", "customer", "vehicle", "planned_service", "invitation"}

# A scan the large shop's statistics choose because of how its data was generated, not a plan that
# grows with history: (call label, table) -> why.
EXPLAINED = {
    ("follow-up: complaints", "complaint"):
        "the generated shops' complaints are all open (only recent calls are generated), so the open "
        "ones are the whole table; with no statistics the status index is used",
    ("cashier: aging", "open_balance"):
        "the aging totals add up every open balance: that is what they show (one row per unpaid invoice; "
        "a paid one leaves the table)",
}

STATS = Path(__file__).parent / "data" / "large_shop_stat1.json"
_ALIAS = re.compile(r'"(\w+)" AS "(\w+)"')
_SCAN = re.compile(r"^SCAN (\S+)(?: USING (?:COVERING )?INDEX \S+)?")
_RANGE_SEARCH = re.compile(r"^SEARCH (\S+) USING .*\(.*[<>].*\)")
_STATE_SEARCH = re.compile(r"^SEARCH \S+ USING (?:COVERING )?INDEX repairorder_state\w* \(state=")


@pytest.fixture
def small_generated_shop(tmp_path):
    from seeds.demo import generate
    path = tmp_path / "shop.db"
    open_database(path)
    migrate()
    settings.forget_cache()
    clock.freeze(None)
    generate("tiny", seed=42)
    yield path
    db.close()
    settings.forget_cache()


def _use_statistics(rows: list | None) -> None:
    """Replace the planner statistics (None: none at all) and make the connection read them anew."""
    db.execute_sql("ANALYZE sqlite_master")  # creates sqlite_stat1 if there is none yet
    db.execute_sql("DELETE FROM sqlite_stat1")
    for tbl, idx, stat in rows or []:
        db.execute_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (tbl, idx, stat))
    db.close()
    db.connect()


def _statements(call) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    def hook(event):
        if event.sql.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((event.sql, tuple(event.params or ())))
    db.obj.query_hooks.append(hook)
    try:
        call()
    finally:
        db.obj.query_hooks.remove(hook)
    return seen


def full_scans(sql: str, params: tuple) -> list[str]:
    """The plan lines of ``sql`` that read a growing table from end to end. Walking an index in the
    order asked for, with a LIMIT and no condition at all, stops at the page: that is allowed.
    Also caught: looking orders up by state when a closed state (delivered, cancelled) is asked for:
    an index SEARCH, but one that reads the whole history (statistics average the states, so the
    planner cannot tell the few hundred active orders from the million closed ones), and sorting a
    whole range of a growing table (a month of events) to return one page of it."""
    tables: dict[str, set[str]] = {}
    for table, alias in _ALIAS.findall(sql):
        tables.setdefault(alias, set()).add(table)
    plan = [row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    sorted_by_index = not any("TEMP B-TREE FOR ORDER BY" in line for line in plan)
    ordered_walk = sorted_by_index and " LIMIT " in sql and " WHERE " not in sql
    found = []
    for line in plan:
        ranged = _RANGE_SEARCH.match(line)
        if ranged and not sorted_by_index and " LIMIT " in sql and tables.get(ranged.group(1), {ranged.group(1)}) & GROWING:
            found.append(f"{line}  ({', '.join(sorted(tables.get(ranged.group(1), {ranged.group(1)})))}: "
                         "the whole range sorted for one page)")
        state_lookup = _STATE_SEARCH.match(line)
        if state_lookup and CLOSED_STATES.intersection(p for p in params if isinstance(p, str)):
            found.append(f"{line}  (repair_order: closed orders by state)")
        match = _SCAN.match(line)
        if not match:
            continue
        names = tables.get(match.group(1), {match.group(1)})
        if names & GROWING and not (ordered_walk and "INDEX" in line):
            found.append(f"{line}  ({', '.join(sorted(names))})")
    return found


def test_every_screen_and_search_reads_by_index_not_the_whole_history(small_generated_shop):
    from bench.growth import cases, inputs
    large = json.loads(STATS.read_text())
    problems, unexercised = [], []
    for mode, statistics in (("no statistics", None), ("the large shop's statistics", large)):
        _use_statistics(statistics)
        given = inputs(random.Random(5), 3)
        for case in cases():
            items = given[case.inputs][:4] if case.inputs else [None]
            statements = []
            for item in items:
                statements += _statements(lambda case=case, item=item: case.call() if case.inputs is None
                                          else case.call(item))
            if not statements:
                unexercised.append(case.label)
            for sql, params in statements:
                for line in full_scans(sql, params):
                    table = line.split("(")[-1].rstrip(")")
                    if (case.label, table) not in EXPLAINED:
                        problems.append(f"{case.label} [{mode}]: {line}\n    {sql}")
    assert not unexercised, f"these calls issued no query on the test shop: {sorted(set(unexercised))}"
    assert not problems, "full scans of tables that grow with history:\n" + "\n".join(problems)


def test_the_checker_sees_a_scan_and_allows_an_ordered_page(small_generated_shop):
    """The checker itself: a LIKE on every order is a scan; the newest events, a page walked down an index, are not."""
    _use_statistics(None)
    assert full_scans('SELECT "t1"."id" FROM "repair_order" AS "t1" WHERE ("t1"."statement" LIKE ?)', ("%x%",))
    assert not full_scans('SELECT "t1"."id" FROM "event" AS "t1" ORDER BY "t1"."at" DESC, "t1"."id" DESC LIMIT ?',
                          (10,))
    assert full_scans('SELECT "t1"."id" FROM "event" AS "t1" WHERE ("t1"."summary" = ?) '
                      'ORDER BY "t1"."at" DESC LIMIT ?', ("x", 10))
