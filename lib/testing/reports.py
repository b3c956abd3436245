"""TestRun and TestFailure, the shape every runner's report is read into, and the helpers the parsers share.

One parser per runner beside this module: pytest_reports (JUnit XML and pytest's terminal text),
jest_reports, go_reports.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from hookwright.frozen import dataclass, field
from hookwright.reporting import Finding

OUTPUT_LIMIT = 4000
MESSAGE_LIMIT = 500
PYTEST_NO_TESTS = 5  # pytest's exit code when it collected nothing: not a failure

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_VENDORED = frozenset({"node_modules", "site-packages", "dist-packages"})


@dataclass(frozen=True)
class TestFailure:
    __test__ = False  # a Test* name: keeps pytest from collecting it wherever it is imported

    test_id: str
    path: str | None
    line: int | None
    message: str
    kind: str = "failure"  # "failure" | "error" (collection, setup or build error)
    column: int | None = None


@dataclass(frozen=True)
class TestRun:
    __test__ = False

    framework: str  # "pytest" | "jest" | "go" ("unknown" for a log nobody recognised)
    passed: int
    failed: int
    errors: int
    skipped: int
    duration: float
    failures: tuple[TestFailure, ...]
    returncode: int
    timed_out: bool = False
    output: str = ""
    problem: str = ""  # why the run itself went wrong (timeout, missing tool, unreadable report)
    file_durations: Mapping[str, float] = field(default_factory=dict)  # test file -> seconds (pytest)

    @property
    def ok(self) -> bool:
        if self.timed_out or self.problem or self.failures or self.failed or self.errors:
            return False
        no_tests = self.framework == "pytest" and self.returncode == PYTEST_NO_TESTS
        return self.returncode == 0 or no_tests

    def findings(self, step: str = "tests", preexisting: frozenset[str] = frozenset()) -> list[Finding]:
        """Each failure at its place; those in ``preexisting`` (failing at the base too) as warnings."""
        found = [
            Finding(
                f.path,
                f.line,
                f.column,
                "test-error" if f.kind == "error" else "test-failure",
                f"{f.test_id}: {f.message}"
                + (" (fails at the base too)" if f.test_id in preexisting else ""),
                "warning" if f.test_id in preexisting else "error",
                step,
            )
            for f in self.failures
        ]
        if self.problem:
            code = "test-timeout" if self.timed_out else "test-error"
            found.append(Finding(None, None, None, code, self.problem, "error", step))
        elif not self.ok and not self.failures:
            why = f"{self.framework} exited with code {self.returncode}"
            if self.failed or self.errors:
                why = f"{self.failed} failed, {self.errors} errors ({why})"
            last = last_line(self.output)
            message = f"{why}: {last}" if last else why
            found.append(Finding(None, None, None, "test-error", message, "error", step))
        return found


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def tail(text: str, limit: int = OUTPUT_LIMIT) -> str:
    text = strip_ansi(text)
    return text if len(text) <= limit else text[-limit:]


def last_line(text: str) -> str:
    """The closing line that best says what went wrong: the last naming an error, else the last."""
    lines = [line.strip() for line in strip_ansi(text).splitlines() if line.strip()][-20:]
    # pytest's usage error is followed by "inifile:" and "rootdir:" lines that say nothing.
    erring = [line for line in lines if re.search(r"\berror\b", line, re.I)]
    return clip((erring or lines)[-1], 300) if lines else ""


def clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def unreadable(framework: str, problem: str, output: str = "") -> TestRun:
    return TestRun(framework, 0, 0, 0, 0, 0.0, (), 1, output=tail(output), problem=problem)


def parsed_run(
    framework: str,
    counts: dict[str, int],
    failures: Iterable[TestFailure],
    duration: float,
    output: str = "",
) -> TestRun:
    """A parsed report as a TestRun; the exit code is inferred (run_tests puts the real one in)."""
    found = tuple(failures)
    failed, errors = counts.get("failed", 0), counts.get("errors", 0)
    return TestRun(
        framework,
        counts.get("passed", 0),
        failed,
        errors,
        counts.get("skipped", 0),
        duration,
        found,
        returncode=1 if found or failed or errors else 0,
        output=tail(output),
    )


class ReportPaths:
    """Maps the paths a runner prints onto repository-relative posix paths."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        anchors = () if root is None else (root.absolute().as_posix(), root.resolve().as_posix())
        self._anchors = tuple(PurePosixPath(a) for a in dict.fromkeys(anchors))

    def path(self, raw: str, base: str = "") -> str | None:
        raw = raw.strip().removeprefix("file://").replace("\\", "/")
        if not raw or raw.startswith("<"):
            return None
        if raw.startswith("/"):
            if self.root is None:
                return posixpath.normpath(raw)
            for anchor in self._anchors:
                try:
                    return PurePosixPath(raw).relative_to(anchor).as_posix()
                except ValueError:
                    continue
            return None
        joined = posixpath.normpath(posixpath.join(base, raw))
        return None if joined in {".", ".."} or joined.startswith("../") else joined

    def own(self, raw: str, base: str = "") -> str | None:
        """``path``, but None for code the user did not write (dependencies) or cannot be placed."""
        if self.root is None and raw.strip().startswith("/"):
            return None  # an absolute path in a log with no root is as likely the stdlib as the repo
        found = self.path(raw, base)
        if found is None or _VENDORED.intersection(found.split("/")):
            return None
        return found


def to_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
