"""Garbage collection stays out of the user's way: lines drawn on screen are freed as soon as they
are replaced (not left to the cycle collector), and the older generations are collected while nobody
types, where the policy was measured."""
import gc

import pytest
from rich.segment import Segment
from textual.strip import Strip

from screens.textual_patches import install_strip_divide


def garbage_left_by(make) -> int:
    """How many objects only the cycle collector could free after ``make()`` ran and its result went."""
    gc.collect()
    gc.disable()
    try:
        make()
        return gc.collect()
    finally:
        gc.enable()


def test_a_line_one_widget_covers_is_freed_without_the_cycle_collector():
    install_strip_divide()

    def draw_line():
        strip = Strip([Segment("board "), Segment("line")])
        assert strip.divide([10]) == [strip]  # one cut, at the end: the line itself

    assert garbage_left_by(draw_line) == 0


def test_lines_are_still_divided_where_widgets_meet():
    install_strip_divide()
    strip = Strip([Segment("board "), Segment("line")])
    left, right = strip.divide([3, 10])
    assert (left.text, right.text) == ("boa", "rd line")
    assert strip.divide(iter([3, 10, 99])) == [left, right]  # cuts past the end are dropped, the rest cached


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
