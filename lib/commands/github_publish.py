"""``hookwright github run | publish``: verify BASE..HEAD, then publish the verdict to the job.

Extra ``verify`` arguments are split here, like a shell would, never passed through one.
"""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import output, parallel, records, renderers, schema_registry, validation
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput
from hookwright.github.annotations import ANNOTATIONS_PER_JOB, Annotation, select_annotations
from hookwright.github.events import check_ref, narrow_for_untrusted
from hookwright.github.runner import print_untrusted, write_file, write_outputs, write_summary
from hookwright.github.summary import blob_base, failed_checks, summary
from hookwright.reporting import Report


def _flag(value: str, name: str) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false", ""):
        raise BadInput(f"{name} must be true or false, not {value!r}")
    return text == "true"


def _names(value: str) -> list[str]:
    return [name for name in value.replace(",", " ").split() if name]


def verify_argv(args: argparse.Namespace, env: Mapping[str, str], record: Path) -> list[str]:
    """The `hookwright verify` command line the action's inputs stand for."""
    untrusted = env.get("GITHUB_EVENT_NAME") == "pull_request_target" and not _flag(
        args.allow_pr_code, "allow-pr-code"
    )
    # First, before `args`: nothing there can undo it (the flag has no negation, and a `--` in
    # `args` would only turn what follows into file names).
    argv = ["verify", "--static-only"] if untrusted else ["verify"]
    argv += [
        "--from-ref",
        check_ref(args.base, "base"),
        "--to-ref",
        check_ref(args.head, "head"),
    ]
    argv += ["--format", "json", "--output", str(record), "--color", "never"]
    if args.config.strip():
        argv += ["--config", args.config.strip()]
    only = _names(args.checks)
    if untrusted:
        only = narrow_for_untrusted(only)
    if only:
        argv += ["--only", ",".join(only)]
    if _names(args.skip):
        argv += ["--skip", ",".join(_names(args.skip))]
    for status in _names(args.fail_on):
        argv += ["--fail-on", status]
    try:
        argv += shlex.split(args.extra_args)
    except ValueError as exc:
        raise BadInput(f"args: {exc} in {args.extra_args!r}") from None
    return argv


def run_tool(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    directory = Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "hookwright"
    record = Path(args.record) if args.record else directory / f"record-{secrets.token_hex(4)}.json"
    argv = verify_argv(args, env, record.resolve())
    record.parent.mkdir(parents=True, exist_ok=True)
    record.unlink(missing_ok=True)
    result = parallel.run([sys.executable, "-m", "hookwright", *argv])
    print_untrusted(result.out + result.err)
    if result.returncode in (EXIT_PASSED, EXIT_FAILED) and record.is_file():
        return publish(record, args, env, head=args.head)
    lines = [line for line in result.err.splitlines() if line.strip()]
    message = lines[-1] if lines else f"hookwright verify exited with {result.returncode}"
    output.write_line(Annotation("error", message, "hookwright").command())
    write_summary(env, f"## 💥 hookwright could not verify\n\n{renderers.code_span(message)}\n\n")
    write_outputs(env, {"status": "error", "record": "", "failed-checks": ""})
    return result.returncode or EXIT_FAILED


def publish(record_path: Path, args: argparse.Namespace, env: Mapping[str, str], head: str = "") -> int:
    if not 0 <= args.max_annotations <= ANNOTATIONS_PER_JOB:
        raise BadInput(f"--max-annotations must be between 0 and {ANNOTATIONS_PER_JOB}")
    record = records.load(record_path)
    pattern = record.get("pattern")
    if pattern not in schema_registry.schema_names():
        raise BadInput(f"{record_path}: not a hookwright record (pattern {pattern!r})")
    issues = validation.schema_issues(pattern, record, "outputs")
    if issues:
        raise BadInput(
            f"{record_path}: not a valid {pattern} record: {issues[0].pointer} {issues[0].message}"
        )
    report = Report.from_dict(record)
    raw_target = record.get("target")
    target: dict[str, Any] = raw_target if isinstance(raw_target, dict) else {}
    sha = head or str(target.get("head") or env.get("GITHUB_SHA", ""))
    server = env.get("GITHUB_SERVER_URL") or "https://github.com"
    link_base = blob_base(server, env.get("GITHUB_REPOSITORY", ""), sha)
    print_untrusted(renderers.render(report, "text"))
    shown, omitted = select_annotations(report.all_findings(), args.max_annotations)
    output.write("".join(item.command() + "\n" for item in shown))
    write_summary(env, summary(report, link_base=link_base, target=target, omitted=omitted))
    if args.sarif:
        write_file(Path(args.sarif), renderers.render(report, "sarif"))
    failed = failed_checks(record, report)
    write_outputs(
        env, {"status": report.outcome, "record": str(record_path), "failed-checks": ",".join(failed)}
    )
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


def publish_tool(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return publish(Path(args.record), args, env, head=args.head)
