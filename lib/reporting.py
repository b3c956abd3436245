"""The records every pattern produces: Finding, StepResult, Report, and the one verdict function.

A Report serialised is an *execution report*; for verify_commit it is the verification record. Every
pattern shares its common fields (schemas/common.schema.json#/$defs/report) and adds its own.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence

from hookwright import __version__
from hookwright.frozen import Frozen, Ordered

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, Literal

if TYPE_CHECKING:
    Severity = Literal["error", "warning", "note"]
    Status = Literal["passed", "failed", "error", "skipped", "warning"]
    Outcome = Literal["passed", "failed", "error"]
else:  # at run time they are strings; modules may still import the names
    Severity = Status = Outcome = str

SCHEMA_VERSION = "1"
PATTERNS = (
    "verify_commit",
    "self_heal",
    "worktree_lifecycle",
    "atomic_create",
    "batch_create",
    "module_creation",
    "refactor_patch",
)
OUTCOMES = ("passed", "failed", "error")
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")
STATUSES: tuple[Status, ...] = ("passed", "failed", "error", "skipped", "warning")
DEFAULT_FAIL_ON: tuple[Status, ...] = ("failed", "error")


class Finding(Ordered):
    """One problem at one place: the common currency of checks, parsers and renderers."""

    _fields = ("path", "line", "column", "code", "message", "severity", "step")
    __slots__ = _fields
    path: str | None
    line: int | None
    column: int | None
    code: str
    message: str
    severity: Severity
    step: str

    def __init__(
        self,
        path: str | None,
        line: int | None,
        column: int | None,
        code: str,
        message: str,
        severity: Severity = "error",
        step: str = "",
    ) -> None:
        self._fill(path, line, column, code, message, severity, step)

    def location(self) -> str:
        if self.path is None:
            return ""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            path=data.get("path"),
            line=data.get("line"),
            column=data.get("column"),
            code=data["code"],
            message=data["message"],
            severity=data.get("severity", "error"),
            step=data.get("step", ""),
        )


class StepResult(Frozen):
    """What one step (a check, a fix attempt, a worktree operation) did."""

    _fields = ("name", "status", "duration", "findings", "reason", "cached", "files", "saved")
    __slots__ = _fields
    name: str
    status: Status
    duration: float
    findings: tuple[Finding, ...]
    reason: str
    cached: bool
    files: int
    saved: float  # for a cached result: how long the run it replays took

    def __init__(
        self,
        name: str,
        status: Status,
        duration: float = 0.0,
        findings: tuple[Finding, ...] = (),
        reason: str = "",
        cached: bool = False,
        files: int = 0,
        saved: float = 0.0,
    ) -> None:
        self._fill(name, status, duration, findings, reason, cached, files, saved)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], findings: Sequence[Finding] = ()) -> StepResult:
        return cls(
            name=data["name"],
            status=data["status"],
            duration=data.get("duration_s", 0.0),
            findings=tuple(findings),
            reason=data.get("reason", ""),
            cached=data.get("cached", False),
            files=data.get("files", 0),
            saved=data.get("saved_s", 0.0),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "status": self.status,
            "duration_s": round(self.duration, 6),
            "cached": self.cached,
            "files": self.files,
            "findings": len(self.findings),
        }
        if self.reason:
            data["reason"] = self.reason
        if self.cached:
            data["saved_s"] = round(self.saved, 6)
        return data


def new_run_id(pattern: str, when: dt.datetime) -> str:
    return f"{when.strftime('%Y%m%dT%H%M%S%fZ')}-{pattern}-{os.urandom(3).hex()}"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def decide(steps: Sequence[StepResult], fail_on: Iterable[str] = DEFAULT_FAIL_ON) -> Outcome:
    """The verdict: failed when any step ends in a status the policy fails on."""
    failing = set(fail_on)
    return "failed" if any(step.status in failing for step in steps) else "passed"


class Report(Frozen):
    """An execution report: the common shape of every pattern's outputs plus its own fields."""

    _fields = (
        "pattern",
        "run_id",
        "started_at",
        "duration",
        "outcome",
        "steps",
        "findings",
        "files_created",
        "files_modified",
        "files_deleted",
        "instance_id",
        "extra",
    )
    __slots__ = _fields
    pattern: str
    run_id: str
    started_at: dt.datetime
    duration: float
    outcome: Outcome
    steps: tuple[StepResult, ...]
    findings: tuple[Finding, ...]
    files_created: tuple[str, ...]
    files_modified: tuple[str, ...]
    files_deleted: tuple[str, ...]
    instance_id: str | None
    extra: Mapping[str, Any]

    def __init__(
        self,
        pattern: str,
        run_id: str,
        started_at: dt.datetime,
        duration: float,
        outcome: Outcome,
        steps: tuple[StepResult, ...] = (),
        findings: tuple[Finding, ...] = (),
        files_created: tuple[str, ...] = (),
        files_modified: tuple[str, ...] = (),
        files_deleted: tuple[str, ...] = (),
        instance_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self._fill(
            pattern,
            run_id,
            started_at,
            duration,
            outcome,
            steps,
            findings,
            files_created,
            files_modified,
            files_deleted,
            instance_id,
            {} if extra is None else extra,
        )

    @property
    def failed_steps(self) -> list[str]:
        return [s.name for s in self.steps if s.status in ("failed", "error")]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "record_id": self.run_id,
            "pattern": self.pattern,
            "instance_id": self.instance_id,
            "tool": {"name": "hookwright", "version": __version__},
            "started_at": self.started_at.isoformat().replace("+00:00", "Z"),
            "duration_s": round(self.duration, 6),
            "outcome": self.outcome,
            "steps": [step.to_dict() for step in self.steps],
            "files": {
                "created": list(self.files_created),
                "modified": list(self.files_modified),
                "deleted": list(self.files_deleted),
            },
            "findings": [finding.to_dict() for finding in self.all_findings()],
        }
        data.update(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild a report from its record (findings go back to the step that produced them)."""
        common = {
            "schema_version",
            "record_id",
            "pattern",
            "instance_id",
            "tool",
            "started_at",
            "duration_s",
            "outcome",
            "steps",
            "files",
            "findings",
        }
        by_step: dict[str, list[Finding]] = {}
        loose: list[Finding] = []
        names = {step["name"] for step in data.get("steps", [])}
        for item in data.get("findings", []):
            finding = Finding.from_dict(item)
            (by_step.setdefault(finding.step, []) if finding.step in names else loose).append(finding)
        files = data.get("files", {})
        return cls(
            pattern=data["pattern"],
            run_id=data["record_id"],
            started_at=dt.datetime.fromisoformat(data["started_at"].replace("Z", "+00:00")),
            duration=data.get("duration_s", 0.0),
            outcome=data["outcome"],
            steps=tuple(StepResult.from_dict(s, by_step.get(s["name"], ())) for s in data.get("steps", [])),
            findings=tuple(loose),
            files_created=tuple(files.get("created", ())),
            files_modified=tuple(files.get("modified", ())),
            files_deleted=tuple(files.get("deleted", ())),
            instance_id=data.get("instance_id"),
            extra={k: v for k, v in data.items() if k not in common},
        )

    def all_findings(self) -> list[Finding]:
        found = list(self.findings)
        for step in self.steps:
            found.extend(step.findings)
        return found


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by place: the order annotations and summaries show them in."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(
        findings,
        key=lambda f: (rank.get(f.severity, 9), f.path or "", f.line or 0, f.column or 0, f.code),
    )


def finished(
    pattern: str,
    started_at: dt.datetime,
    start: float,
    steps: Sequence[StepResult],
    *,
    changed: Mapping[str, Sequence[str]] | None = None,
    extra: Mapping[str, Any] | None = None,
    outcome: Outcome | None = None,
    instance_id: str | None = None,
) -> Report:
    """The report of a run that began at ``started_at`` (``start`` on the monotonic clock)."""
    import time

    changed = changed or {}
    return Report(
        pattern=pattern,
        run_id=new_run_id(pattern, started_at),
        started_at=started_at,
        duration=time.monotonic() - start,
        outcome=outcome or decide(steps),
        steps=tuple(steps),
        files_created=tuple(changed.get("created", ())),
        files_modified=tuple(changed.get("modified", ())),
        files_deleted=tuple(changed.get("deleted", ())),
        instance_id=instance_id,
        extra=dict(extra or {}),
    )
