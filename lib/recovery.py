"""Recovery after a crash: every interrupted FileTransaction ends all-old or all-new.

``prepared`` and ``pending`` (applied but never validated) journals are undone; ``applied`` ones are
finished. A file changed by someone else since is left alone and reported, its backup kept.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from hookwright.parallel import process_alive
from hookwright.transactions import JOURNAL, remove_temp_files, undo_entries


@dataclass(frozen=True)
class Recovery:
    id: str
    label: str
    state: str
    action: str  # "undone", "finished", "skipped (running)", "would undo", "would finish"
    conflicts: tuple[str, ...] = ()


def _alive(pid: int) -> bool:
    return pid != os.getpid() and process_alive(pid)


def pending_journals(journal_root: Path) -> list[Path]:
    if not journal_root.is_dir():
        return []
    return sorted(p for p in journal_root.iterdir() if (p / JOURNAL).is_file() or p.is_dir())


def recover(journal_root: Path, *, dry_run: bool = False, force: bool = False) -> list[Recovery]:
    """Finish or undo every interrupted transaction under ``journal_root``."""
    results = []
    for directory in pending_journals(journal_root):
        path = directory / JOURNAL
        try:
            journal = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # Died before the journal was complete: no file was touched yet.
            if not dry_run:
                shutil.rmtree(directory, ignore_errors=True)
            results.append(Recovery(directory.name, "", "incomplete", "discarded"))
            continue
        state = journal["state"]
        if not force and _alive(int(journal.get("pid", 0))) and time.time() - journal["created"] < 86400:
            results.append(Recovery(journal["id"], journal["label"], state, "skipped (still running)"))
            continue
        finish = state == "applied"
        if dry_run:
            results.append(
                Recovery(
                    journal["id"],
                    journal["label"],
                    state,
                    "would finish" if finish else "would undo",
                )
            )
            continue
        conflicts: list[str] = []
        if not finish:
            conflicts = undo_entries(Path(journal["root"]), directory, journal["entries"])
        else:
            remove_temp_files(Path(journal["root"]), journal["entries"])
        if conflicts:
            results.append(
                Recovery(
                    journal["id"],
                    journal["label"],
                    state,
                    "undone with conflicts",
                    tuple(conflicts),
                )
            )
            continue  # keep the journal and its backups: nothing is thrown away
        shutil.rmtree(directory, ignore_errors=True)
        results.append(Recovery(journal["id"], journal["label"], state, "finished" if finish else "undone"))
    return results
