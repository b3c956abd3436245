"""lint: ruff on the Python files being committed, with the project's own ruff configuration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from hookwright import ruff
from hookwright.cache import digest
from hookwright.checks.base import CheckContext, CheckError, FileCheck, status_of
from hookwright.reporting import Finding, StepResult

_RUFF_CONFIGS = ("pyproject.toml", "ruff.toml", ".ruff.toml")


class LintCheck(FileCheck):
    kind = "lint"
    default_timeout = 120.0

    def __init__(self, name: str, options: Mapping[str, Any], *, syntax_elsewhere: bool = False) -> None:
        super().__init__(name, options)
        # When the syntax check runs too it reports parse errors (with CPython's words): once is enough.
        self.syntax_elsewhere = syntax_elsewhere

    def unavailable(self, ctx: CheckContext) -> str | None:
        return None if ruff.executable() else "ruff is not installed (pip install ruff)"

    def select(self, ctx: CheckContext) -> list[str]:
        return self.wanted(ctx.target, [p for p in ctx.target.files if p.endswith(ruff.PYTHON_SUFFIXES)])

    def fingerprint(self, ctx: CheckContext) -> str:
        # A file's findings change with ruff's version and with any ruff configuration in the tree.
        configs = sorted((path, ctx.target.entries[path].blob) for path in self.reads_also(ctx))
        return digest(self.kind, dict(self.options), ruff.version(), configs, self.syntax_elsewhere)

    def reads_also(self, ctx: CheckContext) -> list[str]:
        return [path for path in ctx.target.entries if path.rsplit("/", 1)[-1] in _RUFF_CONFIGS]

    def run(self, ctx: CheckContext) -> StepResult:
        result = super().run(ctx)
        if self.options.get("scope", "added") == "file":
            return result
        # Verify what is being committed: a finding on a line the change does not add belongs to
        # code that was there before (it is cached per file, and filtered per change here).
        kept = tuple(
            f
            for f in result.findings
            if f.line is None or f.path is None or ctx.target.is_added(f.path, f.line)
        )
        if len(kept) == len(result.findings):
            return result
        return replace(result, findings=kept, status=status_of(kept))

    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        try:
            found = ruff.check(
                ctx.target.root,
                paths,
                select=self.options.get("select", ()),
                ignore=self.options.get("ignore", ()),
                extra=self.options.get("args", ()),
                env=ctx.env,
                timeout=self.timeout,
            )
        except ruff.RuffFailed as exc:
            raise CheckError(str(exc)) from None
        if self.syntax_elsewhere:
            found = {p: [f for f in fs if f.code != ruff.SYNTAX_CODE] for p, fs in found.items()}
        # E902: ruff could not read the file (it reads UTF-8 only; a latin-1 file with a coding
        # cookie is valid Python). Not a lint failure: say the file went unlinted.
        return {p: [_unread(f) if f.code == "E902" else f for f in fs] for p, fs in found.items()}


def _unread(finding: Finding) -> Finding:
    message = f"not linted: {finding.message}"
    return Finding(finding.path, finding.line, finding.column, finding.code, message, "warning", finding.step)
