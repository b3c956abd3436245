"""hookwright.testing.adapters against real pytest, jest and go runs of tiny suites built in tmp_path.

Tools: pytest comes from this venv. jest needs node and npm: a session fixture installs jest@29 once
into a temporary directory, with npm's cache there too. To reuse an install, point
HOOKWRIGHT_JEST_DIR at a directory where it already ran (it holds node_modules/.bin/jest):

    npm install --prefix "$HOOKWRIGHT_JEST_DIR" --no-audit --no-fund --loglevel=error jest@29

go tests need `go` on PATH (Debian: golang-go). Every cache (npm, GOCACHE, GOPATH, XDG_CACHE_HOME)
lives in a temporary directory and GOPROXY=off: nothing is written to $HOME, nothing is downloaded
by go. A missing tool skips its tests locally; with CI set it fails them, so a CI run that forgot
to install a tool cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from hookwright.errors import BadInput
from hookwright.testing import adapters as testing
from hookwright.testing.adapters import TestFailure, TestRun


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def line_of(path: Path, marker: str) -> int:
    lines = path.read_text().splitlines()
    return next(number for number, text in enumerate(lines, 1) if marker in text)


def unavailable(reason: str) -> None:
    """Skip here; fail under CI, where every tool must be installed (see the top of this file)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must provide it")
    pytest.skip(reason)


def require(tool: str) -> None:
    if shutil.which(tool) is None:
        unavailable(f"`{tool}` is not installed")


def same_results(left: TestRun, right: TestRun) -> None:
    key = lambda f: (f.test_id, f.kind, f.path or "", f.line or 0)  # noqa: E731
    assert sorted(left.failures, key=key) == sorted(right.failures, key=key)
    assert (left.passed, left.failed, left.errors, left.skipped) == (
        right.passed,
        right.failed,
        right.errors,
        right.skipped,
    )


