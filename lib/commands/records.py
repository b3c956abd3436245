"""``hookwright records``: list, show, and attach verification records as git notes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hookwright import config, output, records
from hookwright.errors import BadInput, report_warning
from hookwright.git.repo import Repo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="one line per record, newest last")
    listing.add_argument("--limit", "-n", type=int, default=20)
    listing.add_argument("--format", "-f", choices=("text", "json"), default="text")
    show = sub.add_parser("show", help="print one record")
    show.add_argument(
        "record", nargs="?", default="latest", help="record id (or a prefix), a path, or `latest`"
    )
    show.add_argument("--format", "-f", choices=("json", "yaml"), default="json")
    note = sub.add_parser(
        "note", help="attach the record of a commit's tree to it as a git note (post-commit)"
    )
    note.add_argument("commit", nargs="?", default="HEAD")
    note.add_argument("--force", action="store_true", help="attach even when records.git_notes is off")
    unverified = sub.add_parser(
        "unverified", help="commits with no passing verification record (made with --no-verify)"
    )
    unverified.add_argument(
        "revisions", nargs="*", help="git log revisions (default: @{upstream}..HEAD, else the last 20)"
    )
    for child in (listing, show, note, unverified):
        child.error = parser.error  # type: ignore[method-assign]


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    directory = records.records_dir(repo.state_dir)
    if args.action == "list":
        paths = list(records.iter_paths(directory))[-args.limit :] if args.limit > 0 else []
        rows = [row for row in map(_readable, paths) if row is not None]
        if args.format == "json":
            output.write(json.dumps(rows, indent=2) + "\n")
            return 0
        for row in rows:
            failed = ",".join(row.get("decision", {}).get("failed_steps", [])) or "-"
            output.write_line(
                f"{row['record_id']}  {row['outcome']:<7} {row['duration_s']:>7.2f}s  failed: {failed}"
            )
        return 0
    if args.action == "show":
        record = records.load(records.find(directory, args.record))
        if args.format == "yaml":
            import yaml

            output.write(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
        else:
            output.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
        return 0
    if args.action == "unverified":
        return _unverified(repo, args)
    return _note(repo, args)


_LISTED = ("record_id", "outcome", "duration_s")


def _readable(path: Path) -> dict[str, Any] | None:
    """A record to list; a truncated or foreign file is skipped with one warning (the dashboard does too)."""
    try:
        record = records.load(path)
    except BadInput as exc:
        report_warning(f"skipped {path.name}: {str(exc).removeprefix(f'{path}: ')}")
        return None
    if any(name not in record for name in _LISTED):
        report_warning(f"skipped {path.name}: not a hookwright record")
        return None
    return record


def _unverified(repo: Repo, args: argparse.Namespace) -> int:
    from hookwright.git import unverified

    revisions = args.revisions
    if not revisions:
        upstream = repo.rev_parse("@{upstream}")
        revisions = [f"{upstream}..HEAD"] if upstream else ["-20", "HEAD"]
    missing = unverified.find(repo, revisions)
    for commit, subject in missing:
        output.write_line(f"{commit[:12]} {subject}: no passing verification record")
    return 1 if missing else 0


def _note(repo: Repo, args: argparse.Namespace) -> int:
    cfg = config.load(repo.root, None, repo.state_dir / "cache")
    if not (args.force or cfg.section("records").get("git_notes")):
        # Exit 0: as a post-commit hook this must never look like a failure; but never silently.
        output.write_line(
            f"hookwright: records.git_notes is off in {cfg.source}: no note attached; set"
            " `records: {git_notes: true}` in .hookwright.yaml (or pass --force)",
            sys.stderr,
        )
        return 0
    commit = repo.resolve(args.commit)
    tree = repo.check("rev-parse", f"{commit}^{{tree}}").decode().strip()
    for path in reversed(list(records.iter_paths(records.records_dir(repo.state_dir)))):
        record = _readable(path) or {}
        if record.get("pattern") == "verify_commit" and record.get("target", {}).get("tree") == tree:
            repo.add_note(commit, json.dumps(record, indent=2) + "\n")
            output.write_line(f"attached {record['record_id']} to {commit[:12]}", sys.stderr)
            return 0
    raise BadInput(f"no verification record for the tree of {args.commit} ({tree[:12]})")
