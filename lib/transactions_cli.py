"""``hookwright recover``: finish or undo file transactions that a crash interrupted."""

from __future__ import annotations

import argparse

from hookwright import output, recovery, transactions
from hookwright.git import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", "-n", action="store_true", help="say what would be done")
    parser.add_argument("--force", action="store_true", help="also recover journals of processes still alive")


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    results = recovery.recover(
        transactions.journal_dir(repo.state_dir), dry_run=args.dry_run, force=args.force
    )
    if not results:
        output.write_line("nothing to recover")
        return 0
    conflicts = False
    for item in results:
        label = f" ({item.label})" if item.label else ""
        output.write_line(f"{item.id}{label}: {item.state} -> {item.action}")
        for path in item.conflicts:
            conflicts = True
            output.write_line(f"  {path}: changed since; left as it is (backup kept in the journal)")
    return 1 if conflicts else 0
