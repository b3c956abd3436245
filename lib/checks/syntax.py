"""syntax: Python, JSON, YAML and TOML files parse; no merge-conflict markers are left in text files.

Which parser a file needs comes from identify's tags (name, extension, shebang of an executable), as
pre-commit's check-ast / check-json / check-yaml / check-toml pick their files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from hookwright import file_syntax, filetypes
from hookwright.cache import digest
from hookwright.checks.base import CheckContext, FileCheck
from hookwright.errors import ConfigError
from hookwright.reporting import Finding

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

# Every Python file is compiled by CPython. A ruff prefilter once picked the suspects (~5x less CPU on
# a cold run of 5,000 files) and let through every compile error ruff does not report: noqa comments,
# an undecodable file, `from __future__ import braces`, a late future import, a bare `except:` before
# another, 21 nested blocks, a name assigned before its `nonlocal`, 200 nested brackets, `*a` as a
# statement, `return 1` in an async generator ... A syntax verdict that may be wrong is not worth the
# CPU; per-file results are cached by blob, so a file is compiled once.


_LANGUAGES = ("python", "json", "yaml", "toml")


class SyntaxCheck(FileCheck):
    kind = "syntax"
    default_timeout = 300.0

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        self.languages = frozenset(options.get("languages", _LANGUAGES))
        self.markers = bool(options.get("conflict_markers", True))
        self._plans: dict[str, dict[str, tuple[str | None, bool]]] = {}  # the last tree's: path -> plan
        named = set(options.get("types") or ()) & set(_LANGUAGES)
        if len(named) > 1:
            # `types` once chose the parsers; it now selects files as pre-commit's does (a file must
            # carry every tag), so [python, json] would match no file and check nothing.
            raise ConfigError(
                f"checks: {name}: types {sorted(named)} match no file (a file must have every tag); "
                "choose parsers with `languages`, or any of several types with `types_or`"
            )

    def _plan(self, ctx: CheckContext, path: str) -> tuple[str | None, bool]:
        """The parser a file needs and whether to look for conflict markers in it (text files only)."""
        tags = filetypes.tags(ctx.target, path)
        language = filetypes.language(tags)
        return (language if language in self.languages else None), self.markers and "text" in tags

    def select(self, ctx: CheckContext) -> list[str]:
        paths = self.wanted(ctx.target, ctx.target.files)
        filetypes.prefetch(ctx.target, paths)  # one git call for every file whose tags need its bytes
        plans = {p: self._plan(ctx, p) for p in paths}
        # Kept for check_files, which reads the same tree: the tags of 5,000 files, asked once.
        self._plans = {ctx.target.tree: plans}
        return [p for p, plan in plans.items() if any(plan)]

    def fingerprint(self, ctx: CheckContext) -> str:
        # v4: v2 and v3 trusted ruff's prefilter. The compiler is this interpreter: `type X = int`
        # passed under 3.12 and the pass was replayed under a hookwright on 3.10, which rejects it.
        return digest(self.kind, dict(self.options), "v4", sys.version)

    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        known = self._plans.get(ctx.target.tree, {})
        plans = {p: known.get(p) or self._plan(ctx, p) for p in paths}
        # One ensure for the lot, then plain reads: Target.read asks the export for each file again.
        root = f"{ctx.target.ensure(paths)}{os.sep}"
        found: dict[str, list[Finding]] = {}
        for path in paths:
            language, markers = plans[path]
            try:
                with open(f"{root}{path}", "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                found[path] = [Finding(path, None, None, "unreadable", exc.strerror or str(exc))]
                continue
            findings: list[Finding] = []
            if markers:
                findings.extend(file_syntax.conflict_markers(path, data))
            if language == "python":
                findings.extend(file_syntax.python_syntax(path, data))
            elif language is not None:
                findings.extend(file_syntax.SYNTAX_VALIDATORS[language](path, data))
            found[path] = findings
        return found
