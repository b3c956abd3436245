"""``hookwright refactor rename``: find every site -> refuse conflicts -> write -> verify -> keep or undo.

The whole rename is one FileTransaction: kept when it verifies, rolled back byte for byte otherwise.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright import reporting
from hookwright.git.repo import Repo
from hookwright.refactor.edit_checks import DEFAULT_VERIFY, VerifyOptions
from hookwright.refactor.edit_report import report, step
from hookwright.refactor.edit_session import EditSession, changes
from hookwright.testing import frameworks
from hookwright.transactions import journal_dir

if TYPE_CHECKING:
    from hookwright.refactor.rename import Plan
    from hookwright.refactor.rename_sites import Site


def python_files(repo: Repo) -> list[str]:
    """Tracked and untracked-but-not-ignored Python files and stubs (no symlinks)."""
    listed = repo.check("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    names = [p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p]
    return sorted(
        {
            n
            for n in names
            if n.endswith((".py", ".pyi")) and (repo.root / n).is_file() and not (repo.root / n).is_symlink()
        }
    )


_WHY = {
    "getattr": "looked up by a string at run time: {text}",
    "string": "a string that may name it: {text}",
    "star-import": "the name arrives through `import *`, so it may be this one",
}
TESTS = ("-B", "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider")  # -B: no .pyc left in the tree


def _unsure_reason(site: Site) -> str:
    return _WHY.get(site.kind, "{text}").format(text=site.text or "its type is not known here")


def _verification(root: Path, verify: VerifyOptions, no_verify: bool) -> tuple[VerifyOptions, str]:
    """The command that proves the rename, and how it was chosen: command, tests, none, or skipped."""
    if verify.command is not None:
        return verify, "command"
    if no_verify:
        return verify, "skipped"
    if frameworks.detect_framework(root) == "pytest":
        return replace(verify, command=(sys.executable, *TESTS)), "tests"
    return verify, "none"


def _unverifiable(old: str, plan: Plan, how: str) -> tuple[reporting.Finding, ...]:
    """Refuse, before anything is written, a rename that the tests chosen to verify it cannot verify."""
    from hookwright.refactor.rename_callers import unverifiable
    from hookwright.refactor.symbol_index import RenameRefused

    package, _, _ = old.partition(".")
    found = unverifiable(package, old.rsplit(".", 1)[-1], plan.member)
    if found is None:
        return ()
    why, certain = found
    if certain and how == "tests":
        raise RenameRefused(
            f"cannot rename {old}: {why}; give --verify-cmd with a check that does not run pytest,"
            " or --no-verify to rename it unverified"
        )
    at = plan.definition
    return (reporting.Finding(at.path, at.line, at.column, "unverifiable", why, "warning", "analyze"),)


def rename_symbol(
    root: Path,
    old: str,
    new: str,
    *,
    include_unsure: bool = False,
    verify: VerifyOptions = DEFAULT_VERIFY,
    no_verify: bool = False,
    dry_run: bool = False,
    instance_id: str | None = None,
) -> reporting.Report:
    """Rename ``old`` (a dotted qualified name) to ``new`` everywhere it is meant; verified or undone.

    Verified by ``verify``'s command, else by the project's pytest suite when there is one; with
    neither the rename is kept (it compiles, ruff's F rules pass) but fails as *not verified*,
    unless ``no_verify`` says that is what the user wants.
    """
    from hookwright.refactor import rename  # libcst, lazily
    from hookwright.refactor.unparsed_importers import refuse_unparsed_importers

    started, start = reporting.utc_now(), time.monotonic()
    repo = Repo.discover(root)
    plan = rename.plan(repo.root, python_files(repo), old, new, include_unsure=include_unsure)
    notes = tuple(
        reporting.Finding(
            s.path, s.line, s.column, f"unsure-{s.kind}", _unsure_reason(s), "warning", "analyze"
        )
        for s in plan.unsure
    ) + tuple(
        reporting.Finding(path, None, None, "not-parsed", why, "warning", "analyze")
        for path, why in plan.skipped
    )
    verify, how = _verification(repo.root, verify, no_verify)
    if not dry_run and how in ("skipped", "none"):
        # A file importing the package that no one can read may hold sites the rename misses; a
        # verifier judges the result (an unreadable example script under docs/ is no reason to
        # refuse), but with none nothing would notice.
        refuse_unparsed_importers(repo.root, old, plan.skipped)
    verify = replace(verify, renamed=(old.rsplit(".", 1)[-1], new))
    notes += _unverifiable(old, plan, how)
    steps = [step("analyze", start, findings=notes, files=plan.parsed)]
    extra: dict[str, Any] = {
        "operation": "rename",
        "rename": plan.record(include_unsure=include_unsure, dry_run=dry_run) | {"verified_by": how},
        "verification": verify.describe(0),
    }
    if dry_run:
        steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return report(started, start, steps, changes(plan.contents, plan.originals), extra, instance_id)
    since = time.monotonic()
    session = EditSession(
        repo.root, journal_dir(repo.state_dir), dict(plan.originals), verify, f"hookwright rename {old}"
    )
    try:
        verdict = session.trial(plan.contents, hold=True)
        if verdict.ok:
            session.keep(plan.contents)
        elif verdict.command_ran and session.trial({}).ok is False:
            how = "baseline fails"  # the tests fail without the rename too: they prove nothing
    finally:
        session.close()
    ran = session.runs if verify.command is not None else 0  # a compile-and-ruff trial runs no verifier
    extra["verification"] = verify.describe(ran, how == "baseline fails")
    extra["rename"]["verified_by"] = how
    if not verdict.ok:
        reason = "rolled back: the renamed code does not verify"
        if how == "baseline fails":
            reason = "rolled back: the verify command fails without the rename too, so it proves nothing"
    else:
        reason = "kept"
    status: reporting.Status = "passed" if verdict.ok else "failed"
    steps.append(
        step("verify", since, status, findings=verdict.findings, reason=reason, files=len(plan.contents))
    )
    if verdict.ok and how == "none":
        steps.append(
            reporting.StepResult(
                "tests",
                "failed",
                0.0,
                reason="not verified: no --verify-cmd and no tests found; the rename is kept (it compiles and"
                " ruff's F rules pass): give --verify-cmd, or --no-verify to accept it as it is",
            )
        )
    changed = changes(plan.contents, plan.originals) if verdict.ok else {}
    return report(started, start, steps, changed, extra, instance_id)


def describe(report: reporting.Report) -> list[str]:
    info = report.extra["rename"]
    if info["dry_run"]:
        verb = "would rename"
    elif report.outcome == "passed":
        verb = "renamed"
    elif info["verified_by"] == "none" and "tests" in report.failed_steps:
        verb = "renamed (NOT verified)"
    else:
        verb = "rolled back"
    unsure = len(info["unsure"])
    taken = f", {unsure} unsure included" if info["include_unsure"] and unsure else ""
    lines = [
        f"hookwright refactor: {verb} {info['old']} -> {info['new']}: {info['sites']} sites{taken} on"
        f" {info['lines']} lines in {len(info['files'])} files ({_runs(report)})"
    ]
    if info["other_type"]:
        lines.append(f"left alone: {info['other_type']} sites of objects the code says are of another type")
    for step_result in report.steps:
        if step_result.status == "failed" and step_result.reason:
            lines.append(step_result.reason)
    if unsure and not info["include_unsure"]:
        lines.append(f"{unsure} unsure sites left alone (rename them too with --include-unsure):")
    return lines


def _runs(report: reporting.Report) -> str:
    """What proved the rename: the verify command's runs, or that none ran (the edit session also
    counts its compile-and-ruff trial, which is no verifier run)."""
    verification = report.extra["verification"]
    if verification["command"] is None:
        skipped = report.extra["rename"]["verified_by"] == "skipped"
        return "no verifier run: --no-verify" if skipped else "no verifier run"
    runs = verification["runs"]
    return f"{runs} verifier run{'' if runs == 1 else 's'}"
