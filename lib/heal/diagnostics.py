"""Diagnostics: error output of compilers, test runners and linters parsed into one shape.

Parsers read what the real tools print: CPython compile errors and tracebacks, pytest (through
``hookwright.testing.adapters``, which already reads its logs), ruff (every output format that names places:
``hookwright.heal.ruff_output``), mypy, and the generic
``path:line[:col]: message`` form most other tools use. Paths come back repository-relative, and
code outside the repository (the standard library, site-packages) is never blamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright.reporting import Finding
from hookwright.testing.reports import ReportPaths, strip_ansi

MESSAGE_LIMIT = 1000  # rule regexes never see more than this: bounds their worst-case match time

SYNTAX_TYPES = frozenset({"SyntaxError", "IndentationError", "TabError", "invalid-syntax", "syntax", "E999"})


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One error at one place, as a tool reported it."""

    path: str | None
    line: int | None
    column: int | None
    error_type: str  # "SyntaxError", "NameError", "F821", "name-defined", ...
    message: str
    tool: str  # "python", "pytest", "ruff", "mypy", "generic", "compile"

    @property
    def is_syntax(self) -> bool:
        return self.error_type in SYNTAX_TYPES

    def location(self) -> str:
        parts = [self.path or "<unknown>"]
        parts += [str(n) for n in (self.line, self.column) if n is not None]
        if self.line is None or self.column is None:
            parts += ["1"] * (3 - len(parts))  # escalation reports always read path:line:col
        return ":".join(parts)

    def describe(self) -> str:
        return f"{self.location()}: {self.error_type}: {self.message}"

    def key(self) -> tuple[str | None, str, str]:
        """What identifies "the same error" across runs: line numbers move when a fix adds lines."""
        return (self.path, self.error_type, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "error_type": self.error_type,
            "message": self.message,
            "tool": self.tool,
        }

    def to_finding(self, step: str = "") -> Finding:
        return Finding(self.path, self.line, self.column, self.error_type, self.message, "error", step)


def clip(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 3] + "..."


def from_syntax_error(path: str | None, exc: SyntaxError, tool: str = "compile") -> Diagnostic:
    return Diagnostic(path, exc.lineno, exc.offset, type(exc).__name__, clip(exc.msg or ""), tool)


# -- CPython: compile errors and tracebacks ----------------------------------------------------------

_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)(?P<func>, in .*)?$')
_EXCEPTION = re.compile(
    r"^(?:[A-Za-z_][\w]*\.)*(?P<type>[A-Za-z_]\w*(?:Error|Exception|Warning|Exit|Interrupt))"
    r"(?:: (?P<msg>.*))?$"
)
# `python -m py_compile` and `compileall` print indentation errors on one line.
_SORRY = re.compile(r"Sorry: (?P<type>\w+): (?P<msg>.*) \((?P<path>[^,()]+), line (?P<line>\d+)\)")
_COMPILING = re.compile(r"^\*\*\* Error compiling '(?P<path>.+)'\.\.\.$")  # compileall, before a Sorry line
_CARET = re.compile(r"^(?P<pad>\s*)\^+~*\s*$")


def _column(repo: ReportPaths, path: str | None, line: int, shown: str, caret: str) -> int | None:
    """1-based column of a caret; CPython shows the source line with its indentation stripped."""
    pad = len(shown) - len(shown.lstrip())
    offset = len(caret) - len(caret.lstrip()) - pad
    if offset < 0 or path is None or repo.root is None:
        return None
    try:
        with (repo.root / path).open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return len(text) - len(text.lstrip(" \t\f")) + offset + 1
    except OSError:
        return None
    return None