@pytest.fixture(scope="session")
def tool_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Our environment with every cache the tools keep moved out of $HOME."""
    caches = tmp_path_factory.mktemp("caches")
    ours = ("PYTEST_", "GO", "NPM_CONFIG_")  # a developer's own settings must not steer the tools
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(ours)}
    env.update(
        XDG_CACHE_HOME=str(caches / "xdg"),
        npm_config_cache=str(caches / "npm"),
        npm_config_update_notifier="false",
        GOCACHE=str(caches / "gocache"),
        GOPATH=str(caches / "gopath"),
        GOENV="off",
        GOFLAGS="",
        GOPROXY="off",
        GOTOOLCHAIN="local",
        GOTELEMETRY="off",
        CGO_ENABLED="0",
    )
    return env


@pytest.fixture(scope="session")
def jest_modules(tmp_path_factory: pytest.TempPathFactory, tool_env: dict[str, str]) -> Path:
    """A node_modules directory holding jest, installed once per session (or HOOKWRIGHT_JEST_DIR)."""
    require("node")
    preinstalled = os.environ.get("HOOKWRIGHT_JEST_DIR")
    if preinstalled:
        modules = Path(preinstalled) / "node_modules"
        assert (modules / ".bin" / "jest").exists(), f"HOOKWRIGHT_JEST_DIR has no jest: {modules}"
        return modules
    require("npm")
    prefix = tmp_path_factory.mktemp("jest")
    argv = ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "jest@29"]
    done = subprocess.run(
        argv, cwd=prefix, env=tool_env, check=False, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        unavailable(f"npm could not install jest: {done.stderr.strip()[-500:]}")
    return prefix / "node_modules"


# --- pytest ---------------------------------------------------------------------------------------


@pytest.fixture
def pytest_suite(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "tests/test_calc.py": """
                import pytest

                def check_sum(total):
                    assert total == 4  # deepest frame

                def test_adds():
                    check_sum(1 + 2)

                def test_passes():
                    assert 1 + 1 == 2

                @pytest.mark.skip(reason="later")
                def test_skipped():
                    pass
            """,
        },
    )


def test_pytest_failure_points_at_the_deepest_frame(pytest_suite: Path, tool_env: dict[str, str]) -> None:
    run = testing.run_tests(pytest_suite, env=tool_env)
    test_file = pytest_suite / "tests/test_calc.py"
    assert run.framework == "pytest"
    assert (run.passed, run.failed, run.errors, run.skipped) == (1, 1, 0, 1)
    assert run.failures == (
        TestFailure(
            "tests/test_calc.py::test_adds",
            "tests/test_calc.py",
            line_of(test_file, "# deepest frame"),
            "assert 3 == 4",
        ),
    )
    assert not run.ok and run.returncode == 1 and not run.timed_out
    [finding] = run.findings()
    assert finding.location() == f"tests/test_calc.py:{line_of(test_file, '# deepest frame')}"
    assert (finding.code, finding.severity, finding.step) == ("test-failure", "error", "tests")
    assert finding.message == "tests/test_calc.py::test_adds: assert 3 == 4"
    # A check must leave nothing behind in the tree it verifies.
    assert not (pytest_suite / ".pytest_cache").exists()
    assert not list(pytest_suite.rglob("__pycache__"))
    assert not list(pytest_suite.rglob("*.xml"))


def test_pytest_collection_errors_are_errors_with_their_place(
    tmp_path: Path, tool_env: dict[str, str]
) -> None:
    write_tree(
        tmp_path,
        {
            "tests/test_syntax.py": """
                def test_fine():
                    pass

                def test_broken(:
                    pass
            """,
            "tests/test_imports.py": """
                import os

                import no_such_module_hookwright
            """,
        },
    )
    run = testing.run_tests(tmp_path, env=tool_env)
    assert (run.passed, run.failed, run.errors) == (0, 0, 2)
    assert not run.ok and run.returncode == 2
    assert sorted(run.failures, key=lambda f: f.test_id) == [
        TestFailure(
            "tests/test_imports.py",
            "tests/test_imports.py",
            line_of(tmp_path / "tests/test_imports.py", "import no_such_module"),
            "ModuleNotFoundError: No module named 'no_such_module_hookwright'",
            "error",
        ),
        TestFailure(
            "tests/test_syntax.py",
            "tests/test_syntax.py",
            line_of(tmp_path / "tests/test_syntax.py", "def test_broken(:"),
            "SyntaxError: invalid syntax",
            "error",
        ),
    ]
    assert {f.code for f in run.findings()} == {"test-error"}


def test_pytest_with_no_tests_is_ok(tmp_path: Path, tool_env: dict[str, str]) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    run = testing.run_tests(tmp_path, env=tool_env)
    assert run.returncode == 5
    assert run.ok and run.findings() == []
    assert (run.passed, run.failed, run.errors, run.skipped) == (0, 0, 0, 0)


def test_pytest_timeout_stops_the_suite(tmp_path: Path, tool_env: dict[str, str]) -> None:
    write_tree(tmp_path, {"test_slow.py": "import time\n\ndef test_sleeps():\n    time.sleep(30)\n"})
    run = testing.run_tests(tmp_path, timeout=2, env=tool_env)
    assert run.timed_out and not run.ok
    [finding] = run.findings()
    assert finding.path is None
    assert finding.code == "test-timeout"
    assert finding.message == "tests timed out after 2 s"


def test_pytest_usage_error_is_one_finding_saying_what_happened(
    pytest_suite: Path, tool_env: dict[str, str]
) -> None:
    run = testing.run_tests(pytest_suite, args=["--no-such-option-hookwright"], env=tool_env)
    assert not run.ok and run.returncode == 4
    [finding] = run.findings()
    assert finding.path is None and finding.code == "test-error"
    assert "pytest exited with code 4" in finding.message
    assert "--no-such-option-hookwright" in finding.message


def test_pytest_report_elsewhere_falls_back_to_the_output(
    pytest_suite: Path, tool_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A user's own --junitxml wins over ours: the terminal output still says what failed.
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "report.xml"
    run = testing.run_tests(pytest_suite, args=[f"--junitxml={elsewhere}"], env=tool_env)
    reference = testing.run_tests(pytest_suite, env=tool_env)
    same_results(run, reference)
    assert not run.problem


def test_pytest_xunit2_report_gives_the_same_ids(pytest_suite: Path, tool_env: dict[str, str]) -> None:
    run = testing.run_tests(pytest_suite, args=["-o", "junit_family=xunit2"], env=tool_env)
    same_results(run, testing.run_tests(pytest_suite, env=tool_env))


def test_pytest_under_coverage_writes_the_data_file(
    pytest_suite: Path, tool_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    pytest.importorskip("coverage")
    data = tmp_path_factory.mktemp("coverage") / "data"
    run = testing.run_tests(pytest_suite, env=tool_env, coverage_data=data)
    assert data.is_file()
    assert [f.test_id for f in run.failures] == ["tests/test_calc.py::test_adds"]
    assert not list(pytest_suite.glob(".coverage*"))


# --- jest -----------------------------------------------------------------------------------------


@pytest.fixture
def jest_suite(tmp_path: Path, jest_modules: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "package.json": '{"name": "tiny", "version": "1.0.0", "devDependencies": {"jest": "^29"}}\n',
            "src/sum.js": """
                function sum(a, b) {
                  return a + b;
                }
                module.exports = { sum };
            """,
            "src/sum.test.js": """
                const { sum } = require("./sum");

                describe("sum", () => {
                  test("adds", () => {
                    expect(sum(1, 2)).toBe(4); // failing line
                  });
                  test("passes", () => {
                    expect(sum(1, 1)).toBe(2);
                  });
                  test.skip("skipped", () => {});
                });
            """,
            "src/broken.test.js": """
                // a suite that cannot even be parsed
                const total = ;
            """,
        },
    )
    (tmp_path / "node_modules").symlink_to(jest_modules, target_is_directory=True)
    return tmp_path


def test_jest_failure_and_suite_error(jest_suite: Path, tool_env: dict[str, str]) -> None:
    run = testing.run_tests(jest_suite, env=tool_env)
    assert run.framework == "jest"
    assert (run.passed, run.failed, run.errors, run.skipped) == (1, 1, 1, 1)
    failure, error = sorted(run.failures, key=lambda f: f.kind, reverse=True)
    assert failure.test_id == "src/sum.test.js > sum > adds"
    assert (failure.path, failure.line, failure.kind) == (
        "src/sum.test.js",
        line_of(jest_suite / "src/sum.test.js", "// failing line"),
        "failure",
    )
    assert failure.message.startswith("expect(received).toBe(expected)")
    assert "Expected: 4 Received: 3" in failure.message
    assert (error.test_id, error.path, error.line, error.kind) == (
        "src/broken.test.js",
        "src/broken.test.js",
        line_of(jest_suite / "src/broken.test.js", "const total = ;"),
        "error",
    )
    assert error.message.startswith("SyntaxError: Unexpected token")
    assert not run.ok
    assert {f.code for f in run.findings()} == {"test-failure", "test-error"}


def test_a_jest_config_that_matches_no_test_file_is_no_pass(
    tmp_path: Path, jest_modules: Path, tool_env: dict[str, str]
) -> None:
    # Plain `jest` exits 1 here ("No tests found"): a run that ran no test checked nothing.
    write_tree(
        tmp_path,
        {
            "package.json": '{"name": "none", "version": "1.0.0", "jest": {"testMatch": ["**/*.spec.js"]}}\n',
            "src/a.test.js": 'test("a", () => { expect(1).toBe(2); });\n',
        },
    )
    (tmp_path / "node_modules").symlink_to(jest_modules, target_is_directory=True)
    run = testing.run_tests(tmp_path, env=tool_env)
    assert run.framework == "jest"
    assert (run.passed, run.failed, run.errors) == (0, 0, 0)
    assert not run.ok, run
    assert run.findings(), run


def test_jest_thrown_error_points_into_the_code_under_test(
    tmp_path: Path, jest_modules: Path, tool_env: dict[str, str]
) -> None:
    write_tree(
        tmp_path,
        {
            "package.json": '{"name": "deep", "version": "1.0.0", "jest": {}}\n',
            "lib/limit.js": """
                function limit(x) {
                  if (x > 1) throw new RangeError("too big: " + x); // thrown here
                  return x;
                }
                module.exports = { limit };
            """,
            "test/limit.test.js": """
                const { limit } = require("../lib/limit");
                test("limits", () => {
                  limit(5);
                });
            """,
        },
    )
    (tmp_path / "node_modules").symlink_to(jest_modules, target_is_directory=True)
    run = testing.run_tests(tmp_path, env=tool_env)
    assert run.failures == (
        TestFailure(
            "test/limit.test.js > limits",
            "lib/limit.js",
            line_of(tmp_path / "lib/limit.js", "// thrown here"),
            "RangeError: too big: 5",
            column=20,
        ),
    )


# --- go -------------------------------------------------------------------------------------------

GO_MODULE = {
    "go.mod": "module example.com/m\n\ngo 1.19\n",
    "root_test.go": """
        package m

        import "testing"

        func TestRoot(t *testing.T) {}
    """,
    "calc/add.go": """
        package calc

        func Add(a, b int) int { return a + b + 1 }
    """,
    "calc/add_test.go": """
        package calc

        import "testing"

        func TestAdd(t *testing.T) {
            if got := Add(1, 2); got != 3 {
                t.Errorf("Add(1,2) = %d; want 3", got) // failing line
            }
        }

        func TestSkip(t *testing.T) { t.Skip("later") }
    """,
    "broken/b.go": """
        package broken

        func B() int {
            return y // undefined
        }
    """,
}


@pytest.fixture
def go_module(tmp_path: Path) -> Path:
    require("go")
    return write_tree(tmp_path, GO_MODULE)


def test_go_failure_in_a_subpackage_and_a_build_failure(go_module: Path, tool_env: dict[str, str]) -> None:
    run = testing.run_tests(go_module, env=tool_env, timeout=300)
    assert run.framework == "go"
    assert (run.passed, run.failed, run.errors, run.skipped) == (1, 1, 1, 1)
    assert sorted(run.failures, key=lambda f: f.kind, reverse=True) == [
        TestFailure(
            "example.com/m/calc.TestAdd",
            "calc/add_test.go",
            line_of(go_module / "calc/add_test.go", "// failing line"),
            "Add(1,2) = 4; want 3",
        ),
        TestFailure(
            "example.com/m/broken",
            "broken/b.go",
            line_of(go_module / "broken/b.go", "// undefined"),
            "undefined: y",
            "error",
            column=(go_module / "broken/b.go").read_text().splitlines()[3].index("y //") + 1,
        ),
    ]
    assert not run.ok
    assert "Add(1,2) = 4; want 3" in run.output  # the text, not the JSON events


def test_go_panic_points_at_the_deepest_own_frame(tmp_path: Path, tool_env: dict[str, str]) -> None:
    require("go")
    write_tree(
        tmp_path,
        {
            "go.mod": "module example.com/p\n\ngo 1.19\n",
            "p_test.go": """
                package p

                import "testing"

                func deref(p *int) int { return *p } // panics

                func TestPanics(t *testing.T) { _ = deref(nil) }
            """,
        },
    )
    run = testing.run_tests(tmp_path, env=tool_env, timeout=300)
    [failure] = run.failures
    assert (failure.test_id, failure.path) == ("example.com/p.TestPanics", "p_test.go")
    assert failure.line == line_of(tmp_path / "p_test.go", "// panics")
    assert failure.message.startswith("panic: runtime error: invalid memory address")


@pytest.mark.parametrize(("framework", "tool"), [("go", "go"), ("jest", "npx")])
def test_missing_tool_is_a_finding_not_a_crash(
    framework: str, tool: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    empty = tmp_path_factory.mktemp("no-tools")
    run = testing.run_tests(tmp_path, framework, env={"PATH": str(empty)})
    assert not run.ok
    [finding] = run.findings()
    assert finding.path is None
    assert finding.message == f"{tool} is not installed: cannot run the {framework} tests"


# --- saved logs -----------------------------------------------------------------------------------


def captured(argv: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=True, text=True, timeout=300)
    return done.stdout + "\n" + done.stderr


def test_pytest_log_parses_like_the_report(pytest_suite: Path, tool_env: dict[str, str]) -> None:
    log = captured([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], pytest_suite, tool_env)
    parsed = testing.parse_text_log(log, pytest_suite)
    assert parsed.framework == "pytest" and not parsed.problem
    same_results(parsed, testing.run_tests(pytest_suite, env=tool_env))
    assert parsed.duration > 0


def test_saved_junit_report_is_recognised(
    pytest_suite: Path, tool_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    report = tmp_path_factory.mktemp("saved") / "junit.xml"
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--junitxml={report}"]
    captured(argv, pytest_suite, tool_env)
    parsed = testing.parse_text_log(report.read_text(), pytest_suite)
    same_results(parsed, testing.run_tests(pytest_suite, env=tool_env))


def test_pytest_collection_error_log_parses_like_the_report(tmp_path: Path, tool_env: dict[str, str]) -> None:
    write_tree(tmp_path, {"tests/test_import.py": "import os\nimport no_such_module_hookwright\n"})
    log = captured([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], tmp_path, tool_env)
    same_results(testing.parse_text_log(log, tmp_path), testing.run_tests(tmp_path, env=tool_env))


def test_jest_log_parses_like_the_report(jest_suite: Path, tool_env: dict[str, str]) -> None:
    log = captured([str(jest_suite / "node_modules/.bin/jest"), "--ci"], jest_suite, tool_env)
    parsed = testing.parse_text_log(log, jest_suite)
    assert parsed.framework == "jest" and not parsed.problem
    same_results(parsed, testing.run_tests(jest_suite, env=tool_env))


def test_go_log_parses_like_the_report(go_module: Path, tool_env: dict[str, str]) -> None:
    # -v: without it go prints nothing about the tests that passed, so there is nothing to count.
    log = captured(["go", "test", "-v", "./..."], go_module, tool_env)
    parsed = testing.parse_text_log(log, go_module)
    assert parsed.framework == "go" and not parsed.problem
    same_results(parsed, testing.run_tests(go_module, env=tool_env, timeout=300))
    quiet = testing.parse_text_log(captured(["go", "test", "./..."], go_module, tool_env), go_module)
    assert quiet.failures == parsed.failures


def test_saved_go_json_is_recognised(go_module: Path, tool_env: dict[str, str]) -> None:
    stream = captured(["go", "test", "-json", "./..."], go_module, tool_env)
    parsed = testing.parse_text_log(stream, go_module)
    same_results(parsed, testing.run_tests(go_module, env=tool_env, timeout=300))


# --- damaged input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "data", "expected"),
    [
        pytest.param(
            testing.parse_junit_xml, b"<testsuites><testcase name='x'>", "malformed JUnit XML", id="junit-cut"
        ),
        pytest.param(testing.parse_junit_xml, b"<html><body/></html>", "not a JUnit XML", id="junit-html"),
        pytest.param(
            testing.parse_jest_json,
            b'{"testResults": [{"name": "/x.test.js"',
            "malformed jest JSON",
            id="jest-cut",
        ),
        pytest.param(testing.parse_jest_json, b"[1, 2]", "not a jest --json report", id="jest-list"),
        pytest.param(
            testing.parse_go_json,
            b"\x00garbage\nmore garbage {\n",
            "no `go test -json` events",
            id="go-garbage",
        ),
    ],
)
def test_damaged_reports_are_a_clear_finding(
    parse: object, data: bytes, expected: str, tmp_path: Path
) -> None:
    run = parse(data, tmp_path)  # type: ignore[operator]
    assert not run.ok
    [finding] = run.findings()
    assert finding.path is None and finding.code == "test-error"
    assert expected in finding.message


def test_unrecognised_log_is_a_clear_finding() -> None:
    run = testing.parse_text_log("make: *** [all] Error 2\n")
    assert run.framework == "unknown" and not run.ok
    assert "cannot tell which test runner" in run.findings()[0].message


# --- framework detection --------------------------------------------------------------------------

DETECTION = [
    ({}, None),
    ({"conftest.py": ""}, "pytest"),
    ({"pytest.ini": "[pytest]\n"}, "pytest"),
    ({"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-q'\n"}, "pytest"),
    ({"pyproject.toml": "[project]\nname = 'x'\n"}, None),
    ({"setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\n"}, "pytest"),
    ({"tox.ini": "[tox]\n\n[pytest]\n"}, "pytest"),
    ({"test_top.py": ""}, "pytest"),
    ({"pkg/thing_test.py": ""}, "pytest"),
    ({"tests/unit/api/test_deep.py": ""}, "pytest"),
    ({"a/b/c/test_too_deep.py": ""}, None),
    ({"node_modules/x/test_vendored.py": ""}, None),
    ({"package.json": '{"devDependencies": {"jest": "^29"}}'}, "jest"),
    ({"package.json": '{"dependencies": {"jest": "^29"}}'}, "jest"),
    ({"package.json": '{"jest": {"testEnvironment": "node"}}'}, "jest"),
    ({"package.json": '{"scripts": {"test": "jest --ci"}}'}, "jest"),
    ({"package.json": '{"devDependencies": {"mocha": "^10"}}'}, None),
    ({"package.json": "{not json"}, None),
    ({"jest.config.js": "module.exports = {};"}, "jest"),
    ({"go.mod": "module example.com/m\n"}, "go"),
    ({"sub/go.mod": "module example.com/m\n"}, None),
    ({"conftest.py": "", "package.json": '{"jest": {}}', "go.mod": "module m\n"}, "pytest"),
    ({"jest.config.ts": "", "go.mod": "module m\n"}, "jest"),
]


@pytest.mark.parametrize(
    ("files", "expected"), DETECTION, ids=lambda v: "+".join(v) if isinstance(v, dict) else None
)
def test_detect_framework(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    write_tree(tmp_path, files)
    assert testing.detect_framework(tmp_path) == expected


def test_no_framework_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no test framework found"):
        testing.run_tests(tmp_path)


# --- commands -------------------------------------------------------------------------------------


def test_commands(tmp_path: Path) -> None:
    report = tmp_path / "out" / "report"
    pytest_argv = testing.test_command("pytest", tmp_path, report, ["-k", "x"])
    assert pytest_argv[:3] == [sys.executable, "-m", "pytest"]
    assert pytest_argv[4:6] == ["-p", "no:cacheprovider"]
    assert f"--junitxml={report}" in pytest_argv and pytest_argv[-2:] == ["-k", "x"]
    assert testing.test_command("jest", tmp_path, report)[:3] == ["npx", "--no-install", "jest"]
    local = write_tree(tmp_path, {"node_modules/.bin/jest": "#!/bin/sh\n"}) / "node_modules/.bin/jest"
    jest_argv = testing.test_command("jest", tmp_path, report)
    assert jest_argv[0] == str(local) and "--testLocationInResults" in jest_argv
    assert testing.test_command("go", tmp_path, report, ["-run", "X"]) == [
        "go",
        "test",
        "-json",
        "./...",
        "-run",
        "X",
    ]
    covered = testing.test_command("pytest", tmp_path, report, coverage_data=tmp_path / "cov")
    assert covered[:6] == [sys.executable, "-m", "coverage", "run", f"--data-file={tmp_path / 'cov'}", "-m"]
    with pytest.raises(BadInput):
        testing.test_command("go", tmp_path, report, coverage_data=tmp_path / "cov")
    with pytest.raises(BadInput):
        testing.test_command("mocha", tmp_path, report)
