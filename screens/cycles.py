"""Fewer reference cycles in what Textual draws, so the garbage collector has less to do while a
user types.

Textual 8.2.8's ``Strip.divide`` caches its answer in the strip itself; when the only cut is at the
strip's end (a line one widget covers, the usual case) that answer is ``[self]``, so the strip refers
to itself and can only be freed by the cycle collector. That was half the cyclic garbage a screen
switch left behind (the rest is Textual's throw-away style nodes), and the young collections it
brought paused a screen for 15-60 ms every twenty or so opens on the large shop. Here such a strip
answers ``[self]`` without caching it: the same strips, nothing to cache.
"""
from __future__ import annotations

from textual.strip import Strip

_textual_divide = Strip.divide


def _divide(self: Strip, cuts) -> list[Strip]:
    cell_length = self.cell_length
    cuts = [cut for cut in cuts if cut <= cell_length]
    if cuts == [cell_length]:
        return [self]
    return _textual_divide(self, cuts)


def install() -> None:
    Strip.divide = _divide
