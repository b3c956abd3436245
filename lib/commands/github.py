"""``hookwright github refs|run|publish``: the steps of the GitHub Action, usable in any workflow.

Every value arrives as an argument or from the runner's environment, never through a shell: the action
passes its inputs in ``env:`` and quotes them, and extra ``verify`` arguments are split here.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import bounded_read, output, parallel, records, renderers, schema_registry, validation
from hookwright.arguments import new_parser
from hookwright.atomic import atomic_write
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.git.repo import Repo
from hookwright.github import actions as github
from hookwright.reporting import Report

_MAX_PAYLOAD = 64 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


def add_arguments(parser: argparse.ArgumentParser) -> None:
    tools = parser.add_subparsers(dest="tool", required=True, metavar="TOOL")
    refs = tools.add_parser(
        "refs", help="the commits the event asks to verify, fetched when missing, written to $GITHUB_OUTPUT"
    )
    refs.add_argument("--base-ref", default="", help="compare against this branch or commit instead")
    refs.add_argument("--remote", default="origin", help="where missing commits are fetched from")
    run = tools.add_parser("run", help="verify BASE..HEAD with `hookwright verify`, then publish the verdict")
    run.add_argument("--base", required=True, help="commit to compare against (from `github refs`)")
    run.add_argument("--head", required=True, help="commit to verify (from `github refs`)")
    run.add_argument("--config", default="", help="config file (default: .hookwright.yaml or pyproject.toml)")
    run.add_argument("--checks", default="", help="run only these checks (comma-separated)")
    run.add_argument("--skip", default="", help="do not run these checks (comma-separated)")
    run.add_argument("--fail-on", default="", help="statuses that fail the run (comma-separated)")
    run.add_argument(
        "--args", dest="extra_args", default="", help="more `hookwright verify` arguments, split like a shell"
    )
    run.add_argument(
        "--allow-pr-code",
        default="false",
        help="under pull_request_target, also run checks that execute the pull request's code (true/false)",
    )
    run.add_argument(
        "--record", default="", help="where the record goes (default: a new file in RUNNER_TEMP)"
    )
    _publish_options(run)
    publish = tools.add_parser("publish", help="annotations, job summary, outputs and SARIF from a record")
    publish.add_argument("--record", required=True, help="a verification record (JSON)")
    publish.add_argument("--head", default="", help="commit the links point at (default: the record's)")
    _publish_options(publish)


def _publish_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sarif", default="", help="also write the findings as SARIF 2.1.0 here")
    parser.add_argument(
        "--max-annotations",
        type=int,
        default=github.ANNOTATIONS_PER_LEVEL,
        help=f"annotations per level (default and GitHub's per-step limit: {github.ANNOTATIONS_PER_LEVEL})",
    )


def _flag(value: str, name: str) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false", ""):
        raise BadInput(f"{name} must be true or false, not {value!r}")
    return text == "true"


def _names(value: str) -> list[str]:
    return [name for name in value.replace(",", " ").split() if name]


def _untrusted(text: str) -> None:
    """Print text that may hold anything a pull request wrote, with workflow commands switched off."""
    if not text:
        return
    token = secrets.token_hex(16)
    end = "" if text.endswith("\n") else "\n"
    output.write(f"::stop-commands::{token}\n{text}{end}::{token}::\n")


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def _write_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if target:
        _append(target, github.output_text(outputs))
    else:  # outside Actions: show them
        output.write("".join(f"{name}={value}\n" for name, value in outputs.items()))


def _write_summary(env: Mapping[str, str], text: str) -> None:
    if env.get("GITHUB_STEP_SUMMARY"):
        _append(env["GITHUB_STEP_SUMMARY"], text)


def _write_file(path: Path, text: str) -> None:
    # An output for the workflow (upload-artifact, code scanning), not a user's file: atomic, no journal.
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def _load_payload(path: Path) -> dict[str, Any]:
    # GitHub writes this file, not a user: plain json (strict_yaml's YAML pass would crawl on 25 MB).
    try:
        data = json.loads(bounded_read.read_file(path, _MAX_PAYLOAD, f"{path}: the event payload"))
    except FileNotFoundError:
        raise BadInput(f"{path}: no such event payload (is GITHUB_EVENT_PATH right?)") from None
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path}: cannot read the event payload: {exc}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path}: the event payload is not a JSON object")
    return data


def refs_tool(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    event, path = env.get("GITHUB_EVENT_NAME", ""), env.get("GITHUB_EVENT_PATH", "")
    if not event or not path:
        raise BadInput(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this in a GitHub Actions job"
        )
    refs = github.refs_from_event(
        event, _load_payload(Path(path)), base_override=args.base_ref.strip(), sha=env.get("GITHUB_SHA", "")
    )
    remote = github.check_ref(args.remote, "remote")
    base, head = github.ensure_commits(Repo.discover(), refs, remote)
    _write_outputs(env, {"base": base, "head": head})
    output.write_line(f"hookwright: {event}: verifying {base[:12]}..{head[:12]}")
    return EXIT_PASSED


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
        github.check_ref(args.base, "base"),
        "--to-ref",
        github.check_ref(args.head, "head"),
    ]
    argv += ["--format", "json", "--output", str(record), "--color", "never"]
    if args.config.strip():
        argv += ["--config", args.config.strip()]
    only = _names(args.checks)
    if untrusted:
        only = github.narrow_for_untrusted(only)
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
    _untrusted(result.out + result.err)
    if result.returncode in (EXIT_PASSED, EXIT_FAILED) and record.is_file():
        return publish(record, args, env, head=args.head)
    lines = [line for line in result.err.splitlines() if line.strip()]
    message = lines[-1] if lines else f"hookwright verify exited with {result.returncode}"
    output.write_line(github.Annotation("error", message, "hookwright").command())
    _write_summary(env, f"## 💥 hookwright could not verify\n\n{renderers.code_span(message)}\n\n")
    _write_outputs(env, {"status": "error", "record": "", "failed-checks": ""})
    return result.returncode or EXIT_FAILED


def publish(record_path: Path, args: argparse.Namespace, env: Mapping[str, str], head: str = "") -> int:
    if not 0 <= args.max_annotations <= github.ANNOTATIONS_PER_JOB:
        raise BadInput(f"--max-annotations must be between 0 and {github.ANNOTATIONS_PER_JOB}")
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
    link_base = github.blob_base(server, env.get("GITHUB_REPOSITORY", ""), sha)
    _untrusted(renderers.render(report, "text"))
    shown, omitted = github.select_annotations(report.all_findings(), args.max_annotations)
    output.write("".join(item.command() + "\n" for item in shown))
    _write_summary(env, github.summary(report, link_base=link_base, target=target, omitted=omitted))
    if args.sarif:
        _write_file(Path(args.sarif), renderers.render(report, "sarif"))
    failed = github.failed_checks(record, report)
    _write_outputs(
        env, {"status": report.outcome, "record": str(record_path), "failed-checks": ",".join(failed)}
    )
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


def publish_tool(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    return publish(Path(args.record), args, env, head=args.head)


_TOOLS: dict[str, Callable[[argparse.Namespace, Mapping[str, str]], int]] = {
    "refs": refs_tool,
    "run": run_tool,
    "publish": publish_tool,
}


def run_from_args(args: argparse.Namespace) -> int:
    return _TOOLS[args.tool](args, os.environ)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser("hookwright github", "The GitHub Action's steps: refs, run, publish.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
