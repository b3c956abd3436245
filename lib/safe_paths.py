"""Where a write may land: inside the work tree, never through a symlink, never into git's own files.

Every writer reaches a user's file through ``hookwright.transactions``, which asks here first. A path
is refused when it leaves the root (``..``, absolute, a symlink on the way) or names a ``.git`` at any
depth: a written ``.git/hooks/post-checkout`` is code git runs, and ``.git/config`` can name programs
too. ``.git`` is compared the way case-insensitive file systems and git's own ``core.protectNTFS`` /
``core.protectHFS`` see it: any case, trailing dots or spaces, the 8.3 name ``git~1``, and the Unicode
characters HFS+ ignores.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hookwright.errors import PathEscape

# What HFS+ drops when it compares names (git's is_hfs_dot_git lists the same code points).
_HFS_IGNORED = dict.fromkeys(
    [0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x206A, 0x2070), 0xFEFF]
)


def is_git_name(part: str) -> bool:
    """Whether a file system could take this path component for ``.git``."""
    name = part.translate(_HFS_IGNORED).lower().rstrip(". ")
    return name in (".git", "git~1")


def safe_relpath(relpath: str) -> str:
    """Normalise a repository-relative path or refuse it (absolute, ``..``, ``.git``, NUL, newline)."""
    if not relpath or "\0" in relpath or "\n" in relpath or "\r" in relpath:
        raise PathEscape(f"invalid path {relpath!r}")
    if relpath.startswith(("/", "\\")) or (len(relpath) > 1 and relpath[1] == ":"):
        raise PathEscape(f"{relpath}: absolute paths are not allowed; give a path inside the repository")
    parts = PurePosixPath(relpath.replace("\\", "/")).parts
    if ".." in parts:
        raise PathEscape(f"{relpath}: '..' would leave the repository")
    if any(is_git_name(part) for part in parts):
        raise PathEscape(f"{relpath}: inside .git; hookwright never writes a repository's own files")
    cleaned = "/".join(p for p in parts if p not in ("", "."))
    if not cleaned:
        raise PathEscape(f"invalid path {relpath!r}")
    return cleaned


def resolve_inside(root: Path, relpath: str) -> Path:
    """``relpath`` under ``root``; refused if it leaves root, goes through a symlink or into ``.git``."""
    cleaned = safe_relpath(relpath)
    root = root.resolve()
    current = root
    for part in cleaned.split("/"):
        current = current / part
        if current.is_symlink():
            raise PathEscape(f"{relpath}: goes through a symlink ({current.relative_to(root)}); refused")
    if not current.resolve().is_relative_to(root):
        raise PathEscape(f"{relpath}: resolves outside the repository")
    return current
