"""Finding a repository by reading ``.git`` directly, for the common case only.

Every hook run starts by asking where the repository is, where HEAD points and which branch that is.
Asking git costs a process; reading the files git itself reads costs a few stat calls. Anything
unusual (GIT_DIR and friends in the environment, a bare repository, core.worktree, a reftable, a
repository owned by another user, an unreadable file) returns None, and git is asked instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# Variables that change how git finds a repository: with any of them set, git decides.
_DISCOVERY_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_OBJECT_DIRECTORY",
)
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_UNUSUAL_CONFIG = re.compile(r"^\s*(worktree|bare\s*=\s*true|refstorage|objectformat)", re.I | re.M)


class Layout:
    __slots__ = ("branch", "common_dir", "git_dir", "head", "root")

    def __init__(self, root: Path, git_dir: Path, common_dir: Path, head: str | None, branch: str | None):
        self.root = root
        self.git_dir = git_dir
        self.common_dir = common_dir
        self.head = head
        self.branch = branch


def _find_dot_git(start: Path) -> tuple[Path, Path] | None:
    directory = start
    while True:
        dot_git = directory / ".git"
        if dot_git.is_dir():
            return directory, dot_git
        if dot_git.is_file():
            text = dot_git.read_text(encoding="utf-8").strip()
            if not text.startswith("gitdir: "):
                return None
            return directory, (directory / text[len("gitdir: ") :]).resolve()
        if directory.parent == directory:
            return None
        directory = directory.parent


class _AskGit(Exception):
    """Something the fast path does not read: git answers instead."""


def _ref(common: Path, git_dir: Path, name: str) -> str | None:
    """The commit ``name`` points at, None when it does not exist (an unborn branch)."""
    for base in (git_dir, common):  # per-worktree refs first (e.g. refs/bisect), then shared ones
        loose = base / name
        if loose.is_file():
            value = loose.read_text(encoding="utf-8").strip()
            if not _SHA.match(value):
                # A symbolic ref (`git symbolic-ref refs/heads/alias refs/heads/master`) or a damaged
                # file: reading it as "unborn" would be a wrong answer, so git resolves it.
                raise _AskGit(name)
            return value
        if loose.exists():
            raise _AskGit(name)  # a directory where a ref file should be: git knows what it means
    packed = common / "packed-refs"
    if packed.is_file():
        suffix = f" {name}"
        for line in packed.read_text(encoding="utf-8").splitlines():
            if line.endswith(suffix) and _SHA.match(line[: line.index(" ")]):
                return line[: line.index(" ")]
    return None


def read_layout(start: Path) -> Layout | None:
    if any(name in os.environ for name in _DISCOVERY_ENV):
        return None
    try:
        found = _find_dot_git(start.resolve())
        if found is None:
            return None
        root, git_dir = found
        commondir = git_dir / "commondir"
        common = (
            (git_dir / commondir.read_text(encoding="utf-8").strip()).resolve()
            if commondir.is_file()
            else git_dir
        )
        if (common / "reftable").exists() or os.stat(git_dir).st_uid != os.geteuid():
            return None  # a format we do not read, or git's safe.directory rules apply
        config = common / "config"
        if config.is_file() and _UNUSUAL_CONFIG.search(config.read_text(encoding="utf-8")):
            return None
        head_text = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if head_text.startswith("ref: "):
        ref = head_text[len("ref: ") :]
        branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
        try:
            head = _ref(common, git_dir, ref)
        except (OSError, UnicodeDecodeError, _AskGit):
            return None
        return Layout(root, git_dir, common, head, branch)
    if _SHA.match(head_text):
        return Layout(root, git_dir, common, head_text, None)
    return None
