"""refactor_patch: Analyze-Transform-Verify for a unified diff (or a series) or a symbol rename.

The two flows live in hookwright.refactor.patch_flow and hookwright.refactor.rename_flow; this module
is the command line, the instance-file entry and the text a user reads.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import bounded_read, output, records, renderers, reporting
from hookwright.arguments import parse_args
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.git.repo import Repo
from hookwright.refactor import edit_checks, patch_flow, patches, rename_flow
from hookwright.refactor.edit_checks import VerifyOptions
from hookwright.refactor.patch_flow import apply_patch
from hookwright.refactor.rename_flow import rename_symbol
from hookwright.safe_paths import resolve_inside

__all__ = ["apply_patch", "main", "rename_symbol", "run_instance"]
DEFAULT_TIMEOUT = 900.0


# -- command line -------------------------------------------------------------------------------------


DESCRIPTION = "Apply a unified diff or rename a symbol, verified."


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--verify-cmd", metavar="CMD", help="a command that must pass afterwards, e.g. 'pytest -q'"
    )
    parser.add_argument(
        "--verify-timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="limit per run"
    )
    parser.add_argument(
        "--no-ruff", action="store_true", help="skip ruff's F rules (syntax is still checked)"
    )
    parser.add_argument("--dry-run", "-n", action="store_true", help="say what would change; change nothing")
    parser.add_argument("--format", "-f", choices=("text", "json", "yaml"), default="text")


def add_patch_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    apply = actions.add_parser(
        "apply",
        help="apply a unified diff hunk by hunk, or a series (git format-patch) patch by patch, verified",
    )
    apply.add_argument("patch", metavar="PATCH", help="the diff or mbox file ('-': standard input)")
    apply.add_argument(
        "--all-or-nothing", action="store_true", help="keep nothing when verification fails (no bisection)"
    )
    apply.add_argument("--include", action="append", default=[], metavar="GLOB", help="only files matching")
    apply.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="not files matching")
    _common(apply)
    apply.set_defaults(handler=_run_patch)


def add_refactor_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    rename = actions.add_parser("rename", help="rename a function, class, method or constant everywhere")
    rename.add_argument(
        "old", metavar="OLD", help="dotted qualified name: pkg.module.func, pkg.mod.Class.method"
    )
    rename.add_argument("new", metavar="NEW", help="the new bare identifier")
    rename.add_argument(
        "--include-unsure",
        action="store_true",
        help="also rename unsure sites: getattr / strings / star imports / objects of unknown type",
    )
    rename.add_argument(
        "--no-verify",
        action="store_true",
        help="accept a rename no command or test suite verified (without it, that exits 1)",
    )
    _common(rename)
    rename.set_defaults(handler=_run_rename)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_patch_arguments(commands.add_parser("patch", help="apply a unified diff, verified"))
    add_refactor_arguments(commands.add_parser("refactor", help="rename a symbol across the project"))


def run_from_args(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], reporting.Report] = args.handler
    if args.verify_timeout <= 0:
        raise BadInput("--verify-timeout must be a positive number of seconds")
    repo = Repo.discover()
    report = handler(args)
    if not args.dry_run:
        records.write(records.records_dir(repo.state_dir), report.to_dict())
    if args.format == "text":
        output.write(describe(report))
    else:
        output.write(renderers.render(report, args.format))
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


def _read_patch(name: str) -> tuple[bytes, str]:
    if name == "-":
        return bounded_read.read_stream(sys.stdin.buffer, patches.MAX_BYTES, "the patch on stdin"), "<stdin>"
    return bounded_read.read_file(Path(name), patches.MAX_BYTES, f"the patch {name}"), name


def _run_patch(args: argparse.Namespace) -> reporting.Report:
    data, source = _read_patch(args.patch)
    return apply_patch(
        Path.cwd(),
        data,
        source=source,
        verify=_options(args),
        include=args.include,
        exclude=args.exclude,
        all_or_nothing=args.all_or_nothing,
        dry_run=args.dry_run,
    )


def _run_rename(args: argparse.Namespace) -> reporting.Report:
    return rename_symbol(
        Path.cwd(),
        args.old,
        args.new,
        include_unsure=args.include_unsure,
        verify=_options(args),
        no_verify=args.no_verify,
        dry_run=args.dry_run,
    )


def _options(args: argparse.Namespace) -> VerifyOptions:
    return VerifyOptions(edit_checks.parse_command(args.verify_cmd), args.verify_timeout, not args.no_ruff)


# -- instance files, text output, main ---------------------------------------------------------------


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs`` (a patch or a rename)."""
    root = root or Path.cwd()
    verify = VerifyOptions(
        edit_checks.parse_command(inputs.get("verify_cmd")),
        float(inputs.get("verify_timeout", DEFAULT_TIMEOUT)),
        bool(inputs.get("ruff", True)),
    )
    instance_id = inputs.get("_instance_id")
    if "rename" in inputs:
        spec = inputs["rename"]
        return rename_symbol(
            root,
            spec["old"],
            spec["new"],
            include_unsure=bool(spec.get("include_unsure", False)),
            no_verify=bool(spec.get("no_verify", False)),
            verify=verify,
            dry_run=dry_run,
            instance_id=instance_id,
        )
    spec = inputs["patch"]
    if "text" in spec:
        data, source = spec["text"].encode("utf-8", "surrogateescape"), "<instance>"
    else:
        source = spec["path"]
        data, _ = _read_patch(str(resolve_inside(Repo.discover(root).root, source)))
    return apply_patch(
        root,
        data,
        source=source,
        verify=verify,
        include=spec.get("include", ()),
        exclude=spec.get("exclude", ()),
        all_or_nothing=bool(inputs.get("all_or_nothing", False)),
        dry_run=dry_run,
        instance_id=instance_id,
    )


def describe(report: reporting.Report) -> str:
    """The text a user reads: one line on success, then what was refused or left out and why."""
    if report.extra["operation"] == "patch":
        lines = patch_flow.describe(report)
    else:
        lines = rename_flow.describe(report)
    for finding in reporting.sort_findings(report.all_findings()):
        lines.append(f"  {renderers.finding_line(finding)}")
    return "\n".join(lines) + "\n"


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright-refactor-patch", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
