"""Which tests can see a change, by the bodies each test entered on the state it is compared with.

A change whose edits all lie inside function bodies (``code_units``) reaches only the tests whose
record entered one of those bodies. Everything else keeps the import graph's answer (``impact``):
a change outside bodies, a body that ran shared (at import, in a wide fixture), a test file, a
conftest, a test with no record (new, failed, or its record may be incomplete), a test file that
may run anything. Only recorded tests are ever left out; a file runs unless all of its tests are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from hookwright.frozen import dataclass, replace
from hookwright.git.repo import Repo
from hookwright.testing import code_units
from hookwright.testing.lines import WHOLE_FILE, Recorded, file_of


@dataclass(frozen=True)
class Narrowed:
    tests: tuple[str, ...]  # test files to collect
    deselect: frozenset[str]  # node ids of those files whose records miss the change
    reason: str
    # Every change lies in bodies no shared record entered: import and collection run as they did
    # when the records were made, so the records' shared part still holds for them.
    collection_as_recorded: bool = False


def _judged(
    repo: Repo,
    recorded: Recorded,
    before: Mapping[str, str],
    now: Mapping[str, str],
    changed: Iterable[str],
    is_test_file: Callable[[str], bool],
) -> tuple[dict[str, set[str]], list[str]]:
    """path -> the bodies its change edits (only changes records can judge); and the others."""
    candidates, unjudged = [], []
    for path in changed:
        old, new = before.get(path), now.get(path)
        name = path.rsplit("/", 1)[-1]
        if old and new and path.endswith(".py") and not is_test_file(path) and name != "conftest.py":
            candidates.append(path)
        else:
            unjudged.append(path)
    judged: dict[str, set[str]] = {}
    if not candidates:
        return judged, unjudged
    contents = repo.read_blobs([before[p] for p in candidates] + [now[p] for p in candidates])
    for path in candidates:
        keys = code_units.changed_bodies(contents.get(before[path], b""), contents.get(now[path], b""))
        shared = set(recorded.shared.get(path, ()))
        if keys is None or keys & shared or WHOLE_FILE in shared:
            unjudged.append(path)
        else:
            judged[path] = keys
    return judged, unjudged


def narrow(
    repo: Repo,
    recorded: Recorded,
    before: Mapping[str, str],
    now: Mapping[str, str],
    changed: Iterable[str],
    floor: tuple[str, ...],
    always: Iterable[str],
    is_test_file: Callable[[str], bool],
    coarse: Callable[[list[str]], tuple[str, ...] | None],
) -> Narrowed | None:
    """The floor's tests that can see this change, by recorded bodies; None: no narrowing.

    ``coarse(paths)``: the import-graph answer for changes the records cannot judge.
    """
    judged, unjudged = _judged(repo, recorded, before, now, changed, is_test_file)
    if not judged:
        return None
    whole = set(always)  # test files that run every test
    if unjudged:
        reached = coarse(unjudged)
        if reached is None:
            return None
        whole.update(reached)
    files, deselect = [], set()
    for test_file in floor:
        ids = recorded.collected.get(test_file)
        if test_file in whole or not ids:
            files.append(test_file)  # never recorded as a whole: every test of it runs
            continue
        missed = {t for t in ids if t in recorded.tests and not _hit(recorded.tests[t], judged)}
        if len(missed) < len(set(ids)):
            files.append(test_file)  # a test with no record, or one that entered what changed
        deselect |= missed
    if not deselect:
        return None  # nothing left out: the import graph's answer stands, and its reason
    running = frozenset(t for t in deselect if file_of(t) in files)
    reason = f"{len(files)} of the import graph's {len(floor)} test files; {len(deselect)} tests left out"
    narrowed = Narrowed(tuple(files), running, reason + ": their records miss the change")
    return replace(narrowed, collection_as_recorded=not unjudged)


def _hit(entered: Mapping[str, list[str]], judged: Mapping[str, set[str]]) -> bool:
    for path, keys in judged.items():
        bodies = entered.get(path, ())
        # A file read as data: any change to it may change what the test read (a comment too).
        if WHOLE_FILE in bodies or keys.intersection(bodies):
            return True
    return False
