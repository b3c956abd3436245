"""syntax: Python, JSON, YAML and TOML files parse; no merge-conflict markers are left."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from hookwright import ruff, validation
from hookwright.cache import digest
from hookwright.checks.base import CheckContext, FileCheck
from hookwright.reporting import Finding

# Errors CPython raises at compile time that ruff reports as rules rather than parse errors.
_COMPILE_TIME_RULES = ("F701", "F702", "F704", "F706", "PLE0117", "PLE0118", "PLE1142")
_RUFF_PREFILTER_MIN = 8  # below this many files, compiling them all is cheaper than starting ruff


class SyntaxCheck(FileCheck):
    kind = "syntax"
    default_timeout = 300.0

    def select(self, ctx: CheckContext) -> list[str]:
        types = set(self.options.get("types", validation.SYNTAX_TYPES.values()))
        markers = self.options.get("conflict_markers", True)
        return [
            p for p in ctx.target.files if self.wants(p) and (markers or validation.file_type(p) in types)
        ]

    def fingerprint(self, ctx: CheckContext) -> str:
        return digest(self.kind, dict(self.options), "v1")

    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        types = set(self.options.get("types", validation.SYNTAX_TYPES.values()))
        markers = self.options.get("conflict_markers", True)
        found: dict[str, list[Finding]] = {}
        python = [p for p in paths if validation.file_type(p) == "python" and "python" in types]
        suspects = set(self._python_suspects(ctx, python))
        for path in paths:
            kind = validation.file_type(path)
            try:
                data = ctx.target.read(path)
            except OSError as exc:
                found[path] = [Finding(path, None, None, "unreadable", exc.strerror or str(exc))]
                continue
            findings: list[Finding] = []
            if markers:
                findings.extend(validation.conflict_markers(path, data))
            if kind == "python" and "python" in types:
                if path in suspects:
                    findings.extend(validation.python_syntax(path, data))
            elif kind in types and kind is not None:
                findings.extend(validation.SYNTAX_VALIDATORS[kind](path, data))
            found[path] = findings
        return found

    def _python_suspects(self, ctx: CheckContext, paths: Sequence[str]) -> list[str]:
        """Files that may not compile. ruff parses ~50x faster than CPython: it picks the suspects,
        and CPython's compiler then has the last word (and gives its own message and position)."""
        if len(paths) < _RUFF_PREFILTER_MIN or ruff.executable() is None:
            return list(paths)
        try:
            flagged = ruff.check(
                ctx.target.root,
                paths,
                select=_COMPILE_TIME_RULES,
                # The project's ruff config must not hide a syntax error, nor its excludes skip a file.
                extra=["--isolated", f"--target-version=py3{sys.version_info.minor}"],
                env=ctx.env,
                timeout=self.timeout,
                respect_excludes=False,
            )
        except ruff.RuffFailed:
            return list(paths)
        return [p for p, findings in flagged.items() if findings]
