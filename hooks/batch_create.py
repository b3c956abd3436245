"""batch_create: many files from template packs, all checked together, written all-or-nothing (TGB).

items -> variables checked (every problem at once) -> paths planned and checked -> rendered in memory
-> syntax, leftover markers and ruff's F rules over everything -> one FileTransaction -> report.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import reporting
from hookwright.arguments import parse_args
from hookwright.errors import entry_point
from hookwright.git.repo import Repo
from hookwright.reporting import StepResult
from hookwright.templates import creation, creation_checks, creation_preview, creation_write
from hookwright.templates import creation_options as creation_cli
from hookwright.templates import render as templates
from hookwright.templates.batch_items import add_arguments, items_from_args, items_from_inputs

PATTERN = "batch_create"
DESCRIPTION = "Create many files from templates: all checked, all written or none."


def generate(
    repo: Repo,
    items: Sequence[creation.Item],
    *,
    force: bool = False,
    lint: Sequence[str] = (),
    dry_run: bool = False,
    extra: Sequence[str] = (),
    config_file: str | None = None,
    instance_id: str | None = None,
) -> tuple[reporting.Report, list[creation.Output], dict[str, creation.Action]]:
    """The whole flow; CLI and instances both come here."""
    started_at, start = reporting.utc_now(), time.monotonic()
    reg = creation.registry(repo, extra, config_file)
    items = [creation.Item(i.label, i.template, i.variables, creation.safe_target(i.target)) for i in items]
    planned = creation.plan_items(reg, items)
    steps = [StepResult("variables", "passed", time.monotonic() - start, files=len(items))]
    render_start = time.monotonic()
    outputs = [creation.Output.from_rendered(r) for r in templates.render_all(planned)]
    steps.append(StepResult("render", "passed", time.monotonic() - render_start, files=len(outputs)))
    checks, actions = creation_checks.validate(repo.root, outputs, force, lint)
    steps += checks
    changed: dict[str, list[str]] = {}
    transaction = None
    if not dry_run and not creation.failed(steps):
        written = creation_write.write_checked(repo, outputs, actions, f"{PATTERN}: {len(outputs)} files")
        steps += written.steps
        changed, transaction = written.changed, written.transaction
    extra_fields = {
        "dry_run": dry_run,
        "items": len(items),
        "transaction": transaction,
        "plan": creation_preview.plan_record(outputs, actions),
    }
    report = reporting.finished(
        PATTERN, started_at, start, steps, changed=changed, extra=extra_fields, instance_id=instance_id
    )
    return report, outputs, actions


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    report, _, _ = generate(
        repo,
        items_from_inputs(inputs),
        **creation_cli.instance_options(inputs, dry_run),
    )
    return report


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    creation_cli.paths_from_cwd(repo.root, args, ["target"])
    items, options = items_from_args(repo, args)
    report, outputs, actions = generate(repo, items, dry_run=args.dry_run, config_file=args.config, **options)
    return creation_cli.emit(repo, report, args, outputs, actions)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright batch", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
