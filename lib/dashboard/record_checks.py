"""Is a record readable by the metrics? Cheap checks of the fields they read, and the full schema.

``read_problem`` checks exactly the fields lib/dashboard/metrics.py reads (a few microseconds a record);
``schema_problem`` runs the pattern's full JSON Schema through hookwright.validation (~1.4 ms a record,
measured in benchmarks/dashboard), so callers decide when that cost is worth paying.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hookwright.reporting import OUTCOMES, PATTERNS, SCHEMA_VERSION, SEVERITIES, STATUSES


@dataclass(frozen=True)
class Source:
    """One record as read from disk: its data, or why there is none (``truncated`` / ``invalid``)."""

    name: str
    data: Any = None
    kind: str = ""
    message: str = ""


def _number(value: object) -> bool:
    return type(value) in (int, float) and 0 <= value < math.inf  # type: ignore[operator]


def parse_time(value: str) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


def read_problem(record: Mapping[str, Any]) -> str | None:
    """The first field the aggregates read that is missing or of the wrong kind, as ``/pointer: why``."""
    checks: list[tuple[str, bool]] = [
        ("/pattern", record.get("pattern") in PATTERNS),
        ("/record_id", isinstance(record.get("record_id"), str)),
        (
            "/started_at",
            isinstance(record.get("started_at"), str) and parse_time(record["started_at"]) is not None,
        ),
        ("/duration_s", _number(record.get("duration_s"))),
        ("/outcome", record.get("outcome") in OUTCOMES),
        ("/steps", isinstance(record.get("steps"), list)),
        ("/findings", isinstance(record.get("findings"), list)),
    ]
    for pointer, ok in checks:
        if not ok:
            return f"{pointer}: missing or not valid"
    for index, step in enumerate(record["steps"]):
        if not (
            isinstance(step, dict)
            and isinstance(step.get("name"), str)
            and step["name"]
            and step.get("status") in STATUSES
            and _number(step.get("duration_s"))
            and isinstance(step.get("cached", False), bool)
            and _number(step.get("saved_s", 0))
        ):
            return f"/steps/{index}: missing or not valid"
    for index, finding in enumerate(record["findings"]):
        if not (
            isinstance(finding, dict)
            and isinstance(finding.get("code"), str)
            and isinstance(finding.get("message"), str)
            and finding.get("severity") in SEVERITIES
            and isinstance(finding.get("step", ""), str)
        ):
            return f"/findings/{index}: missing or not valid"
    cache = record.get("cache")
    if record["pattern"] == "verify_commit" and not (
        isinstance(cache, dict)
        and isinstance(cache.get("enabled"), bool)
        and all(type(cache.get(k)) is int and cache[k] >= 0 for k in ("hits", "misses"))
    ):
        return "/cache: missing or not valid"
    attempts = record.get("attempts", [])
    if record["pattern"] == "self_heal" and not (
        isinstance(attempts, list)
        and all(isinstance(a, dict) and isinstance(a.get("result"), str) for a in attempts)
    ):
        return "/attempts: not a list of attempts with a result"
    return None


def schema_problem(record: Mapping[str, Any]) -> str | None:
    """The best full-schema issue, or None; a pattern with no schema of its own yet gets the common one."""
    from hookwright import schema_registry, validation

    pattern = record.get("pattern")
    name, definition = (
        (pattern, "outputs") if pattern in schema_registry.schema_names() else ("common", "report")
    )
    issues = validation.schema_issues(name, record, definition)
    return f"{issues[0].pointer or '/'}: {issues[0].message}" if issues else None


def version_problem(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """``("newer", why)`` for a record a later hookwright wrote, ``("invalid", why)`` for nonsense."""
    version = record.get("schema_version")
    if version == SCHEMA_VERSION:
        return None
    if isinstance(version, str) and version.isdigit() and int(version) > int(SCHEMA_VERSION):
        return "newer", f"schema_version {version} is newer than this hookwright reads"
    return "invalid", f"/schema_version: {version!r} is not {SCHEMA_VERSION!r}"
