"""Which function bodies each test ran, recorded on real runs, kept per state of the suite.

A record belongs to one known state of the suite (``test_states.state_key``: every input's blob,
the config, the interpreter, the runner's environment): it says, for every test that passed with
recording, which bodies of which files it entered, and which bodies ran *shared* (at import or
collection time, in fixtures wider than a function, in teardown, or while a test imported a
module). A record is only read for the state it belongs to; ``line_narrowing`` uses it.

After a run, the tests that ran get fresh records (none when they failed or their record may be
incomplete, see the plugin); the others keep theirs: they ran none of what changed, so they behave
as before. The last few states are kept, so a change tried and undone still finds its base's.

Why a record carried forward still holds. A test is left out only when every change lies inside
function bodies (``code_units``: not a signature, decorator, default, class or module body), none
of those bodies ran shared, and the test's record entered none of them. Python code of the tree
runs in the test process only by calls, which the tracer sees, or as module and class bodies,
which count as shared or as the test's own. So the test runs the same code it ran when recorded,
reaches the same calls, and enters the same bodies: its record is still its record, and so is the
shared part (import and collection reach no changed body either; a narrowed run that changed
nothing else records from its first test on, ``Plan.record_from_tests``, and keeps the shared part
it was compared with). A record joined with a fresh one (``_joined``) only grows.

Its limits, where a test does not run as it was recorded although no body it entered changed: it
reads state another test left behind (a cache, a global, a file, a background process) that a
changed body now fills differently, when the two are split by the narrowing (the environment and
working folder are checked, ``pytest_left_state``; a body a test entered beside the changed one that
may keep a result, a cache decorator or a module-level name's contents (any such body, when a test
runs with no record), keeps the import graph's answer, ``line_narrowing``; state kept through an
instance, an alias or a library is not seen); its path depends on the clock, the network, the host
or a random draw the plugin does not know as one (``random``, ``secrets``, ``uuid``, hypothesis and
faker are known); it reads a changed function's code object without calling it (``__code__``; its
source read from the file is seen, as any ``open``, ``linecache`` or loader's ``get_data``); code
runs where no tracer is (a C extension calling back into Python still is; a process a test started
leaves it no record; a thread runs shared).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.frozen import dataclass, field
from hookwright.git.repo import Repo
from hookwright.testing import code_units

_VERSION = 3
_STATES_KEPT = 4
MODULE_CODE = 0  # the plugin's line for "a module or class body ran" (_hookwright_calls)
READ_AS_DATA = -1  # ... for "the file was opened as data"
WHOLE_FILE = "*"  # the body key of a file read as data: any change to it counts
Bodies = Mapping[str, list[str]]  # path -> body keys


@dataclass(frozen=True)
class Recorded:
    state: str  # test_states.state_key of the state the records describe
    tests: Mapping[str, Bodies]  # node id -> what it entered
    shared: Bodies  # run on behalf of no single test
    collected: Mapping[str, list[str]] = field(default_factory=dict)  # test file -> its node ids


@dataclass(frozen=True)
class Fresh:
    """What one run recorded."""

    ran: set[str]  # node ids
    tests: dict[str, dict[str, list[str]]]  # passing node ids with a complete record
    shared: dict[str, set[str]]
    collected: dict[str, list[str]]


def _path(repo: Repo, check_digest: str) -> Path:
    return repo.state_dir / "cache" / f"tests-calls-{check_digest[:16]}.marshal"


def _states(repo: Repo, check_digest: str) -> dict:
    data = read_snapshot(_path(repo, check_digest))
    if not isinstance(data, dict) or data.get("version") != _VERSION:
        return {}
    states = data.get("states")
    return states if isinstance(states, dict) else {}


def load(repo: Repo, check_digest: str, state: str) -> Recorded | None:
    """The records of ``state``, or None (none kept for it)."""
    kept = _states(repo, check_digest).get(state)
    if not isinstance(kept, dict):
        return None
    return Recorded(state, kept["tests"], kept["shared"], kept["collected"])


def file_of(node_id: str) -> str:
    return node_id.split("::", 1)[0]


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
            parsed = code_units.units(contents.get(blob, b""))
            rows[blob] = [(b.key, b.first, b.last) for b in parsed.bodies] if parsed else []
        live = set(blobs.values())
        # Old blobs go only when the table grows large: a branch switch back should not re-parse.
        if len(rows) > 4 * max(len(live), 256):
            rows = {b: r for b, r in rows.items() if b in live}
        write_snapshot(table, {"version": _VERSION, "blobs": rows})
    maps = {}
    for path, blob in blobs.items():
        found = [code_units.Body(key, first, last, "", True) for key, first, last in rows[blob]]
        maps[path] = code_units.LineMap(found)
    return maps


def collect(repo: Repo, folder: Path, inputs: Mapping[str, str]) -> Fresh | None:
    """What the plugin recorded in ``folder``; None when nothing was (another tracer was active)."""
    files = sorted(folder.glob("lines-*.json"))
    if not files:
        return None
    ran: set[str] = set()
    passed: set[str] = set()
    collected: dict[str, list[str]] = {}
    contexts: dict[str, list[tuple[str, set[str], bool]]] = {}
    runs = []
    for file in files:
        try:
            runs.append(json.loads(file.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None
    seen = {unit[0] for run in runs for unit in run["units"]}
    maps = _line_maps(repo, {p: inputs[p] for p in seen if p in inputs and p.endswith(".py")})
    for run in runs:
        ran.update(run["ran"])
        passed.update(run["passed"])
        for test_file, ids in run["collected"].items():
            collected.setdefault(test_file, []).extend(ids)
        # Each unit (a function, a module body, a file read) is mapped to bodies once.
        units = [(u[0], _unit_keys(maps.get(u[0]), u[1:]), MODULE_CODE in u[1:]) for u in run["units"]]
        for context, indexes in run["contexts"].items():
            contexts.setdefault(context, []).extend(units[i] for i in indexes)
    tests: dict[str, dict[str, list[str]]] = {}
    shared: dict[str, set[str]] = {}
    for context, found in contexts.items():
        ran_here: dict[str, set[str]] = {}
        for path, keys, _ in found:
            if keys is not None:
                ran_here.setdefault(path, set()).update(keys)
        # A module or class body of another file ran inside this test: it imported a module
        # (or built a class) whose result may serve every test after it.
        imported = any(
            module and keys is not None and path != file_of(context) for path, keys, module in found
        )
        if not context or imported:
            for path, keys in ran_here.items():
                shared.setdefault(path, set()).update(keys)
        if context in passed:
            tests[context] = {p: sorted(k) for p, k in ran_here.items() if k}
    return Fresh(ran, tests, shared, collected)


def _unit_keys(where: code_units.LineMap | None, lines: list[int]) -> set[str] | None:
    """The bodies a unit's lines lie in (``WHOLE_FILE`` for a file read); None: not a tree file."""
    if where is None:
        return None
    keys = where.keys(lines)
    return keys | {WHOLE_FILE} if READ_AS_DATA in lines else keys


