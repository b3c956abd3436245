"""verify on jest projects, each verdict compared with plain jest on a clean export of the tree.

jest ignores every file under a path with a `.git` component: a copy of the tree kept in the git dir
made every jest project fail verify ("0 matches"). A tree with pytest tests and a jest suite must run
both: running only pytest passed a failing jest suite. jest comes from HOOKWRIGHT_JEST_DIR (see
tests/test_testing.py); without it these tests skip locally and fail under CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_ADD, git, hookwright, write

PACKAGE = '{"name": "tiny", "version": "1.0.0", "devDependencies": {"jest": "^29"}}\n'
SUM = "function sum(a, b) {\n  return a + b;\n}\nmodule.exports = { sum };\n"
PASSING = 'const { sum } = require("./sum");\n\ntest("adds", () => {\n  expect(sum(1, 2)).toBe(3);\n});\n'
FAILING = PASSING.replace("toBe(3)", "toBe(4)")


@pytest.fixture
def modules() -> Path:
    """jest's node_modules, installed once outside the tests (installing it here takes minutes)."""
    place = os.environ.get("HOOKWRIGHT_JEST_DIR")
    if not place or not (Path(place) / "node_modules" / ".bin" / "jest").exists():
        reason = "HOOKWRIGHT_JEST_DIR does not hold jest"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must provide it")
        pytest.skip(reason)
    return Path(place) / "node_modules"


@pytest.fixture
def jest_repo(in_git_dir: Path, modules: Path) -> Path:
    """A committed jest project whose one test passes; node_modules linked in and ignored, as users do."""
    repo = in_git_dir
    write(repo / "package.json", PACKAGE)
    write(repo / "src" / "sum.js", SUM)
    write(repo / "src" / "sum.test.js", PASSING)
    write(repo / ".gitignore", "node_modules\n")
    (repo / "node_modules").symlink_to(modules, target_is_directory=True)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "jest project")
    return repo


def plain_jest(repo: Path, tmp: Path, modules: Path, workspace: str | None = None) -> int:
    """jest's exit code on exactly the tree the next commit records, in a directory of its own;
    ``workspace``: node_modules laid out as npm does for the tree's workspace package of that name."""
    tree = git(repo, "write-tree").strip()
    archive = subprocess.run(["git", "archive", tree], cwd=repo, capture_output=True, check=True).stdout
    tmp.mkdir(parents=True)
    (tmp / "tree.tar").write_bytes(archive)
    clean = tmp / "clean"
    clean.mkdir()
    with tarfile.open(tmp / "tree.tar") as tar:
        tar.extractall(clean, filter="data")
    if workspace:
        workspace_modules(clean, modules, workspace)
    else:
        (clean / "node_modules").symlink_to(modules, target_is_directory=True)
    argv = [str(clean / "node_modules" / ".bin" / "jest"), "--ci"]
    return subprocess.run(argv, cwd=clean, capture_output=True, check=False).returncode


def verify(repo: Path, *args: str) -> tuple[int, dict[str, Any]]:
    """The exit code and the JSON record of `hookwright verify --only tests` on the whole tree."""
    argv = ("verify", "--all-files", "--only", "tests", "--format", "json", *args)
    done = hookwright(*argv, cwd=repo, env=dict(os.environ))
    assert done.stdout.startswith("{"), done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout)


def reason(record: dict[str, Any]) -> str:
    return str(record["steps"][0]["reason"])


def failed_files(record: dict[str, Any]) -> set[str]:
    return {str(finding.get("path")) for finding in record["findings"]}


def test_a_passing_jest_project_passes_as_plain_jest_does(
    jest_repo: Path, tmp_path: Path, modules: Path
) -> None:
    assert plain_jest(jest_repo, tmp_path / "plain", modules) == 0
    code, record = verify(jest_repo)
    assert code == 0, record
    assert reason(record).startswith("jest: 1 passed, 0 failed"), record
    # The cache key does not name the copy: the same tree again is answered from the cache.
    code, again = verify(jest_repo)
    assert code == 0 and again["steps"][0]["cached"], again
    # The copy jest ran in is gone, and the user's tree holds what it held.
    assert not list(Path(tempfile.gettempdir()).glob("hookwright-*")), "the copy jest ran in stayed"
    assert sorted(p.name for p in jest_repo.iterdir()) == [
        ".git",
        ".gitignore",
        "node_modules",
        "package.json",
        "src",
    ]


