"""A copy pasted into a family of natural twins is reported with its original, not as one more twin.

A project that repeats a small class a dozen times (pyasn1's character-string types differ by a tag
number and an encoding) puts a pasted copy of one of them into a class with all of them: every
pair the copy makes but one is a pair nobody made. The copy is told apart by how alike it is to
each member (names and literals that differ, in order): its original is its unique nearest member,
and the copy lies beyond it, as far or farther from every other member than the original is.
Such a member leaves the family with its original (which stays in the family too) as a class of
its own. Two members nearest to each other both leave (either may be the copy), unless a third
member is nearest to them alone: it was copied from one of them, and the three stay. A split
that would leave one member with no partner is not made (SQLAlchemy's `bulk_persistence`: two
pairs of exact twins and a fifth block alike to all four).

Classes of three are left to the strength split (a copy and two twins related alike stay one
class), and classes over MAX_MEMBERS to themselves: every pair is compared, a cost bound.
"""

from __future__ import annotations

import itertools

from hookwright.clones import relation as rel
from hookwright.clones.index import Group, LeafCache
from hookwright.clones.strength import LOOSE, bucket, differences

MIN_MEMBERS = 4
MAX_MEMBERS = 64


def split_families(groups: list[Group], leaves: LeafCache) -> list[Group]:
    found: list[Group] = []
    for group in groups:
        found.extend(_split(group, leaves))
    return found


def _split(group: Group, leaves: LeafCache) -> list[Group]:
    members = group.members
    count = len(members)
    if not MIN_MEMBERS <= count <= MAX_MEMBERS:
        return [group]
    distance = [[0] * count for _ in range(count)]
    for x, y in itertools.combinations(range(count), 2):
        distance[x][y] = distance[y][x] = differences(leaves, members[x], members[y])
    nearest: list[set[int]] = []
    for x in range(count):
        least = min(distance[x][y] for y in range(count) if y != x)
        nearest.append({y for y in range(count) if y != x and distance[x][y] == least})
    originals: dict[int, int] = {}  # a copy -> its original
    for x in range(count):
        if len(nearest[x]) == 1:
            (y,) = nearest[x]
            if all(distance[x][k] >= distance[y][k] for k in range(count) if k not in (x, y)):
                originals[x] = y
    copies: dict[int, int] = {}
    for x, y in originals.items():
        if originals.get(y) == x:
            # Twins nearest to each other: a third member nearest to them alone was copied from
            # either, and they stay the family's core (the strength split's rule for three).
            if any(nearest[z] <= {x, y} for z in range(count) if z not in (x, y)):
                continue
        elif y in originals:
            continue  # a copy of a copy stays: one step from the family at most
        copies[x] = y
    if not copies:
        return [group]
    rest = [members[x] for x in range(count) if x not in copies]
    if len(rest) == 1:
        return [group]  # the last twin would be left with no partner: it is a family of pairs
    pairs: dict[int, list[int]] = {}
    for x, y in copies.items():
        pairs.setdefault(min(x, y) if originals.get(y) == x else y, []).append(x)
    found = [Group(group.type, rest)] if rest else []
    for original, pasted in pairs.items():
        spans = sorted({members[original], *(members[x] for x in pasted)})
        loosest = max(bucket(leaves.range(spans[0]), leaves.range(span)) for span in spans[1:])
        found.append(Group(rel.TYPES[loosest] if loosest < LOOSE else group.type, spans))
    return found