def parse_python(text: str, root: Path | None = None) -> tuple[list[Diagnostic], set[int]]:
    """Compile errors and tracebacks; also returns the indexes of the lines they used."""
    repo = ReportPaths(root)
    lines = strip_ansi(text).splitlines()
    found: list[Diagnostic] = []
    used: set[int] = set()
    frames: list[tuple[int, str, int, bool]] = []  # (line index, raw path, line, is a code frame)
    compiling: str | None = None
    for index, line in enumerate(lines):
        if context := _COMPILING.match(line):
            compiling = context["path"]
            continue
        if sorry := _SORRY.search(line):
            path = _sorry_path(repo, sorry["path"], compiling)
            if path is not None:
                found.append(
                    Diagnostic(path, int(sorry["line"]), None, sorry["type"], clip(sorry["msg"]), "python")
                )
                used.add(index)
            continue
        if line.startswith("Traceback (most recent call last)"):
            frames = []
            used.add(index)
            continue
        if frame := _FRAME.match(line):
            frames.append((index, frame["path"], int(frame["line"]), frame["func"] is not None))
            used.add(index)
            continue
        exc = _EXCEPTION.match(line)
        if exc is None or not frames:
            continue
        used.update(range(frames[0][0], index + 1))
        diagnostic = _from_frames(repo, lines, frames, index, exc["type"], exc["msg"] or "")
        if diagnostic is not None:
            found.append(diagnostic)
        frames = []
    return found, used


def _sorry_path(repo: ReportPaths, name: str, compiling: str | None) -> str | None:
    """A SyntaxError prints only the file's base name: take the full path from what was being compiled."""
    if compiling is not None and Path(compiling).name == name:
        return repo.own(compiling)
    if repo.root is not None and not (repo.root / name).is_file():
        return None
    return repo.own(name)


def _from_frames(
    repo: ReportPaths,
    lines: list[str],
    frames: list[tuple[int, str, int, bool]],
    index: int,
    error_type: str,
    message: str,
) -> Diagnostic | None:
    last_index, last_path, last_line, is_code = frames[-1]
    if not is_code:
        # A compile error: its last "File" line has no ", in" and is the place itself.
        path = repo.own(last_path)
        if path is None:
            return None
        column = None
        between = lines[last_index + 1 : index]
        carets = [n for n, text in enumerate(between) if _CARET.match(text)]
        if carets and carets[0] > 0:
            column = _column(repo, path, last_line, between[carets[0] - 1], between[carets[0]])
        return Diagnostic(path, last_line, column, error_type, clip(message), "python")
    # A runtime error: blame the deepest frame that is the user's own code.
    for _, raw, line, _ in reversed(frames):
        path = repo.own(raw)
        if path is not None:
            return Diagnostic(path, line, None, error_type, clip(message), "python")
    return None


# -- pytest -----------------------------------------------------------------------------------------

_PYTEST_MARK = re.compile(
    r"^(?:=+ (?:test session starts|FAILURES|ERRORS|short test summary info) =+"
    r"|(?:FAILED|ERROR) \S+|=* ?\d+ (?:failed|passed|errors?)\b.* in [\d.]+s)",
    re.M,
)
_TYPED = re.compile(
    r"^(?:[A-Za-z_]\w*\.)*(?P<type>[A-Za-z_]\w*(?:Error|Exception|Warning|Exit)): (?P<msg>.*)$"
)


def looks_like_pytest(text: str) -> bool:
    return _PYTEST_MARK.search(strip_ansi(text)) is not None


def parse_pytest(text: str, root: Path | None = None) -> list[Diagnostic]:
    """Collection errors and failures, from the parser ``hookwright verify`` uses for test logs."""
    from hookwright.testing import adapters as testing

    run = testing.parse_text_log(text, root, "pytest")
    found = []
    for failure in run.failures:
        typed = _TYPED.match(failure.message)
        if typed:
            error_type, message = typed["type"], typed["msg"]
        elif failure.message.startswith("assert"):
            error_type, message = "AssertionError", failure.message
        else:
            error_type = "test-error" if failure.kind == "error" else "test-failure"
            message = f"{failure.test_id}: {failure.message}"
        found.append(
            Diagnostic(failure.path, failure.line, failure.column, error_type, clip(message), "pytest")
        )
    return found


# -- mypy and the generic path:line[:col]: message ---------------------------------------------------

_MYPY = re.compile(
    r"^(?P<path>[^\s:][^:\n]*?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<sev>error|warning|note): "
    r"(?P<msg>.*?)(?:\s+\[(?P<code>[a-z][a-z0-9-]*)\])?$"
)
_GENERIC = re.compile(r"^(?P<path>[^\s:][^:\n]*?):(?P<line>\d+)(?::(?P<col>\d+))?:?\s+(?P<msg>\S.*)$")
_LINT_CODE = re.compile(
    r"^(?:(?P<code>[A-Z]+[0-9]+|invalid-syntax):?|\[(?P<bracketed>[A-Z]+[0-9]+|invalid-syntax)\])"
    r"\s+(?:\[\*\]\s+)?(?P<msg>.*)$"
)  # [*]: fixable; [CODE]: the pylint format (ruff's --output-format=pylint)


