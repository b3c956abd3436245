"""A materialised copy of an index, kept under the git common dir and updated incrementally.

Checks that read files read what is being committed. When the work tree differs from the index
(unstaged edits, untracked files), they read this copy instead; the user's files are never touched
(pre-commit stashes and restores the work tree instead, which has lost users' work when interrupted).
Each update rewrites only the entries whose blob or mode changed, or whose copy was altered since.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from hookwright.git import IndexEntry, Repo

_SKIP_MODES = {"160000"}  # submodules: a gitlink has no content to export


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def materialize(repo: Repo, entries: list[IndexEntry], name: str, index_file: Path | None = None) -> Path:
    """Make ``<state>/shadow/<name>`` hold exactly ``entries`` (stage 0) and return its path."""
    base = repo.state_dir / "shadow"
    dest = base / name
    manifest_path = base / f"{name}.manifest.json"
    with _locked(base / f"{name}.lock"):
        try:
            manifest: dict[str, list[object]] = json.loads(manifest_path.read_text())
        except (OSError, ValueError):
            manifest = {}
            shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True, exist_ok=True)
        prefix = f"{dest}{os.sep}"  # plain strings: this stats every entry on every run
        wanted = {e.path: e for e in entries if e.stage == 0 and e.mode not in _SKIP_MODES}
        stale = []
        for path, (key, stamp) in ((p, (v[0], v[1])) for p, v in manifest.items()):
            entry = wanted.get(path)
            if entry is None or key != f"{entry.mode} {entry.blob}" or _stamp(f"{prefix}{path}") != stamp:
                stale.append(path)
        for path in stale:
            target = dest / path
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
            del manifest[path]
        todo = [path for path in wanted if path not in manifest]
        # A file may need the place of a directory that no longer exists in the index, or vice versa.
        for path in todo:
            parent = (dest / path).parent
            while parent != dest and not parent.is_dir():
                if parent.exists() or parent.is_symlink():
                    parent.unlink()
                    break
                parent = parent.parent
        repo.checkout_index(dest, todo, index_file)
        for path in todo:
            entry = wanted[path]
            manifest[path] = [f"{entry.mode} {entry.blob}", _stamp(f"{prefix}{path}")]
        tmp = manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, separators=(",", ":")))
        os.replace(tmp, manifest_path)
    return dest
