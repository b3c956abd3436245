"""Run a project's test suite (pytest, jest or go test) and parse what it reports into a TestRun.

TestRun lives in ``hookwright.testing.reports`` and each runner's parser beside it; this module finds
the framework, builds its command, runs it through ``hookwright.parallel`` and reads saved text logs.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from hookwright import parallel
from hookwright.errors import BadInput
from hookwright.frozen import replace
from hookwright.testing.frameworks import detect_framework
from hookwright.testing.pytest_reports import parse_junit_xml
from hookwright.testing.reports import TestFailure, TestRun, last_line, tail, unreadable
from hookwright.testing.run_env import child_environment

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.testing.pytest_prestart import Prestart

__all__ = [
    "FRAMEWORKS",
    "TestFailure",
    "TestRun",
    "detect_framework",
    "parse_go_json",
    "parse_jest_json",
    "parse_junit_xml",
    "parse_text_log",
    "run_tests",
    "test_command",
]


# The go, jest and saved-log parsers are imported when a report needs them: a pytest commit, the one
# most users make, paid ~5 ms for them and their 22 regular expressions (benchmarks/README.md, p22o).
def parse_go_json(stream: bytes, root: Path | None = None, stderr: bytes = b"") -> TestRun:
    from hookwright.testing import go_reports

    return go_reports.parse_go_json(stream, root, stderr)


def parse_jest_json(data: bytes, root: Path | None = None) -> TestRun:
    from hookwright.testing import jest_reports

    return jest_reports.parse_jest_json(data, root)


def parse_text_log(text: str, root: Path | None = None, framework: str | None = None) -> TestRun:
    from hookwright.testing import logs

    return logs.parse_text_log(text, root, framework)


# Also the order of preference when a repository fits several: a Python project with a package.json
# for its docs site is tested with pytest, a JS project with a Go helper module with jest.
FRAMEWORKS = ("pytest", "jest", "go")
_REPORT_NAMES = {"pytest": "junit.xml", "jest": "jest.json", "go": "go-test.json"}


# --- which framework ------------------------------------------------------------------------------


# --- running --------------------------------------------------------------------------------------


def test_command(
    framework: str,
    root: Path,
    report_path: Path,
    args: Sequence[str] = (),
    *,
    coverage_data: Path | None = None,
    python: str | None = None,
) -> list[str]:
    """The argv that runs ``framework``'s tests in ``root``, its report going to ``report_path``.

    ``python``: the interpreter that has the project's dependencies (default: this one).
    """
    if coverage_data is not None and framework != "pytest":
        raise BadInput(f"coverage is only measured for pytest suites, not {framework}")
    if framework == "pytest":
        interpreter = python or sys.executable
        runner = [interpreter, "-m", "pytest"]
        if coverage_data is not None:
            runner = [
                interpreter,
                "-m",
                "coverage",
                "run",
                f"--data-file={coverage_data}",
                "-m",
                "pytest",
            ]
        # xunit1, not pytest's default xunit2: only xunit1 keeps each test's file and line.
        # No cache provider: a check must not leave .pytest_cache in the tree it verifies.
        return [
            *runner,
            *(
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report_path}",
                "-o",
                "junit_family=xunit1",
            ),
            *args,
        ]
    if framework == "jest":
        # A workspace's folder finds the jest its root installed, as npm's scripts find it.
        local = next((p / "node_modules/.bin/jest" for p in (root, *root.parents) if _has_jest(p)), None)
        runner = [str(local)] if local is not None else ["npx", "--no-install", "jest"]
        flags = ["--json", f"--outputFile={report_path}", "--ci", "--testLocationInResults"]
        # No --passWithNoTests: as plain jest does, a run that finds no test fails (it checked nothing).
        return [*runner, *flags, *args]
    if framework == "go":
        return ["go", "test", "-json", "./...", *args]
    raise BadInput(f"unknown test framework {framework!r} (expected pytest, jest or go)")


test_command.__test__ = False  # type: ignore[attr-defined]  # a test_* name pytest must not collect


def _has_jest(folder: Path) -> bool:
    return (folder / "node_modules" / ".bin" / "jest").is_file()


def run_tests(
    root: Path,
    framework: str | None = None,
    *,
    args: Sequence[str] = (),
    timeout: float = 900,
    env: Mapping[str, str] | None = None,
    coverage_data: Path | None = None,
    python: str | None = None,
    prestarted: Prestart | None = None,
    scratch: Callable[[str], Path] | None = None,
    folder: str = "",
) -> TestRun:
    """Run the suite in ``root``; ``env`` is the whole environment (None: ours), as in parallel.

    ``folder``: the suite's own folder under ``root`` (a jest workspace), where it runs; the paths it
    reports stay relative to ``root``.

    ``prestarted``: a pytest process already started for this run, used when it fits.
    ``scratch``: where the report goes, by name (``git.scratch.scratch_names``; the caller removes
    it); without it, a temporary folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise BadInput(f"cannot run tests in {root}: not a directory")
    name = framework or detect_framework(root)
    if name is None:
        raise BadInput(f"no test framework found in {root} (pytest, jest or go)")
    with _report_names(scratch) as named:
        report = named(_REPORT_NAMES.get(name, "report"))
        work = root / folder
        argv = test_command(name, work, report, args, coverage_data=coverage_data, python=python)
        child_env = child_environment(env)
        # go's report is its stdout: it is parsed, so every byte is kept (None), never a head and tail.
        limit = None if name == "go" else parallel.DEFAULT_MAX_OUTPUT
        done = (prestarted and prestarted.take(argv, cwd=str(work), env=child_env)) or parallel.run(
            argv, cwd=work, env=child_env, timeout=timeout, max_output=limit
        )
        data = done.stdout if name == "go" else _read_report(report)
    text = done.out + ("\n" if done.out and not done.out.endswith("\n") else "") + done.err
    if done.missing:
        problem = f"{argv[0]} is not installed: cannot run the {name} tests"
        return replace(unreadable(name, problem, text), duration=done.duration, returncode=done.returncode)
    parsed: TestRun | None = None
    if name == "go":  # a module's packages are named from its own go.mod, its paths from its folder
        parsed = _under(folder, parse_go_json(data or b"", work, stderr=done.stderr))
    elif data is not None:
        parsed = (parse_junit_xml if name == "pytest" else parse_jest_json)(data, root)
    if parsed is None or parsed.problem:
        salvaged = parse_text_log(text, root, framework=name)
        if not salvaged.problem:
            parsed = salvaged
    code, last = done.returncode, last_line(text)
    exited = f"{name} exited with code {code}" + (f": {last}" if last else "")
    problem = ""
    if done.timed_out:
        problem = f"tests timed out after {timeout:g} s"
    elif parsed is None:
        problem = f"{name} wrote no report; {exited}"
    elif parsed.problem:
        problem = f"{parsed.problem}; {exited}"
    base = parsed or TestRun(name, 0, 0, 0, 0, 0.0, (), code)
    return replace(
        base,
        framework=name,
        duration=done.duration,
        returncode=code,
        timed_out=done.timed_out,
        output=base.output or tail(text),
        problem=problem,
    )


