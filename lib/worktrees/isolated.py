"""Temporary verification worktrees, with a teardown that survives failure, timeout and signals.

A verification worktree is locked with a reason naming its process, so a concurrent `git worktree prune`
leaves it alone while it runs and the next run can tell one whose process died from one in use.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from hookwright import interrupts, parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.worktrees.model import LOCK_PREFIX, list_worktrees, open_worktree, plain
from hookwright.worktrees.remove import discard_worktree

TEMP_PREFIX = "hookwright-verify-"


class Timeout(Exception):
    """The whole verification ran past its deadline."""


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
    # SIGTERM and SIGHUP raise like SIGINT, so every ``finally`` runs; the teardown holds signals.
    with interrupts.armed():
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
            with interrupts.deferred():
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
