"""Aligning two runs of statements: which entries match, the regions they form, whole statements.

Two runs are aligned by blind hash (``matched``), and once more by each entry's depth step first
(``matched_by_step``); matched entries separated by at most MAX_GAP unmatched ones on either side
form a region (``regions``); a region that fails is tried again cut at its gaps (``cuts``); each
part is widened to whole sibling statements (``snap``, ``snapped``) before it is verified.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hookwright.clones.index import Range
from hookwright.clones.units import Table, is_def

MAX_GAP = 3  # unmatched statements between two matched ones in a region, on either side
MAX_CUTS = 4  # gaps a region that fails is cut at (a bound on the verdicts per region)
CUT_KEEPS = 0.75  # a part cut off a region keeps this share of its matched statements


def matched(table: Table, one: Range, two: Range) -> list[tuple[int, int]]:
    """Entries of the two ranges with equal blind hashes, in order."""
    return _aligned(table.blind, one, two)


def matched_by_step(table: Table, one: Range, two: Range) -> list[tuple[int, int]]:
    """As matched, aligned first with each entry's depth step (table.key), then by blind hash between.

    A statement alike in shape but nested elsewhere (`self.x = y` under an `if` further on) can
    take the place of the one that lines up, and cut the region short: this alignment does not.
    """
    found: list[tuple[int, int]] = []
    previous = (one[0] - 1, two[0] - 1)
    for i, j in [*_aligned(table.key, one, two), (one[1], two[1])]:
        if i - previous[0] > 1 and j - previous[1] > 1:
            found.extend(_aligned(table.blind, (previous[0] + 1, i), (previous[1] + 1, j)))
        if i < one[1]:
            found.append((i, j))
        previous = (i, j)
    return found


def _aligned(hashes: list[int], one: Range, two: Range) -> list[tuple[int, int]]:
    common = {hashes[i] for i in range(*one)}.intersection(hashes[j] for j in range(*two))
    if not common:
        return []
    left, left_at = _squeezed(hashes, one, common, object())
    right, right_at = _squeezed(hashes, two, common, object())
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    blocks = matcher.get_matching_blocks()
    return [(left_at[b.a + k], right_at[b.b + k]) for b in blocks for k in range(b.size)]


def _squeezed(blind: list[int], span: Range, common: set[int], gap: object) -> tuple[list[object], list[int]]:
    """The run's hashes with each stretch of entries the other run lacks squeezed into one ``gap``.

    The alignment stays the same (a stretch matches nothing either way, and the two sides' gaps
    differ), but two long functions that share a few statements compare in a few steps.
    """
    hashes: list[object] = []
    where: list[int] = []
    for i in range(*span):
        if blind[i] in common:
            hashes.append(blind[i])
        elif hashes and hashes[-1] is gap:
            continue
        else:
            hashes.append(gap)
        where.append(i)
    return hashes, where


def regions(table: Table, matched: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Runs of matched entries with small gaps and one depth offset between the two sides."""
    current: list[tuple[int, int]] = []
    for i, j in matched:
        if current:
            pi, pj = current[-1]
            offset = table.depth[current[0][0]] - table.depth[current[0][1]]
            if i - pi - 1 > MAX_GAP or j - pj - 1 > MAX_GAP or table.depth[i] - table.depth[j] != offset:
                yield current
                current = []
        current.append((i, j))
    if current:
        yield current


def snap(table: Table, first: int, last: int) -> Range:
    """The smallest run of whole sibling statements holding entries first..last (a def for its body)."""
    chain = []
    node = last
    while node >= 0:
        chain.append(node)
        node = table.parent[node]
    node = first
    while node >= 0:
        for other in chain:
            if table.block[other] == table.block[node] != -1 and node <= other:
                start, end = node, table.span_end[other]
                owner = table.parent[start]
                if (
                    owner >= 0
                    and is_def(table, owner)
                    and start == owner + 1
                    and end == table.span_end[owner]
                ):
                    return owner, end
                return start, end
        node = table.parent[node]
    return first, table.span_end[last]


def cuts(region: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """The region, then its parts before and after each gap, longest first (at most MAX_CUTS gaps).

    A region runs on across a gap when one lone statement after it matches (an ``if x:`` header
    alike in shape only): the block before the gap is then the clone, and the whole fails. Only
    a stray end is cut off (the part keeps CUT_KEEPS of the region): a region that fails as a
    whole is no clone, and its halves were six-line preambles alike in shape (sortedcontainers).
    """
    yield region
    gaps = [
        k for k in range(len(region) - 1)
        if region[k + 1][0] - region[k][0] > 1 or region[k + 1][1] - region[k][1] > 1
    ][:MAX_CUTS]  # fmt: skip
    parts = [region[: k + 1] for k in gaps] + [region[k + 1 :] for k in gaps]
    yield from sorted((p for p in parts if len(p) >= CUT_KEEPS * len(region)), key=len, reverse=True)


def snapped(table: Table, part: list[tuple[int, int]]) -> list[tuple[Range, Range]]:
    """The part as whole sibling statements: with its trailing trivial statements, then without.

    A `return x` after the block does not make it the whole function: the part with its trivial
    tail is tried only when it stays a block on both sides. Declarations (`scheme: str | None`)
    after a pasted block are part of it, and without them a shorter window of the block, already
    known as a clone, stood in for the copy.
    """
    last = len(part) - 1
    while last > 0 and (table.trivial[part[last][0]] or table.trivial[part[last][1]]):
        last -= 1
    trimmed = snap(table, part[0][0], part[last][0]), snap(table, part[0][1], part[last][1])
    found = [trimmed]
    if last < len(part) - 1:
        full = snap(table, part[0][0], part[-1][0]), snap(table, part[0][1], part[-1][1])
        if not is_def(table, full[0][0]) and not is_def(table, full[1][0]):
            found.insert(0, full)
    # A block that is a whole function's body on one side only: the def's own lines (a signature
    # over several lines) are not in the other side, and the block is tried as the body alone.
    x, y = trimmed
    if is_def(table, x[0]) != is_def(table, y[0]):
        found.append(((x[0] + 1, x[1]), y) if is_def(table, x[0]) else (x, (y[0] + 1, y[1])))
    return found
