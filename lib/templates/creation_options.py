"""Command-line pieces the three creation commands share: options, variables, output, the record."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import output, records, renderers, strict_yaml
from hookwright.arguments import add_color_option
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, InputProblems
from hookwright.git.repo import Repo
from hookwright.reporting import Report
from hookwright.templates import creation_preview
from hookwright.templates.assignments import parse_assignments
from hookwright.templates.creation import Action, Output


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="overwrite files that exist (all or nothing)")
    parser.add_argument(
        "--dry-run",
        "-n",
        action="store_true",
        help="check everything, print the plan and a diff, write nothing",
    )
    parser.add_argument(
        "--templates",
        "-t",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder of template packs (or one pack); later folders override earlier ones and built-ins",
    )
    parser.add_argument(
        "--lint",
        action="append",
        default=[],
        metavar="CODE",
        help="a ruff rule (or prefix) to check on generated Python besides F, e.g. --lint E9 --lint B",
    )
    parser.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    parser.add_argument("--format", "-f", choices=sorted(renderers.RENDERERS), default="text")
    add_color_option(parser)


def add_variable_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable; lists and mappings as JSON or flow YAML: --var 'fields=[{name: email, type: str}]'",
    )
    parser.add_argument("--vars", metavar="FILE", help="variables from a YAML or JSON mapping")


def variables_from(pairs: Sequence[str], vars_file: str | None, schema: Mapping[str, Any]) -> dict[str, Any]:
    """``--vars FILE`` then ``--var`` on top, typed by the pack's schema; every problem at once."""
    values: dict[str, Any] = {}
    if vars_file:
        path = Path(vars_file)
        values.update(
            strict_yaml.load_path(path if path.is_absolute() else Path.cwd() / path, display=vars_file).data
        )
    given, problems = parse_assignments(pairs, schema)
    if problems:
        raise InputProblems(problems)
    values.update(given)
    return values


def paths_from_cwd(root: Path, args: argparse.Namespace, names: Sequence[str]) -> None:
    """Paths typed on the command line are relative to where the user stands: make them repo-relative.

    Unset options (None) keep their meaning, the repository root; a path that leaves the repository
    becomes ``../...`` and is refused later with the usual one-line message.
    """
    cwd = Path.cwd().resolve()
    top = root.resolve()
    for name in names:
        value = getattr(args, name, None)
        if value and cwd != top and not Path(value).is_absolute():
            setattr(args, name, os.path.relpath(cwd / value, top))
    if cwd != top:
        args.templates = [d if Path(d).is_absolute() else str(cwd / d) for d in args.templates]


def instance_options(inputs: Mapping[str, Any], dry_run: bool) -> dict[str, Any]:
    """The keyword arguments every creation flow takes from an instance's validated ``inputs``."""
    return {
        "force": bool(inputs.get("force", False)),
        "lint": inputs.get("lint", ()),
        "dry_run": dry_run,
        "extra": inputs.get("templates", ()),
        "instance_id": inputs.get("_instance_id"),
    }


def cli_options(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments every creation flow takes from add_common_arguments' options."""
    return {
        "force": args.force,
        "lint": args.lint,
        "dry_run": args.dry_run,
        "extra": args.templates,
        "config_file": args.config,
    }


def emit(
    repo: Repo,
    report: Report,
    args: argparse.Namespace,
    outputs: Sequence[Output],
    actions: Mapping[str, Action],
) -> int:
    """Write the record (not for a dry run), print the plan/diff and the report; the exit code."""
    preface = creation_preview.preview(repo.root, outputs, actions) if args.dry_run else ""
    if not args.dry_run:
        where = records.write(records.records_dir(repo.state_dir), report.to_dict())
    color = output.use_color(args.color)
    output.write(preface + renderers.render(report, args.format, color=color))
    if report.outcome != "passed":
        if not args.dry_run and where is not None:
            output.write_line(f"record: {where}", sys.stderr)
        return EXIT_FAILED
    return EXIT_PASSED


def read_instance(path: str, pattern: str) -> tuple[strict_yaml.Document, dict[str, Any], str | None]:
    """An instance file (envelope with ``pattern``/``inputs``) or a bare inputs mapping, validated."""
    from hookwright import validation

    document = strict_yaml.load_path(Path(path), display=path)
    data = document.data
    if "pattern" in data or "inputs" in data:
        if data.get("pattern") != pattern:
            raise BadInput(
                f"{path}: pattern is {data.get('pattern')!r}; `hookwright` runs it with `hookwright run`"
            )
        inputs = data.get("inputs")
        if not isinstance(inputs, dict):
            raise BadInput(f"{path}: `inputs` must be a mapping")
        validation.check_document(document, pattern, "inputs", data=inputs, base_pointer="/inputs")
        return document, inputs, data.get("id")
    validation.check_document(document, pattern, "inputs")
    return document, data, None
