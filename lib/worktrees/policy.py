"""Which worktrees may be removed or pruned, and which ones ``list`` and the hook point out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hookwright.reporting import Finding
from hookwright.worktrees.model import LOCK_PREFIX
from hookwright.worktrees.state import Health


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
