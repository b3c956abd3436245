"""Gapped clones (T3): statements added, removed or changed, found at statement-block granularity.

Candidates come from an inverted index: the blind hash (clone_units) of each statement, and of each
pair of consecutive statements, points to the definitions (functions, methods, classes) that hold
it (a statement whose shape more definitions hold is indexed with its names and literals too).
Two definitions sharing MIN_SHARED of these (MIN_SHARED_LINES code lines), each held by at most
POSTINGS_CAP definitions, are verified whole; two functions are also aligned entry by entry
(clone_alignment), and the regions of matched statements are widened to whole sibling statements
(a block inside a function; the function itself when it covers its body) and verified.

Verification, the threshold the benchmark README states: at least SIMILARITY of each run's code
lines align. A matched statement counts in full; a changed statement facing another across a gap
counts by the product of their shapes' and their names' similarity (when at least PARTIAL). The
names and literals of the matched statements must relate as a T2 clone's may (clone_relation),
with at least MIN_AGREEING of them in common. Before aligning, each run must have EXACT_SHARE of
its lines in statements of a shape the other run has too: two runs alike only by credit for
changed statements are not copies, and two classes that share a few statements (common, and long
to align) are left at that.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from itertools import combinations

from hookwright.clones import alignment
from hookwright.clones import relation as rel
from hookwright.clones.index import Group, LeafCache, Range, definition_units
from hookwright.clones.leaves import Leaf
from hookwright.clones.units import MARKER, Table, is_class, is_trivial_range
from hookwright.clones.widen import widened

SIMILARITY = 0.7  # share of both runs' code lines that align (the README states it)
PARTIAL = 0.6  # a changed statement gets credit only when it is at least this similar to the other
MIN_SHARED = 2  # informative statements two definitions share before they are aligned
MIN_SHARED_LINES = 3  # and the code lines of those statements
POSTINGS_CAP = 25  # a statement held by more definitions says nothing about which are alike
MIN_AGREEING = 4  # names and literals the matched statements have in common (or renamed consistently)
EXACT_SHARE = 0.2  # each run's lines in statements of a shape the other has too
SIZE_RATIO = 0.6  # the smaller run has at least this share of the larger one's lines


def candidate_pairs(table: Table, min_lines: int, leaves: LeafCache) -> Iterator[tuple[Range, Range]]:
    """Definitions that share at least MIN_SHARED informative statements (never one inside the other)."""
    units = list(definition_units(table, min_lines))
    postings: dict[int, list[int]] = {}
    weight: dict[int, int] = {}
    for number, (a, b) in enumerate(units):
        bag = {table.blind[i]: table.own[i] for i in range(a, b) if table.kind[i] != MARKER}
        # Pairs of consecutive statements too: `if x is None:` then `yield` is rarer than either alone.
        bag.update({hash((table.key[i], table.key[i + 1])): table.own[i + 1] for i in range(a, b - 1)})
        for statement, lines in bag.items():
            postings.setdefault(statement, []).append(number)
            weight[statement] = lines
    # A shape held by too many definitions says nothing; the same statement with its names and
    # literals is rarer (a dozen classes open with `x = y.z()`, two with `encoding = "us-ascii"`).
    for number, (a, b) in enumerate(units):
        for i in range(a, b):
            if table.kind[i] != MARKER and len(postings[table.blind[i]]) > POSTINGS_CAP:
                exact = hash((table.blind[i], *(leaf.value for leaf in leaves.entry(i))))
                holders = postings.setdefault(exact, [])
                if not holders or holders[-1] != number:
                    holders.append(number)
                weight[exact] = table.own[i]
    shared: Counter[tuple[int, int]] = Counter()
    longer: Counter[tuple[int, int]] = Counter()  # lines past the first of statements shared
    for statement, holders in postings.items():
        if 1 < len(holders) <= POSTINGS_CAP:
            pairs = list(combinations(holders, 2))
            shared.update(pairs)  # Counter.update counts in C: this loop is the index's hot spot
            for _ in range(weight[statement] - 1):
                longer.update(pairs)  # most statements are one line: this rarely runs
    for (one, two), count in shared.items():
        if count < MIN_SHARED or count + longer[one, two] < MIN_SHARED_LINES:
            continue
        first, second = units[one], units[two]
        if not (first[0] < second[1] and second[0] < first[1]):
            yield first, second


def _changed_similarity(leaves: LeafCache, i: int, j: int) -> float:
    """How alike two statements an edit changed are: their names' and their shapes' similarity."""
    left = [leaf.value for leaf in leaves.entry(i)]
    right = [leaf.value for leaf in leaves.entry(j)]
    names = difflib.SequenceMatcher(None, left, right, autojunk=False).ratio() if left or right else 1.0
    if names < PARTIAL:
        return 0.0  # the product cannot reach it: spare the longer comparison
    shape = difflib.SequenceMatcher(None, leaves.tokens(i), leaves.tokens(j), autojunk=False)
    if names * shape.quick_ratio() < PARTIAL:
        return 0.0
    return names * shape.ratio()


def verdict(
    table: Table,
    one: Range,
    two: Range,
    leaves: LeafCache,
    min_lines: int,
    matched: list[tuple[int, int]] | None = None,
) -> str | None:
    """The clone type of two runs, or None (``matched``: their alignment, when already made)."""
    lines_one, lines_two = table.code_lines(*one), table.code_lines(*two)
    small, large = sorted((lines_one, lines_two))
    if small < min_lines or small < SIZE_RATIO * large:
        return None
    exact_one, exact_two = _shared(table, one, two)
    rest = min(lines_one - exact_one, lines_two - exact_two)
    if exact_one + exact_two + 2 * rest < SIMILARITY * (lines_one + lines_two):
        return None
    if exact_one < EXACT_SHARE * lines_one or exact_two < EXACT_SHARE * lines_two:
        return None
    if matched is None:
        matched = alignment.matched(table, one, two)
    # One depth offset for the whole pair (the most common one): a block pasted one level deeper
    # still aligns, a statement that only looks alike at another depth does not.
    offsets = Counter(table.depth[i] - table.depth[j] for i, j in matched)
    base = offsets.most_common(1)[0][0] if offsets else 0
    pairs = [(i, j) for i, j in matched if table.depth[i] - table.depth[j] == base]
    if not pairs:
        return None
    left_aligned = float(sum(table.own[i] for i, _ in pairs))
    right_aligned = float(sum(table.own[j] for _, j in pairs))
    facing: list[tuple[int, int]] = []  # changed statements, facing each other across a gap
    gaps = False
    previous = (one[0] - 1, two[0] - 1)
    for i, j in [*pairs, (one[1], two[1])]:
        left, right = range(previous[0] + 1, i), range(previous[1] + 1, j)
        gaps = gaps or bool(left) or bool(right)
        facing.extend(zip(left, right, strict=False))
        previous = (i, j)
    # Each side on its own (NiCad's measure): a block pasted into one of two twins leaves that one
    # less alike than the pair's total would show.
    need_left, need_right = SIMILARITY * lines_one, SIMILARITY * lines_two
    most = sum(min(table.own[x], table.own[y]) for x, y in facing)
    if left_aligned + most < need_left or right_aligned + most < need_right:
        return None  # not enough, even if every changed statement counted in full
    for x, y in facing:
        if left_aligned >= need_left and right_aligned >= need_right:
            break
        ratio = _changed_similarity(leaves, x, y)
        if ratio >= PARTIAL:
            credit = ratio * min(table.own[x], table.own[y])
            left_aligned += credit
            right_aligned += credit
    if left_aligned < need_left or right_aligned < need_right:
        return None
    left_leaves: list[Leaf] = []
    right_leaves: list[Leaf] = []
    for i, j in pairs:
        left_leaves.extend(leaves.entry(i))
        right_leaves.extend(leaves.entry(j))
    relation = rel.relate(left_leaves, right_leaves)
    # Small blocks of common statements (`try: ... except X: pass`) align with anything alike: what
    # makes a clone is names and literals in common, not only the shape.
    if relation.type is None or len(left_leaves) - len(relation.where) < MIN_AGREEING:
        return None
    if is_trivial_range(table, *one, min_lines) or is_trivial_range(table, *two, min_lines):
        return None
    return rel.T3 if gaps else relation.type


def _shared(table: Table, one: Range, two: Range) -> tuple[int, int]:
    """Each run's code lines in statements the other run has too (the most an alignment can match)."""
    left = Counter(table.blind[i] for i in range(*one))
    right = Counter(table.blind[i] for i in range(*two))
    common = left & right
    shared = [0, 0]
    for side, span in enumerate((one, two)):
        room = dict(common)
        for i in range(*span):
            if room.get(table.blind[i], 0) > 0:
                room[table.blind[i]] -= 1
                shared[side] += table.own[i]
    return shared[0], shared[1]


