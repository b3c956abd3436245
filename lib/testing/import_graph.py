"""Who may import whom, kept by the blobs it was built from: a commit redoes only the files it changed.

A file's edges (the files it may import) follow from its path, its scan (its blob) and which files
every dotted name may mean (``owners``: the tree's Python paths and ``package_dir`` aliases). So a
file keeps its edges while its blob is the one they were drawn from and no file was added or removed
under a name it spells (or as a package ``__init__.py`` above it); only such files are redrawn.
Another ``package_dir``, scanner or graph version builds everything anew. The answer is always the one
a whole build gives (``tests/test_import_graph.py`` compares them step by step).
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
    named = {*scans, *gone}  # the files names may mean
    basis = digest(_VERSION, scanner, sorted(package_dirs.items()))
    known = read_snapshot(store)
    try:
        graph = _Graph(known, basis, named, package_dirs)
        redrawn = graph.redraw(scans, blobs)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # a damaged store: built anew
        graph = _Graph(None, basis, named, package_dirs)
        redrawn = graph.redraw(scans, blobs)
    # A few files redrawn are cheaper to redraw again next time than a store (~1 MB for 5,000
    # files) is to write: the store is kept by blob, so an older one is only a longer way round.
    if graph.renamed or redrawn > _REDRAWN_BEFORE_WRITE:
        write_snapshot(store, graph.state())
    return graph.owners, graph.importers


_REDRAWN_BEFORE_WRITE = 64


class _Graph:
    def __init__(self, known: object, basis: str, named: set[str], package_dirs: Mapping[str, str]) -> None:
        self.basis = basis
        if isinstance(known, dict) and known.get("basis") == basis:
            self.owners: Owners = known["owners"]
            self.importers: Importers = known["importers"]
            self.built: dict[str, tuple[str, frozenset[str]]] = known["built"]
            self.named: set[str] = known["named"]
        else:
            self.owners, self.importers, self.built, self.named = {}, {}, {}, set()
        # Names whose files changed (a file added, removed): every file spelling one is redrawn.
        renamed = self.named ^ named
        self.renamed_names: set[str] = set()
        for path in renamed:
            for name in module_names(path, package_dirs):
                self.renamed_names.add(name)
                files = self.owners.setdefault(name, set())
                (files.add if path in named else files.discard)(path)
                if not files:
                    del self.owners[name]
        self.renamed_packages = {p for p in renamed if p.endswith("__init__.py")}
        self.renamed = bool(renamed)
        self.named = named

    def _spells_renamed(self, path: str, scanned: Scanned) -> bool:
        if self.renamed_packages:
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                if "/".join([*parts[:depth], "__init__.py"]) in self.renamed_packages:
                    return True
        for name in scanned.names:
            parts = name.split(".")
            for depth in range(1, len(parts) + 1):
                if ".".join(parts[:depth]) in self.renamed_names:
                    return True
        return False

    def _drop(self, path: str) -> None:
        for target in self.built.pop(path, ("", frozenset[str]()))[1]:
            self.importers[target].discard(path)
            if not self.importers[target]:
                del self.importers[target]  # "nothing imports it" is read from a missing entry

    def redraw(self, scans: Mapping[str, Scanned], blobs: Mapping[str, str]) -> int:
        """Redraw the edges of every file whose blob or whose names' owners changed; how many."""
        for path in [p for p in self.built if p not in scans]:
            self._drop(path)
        packages: set[str] | None = None
        redrawn = 0
        for path, scanned in scans.items():
            if self.built.get(path, ("",))[0] == blobs[path] and not (
                self.renamed and self._spells_renamed(path, scanned)
            ):
                continue
            packages = _packages(self.owners) if packages is None else packages
            self._drop(path)
            edges = _edges(path, scanned, self.owners, packages)
            for target in edges:
                self.importers.setdefault(target, set()).add(path)
            self.built[path] = (blobs[path], edges)
            redrawn += 1
        return redrawn

    def state(self) -> dict[str, object]:
        return {
            "basis": self.basis,
            "owners": self.owners,
            "importers": self.importers,
            "built": self.built,
            "named": self.named,
        }
