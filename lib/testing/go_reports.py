"""``go test -json`` read into a TestRun: build errors, panics and t.Error lines placed on their file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hookwright.frozen import dataclass, field
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

_GO_LOG = re.compile(r"^\s+(?P<file>[^\s:]+\.go):(?P<line>\d+): (?P<msg>.*)$")
_GO_FRAME = re.compile(r"^\s+(?P<path>/\S+\.go):(?P<line>\d+)")
_GO_NOISE = re.compile(r"^(?:---|===|FAIL|PASS|ok\s)")
GO_BUILD = re.compile(r"^(?P<path>[^\s:#][^\s:]*\.go):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.*)$")
GO_PACKAGE_FAILED = re.compile(r"^FAIL\s+(?P<pkg>\S+)\s+\[(?P<why>[^\]]+)\]")
GO_SUMMARY = re.compile(r"^(?P<verdict>ok|FAIL)\s+(?P<pkg>\S+)\s+(?:(?P<secs>[\d.]+)s|\(cached\)|\[)")


@dataclass
class GoResults:
    """What go test said, per (package, test); shared by the JSON and the text parser."""

    repo: ReportPaths
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
                        clip(error["msg"]),
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
            message = clip(panic.removesuffix(" [recovered]"))
            if own is None:
                return TestFailure(test_id, None, None, message, kind)
            return TestFailure(test_id, self.repo.own(own["path"]), int(own["line"]), message, kind)
        for logged in filter(None, map(_GO_LOG.match, lines)):
            place = self.file(pkg, logged["file"])
            return TestFailure(test_id, place, int(logged["line"]), clip(logged["msg"]), kind)
        said = [s.strip() for s in lines if s.strip() and not _GO_NOISE.match(s.strip())]
        return TestFailure(test_id, None, None, clip(said[-1] if said else "failed"), kind)

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
        return parsed_run("go", counts, failures, self.duration, output)


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
    results = GoResults(ReportPaths(root), go_module(root))
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
            results.duration = max(results.duration, to_float(event.get("Elapsed")))
    err = stderr.decode("utf-8", "replace")
    builds[""].append(err)
    for import_path, lines in builds.items():
        results.add_build_output("\n".join(lines), import_path.split(" ")[0])
    run = results.result("".join(text) + err)
    if events == 0 and not run.failures:
        return unreadable("go", "no `go test -json` events in the output", "".join(text) + err)
    return run
