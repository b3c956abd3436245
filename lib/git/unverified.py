"""Commits that reached history without a passing verification (``git commit --no-verify``).

A commit counts as verified when a passing verify_commit record of its tree exists: in this
repository's records, or attached to the commit as a git note (``records.git_notes``), which is what
survives a push for CI to read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from hookwright import records
from hookwright.errors import HookwrightError
from hookwright.git.repo import Repo


def passing_trees(directory: Path) -> set[str]:
    trees = set()
    for path in records.iter_paths(directory):
        try:
            record = records.load(path)
        except HookwrightError:  # a damaged record proves nothing either way
            continue
        if record.get("pattern") == "verify_commit" and record.get("outcome") == "passed":
            trees.add(str(record.get("target", {}).get("tree")))
    return trees


def _noted(repo: Repo, commit: str, tree: str) -> bool:
    text = repo.show_note(commit)
    if not text:
        return False
    try:
        record = json.loads(text)
    except ValueError:
        return False
    return bool(record.get("outcome") == "passed" and record.get("target", {}).get("tree") == tree)


def find(repo: Repo, revisions: Iterable[str]) -> list[tuple[str, str]]:
    """(commit, subject) of every commit in ``revisions`` (``git log`` arguments) with no passing record."""
    log = repo.check("log", "-z", "--format=%H %T %s", *revisions, "--")
    known = passing_trees(records.records_dir(repo.state_dir))
    missing = []
    for entry in log.decode("utf-8", "replace").split("\0"):
        if not entry.strip():
            continue
        commit, tree, subject = [*entry.split(" ", 2), ""][:3]
        if tree not in known and not _noted(repo, commit, tree):
            missing.append((commit, subject))
    return missing
