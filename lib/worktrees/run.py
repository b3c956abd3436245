"""One worktree operation in progress: its steps survive a Ctrl-C into the record it reports."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright import config, reporting
from hookwright.git.repo import Repo
from hookwright.reporting import Finding, Report, StepResult
from hookwright.worktrees import health, ignored, state
from hookwright.worktrees import model as wt

if TYPE_CHECKING:
    import datetime as dt

PATTERN = "worktree_lifecycle"


@dataclass
class Run:
    """One operation in progress: what it has done so far survives a Ctrl-C into the record."""

    repo: Repo
    cfg: config.Config
    operation: str
    dry_run: bool = False
    instance_id: str | None = None
    started_at: dt.datetime = field(default_factory=reporting.utc_now)
    start: float = field(default_factory=time.monotonic)
    steps: list[StepResult] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Mapping[str, Any]:
        return self.cfg.section("worktree")

    def step(self, name: str, status: reporting.Status, started: float, **kwargs: Any) -> StepResult:
        result = StepResult(name, status, time.monotonic() - started, **kwargs)
        self.steps.append(result)
        return result

    def failing(self) -> list[str]:
        # The config's fail_on decides for checks; a failed or broken lifecycle step always fails.
        policy = {"failed", "error", *self.cfg.fail_on}
        return [s.name for s in self.steps if s.status in policy]

    def report(self, outcome: reporting.Outcome | None = None, findings: Sequence[Finding] = ()) -> Report:
        failing = bool(self.failing())
        return Report(
            pattern=PATTERN,
            run_id=reporting.new_run_id(PATTERN, self.started_at),
            started_at=self.started_at,
            duration=time.monotonic() - self.start,
            outcome=outcome or ("failed" if failing else "passed"),
            steps=tuple(self.steps),
            findings=tuple(findings),
            instance_id=self.instance_id,
            extra={"operation": self.operation, "dry_run": self.dry_run, **self.extra},
        )


def healths(
    run: Run, worktrees: Sequence[wt.Worktree] | None = None
) -> tuple[list[state.Health], str | None]:
    listed = wt.list_worktrees(run.repo) if worktrees is None else list(worktrees)
    default = health.default_branch(run.repo, run.settings.get("default_branch"))
    run.extra["default_branch"] = default
    disposable = run.settings.get("disposable", ignored.DISPOSABLE)
    return health.health(run.repo, listed, default, disposable=disposable), default


def user_path(options: Mapping[str, Any], value: str) -> Path:
    """A path as the user gave it: relative to where they ran the command (or to the instance's root)."""
    return Path(options.get("_base_dir") or ".") / value
