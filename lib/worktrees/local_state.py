"""One worktree's uncommitted work from ``git status --porcelain=v2 -z``, and any operation in progress."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hookwright.git.repo import Repo
from hookwright.worktrees import ignored
from hookwright.worktrees.model import Worktree


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


def local_state(
    repo: Repo, worktree: Worktree, disposable: Sequence[str] = ignored.DISPOSABLE
) -> dict[str, object]:
    result = repo.run(
        "--no-optional-locks",
        "status",
        "--porcelain=v2",
        "-z",
        "--untracked-files=all",
        "--ignored=matching",  # an ignored folder once, not every file in it
        "--ignore-submodules=none",
        cwd=worktree.path,
    )
    if not result.ok:
        lines = result.err.strip().splitlines()
        return {"unreadable": lines[-1] if lines else f"git status exited {result.returncode}"}
    counts = {"staged": 0, "modified": 0, "untracked": 0, "conflicts": 0}
    ignored_paths: list[str] = []
    records = result.stdout.split(b"\0")
    i = 0
    while i < len(records):
        record = records[i]
        i += 1
        kind = record[:1]
        if kind == b"?":
            counts["untracked"] += 1
        elif kind == b"!":
            ignored_paths.append(record[2:].decode("utf-8", "surrogateescape"))
        elif kind == b"u":
            counts["conflicts"] += 1
        elif kind in (b"1", b"2"):
            xy = record[2:4]
            counts["staged"] += xy[:1] != b"."
            counts["modified"] += xy[1:] != b"."
            i += kind == b"2"  # a rename's original path follows as its own record
    git_dir = _git_dir_of(worktree.path)
    in_progress = Repo(worktree.path, git_dir, repo.common_dir, None).in_progress() if git_dir else []
    work = tuple(ignored.kept(ignored_paths, disposable))
    return {**counts, "ignored_work": work, "in_progress": tuple(in_progress)}
