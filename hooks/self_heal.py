"""self_heal: Error-Detect-Fix-Validate. Parse errors, pick fix rules, apply, prove, roll back, escalate.

Front doors: ``hookwright-self-heal [FILES]`` (pre-commit), ``hookwright heal -- COMMAND``,
``hookwright heal --from-log FILE`` and ``hookwright heal --list-rules``.

What it writes (it is a fixer: changing files is its job), always through a FileTransaction whose
journal lives under the git common dir, so ``hookwright recover`` can undo an interrupted run:

* a file whose work-tree bytes equal its staged bytes (always the case under pre-commit, which
  stashes unstaged changes first), or a file git does not track: the fixed work-tree file. The index
  is not touched; like every pre-commit fixer it exits 1 and the user stages the fix.
* a partially staged file (run as a plain git hook or by hand, with unstaged edits): the staged
  content is what gets fixed; the fix is merged into the work tree with ``git merge-file`` (so the
  unstaged hunks stay as they are, and still unstaged) and the fixed staged content is written to
  the index (``hash-object`` + ``update-index --cacheinfo``) so ``git add`` is not needed for it.
  When the fix overlaps an unstaged hunk nothing is written and the error is reported instead.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import bounded_read, config, output, records, reporting
from hookwright.arguments import new_parser
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, GitError, entry_point
from hookwright.git.repo import Repo
from hookwright.heal import rules as error_rules
from hookwright.heal.session import Session, heal_command, heal_files, heal_log

PATTERN = "self_heal"
MAX_LOG_BYTES = 32 * 1024 * 1024  # errors to fix, not a week of CI output: `tail -c` the part that failed


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    parser.add_argument("--max-attempts", type=int, help="rounds of fix and re-validate (default: config, 3)")
    parser.add_argument(
        "--backoff", type=float, help="seconds before re-running a command, doubled each round"
    )
    parser.add_argument("--timeout", type=float, help="seconds a command may run (default: config, 300)")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="show the fixes without writing them (a command still runs once, for its errors)",
    )
    parser.add_argument("--format", "-f", choices=("text", "json"), default="text")
    parser.add_argument("--list-rules", action="store_true", help="print the effective fix-rule registry")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``hookwright heal``: a command after ``--``, or ``--from-log``, or ``--list-rules``."""
    _common_options(parser)
    parser.add_argument(
        "--from-log", metavar="FILE", help="parse a saved log (any tool's output) and fix from it"
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]: run it, fix, re-run")


def _settings(cfg: config.Config, overrides: Mapping[str, Any]) -> dict[str, Any]:
    settings = dict(cfg.section("self_heal"))
    settings.update({k: v for k, v in overrides.items() if v is not None})
    if int(settings["max_attempts"]) < 1:
        raise BadInput("--max-attempts must be at least 1")
    if float(settings["backoff_s"]) < 0 or float(settings["timeout"]) <= 0:
        raise BadInput("--backoff must be >= 0 and --timeout > 0")
    return settings


# -- report ------------------------------------------------------------------------------------------


def build_report(
    session: Session, mode: str, extra: Mapping[str, Any], passed: bool | None = None
) -> reporting.Report:
    steps = []
    fixed, remaining, attempts, seen = [], [], [], []
    for path, result in session.results.items():
        fixed += result.fixed
        remaining += result.remaining
        attempts += result.attempts
        seen += result.seen
        status: reporting.Status = "failed" if result.remaining else "passed"
        findings = tuple(d.to_finding(f"heal {path}") for d in result.remaining)
        steps.append(reporting.StepResult(f"heal {path}", status, files=1, findings=findings))
    remaining += session.unplaced
    ok = not remaining if passed is None else passed
    return reporting.Report(
        pattern=PATTERN,
        run_id=reporting.new_run_id(PATTERN, session.started_at),
        started_at=session.started_at,
        duration=time.monotonic() - session.start,
        outcome="passed" if ok else "failed",
        steps=tuple(steps),
        findings=tuple(d.to_finding("unplaced") for d in session.unplaced),
        files_modified=tuple(session.modified),
        instance_id=extra.get("instance_id"),
        extra={
            "mode": mode,
            "command": extra.get("command"),
            "log": extra.get("log"),
            "dry_run": bool(extra.get("dry_run")),
            "max_attempts": session.max_attempts,
            "rounds": max((r.rounds for r in session.results.values()), default=0),
            "rules": {"count": len(session.registry.rules), "disabled": list(session.registry.disabled)},
            "diagnostics": [d.to_dict() for d in dict.fromkeys(seen + session.unplaced)],
            "attempts": [a.to_dict() for a in attempts],
            "fixed": [d.to_dict() for d in fixed],
            "remaining": [d.to_dict() for d in remaining],
        },
    )


def escalation(report: reporting.Report) -> str:
    """What was fixed, what was tried, what is left: one ``path:line:col: message`` line each."""
    data = report.to_dict()
    lines = []
    for item in data["fixed"]:
        lines.append(f"{_where(item)}: fixed {item['error_type']}: {item['message']}")
    tried: dict[tuple[Any, ...], list[str]] = {}
    for attempt in data["attempts"]:
        if attempt["result"] != "fixed" and attempt["rule"]:
            key = (attempt["path"], attempt["error_type"], attempt["message"])
            tried.setdefault(key, []).append(f"{attempt['rule']} {attempt['result']}")
    for item in data["remaining"]:
        rules = tried.get((item["path"], item["error_type"], item["message"]), [])
        note = f" (tried: {', '.join(dict.fromkeys(rules))})" if rules else " (no fix rule applies)"
        lines.append(f"{_where(item)}: {item['error_type']}: {item['message']}{note}")
    return "".join(line + "\n" for line in lines)


