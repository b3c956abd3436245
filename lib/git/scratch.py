"""Scratch files for one run (the copy of the index), in a folder that outlives the run.

Every run copies the index (``Repo.frozen_index``). ``tempfile.TemporaryDirectory`` made and removed
a folder for it: the imports (``tempfile``, ``shutil`` with ``bz2`` and ``lzma``) cost a no-op start
~3.5 ms, and removing a folder costs ~3.8 ms more on an ext4 mounted with ``discard`` (measured:
an ``rmdir`` frees the folder's block at once; unlinking a file costs 0.02 ms). So the copy is a file
with a name of its own in ``scratch/`` under hookwright's state directory, which stays. Where that
folder cannot be made ours, a temporary folder as before.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path


def _ours(folder: Path) -> bool:
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    info = folder.lstat()
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


@contextlib.contextmanager
def scratch_file(state_dir: Path, prefix: str) -> Iterator[Path]:
    """A path no other run uses; the file, and the ``.lock`` git may leave beside it, removed after."""
    folder = state_dir / "scratch"
    if not _ours(folder):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="hookwright-scratch-") as fallback:
            yield Path(fallback) / prefix
        return
    path = folder / f"{prefix}-{os.getpid()}-{os.urandom(6).hex()}"
    try:
        yield path
    finally:
        for leftover in (path, path.with_name(path.name + ".lock")):
            with contextlib.suppress(OSError):
                os.unlink(leftover)


@contextlib.contextmanager
def empty_folder(state_dir: Path) -> Iterator[Path]:
    """A folder with nothing in it, for git to take as a work tree it reads nothing from.

    Kept from run to run (``scratch/empty``): making and removing a temporary folder per commit cost
    the ``tempfile`` import and an ``rmdir`` (see above). Used only while it is empty and ours; anything
    in it (a ``.gitattributes`` there would change the bytes git writes) and a fresh one is made.
    """
    folder = state_dir / "scratch" / "empty"
    if _ours(folder.parent) and _ours(folder) and not os.listdir(folder):
        yield folder
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-nowhere-") as fallback:
        yield Path(fallback)


@contextlib.contextmanager
def scratch_names(state_dir: Path, prefix: str) -> Iterator[Callable[[str], Path]]:
    """Paths no other run uses, one per name asked for; each file handed out is removed after.

    For the files around one test run (its report, its lists, what the plugin writes): three
    temporary folders made and removed per run cost ~4 ms each after pytest exits (``rmdir``).
    """
    folder = state_dir / "scratch"
    if not _ours(folder):
        import tempfile

        with tempfile.TemporaryDirectory(prefix=f"hookwright-{prefix}-") as fallback:
            yield lambda name: Path(fallback) / name
        return
    stem = f"{prefix}-{os.getpid()}-{os.urandom(6).hex()}"
    given: list[Path] = []

    def name_of(name: str) -> Path:
        given.append(folder / f"{stem}-{name}")
        return given[-1]

    try:
        yield name_of
    finally:
        for leftover in given:
            with contextlib.suppress(OSError):
                os.unlink(leftover)
