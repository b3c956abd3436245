"""Ignored files a worktree holds that are someone's work, not output a build can make again.

``git worktree remove`` deletes ignored files without asking (only tracked changes and untracked
files stop it). Some of them are work nothing else keeps: a ``.env``, a local database, notes. Those
count as work that removing the worktree would lose; build output and caches do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

# Matched against every part of an ignored path (`git status --ignored=matching` names an ignored
# folder once, with a trailing slash). Folders and files that tools make again on their own.
DISPOSABLE = (
    "__pycache__",
    "*.py[cod]",
    "*.egg-info",
    ".eggs",
    "build",
    "dist",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".coverage",
    ".coverage.*",
    "coverage.xml",
    "htmlcov",
    "node_modules",
    ".DS_Store",
    "*.so",
    "*.o",
)


def kept(paths: Iterable[str], disposable: Sequence[str] = DISPOSABLE) -> list[str]:
    """The ignored ``paths`` that are work: no part of them names build output or a cache."""
    return [
        path
        for path in paths
        if not any(
            fnmatchcase(part, pattern) for part in path.rstrip("/").split("/") for pattern in disposable
        )
    ]
