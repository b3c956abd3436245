"""Before any command: what a killed hookwright left half-written is put right first.

A SIGKILL or a power cut leaves a journal behind. Every command looks for one before it starts (a few
``stat`` calls when there is none): an interrupted transaction is undone (or finished, past its commit
point) with one warning line; one that needs a person (a file changed since, a file that cannot be
written back) makes the command refuse, naming ``hookwright recover``, rather than guess.
"""

from __future__ import annotations

from pathlib import Path

from hookwright.errors import BadInput, GitError, report_warning
from hookwright.git.layout import read_layout
from hookwright.state_dirs import journal_roots


def _common_dir(start: Path) -> Path | None:
    layout = read_layout(start)
    if layout is not None:
        return layout.common_dir
    from hookwright.git.repo import Repo

    try:
        return Repo.discover(start).common_dir  # GIT_DIR and friends: git decides
    except GitError:
        return None  # not in a repository: nothing of ours to recover


def _has_journals(root: Path) -> bool:
    try:
        return any(p.is_dir() for p in root.iterdir())
    except OSError:
        return False  # no journal folder (the common case), or none we can read


def settle(start: Path | None = None) -> None:
    """Recover what a crashed run left; refuse (BadInput) where only a person can decide."""
    common = _common_dir(start or Path.cwd())
    if common is not None:
        for root in journal_roots(common):
            if _has_journals(root):
                _settle(root)


def _settle(root: Path) -> None:
    from hookwright import recovery

    try:
        results = recovery.recover(root)
    except OSError as exc:
        raise BadInput(
            f"an interrupted hookwright run left a journal in {root} that cannot be recovered now "
            f"({exc.strerror or exc}); run `hookwright recover` once that is fixed"
        ) from None
    for item in results:
        what = f"`{item.label}`" if item.label else "run"
        if item.action in ("undone", "finished"):
            report_warning(f"recovered an interrupted {what}: {item.action} ({item.state})")
    blocked = [item for item in results if item.blocked]
    if blocked:
        item = blocked[0]
        paths = [*item.conflicts, *(path for path, _ in item.failed)]
        why = "changed since" if item.conflicts else "could not be written back"
        label = f"`{item.label}`" if item.label else "run"
        raise BadInput(
            f"an interrupted {label} left {', '.join(paths)} {why}; "
            "run `hookwright recover` to see what to do (nothing else runs until then)"
        )
