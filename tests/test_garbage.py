"""Garbage collection stays out of the user's way: lines drawn on screen are freed as soon as they
are replaced (not left to the cycle collector), and the older generations are collected while nobody
types."""
import gc
import time

from rich.segment import Segment
from textual.strip import Strip

from screens import cycles


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
    cycles.install()

    def draw_line():
        strip = Strip([Segment("board "), Segment("line")])
        assert strip.divide([10]) == [strip]  # one cut, at the end: the line itself

    assert garbage_left_by(draw_line) == 0


def test_lines_are_still_divided_where_widgets_meet():
    cycles.install()
    strip = Strip([Segment("board "), Segment("line")])
    left, right = strip.divide([3, 10])
    assert (left.text, right.text) == ("boa", "rd line")
    assert strip.divide(iter([3, 10, 99])) == [left, right]  # cuts past the end are dropped, the rest cached


def test_an_idle_terminal_collects_what_young_collections_promoted(db_path):
    from screens.app import WorkshopApp
    from screens.collector import IDLE_COLLECT_AFTER_S, IDLE_FULL_COLLECT_AFTER_S
    app = WorkshopApp(build_ahead=False)
    gc.disable()  # only the collections this test makes
    try:
        gc.collect()
        gc.collect(0)  # a young collection: survivors move to the middle generation
        app.last_input = time.monotonic()  # someone is typing: no pause for them
        app.collect_when_idle()
        assert gc.get_count()[1] == 1
        app.last_input = time.monotonic() - IDLE_COLLECT_AFTER_S - 1  # nobody typed for a while
        app.collect_when_idle()
        assert gc.get_count()[1:] == (0, 1)  # the middle generation collected (quick), the oldest not yet
        app.last_input = time.monotonic() - IDLE_FULL_COLLECT_AFTER_S - 1  # nobody typed for a minute
        app.collect_when_idle()
        assert gc.get_count()[1:] == (0, 0)  # everything collected
    finally:
        gc.enable()
