"""One private copy of the tree under verification per run, held for the whole run.

Checks read what is being committed, never the live work tree: an editor save or a second run must
not change the bytes a verdict is about. Copies live in numbered slots under the git common dir;
a run locks a free slot (``flock``, so a crashed run frees it), brings it to its tree entry by entry
(only entries whose blob, mode or file changed are rewritten, and files nobody exported are
removed) and keeps the lock until its checks are done. Two runs at once get two slots: neither can
see, or rewrite, the other's files. The user's work tree and index are never touched (pre-commit
stashes and restores the work tree instead, which has lost users' work when interrupted).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from hookwright.atomic import atomic_write
from hookwright.git import IndexEntry, Repo

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import IO

_SKIP_MODES = {"160000"}  # submodules: a gitlink has no content to export
_MAX_SLOTS = 16  # beyond this many runs at once, the extra ones export into a throw-away directory


def _stamp(path: str) -> list[int] | None:
    """What tells us a file is still the one we wrote: any write, chmod or replace changes it."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _lock_slot(base: Path, preferred: int) -> tuple[Path, IO[str]] | None:
    """Lock the first free slot, ``preferred`` first: its path and the open lock (closing frees it).

    None when no slot can be had (every one busy, or the state directory unwritable).
    """
    try:
        base.mkdir(parents=True, exist_ok=True)
        for number in [preferred, *(i for i in range(_MAX_SLOTS) if i != preferred)]:
            handle = (base / f"slot-{number}.lock").open("a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            return base / f"slot-{number}", handle
    except OSError:
        pass
    return None


def _sync(repo: Repo, dest: Path, entries: Sequence[IndexEntry], index_file: Path | None) -> None:
    """Make ``dest`` hold exactly ``entries`` (stage 0): rewrite what differs, remove what is extra."""
    manifest_path = dest.with_name(f"{dest.name}.manifest.json")
    try:
        manifest: dict[str, list[object]] = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        manifest = {}
        shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path.unlink(missing_ok=True)  # an interrupted sync leaves no manifest: the next one starts over
    prefix = f"{dest}{os.sep}"  # plain strings: this stats every entry on every run
    wanted = {e.path: e for e in entries if e.stage == 0 and e.mode not in _SKIP_MODES}
    for path, (key, stamp) in [(p, (v[0], v[1])) for p, v in manifest.items()]:
        entry = wanted.get(path)
        if entry is None or key != f"{entry.mode} {entry.blob}" or _stamp(f"{prefix}{path}") != stamp:
            _remove(dest / path)
            del manifest[path]
    _remove_extras(dest, set(manifest), wanted)
    todo = [path for path in wanted if path not in manifest]
    repo.checkout_index(dest, todo, index_file)
    for path in todo:
        entry = wanted[path]
        manifest[path] = [f"{entry.mode} {entry.blob}", _stamp(f"{prefix}{path}")]
    atomic_write(manifest_path, json.dumps(manifest, separators=(",", ":")).encode(), durable=False)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _remove_extras(dest: Path, kept: set[str], wanted: dict[str, IndexEntry]) -> None:
    """Files a previous run left (a test's output, an untracked copy) are not part of the tree.

    Directories on the way to a wanted path stay; anything else not in ``kept`` goes, so that a
    wanted file can take the place of a directory and the other way round.
    """
    needed_dirs = {"/".join(p.split("/")[:i]) for p in wanted for i in range(1, p.count("/") + 1)}
    stack = [("", str(dest))]
    while stack:
        rel, full = stack.pop()
        try:
            items = list(os.scandir(full))
        except OSError:
            continue
        for item in items:
            path = f"{rel}{item.name}"
            if path in kept:
                continue
            if path in needed_dirs and item.is_dir(follow_symlinks=False):
                stack.append((f"{path}/", item.path))
            else:
                _remove(Path(item.path))


@contextlib.contextmanager
def exported(repo: Repo, entries: Sequence[IndexEntry], index_file: Path | None = None) -> Iterator[Path]:
    """A directory holding exactly ``entries`` (from ``index_file``), private to the caller until exit."""
    preferred = int(repo.worktree_key, 16) % 4  # each work tree keeps coming back to its own slot
    locked = _lock_slot(repo.state_dir / "snapshots", preferred)
    if locked is None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="hookwright-tree-") as scratch:
            _sync(repo, Path(scratch) / "tree", entries, index_file)
            yield Path(scratch) / "tree"
        return
    slot, lock = locked
    with lock:  # closing the lock file releases the slot, also when the process dies
        _sync(repo, slot, entries, index_file)
        yield slot


@contextlib.contextmanager
def exported_tree(repo: Repo, treeish: str) -> Iterator[Path]:
    """``exported`` for a commit or tree (a base to compare with), read through a private index."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-index-") as tmp:
        index = Path(tmp) / "index"
        repo.read_tree_into(treeish, index)
        with exported(repo, repo.index_entries(index), index) as root:
            yield root
