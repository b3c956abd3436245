"""verify_commit: Check-Aggregate-Report on exactly what is being committed.

target -> checks in parallel -> aggregate -> decide -> report and record -> exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright import checks, config, output, parallel, records, renderers, reporting
from hookwright.arguments import add_color_option, new_parser
from hookwright.checks import aggregate
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.frozen import Frozen
from hookwright.git.repo import EMPTY_TREE, Repo

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

PATTERN = "verify_commit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("filenames", nargs="*", help="files to verify (pre-commit passes the staged ones)")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--all-files", "-a", action="store_true", help="verify every file in the index")
    scope.add_argument("--from-ref", help="verify what FROM_REF..TO_REF adds (pre-push, CI)")
    parser.add_argument("--to-ref", help="the end of the range (default: HEAD)")
    parser.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    parser.add_argument("--only", action="append", default=[], metavar="CHECK", help="run only these checks")
    parser.add_argument(
        "--skip", action="append", default=[], metavar="CHECK", help="do not run these checks"
    )
    parser.add_argument(
        "--fail-on",
        action="append",
        choices=("failed", "error", "warning"),
        help="statuses that fail the run",
    )
    parser.add_argument(
        "--static-only",
        action="store_true",
        help="never run the code under review: only syntax, lint, git_state and todo (untrusted changes)",
    )
    parser.add_argument("--no-cache", action="store_true", help="run every check, whatever the cache knows")
    parser.add_argument("--jobs", "-j", type=int, help="checks at a time (default: config, else CPU count)")
    parser.add_argument("--format", "-f", choices=sorted(renderers.RENDERERS), default="text")
    parser.add_argument("--output", "-o", help="write the report here instead of standard output")
    parser.add_argument("--yaml-record", action="store_true", help="write a YAML copy of the record too")
    parser.add_argument("--commit", action="store_true", help="commit the index when every check passes")
    parser.add_argument("--message", "-m", help="commit message for --commit")
    add_color_option(parser)


def _range_from(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    from_ref = args.from_ref or env.get("PRE_COMMIT_FROM_REF") or env.get("PRE_COMMIT_SOURCE")
    to_ref = args.to_ref or env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_ORIGIN")
    if args.to_ref and not args.from_ref:
        raise BadInput("--to-ref needs --from-ref")
    return from_ref, to_ref


class Verified(Frozen):
    """A finished run: its report, and the configuration it ran with (as committed)."""

    _fields = ("report", "cfg")
    __slots__ = _fields
    report: reporting.Report
    cfg: config.Config

    def __init__(self, report: reporting.Report, cfg: config.Config) -> None:
        self._fill(report, cfg)


def verify(
    repo: Repo,
    *,
    config_file: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    filenames: Sequence[str] = (),
    all_files: bool = False,
    from_ref: str | None = None,
    to_ref: str | None = None,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    fail_on: Sequence[str] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    skip_env: Sequence[str] = (),
    static_only: bool = False,
) -> Verified:
    started_at = reporting.utc_now()
    start = time.monotonic()
    ranged = bool(from_ref or to_ref)
    with repo.frozen_index() as index:
        cfg = config.load_committed(repo, index=index, at_head=ranged, explicit=config_file)
        if overrides:
            cfg = config.Config(cfg.source, config.merge(cfg.data, overrides), cfg.digest)
        selected = aggregate.select(cfg, only, [*skip, *skip_env], root=repo.root, static_only=static_only)
        # A check left out on request is in the record and on the summary line, never just absent.
        left_out = [
            *(
                reporting.StepResult(n, "skipped", reason="--skip")
                for n in checks.skipped_on_request(cfg, only, skip)
            ),
            *(
                reporting.StepResult(n, "skipped", reason="HOOKWRIGHT_SKIP")
                for n in checks.skipped_on_request(cfg, only, skip_env)
                if n not in skip
            ),
        ]
        target = None
        with contextlib.ExitStack() as stack:
            early = None
            if any(c.kind == "tests" for c in selected):
                from hookwright.checks import pytest_early

                # pytest's start-up overlaps reading and exporting the tree; ended if not adopted.
                early = pytest_early.before_target(selected, repo)
                if early is not None:
                    stack.callback(early.close)
            if selected:  # with nothing to check there is nothing to read either
                target = stack.enter_context(
                    aggregate.open_target(
                        repo,
                        filenames=filenames,
                        all_files=all_files,
                        from_ref=from_ref,
                        to_ref=to_ref,
                        index=index,
                    )
                )
            result = aggregate.check_aggregate(
                selected,
                target,
                cfg,
                state_dir=repo.state_dir,
                fail_on=fail_on,
                use_cache=use_cache,
                jobs=jobs,
                prestarted=early,
            )
    report = reporting.finished(
        PATTERN,
        started_at,
        start,
        [*result.steps, *left_out],
        outcome=result.outcome,
        extra=result.extra(target, cfg.source),
    )
    return Verified(report, cfg)


def write_record(
    repo: Repo, cfg: config.Config, report: reporting.Report, yaml_copy: bool = False
) -> Path | None:
    settings = cfg.section("records")
    return records.write(
        records.records_dir(repo.state_dir),
        report.to_dict(),
        yaml_copy=yaml_copy or bool(settings.get("yaml")),
        keep=int(settings.get("keep", 500)),
    )


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs`` (``hookwright run`` records it)."""
    repo = Repo.discover(root or Path.cwd())
    overrides = {k: inputs[k] for k in ("checks", "commands", "fail_on", "cache", "jobs") if k in inputs}
    target_spec = inputs.get("target", {})
    mode = target_spec.get("mode", "staged")
    if dry_run:
        # Nothing runs: the report lists the checks that would, each skipped with the reason.
        cfg = config.load(repo.root, inputs.get("config"), repo.state_dir / "cache")
        if overrides:
            cfg = config.Config(cfg.source, config.merge(cfg.data, overrides), cfg.digest)
        selected = checks.build(cfg, inputs.get("only", ()), inputs.get("skip", ()))
        steps = [reporting.StepResult(c.name, "skipped", reason="dry run") for c in selected]
        planned = aggregate.Aggregate(
            tuple(steps),
            "passed",
            cfg.fail_on,
            {"enabled": False, "hits": 0, "misses": 0},
            cfg.jobs or parallel.default_jobs(),
        )
        extra = planned.extra(None, cfg.source)
        extra["target"] = {"mode": mode, "tree": EMPTY_TREE, "files": list(target_spec.get("files", []))}
        return reporting.finished(PATTERN, reporting.utc_now(), time.monotonic(), steps, extra=extra)
    return verify(
        repo,
        config_file=inputs.get("config"),
        overrides=overrides,
        filenames=target_spec.get("files", ()),
        all_files=mode == "all",
        from_ref=target_spec.get("from_ref") if mode == "range" else None,
        to_ref=target_spec.get("to_ref") if mode == "range" else None,
        only=inputs.get("only", ()),
        skip=inputs.get("skip", ()),
    ).report


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser(
        "hookwright verify", "Verify exactly what is being committed; block the commit on failure."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run_from_args(args)


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    from_ref, to_ref = _range_from(args, os.environ)
    if args.commit and (from_ref or args.all_files or args.filenames):
        raise BadInput("--commit verifies the staged index; it takes no files, --all-files or refs")
    if args.jobs is not None and args.jobs < 1:
        raise BadInput("--jobs must be at least 1")
    if args.commit and not args.message:
        raise BadInput("--commit needs a message: -m MESSAGE")
    if args.output and Path(args.output).is_dir():
        raise BadInput(f"--output {args.output}: is a directory; name a file")
    verified = verify(
        repo,
        config_file=args.config,
        filenames=args.filenames,
        all_files=args.all_files,
        from_ref=from_ref,
        to_ref=to_ref,
        only=args.only,
        skip=args.skip,
        fail_on=args.fail_on,
        use_cache=not args.no_cache,
        jobs=args.jobs,
        # HOOKWRIGHT_SKIP=lint,tests git commit ...: leave checks out of one commit, on the record.
        skip_env=[n for n in os.environ.get("HOOKWRIGHT_SKIP", "").split(",") if n.strip()],
        static_only=args.static_only,
    )
    report = verified.report
    record = write_record(repo, verified.cfg, report, args.yaml_record)
    color = output.use_color(args.color, sys.stdout if not args.output else None)
    text = renderers.render(report, args.format, color=color and not args.output)
    if args.output:
        output.write_file(Path(args.output), text)
    else:
        output.write(text)
    if report.outcome != "passed":
        if record is not None:
            output.write_line(f"record: {record}", sys.stderr)
        return EXIT_FAILED
    if args.commit:
        return _commit(repo, report, args.message)
    return EXIT_PASSED


def _commit(repo: Repo, report: reporting.Report, message: str) -> int:
    from hookwright.git import verified_commit

    target = report.extra["target"]
    try:
        new = verified_commit.commit(repo, target["tree"], target.get("head"), message)
    except verified_commit.NotCommitted as exc:
        output.write_line(f"hookwright: {exc}", sys.stderr)
        return EXIT_FAILED
    output.write_line(f"committed {new[:12]}: the verified tree {target['tree'][:12]}")
    return EXIT_PASSED


if __name__ == "__main__":
    raise SystemExit(main())