def _under(folder: str, run: TestRun) -> TestRun:
    """``run`` with each failure's path relative to the tree, for a suite run in ``folder``."""
    if not folder:
        return run
    failures = tuple(replace(f, path=f"{folder}/{f.path}") if f.path else f for f in run.failures)
    return replace(run, failures=failures)


@contextlib.contextmanager
def _report_names(given: Callable[[str], Path] | None) -> Iterator[Callable[[str], Path]]:
    if given is not None:
        yield given
        return
    import tempfile  # here: a caller without scratch names is rare; random and shutil come with it

    with tempfile.TemporaryDirectory(prefix="hookwright-tests-") as folder:
        yield lambda name: Path(folder) / name


def _read_report(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# --- saved text logs ------------------------------------------------------------------------------


def merge_runs(runs: Sequence[TestRun]) -> TestRun:
    """One TestRun from the shards of a suite run side by side (wall time: the slowest shard)."""
    first = runs[0]
    durations: dict[str, float] = {}
    for run in runs:
        durations.update(run.file_durations)
    return replace(
        first,
        passed=sum(r.passed for r in runs),
        failed=sum(r.failed for r in runs),
        errors=sum(r.errors for r in runs),
        skipped=sum(r.skipped for r in runs),
        duration=max(r.duration for r in runs),
        failures=tuple(f for r in runs for f in r.failures),
        returncode=max(r.returncode for r in runs),
        timed_out=any(r.timed_out for r in runs),
        output="\n".join(r.output for r in runs if r.output)[-4000:],
        problem="; ".join(r.problem for r in runs if r.problem),
        file_durations=durations,
    )
