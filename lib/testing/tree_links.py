"""What a test run reads that the blob ids of its inputs do not say: modes, and where symlinks lead.

A symlink and a file holding the link's text have the same blob; so do a script with and without its
executable bit. A link that leads out of the tree reads whatever the machine has there now. And a
link to a folder or to a module shows pytest and Python files by paths the index does not list, so
an import graph read from the index cannot see who reads them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from hookwright.filetypes import SYMLINK_MODE
from hookwright.git import symlinks
from hookwright.git.repo import IndexEntry, Repo
from hookwright.hashing import sha256

_PLAIN_MODE = "100644"
_REGULAR = ("100644", "100755")
_MAX_LISTED = 20_000  # files of a linked outside folder stamped; beyond, the run is never replayed


def special_modes(entries: Mapping[str, IndexEntry], paths: Mapping[str, str]) -> list[str]:
    """``path mode`` of each of ``paths`` that is not a plain file: part of what the tests read."""
    return [
        f"{path} {entry.mode}"
        for path in sorted(paths)
        if (entry := entries.get(path)) is not None and entry.mode != _PLAIN_MODE
    ]


def link_texts(repo: Repo, entries: Mapping[str, IndexEntry], paths: Mapping[str, str]) -> dict[str, str]:
    """link path -> its target text, for every symlink among ``paths``."""
    links = {p: e.blob for p in paths if (e := entries.get(p)) is not None and e.mode == SYMLINK_MODE}
    if not links:
        return {}
    contents = repo.read_blobs(set(links.values()))
    return {p: contents.get(b, b"").decode("utf-8", "surrogateescape") for p, b in links.items()}


def _stamp(place: str) -> str:
    """What is at ``place`` now: a file's bytes, a folder's listing with sizes and change times."""
    try:
        if os.path.isfile(place):
            with open(place, "rb") as handle:
                return "file " + sha256(handle.read()).hexdigest()
        if not os.path.isdir(place):
            return "missing"
        listed = []
        for folder, _, names in os.walk(place):
            for name in names:
                st = os.stat(os.path.join(folder, name))
                listed.append(f"{os.path.join(folder, name)} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
                if len(listed) > _MAX_LISTED:
                    # Too big to stamp on every run: a stamp that never repeats, so no pass is replayed.
                    return "unstamped " + os.urandom(16).hex()
        return "folder " + sha256("\n".join(sorted(listed)).encode("utf-8", "surrogateescape")).hexdigest()
    except OSError as error:
        return f"unreadable {error.errno}"


def outside_stamps(work_tree: Path, entries: Mapping[str, IndexEntry], texts: Mapping[str, str]) -> list[str]:
    """For each link that leads out of the tree: what the tests will find there.

    A relative one leads where it does from the user's work tree (the private copy links it there).
    """
    stamps: list[str] = []
    if not texts:
        return stamps
    folders = symlinks.directories(entries)
    for link in sorted(texts):
        outside = symlinks.leaves_to(link, entries, folders, texts)
        if outside is not None:
            place = os.path.realpath(os.path.join(work_tree, outside))
            stamps.append(f"{link} -> {place}: {_stamp(place)}")
    return stamps


def hides_files(entries: Mapping[str, IndexEntry], texts: Mapping[str, str]) -> str | None:
    """Why some link shows the tests files the index does not list; None when every one is plain data.

    A link to a folder (a linked ``tests/``), to a Python file (a module under a second name), or out
    of the tree: pytest collects, and Python imports, through it.
    """
    for link in sorted(texts):
        text = texts[link]
        lexical = os.path.normpath(os.path.join(os.path.dirname(link), text))
        entry = entries.get(lexical)
        if text.startswith("/") or lexical.startswith("..") or entry is None or entry.mode not in _REGULAR:
            return f"{link} is a symlink to {text}: the tests may find files through it"
        if link.endswith(".py") or lexical.endswith(".py"):
            return f"{link} is a symlink to a Python file: it is a module under two names"
    return None
