"""refactor_patch: Analyze-Transform-Verify for a unified diff or a symbol rename.

patch:  parse -> place every hunk exactly -> write (one FileTransaction) -> verify -> if it fails, find
        the breaking hunks by delta debugging -> keep the hunks that verify (or nothing) -> record.
rename: find the definition and every site (libcst) -> refuse conflicts -> write -> verify -> keep all
        or roll back all -> record.
The index is never touched; what is written is the work tree, and only through FileTransaction.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hookwright import bounded_read, edit_checks, hunk_apply, output, patches, records, renderers, reporting
from hookwright.arguments import new_parser
from hookwright.edit_checks import VerifyOptions
from hookwright.edit_session import EditSession, changes, keep_what_verifies, read_originals
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.git import Repo
from hookwright.transactions import journal_dir, resolve_inside

PATTERN = "refactor_patch"
DEFAULT_TIMEOUT = 900.0
DEFAULT_VERIFY = VerifyOptions()  # syntax and ruff's F rules, no command


# -- command line -------------------------------------------------------------------------------------


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
    apply = actions.add_parser("apply", help="apply a unified diff hunk by hunk, verified")
    apply.add_argument("patch", metavar="PATCH", help="the diff file ('-': standard input)")
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
        "--include-unsure", action="store_true", help="also rename getattr / string / star-import uses"
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
        dry_run=args.dry_run,
    )


def _options(args: argparse.Namespace) -> VerifyOptions:
    return VerifyOptions(edit_checks.parse_command(args.verify_cmd), args.verify_timeout, not args.no_ruff)


# -- reports -------------------------------------------------------------------------------------------


def _report(
    started: dt.datetime,
    start: float,
    steps: Sequence[reporting.StepResult],
    changed: Mapping[str, list[str]],
    extra: dict[str, Any],
    instance_id: str | None,
) -> reporting.Report:
    return reporting.finished(
        PATTERN, started, start, steps, changed=changed, extra=extra, instance_id=instance_id
    )


def _step(
    name: str, since: float, status: reporting.Status = "passed", **fields: Any
) -> reporting.StepResult:
    return reporting.StepResult(name, status, time.monotonic() - since, **fields)


# -- patch ---------------------------------------------------------------------------------------------


def apply_patch(
    root: Path,
    data: bytes,
    *,
    source: str = "<patch>",
    verify: VerifyOptions = DEFAULT_VERIFY,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    all_or_nothing: bool = False,
    dry_run: bool = False,
    instance_id: str | None = None,
) -> reporting.Report:
    """Apply a unified diff to the work tree: every hunk placed exactly, verified, bad hunks left out."""
    started, start = reporting.utc_now(), time.monotonic()
    repo = Repo.discover(root)
    parsed = patches.parse(data, repo.root)
    files = patches.select(parsed, include, exclude)
    if not files:
        raise BadInput("--include / --exclude leave no file of the patch to apply")
    paths = sorted({path for file in files for path in (file.old_path, file.new_path) if path})
    originals = read_originals(repo.root, paths)
    steps = [_step("parse", start, files=len(files))]
    unstaged = sorted(set(paths) & repo.status().unstaged)
    extra: dict[str, Any] = {
        "operation": "patch",
        "patch": {
            "source": source,
            "all_or_nothing": all_or_nothing,
            "dry_run": dry_run,
            "files": [
                {"path": f.path, "old_path": f.old_path, "status": f.status, "hunks": len(f.hunks)}
                for f in files
            ],
            "hunks": [],
            "unstaged": unstaged,
            "excluded": sorted(f.path for f in parsed if f not in files),
        },
        "verification": verify.describe(0),
    }
    since = time.monotonic()
    failures = hunk_apply.placement_failures(files, originals)
    if failures:
        findings = tuple(
            reporting.Finding(
                f.path, f.line, None, "hunk-failed", f"hunk #{f.hunk.number} {f.reason}", step="apply"
            )
            for f in failures
        )
        steps.append(_step("apply", since, "failed", findings=findings, reason="nothing was changed"))
        return _report(started, start, steps, {}, extra, instance_id)
    units = hunk_apply.units_of(files)
    everything = frozenset(range(len(units)))
    full = hunk_apply.build(files, originals, units, everything)
    steps.append(_step("apply", since, files=len(full.contents)))
    if dry_run:
        extra["patch"]["hunks"] = hunk_apply.rows(files, units, full, set())
        steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return _report(started, start, steps, changes(full.contents, originals), extra, instance_id)

    since = time.monotonic()
    modes = hunk_apply.new_modes(files, repo.root)
    session = EditSession(
        repo.root, journal_dir(repo.state_dir), originals, verify, f"hookwright patch {source}"
    )
    try:
        result, final, first = keep_what_verifies(session, files, units, modes, all_or_nothing=all_or_nothing)
    finally:
        session.close()
    rejected = set(result.rejected)
    extra["patch"]["hunks"] = hunk_apply.rows(files, units, full, rejected)
    extra["verification"] = verify.describe(session.runs, result.baseline_failed)
    findings = list(first.findings) if first else []
    for row in extra["patch"]["hunks"]:
        if row["status"] == "rejected":
            message = f"hunk #{row['number']} breaks verification; left out"
            findings.append(
                reporting.Finding(row["path"], row["line"], None, "hunk-rejected", message, step="verify")
            )
    if result.baseline_failed:
        reason = "verification fails without the patch too; nothing kept"
    else:
        reason = f"{session.runs} runs; {len(rejected)} of {len(units)} changes left out"
    status: reporting.Status = "failed" if rejected else "passed"
    steps.append(_step("verify", since, status, findings=tuple(findings), reason=reason, files=len(paths)))
    return _report(started, start, steps, changes(final.contents, originals), extra, instance_id)


# -- rename --------------------------------------------------------------------------------------------


def _python_files(repo: Repo) -> list[str]:
    listed = repo.check("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    names = [p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p]
    return sorted(
        {
            n
            for n in names
            if n.endswith((".py", ".pyi")) and (repo.root / n).is_file() and not (repo.root / n).is_symlink()
        }
    )


def rename_symbol(
    root: Path,
    old: str,
    new: str,
    *,
    include_unsure: bool = False,
    verify: VerifyOptions = DEFAULT_VERIFY,
    dry_run: bool = False,
    instance_id: str | None = None,
) -> reporting.Report:
    """Rename ``old`` (a dotted qualified name) to ``new`` everywhere it is meant; verified or undone."""
    from hookwright import rename

    started, start = reporting.utc_now(), time.monotonic()
    repo = Repo.discover(root)
    plan = rename.plan(repo.root, _python_files(repo), old, new, include_unsure=include_unsure)
    notes = tuple(
        reporting.Finding(s.path, s.line, s.column, f"unsure-{s.kind}", s.text, "warning", "analyze")
        for s in plan.unsure
    ) + tuple(
        reporting.Finding(path, None, None, "not-parsed", why, "warning", "analyze")
        for path, why in plan.skipped
    )
    steps = [_step("analyze", start, findings=notes, files=plan.parsed)]
    extra: dict[str, Any] = {
        "operation": "rename",
        "rename": plan.record(include_unsure=include_unsure, dry_run=dry_run),
        "verification": verify.describe(0),
    }
    if dry_run:
        steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return _report(started, start, steps, changes(plan.contents, plan.originals), extra, instance_id)
    since = time.monotonic()
    session = EditSession(
        repo.root,
        journal_dir(repo.state_dir),
        dict(plan.originals),
        verify,
        f"hookwright rename {old}",
    )
    try:
        verdict = session.trial(plan.contents, hold=True)
        if verdict.ok:
            session.keep(plan.contents)
    finally:
        session.close()
    extra["verification"] = verify.describe(session.runs)
    reason = "kept" if verdict.ok else "rolled back: the renamed code does not verify"
    steps.append(
        _step(
            "verify",
            since,
            "passed" if verdict.ok else "failed",
            findings=verdict.findings,
            reason=reason,
            files=len(plan.contents),
        )
    )
    changed = changes(plan.contents, plan.originals) if verdict.ok else {}
    return _report(started, start, steps, changed, extra, instance_id)


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
    """The text a user reads: one line on success, the refused or rejected hunks and why otherwise."""
    extra = report.extra
    runs = extra["verification"]["runs"]
    lines: list[str] = []
    if extra["operation"] == "patch":
        hunks = extra["patch"]["hunks"]
        applied = [h for h in hunks if h["status"] == "applied"]
        rejected = [h for h in hunks if h["status"] == "rejected"]
        verified = f"({runs} verifier runs)"
        if extra["patch"]["dry_run"]:
            lines.append(f"would apply {len(hunks)} hunks to {len(extra['patch']['files'])} files")
        elif not hunks and report.outcome != "passed":
            lines.append("hookwright patch: refused; nothing was changed")
        elif rejected:
            lines.append(f"hookwright patch: kept {len(applied)} hunks, left out {len(rejected)} {verified}")
        else:
            count = len(extra["patch"]["files"])
            lines.append(f"hookwright patch: applied {len(applied)} hunks to {count} files {verified}")
        for hunk in rejected:
            lines.append(hunk["diff"].rstrip("\n"))
    else:
        info = extra["rename"]
        verb = (
            "would rename" if info["dry_run"] else "renamed" if report.outcome == "passed" else "rolled back"
        )
        lines.append(
            f"hookwright refactor: {verb} {info['old']} -> {info['new']}: {info['sites']} sites in "
            f"{len(info['files'])} files ({runs} verifier runs)"
        )
        if info["unsure"] and not info["include_unsure"]:
            lines.append("unsure sites left alone (rename them too with --include-unsure):")
    for finding in reporting.sort_findings(report.all_findings()):
        lines.append(f"  {renderers.finding_line(finding)}")
    return "\n".join(lines) + "\n"


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser("hookwright-refactor-patch", "Apply a unified diff or rename a symbol, verified.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
