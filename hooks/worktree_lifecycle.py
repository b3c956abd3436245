"""worktree_lifecycle: create, verify, inspect and remove git worktrees without losing work.

Validate -> Execute -> Verify for every operation; `verify` runs the check-aggregate-report flow in a
temporary worktree that is torn down on success, failure, timeout and Ctrl-C. Every run writes a record.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import config, output, records, renderers
from hookwright.arguments import parse_args
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.git.repo import Repo
from hookwright.reporting import Report
from hookwright.worktrees.arguments import add_arguments
from hookwright.worktrees.flow import OPERATIONS
from hookwright.worktrees.run import Run

DESCRIPTION = "Create, verify, inspect and remove git worktrees safely."


def execute(repo: Repo, cfg: config.Config, options: Mapping[str, Any], *, dry_run: bool = False) -> Report:
    """The one core behind the CLI and ``run_instance``: run an operation and write its record."""
    operation = options["operation"]
    if operation in ("create", "verify", "remove", "prune"):
        _refuse_submodule(repo)
    run = Run(repo, cfg, operation, dry_run=dry_run, instance_id=options.get("_instance_id"))
    try:
        report = OPERATIONS[operation](run, options)
    except KeyboardInterrupt:
        if not dry_run:
            run.step("interrupted", "error", run.start, reason="interrupted; anything half-made was removed")
            write_record(repo, cfg, run.report("error"))
        raise
    if not dry_run:
        write_record(repo, cfg, report)
    return report


def _refuse_submodule(repo: Repo) -> None:
    result = repo.run("rev-parse", "--show-superproject-working-tree")
    if result.ok and result.out.strip():
        raise BadInput(f"{repo.root} is a submodule of {result.out.strip()}; manage worktrees from there")


def write_record(repo: Repo, cfg: config.Config, report: Report) -> Path | None:
    settings = cfg.section("records")
    return records.write(
        records.records_dir(repo.state_dir), report.to_dict(), keep=int(settings.get("keep", 500))
    )


def run_instance(inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False) -> Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    cfg = config.load(repo.root, inputs.get("config"), repo.state_dir / "cache")
    if "setup" in inputs or "checks" in inputs:
        overrides = {k: inputs[k] for k in ("setup", "checks") if k in inputs}
        cfg = config.Config(cfg.source, config.merge(cfg.data, {"worktree": overrides}), cfg.digest)
    return execute(repo, cfg, {**inputs, "_base_dir": str(repo.root)}, dry_run=dry_run)


# -- command line (its argument table is hookwright.worktrees.arguments) -------------------------------


def run_from_args(args: argparse.Namespace) -> int:
    options = {k: v for k, v in vars(args).items() if v is not None and k not in ("config", "format")}
    options["_base_dir"] = str(Path.cwd())
    if args.operation == "verify" and args.path and (args.ref or args.staged):
        raise BadInput("give a worktree PATH, --staged or --ref, not several")
    if args.operation == "verify" and args.from_ref and not args.ref:
        raise BadInput("--from-ref needs --ref")
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise BadInput("--jobs must be at least 1")
    if getattr(args, "timeout", None) is not None and args.timeout <= 0:
        raise BadInput("--timeout must be a positive number of seconds")
    if getattr(args, "older_than_days", None) is not None and args.older_than_days < 0:
        raise BadInput("--older-than must be zero or more days")
    repo = Repo.discover()
    cfg = config.load(repo.root, args.config, repo.state_dir / "cache")
    report = execute(repo, cfg, options, dry_run=bool(getattr(args, "dry_run", False)))
    if args.format == "json":
        output.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        stream = sys.stderr if args.operation == "hook" else sys.stdout
        output.write(renderers.worktree_text(report), stream)
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright worktree", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
