"""Which of the files the tests check leaves out by default (documentation) the tree's code may read.

The default inputs leave out ``*.md``, ``docs/``, ``LICENSE`` and the like, so a README edit costs a
lookup, not a suite. A test that reads README.md (its examples, the version in CHANGELOG) depends on
it all the same: after an edit its old pass was replayed. Such a file is an input again as soon as
any Python file of the tree names it: its file name, its suffix (a ``*.md`` glob) or its folder
(``docs``). What each blob names is read once and kept in a table, as the import scan does.
The code is any the tests check runs: a jest test checking README's examples is JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.git.repo import Repo

_TABLE_VERSION = 1
_TOOL_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py"})
# Code of every framework the tests check runs (pytest, jest, go).
_CODE = (".py", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".go")
# Words by which code may reach a documentation file: file names, suffixes, folders.
_NAMES = re.compile(
    rb"[\w.-]*(?:README|LICEN[CS]E|CHANGELOG|CHANGES|HISTORY|AUTHORS|NOTICE|CONTRIBUTING)[\w.-]*"
    rb"|[\w-]*\.(?:md|rst|adoc|txt)\b|\bdocs?\b|\.github\b|\.pre-commit-config[\w.]*|\.gitignore"
    rb"|\.hookwright[\w.]*",
    re.IGNORECASE,
)


def _mentions(repo: Repo, code: Mapping[str, str], table: Path) -> set[str]:
    """Every word of ``_NAMES`` some file of ``code`` (path -> blob) holds, lower-cased."""
    known = read_snapshot(table)
    if not isinstance(known, dict) or known.get("version") != _TABLE_VERSION:
        known = {"version": _TABLE_VERSION, "blobs": {}}
    blobs: dict[str, list[str]] = known["blobs"]
    stale = {b for b in code.values() if b not in blobs}
    if stale:
        for blob, data in repo.read_blobs(stale).items():
            blobs[blob] = sorted({m.decode("utf-8", "replace").lower() for m in _NAMES.findall(data)})
        kept = {b: blobs[b] for b in set(code.values()) if b in blobs}  # blobs no longer here go
        write_snapshot(table, {"version": _TABLE_VERSION, "blobs": kept})
    return {word for blob in set(code.values()) for word in blobs.get(blob, ())}


def _named(path: str, words: set[str]) -> bool:
    lowered = path.lower()
    name = lowered.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    if name in words or (dot and f".{suffix}" in words) or (dot and stem in words):
        return True
    if any(word in name or (len(word) > 4 and name in word) for word in words):
        return True  # CHANGELOG in "CHANGELOG.md", "docs/README.md" naming README.md
    folders = lowered.split("/")[:-1]
    return any(folder in words for folder in folders)


def _tool(path: str) -> bool:
    """Code that tools run, not tests: setup.py reading README.md for PyPI, Sphinx's conf.py."""
    parts = path.split("/")
    return parts[-1] in _TOOL_FILES or parts[0] in ("doc", "docs")


def read_by_code(
    repo: Repo, entries: Mapping[str, str], left_out: Mapping[str, str], table: Path
) -> dict[str, str]:
    """Of ``left_out`` (path -> blob), the files some code file of ``entries`` names."""
    if not left_out:
        return {}
    code = {p: b for p, b in entries.items() if p.endswith(_CODE) and not _tool(p)}
    words = _mentions(repo, code, table)
    return {p: b for p, b in left_out.items() if _named(p, words)}
