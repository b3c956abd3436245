"""Aggregate metrics over execution records: pure, streaming, never failing on a bad record.

Records in (``Source``), one ``Metrics`` out. Every record is first checked on exactly the fields the
aggregates read (``read_problem``: a few microseconds); one that fails is excluded and named with the
message of its full JSON Schema (``hookwright.validation``). Full schema validation costs 0.5-1.6 ms a
record (measured, benchmarks/dashboard), up to 16 s for 10,000, so by default it runs only for the
records the report shows one by one (the latest runs), through ``Options.schema_check`` (the CLI's
remembers verdicts per record file); ``validate_all`` runs it on every record. A record whose read
fields are sound but which breaks its schema elsewhere still counts, and is reported as a warning:
whether a record counts never depends on where it falls in the list.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hookwright.dashboard.rates import Rate, percentile, wilson
from hookwright.dashboard.record_checks import (
    Source,
    parse_time,
    read_problem,
    schema_problem,
    version_problem,
)
from hookwright.dashboard.rows import FIX_FAMILIES
from hookwright.dashboard.summary import Metrics, summarise

__all__ = [
    "DEFAULT_FIX_MINUTES",
    "FIX_FAMILIES",
    "Aggregator",
    "Metrics",
    "Options",
    "Rate",
    "aggregate",
    "percentile",
    "wilson",
]

# Patterns whose steps are one per item, named "<check> <item>" (self_heal: "heal pkg/mod.py"): the
# item is not a check of its own, so its steps count as one run of the check.
PER_ITEM_STEPS: Mapping[str, str] = {"self_heal": "heal "}
_WORST = ("skipped", "warning", "passed", "failed", "error")

# Minutes a developer would have spent on one fix by hand: a guess, so the result is an ESTIMATE.
DEFAULT_FIX_MINUTES: Mapping[str, float] = {"import": 2.0, "indentation": 1.0, "syntax": 2.0, "other": 2.0}


@dataclass
class _Tally:
    """Mutable running totals for one pattern or one check."""

    runs: int = 0
    passed: int = 0
    failed: int = 0
    error: int = 0
    skipped: int = 0
    cached: int = 0
    findings: int = 0
    parallel_s: float = 0.0
    cache_s: float = 0.0
    durations: list[float] = field(default_factory=list)


@dataclass
class _Day:
    runs: int = 0
    passed: int = 0
    failures: int = 0
    parallel_s: float = 0.0
    cache_s: float = 0.0
    fixes: int = 0


@dataclass(frozen=True)
class Options:
    since: dt.datetime | None = None
    latest: int | None = 200  # None: every run
    validate_all: bool = False
    # The full-schema check; the CLI passes one that remembers verdicts per record file.
    schema_check: Callable[[str, Mapping[str, Any]], str | None] = lambda _name, record: schema_problem(
        record
    )
    fix_minutes: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_FIX_MINUTES))
    rule_families: Mapping[str, str] = field(default_factory=dict)


class Aggregator:
    """Feed ``Source`` objects in any order with ``add``; ``result()`` gives the Metrics."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.patterns: dict[str, _Tally] = {}
        self.checks: dict[tuple[str, str], _Tally] = {}
        self.days: dict[str, _Day] = {}
        self.codes: dict[str, int] = {}
        self.finding_keys: dict[tuple[str, str, str], int] = {}
        self.fixes: dict[str, int] = {}
        self.cache_hits = 0
        self.cache_misses = 0
        self.problems: list[dict[str, str]] = []
        self.schema_warnings: list[dict[str, str]] = []
        self.validated = 0
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None
        self._runs: list[tuple[tuple[str, str], str, Mapping[str, Any]]] = []

    def add(self, source: Source) -> None:
        record = source.data
        if source.kind:
            if not self._before_since(source.name):
                self.problems.append({"name": source.name, "kind": source.kind, "message": source.message})
            return
        if not isinstance(record, dict):
            self.problems.append({"name": source.name, "kind": "invalid", "message": "/: not an object"})
            return
        version = version_problem(record)
        problem = read_problem(record) if version is None else None
        if version is not None or problem is not None:
            if self._before_since(source.name):
                return
            kind, message = version or ("invalid", schema_problem(record) or problem or "")
            self.problems.append({"name": source.name, "kind": kind, "message": message})
            return
        when = parse_time(record["started_at"])
        assert when is not None  # read_problem checked it
        if self.options.since is not None and when < self.options.since:
            return
        when = when.astimezone(dt.timezone.utc)
        self._count(record, when)
        if self.options.validate_all or self.options.latest is None:
            self._validate(source.name, record)
        if self.options.latest is None or self.options.latest > 0:
            self._keep(source.name, record, when)

    def _before_since(self, name: str) -> bool:
        """With --since, a problem record is dated by its file name (a record id starts with the time)."""
        if self.options.since is None:
            return False
        try:
            when = dt.datetime.strptime(name[:8], "%Y%m%d").replace(tzinfo=dt.timezone.utc)
        except ValueError:
            return False
        return when < self.options.since.replace(hour=0, minute=0, second=0, microsecond=0)

    def _validate(self, name: str, record: Mapping[str, Any]) -> str | None:
        self.validated += 1
        issue = self.options.schema_check(name, record)
        if issue is not None:
            self.schema_warnings.append({"name": name, "kind": "schema", "message": issue})
        return issue

    def _count(self, record: Mapping[str, Any], when: dt.datetime) -> None:
        pattern: str = record["pattern"]
        outcome: str = record["outcome"]
        wall = float(record["duration_s"])
        steps: list[dict[str, Any]] = record["steps"]
        if pattern in PER_ITEM_STEPS:
            steps = _one_step_per_check(steps, PER_ITEM_STEPS[pattern])
        tally = self.patterns.setdefault(pattern, _Tally())
        tally.runs += 1
        setattr(tally, outcome, getattr(tally, outcome) + 1)
        tally.durations.append(wall)
        tally.findings += len(record["findings"])
        # Parallelism, measured: the checks' own durations add up to more than the wall clock only
        # because they overlapped. A run with less (one step, or start-up overhead) saved nothing.
        parallel = max(0.0, sum(step["duration_s"] for step in steps) - wall) if len(steps) > 1 else 0.0
        cache = 0.0
        checks = self.checks
        for step in steps:
            key = (pattern, step["name"])
            check = checks.get(key)
            if check is None:
                check = checks[key] = _Tally()
            if step.get("cached"):
                check.cached += 1
                saved = float(step.get("saved_s", 0.0))
                check.cache_s += saved
                cache += saved
            status = step["status"]
            if status == "skipped":
                check.skipped += 1
                continue
            check.runs += 1
            if status == "failed":
                check.failed += 1
            elif status == "error":
                check.error += 1
            else:
                check.passed += 1
            if not step.get("cached"):
                check.durations.append(float(step["duration_s"]))
        for finding in record["findings"]:
            code, step_name = finding["code"], finding.get("step", "")
            if pattern in PER_ITEM_STEPS and step_name.startswith(PER_ITEM_STEPS[pattern]):
                step_name = PER_ITEM_STEPS[pattern].strip()
            self.codes[code] = self.codes.get(code, 0) + 1
            finding_key = (step_name, code, str(finding["message"]))
            self.finding_keys[finding_key] = self.finding_keys.get(finding_key, 0) + 1
            if step_name and (pattern, step_name) in self.checks:
                self.checks[(pattern, step_name)].findings += 1
        cache_info = record.get("cache")
        if isinstance(cache_info, dict) and cache_info.get("enabled"):
            self.cache_hits += cache_info["hits"]
            self.cache_misses += cache_info["misses"]
        fixes = self._count_fixes(record) if pattern == "self_heal" else 0
        tally.parallel_s += parallel
        tally.cache_s += cache
        date = when.date().isoformat()
        day = self.days.get(date)
        if day is None:
            day = self.days[date] = _Day()
        day.runs += 1
        day.passed += outcome == "passed"
        day.failures += outcome != "passed"
        day.parallel_s += parallel
        day.cache_s += cache
        day.fixes += fixes
        if self.first is None or when < self.first:
            self.first = when
        if self.last is None or when > self.last:
            self.last = when

    def _count_fixes(self, record: Mapping[str, Any]) -> int:
        """The fixes the record says were kept (``fixed``), each counted once, by its rule's family.

        An attempt that fixed the text is not yet a fix: when writing it was refused (the fix overlapped
        unstaged edits, the file changed meanwhile) nothing changed, and the next run fixes it again.
        """
        families: dict[tuple[Any, ...], list[str]] = {}
        for attempt in record.get("attempts", []):
            if attempt.get("result") == "fixed":
                family = attempt.get("family") or self.options.rule_families.get(
                    str(attempt.get("rule")), "other"
                )
                key = (attempt.get("path"), attempt.get("error_type"), attempt.get("message"))
                families.setdefault(key, []).append(family if family in FIX_FAMILIES else "other")
        count = 0
        for kept in record.get("fixed", []):
            if not isinstance(kept, dict):
                continue
            found = families.get((kept.get("path"), kept.get("error_type"), kept.get("message")))
            family = found.pop(0) if found else "other"
            self.fixes[family] = self.fixes.get(family, 0) + 1
            count += 1
        return count

    def _keep(self, name: str, record: Mapping[str, Any], when: dt.datetime) -> None:
        """Hold the latest runs (a bounded heap); their rows are built once, at the end."""
        key = (when.isoformat(), record["record_id"])
        if self.options.latest is None:
            self._runs.append((key, name, _row(name, record, when)))
        elif len(self._runs) < self.options.latest:
            heapq.heappush(self._runs, (key, name, record))
        elif key > self._runs[0][0]:
            heapq.heapreplace(self._runs, (key, name, record))

    def result(self) -> Metrics:
        warned = {w["name"]: w["message"] for w in self.schema_warnings}
        rows = []
        for key, name, item in sorted(self._runs, key=lambda entry: entry[0], reverse=True):
            if self.options.latest is None:
                row = dict(item)  # already a row (built as records arrived)
            else:
                row = _row(name, item, dt.datetime.fromisoformat(key[0]))
                if not self.options.validate_all:
                    warned[name] = self._validate(name, item) or ""
            row["schema"] = warned.get(name) or "ok"
            rows.append(row)
        return summarise(self, rows)


