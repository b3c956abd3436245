"""``hookwright validate | run``: the execution patterns driven from instance files."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from types import ModuleType

from hookwright import instances, output, records, renderers, validation

# commands/table.py finds `hookwright schema` here, where it lived before it had its own module.
from hookwright.commands.schema import add_schema_arguments, run_schema  # noqa: F401
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, HookwrightError
from hookwright.frozen import replace


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instances", nargs="+", metavar="INSTANCE", help="instance files (YAML or JSON)")
    parser.add_argument("--all-errors", action="store_true", help="every error, not only the best one")


def _root() -> Path:
    from hookwright.git.repo import Repo

    try:
        return Repo.discover().root
    except BadInput:
        return Path.cwd()


def run_validate(args: argparse.Namespace) -> int:
    root = _root()
    failures = []
    for name in args.instances:
        try:
            instances.load(Path(name), root=root, all_errors=args.all_errors, display=name)
        except BadInput as exc:
            failures.append(str(exc))
    if len(args.instances) == 1 and failures:
        raise BadInput(failures[0]) if not args.all_errors else _many(failures)
    for failure in failures:
        sys.stderr.write(f"hookwright: error: {failure}\n")
    return 2 if failures else EXIT_PASSED


def _many(failures: list[str]) -> BadInput:
    # --all-errors: one error per line is the point; the funnel flattens newlines, so print here.
    for failure in failures:
        for line in failure.splitlines():
            sys.stderr.write(f"hookwright: error: {line}\n")
    return _Silent()


class _Silent(BadInput):
    """Already reported line by line."""

    def __str__(self) -> str:
        return "the instance is not valid (errors above)"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instance", metavar="INSTANCE", help="instance file (YAML or JSON)")
    parser.add_argument("--dry-run", "-n", action="store_true", help="validate and show what would happen")
    parser.add_argument("--format", "-f", choices=("text", "json", "yaml"), default="text")
    parser.add_argument("--all-errors", action="store_true", help="every validation error, not only the best")


def executor(pattern: str) -> ModuleType:
    """The module that runs a pattern; exit 2 when this version has none (no pretend run)."""
    try:
        module = importlib.import_module(f"hookwright.hooks.{pattern}")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("hookwright.hooks"):
            raise BadInput(
                f"pattern {pattern!r} has no executor in this version; the instance is valid"
            ) from None
        raise
    if not hasattr(module, "run_instance"):
        raise BadInput(f"pattern {pattern!r} has no executor in this version; the instance is valid")
    return module


def run_run(args: argparse.Namespace) -> int:
    root = _root()
    try:
        instance = instances.load(
            Path(args.instance), root=root, all_errors=args.all_errors, display=args.instance
        )
    except BadInput as exc:
        if args.all_errors and "\n" in str(exc):
            raise _many(str(exc).splitlines()) from None
        raise
    module = executor(instance.pattern)
    report = module.run_instance(instance.inputs, root=root, dry_run=args.dry_run)
    report = replace(report, instance_id=instance.id)
    record = report.to_dict()
    # The contract is checked on every run, not only in the tests.
    issues = validation.schema_issues(instance.pattern, record, "outputs")
    if issues:
        raise HookwrightError(
            f"the {instance.pattern} executor produced outputs that break its schema: "
            f"{issues[0].pointer}: {issues[0].message}"
        )
    if not args.dry_run:
        _write_record(root, record)
    output.write(renderers.render(report, args.format, color=output.use_color("auto")))
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


def _write_record(root: Path, record: dict[str, object]) -> None:
    from hookwright.git.repo import Repo

    try:
        repo = Repo.discover(root)
    except BadInput:
        output.write_line("hookwright: not in a git repository: no record written", sys.stderr)
        return
    records.write(records.records_dir(repo.state_dir), record)
