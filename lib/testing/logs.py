"""Saved test logs (pytest, jest and go test terminal output) read back into a TestRun.

The fallback when a structured report is missing or damaged, and the way in for logs a user saved.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from hookwright.frozen import replace
from hookwright.testing.go_reports import (
    GO_BUILD,
    GO_PACKAGE_FAILED,
    GO_SUMMARY,
    GoResults,
    go_module,
    parse_go_json,
)
from hookwright.testing.jest_reports import jest_failure, parse_jest_json
from hookwright.testing.pytest_reports import parse_junit_xml, pytest_frames, pytest_location, pytest_message
from hookwright.testing.reports import (
    ReportPaths,
    TestFailure,
    TestRun,
    parsed_run,
    strip_ansi,
    tail,
    unreadable,
)

_PY_MARK = re.compile(
    r"^(?:=+ (?:test session starts|short test summary info|FAILURES|ERRORS) =+$"
    r"|(?:FAILED|ERROR) \S+::"
    r"|=*\s*(?:\d+ (?:passed|failed|errors?|skipped)\b.*|no tests ran) in [\d.]+s)",
    re.M,
)
_JS_MARK = re.compile(r"^(?:Tests:\s+.*\d+ total|Test Suites:\s|\s*● )", re.M)
_GO_MARK = re.compile(
    r"^(?:\s*--- (?:FAIL|PASS|SKIP): |=== RUN\s|(?:ok|FAIL)\s+\S+\s+(?:[\d.]+s|\(cached\)|\[))",
    re.M,
)
_PY_SECTION = re.compile(r"^_{3,} (?P<title>.+?) _{3,}$")
_PY_BANNER = re.compile(r"^(?:={3,}|!{3,})")
_PY_SHORT = re.compile(r"^(?P<kind>FAILED|ERROR) (?P<id>.+?)(?: - (?P<msg>.*))?$")
_PY_TOTALS = re.compile(r"^=*\s*(?P<counts>(?:\d+ \w+,? ?)+|no tests ran)\s*in (?P<secs>[\d.]+)s\b")
_JS_FILE = re.compile(r"^\s*(?:PASS|FAIL)\s+(?P<path>\S+)")
_JS_BULLET = re.compile(r"^\s*● (?P<title>.+?)\s*$")
_JS_TIME = re.compile(r"^Time:\s+(?P<value>[\d.]+)\s*(?P<unit>ms|s)\b")
_JS_END = re.compile(r"^(?:Test Suites:|Tests:|Snapshots:|Time:|Ran all test suites)")
_WHEN = ("setup", "teardown")
_GO_RUN = re.compile(r"^=== (?:RUN|CONT|PAUSE|NAME)\s+(?P<name>\S+)")
_GO_VERDICT = re.compile(r"^\s*--- (?P<verdict>PASS|FAIL|SKIP): (?P<name>\S+)")
# The words of pytest's and jest's closing lines, onto TestRun's four counts.
_COUNT_NAMES = dict.fromkeys(("passed", "xpassed"), "passed") | dict.fromkeys(("failed",), "failed")
_COUNT_NAMES |= dict.fromkeys(("error", "errors"), "errors")
_COUNT_NAMES |= dict.fromkeys(("skipped", "xfailed", "todo", "pending"), "skipped")


def parse_text_log(text: str, root: Path | None = None, framework: str | None = None) -> TestRun:
    """A saved log as a TestRun; which runner wrote it is told from the text unless ``framework``.

    Structured output saved as a log (JUnit XML, ``jest --json``, ``go test -json``) is recognised
    too. Counts come from the runner's closing line when it printed one (``go test`` without ``-v``
    prints no passing tests); the exit code is inferred: 1 when anything failed.
    """
    text = strip_ansi(text)
    head = text.lstrip()
    if head.startswith("<"):
        return replace(parse_junit_xml(text.encode(), root), output=tail(text))
    if re.search(r'^\{.*"Action":', head[:5000], re.M):
        return parse_go_json(text.encode(), root)
    if head.startswith("{"):
        return replace(parse_jest_json(text.encode(), root), output=tail(text))
    name = framework or next(
        (n for n, mark in (("pytest", _PY_MARK), ("jest", _JS_MARK), ("go", _GO_MARK)) if mark.search(text)),
        None,
    )
    parser = _LOG_PARSERS.get(name or "")
    if parser is None:
        return unreadable(
            "unknown", "cannot tell which test runner wrote this log (pytest, jest or go)", text
        )
    return parser(text, ReportPaths(root))


def _counts(found: Sequence[tuple[str, str]]) -> dict[str, int]:
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for number, word in found:
        if word in _COUNT_NAMES:
            counts[_COUNT_NAMES[word]] += int(number)
    return counts


def _pytest_log(text: str, repo: ReportPaths) -> TestRun:
    blocks: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    short: list[tuple[str, str, str]] = []
    counts: dict[str, int] | None = None
    duration = 0.0
    for line in text.splitlines():
        totals = _PY_TOTALS.match(line)
        header = _PY_SECTION.match(line)
        if totals:  # the last one wins: a failing test's captured output may print one too
            counts = _counts(re.findall(r"(\d+) (\w+)", totals["counts"]))
            duration, current = float(totals["secs"]), None
        elif header:
            blocks.append((header["title"], []))
            current = blocks[-1][1]
        elif _PY_BANNER.match(line):
            current = None
        elif current is not None:
            current.append(line)
        elif found := _PY_SHORT.match(line):
            short.append((found["kind"], found["id"], found["msg"] or ""))
    bodies: dict[str, deque[str]] = {}
    for title, lines in blocks:
        bodies.setdefault(title, deque()).append("\n".join(lines))
    failures: list[TestFailure] = []
    for kind, test_id, headline in short:
        parts = test_id.split("::")
        inner = ".".join(parts[1:])
        titles = [inner, test_id] if kind == "FAILED" else [f"ERROR at {w} of {inner}" for w in _WHEN]
        titles.append(f"ERROR collecting {test_id}")
        body = next((bodies[t].popleft() for t in titles if bodies.get(t)), "")
        path, line_no = pytest_location(body, repo)
        if path is None and parts[0].endswith(".py"):
            path = repo.path(parts[0])
        kind_name = "failure" if kind == "FAILED" else "error"
        failures.append(TestFailure(test_id, path, line_no, pytest_message(headline, body), kind_name))
    if not short:  # -rN: no short summary, so each section's title and first frame name its test
        failures = [_pytest_section(title, "\n".join(lines), repo) for title, lines in blocks]
    if counts is None:
        if not failures:
            return unreadable("pytest", "no pytest summary in the log (was it cut short?)", text)
        counts = {
            "failed": sum(f.kind == "failure" for f in failures),
            "errors": sum(f.kind == "error" for f in failures),
        }
    return parsed_run("pytest", counts, failures, duration, text)


def _pytest_section(title: str, body: str, repo: ReportPaths) -> TestFailure:
    kind = "error" if title.startswith("ERROR ") else "failure"
    name = re.sub(r"^ERROR (?:collecting|at \w+ of) ", "", title)
    path, line = pytest_location(body, repo)
    message = pytest_message("", body)
    if title.startswith("ERROR collecting "):
        return TestFailure(name, path or repo.path(name), line, message, kind)
    frames = pytest_frames(body, repo)
    function, bracket, params = name.partition("[")  # "TestK.test_p[1.5]": dots in ids stay
    test_id = "::".join([frames[0][0], *function.split(".")]) + bracket + params if frames else name
    return TestFailure(test_id, path, line, message, kind)


def _jest_log(text: str, repo: ReportPaths) -> TestRun:
    blocks: dict[tuple[str, str], list[str]] = {}
    current: list[str] | None = None
    suite = ""
    counts: dict[str, int] | None = None
    duration = 0.0
    for line in text.splitlines():
        if found := _JS_FILE.match(line):
            suite, current = found["path"], None
        elif found := _JS_BULLET.match(line):
            # Jest repeats failures under "Summary of all failing tests": the first copy counts.
            key = (suite, found["title"])
            current = [] if key in blocks else blocks.setdefault(key, [])
        elif line.startswith("Tests:"):
            counts, current = _counts(re.findall(r"(\d+) (\w+)", line)), None
        elif found := _JS_TIME.match(line):
            duration = float(found["value"]) / (1000 if found["unit"] == "ms" else 1)
        elif _JS_END.match(line):
            current = None
        elif current is not None:
            current.append(line)
    failures: list[TestFailure] = []
    for (file, title), lines in blocks.items():
        path = repo.path(file)
        label = path or file
        if title == "Test suite failed to run":
            failures.append(jest_failure(label, "\n".join(lines), repo, path, "error"))
        elif title != "Console":
            test_id = f"{label} > {title.replace(' › ', ' > ')}"
            failures.append(jest_failure(test_id, "\n".join(lines), repo, path, "failure"))
    errors = sum(f.kind == "error" for f in failures)
    if counts is None:
        if not failures:
            return unreadable("jest", "no jest summary in the log (was it cut short?)", text)
        counts = {"failed": len(failures) - errors}
    return parsed_run("jest", {**counts, "errors": errors}, failures, duration, text)


def _go_log(text: str, repo: ReportPaths) -> TestRun:
    results = GoResults(repo, go_module(repo.root))
    pending: dict[str, list[str]] = {}
    verdicts: dict[str, str] = {}
    package_lines: list[str] = []
    build: list[str] = []
    current: str | None = None
    in_build = False
    for line in text.splitlines():
        if summary := GO_SUMMARY.match(line):
            pkg = summary["pkg"]
            for test, lines in pending.items():
                results.tests[(pkg, test)] = lines
                if test in verdicts:
                    results.status[(pkg, test)] = verdicts[test]
            if summary["verdict"] == "FAIL":
                failed = GO_PACKAGE_FAILED.match(line)
                results.failed_packages[pkg] = failed["why"] if failed else "failed"
                results.package_lines[pkg] = package_lines
            results.duration = max(results.duration, float(summary["secs"] or 0))
            pending, verdicts, package_lines, current, in_build = {}, {}, [], None, False
        elif line.startswith("# ") or (in_build and GO_BUILD.match(line)):
            build.append(line)
            in_build = True
        elif found := _GO_RUN.match(line) or _GO_VERDICT.match(line):
            current, in_build = found["name"], False
            pending.setdefault(current, [])
            if "verdict" in found.groupdict():
                verdicts[current] = found["verdict"].lower()
        else:
            in_build = False
            (pending[current] if current is not None else package_lines).append(line)
    for test, lines in pending.items():  # a log cut short before its package line
        results.tests[("", test)] = lines
        if test in verdicts:
            results.status[("", test)] = verdicts[test]
    results.add_build_output("\n".join(build))
    if not results.tests and not results.failed_packages and not results.build_errors:
        return unreadable("go", "no go test results in the log (was it cut short?)", text)
    return results.result(text)


_LOG_PARSERS: dict[str, Callable[[str, ReportPaths], TestRun]] = {
    "pytest": _pytest_log,
    "jest": _jest_log,
    "go": _go_log,
}
