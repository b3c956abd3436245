"""Which function bodies each test file ran, recorded on real runs, and the selection they allow.

The record belongs to one known state of the suite (``test_states``): it says, for every test file
that ran with recording, which bodies of which files it executed, and which bodies ran *shared*
(at import or collection time, in fixtures wider than a function, in teardown, or while a test
imported a module). A later change whose edits are all inside bodies (``code_units``) reaches only
the test files that ran one of those bodies; every other change, a shared body, a test file with
no record, a test that may run anything (``impact``) keeps the conservative import-graph answer.

After a run, the files that ran get fresh records; the others keep theirs (they ran none of what
changed, so they behave as before), unless the record was of another state, when it starts over.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.git.repo import Repo
from hookwright.testing import code_units

_VERSION = 2
SHARED = "<shared>"  # the plugin's context for code no single test file owns


@dataclass(frozen=True)
class Recorded:
    state: str  # test_states.state_key of the state the records describe
    tests: Mapping[str, Mapping[str, list[str]]]  # test file -> path -> body keys it ran
    shared: Mapping[str, list[str]]  # path -> body keys run on behalf of no single test file


def _path(repo: Repo, check_digest: str) -> Path:
    return repo.state_dir / "cache" / f"tests-lines-{check_digest[:16]}.marshal"


def load(repo: Repo, check_digest: str, state: str) -> Recorded | None:
    """The records of ``state``, or None (none kept, or kept for another state)."""
    data = read_snapshot(_path(repo, check_digest))
    if not isinstance(data, dict) or data.get("version") != _VERSION or data.get("state") != state:
        return None
    return Recorded(state, data["tests"], data["shared"])


def _line_maps(repo: Repo, blobs: Mapping[str, str]) -> dict[str, code_units.LineMap]:
    """path -> where its bodies lie; bodies are kept per blob, so a file is parsed once."""
    table = repo.state_dir / "cache" / "bodies.marshal"
    known = read_snapshot(table)
    if not isinstance(known, dict) or known.get("version") != _VERSION:
        known = {"version": _VERSION, "blobs": {}}
    rows = known["blobs"]
    missing = [b for b in set(blobs.values()) if b not in rows]
    if missing:
        contents = repo.read_blobs(missing)
        for blob in missing:
            source = contents.get(blob, b"")
            parsed = code_units.units(source)
            bodies = [(b.key, b.first, b.last) for b in parsed.bodies] if parsed else []
            rows[blob] = (bodies, code_units.call_lines(source))
        live = set(blobs.values())
        # Old blobs go only when the table grows large: a branch switch back should not re-parse.
        if len(rows) > 4 * max(len(live), 256):
            rows = {b: r for b, r in rows.items() if b in live}
        write_snapshot(table, {"version": _VERSION, "blobs": rows})
    maps = {}
    for path, blob in blobs.items():
        spans, calls = rows[blob]
        found = [code_units.Body(key, first, last, "", True) for key, first, last in spans]
        maps[path] = code_units.LineMap(found, calls)
    return maps


def collect(
    repo: Repo, folder: Path, inputs: Mapping[str, str]
) -> tuple[set[str], dict[str, dict[str, list[str]]], dict[str, set[str]]] | None:
    """What the plugin recorded in ``folder``: the test files that ran, their bodies, the shared ones.

    None when nothing was recorded (coverage.py is not installed where the tests ran, or another
    tracer was active).
    """
    files = sorted(folder.glob("lines-*.json"))
    if not files:
        return None
    ran: set[str] = set()
    lines: dict[str, dict[str, set[int]]] = {}
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ran.update(data["ran"])
        for context, paths in data["lines"].items():
            for path, numbers in paths.items():
                lines.setdefault(context, {}).setdefault(path, set()).update(numbers)
    seen = {p for paths in lines.values() for p in paths}
    python = {p: inputs[p] for p in seen if p in inputs and p.endswith(".py")}
    maps = _line_maps(repo, python)
    tests: dict[str, dict[str, list[str]]] = {}
    shared: dict[str, set[str]] = {}
    for context, paths in lines.items():
        ran_here: dict[str, set[str]] = {}
        imported = False
        for path, numbers in paths.items():
            if path not in maps:
                continue
            keys, outside = maps[path].keys(numbers)
            ran_here[path] = keys
            # Import-time code of another file ran inside this test: it imported a module, and
            # what that import ran may serve every test after it.
            imported = imported or (outside and path != context)
        if context == SHARED or imported:
            for path, keys in ran_here.items():
                shared.setdefault(path, set()).update(keys)
        if context != SHARED:
            tests[context] = {p: sorted(k) for p, k in ran_here.items() if k}
    return ran, tests, shared


def save(
    repo: Repo,
    check_digest: str,
    state: str,
    previous: Recorded | None,
    selected: Iterable[str],
    fresh: tuple[set[str], dict[str, dict[str, list[str]]], dict[str, set[str]]] | None,
) -> None:
    """Records for ``state``: ``previous`` (of the state this run was compared with; None: start
    over) less every test file this run selected, plus what this run recorded."""
    tests = {t: dict(p) for t, p in previous.tests.items()} if previous else {}
    shared = {p: set(k) for p, k in previous.shared.items()} if previous else {}
    for test in selected:
        tests.pop(test, None)
    if fresh is not None:
        ran, recorded, more = fresh
        for test in ran:
            tests[test] = recorded.get(test, {})
        for path, keys in more.items():
            shared.setdefault(path, set()).update(keys)
    rows = {"version": _VERSION, "state": state, "tests": tests}
    rows["shared"] = {p: sorted(k) for p, k in shared.items()}
    write_snapshot(_path(repo, check_digest), rows)


@dataclass(frozen=True)
class Narrowed:
    tests: tuple[str, ...]
    reason: str


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
    """The floor's test files that can see this change, by recorded bodies; None: no narrowing.

    ``coarse(paths)``: the import-graph answer for changes the records cannot judge.
    """
    judged, unjudged = [], []
    for path in changed:
        old, new = before.get(path), now.get(path)
        name = path.rsplit("/", 1)[-1]
        if old and new and path.endswith(".py") and not is_test_file(path) and name != "conftest.py":
            judged.append(path)
        else:
            unjudged.append(path)
    if not judged:
        return None
    contents = repo.read_blobs([before[p] for p in judged] + [now[p] for p in judged])
    hits: set[str] = set()
    by_lines = 0
    for path in judged:
        keys = code_units.changed_bodies(contents.get(before[path], b""), contents.get(now[path], b""))
        if keys is None or keys & set(recorded.shared.get(path, ())):
            unjudged.append(path)
            continue
        by_lines += 1
        hits.update(t for t, paths in recorded.tests.items() if keys & set(paths.get(path, ())))
    if not by_lines:
        return None
    kept = set(always) | {t for t in floor if t not in recorded.tests}
    if unjudged:
        reached = coarse(unjudged)
        if reached is None:
            return None
        kept.update(reached)
    chosen = tuple(sorted((set(floor) & kept) | {t for t in hits if t in now}))
    if set(chosen) == set(floor):
        return None  # nothing left out: the import graph's answer stands, and its reason
    return Narrowed(chosen, f"{len(chosen)} of the import graph's {len(floor)} test files ran what changed")
