"""Git worktrees: the model (list, health, the safety predicate) and the operations that change them.

Everything goes through ``hookwright.git.repo.Repo``: ``git worktree list --porcelain -z`` is git's stable
interface for this, and GitPython's object model has no worktree support that would earn its import.
The rule every operation keeps: no worktree holding uncommitted changes, untracked files or commits
reachable from no other branch, remote or tag is removed unless the caller passes ``force``.
This module only reads; the operations that change worktrees live in ``create``, ``remove`` and ``isolated``.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright import parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.reporting import Finding

_DAY = 86400.0
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
                    head=fields.get("HEAD") or None,
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


# -- health -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    worktree: Worktree
    missing: bool  # its directory is gone
    staged: int = 0
    modified: int = 0
    untracked: int = 0
    conflicts: int = 0
    in_progress: tuple[str, ...] = ()
    unreadable: str = ""  # why its state could not be read ("" when it could)
    upstream: str | None = None
    ahead: int | None = None
    behind: int | None = None
    merged: bool | None = None  # into the default branch; None when there is none to compare with
    unique_commits: int = 0  # reachable from this HEAD and from no other branch, remote or tag
    last_commit_at: float | None = None

    @property
    def dirty(self) -> bool:
        return bool(self.staged or self.modified or self.conflicts)

    def age_days(self, now: float | None = None) -> float | None:
        if self.last_commit_at is None:
            return None
        return max(0.0, ((now or time.time()) - self.last_commit_at) / _DAY)

    def unsafe_reasons(self) -> list[str]:
        """Why removing this worktree would lose work (empty: nothing would be lost)."""
        reasons = []
        if self.unreadable:
            reasons.append(f"its state cannot be read ({self.unreadable})")
        if self.dirty:
            reasons.append(f"{self.staged + self.modified + self.conflicts} uncommitted change(s)")
        if self.untracked:
            reasons.append(f"{self.untracked} untracked file(s)")
        if self.in_progress:
            reasons.append(f"a {'/'.join(self.in_progress)} in progress")
        if self.unique_commits:
            reasons.append(f"{self.unique_commits} commit(s) on no other branch, remote or tag")
        return reasons

    def to_dict(self, now: float | None = None) -> dict[str, Any]:
        """The record's view of this worktree (``$defs/worktree`` in worktree_lifecycle.schema.json)."""
        w = self.worktree
        age = self.age_days(now)
        return {
            "path": str(w.path),
            "branch": w.branch,
            "head": w.head,
            "main": w.main,
            "bare": w.bare,
            "detached": w.detached,
            "locked": w.locked,
            "lock_reason": w.lock_reason or None,
            "prunable": w.prunable or self.missing,
            "clean": None if self.missing or w.bare else not (self.dirty or self.untracked),
            "changes": {"staged": self.staged, "modified": self.modified, "conflicts": self.conflicts},
            "untracked": self.untracked,
            "upstream": self.upstream,
            "ahead": self.ahead,
            "behind": self.behind,
            "merged": self.merged,
            "unique_commits": self.unique_commits,
            "age_days": None if age is None else round(age, 3),
            "unsafe": self.unsafe_reasons(),
        }


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


def _git_dir_of(path: Path) -> Path | None:
    dot_git = path / ".git"
    if dot_git.is_dir():
        return dot_git
    try:
        text = dot_git.read_text(encoding="utf-8", errors="surrogateescape").strip()
    except OSError:
        return None
    target = Path(text.removeprefix("gitdir:").strip())
    return target if target.is_absolute() else (path / target).resolve()


def _local_state(repo: Repo, worktree: Worktree) -> dict[str, object]:
    result = repo.run(
        "--no-optional-locks",
        "status",
        "--porcelain=v2",
        "-z",
        "--untracked-files=all",
        "--ignore-submodules=none",
        cwd=worktree.path,
    )
    if not result.ok:
        lines = result.err.strip().splitlines()
        return {"unreadable": lines[-1] if lines else f"git status exited {result.returncode}"}
    counts = {"staged": 0, "modified": 0, "untracked": 0, "conflicts": 0}
    records = result.stdout.split(b"\0")
    i = 0
    while i < len(records):
        record = records[i]
        i += 1
        kind = record[:1]
        if kind == b"?":
            counts["untracked"] += 1
        elif kind == b"u":
            counts["conflicts"] += 1
        elif kind in (b"1", b"2"):
            xy = record[2:4]
            counts["staged"] += xy[:1] != b"."
            counts["modified"] += xy[1:] != b"."
            i += kind == b"2"  # a rename's original path follows as its own record
    git_dir = _git_dir_of(worktree.path)
    in_progress = Repo(worktree.path, git_dir, repo.common_dir, None).in_progress() if git_dir else []
    return {**counts, "in_progress": tuple(in_progress)}


def health(
    repo: Repo, worktrees: Sequence[Worktree], default: str | None, *, jobs: int | None = None
) -> list[Health]:
    """Every worktree's state, with one batched git call per question where git allows it."""
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
        state = {} if missing or worktree.bare else _local_state(repo, worktree)
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


def removal_blocker(item: Health, cwd: Path | None = None) -> str | None:
    """Why no removal may touch this worktree, --force or not: the main one, a lock, the current one."""
    worktree = item.worktree
    if worktree.main or worktree.bare:
        return f"{worktree.path} is the main worktree; it cannot be removed"
    if worktree.locked:
        why = f" ({worktree.lock_reason})" if worktree.lock_reason else ""
        return f"{worktree.path} is locked{why}; unlock it with `git worktree unlock {worktree.path}` first"
    if cwd is not None and not item.missing and cwd.resolve().is_relative_to(worktree.path.resolve()):
        return f"{worktree.path} is the current directory; run the command from another worktree"
    return None


def prune_reason(
    item: Health, *, merged: bool = False, older_than_days: float | None = None, now: float | None = None
) -> str | None:
    """Why ``prune`` would take this worktree, or None. Whether it holds work is checked apart."""
    worktree = item.worktree
    if worktree.main or worktree.bare or worktree.lock_reason.startswith(LOCK_PREFIX):
        return None  # a running verification's own worktree is not stale
    if item.missing:
        return "directory missing"
    wanted = []
    if merged:
        if not item.merged:
            return None
        wanted.append("merged")
    if older_than_days is not None:
        age = item.age_days(now)
        if age is None or age <= older_than_days:
            return None
        wanted.append(f"last commit {age:.0f} days ago")
    return ", ".join(wanted) or None


def warnings(items: Sequence[Health], stale_days: float, now: float | None = None) -> list[Finding]:
    """What the post-checkout hook and ``list`` point out: missing, merged and stale worktrees."""
    found = []
    for item in items:
        worktree, where = item.worktree, str(item.worktree.path)
        if worktree.main or (worktree.locked and not item.missing):
            continue
        age = item.age_days(now)
        if item.missing:
            message, code = "directory is missing", "prunable"
        elif item.merged:
            message, code = (
                f"branch {worktree.branch or worktree.head} is merged into the default branch",
                "merged",
            )
        elif age is not None and age > stale_days:
            message, code = f"last commit {age:.0f} days ago (stale after {stale_days:g})", "stale"
        else:
            continue
        found.append(Finding(where, None, None, code, message, "warning", "inspect"))
    return found


# -- text ---------------------------------------------------------------------------------------------