def test_a_failing_staged_test_fails_whatever_the_work_tree_says(
    jest_repo: Path, tmp_path: Path, modules: Path
) -> None:
    test_file = jest_repo / "src" / "sum.test.js"
    write(test_file, FAILING)
    git(jest_repo, "add", "src/sum.test.js")
    write(test_file, PASSING)  # unstaged: the commit still holds the failing test
    assert plain_jest(jest_repo, tmp_path / "plain", modules) == 1
    code, record = verify(jest_repo, "--no-cache")
    assert code == 1, record
    assert reason(record).startswith("jest: 0 passed, 1 failed"), record
    assert failed_files(record) == {"src/sum.test.js"}, record["findings"]


def test_an_unstaged_failing_edit_does_not_fail_a_passing_commit(jest_repo: Path) -> None:
    write(jest_repo / "src" / "sum.test.js", FAILING)  # not staged
    code, record = verify(jest_repo, "--no-cache")
    assert code == 0, record
    assert reason(record).startswith("jest: 1 passed"), record


def test_a_tree_with_pytest_and_jest_runs_both(jest_repo: Path, tmp_path: Path, modules: Path) -> None:
    repo = jest_repo
    write(repo / "pkg" / "__init__.py", "")
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a + b\n")
    write(repo / "tests" / "test_mod.py", TEST_ADD)
    write(repo / "src" / "sum.test.js", FAILING)
    git(repo, "add", ".")
    assert plain_jest(repo, tmp_path / "plain", modules) == 1
    code, record = verify(repo)
    assert code == 1, f"the failing jest suite went unrun: {record}"
    assert failed_files(record) == {"src/sum.test.js"}, record["findings"]
    # Fixed: both suites pass, and the pass names both; a pytest failure alone fails it too.
    write(repo / "src" / "sum.test.js", PASSING)
    git(repo, "add", ".")
    code, record = verify(repo)
    assert code == 0, record
    assert "pytest" in reason(record) and "jest: 1 passed" in reason(record), record
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a - b\n")
    git(repo, "add", ".")
    code, record = verify(repo)
    assert code == 1, record
    assert failed_files(record) == {"tests/test_mod.py"}, record["findings"]
    assert "jest: 1 passed" in reason(record), record


def test_a_jest_suite_nothing_can_run_says_how_to_choose(in_git_dir: Path, tmp_path: Path) -> None:
    repo = in_git_dir
    write(repo / "package.json", PACKAGE)  # no node_modules: `npm install` never ran
    write(repo / "src" / "sum.js", SUM)
    write(repo / "src" / "sum.test.js", FAILING)
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a + b\n")
    write(repo / "tests" / "test_mod.py", TEST_ADD)
    git(repo, "add", ".")
    env = {**os.environ, "npm_config_cache": str(tmp_path / "npm")}  # (npx must not write to HOME)
    argv = ("verify", "--all-files", "--only", "tests", "--format", "json")
    done = hookwright(*argv, cwd=repo, env=env)
    record = json.loads(done.stdout)
    assert done.returncode == 1, record
    [finding] = record["findings"]
    assert "jest is not installed" in finding["message"], finding
    assert "`checks.tests.framework: pytest`" in finding["message"], finding
    write(repo / ".hookwright.yaml", "checks:\n  tests: {framework: pytest}\n")
    git(repo, "add", ".hookwright.yaml")
    code, record = verify(repo)
    assert code == 0 and reason(record).startswith("pytest: 1 passed"), record


def test_every_framework_of_a_tree_is_found_in_order() -> None:
    from hookwright.testing import frameworks

    files = {"package.json": PACKAGE.encode(), "go.mod": b"module x\n", "tests/test_mod.py": b""}
    assert frameworks.every_in_tree(files, files.get) == ("pytest", "jest", "go")
    assert frameworks.detect_in_tree(files, files.get) == "pytest"
    del files["tests/test_mod.py"]
    assert frameworks.every_in_tree(files, files.get) == ("jest", "go")
    assert frameworks.every_in_tree({}, {}.get) == ()


@pytest.mark.parametrize(
    "script",
    [
        "jest",
        "npx jest",
        "cross-env NODE_ENV=test jest --coverage",
        "yarn jest",
        "tsc && jest",
        "pnpm exec jest",
    ],
)
def test_a_test_script_that_runs_jest_is_a_jest_suite(script: str) -> None:
    """`npm test` runs jest however the script starts it: the suite was skipped as "no tests found"."""
    from hookwright.testing import frameworks

    files = {"package.json": json.dumps({"name": "x", "scripts": {"test": script}}).encode()}
    assert frameworks.every_in_tree(files, files.get) == ("jest",)


