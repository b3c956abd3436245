"""Whether a test can start a file that nothing imports: an example, a script, a typing check.

A change that reaches such a file (the file imports what changed, or it changed itself) matters to
the tests only if a test can run it or read it. ``impact`` sends such a change to the whole suite
unless this module shows that nothing in the test process can:

- pytest collects nothing beyond the test files: no doctest modules, no collection hook or
  ``pytest_plugins`` in the files the session loads, no option or ``-p`` plugin we do not know;
- no conftest starts processes or loads code by name (no test imports a conftest, so nothing else
  makes a test run for it; tests and helpers that do are always selected, see ``impact``);
- nothing on the test side starts programs (tests and helpers that start Python are always selected
  already): a command line may be built from pieces, or run a Makefile or a script that globs a
  folder, so no name on it shows what it runs;
- the file itself did not change: only what it imports did. A test may read a changed file as
  data by any path (a folder walked from ``__file__``), which no name shows.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterable, Mapping

from hookwright.lazy_regex import compile_lazily
from hookwright.testing.import_scan import Scanned
from hookwright.testing.pytest_layout import PytestLayout

# Code that makes pytest collect more than its test files, or loads plugins by name.
_COLLECTS = compile_lazily(
    rb"\bpytest_(?:collect_file|pycollect_makemodule|collect_directory|make_collect_report|plugins)\b"
)
# addopts that change what is reported or deselected, never what is collected beyond test files.
_HARMLESS = (
    "-q", "-v", "-x", "-s", "-l", "-r", "-W", "-m", "-k", "-n", "--tb", "--strict", "--import-mode",
    "--durations", "--color", "--showlocals", "--maxfail", "--cov", "--no-cov", "--capture",
    "--ignore", "--deselect", "--timeout", "--basetemp", "--junit", "--log", "--show-capture",
    "--full-trace", "--disable-warnings", "--pythonwarnings", "--dist", "--verbose", "--quiet",
    "--benchmark", "--no-header", "--runxfail", "--exitfirst", "-p",
)  # fmt: skip
# Plugins pytest itself ships that collect nothing.
_BUILTIN_PLUGINS = frozenset({"pytester", "doctest"})

Read = Callable[[Iterable[str]], Mapping[str, bytes]]


def first_startable(
    unseen: list[str],
    changed: Iterable[str],
    tests: Iterable[str],
    scans: Mapping[str, Scanned],
    owners: Mapping[str, set[str]],
    layout: PytestLayout,
    read: Read,
) -> str | None:
    """The first of ``unseen`` a test may start or read, with why; None when none can be."""
    conftests = [p for p in scans if p.rsplit("/", 1)[-1] == "conftest.py"]
    plugins = [p for name in layout.plugins for p in owners.get(name, ())]
    collector = options_collect(layout, [p for p in layout.plugins if not owners.get(p)])
    if collector is not None:
        return f"{unseen[0]} is reached and {collector}"
    given = next((p for p in unseen if _given_to_pytest(p, layout)), None)
    if given is not None:
        return f"{given} is reached and pytest is given its path (addopts, testpaths): it collects it"
    for path in conftests:
        scanned = scans[path]
        if scanned.dynamic or scanned.spawns:
            return f"{unseen[0]} is reached and {path} may start anything"
    first_changed = next((p for p in unseen if p in changed), None)
    if first_changed is not None:
        # Its bytes changed, not only what it imports: a test may read them by any path.
        return f"{first_changed} changed and nothing imports it: who reads it is unknown"
    setup = read([*conftests, *plugins])
    collector = setup_collects(setup)
    if collector is not None:
        return f"{unseen[0]} is reached and {collector}"
    side = _test_side([*tests, *conftests, *plugins], scans, owners)
    starter = next((p for p in sorted(side) if scans[p].spawns), None)
    if starter is not None:
        # A program's command line may be built from pieces ("exam" + "ples"), a glob in a Makefile
        # or a script it runs: no name shows what it will start.
        return f"{unseen[0]} is reached and {starter} starts programs that may run it"
    return None


def options_collect(layout: PytestLayout, foreign: Iterable[str]) -> str | None:
    """Why pytest's options may collect files beyond the test files: doctest modules, a ``-p``
    plugin that is not in the tree (``foreign``), an option we do not know (``--mypy``)."""
    if layout.doctest_modules or any(p not in _BUILTIN_PLUGINS for p in foreign):
        return "pytest may collect it (doctest modules or a plugin)"
    option = next((w for w in layout.addopts if w.startswith("-") and not w.startswith(_HARMLESS)), None)
    return f"pytest's option {option} may collect it" if option is not None else None


def setup_collects(setup: Mapping[str, bytes]) -> str | None:
    """Which conftest or plugin module (path -> bytes) has a collection hook or loads plugins."""
    return next((f"{path} may collect it" for path, data in setup.items() if _COLLECTS.search(data)), None)


def _test_side(
    start: Iterable[str], scans: Mapping[str, Scanned], owners: Mapping[str, set[str]]
) -> set[str]:
    """Every file the test session may import: what the tests import, transitively, packages too."""
    side = {p for p in start if p in scans}
    frontier = list(side)
    while frontier:
        path = frontier.pop()
        parts = path.split("/")[:-1]
        found = ["/".join([*parts[:depth], "__init__.py"]) for depth in range(1, len(parts) + 1)]
        for name in scans[path].names:
            pieces = name.split(".")
            for depth in range(1, len(pieces) + 1):
                found.extend(owners.get(".".join(pieces[:depth]), ()))
        for target in found:
            if target in scans and target not in side:
                side.add(target)
                frontier.append(target)
    return side


def _given_to_pytest(path: str, layout: PytestLayout) -> bool:
    """pytest is given ``path`` (addopts, testpaths): it collects a file it is given whatever its name."""
    for word in (*layout.addopts, *layout.testpaths):
        pattern = word.split("::", 1)[0].removeprefix("./").rstrip("/")
        if not word.startswith("-") and (pattern == path or fnmatch.fnmatchcase(path, pattern)):
            return True
    return False
