"""Putting a journal's files (and index entries) back: for a live rollback and for recovery alike.

Each file is handled on its own: one that cannot be written (a full disk, a read-only folder) is
reported with where its old bytes are kept, and the others are still restored. A file someone
changed since is never overwritten: it is a conflict, reported and left as it is.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Outcome:
    conflicts: list[str] = field(default_factory=list)  # changed by someone else: left alone
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why) could not be restored

    @property
    def clean(self) -> bool:
        return not (self.conflicts or self.failed)


def sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def current(target: Path) -> bytes | None:
    try:
        return target.read_bytes() if target.is_file() and not target.is_symlink() else None
    except OSError:
        return None


def undo_entries(
    root: Path,
    journal_dir: Path,
    entries: Sequence[dict[str, Any]],
    replace: Callable[[Path, bytes, int | None], None],
) -> Outcome:
    """Bring every entry back to its old bytes and mode; what could not be done is in the outcome."""
    outcome = Outcome()
    for entry in reversed(entries):
        target = root / entry["path"]
        now_sha = sha(current(target))
        try:
            if now_sha == entry["old_sha"]:
                if entry["old_mode"] is not None and stat.S_IMODE(target.stat().st_mode) != entry["old_mode"]:
                    os.chmod(target, entry["old_mode"])
            elif now_sha != entry["new_sha"]:
                outcome.conflicts.append(entry["path"])
            elif entry["old_sha"] is None:
                target.unlink()
            else:
                data = (journal_dir / "backups" / entry["backup"]).read_bytes()
                replace(target, data, entry["old_mode"])
        except OSError as exc:
            outcome.failed.append((entry["path"], exc.strerror or str(exc)))
    for entry in reversed(entries):
        for directory in reversed(entry.get("made_dirs", [])):
            with contextlib.suppress(OSError):
                (root / directory).rmdir()
    remove_temp_files(root, entries)
    return outcome


def remove_temp_files(root: Path, entries: Sequence[dict[str, Any]]) -> None:
    for entry in entries:
        target = root / entry["path"]
        if target.parent.is_dir():
            for leftover in target.parent.glob(f".{glob.escape(target.name)}.hw-*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def settle_index(journal: dict[str, Any], *, to_new: bool) -> Outcome:
    """Index entries the journal changed, set to their old (or new) blob, like the files with them."""
    records = journal.get("index") or []
    outcome = Outcome()
    if not records:
        return outcome
    index_file = journal.get("index_file")
    if index_file and not Path(index_file).exists():
        return outcome  # a temporary index (`git commit -a`) that git has thrown away, change and all
    from hookwright.git.repo import Repo

    found = Repo.discover(journal["root"])
    repo = Repo(found.root, found.git_dir, found.common_dir, Path(index_file) if index_file else None)
    entries = {(e.path, e.stage): e for e in repo.index_entries()}
    for record in records:
        have = entries.get((record["path"], 0))
        now = (have.mode, have.blob) if have else None
        old, new = (record["mode"], record["old"]), (record["mode"], record["new"])
        wanted, undone = (new, old) if to_new else (old, new)
        if now == wanted:
            continue
        if now != undone:
            outcome.conflicts.append(f"{record['path']} (index)")
            continue
        result = repo.run("update-index", "--cacheinfo", f"{wanted[0]},{wanted[1]},{record['path']}")
        if not result.ok:
            outcome.failed.append((f"{record['path']} (index)", result.err.strip() or "update-index failed"))
    return outcome
