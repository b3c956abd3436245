"""jest's ``--json`` report read into a TestRun, each failure placed on the user's own frame."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hookwright.frozen import replace
from hookwright.testing.reports import (
    ReportPaths,
    TestFailure,
    TestRun,
    clip,
    parsed_run,
    strip_ansi,
    to_float,
    unreadable,
)

_JS_FRAME = re.compile(r"^at (?:.+? \()?(?P<path>[^\s()]+?):(?P<line>\d+):(?P<col>\d+)\)?$")
_JS_CODE_FRAME = re.compile(r"^\s*(?:>\s*)?\d+ \||^\s+\|")
_JS_RAISED = re.compile(
    r"^(?P<name>\w*Error): (?:(?P<path>\S+?\.\w+): )?(?P<msg>.*?)"
    r"(?: \((?P<line>\d+):(?P<col>\d+)\))?$"
)
_JS_SUITE_ERROR = "Test suite failed to run"


def jest_failure(
    test_id: str, body: str, repo: ReportPaths, suite_path: str | None, kind: str
) -> TestFailure:
    """One jest failure from its message and stack: the deepest own frame is the place to look."""
    message_lines: list[str] = []
    in_message = True
    path = line = column = None
    for raw in strip_ansi(body).splitlines():
        stripped = raw.strip()
        frame = _JS_FRAME.match(stripped)
        if frame:
            in_message = False
            if path is None and repo.own(frame["path"]) is not None:
                path, line, column = repo.own(frame["path"]), int(frame["line"]), int(frame["col"])
        elif _JS_CODE_FRAME.match(raw):
            in_message = False
        elif in_message and stripped:
            message_lines.append(stripped)
    message = " ".join(message_lines).removeprefix("Error: ")
    if kind == "error":
        # A suite that failed to run: the error line says more than Jest's advice around it.
        for text in message_lines:
            raised = _JS_RAISED.match(text)
            if raised is None:
                continue
            message = f"{raised['name']}: {raised['msg']}"
            if raised["line"] and raised["path"] and repo.own(raised["path"]) is not None:
                path, line, column = (
                    repo.own(raised["path"]),
                    int(raised["line"]),
                    int(raised["col"]),
                )
            break
    if path is None:
        path = suite_path
    return TestFailure(test_id, path, line, clip(message or "failed"), kind, column)


def parse_jest_json(data: bytes, root: Path | None = None) -> TestRun:
    """A ``jest --json`` report as a TestRun."""
    repo = ReportPaths(root)
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return unreadable("jest", f"malformed jest JSON report: {exc}")
    if not isinstance(doc, dict) or not isinstance(doc.get("testResults"), list):
        return unreadable("jest", "not a jest --json report (no testResults)")
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    failures: list[TestFailure] = []
    spans: list[float] = []
    for suite in (s for s in doc["testResults"] if isinstance(s, dict)):
        name = str(suite.get("name", ""))
        suite_path = repo.path(name)
        label = suite_path or name
        spans.append((to_float(suite.get("endTime")) - to_float(suite.get("startTime"))) / 1000)
        results = [a for a in suite.get("assertionResults") or () if isinstance(a, dict)]
        for result in results:
            status = result.get("status")
            counts["passed" if status == "passed" else "failed" if status == "failed" else "skipped"] += 1
            if status != "failed":
                continue
            titles = [*(result.get("ancestorTitles") or ()), result.get("title", "")]
            messages = result.get("failureMessages") or [""]
            failure = jest_failure(
                f"{label} > {' > '.join(map(str, titles))}",
                str(messages[0]),
                repo,
                suite_path,
                "failure",
            )
            where = result.get("location")  # the test's definition: better than no line at all
            if failure.line is None and isinstance(where, dict) and isinstance(where.get("line"), int):
                failure = replace(failure, line=where["line"], column=where.get("column"))
            failures.append(failure)
        if suite.get("status") == "failed" and not any(r.get("status") == "failed" for r in results):
            counts["errors"] += 1
            body = strip_ansi(str(suite.get("message") or suite.get("failureMessage") or ""))
            body = body.split(_JS_SUITE_ERROR, 1)[-1]
            failures.append(jest_failure(label, body, repo, suite_path, "error"))
    return parsed_run("jest", counts, failures, max(spans, default=0.0))
