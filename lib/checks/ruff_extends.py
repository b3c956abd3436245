"""The files a tree's ruff configurations pull in with ``extend``: they decide findings as much as the
configurations themselves.

One in the tree (``extend = "lint/base.toml"``) must be in the private copy and its blob in the lint
key: otherwise ruff found no such file, or an edit to it alone replayed the old findings. One outside
the tree (an absolute path, ``~``, or ``../`` out of it) is read where ruff will read it, from the
private copy, and its bytes join the key: a pass made under its old bytes was replayed.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.frozen import dataclass, field

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.git.repo import IndexEntry, Repo

_MAX_HOPS = 16  # a chain of extends longer than this is a loop; ruff refuses it too


@dataclass(frozen=True)
class Extended:
    inside: list[str] = field(default_factory=list)  # tree paths
    outside: list[tuple[str, bytes]] = field(default_factory=list)  # (absolute path, bytes or b"")


def _settings_of(name: str, data: bytes | None) -> tuple[str, list[str], list[str]]:
    """``extend`` ("" when unset), ``src``, and ``include`` with ``extend-include`` of one
    configuration (``tool.ruff`` in a pyproject.toml)."""
    if not data or (b"extend" not in data and b"src" not in data and b"include" not in data):
        return "", [], []
    from hookwright.toml_memory import document as parsed

    document = parsed(data.decode("utf-8", "replace"))
    if document is None:
        return "", [], []  # ruff reports the broken file itself
    table: object = document
    if name == "pyproject.toml":
        tool = document.get("tool")
        table = tool.get("ruff") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return "", [], []
    extend = table.get("extend")
    return (
        (extend if isinstance(extend, str) else ""),
        _strings(table.get("src")),
        [
            *_strings(table.get("include")),
            *_strings(table.get("extend-include")),
        ],
    )


def _strings(value: object) -> list[str]:
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def tree_settings(
    repo: Repo, blobs: Mapping[str, str], table: Path
) -> dict[str, tuple[str, list[str], list[str]]]:
    """path -> (``extend``, ``src``, includes) of each tree configuration, remembered by blob (read
    every lint run)."""
    known = read_snapshot(table)
    known = known if isinstance(known, dict) else {}
    # Keyed by how the file is read, too: the same bytes are `extend` in a ruff.toml and nothing
    # in a pyproject.toml without [tool.ruff] (one blob for both kept the extended file out of the key).
    keys = {p: f"{_kind(p)}:{b}" for p, b in blobs.items()}
    # (A row of an older hookwright has no includes: read again.)
    missing = {p: k for p, k in keys.items() if len(known.get(k, ())) != 3}
    if missing:
        contents = repo.read_blobs({blobs[p] for p in missing})
        for path, key in missing.items():
            known[key] = _settings_of(path.rpartition("/")[2], contents.get(blobs[path]))
        write_snapshot(table, known)
    return {p: tuple(known[k]) for p, k in keys.items()}  # type: ignore[misc]


def _kind(path: str) -> str:
    return "pyproject" if path.rpartition("/")[2] == "pyproject.toml" else "ruff"


def extended(
    entries: Mapping[str, IndexEntry], configs: Sequence[str], root: Path, table: Path, repo: Repo
) -> Extended:
    """What ``configs`` (tree paths) extend, followed from file to file; ``root``: the private copy."""
    found = Extended()
    settings = tree_settings(repo, {p: entries[p].blob for p in configs}, table)
    pending: list[tuple[str, bool, str]] = [(p, True, settings[p][0]) for p in configs]
    hops = 0
    while pending and hops < _MAX_HOPS:
        path, in_tree, value = pending.pop()
        if not value:
            continue
        hops += 1
        value = os.path.expandvars(os.path.expanduser(value))  # as ruff expands it
        if in_tree and not os.path.isabs(value):
            candidate = posixpath.normpath(posixpath.join(posixpath.dirname(path), value))
            if candidate in entries and candidate not in found.inside:
                found.inside.append(candidate)
                inner = tree_settings(repo, {candidate: entries[candidate].blob}, table)[candidate]
                pending.append((candidate, True, inner[0]))
                continue
        base = str(root / posixpath.dirname(path)) if in_tree else os.path.dirname(path)
        place = os.path.normpath(os.path.join(base, value))
        if in_tree and place.startswith(str(root) + os.sep):
            continue  # inside the copy but no file of the tree: ruff says so, from the same bytes
        data = _read(place)
        found.outside.append((place, data))
        pending.append((place, False, _settings_of(posixpath.basename(place), data)[0]))
    return found