def parse_lines(text: str, root: Path | None = None, skip: Iterable[int] = ()) -> list[Diagnostic]:
    """mypy's ``path:line:col: error: message  [code]`` and every other ``path:line: message``."""
    repo = ReportPaths(root)
    skipped = set(skip)
    found = []
    for index, raw in enumerate(strip_ansi(text).splitlines()):
        line = raw.rstrip()
        if index in skipped:
            continue
        if mypy := _MYPY.match(line):
            if mypy["sev"] == "note":
                continue
            path = repo.own(mypy["path"])
            if path is not None:
                code = mypy["code"] or ("syntax" if "syntax" in mypy["msg"].lower() else "mypy-error")
                found.append(_at(path, mypy, code, mypy["msg"], "mypy"))
            continue
        if generic := _GENERIC.match(line):
            path = repo.own(generic["path"])
            if path is None or "." not in Path(path).name:
                continue  # "Found 2 errors:" and friends are not places
            message = generic["msg"]
            if lint := _LINT_CODE.match(message):
                code = lint["code"] or lint["bracketed"]
                found.append(_at(path, generic, code, lint["msg"], "lint"))
            else:
                typed = _TYPED.match(message)
                error_type = typed["type"] if typed else "error"
                found.append(_at(path, generic, error_type, typed["msg"] if typed else message, "generic"))
    return found


def _at(path: str, match: re.Match[str], error_type: str, message: str, tool: str) -> Diagnostic:
    column = int(match["col"]) if match["col"] else None
    return Diagnostic(path, int(match["line"]), column, error_type, clip(message), tool)


# -- everything --------------------------------------------------------------------------------------

PARSERS = ("auto", "python", "pytest", "ruff", "mypy", "generic")


def parse(text: str, root: Path | None = None, tool: str = "auto") -> list[Diagnostic]:
    """Every diagnostic in ``text``, told apart by what the output looks like unless ``tool``."""
    from hookwright.heal import ruff_output

    text = strip_ansi(text)
    if tool in ("auto", "ruff") and ruff_output.looks_like_json(text):
        found = ruff_output.parse_json(text, root)
        if found or tool == "ruff":
            return found
    ruff, used = ruff_output.parse(text, root) if tool in ("auto", "ruff") else ([], set())
    if tool == "ruff":
        return unique([*ruff, *parse_lines(text, root, used)])  # concise and pylint are plain lines
    if tool == "pytest" or (tool == "auto" and looks_like_pytest(text)):
        return unique([*ruff, *parse_pytest(text, root)])
    python, in_python = parse_python(text, root) if tool in ("auto", "python") else ([], set())
    lines = parse_lines(text, root, used | in_python) if tool in ("auto", "mypy", "generic") else []
    return unique([*ruff, *python, *lines])


# What the tools print when they found nothing wrong: a log that says so was understood, not ignored.
_CLEAN = re.compile(
    r"^(?:All checks passed!|\[\]"  # ruff (text, json)
    r"|Success: no issues found in \d+ source files?"  # mypy
    r"|=+ (?:(?:\d+ (?:passed|skipped|xfailed|xpassed|deselected|warnings?))(?:, )?)+ in [\d.]+s.*=+"
    r"|(?:(?:\d+ (?:passed|skipped|xfailed|xpassed|deselected|warnings?))(?:, )?)+ in [\d.]+s.*"  # pytest -q
    r")\s*$",
    re.M,
)


def says_clean(text: str) -> bool:
    """True when ``text`` is a known tool's report of a clean run (ruff, mypy, a pytest summary)."""
    return _CLEAN.search(strip_ansi(text)) is not None


def unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """In order, each (place, type, message) once."""
    return list(dict.fromkeys(diagnostics))


def iter_in(diagnostics: Iterable[Diagnostic], path: str) -> Iterator[Diagnostic]:
    return (d for d in diagnostics if d.path == path)
