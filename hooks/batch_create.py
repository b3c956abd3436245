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
from hookwright.arguments import new_parser
from hookwright.errors import BadInput, InputProblems, entry_point
from hookwright.git.repo import Repo
from hookwright.reporting import StepResult
from hookwright.templates import creation, creation_preview, creation_write
from hookwright.templates import creation_options as creation_cli
from hookwright.templates import render as templates
from hookwright.templates.variables import parse_assignments

PATTERN = "batch_create"
INSTANCE_SUFFIXES = (".yaml", ".yml", ".json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        help="an instance file (batch_create inputs, or a whole instance) or a pack name to use with --each",
    )
    creation_cli.add_variable_arguments(parser)
    parser.add_argument(
        "--each",
        action="append",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="one item per --each with these variables on top of --var: --each name=User --each name=Order",
    )
    parser.add_argument(
        "--target",
        metavar="DIR",
        help="the folder the pack's output paths are relative to (default: the repository)",
    )
    creation_cli.add_common_arguments(parser)


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
    checks, actions = creation.validate(repo.root, outputs, force, lint)
    steps += checks
    changed: dict[str, list[str]] = {}
    transaction = None
    if not dry_run and not creation.failed(steps):
        staged = creation_write.Staged(repo, outputs, actions, f"{PATTERN}: {len(outputs)} files")
        transaction = staged.tx.id
        write = staged.apply()
        steps.append(write)
        if write.status == "passed" and staged.outputs:
            verify = staged.read_back()
            steps.append(verify)
            staged.undo() if verify.status != "passed" else staged.keep()
        changed = staged.changed
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


def items_from_inputs(inputs: Mapping[str, Any]) -> list[creation.Item]:
    return [
        creation.Item(
            f"items[{index}] {item['template']}",
            item["template"],
            item.get("variables", {}),
            item.get("target", "."),
        )
        for index, item in enumerate(inputs["items"])
    ]


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    report, _, _ = generate(
        repo,
        items_from_inputs(inputs),
        force=bool(inputs.get("force", False)),
        lint=inputs.get("lint", ()),
        dry_run=dry_run,
        extra=inputs.get("templates", ()),
        instance_id=inputs.get("_instance_id"),
    )
    return report


def _items_from_args(repo: Repo, args: argparse.Namespace) -> tuple[list[creation.Item], dict[str, Any]]:
    """(items, options of generate) from the command line: an instance file, or a pack and --each."""
    if args.source.endswith(INSTANCE_SUFFIXES):
        if not Path(args.source).is_file():
            raise BadInput(f"{args.source}: no such instance file")
        if args.var or args.each or args.vars:
            raise BadInput(
                "an instance file holds its own variables; --var, --vars and --each go with a pack name"
            )
        _, inputs, instance_id = creation_cli.read_instance(args.source, PATTERN)
        extra = [*inputs.get("templates", ()), *args.templates]
        options = {
            "extra": extra,
            "force": args.force or bool(inputs.get("force")),
            "lint": [*inputs.get("lint", ()), *args.lint],
            "instance_id": instance_id,
        }
        return items_from_inputs(inputs), options
    reg = creation.registry(repo, args.templates, args.config)
    schema = reg.get(args.source).variables
    shared = creation_cli.variables_from(args.var, args.vars, schema)
    groups = args.each or [[]]
    items, problems = [], []
    for index, group in enumerate(groups):
        values, found = parse_assignments(group, schema)
        problems += [f"--each #{index + 1}: {p}" for p in found]
        label = f"{args.source} #{index + 1}" if args.each else args.source
        items.append(creation.Item(label, args.source, {**shared, **values}, args.target or "."))
    if problems:
        raise InputProblems(problems)
    return items, {"extra": args.templates, "force": args.force, "lint": args.lint}


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    creation_cli.paths_from_cwd(repo.root, args, ["target"])
    items, options = _items_from_args(repo, args)
    report, outputs, actions = generate(repo, items, dry_run=args.dry_run, config_file=args.config, **options)
    preface = creation_preview.preview(repo.root, outputs, actions) if args.dry_run else ""
    return creation_cli.emit(repo, report, args, preface=preface)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser(
        "hookwright batch", "Create many files from templates: all checked, all written or none."
    )
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
