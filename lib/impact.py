"""Which test files a change can affect: a Python import graph, read from the blobs, cached per blob.

Conservative by construction: anything the graph cannot see (a change to a non-Python input, a
conftest, a dynamic import in the tests) selects the whole suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.git import Repo

_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]*)|import[ \t]+([^#\n]+))", re.M
)
_DYNAMIC = re.compile(
    rb"\bimport_module\s*\(|\b__import__\s*\(|\bpytest_plugins\b|\bimportlib\.util\.spec_from"
)
_TEST_FILE = re.compile(r"(^|/)(test_[^/]*|[^/]*_test)\.py$")
_ALWAYS_EVERYTHING = re.compile(r"(^|/)(conftest\.py|setup\.py|__main__\.py)$")


def module_names(path: str) -> list[str]:
    """The dotted names a file is importable as: from the root, and from ``src/``."""
    if not path.endswith(".py"):
        return []
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts)] if parts else []
    if len(parts) > 1 and parts[0] == "src":
        names.append(".".join(parts[1:]))
    return names


def _parse_imports(path: str, data: bytes) -> tuple[list[str], bool]:
    """Imported module names (relative ones resolved) and whether the file imports dynamically."""
    package = path[:-3].split("/")[:-1] if not path.endswith("__init__.py") else path.split("/")[:-1]
    found: list[str] = []
    for match in _IMPORT.finditer(data):
        source, names, plain = match.group(1), match.group(2), match.group(3)
        if plain is not None:
            for item in plain.decode("utf-8", "replace").split(","):
                name = item.strip().split(" as ")[0].strip()
                if name:
                    found.append(name)
            continue
        base = source.decode()
        dots = len(base) - len(base.lstrip("."))
        if dots:
            anchor = package[: len(package) - (dots - 1)] if dots - 1 <= len(package) else []
            base = ".".join([*anchor, base[dots:]] if base[dots:] else anchor)
        if not base:
            continue
        found.append(base)
        # `from pkg import mod` may import the submodule pkg.mod.
        for item in names.decode("utf-8", "replace").strip("()").replace("\n", " ").split(","):
            name = item.strip().split(" as ")[0].strip()
            if name and name != "*":
                found.append(f"{base}.{name}")
    return found, bool(_DYNAMIC.search(data))


def test_files(blobs: Mapping[str, str], settings: Mapping[str, Sequence[str]]) -> list[str]:
    """The test files pytest collects by default (``test_*.py``, ``*_test.py``) under ``testpaths``."""
    roots = tuple(p.strip("/") + "/" for p in settings.get("testpaths", []))
    return sorted(p for p in blobs if _TEST_FILE.search(p) and (not roots or p.startswith(roots)))


@dataclass(frozen=True)
class Selection:
    """The test files to run, or None for all of them, and why."""

    tests: tuple[str, ...] | None
    reason: str


def _graph(repo: Repo, blobs: Mapping[str, str], table: Path) -> tuple[dict[str, list[str]], set[str]]:
    """path -> imported module names, and the paths that import dynamically.

    One table per repository, kept across runs: a commit re-reads only the files it changed.
    """
    python = {p: b for p, b in blobs.items() if p.endswith(".py")}
    known = read_snapshot(table)
    if not isinstance(known, dict):
        known = {}
    stale = [p for p, b in python.items() if known.get(p, ("",))[0] != b]
    if stale:
        contents = repo.read_blobs(python[p] for p in stale)
        for path in stale:
            names, dynamic = _parse_imports(path, contents.get(python[path], b""))
            # One string per file, not a list: the table loads in a third of the time.
            known[path] = (python[path], "\n".join(names), dynamic)
    if stale or len(known) != len(python):
        known = {p: v for p, v in known.items() if p in python}
        write_snapshot(table, known)
    imports = {p: known[p][1].split("\n") if known[p][1] else [] for p in python}
    dynamic = {p for p in python if known[p][2]}
    return imports, dynamic


def affected_tests(
    repo: Repo,
    blobs: Mapping[str, str],
    changed: Iterable[str],
    table: Path,
    test_roots: Sequence[str] = (),
) -> Selection:
    """The test files whose imports reach a changed file (transitively)."""
    changed = sorted(set(changed))
    if not changed:
        return Selection((), "nothing the tests read has changed")
    for path in changed:
        if not path.endswith(".py"):
            return Selection(None, f"{path} changed: not Python, every test may read it")
        if _ALWAYS_EVERYTHING.search(path):
            return Selection(None, f"{path} changed: it configures every test")
    imports, dynamic = _graph(repo, blobs, table)
    tests = test_files(imports, {"testpaths": list(test_roots)})
    importers_dynamic = [p for p in dynamic if p in tests or p.endswith("conftest.py")]
    if importers_dynamic:
        return Selection(None, f"{importers_dynamic[0]} imports dynamically")
    owner: dict[str, str] = {}
    for path in imports:
        for name in module_names(path):
            owner.setdefault(name, path)
    # Importing a.b.c runs a/__init__.py and a/b/__init__.py too: depend on every parent.
    depends: dict[str, set[str]] = {}
    for path, names in imports.items():
        targets = depends.setdefault(path, set())
        for name in names:
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):
                found = owner.get(".".join(parts[:depth]))
                if found is not None and found != path:
                    targets.add(found)
    importers: dict[str, set[str]] = {}
    for path, targets in depends.items():
        for target in targets:
            importers.setdefault(target, set()).add(path)
    reached = set(changed)
    frontier = list(changed)
    while frontier:
        for importer in importers.get(frontier.pop(), ()):
            if importer not in reached:
                reached.add(importer)
                frontier.append(importer)
    selected = tuple(t for t in tests if t in reached)
    return Selection(selected, f"{len(selected)} of {len(tests)} test files import what changed")
