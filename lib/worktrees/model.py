"""Git worktrees as git lists them: the Worktree record, the porcelain parser, finding one by path.

Everything goes through ``hookwright.git.repo.Repo``: ``git worktree list --porcelain -z`` is git's stable
interface for this, and GitPython's object model has no worktree support that would earn its import.
The rule every operation keeps: no worktree holding uncommitted changes, untracked files or commits
reachable from no other branch, remote or tag is removed unless the caller passes ``force``.
Their state is in ``state`` and ``health``; the operations that change them are in ``create``,
``remove`` and ``isolated``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hookwright.errors import BadInput
from hookwright.git.repo import Repo

LOCK_PREFIX = "hookwright verify"  # the lock reason of a verification worktree (worktree_ops)


@dataclass(frozen=True)
class Worktree:
    path: Path
    head: str | None
    branch: str | None  # short name ("feature/x"); None when detached or bare
    bare: bool = False
    detached: bool = False
    locked: bool = False
    lock_reason: str = ""
    prunable: bool = False
    prunable_reason: str = ""
    main: bool = False


def parse_porcelain(data: bytes) -> list[Worktree]:
    """Parse ``git worktree list --porcelain -z``: attribute records, a blank record between worktrees."""
    worktrees: list[Worktree] = []
    fields: dict[str, str] = {}
    for raw in [*data.split(b"\0"), b""]:
        record = raw.decode("utf-8", "surrogateescape")
        if record:
            key, _, value = record.partition(" ")
            fields[key] = value
            continue
        if "worktree" in fields:
            branch = fields.get("branch")
            worktrees.append(
                Worktree(
                    path=Path(fields["worktree"]),
                    # an unborn branch (no commit yet) is listed with HEAD 000...0, no object at all
                    head=fields["HEAD"] if fields.get("HEAD", "").strip("0") else None,
                    branch=branch.removeprefix("refs/heads/") if branch else None,
                    bare="bare" in fields,
                    detached="detached" in fields,
                    locked="locked" in fields,
                    lock_reason=fields.get("locked", ""),
                    prunable="prunable" in fields,
                    prunable_reason=fields.get("prunable", ""),
                    main=not worktrees,  # git always lists the main worktree first
                )
            )
        fields = {}
    return worktrees


def plain(repo: Repo) -> Repo:
    # Inside `git commit` GIT_INDEX_FILE names the main worktree's index: never let it reach a command
    # that runs in (or creates) another worktree.
    return Repo(repo.root, repo.git_dir, repo.common_dir, None) if repo.index_file else repo


def open_worktree(path: Path) -> Repo:
    return plain(Repo.discover(path))


def list_worktrees(repo: Repo) -> list[Worktree]:
    return parse_porcelain(plain(repo).check("worktree", "list", "--porcelain", "-z"))


def same_path(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def find(worktrees: Sequence[Worktree], path: Path) -> Worktree:
    for worktree in worktrees:
        if same_path(worktree.path, path):
            return worktree
    raise BadInput(f"{path} is not a worktree of this repository (see `hookwright worktree list`)")
