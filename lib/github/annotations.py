"""Findings as workflow-command annotations, escaped, and chosen within GitHub's limits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hookwright.reporting import Finding, sort_findings

# GitHub shows at most 10 error and 10 warning annotations per step and 50 per job; the rest are
# dropped silently (actions/toolkit docs/problem-matchers.md "Limitations", actions/toolkit#734).
# So we choose which ones it shows: the most severe first, notices held to the same cap.
ANNOTATIONS_PER_LEVEL = 10
ANNOTATIONS_PER_JOB = 50
_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    """Workflow-command message: a newline would end the command and start a forged one."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Annotation:
    level: str  # error | warning | notice
    message: str
    title: str = ""
    file: str | None = None
    line: int | None = None
    col: int | None = None

    def command(self) -> str:
        props = [("file", self.file), ("line", self.line), ("col", self.col), ("title", self.title)]
        text = ",".join(f"{key}={escape_property(str(value))}" for key, value in props if value)
        return f"::{self.level}{' ' + text if text else ''}::{escape_data(self.message)}"


def annotation(finding: Finding) -> Annotation:
    title = f"{finding.code} ({finding.step})" if finding.step else finding.code
    line = finding.line if finding.path else None
    return Annotation(
        _LEVEL.get(finding.severity, "warning"),
        finding.message or finding.code,
        title,
        finding.path,
        line,
        finding.column if line else None,
    )


def select_annotations(
    findings: Iterable[Finding], per_level: int = ANNOTATIONS_PER_LEVEL
) -> tuple[list[Annotation], int]:
    """The annotations GitHub will show, most severe first; and how many findings are left out."""
    chosen: list[Annotation] = []
    counts: dict[str, int] = {}
    omitted = 0
    for finding in sort_findings(findings):
        item = annotation(finding)
        if counts.get(item.level, 0) >= per_level or len(chosen) >= ANNOTATIONS_PER_JOB:
            omitted += 1
            continue
        counts[item.level] = counts.get(item.level, 0) + 1
        chosen.append(item)
    return chosen, omitted
