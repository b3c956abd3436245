"""tests: the project's test suite (pytest, jest, go test), run once per tree state that matters."""

from __future__ import annotations

import fnmatch
import functools
import json
import re
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.cache import ResultCache, digest, read_snapshot, write_snapshot
from hookwright.cache import key as cache_key
from hookwright.checks.base import Check, CheckContext
from hookwright.reporting import Status, StepResult

if TYPE_CHECKING:
    from hookwright.impact import Selection
    from hookwright.testreports import TestRun

# Files whose change cannot change a test result, unless the user says otherwise with `inputs`.
_NOT_INPUTS = (
    "*.md",
    "*.rst",
    "*.adoc",
    "LICENSE*",
    "CHANGELOG*",
    "AUTHORS*",
    ".github/*",
    "docs/*",
    ".gitignore",
    ".gitattributes",
    ".pre-commit-config.yaml",
    ".hookwright.yaml",
    ".hookwright.yml",
)


@functools.cache
def _globs(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a set of globs, tried on the path and on its last part (like .gitignore)."""
    either = "|".join(fnmatch.translate(p) for p in patterns)
    return re.compile(rf"(?:.*/)?(?:{either})")


def _inputs(ctx: CheckContext, patterns: list[str]) -> dict[str, str]:
    """path -> blob of every file a test run may read (one regex match per path: this runs per commit)."""
    matcher = _globs(tuple(patterns or _NOT_INPUTS)).match
    keep = bool(patterns)  # explicit globs say what to include; the default says what to leave out
    return {
        path: entry.blob for path, entry in ctx.target.entries.items() if (matcher(path) is not None) == keep
    }


class TestsCheck(Check):
    """Cached as a whole when it passes; for pytest, only the test files a change can reach run."""

    kind = "tests"
    default_timeout = 900.0
    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, name: str, options: Mapping[str, Any], *, with_coverage: bool = False) -> None:
        super().__init__(name, options)
        self.with_coverage = with_coverage
        self._framework: str | bool | None = False

    def framework(self, ctx: CheckContext) -> str | None:
        if self._framework is False:
            from hookwright import frameworks

            chosen = self.options.get("framework", "auto")
            self._framework = (
                frameworks.detect_framework(ctx.target.read_root) if chosen == "auto" else chosen
            )
        return self._framework  # type: ignore[return-value]

    def unavailable(self, ctx: CheckContext) -> str | None:
        if self.framework(ctx) is None:
            return "no test framework found (pytest, jest or go)"
        return None

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        result = self._run(ctx)
        if result.cached:
            return result
        return replace(result, duration=max(result.duration, time.monotonic() - started))

    def _run(self, ctx: CheckContext) -> StepResult:
        framework = self.framework(ctx)
        picked = _inputs(ctx, list(self.options.get("inputs", [])))
        base = digest(self.kind, dict(self.options), framework, self.with_coverage, sys.version)
        key = cache_key(base, *(f"{p}\0{b}" for p, b in sorted(picked.items())))
        hit = ctx.cache.get(key)
        if hit is not None:
            if hit.get("coverage") is not None:
                ctx.artifacts["coverage"] = hit["coverage"]
            return StepResult(
                self.name, "passed", 0.0, files=hit.get("files", 0), cached=True, saved=hit.get("t", 0.0)
            )
        plan = self._plan(ctx, framework, base, picked) if framework == "pytest" else None
        if plan is not None and plan.tests == ():
            result = StepResult(self.name, "passed", 0.0, reason=f"pytest: {plan.reason}")
        else:
            result = self.execute(ctx, framework, plan.tests if plan else None, base, picked)
            if plan is not None:
                result = replace(result, reason=f"{result.reason} ({plan.reason})")
        if result.status == "passed":
            ctx.cache.put(
                key, {"t": result.duration, "files": result.files, "coverage": ctx.artifacts.get("coverage")}
            )
            # The new state every later change is compared with (see _plan).
            write_snapshot(self._baseline(ctx, base), picked)
        return result

    @staticmethod
    def _baseline(ctx: CheckContext, base: str) -> Path:
        """The last passing state (path -> blob): what the next change is compared with."""
        return ctx.target.repo.state_dir / "cache" / f"tests-baseline-{base[:16]}.marshal"

    def _plan(
        self, ctx: CheckContext, framework: str | None, base: str, picked: dict[str, str]
    ) -> Selection | None:
        """Which test files to run: those the change since the last passing state can reach."""
        from hookwright import frameworks, impact

        if self.options.get("select", "affected") != "affected" or self.with_coverage:
            return None
        if ctx.cache.path is None:
            return None  # --no-cache: the last passing state is a remembered result too
        settings = frameworks.pytest_settings(ctx.target.read_root)
        if "python_files" in settings or any("doctest" in a for a in self.options.get("args", ())):
            return None  # collection we do not model: run the suite as pytest would
        baseline = read_snapshot(self._baseline(ctx, base))
        if not isinstance(baseline, dict):
            return None
        changed = [p for p in picked.keys() | baseline.keys() if picked.get(p) != baseline.get(p)]
        roots = [p.strip("/") + "/" for p in settings.get("testpaths", [])]
        table = ctx.target.repo.state_dir / "cache" / "imports.marshal"
        selection = impact.affected_tests(ctx.target.repo, picked, changed, table, roots)
        return selection if selection.tests is not None else None

    def execute(
        self,
        ctx: CheckContext,
        framework: str | None,
        tests: Sequence[str] | None,
        base: str,
        picked: Mapping[str, str],
    ) -> StepResult:
        from hookwright import frameworks, suite, testing

        root = ctx.target.read_root
        if ctx.target.shadow:
            suite.link_dependencies(ctx.target.repo.root, root)
        args = list(self.options.get("args", ()))
        if framework != "pytest":
            run = testing.run_tests(root, framework, args=args, timeout=self.timeout, env=ctx.env)
            return self._result(framework, run, None)
        python = suite.project_python(ctx.target.repo.root, self.options.get("python"))
        env = {**ctx.env, "PYTHONPYCACHEPREFIX": str(ctx.target.repo.state_dir / "pycache")}
        # Scheduling knowledge is not a result: it is kept even with --no-cache.
        store = ctx.target.repo.state_dir / "cache" / "results.sqlite"
        memory = ctx.cache if ctx.cache.path else ResultCache(store)
        durations_key, unsplittable_key = digest(base, "durations"), digest(base, "unsplittable")
        durations = memory.get(durations_key) or {}
        shards = None
        settings = frameworks.pytest_settings(root)
        if not self.with_coverage and "python_files" not in settings and not memory.get(unsplittable_key):
            from hookwright import impact

            candidates = list(tests) if tests is not None else impact.test_files(picked, settings)
            count = suite.shard_count(candidates, durations, int(self.options.get("shards", 0)))
            if count > 1:
                sizes = {f: _size(root / f) for f in candidates}
                shards = suite.partition(candidates, count, durations, sizes)
        with tempfile.TemporaryDirectory(prefix="hookwright-cov-") as tmp:
            coverage_data = Path(tmp) / ".coverage" if self.with_coverage else None
            run = suite.run_pytest(
                root, tests, args=args, timeout=self.timeout, env=env, python=python,
                shards=shards, coverage_data=coverage_data,
            )  # fmt: skip
            if coverage_data is not None:
                ctx.artifacts["coverage"] = load_coverage(coverage_data, root, ctx.env, python)
        note = f"; {len(shards)} shards" if shards else ""
        if shards and not run.ok and not run.timed_out:
            # A suite whose files depend on each other's side effects can fail only when split.
            # The verdict is the suite's own order, in one process; a split that disagrees is
            # remembered, and this suite is not split again.
            whole = suite.run_pytest(root, tests, args=args, timeout=self.timeout, env=env, python=python)
            if whole.ok:
                memory.put(unsplittable_key, True)
                note = "; split run failed where one process passes: not split again"
            else:
                note = "; failed split and whole"
            run = whole
        if run.file_durations:
            memory.put(durations_key, {**durations, **run.file_durations})
        if memory is not ctx.cache:
            memory.close()
        result = self._result(framework, run, python)
        return replace(result, reason=result.reason + note) if note else result

    def _result(self, framework: str | None, run: TestRun, python: str | None) -> StepResult:
        total = run.passed + run.failed + run.errors
        if framework == "pytest" and "No module named pytest" in run.output and not total:
            return StepResult(
                self.name,
                "skipped",
                run.duration,
                reason=f"no pytest for {python}: set checks.tests.python to the project's interpreter",
            )
        if run.timed_out or (not run.ok and not run.failures and run.returncode not in (0, 1)):
            status: Status = "error"
        else:
            status = "passed" if run.ok else "failed"
        counts = f"{run.passed} passed, {run.failed} failed, {run.errors} errors, {run.skipped} skipped"
        reason = f"{framework}: {counts}"
        return StepResult(
            self.name, status, run.duration, tuple(run.findings(self.name)), reason=reason, files=total
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 1


def load_coverage(data_file: Path, root: Path, env: Mapping[str, str], python: str) -> dict[str, Any] | None:
    """coverage.py's data as ``{"files": {path: [executed, missing]}, "percent": total}``."""
    from hookwright import parallel

    if not data_file.exists():
        return None
    report = data_file.with_name("coverage.json")
    result = parallel.run(
        [
            python,
            "-m",
            "coverage",
            "json",
            f"--data-file={data_file}",
            "-o",
            str(report),
            "-q",
        ],
        cwd=root,
        env=env,
        timeout=300,
    )
    if not result.ok or not report.exists():
        return None
    return compact_coverage(json.loads(report.read_text()), root)


def compact_coverage(raw: Mapping[str, Any], root: Path) -> dict[str, Any]:
    files = {}
    resolved = root.resolve()
    for name, data in raw.get("files", {}).items():
        path = Path(name)
        if path.is_absolute():
            try:
                path = path.resolve().relative_to(resolved)
            except ValueError:
                continue
        files[path.as_posix()] = [data.get("executed_lines", []), data.get("missing_lines", [])]
    return {"files": files, "percent": raw.get("totals", {}).get("percent_covered", 0.0)}
