"""Who may import whom, kept by the blobs it was built from: a commit redoes only the files it changed.

A file's edges (the files it may import) follow from its path, its scan (its blob) and which files
every dotted name may mean (``owners``: the tree's Python paths and ``package_dir`` aliases). So the
graph is kept under the *shape* those names come from; under the same shape a file whose blob is the
one its edges were built from keeps them, and only changed files are looked at again. A new shape (a
file added, removed or renamed, another ``package_dir``, another scanner) builds everything anew.
The answer is always the one a full build gives (``tests/test_import_graph.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from hookwright.cache import digest, read_snapshot, write_snapshot

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.testing.import_scan import Scanned

_VERSION = 1  # bumped whenever an edge is drawn differently

Owners = dict[str, set[str]]
Importers = dict[str, set[str]]


def module_names(path: str, package_dirs: Mapping[str, str] | None = None) -> list[str]:
    """Every dotted name a file may be imported as: each tail of its path, and package_dir aliases."""
    if not path.endswith(".py"):
        return []
    parts = path[:-3].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    names = [".".join(parts[start:]) for start in range(len(parts))]
    for name, folder in (package_dirs or {}).items():
        if path.startswith(folder + "/"):
            rest = path[len(folder) + 1 : -3].split("/")
            rest = rest[:-1] if rest[-1] == "__init__" else rest
            names.append(".".join([name, *rest] if name else rest).strip("."))
    return [n for n in dict.fromkeys(names) if n]


def owners_of(paths: Iterable[str], package_dirs: Mapping[str, str]) -> Owners:
    """dotted name -> the files it may mean."""
    owners: Owners = {}
    for path in paths:
        for name in module_names(path, package_dirs):
            owners.setdefault(name, set()).add(path)
    return owners


def _packages(owners: Owners) -> set[str]:
    return {p for paths in owners.values() for p in paths if p.endswith("__init__.py")}


def _edges(path: str, scanned: Scanned, owners: Owners, packages: set[str]) -> frozenset[str]:
    """The files ``path`` may import (by any name they could go by), itself left out."""
    targets = set()
    # pytest imports a test module inside a package by its dotted name: every __init__.py above it
    # runs first, whether the test imports its package or not.
    parts = path.split("/")[:-1]
    for depth in range(1, len(parts) + 1):
        init = "/".join([*parts[:depth], "__init__.py"])
        if init in packages:
            targets.add(init)
    for name in scanned.names:
        parts = name.split(".")
        # Importing a.b.c runs a/__init__.py and a/b/__init__.py too: every prefix counts.
        for depth in range(1, len(parts) + 1):
            targets.update(owners.get(".".join(parts[:depth]), ()))
    targets.discard(path)
    return frozenset(targets)


def importers_of(scans: Mapping[str, Scanned], owners: Owners) -> Importers:
    """path -> the files that may import it; built whole (what ``kept`` must always equal)."""
    packages = _packages(owners)
    importers: Importers = {}
    for path, scanned in scans.items():
        for target in _edges(path, scanned, owners, packages):
            importers.setdefault(target, set()).add(path)
    return importers


def kept(
    scans: Mapping[str, Scanned],
    blobs: Mapping[str, str],
    gone: Iterable[str],
    package_dirs: Mapping[str, str],
    store: Path,
    scanner: int,
) -> tuple[Owners, Importers]:
    """``owners_of`` the tree's and ``gone``'s Python files, and ``importers_of`` ``scans``.

    ``blobs``: each scanned file's blob (what its scan was read from); ``scanner``: the version of
    the scan, part of what an edge was built from. Read from ``store`` and brought up to date.
    """
    gone = sorted(set(gone) - scans.keys())
    shape = digest(_VERSION, scanner, sorted(scans), gone, sorted(package_dirs.items()))
    known = read_snapshot(store)
    try:
        return _brought_up_to_date(known, shape, scans, blobs, gone, package_dirs, store)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # a damaged store: built anew
        return _brought_up_to_date(None, shape, scans, blobs, gone, package_dirs, store)


def _brought_up_to_date(
    known: object,
    shape: str,
    scans: Mapping[str, Scanned],
    blobs: Mapping[str, str],
    gone: list[str],
    package_dirs: Mapping[str, str],
    store: Path,
) -> tuple[Owners, Importers]:
    if isinstance(known, dict) and known.get("shape") == shape:
        owners: Owners = known["owners"]
        importers: Importers = known["importers"]
        built: dict[str, tuple[str, frozenset[str]]] = known["built"]
    else:
        owners, importers, built = owners_of([*scans, *gone], package_dirs), {}, {}
    packages: set[str] | None = None
    stale = [p for p in scans if built.get(p, ("",))[0] != blobs[p]]
    for path in stale:
        packages = _packages(owners) if packages is None else packages
        for target in built.get(path, ("", frozenset[str]()))[1]:
            importers[target].discard(path)
            if not importers[target]:
                del importers[target]  # "nothing imports it" is read from a missing entry
        edges = _edges(path, scans[path], owners, packages)
        for target in edges:
            importers.setdefault(target, set()).add(path)
        built[path] = (blobs[path], edges)
    if stale:
        write_snapshot(store, {"shape": shape, "owners": owners, "importers": importers, "built": built})
    return owners, importers
