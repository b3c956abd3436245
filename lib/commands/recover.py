"""``hookwright recover``: finish or undo file transactions that a crash interrupted."""

from __future__ import annotations

import argparse

from hookwright import output, recovery, transactions
from hookwright.git.repo import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", "-n", action="store_true", help="say what would be done")
    parser.add_argument("--force", action="store_true", help="also recover journals of processes still alive")
    parser.add_argument(
        "--keep-current",
        action="store_true",
        help="files changed since the crash stay as they are now; their journal is set aside, not undone",
    )


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    results = recovery.recover(
        transactions.journal_dir(repo.state_dir),
        dry_run=args.dry_run,
        force=args.force,
        keep_current=args.keep_current,
    )
    if not results:
        output.write_line("nothing to recover")
        return 0
    for item in results:
        label = f" ({item.label})" if item.label else ""
        output.write_line(f"{item.id}{label}: {item.state} -> {item.action}")
        backups = item.directory / "backups" if item.directory else "the journal"
        for path in item.conflicts:
            if item.action == "kept as they are":
                output.write_line(f"  {path}: kept as it is now; the bytes from before are in {backups}")
            else:
                output.write_line(f"  {path}: changed since; left as it is (backup kept in {backups})")
        for path, why in item.failed:
            output.write_line(f"  {path}: could not be restored ({why}); backup kept in {backups}")
    if any(item.blocked and item.action != "kept as they are" for item in results):
        output.write_line(
            "run `hookwright recover --keep-current` to keep those files as they are now, "
            "or restore them by hand from the backups and run `hookwright recover` again"
        )
        return 1
    return 0
