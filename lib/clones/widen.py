"""A short aligned block widened by the statement an edit changed next to it, on both sides at once.

Gapped regions start and end at matched statements, so a 6-line block whose last statement was
edited (``self.retries = getattr(meta, "retries", 3)`` made ``... "retries", 5)`` after a 5-line
``if``) leaves a region shorter than the minimum, and the copy is never verified. Such a region
is tried again (when either side is short: a statement inserted into the copy lengthens that side
only) with the sibling statement before it, after it, and both, when both sides have one
there and the two are alike (an edit of each other: padding a 5-line natural twin with whatever
follows it made false pairs on the tuning sets). clone_gapped.verdict decides as for any pair.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from hookwright.clones.index import Range
from hookwright.clones.units import Table


def widened(
    table: Table, one: Range, two: Range, min_lines: int, alike: Callable[[int, int], bool]
) -> Iterator[tuple[Range, Range]]:
    """``alike(i, j)``: the two statements are an edit of each other, not any neighbours."""
    if min(table.code_lines(*one), table.code_lines(*two)) >= min_lines:
        return
    after_one, after_two = _next(table, one), _next(table, two)
    before_one, before_two = _previous(table, one), _previous(table, two)
    ends = [(one[1], two[1])]
    if after_one is not None and after_two is not None and alike(one[1], two[1]):
        ends.append((after_one, after_two))
    starts = [(one[0], two[0])]
    if before_one is not None and before_two is not None and alike(before_one, before_two):
        starts.append((before_one, before_two))
    for (start_one, start_two), (end_one, end_two) in itertools.product(starts, ends):
        if (start_one, end_one) != one:
            yield (start_one, end_one), (start_two, end_two)


def _next(table: Table, span: Range) -> int | None:
    """The end of ``span`` widened by its next sibling statement, or None."""
    start, end = span
    if end < table.file_end[start] and table.block[end] == table.block[start] != -1:
        return table.span_end[end]
    return None


def _previous(table: Table, span: Range) -> int | None:
    """The start of ``span`` widened by its previous sibling statement, or None."""
    start = span[0]
    node = start - 1
    while node >= 0 and table.block[node] != table.block[start]:
        node = table.parent[node]
    if node < 0 or table.block[start] == -1 or table.span_end[node] != start:
        return None
    return node
