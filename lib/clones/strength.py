"""A clone class holds members related at one strength: a close copy is not merged with looser twins.

Clustering puts a member in a class when it is a clone of the class's centre, so a copy of ``X``
(an exact or renamed paste) and a natural near-twin ``Y`` of ``X`` (two ``__eq__`` methods of
sibling classes) end up in one class, and the copy is reported as a clone of ``Y`` too, a pair
nobody made. Within a class of three or more, the members linked at the class's best strength
stay one class; the others form a second class with the one of those members closest to them.
Members related to each other all at the same strength (a true class of three) are left alone.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence

from hookwright.clones import relation as rel
from hookwright.clones.index import Group, LeafCache, Range
from hookwright.clones.leaves import Leaf

# Every pair of members is compared: a bigger class is a repeated idiom, not a copy and its twins.
MAX_MEMBERS = 12
LOOSE = len(rel.TYPES) - 1  # different shapes, or no same-shape verdict: the gapped (T3) bucket


def split_by_strength(groups: Sequence[Group], leaves: LeafCache) -> list[Group]:
    found: list[Group] = []
    pending = list(groups)
    while pending:
        group = pending.pop()
        parts = _split(group, leaves)
        if parts is None:
            found.append(group)
        else:
            found.append(parts[0])
            pending.append(parts[1])
    return found


def _split(group: Group, leaves: LeafCache) -> tuple[Group, Group] | None:
    members = group.members
    if not 3 <= len(members) <= MAX_MEMBERS:
        return None
    strength = {
        (x, y): bucket(leaves.range(members[x]), leaves.range(members[y]))
        for x, y in itertools.combinations(range(len(members)), 2)
    }
    best = min(strength.values())
    if best == max(strength.values()):
        return None
    # The members joined by best-strength links, grown from the first such link.
    close = set(next(pair for pair, value in strength.items() if value == best))
    grown = True
    while grown:
        grown = False
        for (x, y), value in strength.items():
            if value == best and (x in close) != (y in close):
                close |= {x, y}
                grown = True
    rest = [x for x in range(len(members)) if x not in close]
    if not rest:
        return None

    def distance(x: int) -> tuple[int, int]:
        pairs = [(min(x, y), max(x, y)) for y in rest]
        changed = sum(differences(leaves, members[a], members[b]) for a, b in pairs)
        return sum(strength[p] for p in pairs), changed

    # The close members most like the others stand for the close ones in the looser class; when
    # they all do (the copy's original has an exact twin), which one the copy came from is unknown.
    nearest = min(distance(x) for x in close)
    stand_ins = [x for x in close if distance(x) == nearest]
    if len(stand_ins) == len(close):
        return None
    tight = Group(rel.TYPES[best] if best < LOOSE else group.type, [members[x] for x in sorted(close)])
    loose = Group(group.type, [members[x] for x in sorted([*stand_ins, *rest])])
    return tight, loose


def differences(leaves: LeafCache, one: Range, two: Range) -> int:
    """Leaves of either side that the other lacks (names and literals kept, in order)."""
    left = [(leaf.role, leaf.value) for leaf in leaves.range(one)]
    right = [(leaf.role, leaf.value) for leaf in leaves.range(two)]
    if len(left) == len(right):
        return 2 * sum(a != b for a, b in zip(left, right, strict=True))
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    return len(left) + len(right) - 2 * sum(block.size for block in matcher.get_matching_blocks())


def bucket(one: Sequence[Leaf], two: Sequence[Leaf]) -> int:
    """T1, T2c, T2 as their index in ``rel.TYPES``; anything looser is the gapped bucket."""
    if len(one) != len(two):
        return LOOSE
    verdict = rel.relate(one, two)
    return rel.TYPES.index(verdict.type) if verdict.type is not None else LOOSE
