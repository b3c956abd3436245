"""Which modules ruff's isort rules call first-party: ruff asks the file system, so they must be there.

ruff (``I001``) sorts an import into the first-party section when its top-level name is a folder, or a
``.py``/``.pyi`` file, in one of the ``src`` roots (``.`` and ``src`` by default, beside the
configuration). The private copy holds only the files a check asked for, so a package nothing staged
touched was missing there: ``import mylocal`` sorted as third-party passed, and plain ruff on a
checkout rejects it. So does a file's own package, found by the ``__init__.py`` files above it. One
file per such name, and every ``__init__.py``, is put in the copy, and the names are in the lint key
(a package added to the tree changes the sections of files that did not change).
"""

from __future__ import annotations

import fnmatch
import functools
import posixpath
import re
from collections.abc import Iterable, Mapping

_MODULE_SUFFIXES = (".py", ".pyi")
_PACKAGE_MARKERS = ("__init__.py", "__init__.pyi")
_GLOB = re.compile(r"[*?\[]")


def roots(config_sources: Mapping[str, list[str]]) -> list[str]:
    """Tree folders ("" for the top) that ruff searches: each configuration's ``src``, or its default."""
    found = {"", "src"}
    for config, sources in config_sources.items():
        folder = posixpath.dirname(config)
        for source in sources or [".", "src"]:
            found.add(posixpath.normpath(posixpath.join(folder, source)).removeprefix("."))
    return sorted(f for f in found if not f.startswith(".."))


def markers(paths: Iterable[str], folders: list[str]) -> dict[str, str]:
    """``root:name`` -> one tree path that makes ``name`` exist under that root in the copy."""
    prefixes = [(f, f"{f}/" if f else "") for f in folders if not _GLOB.search(f)]
    # ruff expands a glob in `src` (`packages/*/src`): each folder it matches is a root. fnmatch's
    # `*` also crosses `/`: more roots than ruff's, which only puts more of the tree in the copy.
    patterns = [f for f in folders if _GLOB.search(f)]
    found: dict[str, str] = {}
    for path in paths:
        if path.rpartition("/")[2] in _PACKAGE_MARKERS:
            # ruff finds a file's package by the __init__.py files above it (its own package's
            # imports are first-party): every one must be in the copy.
            found[f"package:{path}"] = path
        for folder, prefix in [*prefixes, *_matched(path, patterns)]:
            if not path.startswith(prefix):
                continue
            name, slash, _ = path[len(prefix) :].partition("/")
            if slash or name.endswith(_MODULE_SUFFIXES):
                found.setdefault(f"{folder}:{name}{slash}", path)
    return found


def _matched(path: str, patterns: list[str]) -> list[tuple[str, str]]:
    """(folder, prefix) for each folder above ``path`` that one of the glob ``patterns`` names."""
    if not patterns:
        return []
    parts = path.split("/")[:-1]
    folders = ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]
    return [(f, f"{f}/") for f in folders if any(fnmatch.fnmatchcase(f, p) for p in patterns)]


def included(path: str, patterns: list[tuple[str, str]]) -> bool:
    """A configuration's ``include``/``extend-include`` glob, relative to its folder, names ``path``
    (a pattern with no slash, ``*.pyw``, names files at any depth), as ruff's globs (globset) match."""
    name = path.rpartition("/")[2]
    for folder, written in patterns:
        prefix = f"{folder}/" if folder else ""
        pattern = written.removeprefix("./")
        if not path.startswith(prefix):
            continue
        if ruff_glob(pattern).fullmatch(path[len(prefix) :]):
            return True
        if "/" not in pattern and ruff_glob(pattern).fullmatch(name):
            return True
    return False


@functools.lru_cache(maxsize=256)
def ruff_glob(pattern: str) -> re.Pattern[str]:
    """ruff's reading of a glob: globset's, separators not literal. ``*`` and ``?`` cross ``/``, a
    whole ``**`` component also matches no folder (``a/**/b`` names ``a/b``), ``{x,y}`` is either,
    ``[!x]`` and ``[^x]`` are negated classes and ``\\`` escapes. fnmatch knew only the first: files
    ruff lints through the others were left out and passed unlinted."""
    out: list[str] = []
    i, in_braces = 0, False
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i) and (i == 0 or pattern[i - 1] == "/"):
            end = i + 2
            if end == len(pattern):  # `a/**`: everything below (also what `*` would take)
                out.append(".*")
                i = end
                continue
            if pattern[end] == "/":  # `**/` at the start or `/**/` inside: any folders, or none
                out.append("(?:.*/)?")
                i = end + 1
                continue
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif char == "[" and (close := _class_end(pattern, i)) > 0:
            body = pattern[i + 1 : close]
            negated = body[:1] in ("!", "^")
            body = body[1:] if negated else body
            out.append("[" + ("^" if negated else "") + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
            i = close
        elif char == "{" and not in_braces:
            out.append("(?:")
            in_braces = True
        elif char == "}" and in_braces:
            out.append(")")
            in_braces = False
        elif char == "," and in_braces:
            out.append("|")
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` closing the class opened at ``start`` (a ``]`` first is literal); -1."""
    i = start + 1
    if i < len(pattern) and pattern[i] in "!^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    close = pattern.find("]", i)
    return close
