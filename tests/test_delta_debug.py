"""Delta debugging: few verifier runs to find the hunks that break verification, and a kept set that verifies."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import pytest

from hookwright.refactor.delta_debug import isolate

Verify = Callable[[frozenset[int]], tuple[bool, Iterable[int]]]


def counting(verify: Verify) -> tuple[Verify, list[frozenset[int]]]:
    seen: list[frozenset[int]] = []

    def wrapped(kept: frozenset[int]) -> tuple[bool, Iterable[int]]:
        seen.append(kept)
        return verify(kept)

    return wrapped, seen


def bad_unit(bad: int, hint: bool = False) -> Verify:
    return lambda kept: (bad not in kept, {bad} if hint and bad in kept else set())


def test_everything_verifies_in_one_run() -> None:
    result = isolate(10, lambda kept: (True, ()))
    assert result.kept == tuple(range(10)) and result.rejected == () and result.runs == 1


@pytest.mark.parametrize("count", [2, 7, 16, 64])
def test_one_bad_unit_is_isolated_by_bisection(count: int) -> None:
    runs = []
    for bad in range(count):
        verify, seen = counting(bad_unit(bad))
        result = isolate(count, verify)
        assert result.rejected == (bad,)
        assert result.kept == tuple(u for u in range(count) if u != bad)
        assert len(seen) == len(set(seen)) == result.runs, "no subset is verified twice"
        assert frozenset(result.kept) in seen, "what is kept has verified"
        runs.append(result.runs)
    # ceil(log2 N) + 1 runs isolate the unit; a confirming run is needed when the last test failed.
    bound = math.ceil(math.log2(count)) + 1
    assert max(runs) <= bound + 1
    assert sum(r <= bound for r in runs) >= count // 2


def test_one_bad_unit_among_64_worst_case_and_mean_runs() -> None:
    runs = [isolate(64, bad_unit(bad)).runs for bad in range(64)]
    assert max(runs) == 8 and sum(runs) / 64 == 7.5


def test_a_failure_that_points_at_a_unit_is_confirmed_in_two_runs() -> None:
    for bad in (0, 31, 63):
        result = isolate(64, bad_unit(bad, hint=True))
        assert result.rejected == (bad,) and result.runs == 2


def test_several_bad_units_are_all_found_and_the_rest_kept() -> None:
    bad = {3, 17, 40}
    verify, seen = counting(lambda kept: (not (bad & kept), ()))
    result = isolate(64, verify)
    assert set(result.rejected) == bad
    assert frozenset(result.kept) in seen


def test_a_unit_that_needs_another_one_is_kept_with_it() -> None:
    # unit 5 uses what unit 4 adds; unit 7 is simply broken
    result = isolate(10, lambda kept: (not (5 in kept and 4 not in kept) and 7 not in kept, ()))
    assert result.rejected == (7,)


def test_when_verification_fails_without_any_unit_nothing_is_kept() -> None:
    result = isolate(16, lambda kept: (False, ()))
    assert result.baseline_failed and result.kept == () and result.rejected == tuple(range(16))
    assert result.runs == 1 + 4 + 1 + 1  # all, the bisection, its confirmation, then without any unit


def test_no_units() -> None:
    assert isolate(0, lambda kept: (True, ())).kept == ()