def gapped_groups(table: Table, min_lines: int, exact: list[Group], leaves: LeafCache) -> list[Group]:
    known = {(x, y) for group in exact for x in group.members for y in group.members}
    parent: dict[Range, Range] = {}
    types: dict[Range, str] = {}

    def root(span: Range) -> Range:
        while parent.get(span, span) != span:
            span = parent[span]
        return span

    tried: dict[tuple[Range, Range], bool] = {}

    def alike(i: int, j: int) -> bool:
        return _changed_similarity(leaves, i, j) >= PARTIAL

    def link(x: Range, y: Range, matched: list[tuple[int, int]] | None = None) -> bool:
        """Verify the pair and join it to its class; True when it is a clone (now or before)."""
        if (x, y) in known or (y, x) in known:
            return True
        if (x, y) in tried or (x[0] < y[1] and y[0] < x[1]):
            return tried.get((x, y), False)
        kind = verdict(table, x, y, leaves, min_lines, matched)
        tried[x, y] = kind is not None
        if kind is None:
            return False
        parent.setdefault(x, x)
        parent.setdefault(y, y)
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[ry] = rx
            types[rx] = rel.worst((types.get(rx, rel.T1), types.get(ry, rel.T1), kind))
        else:
            types[rx] = rel.worst((types.get(rx, rel.T1), kind))
        return True

    for one, two in candidate_pairs(table, min_lines, leaves):
        whole: list[tuple[int, int]] | None = None
        # Blocks are looked for between functions; classes are compared whole (their methods are
        # functions of their own), which keeps the alignments short.
        if not is_class(table, one[0]) and not is_class(table, two[0]):
            whole = alignment.matched(table, one, two)
        link(one, two, whole)
        stepped = alignment.matched_by_step(table, one, two) if whole else []
        for region in [
            *alignment.regions(table, whole or []),
            *alignment.regions(table, stepped if stepped != whole else []),
        ]:
            for part in alignment.cuts(region):
                if sum(table.own[i] for i, _ in part) < min_lines / 2:
                    continue  # too little in common to grow into a run of min_lines that aligns
                if sum(
                    [
                        link(a, b)
                        for x, y in alignment.snapped(table, part)
                        for a, b in [(x, y), *widened(table, x, y, min_lines, alike)]
                    ]
                ):
                    break  # the largest part that verifies: its parts are not clones of their own
    classes: dict[Range, list[Range]] = {}
    for span in parent:
        classes.setdefault(root(span), []).append(span)
    return [Group(types.get(r, rel.T3), sorted(m)) for r, m in classes.items() if len(m) > 1]
