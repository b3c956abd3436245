"""A series of patches applied one after another, each on what the ones before it made.

A patch that does not apply, or a prefix that does not verify, ends the series where it is: we keep
the longest prefix of whole patches that applies and verifies, as ``git am`` keeps the commits before
the patch it stops at. Keeping only some hunks of a patch in a series would make a state none of its
commits had, with the patches after it written against hunks that are missing; so a series is
bisected by patch, not by hunk. With one bad patch among N that is ceil(log2 N) + 1 verifier runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hookwright.refactor import hunk_apply
from hookwright.refactor.edit_checks import Verdict
from hookwright.refactor.edit_session import EditSession
from hookwright.refactor.hunk_apply import Built, HunkFailed
from hookwright.refactor.patch_series import SeriesPatch

Contents = dict[str, bytes | None]


@dataclass
class Placed:
    """The series placed in memory: the files after each patch that applies, and why the next did not."""

    states: list[Contents]  # states[k]: every touched path after patches 1..k (states[0]: before)
    built: list[Built]  # built[k]: where patch k+1's hunks went
    failures: list[HunkFailed] = field(default_factory=list)  # of the first patch that does not apply

    @property
    def applied(self) -> int:
        return len(self.built)


def place(series: Sequence[SeriesPatch], originals: Mapping[str, bytes | None]) -> Placed:
    placed = Placed([dict(originals)], [])
    for patch in series:
        state = placed.states[-1]
        failures = hunk_apply.placement_failures(patch.files, state)
        if failures:
            placed.failures = failures
            break
        units = hunk_apply.units_of(patch.files)
        built = hunk_apply.build(patch.files, dict(state), units, range(len(units)))
        placed.built.append(built)
        placed.states.append({**state, **built.contents})
    return placed


def changed(state: Mapping[str, bytes | None], originals: Mapping[str, bytes | None]) -> Contents:
    """What differs from the originals (a file made and deleted again by the series is no change)."""
    return {path: data for path, data in state.items() if data != originals.get(path)}


def modes(series: Sequence[SeriesPatch], root: Path) -> dict[str, int]:
    found: dict[str, int] = {}
    for patch in series:
        for path, mode in hunk_apply.new_modes(patch.files, root).items():
            found[path] = mode
        for file in patch.files:  # a rename of a file an earlier patch created keeps its mode
            if file.old_path in found and file.new_path and file.new_path not in found:
                found[file.new_path] = found[file.old_path]
    return found


@dataclass
class Outcome:
    kept: int  # patches kept (a prefix)
    breaking: int | None  # 1-based number of the patch that breaks verification
    verdict: Verdict | None  # the failing verdict of the state that ends with that patch
    baseline_failed: bool = False


def keep_verified_prefix(
    session: EditSession, placed: Placed, modes: Mapping[str, int], *, all_or_nothing: bool
) -> Outcome:
    """Verify the whole applied prefix; when it fails, the longest prefix that verifies is kept."""
    originals = session.originals
    verdicts: dict[int, Verdict] = {}

    def verifies(count: int, hold: bool = False) -> bool:
        verdicts[count] = session.trial(changed(placed.states[count], originals), modes, hold=hold)
        return verdicts[count].ok

    top = placed.applied
    if all_or_nothing and placed.failures:
        return Outcome(0, None, None)
    if verifies(top, hold=True):
        session.keep(changed(placed.states[top], originals), modes)
        return Outcome(top, None, None)
    if all_or_nothing:
        return Outcome(0, top, verdicts[top])
    low, high = 0, top  # states[low] is assumed to verify, states[high] does not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if verifies(middle) else (low, middle)
    if low == 0 and not verifies(0):
        return Outcome(0, None, verdicts[top], baseline_failed=True)
    session.keep(changed(placed.states[low], originals), modes)
    return Outcome(low, high, verdicts[high])


def hinted_hunks(patch: SeriesPatch, placed: Placed, verdict: Verdict | None) -> list[str]:
    """``path hunk #n`` of ``patch`` whose new lines the failure points at (found without another run)."""
    if verdict is None or patch.number > placed.applied:
        return []
    found = []
    for (file_index, number), where in placed.built[patch.number - 1].placements.items():
        file = patch.files[file_index]
        last = where.line + max(len(file.hunks[number - 1].new) - 1, 0)
        if any(
            path == file.path and line and where.line - 1 <= line <= last + 1
            for path, line in verdict.locations
        ):
            found.append(f"{file.path} hunk #{number}")
    return found


def rows(series: Sequence[SeriesPatch], placed: Placed, outcome: Outcome | None) -> list[dict[str, Any]]:
    """The record's ``series``: one row per patch, with what became of it."""
    found = []
    for patch in series:
        if outcome is not None and patch.number <= outcome.kept:
            status = "applied"
        elif placed.failures and patch.number == placed.applied + 1:
            status = "does not apply"
        elif outcome is not None and patch.number == outcome.breaking:
            status = "breaks verification"
        elif outcome is None and patch.number <= placed.applied:
            status = "would apply"
        else:
            status = "left out"
        found.append(
            {
                "number": patch.number,
                "title": patch.title,
                "files": sorted({f.path for f in patch.files}),
                "hunks": sum(len(f.hunks) for f in patch.files),
                "status": status,
            }
        )
    return found
