"""Removing worktrees: ``git worktree remove``, a merged branch after it, and a forced discard that
leaves no admin entry behind and no other missing worktree pruned."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hookwright.git.repo import Repo
from hookwright.worktrees.model import Worktree, list_worktrees, plain, same_path


def remove(repo: Repo, worktree: Worktree, *, force: bool) -> None:
    # git re-checks cleanliness itself without --force: a second guard against a race with our check.
    plain(repo).check("worktree", "remove", *(["--force"] if force else []), str(worktree.path))


def delete_merged_branch(repo: Repo, branch: str, sha: str) -> bool:
    """Delete ``branch`` only if it still points at ``sha`` (checked merged by the caller)."""
    return plain(repo).run("update-ref", "-d", f"refs/heads/{branch}", sha).ok


def discard_worktree(repo: Repo, path: Path, *, remove_tree: Path) -> None:
    """Remove a worktree this module made, whatever state it was left in, and its admin entry."""
    repo = plain(repo)
    repo.run("worktree", "remove", "--force", "--force", str(path))
    if os.path.lexists(remove_tree):
        shutil.rmtree(remove_tree, ignore_errors=True)
    registered = [w for w in list_worktrees(repo) if same_path(w.path, path)]
    if not registered:
        return
    others = [w for w in list_worktrees(repo) if w.prunable and not same_path(w.path, path)]
    if not others:
        repo.run("worktree", "prune")
        return
    # `git worktree prune` would also drop other missing worktrees, whose detached HEAD may be the
    # only reference to someone's commits: remove exactly our entry instead.
    admin = repo.common_dir / "worktrees"
    for entry in admin.iterdir() if admin.is_dir() else ():
        gitdir = entry / "gitdir"
        if gitdir.is_file() and same_path(Path(gitdir.read_text().strip()).parent, path):
            shutil.rmtree(entry, ignore_errors=True)
