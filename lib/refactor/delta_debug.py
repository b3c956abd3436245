"""Finding the changes that break verification with few verifier runs (delta debugging).

The units are numbered 0..N-1 (a patch's hunks); ``verify(kept)`` applies exactly the units in
``kept`` and says whether the result verifies, and where its failure points. With one bad unit among
N, complement bisection isolates it in ceil(log2 N) + 1 runs (the first run is the whole patch; each
further run leaves out half of the remaining suspects). A failure that points at a unit (a syntax
error inside a hunk, a traceback line) is tried first and usually ends the search in two runs.
Several bad units, or units that are bad only together, fall back to a greedy prefix search: the
kept set grows by binary search and stays verified, and each rejected unit is one that breaks it.
Every run is remembered, so no subset is verified twice; the kept set returned has always verified.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

Units = frozenset[int]
Verify = Callable[[Units], tuple[bool, Iterable[int]]]


class BaselineFails(Exception):
    """Verification fails even with none of the units applied: nothing can be kept."""


@dataclass(frozen=True)
class Isolation:
    kept: tuple[int, ...]
    rejected: tuple[int, ...]
    runs: int
    baseline_failed: bool = False


@dataclass
class _Runs:
    verify: Verify
    results: dict[Units, tuple[bool, frozenset[int]]] = field(default_factory=dict)

    def __call__(self, kept: Collection[int]) -> bool:
        return self.hinted(kept)[0]

    def hinted(self, kept: Collection[int]) -> tuple[bool, frozenset[int]]:
        key = frozenset(kept)
        if key not in self.results:
            ok, hints = self.verify(key)
            self.results[key] = (ok, frozenset(hints) & key)
        return self.results[key]


def _one_culprit(base: Units, hints: frozenset[int], runs: _Runs) -> tuple[int, bool]:
    """A unit whose removal from ``base`` should make it verify; and whether that was confirmed."""
    suspects = sorted(base, key=lambda unit: (unit not in hints, unit))
    hinted = [unit for unit in suspects if unit in hints]
    if 0 < len(hinted) < len(suspects) and runs(base - frozenset(hinted)):
        suspects = hinted
    while len(suspects) > 1:
        half = suspects[: len(suspects) // 2]
        # Leaving out a half that holds the culprit makes the rest verify; otherwise it is in the other.
        suspects = half if runs(base - frozenset(half)) else suspects[len(half) :]
    culprit = suspects[0]
    return culprit, runs(base - {culprit})


def _greedy(order: list[int], runs: _Runs) -> tuple[list[int], list[int]]:
    """Grow a verified kept set in ``order``; a unit that breaks it is rejected (several culprits)."""
    kept: list[int] = []
    rejected: list[int] = []
    rest = list(order)
    while rest:
        if runs(kept + rest):
            return kept + rest, rejected
        low, high = 0, len(rest)  # kept + rest[:low] verifies (low == 0: kept), kept + rest[:high] fails
        while high - low > 1:
            middle = (low + high) // 2
            if runs(kept + rest[:middle]):
                low = middle
            else:
                high = middle
        if low == 0 and not kept and not runs(()):
            raise BaselineFails
        kept += rest[:low]
        rejected.append(rest[low])
        rest = rest[low + 1 :]
    return kept, rejected


def isolate(count: int, verify: Verify) -> Isolation:
    """The largest verified set of the units we can find, and the ones that break it."""
    runs = _Runs(verify)
    everything = frozenset(range(count))
    ok, hints = runs.hinted(everything)
    if ok:
        return Isolation(tuple(range(count)), (), len(runs.results))
    if not everything:
        return Isolation((), (), len(runs.results), baseline_failed=True)
    try:
        culprit, confirmed = _one_culprit(everything, hints, runs)
        if not confirmed and not any(ok for ok, _ in runs.results.values()) and not runs(()):
            raise BaselineFails  # nothing ever verified: is it the patch at all?
        rejected = {culprit} if confirmed else set(_greedy(sorted(everything), runs)[1])
    except BaselineFails:
        return Isolation((), tuple(range(count)), len(runs.results), baseline_failed=True)
    kept_units = tuple(sorted(everything - rejected))
    return Isolation(kept_units, tuple(sorted(rejected)), len(runs.results))
