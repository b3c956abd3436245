"""coverage: a threshold on total coverage and one on the lines being added (diff coverage)."""

from __future__ import annotations

import time
from typing import Any

from hookwright.checks.base import Check, CheckContext
from hookwright.checks.tests import compact_coverage
from hookwright.reporting import Finding, StepResult


def _ranges(lines: list[int]) -> str:
    parts = []
    start = prev = lines[0]
    for line in lines[1:]:
        if line == prev + 1:
            prev = line
            continue
        parts.append(f"{start}-{prev}" if prev != start else str(start))
        start = prev = line
    parts.append(f"{start}-{prev}" if prev != start else str(start))
    return ", ".join(parts)


class CoverageCheck(Check):
    kind = "coverage"
    needs = ("tests",)

    def _data(self, ctx: CheckContext) -> dict[str, Any] | None:
        report = self.options.get("report")
        if report:
            path = ctx.target.path(report)
            if not path.is_file():
                return None
            from hookwright import strict_yaml

            return compact_coverage(strict_yaml.load_path(path).data, ctx.target.read_root)
        return ctx.artifacts.get("coverage")

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        data = self._data(ctx)
        if data is None:
            source = self.options.get("report") or "the tests check (pytest under coverage.py)"
            finding = Finding(None, None, None, "no-coverage-data", f"no coverage data from {source}")
            return self.result([finding], started=started, status="error", reason=finding.message)
        findings: list[Finding] = []
        min_total = float(self.options.get("min_total", 0))
        percent = float(data.get("percent", 0.0))
        if percent + 1e-9 < min_total:
            findings.append(
                Finding(
                    None,
                    None,
                    None,
                    "total-coverage",
                    f"total coverage {percent:.1f}% is below {min_total:g}%",
                )
            )
        covered_added = executable_added = 0
        uncovered: dict[str, list[int]] = {}
        for path in ctx.target.files:
            lines = data["files"].get(path)
            if lines is None:
                continue
            executed, missing = set(lines[0]), set(lines[1])
            added = [n for n in sorted(executed | missing) if ctx.target.is_added(path, n)]
            executable_added += len(added)
            covered_added += sum(1 for n in added if n in executed)
            missed = [n for n in added if n in missing]
            if missed:
                uncovered[path] = missed
        min_diff = float(self.options.get("min_diff", 0))
        diff_percent = 100.0 * covered_added / executable_added if executable_added else 100.0
        below = diff_percent + 1e-9 < min_diff
        for path, missed in uncovered.items():
            findings.append(
                Finding(
                    path,
                    missed[0],
                    None,
                    "uncovered-lines",
                    f"added lines not covered: {_ranges(missed)}",
                    "error" if below else "note",
                )
            )
        if below:
            findings.append(
                Finding(
                    None,
                    None,
                    None,
                    "diff-coverage",
                    f"coverage of added lines {diff_percent:.1f}% ({covered_added}/{executable_added}) "
                    f"is below {min_diff:g}%",
                )
            )
        reason = f"total {percent:.1f}%, added lines {diff_percent:.1f}%"
        return self.result(findings, started=started, files=len(data["files"]), reason=reason)
