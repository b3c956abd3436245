"""One hookwright at a time changes a work tree's files.

Two writers interleaved would each take the other's unverified bytes for the original: a patch's
rejected hunk could end up kept by the other run. So a command's first transaction takes an exclusive
``flock`` on a lock file for its work tree and holds it until the command ends (the error funnel
releases it); a second writer is refused at once with the first one's pid. The kernel drops the lock
when a process dies, even by SIGKILL, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hookwright.errors import BadInput
from hookwright.hashing import sha256

_held: dict[Path, int] = {}  # lock file -> open descriptor, for this process


def lock_path(journal_root: Path, root: Path) -> Path:
    digest = sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return journal_root.parent / f"writer-{digest}.lock"  # beside the journals: they hold only journals


def acquire(journal_root: Path, root: Path) -> None:
    """Hold the writer lock of ``root`` for the rest of this command; BadInput if another process has it."""
    import fcntl

    path = lock_path(journal_root, root)
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise BadInput(
            f"another hookwright (pid {holder}) is changing files in {root}; run this again when it is done"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[path] = fd


def release_all() -> None:
    for path, fd in list(_held.items()):
        with contextlib.suppress(OSError):
            os.close(fd)  # closing drops the flock
        del _held[path]
