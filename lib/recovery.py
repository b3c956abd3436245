"""Recovery after a crash: every interrupted FileTransaction ends all-old or all-new.

``prepared`` and ``pending`` (applied but never validated) journals are undone; ``applied`` ones are
finished. Index entries recorded with the files go the same way, so the index and the work tree stay
in step. A file changed by someone else since is left alone and reported, its backup kept; so is one
that cannot be written back. One recovery at a time: concurrent commands take turns on a lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hookwright import interrupts, rollback
from hookwright.parallel import process_alive
from hookwright.recovery_outcome import Recovery
from hookwright.transactions import JOURNAL, replace_file

KEPT = "journal-kept"  # journals set aside with --keep-current: never recovered again
_STALE_SECONDS = 86400


def _alive(pid: int) -> bool:
    return pid != os.getpid() and process_alive(pid)


def _writer_pid(name: str) -> int | None:
    """The pid in a journal's name (``STAMP-PID-RANDOM``); None for names from before it was added."""
    parts = name.split("-")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None


def pending_journals(journal_root: Path) -> list[Path]:
    if not journal_root.is_dir():
        return []
    return sorted(p for p in journal_root.iterdir() if p.is_dir())


@contextlib.contextmanager
def _locked(journal_root: Path) -> Iterator[None]:
    import fcntl

    with (journal_root / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def recover(
    journal_root: Path, *, dry_run: bool = False, force: bool = False, keep_current: bool = False
) -> list[Recovery]:
    """Finish or undo every interrupted transaction under ``journal_root``."""
    if not pending_journals(journal_root):
        return []
    with _locked(journal_root), interrupts.deferred():
        return [
            _recover_one(directory, dry_run=dry_run, force=force, keep_current=keep_current)
            for directory in pending_journals(journal_root)
        ]


def _recover_one(directory: Path, *, dry_run: bool, force: bool, keep_current: bool) -> Recovery:
    try:
        journal: dict[str, Any] = json.loads((directory / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # No complete journal: its writer died before touching a file, or is still writing it.
        pid = _writer_pid(directory.name)
        young = time.time() - directory.stat().st_mtime < 60
        if not force and ((pid is not None and _alive(pid)) or (pid is None and young)):
            return Recovery(directory.name, "", "incomplete", "skipped (still running)")
        if not dry_run:
            shutil.rmtree(directory, ignore_errors=True)
        return Recovery(directory.name, "", "incomplete", "discarded")
    ident, label, state = journal["id"], journal.get("label", ""), journal["state"]
    running = _alive(int(journal.get("pid", 0))) and time.time() - journal["created"] < _STALE_SECONDS
    if running and not force:
        return Recovery(ident, label, state, "skipped (still running)")
    finish = state == "applied"
    if dry_run:
        return Recovery(ident, label, state, "would finish" if finish else "would undo", directory=directory)
    root = Path(journal["root"])
    if finish:
        rollback.remove_temp_files(root, journal["entries"])
        outcome = rollback.Outcome()
    else:
        outcome = rollback.undo_entries(root, directory, journal["entries"], replace_file)
    index = rollback.settle_index(journal, to_new=finish)
    conflicts = tuple(outcome.conflicts + index.conflicts)
    failed = tuple(outcome.failed + index.failed)
    if conflicts or failed:
        if keep_current and not failed:
            kept = directory.parent.parent / KEPT / directory.name
            kept.parent.mkdir(exist_ok=True)
            os.replace(directory, kept)
            return Recovery(ident, label, state, "kept as they are", conflicts, directory=kept)
        # Keep the journal and its backups: nothing is thrown away.
        action = "undone with conflicts" if not failed else "could not restore everything"
        return Recovery(ident, label, state, action, conflicts, failed, directory)
    shutil.rmtree(directory, ignore_errors=True)
    return Recovery(ident, label, state, "finished" if finish else "undone")
