"""The operations that change worktrees: create (validated first, rolled back on failure), remove, and
temporary verification worktrees with a teardown that survives failure, timeout and signals.

A verification worktree is locked with a reason naming its process, so a concurrent `git worktree prune`
leaves it alone while it runs and the next run can tell one whose process died from one in use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from hookwright import interrupts, parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.worktrees.model import LOCK_PREFIX, Worktree, list_worktrees, open_worktree, plain, same_path

TEMP_PREFIX = "hookwright-verify-"


class Timeout(Exception):
    """The whole verification ran past its deadline."""


# -- create -------------------------------------------------------------------------------------------


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


# -- remove, prune and the branch after ---------------------------------------------------------------


def remove(repo: Repo, worktree: Worktree, *, force: bool) -> None:
    # git re-checks cleanliness itself without --force: a second guard against a race with our check.
    plain(repo).check("worktree", "remove", *(["--force"] if force else []), str(worktree.path))


def delete_merged_branch(repo: Repo, branch: str, sha: str) -> bool:
    """Delete ``branch`` only if it still points at ``sha`` (checked merged by the caller)."""
    return plain(repo).run("update-ref", "-d", f"refs/heads/{branch}", sha).ok


def rollback_create(repo: Repo, plan: CreatePlan, created_top: Path) -> list[str]:
    """Undo a half-made ``create``; returns what could not be undone (empty when all went)."""
    repo = plain(repo)
    left: list[str] = []
    with deferred_signals():
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


def _lock_reason() -> str:
    return f"{LOCK_PREFIX} pid={os.getpid()} host={socket.gethostname()}"


def _owner_gone(reason: str) -> bool:
    fields = dict(part.partition("=")[::2] for part in reason.split() if "=" in part)
    if fields.get("host") != socket.gethostname() or not fields.get("pid", "").isdigit():
        return False
    return not parallel.process_alive(int(fields["pid"]))


def sweep_abandoned(repo: Repo) -> list[Path]:
    """Tear down verification worktrees whose process died (SIGKILL, power loss) before teardown."""
    swept = []
    for worktree in list_worktrees(repo):
        ours = worktree.path.name.startswith(TEMP_PREFIX) and worktree.lock_reason.startswith(LOCK_PREFIX)
        if ours and _owner_gone(worktree.lock_reason):
            discard_worktree(repo, worktree.path, remove_tree=worktree.path)
            swept.append(worktree.path)
    return swept


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


# SIGTERM and SIGHUP raise like SIGINT, so every ``finally`` runs; a cleanup holds signals until done.
interruptible = interrupts.armed
deferred_signals = interrupts.deferred


@contextlib.contextmanager
def isolated(repo: Repo, *, ref: str | None = None, staged_from: Repo | None = None) -> Iterator[Repo]:
    """A temporary detached worktree of ``ref``, or of ``staged_from``'s staged index; always removed.

    For the index: the worktree starts at HEAD without a checkout, ``read-tree`` loads the index's tree
    (computed on a private copy of the index) and ``checkout-index`` writes exactly those blobs. Unlike
    applying ``git diff --cached --binary`` this cannot fail on binary, mode-only or submodule changes,
    and unstaged edits cannot leak in: the user's work tree is never read. Inside, HEAD..index is exactly
    the commit being made, so ``target.staged`` there sees the same changes as in the user's worktree.
    """
    repo = plain(repo)
    sweep_abandoned(repo)
    if staged_from is not None:
        commit = staged_from.head
        if commit is None:
            raise BadInput("the repository has no commit yet; commit once before verifying the index")
        tree = staged_from.write_tree()
    else:
        commit = repo.resolve(ref or "HEAD")
    path: Path | None = None
    with interruptible():
        try:
            path = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
            # No hooks: a user's post-checkout hook has no business in a throwaway verification tree.
            # checkout.workers=0: parallel checkout on every core; the checkout is what isolation costs.
            quick = ("-c", "core.hooksPath=/dev/null", "-c", "checkout.workers=0")
            add = [*quick, "worktree", "add", "--detach", "--lock"]
            add += ["--reason", _lock_reason()]
            repo.check(*add, *(["--no-checkout"] if staged_from else []), str(path), commit)
            worktree = open_worktree(path)
            if staged_from is not None:
                worktree.check("read-tree", tree)
                worktree.check(*quick[2:], "checkout-index", "--all", "--force", "--index", "--quiet")
            yield worktree
        finally:
            with deferred_signals():
                parallel.reset()  # after Ctrl-C the runner refuses new processes; teardown needs git
                if path is not None:
                    discard_worktree(repo, path, remove_tree=path)


@contextlib.contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ``Timeout`` in the main thread after ``seconds``; the caller's ``finally`` tears down."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: FrameType | None) -> None:
        raise Timeout(f"timed out after {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
