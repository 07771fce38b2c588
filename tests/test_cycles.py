"""Lines drawn on screen are freed as soon as they are replaced, not left to the cycle collector."""
import gc

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
