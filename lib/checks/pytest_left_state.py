"""Test files that leave state behind for the tests after them: while they do, every run is whole.

The plugin names each test file that ends with the process's environment or working directory
other than it found them (``pytest_run.Outcome.left_state``), and the private copy tells which of its
files a run wrote, changed, removed or added (``Export.written``). A later test may read that state,
so a run that left test files out, or split them across processes, is then not what a plain
``pytest`` run does. Such a run, if it passed, is repeated whole in one process. And once a file left
state behind, every run is whole and in one process until a whole run shows it leaves none: also
when that file changed or was deleted, which is when a later test that relied on the state fails in
a plain run (the writer gone, the reader left). Files written into the tree keep every run whole
until a whole run writes none.

State kept in module attributes, or in files outside the tree, is not seen: the README says so.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections.abc import Callable, Collection, Mapping, Sequence

from hookwright.cache import ResultCache, digest


def _key(check_digest: str) -> str:
    return digest(check_digest, "left-state")


_TREE = "\0tree"  # the remembered entry for files a run wrote into its tree (no test file's name)


def known(memory: ResultCache, check_digest: str, picked: Mapping[str, str]) -> str | None:
    """Why every test runs, in one process: a test file left state behind in the last runs (with
    these bytes, other bytes, or now deleted), or the suite wrote into its tree; None otherwise."""
    remembered: dict[str, str] = memory.get(_key(check_digest)) or {}
    if _TREE in remembered:
        return f"the suite wrote into its tree ({remembered[_TREE]})"
    for name, blob in sorted(remembered.items()):
        now = "" if picked.get(name) == blob else " (changed since)" if name in picked else " (deleted since)"
        return f"{name}{now} leaves state behind for later tests"
    return None


def remember(
    memory: ResultCache,
    check_digest: str,
    picked: Mapping[str, str],
    left: Collection[str],
    ran: Collection[str],
    wrote: Collection[str] = (),
    whole: bool = False,
) -> None:
    """Files that left state behind now are remembered; those that ran and left none, or are gone,
    are not. ``wrote``: paths the run wrote into its tree; a ``whole`` run that wrote none forgets
    that the suite writes there."""

    def change(before: dict[str, str] | None) -> dict[str, str] | None:
        remembered = before or {}
        kept = {f: blob for f, blob in remembered.items() if f in picked and f not in ran}
        kept.update({f: picked[f] for f in left if f in picked})
        if wrote:
            kept[_TREE] = ", ".join(sorted(wrote))
        elif _TREE in remembered and not whole:
            kept[_TREE] = remembered[_TREE]
        return kept if kept != remembered else None

    # One transaction: two runs finishing at once must not forget what the other found (t31).
    memory.update(_key(check_digest), change)


def whole_run_note(left: Collection[str], wrote: Collection[str] = ()) -> str:
    if not left:
        written = ", ".join(sorted(wrote))
        return f"; the run wrote into its tree ({written}): the whole suite ran in one process"
    first = sorted(left)[0]
    more = f" and {len(left) - 1} more" if len(left) > 1 else ""
    return f"; {first}{more} left state behind for later tests: the whole suite ran in one process"


# pytest-cov's reports and where each goes unless ``--cov-report=KIND:DEST`` says (``annotate``
# writes beside the sources: not a report path).
_COVERAGE_REPORTS = {
    "xml": "coverage.xml",
    "html": "htmlcov",
    "json": "coverage.json",
    "lcov": "coverage.lcov",
}


def reports_asked(addopts: Sequence[str]) -> Callable[[str, str], bool] | None:
    """Whether an added path is what pytest-cov's ``--cov-report`` options write once every test ran.

    No test of the run reads them, and a plain run starts without them: not state. The same name
    written by a test, or a report a coverage config file places elsewhere, still counts as a write.
    """
    found: set[str] = set()
    for at, word in enumerate(addopts):
        if word == "--cov-report" and at + 1 < len(addopts):
            value = addopts[at + 1]
        elif word.startswith("--cov-report="):
            value = word.partition("=")[2]
        else:
            continue
        kind, _, destination = value.partition(":")
        if kind in _COVERAGE_REPORTS:
            place = posixpath.normpath(destination or _COVERAGE_REPORTS[kind])
            if not place.startswith(("/", "../")) and place not in ("..", "."):
                found.add(place)
    return functools.partial(_only_reports, reports=frozenset(found)) if found else None


def _only_reports(path: str, full: str, reports: frozenset[str]) -> bool:
    """``path`` is a report, lies in one, or is a folder holding nothing else (``reports/x.xml``)."""
    if not reports:
        return False
    if path in reports or any(path.startswith(f"{r}/") for r in reports):
        return True
    if not any(r.startswith(f"{path}/") for r in reports) or not os.path.isdir(full):
        return False
    for folder, folders, names in os.walk(full):
        inside = os.path.relpath(folder, full).replace(os.sep, "/")
        links = [f for f in folders if os.path.islink(os.path.join(folder, f))]  # (not walked into)
        for name in [*names, *links]:
            relative = f"{path}/{name}" if inside == "." else f"{path}/{inside}/{name}"
            if not _only_reports(relative, "", reports):
                return False
    return True