def save(
    repo: Repo,
    check_digest: str,
    state: str,
    previous: Recorded | None,
    files_run: Iterable[str],
    fresh: Fresh | None,
) -> None:
    """Records for ``state``: ``previous`` (of the state this run was compared with; None: start
    over) less every test that ran (every test of ``files_run`` when nothing was recorded), plus
    what this run recorded, joined with the test's previous record (a path taken once counts)."""
    tests = dict(previous.tests) if previous else {}
    collected = dict(previous.collected) if previous else {}
    shared = {p: set(k) for p, k in previous.shared.items()} if previous else {}
    if fresh is None:
        dropped = set(files_run)
        tests = {t: r for t, r in tests.items() if file_of(t) not in dropped}
    else:
        for test in fresh.ran:
            before = tests.pop(test, None)
            if test in fresh.tests:
                tests[test] = _joined(before, fresh.tests[test])
        for path, keys in fresh.shared.items():
            shared.setdefault(path, set()).update(keys)
        collected.update(fresh.collected)
    row = {"tests": tests, "shared": {p: sorted(k) for p, k in shared.items()}, "collected": collected}
    states = _states(repo, check_digest)
    if previous is not None and previous.state in states:
        # The very objects the new state reuses: marshal then writes each shared record once.
        reused = {"tests": previous.tests, "shared": previous.shared, "collected": previous.collected}
        states[previous.state] = reused
    # Most recently used last: the state just compared with stays, the oldest goes.
    order = [s for s in states if s not in (state, previous.state if previous else None)]
    if previous is not None and previous.state in states:
        order.append(previous.state)
    kept = {s: states[s] for s in order[-(_STATES_KEPT - 1) :]}
    kept[state] = row
    write_snapshot(_path(repo, check_digest), {"version": _VERSION, "states": kept})


def _joined(before: Bodies | None, now: dict[str, list[str]]) -> Bodies:
    if not before:
        return now
    joined = {p: set(k) for p, k in before.items()}
    for path, keys in now.items():
        joined.setdefault(path, set()).update(keys)
    return {p: sorted(k) for p, k in joined.items()}
