"""The state of one worktree: what it holds, how it stands to the default branch, what removing it loses."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hookwright.worktrees.model import Worktree

_DAY = 86400.0


@dataclass(frozen=True)
class Health:
    worktree: Worktree
    missing: bool  # its directory is gone
    staged: int = 0
    modified: int = 0
    untracked: int = 0
    conflicts: int = 0
    ignored_work: tuple[str, ...] = ()  # ignored files that are not build output (worktrees.ignored)
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
        if self.ignored_work:
            shown = ", ".join(self.ignored_work[:3]) + (", ..." if len(self.ignored_work) > 3 else "")
            reasons.append(f"{len(self.ignored_work)} ignored file(s) that are not build output ({shown})")
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
            "ignored_work": len(self.ignored_work),
            "upstream": self.upstream,
            "ahead": self.ahead,
            "behind": self.behind,
            "merged": self.merged,
            "unique_commits": self.unique_commits,
            "age_days": None if age is None else round(age, 3),
            "unsafe": self.unsafe_reasons(),
        }
