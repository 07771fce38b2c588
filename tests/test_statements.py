"""Statements built once (models/base.py): the rows they write and read are the ones Peewee's own
queries would, with real values bound each time rather than the values of the first run."""
from __future__ import annotations

import datetime as dt

from peewee import SQL

from models.base import Prepared
from models.events import Event
from models.orders import JobLine, RepairOrder
from models.parts import Part


def test_insert_row_writes_the_values_given_each_time(shop):
    first = Event.insert_row(at=dt.datetime(2026, 11, 20, 9, 0), actor=shop.dispatcher, kind="start",
                             entity="repair_order", entity_id=7, order=None, summary="one", before=None,
                             after='{"a": 1}', op_id=None)
    second = Event.insert_row(at=dt.datetime(2026, 11, 21, 10, 30), actor=None, kind="stop",
                              entity="repair_order", entity_id=8, order=None, summary="two", before="{}",
                              after=None, op_id="op-2")
    assert second == first + 1
    one, two = Event.get_by_id(first), Event.get_by_id(second)
    assert (one.at, one.actor_id, one.kind, one.entity_id, one.summary, one.after) == (
        dt.datetime(2026, 11, 20, 9, 0), shop.dispatcher.id, "start", 7, "one", '{"a": 1}')
    assert (two.at, two.actor_id, two.kind, two.entity_id, two.op_id) == (
        dt.datetime(2026, 11, 21, 10, 30), None, "stop", 8, "op-2")


def test_insert_row_lets_peewee_fill_defaults_it_was_not_given(shop):
    part_id = Part.insert_row(code="X-1", name="Filter")  # unit, prices, stock: defaults
    part = Part.get_by_id(part_id)
    assert (part.code, part.unit, part.reorder_threshold, part.active) == ("X-1", "pc", 0, True)


def test_update_versioned_changes_only_the_version_it_was_given(shop):
    order = shop.in_progress()
    assert RepairOrder.update_versioned(order.id, order.version - 1, {"state": "waiting_parts"}) == 0
    assert RepairOrder.get_by_id(order.id).state == "in_progress"
    assert RepairOrder.update_versioned(order.id, order.version, {"state": "waiting_parts", "bay": None}) == 1
    again = RepairOrder.get_by_id(order.id)
    assert (again.state, again.bay_id, again.version) == ("waiting_parts", None, order.version + 1)


def test_prepared_binds_each_runs_ids_and_keeps_its_constants(shop):
    # LIMIT 1 is a constant of the query; order 1's id is the same number and must not be confused with it
    lines = Prepared("test: lines of an order", lambda order_id: (
        JobLine.select(SQL("count(*)")).where(JobLine.order == order_id).limit(1)))
    one, two = shop.order(), shop.order(shop.car2, codes=("QS001", "QS002"))
    assert lines.execute(one.id).fetchone()[0] == 1
    assert lines.execute(two.id).fetchone()[0] == 2
    assert lines.execute(10_000).fetchone()[0] == 0