def _where(item: Mapping[str, Any]) -> str:
    return f"{item['path'] or '<unknown>'}:{item['line'] or 1}:{item['column'] or 1}"


# -- entry points ------------------------------------------------------------------------------------


def _discover(root: Path | None) -> Repo:
    return Repo.discover(root or Path.cwd())


def _session(repo: Repo, config_file: str | None, overrides: Mapping[str, Any]) -> Session:
    cfg = config.load(repo.root, config_file, repo.state_dir / "cache")
    settings = _settings(cfg, overrides)
    registry = error_rules.load(repo.root, settings)
    return Session(repo, settings, registry)


def execute(
    repo: Repo,
    inputs: Mapping[str, Any],
    *,
    dry_run: bool = False,
    cwd: Path | None = None,
    instance_id: str | None = None,
) -> tuple[reporting.Report, list[str]]:
    """The one flow behind the CLI and run_instance (``inputs`` as in schemas/self_heal.schema.json):
    the report, and the unified diff of every file it fixed."""
    overrides = {k: inputs.get(k) for k in ("max_attempts", "backoff_s", "timeout", "rules", "disable")}
    session = _session(repo, inputs.get("config"), overrides)
    where = cwd or repo.root
    extra: dict[str, Any] = {"dry_run": dry_run, "instance_id": instance_id}
    passed: bool | None = None
    if "command" in inputs:
        extra["command"] = list(inputs["command"])
        passed = heal_command(session, inputs["command"], dry_run, where)
        mode = "command"
    elif "log" in inputs:
        log_path = Path(inputs["log"]) if Path(inputs["log"]).is_absolute() else where / inputs["log"]
        raw = bounded_read.read_file(log_path, MAX_LOG_BYTES, f"the log {inputs['log']}")
        text = raw.decode("utf-8", "replace")
        extra["log"] = str(inputs["log"])
        heal_log(session, text, dry_run, where, str(inputs["log"]))
        mode = "log"
    else:
        heal_files(session, inputs.get("files", []), dry_run)
        mode = "files"
    return build_report(session, mode, extra, passed), session.diffs


def _record(repo: Repo, report: reporting.Report) -> Path | None:
    return records.write(records.records_dir(repo.state_dir), report.to_dict())


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = _discover(root)
    report, _ = execute(repo, inputs, dry_run=dry_run, instance_id=inputs.get("_instance_id"))
    if not dry_run:
        _record(repo, report)
    return report


def _list_rules(args: argparse.Namespace) -> int:
    try:
        repo = _discover(None)
        root, cfg = repo.root, config.load(repo.root, args.config, repo.state_dir / "cache")
    except GitError:
        root = Path.cwd()
        cfg = config.load(root, args.config)
    registry = error_rules.load(root, _settings(cfg, {}))
    output.write(error_rules.describe(registry, args.format))
    return EXIT_PASSED


def _files_of_a_range() -> bool:
    """pre-commit passes the files changed between two refs (pre-push, ``run --from-ref``): a fix written
    there reaches no commit being made and edits files nobody is committing."""
    return bool(os.environ.get("PRE_COMMIT_FROM_REF") and os.environ.get("PRE_COMMIT_TO_REF"))


def run_from_args(args: argparse.Namespace) -> int:
    if args.list_rules:
        return _list_rules(args)
    inputs: dict[str, Any] = {
        "config": args.config,
        "max_attempts": args.max_attempts,
        "backoff_s": args.backoff,
        "timeout": args.timeout,
    }
    command = list(getattr(args, "command", []) or [])
    if command[:1] == ["--"]:
        command = command[1:]
    from_log = getattr(args, "from_log", None)
    if hasattr(args, "filenames"):
        inputs["files"] = args.filenames
        if _files_of_a_range() and not args.dry_run:
            output.write_line(
                "hookwright self-heal: these files come from a range of commits (pre-push, --from-ref),"
                " not from what is being committed: nothing is written; run hookwright-self-heal FILE"
                " to fix them",
                sys.stderr,
            )
            args.dry_run = True
    elif from_log and command:
        raise BadInput("give either --from-log FILE or -- COMMAND, not both")
    elif from_log:
        inputs["log"] = from_log
    elif command:
        inputs["command"] = command
    else:
        raise BadInput("nothing to heal: give -- COMMAND [ARGS], --from-log FILE or --list-rules")
    repo = _discover(None)
    report, diffs = execute(repo, inputs, dry_run=args.dry_run, cwd=Path.cwd())
    if not args.dry_run:
        _record(repo, report)
    if args.format == "json":
        output.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        output.write("".join(diffs))
        output.write(escalation(report))
    changed = bool(report.files_modified) or (args.dry_run and bool(diffs))
    if report.extra["mode"] == "files":
        return EXIT_FAILED if changed or report.outcome != "passed" else EXIT_PASSED
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser(
        "hookwright-self-heal",
        "Fix missing imports, indentation and syntax slips in staged Python files; exit 1 if it changed any.",
    )
    _common_options(parser)
    parser.add_argument("filenames", nargs="*", help="files to heal (pre-commit passes the staged ones)")
    args = parser.parse_args(argv)
    return run_from_args(args)


if __name__ == "__main__":
    raise SystemExit(main())
