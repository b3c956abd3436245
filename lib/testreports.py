"""TestRun, and the parsers behind hookwright.testing: a runner's report in, a TestRun out."""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

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
    return _clip((erring or lines)[-1], 300) if lines else ""


def _clip(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def unreadable(framework: str, problem: str, output: str = "") -> TestRun:
    return TestRun(framework, 0, 0, 0, 0, 0.0, (), 1, output=tail(output), problem=problem)


def summarise(
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


class Repo:
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


# --- pytest ---------------------------------------------------------------------------------------

_PY_LOC = re.compile(r"^(?P<path>[^\s<>:][^<>:\n]*\.\w+):(?P<line>\d+):(?: .*)?$", re.M)
_PY_FILE = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
_PY_E_LINE = re.compile(r"^E\s+(\S.*)$", re.M)
_PY_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*: \S")
_PY_GENERIC = ("collection failure", "")


def pytest_frames(text: str, repo: Repo) -> list[tuple[str, int]]:
    """The places inside the repository in a pytest traceback, outermost first."""
    places = sorted([*_PY_LOC.finditer(text), *_PY_FILE.finditer(text)], key=lambda m: m.start())
    return [(path, int(m["line"])) for m in places if (path := repo.own(m["path"])) is not None]


def pytest_location(text: str, repo: Repo) -> tuple[str | None, int | None]:
    """The deepest place inside the repository in a pytest traceback: where the user looks."""
    frames = pytest_frames(text, repo)
    return frames[-1] if frames else (None, None)


def pytest_message(headline: str, text: str) -> str:
    first = headline.strip().splitlines()[0] if headline.strip() else ""
    for when in ("setup", "teardown"):
        prefix = f'failed on {when} with "'
        if first.startswith(prefix):  # junit wraps setup errors: keep what the terminal shows
            return _clip(first[len(prefix) :].removesuffix('"'))
    if first not in _PY_GENERIC and not first.endswith("..."):
        return _clip(first)
    raised = _PY_E_LINE.findall(text)
    for line in raised:
        if _PY_EXCEPTION.match(line):
            return _clip(line)
    return _clip(raised[0] if raised else first or last_line(text) or "failed")


_DOCTEST_END = re.compile(r"^\S.*?:\d+: (DocTestFailure|UnexpectedException)$", re.M)
_NUMBERED = re.compile(r"^\d+ (.*)$")


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
        return _clip(f"doctest {example} raised {raised[-1] if raised else 'an exception'}")

    def block(title: str, until: str) -> str:
        taken = rest[rest.index(title) + 1 :] if title in rest else []
        taken = taken[: taken.index(until)] if until in taken else taken
        return " / ".join(line.strip() for line in taken if line.strip()) or "nothing"

    return _clip(f"doctest {example}: expected {block('Expected:', 'Got:')}, got {block('Got:', '')}")


def _junit_test_id(classname: str, name: str, file: str | None, repo: Repo) -> tuple[str, str | None]:
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
    repo = Repo(root)
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
            durations[file] = durations.get(file, 0.0) + _float(case.get("time"))
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
    run = summarise("pytest", counts, failures, sum(_float(s.get("time")) for s in suites))
    return replace(run, file_durations=durations)


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0


# --- jest -----------------------------------------------------------------------------------------

_JS_FRAME = re.compile(r"^at (?:.+? \()?(?P<path>[^\s()]+?):(?P<line>\d+):(?P<col>\d+)\)?$")
_JS_CODE_FRAME = re.compile(r"^\s*(?:>\s*)?\d+ \||^\s+\|")
_JS_RAISED = re.compile(
    r"^(?P<name>\w*Error): (?:(?P<path>\S+?\.\w+): )?(?P<msg>.*?)"
    r"(?: \((?P<line>\d+):(?P<col>\d+)\))?$"
)
_JS_SUITE_ERROR = "Test suite failed to run"


def jest_failure(test_id: str, body: str, repo: Repo, suite_path: str | None, kind: str) -> TestFailure:
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
    return TestFailure(test_id, path, line, _clip(message or "failed"), kind, column)


def parse_jest_json(data: bytes, root: Path | None = None) -> TestRun:
    """A ``jest --json`` report as a TestRun."""
    repo = Repo(root)
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
        spans.append((_float(suite.get("endTime")) - _float(suite.get("startTime"))) / 1000)
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
    return summarise("jest", counts, failures, max(spans, default=0.0))


# --- go -------------------------------------------------------------------------------------------

_GO_LOG = re.compile(r"^\s+(?P<file>[^\s:]+\.go):(?P<line>\d+): (?P<msg>.*)$")
_GO_FRAME = re.compile(r"^\s+(?P<path>/\S+\.go):(?P<line>\d+)")
_GO_NOISE = re.compile(r"^(?:---|===|FAIL|PASS|ok\s)")
GO_BUILD = re.compile(r"^(?P<path>[^\s:#][^\s:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$")
GO_PACKAGE_FAILED = re.compile(r"^FAIL\s+(?P<pkg>\S+)\s+\[(?P<why>[^\]]+)\]")
GO_SUMMARY = re.compile(r"^(?P<verdict>ok|FAIL)\s+(?P<pkg>\S+)\s+(?:(?P<secs>[\d.]+)s|\(cached\)|\[)")


@dataclass
class GoResults:
    """What go test said, per (package, test); shared by the JSON and the text parser."""

    repo: Repo
    module: str | None
    tests: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    status: dict[tuple[str, str], str] = field(default_factory=dict)
    package_lines: dict[str, list[str]] = field(default_factory=dict)
    failed_packages: dict[str, str] = field(default_factory=dict)
    build_errors: list[TestFailure] = field(default_factory=list)
    duration: float = 0.0

    def file(self, pkg: str, name: str) -> str | None:
        """A file go printed relative to its package directory, relative to the repository."""
        if self.repo.root is None or self.module is None:
            return name
        if pkg == self.module:
            return self.repo.own(name)
        if pkg.startswith(self.module + "/"):
            return self.repo.own(name, pkg[len(self.module) + 1 :])
        return None

    def add_build_output(self, text: str, pkg: str = "") -> None:
        for line in strip_ansi(text).splitlines():
            if line.startswith("# "):
                pkg = line[2:].split()[0].strip("[]") if line[2:].split() else ""
                continue
            error = GO_BUILD.match(line)
            if error:
                self.build_errors.append(
                    TestFailure(
                        pkg or "build",
                        self.repo.own(error["path"]),
                        int(error["line"]),
                        _clip(error["msg"]),
                        "error",
                        int(error["col"]) if error["col"] else None,
                    )
                )

    def failure(self, test_id: str, pkg: str, lines: list[str], kind: str) -> TestFailure:
        panic = next((s.strip() for s in lines if s.startswith("panic: ")), None)
        if panic is not None:
            # A goroutine trace runs innermost first: the first frame in the repository is deepest.
            frames = (_GO_FRAME.match(line) for line in lines)
            own = next((f for f in frames if f and self.repo.own(f["path"]) is not None), None)
            message = _clip(panic.removesuffix(" [recovered]"))
            if own is None:
                return TestFailure(test_id, None, None, message, kind)
            return TestFailure(test_id, self.repo.own(own["path"]), int(own["line"]), message, kind)
        for logged in filter(None, map(_GO_LOG.match, lines)):
            place = self.file(pkg, logged["file"])
            return TestFailure(test_id, place, int(logged["line"]), _clip(logged["msg"]), kind)
        said = [s.strip() for s in lines if s.strip() and not _GO_NOISE.match(s.strip())]
        return TestFailure(test_id, None, None, _clip(said[-1] if said else "failed"), kind)

    def result(self, output: str) -> TestRun:
        parents = {(pkg, name.rsplit("/", 1)[0]) for pkg, name in self.tests if "/" in name}
        counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
        failures: list[TestFailure] = []
        failing_packages = set()
        for key, lines in self.tests.items():
            status = self.status.get(key, "")
            if key in parents or (not status and key[0] not in self.failed_packages):
                continue
            if status in ("pass", "skip"):
                counts["passed" if status == "pass" else "skipped"] += 1
                continue
            counts["failed"] += 1  # a test with no verdict in a failed package died with it
            failing_packages.add(key[0])
            test_id = f"{key[0]}.{key[1]}" if key[0] else key[1]
            failures.append(self.failure(test_id, key[0], lines, "failure"))
        failures.extend(self.build_errors)
        built = {f.test_id for f in self.build_errors}
        for pkg, why in self.failed_packages.items():
            if pkg in failing_packages or pkg in built:
                continue
            lines = self.package_lines.get(pkg, [])
            failures.append(
                self.failure(pkg, pkg, lines or [why], "error")
                if lines
                else TestFailure(pkg, None, None, why, "error")
            )
        counts["errors"] = sum(f.kind == "error" for f in failures)
        return summarise("go", counts, failures, self.duration, output)


def go_module(root: Path | None) -> str | None:
    if root is None:
        return None
    try:
        text = (root / "go.mod").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(r'^\s*module\s+"?([^\s"]+)"?', text, re.M)
    return found.group(1) if found else None


def parse_go_json(stream: bytes, root: Path | None = None, stderr: bytes = b"") -> TestRun:
    """``go test -json`` events (stdout) plus the build errors go writes to stderr, as a TestRun."""
    results = GoResults(Repo(root), go_module(root))
    text: list[str] = []
    # Build errors: plain text before go 1.24 (stdout and stderr, mixed in a saved log); events
    # after it, one per line, so each package's lines are gathered before they are read.
    builds: dict[str, list[str]] = {"": []}
    events = 0
    for raw in stream.decode("utf-8", "replace").splitlines():
        try:
            event = json.loads(raw) if raw.startswith("{") else None
        except ValueError:
            event = None
        if not isinstance(event, dict):
            builds[""].append(raw)
            text.append(raw + "\n")
            failed = GO_PACKAGE_FAILED.match(raw)
            if failed:
                results.failed_packages[failed["pkg"]] = failed["why"]
            continue
        events += 1
        action, out = event.get("Action"), str(event.get("Output") or "")
        pkg, test = str(event.get("Package") or ""), event.get("Test")
        text.append(out)
        if action == "build-output":
            builds.setdefault(str(event.get("ImportPath") or ""), []).append(out.rstrip("\n"))
        elif test:
            key = (pkg, str(test))
            results.tests.setdefault(key, [])
            if action == "output":
                results.tests[key].extend(out.splitlines())
            elif action in ("pass", "fail", "skip"):
                results.status[key] = action
        elif action == "output":
            results.package_lines.setdefault(pkg, []).extend(out.splitlines())
        elif action in ("pass", "fail"):
            if action == "fail":
                why = "build failed" if event.get("FailedBuild") else "failed"
                results.failed_packages.setdefault(pkg, why)
            results.duration = max(results.duration, _float(event.get("Elapsed")))
    err = stderr.decode("utf-8", "replace")
    builds[""].append(err)
    for import_path, lines in builds.items():
        results.add_build_output("\n".join(lines), import_path.split(" ")[0])
    run = results.result("".join(text) + err)
    if events == 0 and not run.failures:
        return unreadable("go", "no `go test -json` events in the output", "".join(text) + err)
    return run
