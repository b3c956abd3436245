"""``hookwright patch apply``: parse -> place every hunk exactly -> write -> verify -> keep what verifies.

One patch: hunks that break verification are found by delta debugging and left out (or nothing is
kept, with ``all_or_nothing``). A series (an mbox, or diffs that patch a file again): each patch on
what the ones before made, the longest prefix that applies and verifies kept (series_apply). Files
git would convert on the way in or out (line endings, filters) are refused before anything is
written (git_conversion). The index is never touched; the work tree only through FileTransaction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright import reporting
from hookwright.errors import BadInput
from hookwright.git import conversion as git_conversion
from hookwright.git.repo import Repo
from hookwright.refactor import hunk_apply, patch_series, patches, series_apply
from hookwright.refactor.edit_checks import DEFAULT_VERIFY, VerifyOptions
from hookwright.refactor.edit_report import report, step
from hookwright.refactor.edit_session import EditSession, changes, keep_what_verifies, read_originals
from hookwright.refactor.patch_series import SeriesPatch
from hookwright.transactions import journal_dir


def _selected(series: list[SeriesPatch], include: Sequence[str], exclude: Sequence[str]) -> list[SeriesPatch]:
    kept: list[SeriesPatch] = []
    for patch in series:
        files = patches.select(patch.files, include, exclude)
        if files:
            kept.append(SeriesPatch(len(kept) + 1, patch.title, tuple(files)))
    if not kept:
        raise BadInput("--include / --exclude leave no file of the patch to apply")
    return kept


@dataclass(frozen=True)
class _Run:
    """One ``patch apply``: what it reads, and the record it fills in."""

    repo: Repo
    series: list[SeriesPatch]
    originals: dict[str, bytes | None]
    verify: VerifyOptions
    extra: dict[str, Any]
    steps: list[reporting.StepResult]
    all_or_nothing: bool
    dry_run: bool
    source: str

    @property
    def label(self) -> str:
        return f"hookwright patch {self.source}"


def _failed(path: str | None, line: int | None, code: str, message: str) -> reporting.Finding:
    return reporting.Finding(path, line, None, code, message, step="apply")


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
    """Apply a unified diff or a series to the work tree: placed exactly, verified, bad parts left out."""
    started, start = reporting.utc_now(), time.monotonic()
    repo = Repo.discover(root)
    everything = patch_series.read(data, repo.root)
    series = _selected(everything, include, exclude)
    files = [file for patch in series for file in patch.files]
    paths = sorted({path for file in files for path in (file.old_path, file.new_path) if path})
    originals = read_originals(repo.root, paths)
    steps = [step("parse", start, files=len(files))]
    unstaged = sorted(set(paths) & repo.status().unstaged)
    chosen = {id(f) for f in files}
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
            "excluded": sorted({f.path for p in everything for f in p.files if id(f) not in chosen}),
        },
        "verification": verify.describe(0),
    }
    run = _Run(repo, series, originals, verify, extra, steps, all_or_nothing, dry_run, source)
    contents = _apply_series(run) if len(series) > 1 else _apply_one(run)
    return report(started, start, steps, changes(contents, originals), extra, instance_id)


def _conversion_findings(
    repo: Repo, originals: dict[str, bytes | None], states: Sequence[dict[str, bytes | None]]
) -> list[reporting.Finding]:
    versions = {path: [originals[path], *(state.get(path) for state in states)] for path in originals}
    refused = git_conversion.refusals(repo, versions)
    return [
        _failed(path, None, "git-converts", f"{why}, so git apply would write other bytes; not patched")
        for path, why in sorted(refused.items())
    ]


def _apply_one(run: _Run) -> dict[str, bytes | None]:
    files = list(run.series[0].files)
    since = time.monotonic()
    failures = hunk_apply.placement_failures(files, run.originals)
    findings = [_failed(f.path, f.line, "hunk-failed", f"hunk #{f.hunk.number} {f.reason}") for f in failures]
    units = hunk_apply.units_of(files)
    full = hunk_apply.build(files, run.originals, units, range(len(units))) if not failures else None
    if full is not None:
        findings = _conversion_findings(run.repo, run.originals, [full.contents])
    if full is None or findings:
        run.steps.append(
            step("apply", since, "failed", findings=tuple(findings), reason="nothing was changed")
        )
        return {}
    run.steps.append(step("apply", since, files=len(full.contents)))
    if run.dry_run:
        run.extra["patch"]["hunks"] = hunk_apply.rows(files, units, full, set())
        run.steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return full.contents

    since = time.monotonic()
    modes = hunk_apply.new_modes(files, run.repo.root)
    session = EditSession(
        run.repo.root, journal_dir(run.repo.state_dir), run.originals, run.verify, run.label
    )
    try:
        result, final, first = keep_what_verifies(
            session, files, units, modes, all_or_nothing=run.all_or_nothing
        )
    finally:
        session.close()
    rejected = set(result.rejected)
    run.extra["patch"]["hunks"] = hunk_apply.rows(files, units, full, rejected)
    run.extra["verification"] = run.verify.describe(session.runs, result.baseline_failed)
    findings = list(first.findings) if first else []
    for row in run.extra["patch"]["hunks"]:
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
    run.steps.append(
        step("verify", since, status, findings=tuple(findings), reason=reason, files=len(run.originals))
    )
    return final.contents


def _series_hunk_rows(
    series: list[SeriesPatch], placed: series_apply.Placed, kept: int
) -> list[dict[str, Any]]:
    rows = []
    for patch, built in zip(series, placed.built, strict=False):
        units = hunk_apply.units_of(patch.files)
        rejected = set() if patch.number <= kept else set(range(len(units)))
        for row in hunk_apply.rows(list(patch.files), units, built, rejected):
            rows.append(row | {"patch": patch.number})
    return rows


def _apply_series(run: _Run) -> dict[str, bytes | None]:
    since = time.monotonic()
    count = len(run.series)
    placed = series_apply.place(run.series, run.originals)
    findings = _conversion_findings(run.repo, run.originals, placed.states[1:])
    label = run.series[placed.applied].label(count) if placed.failures else ""
    findings += [
        _failed(f.path, f.line, "hunk-failed", f"{label}: hunk #{f.hunk.number} {f.reason}")
        for f in placed.failures
    ]
    converted = any(f.code == "git-converts" for f in findings)
    if placed.applied == 0 or converted or (placed.failures and run.all_or_nothing):
        run.extra["patch"]["series"] = series_apply.rows(
            run.series, series_apply.Placed([run.originals], []), None
        )
        run.steps.append(
            step("apply", since, "failed", findings=tuple(findings), reason="nothing was changed")
        )
        return {}
    run.steps.append(step("apply", since, "failed" if findings else "passed", findings=tuple(findings)))
    top = placed.states[placed.applied]
    if run.dry_run:
        run.extra["patch"]["series"] = series_apply.rows(run.series, placed, None)
        run.extra["patch"]["hunks"] = _series_hunk_rows(run.series, placed, placed.applied)
        run.steps.append(reporting.StepResult("verify", "skipped", reason="dry run"))
        return series_apply.changed(top, run.originals)

    since = time.monotonic()
    modes = series_apply.modes(run.series, run.repo.root)
    session = EditSession(
        run.repo.root, journal_dir(run.repo.state_dir), run.originals, run.verify, run.label
    )
    try:
        outcome = series_apply.keep_verified_prefix(session, placed, modes, all_or_nothing=run.all_or_nothing)
    finally:
        session.close()
    run.extra["patch"]["series"] = series_apply.rows(run.series, placed, outcome)
    run.extra["patch"]["hunks"] = _series_hunk_rows(run.series, placed, outcome.kept)
    run.extra["verification"] = run.verify.describe(session.runs, outcome.baseline_failed)
    notes = list(outcome.verdict.findings) if outcome.verdict else []
    if outcome.breaking is not None:
        bad = run.series[outcome.breaking - 1]
        pointed = series_apply.hinted_hunks(bad, placed, outcome.verdict)
        where = f" (the failure points at {', '.join(pointed)})" if pointed else ""
        after = placed.applied - outcome.breaking
        message = f"{bad.label(count)} breaks verification{where}; it and the {after} after it left out"
        notes.append(reporting.Finding(None, None, None, "patch-rejected", message, step="verify"))
    if outcome.baseline_failed:
        reason = "verification fails without the run.series too; nothing kept"
    else:
        reason = f"{session.runs} runs; kept {outcome.kept} of {count} patches"
    status: reporting.Status = "passed" if outcome.kept == count else "failed"
    run.steps.append(
        step("verify", since, status, findings=tuple(notes), reason=reason, files=len(run.originals))
    )
    return series_apply.changed(placed.states[outcome.kept], run.originals)


def describe(report: reporting.Report) -> list[str]:
    """The lines a user reads first: what was applied or refused, and the hunks left out."""
    info = report.extra["patch"]
    runs = f"({report.extra['verification']['runs']} verifier runs)"
    hunks = info["hunks"]
    applied = [h for h in hunks if h["status"] == "applied"]
    rejected = [h for h in hunks if h["status"] == "rejected"]
    if any(s.name == "apply" and s.reason == "nothing was changed" for s in report.steps):
        return ["hookwright patch: refused; nothing was changed"]
    if "series" in info:
        rows = info["series"]
        kept = sum(row["status"] in ("applied", "would apply") for row in rows)
        verb = "would apply" if info["dry_run"] else "kept" if kept < len(rows) else "applied"
        return [f"hookwright patch: {verb} {kept} of {len(rows)} patches ({len(applied)} hunks) {runs}"]
    if info["dry_run"]:
        return [f"would apply {len(hunks)} hunks to {len(info['files'])} files"]
    if rejected:
        lines = [f"hookwright patch: kept {len(applied)} hunks, left out {len(rejected)} {runs}"]
        return lines + [hunk["diff"].rstrip("\n") for hunk in rejected]
    return [f"hookwright patch: applied {len(applied)} hunks to {len(info['files'])} files {runs}"]
