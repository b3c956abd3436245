"""Which tests can see a change, by the bodies each test entered on the state it is compared with.

A change whose edits all lie inside function bodies (``code_units``) reaches only the tests whose
record entered one of those bodies. Everything else keeps the import graph's answer (``impact``):
a change outside bodies, a body that ran shared (at import, in a wide fixture), a test file, a
conftest, a test with no record (new, failed, or its record may be incomplete), a test file that
may run anything. Only recorded tests are ever left out; a file runs unless all of its tests are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from hookwright.cache import read_snapshot, write_snapshot
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
    if not judged or _kept_for_later_tests(repo, recorded, before, now, judged, floor):
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


def _kept_for_later_tests(
    repo: Repo,
    recorded: Recorded,
    before: Mapping[str, str],
    now: Mapping[str, str],
    judged: Mapping[str, set[str]],
    floor: Iterable[str],
) -> bool:
    """A test that entered a changed body also entered one that may keep a result (a memo, a
    registry, a global): a later test may read the new result without entering the change, and its
    record would not show it (``functools.cache`` hands it over with no call the tracer sees).

    A test that runs with no record (new, failing before, its record unsure) may enter anything:
    then any such body in a file the recorded run imported counts.
    """
    entered: dict[str, set[str] | None] = {}
    for record in recorded.tests.values():
        if _hit(record, judged):
            for path, keys in record.items():
                known = entered.setdefault(path, set())
                if known is not None:
                    known.update(keys)
    if _runs_unrecorded(recorded, floor):
        imported = {*recorded.shared, *(p for r in recorded.tests.values() for p in r), *judged}
        entered.update(dict.fromkeys(imported))
    blobs = {p: {before.get(p), now.get(p)} - {None} for p in entered if p.endswith(".py")}
    remembering = _remembering(repo, {b for pair in blobs.values() for b in pair if b})
    for path, pair in blobs.items():
        wanted = entered[path]
        for blob in pair:
            found = remembering.get(blob or "")
            if found is None or code_units.ONE_LINE in found or (found if wanted is None else found & wanted):
                return True
    return False


def _runs_unrecorded(recorded: Recorded, floor: Iterable[str]) -> bool:
    for test_file in floor:
        ids = recorded.collected.get(test_file)
        if not ids or any(t not in recorded.tests for t in ids):
            return True
    return False


def _remembering(repo: Repo, blobs: set[str]) -> dict[str, set[str] | None]:
    """blob -> its remembering bodies (``code_units.remembering_bodies``), kept per blob."""
    table = repo.state_dir / "cache" / "remembering.marshal"
    known = read_snapshot(table)
    rows: dict[str, list[str] | None] = known if isinstance(known, dict) else {}
    missing = [b for b in blobs if b not in rows]
    if missing:
        contents = repo.read_blobs(missing)
        for blob in missing:
            found = code_units.remembering_bodies(contents.get(blob, b""))
            rows[blob] = sorted(found) if found is not None else None
        # Old blobs go only when the table grows large: a branch switch back should not re-parse.
        if len(rows) > 4 * max(len(blobs), 1024):
            rows = {b: r for b, r in rows.items() if b in blobs}
        write_snapshot(table, rows)
    return {b: set(rows[b] or ()) if rows[b] is not None else None for b in blobs}