def test_one_verdict_is_the_worst_of_the_suites() -> None:
    from hookwright.checks.tests_suites import combine
    from hookwright.reporting import Finding, StepResult

    skipped = StepResult("tests", "skipped", reason="no test files")
    passed = StepResult("tests", "passed", 1.0, reason="jest: 1 passed", files=1)
    failure = Finding("src/sum.test.js", 3, 1, "test-failure", "adds", "error", "tests")
    failed = StepResult("tests", "failed", 2.0, (failure,), reason="jest: 1 failed", files=1)
    error = StepResult("tests", "error", 0.5, reason="go is not installed")
    assert combine("tests", ("pytest", "jest"), [skipped, passed]).status == "passed"
    assert combine("tests", ("pytest", "jest"), [skipped, skipped]).reason == "no test files"
    both = combine("tests", ("pytest", "jest"), [passed, failed])
    assert (both.status, both.findings, both.files) == ("failed", (failure,), 2)
    assert (
        combine("tests", ("jest", "go"), [failed, error]).reason == "jest: 1 failed; go: go is not installed"
    )


def installed_modules(repo: Path, modules: Path) -> None:
    """A node_modules folder in ``repo``, each installed package of ``modules`` linked in."""
    (repo / "node_modules").mkdir()
    for entry in modules.iterdir():
        (repo / "node_modules" / entry.name).symlink_to(entry)


def workspace_modules(repo: Path, modules: Path, package: str) -> None:
    """npm workspaces' layout: node_modules holds the installed packages and, for the workspace
    package, a link into the work tree (``node_modules/mypkg -> ../packages/mypkg``)."""
    installed_modules(repo, modules)
    link = repo / "node_modules" / package
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(Path(*[".."] * package.count("/")) / ".." / "packages" / "mypkg")


@pytest.mark.parametrize("package", ["mypkg", "@me/mypkg"])
def test_a_workspace_package_is_the_committed_one(
    in_git_dir: Path, tmp_path: Path, modules: Path, package: str
) -> None:
    repo = in_git_dir
    write(
        repo / "package.json",
        '{"name": "root", "private": true, "workspaces": ["packages/*"], "devDependencies": {"jest": "^29"}}\n',
    )
    write(repo / "packages" / "mypkg" / "package.json", f'{{"name": "{package}", "version": "1.0.0"}}\n')
    write(repo / "packages" / "mypkg" / "index.js", SUM)
    write(repo / "src" / "sum.test.js", PASSING.replace('require("./sum")', f'require("{package}")'))
    write(repo / ".gitignore", "node_modules\n")
    workspace_modules(repo, modules, package)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "workspaces")
    assert plain_jest(repo, tmp_path / "good", modules, workspace=package) == 0
    assert verify(repo)[0] == 0
    write(repo / "packages" / "mypkg" / "index.js", SUM.replace("a + b", "a - b"))
    git(repo, "add", ".")
    write(repo / "packages" / "mypkg" / "index.js", SUM)  # the work tree: still good
    assert plain_jest(repo, tmp_path / "plain", modules, workspace=package) == 1
    code, record = verify(repo)
    assert code == 1, f"jest imported the work tree's workspace package: {record}"


def test_a_temporary_folder_inside_a_git_dir_still_finds_the_tests(jest_repo: Path) -> None:
    """jest skips every path with a ``.git`` part: the copy it runs in must not be under TMPDIR then."""
    private = jest_repo / ".git" / "tmp"
    private.mkdir()
    argv = ("verify", "--all-files", "--only", "tests", "--format", "json", "--no-cache")
    done = hookwright(*argv, cwd=jest_repo, env={**os.environ, "TMPDIR": str(private)})
    record = json.loads(done.stdout)
    assert done.returncode == 0, record
    assert reason(record).startswith("jest: 1 passed"), record
    assert not list(private.glob("hookwright-*")), "the copy jest ran in stayed"


def test_a_dependency_upgraded_in_node_modules_is_not_answered_from_the_cache(
    in_git_dir: Path, tmp_path: Path, modules: Path
) -> None:
    """The same tree, another installed dependency (``npm install dep@2``): jest runs again."""
    repo = in_git_dir
    write(repo / "package.json", PACKAGE)
    write(repo / "src" / "sum.test.js", PASSING.replace('require("./sum")', 'require("dep")'))
    write(repo / ".gitignore", "node_modules\n")
    installed_modules(repo, modules)
    write(repo / "node_modules" / "dep" / "package.json", '{"name": "dep", "version": "1.0.0"}\n')
    write(repo / "node_modules" / "dep" / "index.js", SUM)
    git(repo, "add", ".")
    assert verify(repo)[0] == 0
    # npm replaces the package's folder: version 2 subtracts.
    shutil.rmtree(repo / "node_modules" / "dep")
    write(repo / "node_modules" / "dep" / "package.json", '{"name": "dep", "version": "2.0.0"}\n')
    write(repo / "node_modules" / "dep" / "index.js", SUM.replace("a + b", "a - b"))
    code, record = verify(repo)
    assert code == 1, f"a pass with the old dependency was replayed: {record}"