def _row(name: str, record: Mapping[str, Any], when: dt.datetime) -> dict[str, Any]:
    steps = record["steps"]
    return {
        "record_id": record["record_id"],
        "pattern": record["pattern"],
        "started_at": when.strftime("%Y-%m-%d %H:%M:%S"),
        "outcome": record["outcome"],
        "duration_s": float(record["duration_s"]),
        "steps": len(steps),
        "cached": sum(1 for step in steps if step.get("cached")),
        "failed_steps": [step["name"] for step in steps if step["status"] in ("failed", "error")],
        "findings": len(record["findings"]),
        "schema": "",
        "name": name,
    }


def _one_step_per_check(steps: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Per-item steps folded into one per check: the worst status, the summed durations."""
    merged: dict[str, dict[str, Any]] = {}
    for step in steps:
        name = prefix.strip() if step["name"].startswith(prefix) else step["name"]
        into = merged.get(name)
        if into is None:
            merged[name] = {**step, "name": name}
            continue
        if _WORST.index(step["status"]) > _WORST.index(into["status"]):
            into["status"] = step["status"]
        into["duration_s"] += step["duration_s"]
        into["saved_s"] = into.get("saved_s", 0.0) + step.get("saved_s", 0.0)
        into["cached"] = bool(into.get("cached")) and bool(step.get("cached"))
    return list(merged.values())


def aggregate(sources: Iterable[Source], options: Options | None = None) -> Metrics:
    aggregator = Aggregator(options)
    for source in sources:
        aggregator.add(source)
    return aggregator.result()
