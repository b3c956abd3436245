"""Every worktree's state gathered from git, one batched call per question where git allows it."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hookwright import parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.worktrees import ignored
from hookwright.worktrees.local_state import local_state
from hookwright.worktrees.model import Worktree, plain
from hookwright.worktrees.state import Health


def default_branch(repo: Repo, configured: str | None = None) -> str | None:
    """The branch work is merged into: configured, else origin/HEAD, init.defaultBranch, main, master."""
    if configured:
        if not _branch_refs(repo, configured):
            raise BadInput(f"worktree.default_branch: no branch {configured!r} here or on origin")
        return configured
    origin = repo.run("symbolic-ref", "-q", "refs/remotes/origin/HEAD")
    candidates = [origin.out.strip().removeprefix("refs/remotes/origin/")] if origin.ok else []
    candidates += [repo.config_get("init.defaultBranch") or "", "main", "master", "trunk"]
    return next((name for name in candidates if name and _branch_refs(repo, name)), None)


def _branch_refs(repo: Repo, name: str) -> list[str]:
    refs = (f"refs/heads/{name}", f"refs/remotes/origin/{name}")
    return [ref for ref in refs if repo.rev_parse(ref)]


def unique_commits(repo: Repo, head: str | None, branch: str | None) -> int:
    """Commits reachable from ``head`` that no other branch, remote-tracking branch or tag reaches."""
    if head is None:
        return 0
    # --exclude applies to the next --branches only: every branch but this one, every remote, every tag.
    exclude = [f"--exclude={branch}"] if branch else []
    out = repo.check("rev-list", "--count", head, "--not", *exclude, "--branches", "--remotes", "--tags")
    return int(out.decode().strip() or 0)


def health(
    repo: Repo,
    worktrees: Sequence[Worktree],
    default: str | None,
    *,
    jobs: int | None = None,
    disposable: Sequence[str] = ignored.DISPOSABLE,
) -> list[Health]:
    """Every worktree's state, with one batched git call per question where git allows it.

    ``disposable``: patterns of ignored files that removing a worktree may delete (``worktrees.ignored``).
    """
    repo = plain(repo)
    tracking: dict[str, tuple[str, str]] = {}
    fmt = "%(refname)%00%(upstream:short)%00%(upstream:track,nobracket)"
    for line in repo.check("for-each-ref", f"--format={fmt}", "refs/heads").decode().splitlines():
        ref, upstream, track = line.split("\0")
        tracking[ref.removeprefix("refs/heads/")] = (upstream, track)
    merged_branches: set[str] = set()
    default_refs = _branch_refs(repo, default) if default else []
    for ref in default_refs:
        out = repo.check("for-each-ref", f"--merged={ref}", "--format=%(refname)", "refs/heads")
        merged_branches.update(r.removeprefix("refs/heads/") for r in out.decode().splitlines())
    heads = sorted({w.head for w in worktrees if w.head})
    times: dict[str, float] = {}
    if heads:
        out = repo.check("log", "--no-walk=unsorted", "--format=%H %ct", *heads)
        times = {sha: float(ct) for sha, ct in (line.split() for line in out.decode().splitlines())}

    def one(worktree: Worktree) -> Health:
        missing = worktree.prunable or not worktree.path.is_dir()
        state = {} if missing or worktree.bare else local_state(repo, worktree, disposable)
        upstream, track = tracking.get(worktree.branch or "", ("", ""))
        ahead = behind = None
        if upstream and track != "gone":
            parts = dict(p.split(" ", 1) for p in track.split(", ") if p)
            ahead, behind = int(parts.get("ahead", 0)), int(parts.get("behind", 0))
        merged: bool | None = None
        if default_refs and worktree.head and worktree.branch != default:
            if worktree.branch:
                merged = worktree.branch in merged_branches
            else:
                merged = any(
                    repo.run("merge-base", "--is-ancestor", worktree.head, ref).ok for ref in default_refs
                )
        return Health(
            worktree=worktree,
            missing=missing,
            upstream=upstream or None,
            ahead=ahead,
            behind=behind,
            merged=merged,
            unique_commits=0 if worktree.bare else unique_commits(repo, worktree.head, worktree.branch),
            last_commit_at=times.get(worktree.head or ""),
            **state,  # type: ignore[arg-type]
        )

    return parallel.run_many([functools.partial(one, w) for w in worktrees], jobs=jobs)
