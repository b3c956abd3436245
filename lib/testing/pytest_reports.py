"""pytest's reports read into a TestRun: JUnit XML, and the locations and messages of its terminal text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hookwright.frozen import replace
from hookwright.lazy_regex import compile_lazily
from hookwright.testing.reports import (
    ReportPaths,
    TestFailure,
    TestRun,
    clip,
    last_line,
    parsed_run,
    to_float,
    unreadable,
)

_PY_LOC = compile_lazily(r"^(?P<path>[^\s<>:][^<>:\n]*\.\w+):(?P<line>\d+):(?: .*)?$", re.M)
_PY_FILE = compile_lazily(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
_PY_E_LINE = compile_lazily(r"^E\s+(\S.*)$", re.M)
_PY_EXCEPTION = compile_lazily(r"^[A-Za-z_][\w.]*: \S")
_PY_GENERIC = ("collection failure", "")


def pytest_frames(text: str, repo: ReportPaths) -> list[tuple[str, int]]:
    """The places inside the repository in a pytest traceback, outermost first."""
    places = sorted([*_PY_LOC.finditer(text), *_PY_FILE.finditer(text)], key=lambda m: m.start())
    return [(path, int(m["line"])) for m in places if (path := repo.own(m["path"])) is not None]


def pytest_location(text: str, repo: ReportPaths) -> tuple[str | None, int | None]:
    """The deepest place inside the repository in a pytest traceback: where the user looks."""
    frames = pytest_frames(text, repo)
    return frames[-1] if frames else (None, None)


def pytest_message(headline: str, text: str) -> str:
    first = headline.strip().splitlines()[0] if headline.strip() else ""
    for when in ("setup", "teardown"):
        prefix = f'failed on {when} with "'
        if first.startswith(prefix):  # junit wraps setup errors: keep what the terminal shows
            return clip(first[len(prefix) :].removesuffix('"'))
    if first not in _PY_GENERIC and not first.endswith("..."):
        return clip(first)
    raised = _PY_E_LINE.findall(text)
    for line in raised:
        if _PY_EXCEPTION.match(line):
            return clip(line)
    return clip(raised[0] if raised else first or last_line(text) or "failed")


_DOCTEST_END = compile_lazily(r"^\S.*?:\d+: (DocTestFailure|UnexpectedException)$", re.M)
_NUMBERED = compile_lazily(r"^\d+ (.*)$")


def doctest_message(text: str) -> str | None:
    """A failed doctest in one line: the example, and what was expected and got (or raised)."""
    end = _DOCTEST_END.search(text)
    if end is None:
        return None
    lines = text[: end.start()].splitlines()
    numbered = [m.group(1) for m in map(_NUMBERED.match, lines) if m]
    starts = [i for i, line in enumerate(numbered) if line.lstrip().startswith(">>>")]
    example = " ".join(line.strip() for line in numbered[starts[-1] :]) if starts else "the example"
    rest = lines[len(numbered) :]
    if end.group(1) == "UnexpectedException":
        raised = [line for line in rest if _PY_EXCEPTION.match(line)]
        return clip(f"doctest {example} raised {raised[-1] if raised else 'an exception'}")

    def block(title: str, until: str) -> str:
        taken = rest[rest.index(title) + 1 :] if title in rest else []
        taken = taken[: taken.index(until)] if until in taken else taken
        return " / ".join(line.strip() for line in taken if line.strip()) or "nothing"

    return clip(f"doctest {example}: expected {block('Expected:', 'Got:')}, got {block('Got:', '')}")


def _junit_test_id(classname: str, name: str, file: str | None, repo: ReportPaths) -> tuple[str, str | None]:
    """pytest's node id back from junit's classname/name, and the test file when known."""
    if file is None:
        # xunit2 has no file attribute: the longest dotted prefix that names a file is the module.
        parts = (classname or name).split(".")
        for cut in range(len(parts), 0, -1):
            candidate = "/".join(parts[:cut]) + ".py"
            if repo.root is not None and (repo.root / candidate).is_file():
                file = candidate
                break
        else:
            return (f"{classname}::{name}" if classname else name), None
    module = file.removesuffix(".py").replace("/", ".")
    if not classname and name == module:
        return file, file  # a collection error: the node is the file itself
    inner = classname[len(module) + 1 :] if classname.startswith(module + ".") else ""
    return "::".join([file, *(inner.split(".") if inner else []), name]), file


def parse_junit_xml(data: bytes, root: Path | None = None) -> TestRun:
    """A pytest ``--junitxml`` report (xunit1 or xunit2) as a TestRun."""
    repo = ReportPaths(root)
    try:
        # expat neither fetches external entities nor expands nested ones unboundedly.
        tree = ET.fromstring(data)
    except ET.ParseError as exc:
        return unreadable("pytest", f"malformed JUnit XML report: {exc}")
    if tree.tag not in ("testsuites", "testsuite"):
        return unreadable("pytest", f"not a JUnit XML report (root element <{tree.tag}>)")
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    failures: list[TestFailure] = []
    durations: dict[str, float] = {}
    for case in tree.iter("testcase"):
        test_id, file = _junit_test_id(
            case.get("classname", ""), case.get("name", ""), case.get("file"), repo
        )
        if file is not None:
            durations[file] = durations.get(file, 0.0) + to_float(case.get("time"))
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                kind = "failure" if child.tag == "failure" else "error"
                counts["failed" if kind == "failure" else "errors"] += 1
                outcome = kind
                text = child.text or ""
                path, line = pytest_location(text, repo)
                if path is None and file is not None:
                    path = repo.path(file)
                    defined = case.get("line", "")
                    line = int(defined) + 1 if defined.isdigit() else None  # junit's line is 0-based
                message = doctest_message(text) or pytest_message(child.get("message", ""), text)
                failures.append(TestFailure(test_id, path, line, message, kind))
            elif child.tag == "skipped" and outcome == "passed":
                outcome = "skipped"
        if outcome in ("passed", "skipped"):
            counts[outcome] += 1
    suites = [tree] if tree.tag == "testsuite" else list(tree.iter("testsuite"))
    run = parsed_run("pytest", counts, failures, sum(to_float(s.get("time")) for s in suites))
    return replace(run, file_durations=durations)
