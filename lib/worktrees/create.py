"""Creating a worktree: every check before anything changes, then ``git worktree add``, or its undoing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hookwright import interrupts, parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.worktrees.model import list_worktrees, plain, same_path
from hookwright.worktrees.remove import discard_worktree


@dataclass(frozen=True)
class CreatePlan:
    branch: str
    path: Path
    base: str | None  # as given; None: the existing branch, or HEAD
    base_sha: str
    new_branch: bool


def check_branch_name(repo: Repo, branch: str) -> None:
    result = repo.run("check-ref-format", "--branch", branch) if not branch.startswith("-") else None
    if result is None or not result.ok or result.out.strip() != branch:
        raise BadInput(f"invalid branch name {branch!r}: `git check-ref-format --branch` refuses it")


def plan_create(repo: Repo, branch: str, path: Path, base: str | None = None) -> CreatePlan:
    """Validate everything before anything changes: name, path, base, branch not checked out."""
    repo = plain(repo)
    check_branch_name(repo, branch)
    path = Path(os.path.abspath(path))
    if any(ord(c) < 32 or ord(c) == 127 for c in str(path)):
        # git takes it, but every line-based listing of worktrees (ours, `git worktree list`) then
        # shows one worktree as two lines, and a shell script reading them acts on the wrong path.
        raise BadInput(f"{str(path)!r}: a worktree path cannot hold control characters (newline, tab)")
    if os.path.lexists(path):
        raise BadInput(f"{path} already exists; choose a new path or remove it first")
    if path.resolve().is_relative_to(repo.common_dir.resolve()):
        raise BadInput(f"{path} is inside the git directory; choose a path outside {repo.common_dir}")
    worktrees = list_worktrees(repo)
    for worktree in worktrees:
        if same_path(worktree.path, path):
            raise BadInput(f"{path} is a registered (missing) worktree; run `hookwright worktree prune`")
    existing = repo.rev_parse(f"refs/heads/{branch}")
    if existing is not None:
        if base is not None:
            raise BadInput(f"branch {branch!r} already exists; drop --base or choose a new branch name")
        for worktree in worktrees:
            if worktree.branch == branch:
                raise BadInput(f"branch {branch!r} is already checked out at {worktree.path}")
        return CreatePlan(branch, path, None, existing, new_branch=False)
    if base is not None and base.startswith("-"):
        raise BadInput(f"invalid base {base!r}: a revision cannot start with '-'")
    base_sha = repo.rev_parse(base or "HEAD")
    if base_sha is None:
        what = f"base {base!r} does not exist" if base else "HEAD has no commit yet"
        raise BadInput(f"{what}; give an existing branch, tag or commit with --base")
    return CreatePlan(branch, path, base, base_sha, new_branch=True)


def add_worktree(repo: Repo, plan: CreatePlan) -> None:
    argv: tuple[str, ...]
    if plan.new_branch:
        argv = ("worktree", "add", "-b", plan.branch, str(plan.path), plan.base or plan.base_sha)
    else:
        argv = ("worktree", "add", str(plan.path), plan.branch)
    plain(repo).check(*argv)


def first_missing_ancestor(path: Path) -> Path:
    """The outermost directory ``git worktree add`` will create (what a rollback must remove)."""
    top = path
    while not os.path.lexists(top.parent) and top.parent != top:
        top = top.parent
    return top


def rollback_create(repo: Repo, plan: CreatePlan, created_top: Path) -> list[str]:
    """Undo a half-made ``create``; returns what could not be undone (empty when all went)."""
    repo = plain(repo)
    left: list[str] = []
    with interrupts.deferred():  # a cleanup holds signals until done
        parallel.reset()  # a Ctrl-C stopped new processes; the rollback needs them
        discard_worktree(repo, plan.path, remove_tree=created_top)
        if plan.new_branch and repo.rev_parse(f"refs/heads/{plan.branch}"):
            # Only while it is where we made it: commits a setup step made on it are kept.
            deleted = repo.run("update-ref", "-d", f"refs/heads/{plan.branch}", plan.base_sha)
            if not deleted.ok:
                left.append(f"branch {plan.branch} (it moved since it was created; kept)")
    if os.path.lexists(plan.path):
        left.append(str(plan.path))
    return left
