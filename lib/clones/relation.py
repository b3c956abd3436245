"""Is a same-shape pair a clone, and of which type? Renamings that explain themselves, or new behaviour.

Two ranges of the same shape have the same leaves (names, attribute names, literals) in the same
places; what differs decides. Renaming the names a fragment binds (its variables, parameters, the
function itself, the data attributes it keeps) consistently does not change what it does; copy,
paste and rename also carries the entity's word into other names and strings (``User`` -> ``Order``
makes ``get_user`` -> ``get_order`` and ``"users"`` -> ``"orders"``). Every other difference -- an
identifier, attribute name, type or literal changed at one place, independently of the others --
is what a T2 clone may carry (Roy, Cordy & Koschke), up to a limit: at most MAX_CHANGED_SHARE of
all leaves, and less than MAX_BEHAVIOUR_SHARE of what the fragment calls and the literals it uses.
A pair of the same shape whose calls and literals mostly differ is two different fragments that
look alike, not a clone (the name-blind match other detectors report).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from hookwright.clones.leaves import Leaf
from hookwright.sequence_ends import common_ends
from hookwright.templates.filters import plural, singular, words

T1, T2C, T2, T3 = "T1", "T2c", "T2", "T3"
TYPES = (T1, T2C, T2, T3)
_RENAMABLE = frozenset({"store", "param", "def", "attr"})  # names a fragment binds or keeps as data
_BEHAVIOUR = frozenset({"call", "method", "lit"})  # what a fragment calls and the literals it uses
# Names live in namespaces: renaming the variable `name` leaves `self.name` and `f(name=...)` alone.
_NAMESPACE = {
    "name": "var", "store": "var", "param": "var", "def": "var", "call": "var",
    "attr": "attr", "method": "attr", "kw": "kw", "module": "module",
}  # fmt: skip
# Independent changes a T2 clone may carry (set on the tuning split, see benchmarks/extractor):
# at most this share of all its leaves, less than this share of its calls and literals; one change
# is always allowed.
MAX_CHANGED_SHARE = 0.35
MAX_BEHAVIOUR_SHARE = 0.5
ALLOWED_FIXED = 1
# ... and two when they are at most half of its calls and literals (a short function: `hasattr(obj,
# "x")` made `check(obj, "y")` is one edit of a call with its argument).
SMALL_FIXED = 2


@dataclass(frozen=True)
class Verdict:
    type: str | None  # T1 / T2c / T2, or None: not a clone
    unexplained: int  # differing behaviour leaves no renaming explains
    behaviour: int  # behaviour leaves (calls, free names, keywords, literals) compared
    where: tuple[int, ...] = ()  # the positions of those leaves


def bound_names(leaves: Iterable[Leaf]) -> set[str]:
    return {leaf.value for leaf in leaves if leaf.role in ("store", "param", "def")}


def word_substitutions(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The words a renaming swaps: ``(user_id, order_id)`` -> ``{user: order, users: orders}``."""
    found: dict[str, str] = {}
    for a, b in pairs:
        wa, wb = words(a), words(b)
        i, j = common_ends(wa, wb)
        middle_a, middle_b = wa[i : len(wa) - j], wb[i : len(wb) - j]
        if len(middle_a) != len(middle_b):
            continue
        for x, y in zip(middle_a, middle_b, strict=True):
            if x == y or len(x) < 2:
                continue
            found.setdefault(x, y)
            found.setdefault(singular(x), singular(y))
            found.setdefault(plural(singular(x)), plural(singular(y)))
    return {k: v for k, v in found.items() if k != v}


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def substitute(text: str, substitutions: dict[str, str]) -> str:
    """``text`` with every swapped word swapped, keeping each occurrence's case."""
    if not substitutions:
        return text
    pattern = _pattern(tuple(sorted(substitutions, key=lambda w: (-len(w), w))))
    return pattern.sub(lambda m: _match_case(substitutions[m.group(0).lower()], m.group(0)), text)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    found = _PATTERNS.get(keys)
    if found is None:
        if len(_PATTERNS) > 4096:
            _PATTERNS.clear()
        found = _PATTERNS[keys] = re.compile("|".join(re.escape(k) for k in keys), re.IGNORECASE)
    return found


