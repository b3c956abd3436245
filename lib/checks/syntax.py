"""syntax: Python, JSON, YAML and TOML files parse; no merge-conflict markers are left in text files.

Which parser a file needs comes from identify's tags (name, extension, shebang of an executable), as
pre-commit's check-ast / check-json / check-yaml / check-toml pick their files.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

from hookwright import file_syntax, filetypes, ruff
from hookwright.cache import digest
from hookwright.checks.base import CheckContext, FileCheck
from hookwright.errors import ConfigError
from hookwright.reporting import Finding

# Errors CPython raises at compile time that ruff reports as rules rather than parse errors, and E902:
# a file ruff cannot read (not UTF-8) is reported only when selected, and CPython may not compile it.
_SUSPECT_RULES = (
    *("F406", "F622", "F701", "F702", "F704", "F706"),
    *("PLE0117", "PLE0118", "PLE1142", "PLE1700", "E902"),
)
# `return value` in an async generator: a compile error no stable ruff rule reports. A file that holds
# all three words goes to CPython whatever ruff says.
_ASYNC_GENERATOR_WORDS = (b"async", b"yield", b"return")
_RUFF_PREFILTER_MIN = 8  # below this many files, compiling them all is cheaper than starting ruff


_LANGUAGES = ("python", "json", "yaml", "toml")


class SyntaxCheck(FileCheck):
    kind = "syntax"
    default_timeout = 300.0

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        super().__init__(name, options)
        self.languages = frozenset(options.get("languages", _LANGUAGES))
        self.markers = bool(options.get("conflict_markers", True))
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
        return [p for p in paths if any(self._plan(ctx, p))]

    def fingerprint(self, ctx: CheckContext) -> str:
        return digest(self.kind, dict(self.options), "v3")  # v3: v2 trusted noqa, missed some errors

    def check_files(self, ctx: CheckContext, paths: Sequence[str]) -> dict[str, list[Finding]]:
        plans = {p: self._plan(ctx, p) for p in paths}
        found: dict[str, list[Finding]] = {}
        suspects = set(self._python_suspects(ctx, [p for p in paths if plans[p][0] == "python"]))
        for path in paths:
            language, markers = plans[path]
            try:
                data = ctx.target.read(path)
            except OSError as exc:
                found[path] = [Finding(path, None, None, "unreadable", exc.strerror or str(exc))]
                continue
            findings: list[Finding] = []
            if markers:
                findings.extend(file_syntax.conflict_markers(path, data))
            if language == "python":
                if path in suspects or all(word in data for word in _ASYNC_GENERATOR_WORDS):
                    findings.extend(file_syntax.python_syntax(path, data))
            elif language is not None:
                findings.extend(file_syntax.SYNTAX_VALIDATORS[language](path, data))
            found[path] = findings
        return found

    def _python_suspects(self, ctx: CheckContext, paths: Sequence[str]) -> list[str]:
        """Files that may not compile. ruff parses ~50x faster than CPython: it picks the suspects,
        and CPython's compiler then has the last word (and gives its own message and position)."""
        # ruff knows a Python file by its suffix; one known by its shebang goes to CPython directly.
        by_suffix = [p for p in paths if p.endswith(ruff.PYTHON_SUFFIXES)]
        others = [p for p in paths if not p.endswith(ruff.PYTHON_SUFFIXES)]
        if len(by_suffix) < _RUFF_PREFILTER_MIN or ruff.executable() is None:
            return list(paths)
        try:
            flagged = ruff.check(
                ctx.target.root,
                by_suffix,
                select=_SUSPECT_RULES,
                # The project's ruff config must not hide a syntax error, nor its excludes skip a file;
                # nor a noqa comment, which ruff honours even when isolated.
                extra=["--isolated", "--ignore-noqa", f"--target-version=py3{sys.version_info.minor}"],
                env=ctx.env,
                timeout=self.timeout,
                respect_excludes=False,
            )
        except ruff.RuffFailed:
            return list(paths)
        return [*(p for p, findings in flagged.items() if findings), *others]
