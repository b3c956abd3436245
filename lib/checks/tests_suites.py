"""The tests check's suites beside pytest: where jest runs, and one verdict from several frameworks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from hookwright.checks.base import CheckContext
from hookwright.reporting import Finding, Status, StepResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookwright.testing.reports import TestRun

# The verdict is the worst of the runs: a suite that failed or could not run is never hidden by
# another that passed (a pytest pass over an unrun jest suite was a false pass).
_RANK: dict[str, int] = {"skipped": 0, "passed": 1, "warning": 2, "failed": 3, "error": 4}


@contextlib.contextmanager
def suite_root(ctx: CheckContext, framework: str | None) -> Iterator[Path]:
    """Where a suite runs: the private copy, or for jest a throw-away one outside the git dir.

    jest skips every path with a ``.git`` part (and resolves a symlink first), and the slots live
    under ``.git/hookwright/``: it found no test at all. A temporary export is private to the run
    like a slot; only a jest run the cache does not answer pays for the whole copy, while file
    checks keep the slot and pytest and go run there as before.
    """
    export = ctx.target.export
    if framework != "jest" or export is None or ".git" not in export.root.resolve().parts:
        yield ctx.target.read_root
        return
    from hookwright.git import snapshot

    with snapshot.elsewhere(export) as copy:
        yield copy


def missing_jest(
    name: str, root: Path, frameworks: Sequence[str], folders: Sequence[str] = ("",)
) -> StepResult | None:
    """An error that says how to proceed when the tree has a jest suite and nothing can run it.

    ``npx --no-install jest`` then only said "npm error A complete log of this run ...".
    ``folders``: where the suites run; each finds jest in its own node_modules or one above it.
    """
    import shutil

    if shutil.which("jest"):
        return None
    unserved = [
        folder
        for folder in folders
        if not any((place / "node_modules" / ".bin" / "jest").exists() for place in _up_to(root, folder))
    ]
    if not unserved:
        return None
    where = "" if unserved == [""] else f" in {', '.join(f or '.' for f in unserved)}"
    message = (
        f"the tree has a jest suite but jest is not installed{where} (no node_modules/.bin/jest): "
        "run `npm install`"
    )
    if len(frameworks) > 1:
        other = next(f for f in frameworks if f != "jest")
        message += f", or set `checks.tests.framework: {other}` to run only the {other} tests"
    finding = Finding(None, None, None, "test-error", f"jest: {message}", "error", name)
    return StepResult(name, "error", 0.0, (finding,), reason=f"jest: {message}")


def _up_to(root: Path, folder: str) -> list[Path]:
    """``root/folder`` and each folder above it up to ``root``."""
    parts = folder.split("/") if folder else []
    return [root.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def combine(name: str, frameworks: Sequence[str], runs: Sequence[StepResult]) -> StepResult:
    """``runs[i]`` is the run of ``frameworks[i]``; their findings, files and times add up."""
    status: Status = max((run.status for run in runs), key=lambda s: _RANK.get(s, len(_RANK)))
    if status == "skipped":  # every suite skipped: the first one says why
        return runs[0]
    reasons = []
    for framework, run in zip(frameworks, runs, strict=True):
        reason = run.reason or run.status
        reasons.append(reason if reason.startswith(f"{framework}:") else f"{framework}: {reason}")
    return StepResult(
        name,
        status,
        sum(run.duration for run in runs),
        tuple(finding for run in runs for finding in run.findings),
        reason="; ".join(reasons),
        files=sum(run.files for run in runs),
    )


def suites_result(name: str, framework: str, folders: Sequence[str], runs: Sequence[TestRun]) -> StepResult:
    """One step from the runs of a framework's suites (``folders[i]``: where ``runs[i]`` ran)."""
    steps = []
    for folder, run in zip(folders, runs, strict=True):
        if run.timed_out or (not run.ok and not run.failures and run.returncode not in (0, 1)):
            status: Status = "error"
        else:
            status = "passed" if run.ok else "failed"
        label = f"{framework} in {folder}" if folder else framework
        counts = f"{run.passed} passed, {run.failed} failed, {run.errors} errors, {run.skipped} skipped"
        total = run.passed + run.failed + run.errors
        steps.append(
            StepResult(
                name,
                status,
                run.duration,
                tuple(run.findings(name)),
                reason=f"{label}: {counts}",
                files=total,
            )
        )
    if len(steps) == 1:
        return steps[0]
    return combine(name, [f"{framework} in {folder}" if folder else framework for folder in folders], steps)


def refused(name: str, reasons: Sequence[str]) -> StepResult:
    """An error for what makes the suite unrunnable or its pass unsound (a test script hookwright
    cannot run, inputs that match nothing): never a skip or a pass."""
    findings = tuple(Finding(None, None, None, "test-error", reason, "error", name) for reason in reasons)
    return StepResult(name, "error", 0.0, findings, reason="; ".join(reasons))
