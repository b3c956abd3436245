"""Test files that leave state behind for the tests after them: while they do, every run is whole.

The plugin names each test file that ends with the process's environment or working directory
other than it found them (``pytest_run.Outcome.left_state``). A later test may read that state, so
a run that left test files out, or split them across processes, is then not what a plain ``pytest``
run does. Such a run, if it passed, is repeated whole in one process; and while a file that left
state behind keeps the same bytes, every run of the suite is whole and in one process.

State kept in module attributes or in files is not seen: the README says so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from hookwright.cache import ResultCache, digest


def _key(check_digest: str) -> str:
    return digest(check_digest, "left-state")


def known(memory: ResultCache, check_digest: str, picked: Mapping[str, str]) -> str | None:
    """A test file of this tree that left state behind when it had these same bytes."""
    remembered: dict[str, str] = memory.get(_key(check_digest)) or {}
    return next((f for f, blob in sorted(remembered.items()) if picked.get(f) == blob), None)


def remember(
    memory: ResultCache,
    check_digest: str,
    picked: Mapping[str, str],
    left: Collection[str],
    ran: Collection[str],
) -> None:
    """Files that left state behind now are remembered; those that ran and left none are not."""
    remembered: dict[str, str] = memory.get(_key(check_digest)) or {}
    kept = {f: blob for f, blob in remembered.items() if picked.get(f) == blob and f not in ran}
    kept.update({f: picked[f] for f in left if f in picked})
    if kept != remembered:
        memory.put(_key(check_digest), kept)


def whole_run_note(left: Collection[str]) -> str:
    first = sorted(left)[0]
    more = f" and {len(left) - 1} more" if len(left) > 1 else ""
    return f"; {first}{more} left state behind for later tests: the whole suite ran in one process"
