"""Clone candidates in about linear time: fingerprints per unit, seeds per statement, an inverted index.

* Same shape (T1, T2c, T2): every function and class gets a fingerprint of its blind statement
  sequence; windows come from seeds of three consecutive statements, extended as far as the shapes
  agree and cut into runs of whole sibling statements. Equal fingerprints make a group; the leaves
  then decide which members are clones of which (clone_relation).
* Near misses (T3) and blocks pasted into other functions: clone_gapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hookwright.clones import relation as rel
from hookwright.clones.boilerplate import ExactKeys, copy_key, out_of_scope
from hookwright.clones.leaves import Leaf, entry_leaves
from hookwright.clones.units import Table, blind_tokens, is_def, is_trivial_range, sibling_runs

Range = tuple[int, int]  # entries [a, b) of the table

SEED = 3  # statements per seed
BUCKET_CAP = 64  # a seed this common is boilerplate; the statements around it still seed
CENTRES_CAP = 24  # members compared with at most this many cluster centres


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
    for span in definition_units(table, min_lines, boilerplate=True):
        groups.setdefault(fingerprint(table, span), set()).add(span)
    for left, right in repeated_windows(table, min_lines):
        members = groups.setdefault(fingerprint(table, left), set())
        members.add(left)
        members.add(right)
    return {fp: ranges for fp, ranges in groups.items() if len(ranges) > 1}


def definition_units(table: Table, min_lines: int, *, boilerplate: bool = False) -> Iterator[Range]:
    """Functions, methods and classes of at least ``min_lines`` (boilerplate ones only when asked)."""
    for i in range(len(table)):
        if is_def(table, i):
            span = (i, table.span_end[i])
            if _lines(table, span) < min_lines or out_of_scope(table, i + 1, span[1]):
                continue
            if boilerplate or not is_trivial_range(table, *span, min_lines):
                yield span


def repeated_windows(table: Table, min_lines: int) -> Iterator[tuple[Range, Range]]:
    """Pairs of sibling runs with the same shape, each as long as the shapes agree."""
    n = len(table)
    key, blind, file_end, trivial = table.key, table.blind, table.file_end, table.trivial
    exact = ExactKeys(table)
    seeds: list[int | None] = [None] * n
    buckets: dict[int, list[int]] = {}
    for i in range(n - SEED + 1):
        if i + SEED > file_end[i]:
            continue
        if trivial[i] and trivial[i + 1] and trivial[i + 2]:
            seed = hash((exact[i], exact[i + 1], exact[i + 2]))  # boilerplate: only exact copies count
        else:
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
        if out_of_scope(table, *one):
            continue
        yield one, other


def cluster(table: Table, members: Iterable[Range], leaves: LeafCache) -> list[Group]:
    """Split a same-shape group into clone classes: each member joins the first centre it is a clone of.

    Boilerplate and real code are clustered apart: boilerplate links only as exact copies
    (clone_boilerplate), and it must not take the centres real code is compared with.
    """
    ordered = sorted(members, key=lambda s: (table.files[table.file[s[0]]].path, s))
    trivial = [span for span in ordered if is_trivial_range(table, *span, 0)]
    keys = {span: copy_key(table, span, leaves.entry) for span in trivial}
    known = set(keys.values())
    # A renamed copy of a small dunder is not a dunder itself: it joins the boilerplate it copies.
    for span in ordered:
        if span not in keys and is_def(table, span[0]):
            key = copy_key(table, span, leaves.entry)
            if key in known:
                keys[span] = key
    trivial = [span for span in ordered if span in keys]
    boilerplate = set(trivial)
    centres: list[tuple[Range, list[Leaf], Group]] = []
    for span in ordered:
        if span in boilerplate:
            continue
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
    return [group for _, _, group in centres if len(group.members) > 1] + _copies(trivial, keys, leaves)


def _copies(spans: list[Range], keys: dict[Range, tuple[object, ...]], leaves: LeafCache) -> list[Group]:
    """Boilerplate spans with the same copy key (clone_boilerplate.copy_key): T1, or T2c when renamed."""
    copies: dict[tuple[object, ...], list[Group]] = {}
    for span in spans:
        groups = copies.setdefault(keys[span], [])
        home = next((g for g in groups if not _overlap(g.members[0], span)), None)
        if home is None:
            groups.append(Group(rel.T1, [span]))
            continue
        home.members.append(span)
        if _values(leaves, span) != _values(leaves, home.members[0]):
            home.type = rel.T2C
    return [group for groups in copies.values() for group in groups if len(group.members) > 1]


def _values(leaves: LeafCache, span: Range) -> list[object]:
    return [leaf.value for leaf in leaves.range(span)]


def _overlap(one: Range, other: Range) -> bool:
    return one[0] < other[1] and other[0] < one[1]
