"""Which test files a change can affect: an import graph read from the blobs, cached per blob.

Conservative by construction. A name is matched to every file it could mean (any path whose
trailing parts spell it, ``package_dir`` aliases too: pytest puts test folders on ``sys.path``), so
the graph has more edges than Python would follow, never fewer. What no graph can follow is
treated as reaching everything: a file that loads code by name or starts processes depends on
every change; a change that reaches a conftest.py, a plugin entry point, a module a data file names
(``data_names``), a ``-p`` plugin or a file that nothing imports and is not a test (someone runs it
in a way we cannot see) runs the whole suite,
unless ``unstarted`` shows that no test can start or read that file. A console script is such a file,
not a plugin: it runs as a program of its own. A file that spells a Python file's path (``"x.py"``)
may read its bytes: it is reached by that file's changes as an importer is.

This is the conservative floor; a finer narrowing (say, by measured coverage) may only remove
tests from ``Selection.tests``, never decide for a change this module sends to the whole suite.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.frozen import dataclass, field
from hookwright.git.repo import Repo
from hookwright.testing import import_graph
from hookwright.testing.import_scan import Scanned, scan
from hookwright.testing.pytest_layout import PytestLayout, matches_python_files
from hookwright.testing.unstarted import first_startable

_TABLE_VERSION = 6  # bumped whenever import_scan reads a file differently
# Files no test imports by any name, that tools run instead: never a hidden dependency of a test.
# (Not __main__.py: a test's `make` or script may run `python -m pkg`, see ``unstarted``.)
_TOOL_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py"})
_DOC_DIRS = frozenset({"doc", "docs"})
_CONFIGURES_EVERYTHING = frozenset({"conftest.py", "setup.py"})


@dataclass(frozen=True)
class Selection:
    """The test files to run, or None for all of them, and why."""

    tests: tuple[str, ...] | None
    reason: str
    # Of ``tests``: those that may run anything (a dynamic import, a subprocess), whatever changed.
    always: tuple[str, ...] = ()
    # None only because a file that serves every test (a conftest, a plugin) reaches the change,
    # in the test process, or because a test may start a file nothing imports: what runs in the
    # test process is what per-test records see (test_lines), and a test that started a process
    # has none. Every test file is then the floor the records narrow.
    recordable: bool = False


@dataclass(frozen=True)
class Project:
    """How names map onto files beyond their paths, and what runs outside the graph."""

    layout: PytestLayout
    package_dirs: Mapping[str, str] = field(default_factory=dict)  # "hookwright" -> "lib"
    entry_points: frozenset[str] = frozenset()  # modules of plugin entry points (not console scripts)
    named_by_data: frozenset[str] = frozenset()  # dotted names data files hold (``data_names``)


def _scans(repo: Repo, python: Mapping[str, str], table: Path) -> dict[str, Scanned]:
    """path -> what it imports; one table per repository, so a commit re-reads only what it changed."""
    known = read_snapshot(table)
    if not isinstance(known, dict) or known.get("version") != _TABLE_VERSION:
        known = {"version": _TABLE_VERSION, "files": {}}
    files: dict[str, tuple[str, Scanned]] = {
        p: (v[0], Scanned(tuple(v[1]), v[2], v[3], v[4], v[5], tuple(v[6])))
        for p, v in known["files"].items()
    }
    stale = [p for p, b in python.items() if files.get(p, ("",))[0] != b]
    if stale:
        contents = repo.read_blobs(python[p] for p in stale)
        for path in stale:
            files[path] = (python[path], scan(path, contents.get(python[path], b"")))
    if stale or len(files) != len(python):
        files = {p: v for p, v in files.items() if p in python}
        rows = {
            p: (b, list(s.names), s.dynamic, s.spawns, s.runs_python, s.reads_tree, list(s.python_paths))
            for p, (b, s) in files.items()
        }
        write_snapshot(table, {"version": _TABLE_VERSION, "files": rows})
    return {p: s for p, (_, s) in files.items()}


def _readers(scans: Mapping[str, Scanned], targets: Iterable[str]) -> dict[str, set[str]]:
    """path of ``targets`` -> the files that spell it by a tail of its path (``"demo.py"``,
    ``"examples/demo.py"``): they may open it from the folder pytest runs in and read its bytes."""
    by_name: dict[str, list[str]] = {}
    for target in targets:
        by_name.setdefault(target.rsplit("/", 1)[-1], []).append(target)
    readers: dict[str, set[str]] = {}
    for path, scanned in scans.items():
        for spelled in scanned.python_paths:
            tail = spelled.removeprefix("./")
            for target in by_name.get(tail.rsplit("/", 1)[-1], ()):
                if target != path and (target == tail or target.endswith("/" + tail)):
                    readers.setdefault(target, set()).add(path)
    return readers


def _unknown(
    scans: Mapping[str, Scanned],
    layout: PytestLayout,
    importers: Mapping[str, set[str]],
    tests: Iterable[str],
) -> list[str]:
    """Files that may run any of the project's code: they depend on every change. ``tests``: the test
    files of ``scans`` (``layout.test_files``)."""
    # Test code that starts any program may start the project's code (a script with a python
    # shebang is no .py file to the graph), and test code that walks folders may read it as data:
    # tests, conftests, and helpers, which live beside the tests (tests/helpers.py) or which only
    # test code imports (tools/shell.py).
    test_dirs = {_tests_folder(p) for p in tests if "/" in p}

    def test_code(path: str) -> bool:
        return (
            layout.is_test_file(path)
            or path.rsplit("/", 1)[-1] == "conftest.py"
            or any(path.startswith(folder + "/") for folder in test_dirs)
        )

    def only_tests(path: str) -> bool:
        # (One nothing imports reaches no test: calling it unknown costs nothing.)
        return test_code(path) or all(map(test_code, importers.get(path, ())))

    found = []
    for path, scanned in scans.items():
        # Test code that reads files by a path found at run time may read any source as data.
        # (Flags first: only_tests walks a file's importers, and few files spawn or walk.)
        walks = scanned.spawns or scanned.reads_tree
        if scanned.dynamic or scanned.runs_python or (walks and only_tests(path)):
            found.append(path)
    return found


def _tests_folder(test: str) -> str:
    """The folder of a test's helpers: its shallowest folder named test*, else its own folder."""
    parts = test.split("/")[:-1]
    depth = next((d for d, part in enumerate(parts, 1) if part.startswith("test")), len(parts))
    return "/".join(parts[:depth])


