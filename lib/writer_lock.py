"""One hookwright at a time changes a work tree's files.

Two writers interleaved would each take the other's unverified bytes for the original: a patch's
rejected hunk could end up kept by the other run. So a command's first transaction takes an exclusive
``flock`` on a lock file for its work tree and holds it until the command ends (the error funnel
releases it). A second writer waits (pre-commit runs a hook on chunks of files in parallel), saying
so once; what it read before waiting is checked again when it writes (``expect=`` in transactions),
so it never builds on the first one's unverified bytes. The kernel drops the lock when a process
dies, even by SIGKILL, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from hookwright.errors import BadInput, report_warning
from hookwright.hashing import sha256

WAIT_SECONDS = 3600.0  # a verify command may take long; Ctrl-C stops the wait at any time
QUIET_WAIT_SECONDS = 1.0  # pre-commit's parallel chunks of one hook wait briefly: no line for that
_held: dict[Path, int] = {}  # lock file -> open descriptor, for this process


def lock_path(journal_root: Path, root: Path) -> Path:
    digest = sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return journal_root.parent / f"writer-{digest}.lock"  # beside the journals: they hold only journals


def acquire(journal_root: Path, root: Path) -> None:
    """Hold the writer lock of ``root`` for the rest of this command, waiting for another holder."""
    import fcntl

    path = lock_path(journal_root, root)
    if path in _held:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        start, said = time.monotonic(), False
        while not _try_lock(fcntl, fd):
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            waited = time.monotonic() - start
            if waited > WAIT_SECONDS:
                raise BadInput(f"another hookwright (pid {holder}) is still changing files in {root}")
            if not said and waited > QUIET_WAIT_SECONDS:
                report_warning(f"waiting for another hookwright (pid {holder}) to finish changing {root}")
                said = True
            time.sleep(0.05)
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[path] = fd


def _try_lock(fcntl: Any, fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def release_all() -> None:
    for path, fd in list(_held.items()):
        with contextlib.suppress(OSError):
            os.close(fd)  # closing drops the flock
        del _held[path]
