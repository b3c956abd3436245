"""The record of a refactor_patch run: timed steps and the finished report, shared by both flows."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from typing import Any

from hookwright import reporting

PATTERN = "refactor_patch"


def step(name: str, since: float, status: reporting.Status = "passed", **fields: Any) -> reporting.StepResult:
    """A step that started at ``since`` (time.monotonic) and ends now."""
    return reporting.StepResult(name, status, time.monotonic() - since, **fields)


def report(
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