def relate(left: Sequence[Leaf], right: Sequence[Leaf]) -> Verdict:
    """Compare the aligned leaves of two same-shape ranges."""
    if len(left) != len(right):
        return Verdict(None, len(left) + len(right), 0)
    pairs = list(zip(left, right, strict=True))
    behaviour = sum(1 for leaf in left if leaf.role in _BEHAVIOUR and not _keyword_constant(leaf))
    if all(x.value == y.value for x, y in pairs):
        return Verdict(T1, 0, behaviour)
    inconsistent = _inconsistent(pairs)
    bound = bound_names(left) | bound_names(right)
    renames = [
        (x.value, y.value)
        for i, (x, y) in enumerate(pairs)
        if x.value != y.value
        and i not in inconsistent
        and (x.role == "attr" or _renamed_binding(x, y, bound))
    ]
    swaps = word_substitutions(renames)
    where: list[int] = []
    changed_behaviour = 0
    literal_changes = 0
    for i, (x, y) in enumerate(pairs):
        if x.value == y.value:
            continue
        if i not in inconsistent:
            if _renamed_binding(x, y, bound) or x.role == "attr":
                continue  # a consistent renaming of what the fragment binds or keeps as data
            if x.role == "lit":
                literal_changes += 1
            if (
                isinstance(x.value, str)
                and isinstance(y.value, str)
                and substitute(x.value, swaps) == y.value
            ):
                continue
        where.append(i)
        changed_behaviour += x.role in _BEHAVIOUR and not _keyword_constant(x)
    if not where and literal_changes == 0:
        return Verdict(T2C, 0, behaviour)
    within = len(where) <= max(ALLOWED_FIXED, MAX_CHANGED_SHARE * len(pairs))
    small = changed_behaviour <= ALLOWED_FIXED or (
        changed_behaviour <= SMALL_FIXED and changed_behaviour <= MAX_BEHAVIOUR_SHARE * behaviour
    )
    if within and (small or changed_behaviour < MAX_BEHAVIOUR_SHARE * behaviour):
        return Verdict(T2, changed_behaviour, behaviour, tuple(where))
    return Verdict(None, changed_behaviour, behaviour, tuple(where))


def _inconsistent(pairs: Sequence[tuple[Leaf, Leaf]]) -> set[int]:
    """Positions that break the renaming most of the fragment follows (per namespace, both ways)."""
    forward: dict[tuple[str, Any], Counter[Any]] = {}
    backward: dict[tuple[str, Any], Counter[Any]] = {}
    for x, y in pairs:
        space = _NAMESPACE.get(x.role)
        if space is not None:
            forward.setdefault((space, x.value), Counter())[y.value] += 1
            backward.setdefault((space, y.value), Counter())[x.value] += 1
    chosen = {key: _most_common(c) for key, c in forward.items()}
    chosen_back = {key: _most_common(c) for key, c in backward.items()}
    found = set()
    for i, (x, y) in enumerate(pairs):
        space = _NAMESPACE.get(x.role)
        if space is not None and (
            chosen[(space, x.value)] != y.value or chosen_back[(space, y.value)] != x.value
        ):
            found.add(i)
    return found


def _most_common(counter: Counter[Any]) -> Any:
    # Ties go to the value that sorts first, so that the verdict does not depend on leaf order.
    best = max(counter.values())
    return min((v for v, n in counter.items() if n == best), key=repr)


def _keyword_constant(leaf: Leaf) -> bool:
    """``None``, ``True``, ``False``, ``...``: spelled as keywords, too common to say what code does."""
    return leaf.role == "lit" and (
        leaf.value is None or leaf.value is Ellipsis or isinstance(leaf.value, bool)
    )


def _renamed_binding(x: Leaf, y: Leaf, bound: set[str]) -> bool:
    if x.role in _RENAMABLE and x.role != "attr":
        return True
    return x.role in ("name", "call") and (x.value in bound or y.value in bound)


def worst(types: Iterable[str]) -> str:
    """The loosest of several clone types (T1 < T2c < T2 < T3)."""
    return max(types, key=TYPES.index, default=T1)
