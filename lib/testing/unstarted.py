"""Whether a test can start a file that nothing imports: an example, a script, a typing check.

A change that reaches such a file (the file imports what changed, or it changed itself) matters to
the tests only if a test can run it or read it. ``impact`` sends such a change to the whole suite
unless this module shows that nothing in the test process can:

- pytest collects nothing beyond the test files: no doctest modules, no collection hook or
  ``pytest_plugins`` in the files the session loads, no option or ``-p`` plugin we do not know;
- no conftest starts processes or loads code by name (no test imports a conftest, so nothing else
  makes a test run for it; tests and helpers that do are always selected, see ``impact``);
- when a file on the test side starts programs (an editor, a pager, ``make``: tests and helpers
  that start Python are always selected already), nothing on the test side names the file (its
  name, a folder of its path, a console script that runs it, a glob that matches it), nor does any
  other file of the tree by its path (a Makefile, a script): a program can run the file only
  through something that names it;
- the file itself did not change: only what it imports did. A test may read a changed file as
  data by any path (a folder walked from ``__file__``), which no name shows.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping

from hookwright.testing.import_scan import Scanned, without_prose
from hookwright.testing.pytest_layout import PytestLayout

# Code that makes pytest collect more than its test files, or loads plugins by name.
_COLLECTS = re.compile(
    rb"\bpytest_(?:collect_file|pycollect_makemodule|collect_directory|make_collect_report|plugins)\b"
)
_LITERAL = re.compile(rb'"""(.*?)"""|\'\'\'(.*?)\'\'\'|"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', re.S)
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

_ENTRY_POINT = re.compile(rb"""^[ \t]*["']?([\w.-]+)["']?[ \t]*=[ \t]*["']?([\w.]+)[ \t]*:[ \t]*\w""", re.M)
Read = Callable[[Iterable[str]], Mapping[str, bytes]]


def first_startable(
    unseen: list[str],
    changed: Iterable[str],
    tests: Iterable[str],
    scans: Mapping[str, Scanned],
    owners: Mapping[str, set[str]],
    layout: PytestLayout,
    other_files: Iterable[str],
    read: Read,
) -> str | None:
    """The first of ``unseen`` a test may start or read, with why; None when none can be."""
    conftests = [p for p in scans if p.rsplit("/", 1)[-1] == "conftest.py"]
    plugins = [p for name in layout.plugins for p in owners.get(name, ())]
    foreign = [p for p in layout.plugins if not owners.get(p) and p not in _BUILTIN_PLUGINS]
    if layout.doctest_modules or foreign:
        return f"{unseen[0]} is reached and pytest may collect it (doctest modules or a plugin)"
    option = next((w for w in layout.addopts if w.startswith("-") and not w.startswith(_HARMLESS)), None)
    if option is not None:
        return f"{unseen[0]} is reached and pytest's option {option} may collect it"
    for path in conftests:
        scanned = scans[path]
        if scanned.dynamic or scanned.spawns:
            return f"{unseen[0]} is reached and {path} may start anything"
    first_changed = next((p for p in unseen if p in changed), None)
    if first_changed is not None:
        # Its bytes changed, not only what it imports: a test may read them by any path.
        return f"{first_changed} changed and nothing imports it: who reads it is unknown"
    setup = read([*conftests, *plugins])
    for path, data in setup.items():
        if _COLLECTS.search(data):
            return f"{unseen[0]} is reached and {path} may collect it"
    side = _test_side([*tests, *conftests, *plugins], scans, owners)
    if not any(scans[p].spawns for p in side):
        return None  # nothing in the test process starts a program that could run them
    texts = read(sorted(side))
    others = read(sorted(set(other_files) - side - set(unseen)))
    scripts = _console_scripts(others.values())
    for candidate in unseen:
        modules = {name for name, paths in owners.items() if candidate in paths}
        names = [name for name, module in scripts if module in modules]
        words, globs = _names(candidate, names)
        for path, data in texts.items():
            # Any test-side string may reach the helper that starts programs as an argument; one in
            # a comment or a docstring names nothing (blanking those is slow: only to confirm).
            if _names_in(data, words, globs) and _names_in(without_prose(data), words, globs):
                return f"{candidate} is reached, {path} names it and a helper of the tests starts programs"
        by_path = _by_path(candidate, [m for m in modules if "." in m])
        for path, data in others.items():
            if by_path.search(data.decode("utf-8", "replace")):
                return f"{candidate} is reached, {path} names it and a helper of the tests starts programs"
    return None


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


def _names_in(data: bytes, words: re.Pattern[str], globs: tuple[str, ...]) -> bool:
    """Some string literal of the source ``data`` names the file."""
    for match in _LITERAL.finditer(data):
        text = next(g for g in match.groups() if g is not None).decode("utf-8", "replace")
        if _names_it(text, words, globs):
            return True
    return False


def _names(path: str, scripts: list[str]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A regex for the words that may name ``path`` to a program (its folders, its file name, the
    console scripts that run it), and the tails of its path a glob may match."""
    parts = path.split("/")
    tails = tuple("/".join(parts[start:]) for start in range(len(parts)))
    return _any_word([*parts[:-1], parts[-1], *scripts]), (*tails, *parts[:-1])


def _by_path(path: str, dotted: list[str]) -> re.Pattern[str]:
    """How another program's files (a Makefile, a script) name ``path``: its file name, a path of
    two or more of its folders, or a dotted module name (``python -m pkg.mod``)."""
    parts = path.split("/")
    folders = ["/".join(parts[start:-1]) for start in range(len(parts) - 2)]
    return _any_word([parts[-1], *folders, *dotted])


def _console_scripts(texts: Iterable[bytes]) -> list[tuple[str, str]]:
    """(script, module) of every ``name = "pkg.module:function"`` line: pyproject, setup.cfg."""
    found = []
    for data in texts:
        for name, module in _ENTRY_POINT.findall(data):
            found.append((name.decode("utf-8", "replace"), module.decode("utf-8", "replace")))
    return found


def _any_word(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w-])")


def _names_it(text: str, words: re.Pattern[str], globs: tuple[str, ...]) -> bool:
    if words.search(text):
        return True
    return any(ch in text for ch in "*?[") and any(fnmatch.fnmatchcase(g, text) for g in globs)
