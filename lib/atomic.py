"""The one way a file is replaced: a temporary file beside it, flushed to disk, then renamed over it.

A reader (or a crash) sees the old bytes or the new ones, never half of either. The directory is
synced too, so that after a power loss the rename itself is not lost. Every writer in the package
(records, caches, journals, user files through transactions, reports) comes through here, so there
is one temporary-name scheme, ``.NAME.hw-TOKEN.tmp``, which recovery knows how to sweep.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".hw-"  # the temporary beside NAME is f".{NAME}{TEMP_PREFIX}{token}.tmp"


def temp_name(path: Path) -> Path:
    # A random token, not the pid: two threads of one run may write the same file. (os.urandom,
    # not the secrets module: this is imported on every commit and secrets pulls in random.)
    return path.with_name(f".{path.name}{TEMP_PREFIX}{os.urandom(4).hex()}.tmp")


def atomic_write(
    path: Path,
    data: bytes | str,
    *,
    mode: int | None = None,
    durable: bool = True,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` (str is written as UTF-8).

    ``mode`` None gives a new file the umask's default; ``durable`` False skips the fsyncs (caches,
    rebuilt if lost); ``before_replace`` runs between the written temporary and the rename (the
    transaction journal's crash checkpoints).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = temp_name(path)
    # O_EXCL: never write through a file (or symlink) someone else put at the temporary name.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        sync_directory(path.parent)


def sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
