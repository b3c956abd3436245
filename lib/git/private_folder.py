"""A private scratch folder for one run's copy of the index, without ``tempfile`` and ``shutil``.

Every run copies the index (``Repo.frozen_index``); ``tempfile.TemporaryDirectory`` and
``shutil.copyfile`` cost a no-op start ~3.5 ms of imports (``shutil`` brings ``bz2``, ``lzma``,
``zlib``; ``tempfile`` brings ``random``), more than the copy. The folder goes under hookwright's
state directory, which every run creates anyway; where that cannot be written, under the temp
directory as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def private_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder (mode 0700) of ours under ``parent``; removed with what git left in it."""
    folder = parent / f"{prefix}{os.getpid()}-{os.urandom(6).hex()}"
    try:
        os.mkdir(folder, 0o700)
    except OSError:
        import tempfile

        with tempfile.TemporaryDirectory(prefix=f"hookwright-{prefix}") as fallback:
            yield Path(fallback)
        return
    try:
        yield folder
    finally:
        # git may leave index.lock (or a refreshed index's temporary) beside the copy.
        for name in os.listdir(folder):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
        with contextlib.suppress(OSError):
            os.rmdir(folder)