def _closure(start: Iterable[str], importers: Mapping[str, set[str]]) -> set[str]:
    reached = set(start)
    frontier = list(reached)
    while frontier:
        for importer in importers.get(frontier.pop(), ()):
            if importer not in reached:
                reached.add(importer)
                frontier.append(importer)
    return reached


def _tool_file(path: str, layout: PytestLayout) -> bool:
    parts = path.split("/")
    if parts[-1] in _TOOL_FILES or (parts[-1] == "conf.py" and _DOC_DIRS.intersection(parts[:-1])):
        return True
    return matches_python_files(path, layout.python_files)  # test-shaped, outside what pytest collects


def affected_tests(
    repo: Repo,
    blobs: Mapping[str, str],
    changed: Iterable[str],
    table: Path,
    project: Project,
    gone: Iterable[str] = (),
    records: bool = False,
    fresh: Iterable[str] | None = None,
    fresh_files: Iterable[str] = (),
) -> Selection:
    """The test files that may reach a changed file; None when that cannot be known.

    ``gone``: files of the last known state that the tree no longer has (their importers must run).
    ``records``: per-test records of that state exist (then ``Selection.recordable`` is worth knowing,
    and ``always`` holds only the tests that may start a process running the project's code).
    ``fresh``: the test files that can see new functions left out of ``changed`` (``fresh_names``):
    they run as if changed, and so do the tests that may run anything, even when nothing else changed.
    ``fresh_files``: the files those new functions were appended to: what spells their paths may read
    their bytes, and runs as a test that can see the new functions does.
    """
    changed = sorted(set(changed))
    if not changed and fresh is None:
        return Selection((), "nothing the tests read has changed")
    for path in changed:
        if not path.endswith(".py"):
            return Selection(None, f"{path} changed: not Python, every test may read it")
        if path.rsplit("/", 1)[-1] in _CONFIGURES_EVERYTHING:
            return Selection(None, f"{path} changed: it configures every test")
    python = {p: b for p, b in blobs.items() if p.endswith(".py")}
    scans = _scans(repo, python, table)
    layout = project.layout
    gone_python = [g for g in gone if g.endswith(".py")]
    graph = table.with_name("import-graph.marshal")
    owners, importers = import_graph.kept(
        scans, python, gone_python, project.package_dirs, graph, _TABLE_VERSION
    )
    everything = {p for p in python if p.rsplit("/", 1)[-1] == "conftest.py"}
    for name in (*project.entry_points, *project.named_by_data, *layout.plugins, *layout.named):
        everything.update(owners.get(name, ()))
    # What imports a changed file, transitively; and what may load anything (it may load this).
    fresh_files = set(fresh_files)
    readers = _readers(scans, [*python, *gone_python])
    reading_fresh = [r for f in fresh_files for r in readers.get(f, ())]
    seen_fresh = _closure([*(fresh or ()), *reading_fresh], importers)
    reading = [r for f in changed for r in readers.get(f, ())]
    chain = _closure([*changed, *reading], importers) | seen_fresh
    tests = layout.test_files(python)
    unknown = _unknown(scans, layout, importers, tests)
    unsure = _closure(unknown, importers)
    reached = chain | unsure
    # With per-test records, what runs in the test process is seen (code loaded by name, a source
    # read as data: the plugin's tracer and audit hook); only what a started process runs is not.
    hidden = _closure([p for p in unknown if scans[p].spawns], importers) if records else unsure
    # (A test that can see a new function has no record of it: never left out by records.)
    always = tuple(t for t in tests if t in hidden or t in seen_fresh)
    # A file on the chain that nothing imports and that is not a test is used in a way the graph
    # cannot see (a name it cannot resolve, a script run by a test): unsure, unless `unstarted`
    # shows that nothing in the test process can start it or read it.
    unseen = [
        p
        for p in sorted(chain - everything)
        if p not in importers and not layout.is_test_file(p) and not _tool_file(p, layout)
    ]
    handing = [p for p in sorted(reached) if p in everything]

    def started() -> str | None:
        """Why a test may start a file of ``unseen``; None when none can (see ``unstarted``)."""
        if not unseen:
            return None

        def read(paths: Iterable[str]) -> dict[str, bytes]:
            chosen = {p: blobs[p] for p in paths if p in blobs}
            contents = repo.read_blobs(set(chosen.values()))
            return {p: contents.get(b, b"") for p, b in chosen.items()}

        return first_startable(unseen, changed, tests, scans, owners, layout, read)

    if handing:
        # Records see what such a file runs in the test process, at import, collection, in a
        # fixture or hook (shared, or the test's own); what it may start or load (it is unsure
        # itself) no record sees.
        recordable = records and not any(p in hidden for p in handing)
        reason = f"{handing[0]} is reached: it can hand any test what changed"
        return Selection(None, reason, always, recordable)
    startable = started()
    if startable is not None:
        # A file nothing imports runs in the test process only in ways records see (a name
        # loaded, a path run or read: the tracer and the audit hook), or in a process a test
        # started, which leaves that test no record. So records may narrow every test file (not
        # only the importers: the test that starts it may import nothing that changed).
        return Selection(None, startable, always, recordable=records)
    selected = tuple(t for t in tests if t in reached)
    return Selection(selected, f"{len(selected)} of {len(tests)} test files reach what changed", always)
