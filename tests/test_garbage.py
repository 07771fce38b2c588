"""Garbage collection stays out of the user's way: the older generations are collected while nobody
types, where the policy was measured."""
import gc

import pytest


def test_an_idle_terminal_collects_what_young_collections_promoted():
    from screens import collector
    from screens.collector import IDLE_COLLECT_AFTER_S, IDLE_FULL_COLLECT_AFTER_S
    gc.disable()  # only the collections this test makes
    try:
        gc.collect()
        gc.collect(0)  # a young collection: survivors move to the middle generation
        again = collector.collect_if_idle(0.2)  # someone is typing: no pause for them, ask again later
        assert gc.get_count()[1] == 1 and again == pytest.approx(IDLE_COLLECT_AFTER_S - 0.2)
        again = collector.collect_if_idle(IDLE_COLLECT_AFTER_S)  # nobody typed for a while
        assert gc.get_count()[1:] == (0, 1)  # the middle generation collected (quick), the oldest not yet
        assert again == pytest.approx(IDLE_FULL_COLLECT_AFTER_S - IDLE_COLLECT_AFTER_S)
        assert collector.collect_if_idle(IDLE_FULL_COLLECT_AFTER_S) is None  # a minute: everything
        assert gc.get_count()[1:] == (0, 0)
        assert collector.collect_if_idle(IDLE_FULL_COLLECT_AFTER_S * 10) is None  # nothing owed: no timer
    finally:
        gc.enable()


def test_the_policy_stays_off_where_it_was_not_measured(monkeypatch):
    from screens import collector
    monkeypatch.setattr(collector.sys, "version_info", (3, 14, 0))
    assert not collector.applies()
    threshold = gc.get_threshold()
    gc.disable()
    collector.settle()
    assert gc.isenabled() and gc.get_threshold() == threshold  # switched back on, left as Python sets it
    assert collector.collect_if_idle(3600) is None