def test_a_readme_a_jest_test_reads_is_an_input(jest_repo: Path, tmp_path: Path, modules: Path) -> None:
    """The examples in README.md, checked by a jest test (as many npm packages do)."""
    repo = jest_repo
    reads = (
        'const fs = require("fs");\nconst path = require("path");\n\n'
        'test("readme", () => {\n'
        '  const text = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");\n'
        '  expect(text).toContain("sum(1, 2) === 3");\n});\n'
    )
    write(repo / "src" / "readme.test.js", reads)
    write(repo / "README.md", "# tiny\n\n    sum(1, 2) === 3\n")
    git(repo, "add", ".")
    assert verify(repo)[0] == 0
    write(repo / "README.md", "# tiny\n\n    sum(1, 2) === 4\n")
    git(repo, "add", ".")
    assert plain_jest(repo, tmp_path / "plain", modules) == 1
    code, record = verify(repo)
    assert code == 1, f"the pass with the old README was replayed: {record}"


def test_another_node_on_the_path_runs_jest_again(jest_repo: Path, tmp_path: Path) -> None:
    """The same tree under another node (upgraded, or another on PATH): its pass is its own. This
    one differs only in its time zone, which the test reads."""
    repo = jest_repo
    write(
        repo / "src" / "zone.test.js", 'test("utc", () => {\n  expect(new Date(0).getHours()).toBe(0);\n});\n'
    )
    git(repo, "add", ".")
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    argv = ("verify", "--all-files", "--only", "tests")
    assert hookwright(*argv, cwd=repo, env=env).returncode == 0
    node = shutil.which("node")
    assert node is not None
    other = write(tmp_path / "other-node" / "node", f'#!/bin/sh\nTZ=Asia/Tokyo exec {node} "$@"\n')
    other.chmod(0o755)
    env["PATH"] = os.pathsep.join([str(other.parent), env["PATH"]])
    result = hookwright(*argv, cwd=repo, env=env)
    assert result.returncode == 1, f"the pass made with another node was replayed: {result.stdout}"


def test_a_work_tree_folder_on_node_path_is_read_from_the_copy(jest_repo: Path, tmp_path: Path) -> None:
    """NODE_PATH=$PWD/lib (an .envrc, an editor): jest resolves bare names there, as PYTHONPATH."""
    repo = jest_repo
    write(repo / "lib" / "adder.js", SUM)
    write(repo / "src" / "adder.test.js", PASSING.replace('require("./sum")', 'require("adder")'))
    git(repo, "add", ".")
    env = {**os.environ, "NODE_PATH": str(repo / "lib")}
    argv = ("verify", "--all-files", "--only", "tests")
    assert hookwright(*argv, cwd=repo, env=env).returncode == 0
    write(repo / "lib" / "adder.js", SUM.replace("a + b", "a - b"))
    git(repo, "add", ".")
    write(repo / "lib" / "adder.js", SUM)  # the work tree: still good
    result = hookwright(*argv, cwd=repo, env=env)
    assert result.returncode == 1, f"jest read the work tree's lib/ through NODE_PATH: {result.stdout}"


def test_a_linked_dependency_outside_the_repository_that_changed_runs_jest_again(
    in_git_dir: Path, tmp_path: Path, modules: Path
) -> None:
    """``"dep": "file:../dep"`` (or ``npm link``): node_modules/dep leads to a sibling project, whose
    code changes with no install."""
    repo = in_git_dir
    write(repo / "package.json", PACKAGE)
    write(repo / "src" / "sum.test.js", PASSING.replace('require("./sum")', 'require("dep")'))
    write(repo / ".gitignore", "node_modules\n")
    installed_modules(repo, modules)
    sibling = tmp_path / "dep"
    write(sibling / "package.json", '{"name": "dep", "version": "1.0.0"}\n')
    write(sibling / "index.js", SUM)
    (repo / "node_modules" / "dep").symlink_to(sibling)
    git(repo, "add", ".")
    assert verify(repo)[0] == 0
    write(sibling / "index.js", SUM.replace("a + b", "a - b"))  # `git pull` in the sibling
    code, record = verify(repo)
    assert code == 1, f"the pass with the sibling's old code was replayed: {record}"
