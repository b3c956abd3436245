"""Clone candidates in about linear time: fingerprints per unit, seeds per statement, an inverted index.

* Same shape (T1, T2c, T2): every function and class gets a fingerprint of its blind statement
  sequence; windows come from seeds of three consecutive statements, extended as far as the shapes
  agree and cut into runs of whole sibling statements. Equal fingerprints make a group; the leaves
  then decide which members are clones of which (clone_relation).
* Near misses (T3): an inverted index from each statement's blind hash to the functions and classes
  that hold it proposes pairs that share most statements; an alignment of the two statement
  sequences confirms them.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hookwright import clone_relation as rel
from hookwright.clone_leaves import Leaf, entry_leaves
from hookwright.clone_units import MARKER, Table, blind_tokens, is_def, is_trivial_range, sibling_runs

Range = tuple[int, int]  # entries [a, b) of the table

SEED = 3  # statements per seed
BUCKET_CAP = 64  # a seed this common is boilerplate; the statements around it still seed
CENTRES_CAP = 24  # members compared with at most this many cluster centres
POSTINGS_CAP = 60  # a statement in more units than this says nothing about which are alike
NEAR_MISS_SIMILARITY = 0.7  # share of code lines two near-miss clones have in common
NEAR_MISS_SIZE_RATIO = 0.6


@dataclass
class Group:
    type: str
    members: list[Range]


class LeafCache:
    def __init__(self, table: Table) -> None:
        self.table = table
        self._entries: dict[int, list[Leaf]] = {}
        self._tokens: dict[int, list[Any]] = {}

    def entry(self, index: int) -> list[Leaf]:
        found = self._entries.get(index)
        if found is None:
            found = self._entries[index] = entry_leaves(self.table.node[index])
        return found

    def tokens(self, index: int) -> list[Any]:
        found = self._tokens.get(index)
        if found is None:
            found = self._tokens[index] = blind_tokens(self.table.node[index])
        return found

    def range(self, span: Range) -> list[Leaf]:
        leaves: list[Leaf] = []
        for i in range(*span):
            leaves.extend(self.entry(i))
        return leaves


def fingerprint(table: Table, span: Range) -> int:
    a, b = span
    return hash((table.blind[a], *table.key[a + 1 : b]))


def _lines(table: Table, span: Range) -> int:
    return table.code_lines(*span)


# -- same shape -------------------------------------------------------------------------------------


def shape_groups(table: Table, min_lines: int) -> dict[int, set[Range]]:
    """Fingerprint -> ranges of that shape: every definition, and every repeated window."""
    groups: dict[int, set[Range]] = {}
    for span in definition_units(table, min_lines):
        groups.setdefault(fingerprint(table, span), set()).add(span)
    for left, right in repeated_windows(table, min_lines):
        members = groups.setdefault(fingerprint(table, left), set())
        members.add(left)
        members.add(right)
    return {fp: ranges for fp, ranges in groups.items() if len(ranges) > 1}


def definition_units(table: Table, min_lines: int) -> Iterator[Range]:
    for i in range(len(table)):
        if is_def(table, i):
            span = (i, table.span_end[i])
            if _lines(table, span) >= min_lines and not is_trivial_range(table, *span, min_lines):
                yield span


def repeated_windows(table: Table, min_lines: int) -> Iterator[tuple[Range, Range]]:
    """Pairs of sibling runs with the same shape, each as long as the shapes agree."""
    n = len(table)
    key, blind, file_end, trivial = table.key, table.blind, table.file_end, table.trivial
    seeds: list[int | None] = [None] * n
    buckets: dict[int, list[int]] = {}
    for i in range(n - SEED + 1):
        if i + SEED > file_end[i] or (trivial[i] and trivial[i + 1] and trivial[i + 2]):
            continue
        seed = hash((blind[i], key[i + 1], key[i + 2]))
        seeds[i] = seed
        buckets.setdefault(seed, []).append(i)
    heavy = {seed for seed, positions in buckets.items() if len(positions) > BUCKET_CAP}
    done: set[tuple[int, int, int]] = set()
    for seed, positions in buckets.items():
        if len(positions) < 2 or seed in heavy:
            continue
        for x, p in enumerate(positions):
            for q in positions[x + 1 :]:
                before = seeds[p - 1] if p > 0 else None
                if before is not None and before == seeds[q - 1] and before not in heavy:
                    continue  # the pair one statement earlier covers this one
                match = _extend(table, p, q)
                if match is None or match in done:
                    continue
                done.add(match)
                yield from _window_pairs(table, match, min_lines)


def _extend(table: Table, p: int, q: int) -> tuple[int, int, int] | None:
    key, file_end, blind = table.key, table.file_end, table.blind
    same_file = table.file[p] == table.file[q]
    # Leftwards too: when the seed before was boilerplate, this pair starts mid-match.
    while p > 0 and q > 0 and table.file[p - 1] == table.file[p] and table.file[q - 1] == table.file[q]:
        if key[p] != key[q] or blind[p - 1] != blind[q - 1]:
            break
        p, q = p - 1, q - 1
    stop_p, stop_q = file_end[p], file_end[q]
    if same_file:
        stop_p = min(stop_p, q)  # copies that overlap themselves are a repetition, not a clone
    length = 1
    while p + length < stop_p and q + length < stop_q and key[p + length] == key[q + length]:
        length += 1
    if length < SEED:
        return None
    return p, q, length


def _window_pairs(table: Table, match: tuple[int, int, int], min_lines: int) -> Iterator[tuple[Range, Range]]:
    p, q, length = match
    left = {(a - p, b - p) for a, b in sibling_runs(table, p, p + length)}
    right = {(a - q, b - q) for a, b in sibling_runs(table, q, q + length)}
    for x, y in sorted(left & right):
        one, other = (p + x, p + y), (q + x, q + y)
        if max(_lines(table, one), _lines(table, other)) < min_lines:
            continue
        if is_trivial_range(table, *one, min_lines):
            continue
        yield one, other


def cluster(table: Table, members: Iterable[Range], leaves: LeafCache) -> list[Group]:
    """Split a same-shape group into clone classes: each member joins the first centre it is a clone of."""
    centres: list[tuple[Range, list[Leaf], Group]] = []
    for span in sorted(members, key=lambda s: (table.files[table.file[s[0]]].path, s)):
        mine = leaves.range(span)
        for centre, theirs, group in centres[-CENTRES_CAP:]:
            if _overlap(centre, span):
                continue
            verdict = rel.relate(theirs, mine)
            if verdict.type is not None:
                group.members.append(span)
                group.type = rel.worst((group.type, verdict.type))
                break
        else:
            centres.append((span, mine, Group(rel.T1, [span])))
    return [group for _, _, group in centres if len(group.members) > 1]


def _overlap(one: Range, other: Range) -> bool:
    return one[0] < other[1] and other[0] < one[1]


# -- near misses ------------------------------------------------------------------------------------


def near_miss_pairs(
    table: Table, min_lines: int, known: set[tuple[Range, Range]]
) -> list[tuple[Range, Range]]:
    """Definitions that share most of their statements (at least NEAR_MISS_SIMILARITY of the lines)."""
    units = list(definition_units(table, min_lines))
    postings: dict[int, list[int]] = {}
    bags: list[set[int]] = []
    for number, (a, b) in enumerate(units):
        bag = {table.blind[i] for i in range(a + 1, b) if table.kind[i] != MARKER}
        bag.add(table.blind[a])
        bags.append(bag)
        for statement in bag:
            postings.setdefault(statement, []).append(number)
    # Statements in very many units (`return x`, `self.x = x`) say nothing about which are alike.
    informative = [sum(1 for s in bag if len(postings[s]) <= POSTINGS_CAP) for bag in bags]
    fingerprints = [fingerprint(table, unit) for unit in units]
    found: list[tuple[Range, Range]] = []
    for number, bag in enumerate(bags):
        shared: Counter[int] = Counter()
        for statement in bag:
            holders = postings[statement]
            if len(holders) <= POSTINGS_CAP:
                shared.update(h for h in holders if h > number)
        for other, count in shared.items():
            if count < 0.5 * min(informative[number], informative[other]):
                continue
            one, two = units[number], units[other]
            if _overlap(one, two) or (one, two) in known:
                continue
            if fingerprints[number] == fingerprints[other]:
                continue  # the same shape: the leaves alone decided, and said no
            lines_one, lines_two = _lines(table, one), _lines(table, two)
            if min(lines_one, lines_two) < NEAR_MISS_SIZE_RATIO * max(lines_one, lines_two):
                continue
            found.append((one, two))
    return found


def align(table: Table, one: Range, two: Range) -> list[tuple[int, int]]:
    """Matching entries of two ranges (same shape and relative depth), in order."""
    base_one, base_two = table.depth[one[0]], table.depth[two[0]]
    left = [(table.blind[i], table.depth[i] - base_one) for i in range(*one)]
    right = [(table.blind[i], table.depth[i] - base_two) for i in range(*two)]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    pairs: list[tuple[int, int]] = []
    for block in matcher.get_matching_blocks():
        pairs.extend((one[0] + block.a + k, two[0] + block.b + k) for k in range(block.size))
    return pairs


def near_miss_verdict(table: Table, one: Range, two: Range, leaves: LeafCache) -> rel.Verdict | None:
    """A near-miss clone: most lines align, and the aligned statements are clones of each other.

    An aligned statement whose calls or literals changed is one of the changed statements a T3
    clone may have; it stops counting as aligned, and what remains must still be most of the lines.
    """
    pairs = align(table, one, two)
    total = _lines(table, one) + _lines(table, two)
    for _ in range(2):
        matched = sum(table.own[i] + table.own[j] for i, j in pairs)
        if not pairs or matched < NEAR_MISS_SIMILARITY * total:
            return None
        left: list[Leaf] = []
        right: list[Leaf] = []
        owner: list[int] = []
        for number, (i, j) in enumerate(pairs):
            mine, theirs = leaves.entry(i), leaves.entry(j)
            left.extend(mine)
            right.extend(theirs)
            owner.extend([number] * len(mine))
        verdict = rel.relate(left, right)
        if verdict.type is not None:
            return verdict
        changed = {owner[i] for i in verdict.where}
        pairs = [pair for number, pair in enumerate(pairs) if number not in changed]
    return None


def near_miss_groups(table: Table, min_lines: int, exact: list[Group], leaves: LeafCache) -> list[Group]:
    known = {(x, y) for group in exact for x in group.members for y in group.members}
    parent: dict[Range, Range] = {}

    def root(span: Range) -> Range:
        while parent.get(span, span) != span:
            span = parent[span]
        return span

    for one, two in near_miss_pairs(table, min_lines, known):
        if root(one) == root(two):
            continue
        if near_miss_verdict(table, one, two, leaves) is not None:
            parent.setdefault(one, one)
            parent.setdefault(two, two)
            parent[root(two)] = root(one)
    classes: dict[Range, list[Range]] = {}
    for span in parent:
        classes.setdefault(root(span), []).append(span)
    return [Group(rel.T3, sorted(members)) for members in classes.values() if len(members) > 1]
