"""``hookwright refactor rename``: find every site -> refuse conflicts -> write -> verify -> keep or undo.

The whole rename is one FileTransaction: kept when it verifies, rolled back byte for byte otherwise.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from hookwright import reporting
from hookwright.edit_checks import DEFAULT_VERIFY, VerifyOptions
from hookwright.edit_report import report, step
from hookwright.edit_session import EditSession, changes
from hookwright.git import Repo
from hookwright.transactions import journal_dir


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
    from hookwright import rename  # libcst, lazily

    started, start = reporting.utc_now(), time.monotonic()
    repo = Repo.discover(root)
    plan = rename.plan(repo.root, python_files(repo), old, new, include_unsure=include_unsure)
    notes = tuple(
        reporting.Finding(s.path, s.line, s.column, f"unsure-{s.kind}", s.text, "warning", "analyze")
        for s in plan.unsure
    ) + tuple(
        reporting.Finding(path, None, None, "not-parsed", why, "warning", "analyze")
        for path, why in plan.skipped
    )
    steps = [step("analyze", start, findings=notes, files=plan.parsed)]
    extra: dict[str, Any] = {
        "operation": "rename",
        "rename": plan.record(include_unsure=include_unsure, dry_run=dry_run),
        "verification": verify.describe(0),
    }
    if dry_run:
        steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return report(started, start, steps, changes(plan.contents, plan.originals), extra, instance_id)
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
        step(
            "verify",
            since,
            "passed" if verdict.ok else "failed",
            findings=verdict.findings,
            reason=reason,
            files=len(plan.contents),
        )
    )
    changed = changes(plan.contents, plan.originals) if verdict.ok else {}
    return report(started, start, steps, changed, extra, instance_id)


def describe(report: reporting.Report) -> list[str]:
    info = report.extra["rename"]
    runs = report.extra["verification"]["runs"]
    verb = "would rename" if info["dry_run"] else "renamed" if report.outcome == "passed" else "rolled back"
    lines = [
        f"hookwright refactor: {verb} {info['old']} -> {info['new']}: {info['sites']} sites in "
        f"{len(info['files'])} files ({runs} verifier runs)"
    ]
    if info["unsure"] and not info["include_unsure"]:
        lines.append("unsure sites left alone (rename them too with --include-unsure):")
    return lines
