"""The import graph kept by blobs answers as one built whole, commit after commit."""

from __future__ import annotations

import marshal
from hashlib import sha1
from pathlib import Path

from hookwright.testing import import_graph
from hookwright.testing.import_scan import Scanned, scan

_SCANNER = 1


def _kept(
    tree: dict[str, bytes], store: Path, gone: tuple[str, ...] = (), dirs: dict[str, str] | None = None
):
    scans: dict[str, Scanned] = {p: scan(p, data) for p, data in tree.items()}
    blobs = {p: sha1(data).hexdigest() for p, data in tree.items()}
    owners, importers = import_graph.kept(scans, blobs, gone, dirs or {}, store, _SCANNER)
    whole_owners = import_graph.owners_of([*scans, *gone], dirs or {})
    assert owners == whole_owners
    assert importers == import_graph.importers_of(scans, whole_owners)
    return importers


def test_a_kept_graph_equals_a_whole_build_through_edits_renames_and_damage(tmp_path: Path) -> None:
    store = tmp_path / "graph.marshal"
    tree = {
        "pkg/__init__.py": b"from .a import run\n",
        "pkg/a.py": b"import pkg.b\n",
        "pkg/b.py": b"",
        "lib/c.py": b"",
        "tests/test_a.py": b"from pkg import a\nimport c\n",
    }
    assert _kept(tree, store)["pkg/b.py"] == {"pkg/a.py"}
    assert store.exists()
    # A body edit: the same edges; the store is read, the edited file looked at again.
    tree["pkg/a.py"] = b"import pkg.b\nx = 1\n"
    _kept(tree, store)
    # The last import of a file removed: it must read as imported by nothing (no empty entry),
    # which is what sends a file nothing imports to `unstarted`.
    tree["pkg/a.py"] = b"x = 2\n"
    assert "pkg/b.py" not in _kept(tree, store)
    # A new import, then one by a package_dir alias (another shape: built anew).
    tree["lib/c.py"] = b"import pkg.b\n"
    assert _kept(tree, store)["pkg/b.py"] == {"lib/c.py"}
    assert _kept(tree, store, dirs={"tools": "lib"})["lib/c.py"] == {"tests/test_a.py"}
    # A file added and one gone (still owning its names): other shapes.
    tree["pkg/d.py"] = b"from tools import c\n"
    _kept(tree, store, gone=("pkg/old.py",), dirs={"tools": "lib"})
    del tree["pkg/b.py"]
    _kept(tree, store, gone=("pkg/b.py",), dirs={"tools": "lib"})
    # A package appears under files already there, a file they import appears, then both go.
    tree["pkg/sub/e.py"] = b"import pkg.sub.f\n"
    _kept(tree, store, dirs={"tools": "lib"})
    tree["pkg/sub/__init__.py"] = b""
    tree["pkg/sub/f.py"] = b""
    assert _kept(tree, store, dirs={"tools": "lib"})["pkg/sub/f.py"] == {"pkg/sub/e.py"}
    del tree["pkg/sub/__init__.py"], tree["lib/c.py"]
    _kept(tree, store, dirs={"tools": "lib"})
    # A damaged store is built anew, never trusted.
    store.write_bytes(b"\x00not marshal")
    _kept(tree, store, dirs={"tools": "lib"})
    kept = marshal.loads(store.read_bytes())
    store.write_bytes(marshal.dumps({**kept, "built": dict.fromkeys(kept["built"], 5)}))
    _kept(tree, store, dirs={"tools": "lib"})
