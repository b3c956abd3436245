"""tests: the project's test suite (pytest, jest, go test), run once per tree state that matters."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright.cache import digest
from hookwright.checks.base import CheckContext, TreeCheck, entries_digest
from hookwright.reporting import StepResult

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


def _inputs_digest(ctx: CheckContext, patterns: list[str]) -> str:
    if patterns:
        return entries_digest(ctx.target, patterns)
    import fnmatch
    import re

    skip = [re.compile(fnmatch.translate(p)) for p in _NOT_INPUTS]
    picked = sorted(
        (path, entry.blob)
        for path, entry in ctx.target.entries.items()
        if not any(r.match(path) or r.match(path.rsplit("/", 1)[-1]) for r in skip)
    )
    return digest(picked)


class TestsCheck(TreeCheck):
    kind = "tests"
    default_timeout = 900.0
    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self, name: str, options: Mapping[str, Any], *, with_coverage: bool = False) -> None:
        super().__init__(name, options)
        self.with_coverage = with_coverage
        self._framework: str | bool | None = False

    def framework(self, ctx: CheckContext) -> str | None:
        if self._framework is False:
            from hookwright import testing

            chosen = self.options.get("framework", "auto")
            self._framework = testing.detect_framework(ctx.target.read_root) if chosen == "auto" else chosen
        return self._framework  # type: ignore[return-value]

    def unavailable(self, ctx: CheckContext) -> str | None:
        if self.framework(ctx) is None:
            return "no test framework found (pytest, jest or go)"
        return None

    def inputs(self, ctx: CheckContext) -> str | None:
        return digest(
            self.kind,
            dict(self.options),
            self.framework(ctx),
            self.with_coverage,
            sys.version,
            _inputs_digest(ctx, list(self.options.get("inputs", []))),
        )

    def python(self, ctx: CheckContext) -> str:
        """The interpreter that has the project's dependencies, not necessarily hookwright's own."""
        work_tree = ctx.target.repo.root
        chosen = self.options.get("python")
        if chosen:
            path = Path(chosen) if Path(chosen).is_absolute() else work_tree / chosen
            return str(path) if path.exists() else str(chosen)
        for venv in (".venv", "venv", "env"):
            candidate = work_tree / venv / "bin" / "python"
            if candidate.is_file():
                return str(candidate)
        if os.environ.get("PRE_COMMIT") == "1":
            # pre-commit runs us in its own isolated virtualenv: the project's python is the
            # first one on PATH outside it.
            ours = Path(sys.prefix) / "bin"
            path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != ours)
            found = shutil.which("python3", path=path) or shutil.which("python", path=path)
            if found:
                return found
        return sys.executable

    def execute(self, ctx: CheckContext) -> StepResult:
        from hookwright import testing

        root = ctx.target.read_root
        framework = self.framework(ctx)
        if ctx.target.shadow:
            _link_dependencies(ctx.target.repo.root, root)
        python = self.python(ctx) if framework == "pytest" else None
        with tempfile.TemporaryDirectory(prefix="hookwright-cov-") as tmp:
            coverage_data = Path(tmp) / ".coverage" if self.with_coverage and framework == "pytest" else None
            run = testing.run_tests(
                root,
                framework,
                args=self.options.get("args", ()),
                timeout=self.timeout,
                env=ctx.env,
                coverage_data=coverage_data,
                python=python,
            )
            if coverage_data is not None:
                ctx.artifacts["coverage"] = load_coverage(coverage_data, root, ctx.env)
        total = run.passed + run.failed + run.errors
        if framework == "pytest" and "No module named pytest" in run.output and not total:
            return StepResult(
                self.name,
                "skipped",
                run.duration,
                reason=f"no pytest for {python}: set checks.tests.python to the project's interpreter",
            )
        if run.timed_out or (not run.ok and not run.failures and run.returncode not in (0, 1)):
            status = "error"
        else:
            status = "passed" if run.ok else "failed"
        return StepResult(
            self.name,
            status,  # type: ignore[arg-type]
            run.duration,
            tuple(run.findings(self.name)),
            reason=(
                f"{framework}: {run.passed} passed, {run.failed} failed, "
                f"{run.errors} errors, {run.skipped} skipped"
            ),
            files=total,
        )

    def remember(self, ctx: CheckContext) -> dict[str, Any]:
        return {"coverage": ctx.artifacts.get("coverage")} if self.with_coverage else {}

    def replay(self, ctx: CheckContext, hit: Mapping[str, Any]) -> None:
        if hit.get("coverage") is not None:
            ctx.artifacts["coverage"] = hit["coverage"]


# Installed, untracked dependency folders a test run needs but the copy of the index lacks.
_DEPENDENCY_DIRS = ("node_modules",)


def _link_dependencies(work_tree: Path, shadow: Path) -> None:
    for name in _DEPENDENCY_DIRS:
        source, link = work_tree / name, shadow / name
        if source.is_dir() and not link.exists() and not link.is_symlink():
            link.symlink_to(source, target_is_directory=True)


def load_coverage(data_file: Path, root: Path, env: Mapping[str, str]) -> dict[str, Any] | None:
    """coverage.py's data as ``{"files": {path: [executed, missing]}, "percent": total}``."""
    from hookwright import parallel

    if not data_file.exists():
        return None
    report = data_file.with_name("coverage.json")
    result = parallel.run(
        [
            sys.executable,
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
