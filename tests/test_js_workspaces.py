"""A root test script that runs the workspaces' tests (`npm test --workspaces`) runs them, each with
its own jest config, and one hookwright cannot run is never a pass.

On 998c6cc such a tree was "skipped: no tests found" and the verdict passed with every test unrun.
Each verdict is compared with plain `npm test` on `git archive` of the tree the commit records.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import git, write
from test_verify_jest import SUM, modules, verify

__all__ = ["modules"]  # the fixture, imported for these tests

ROOT = (
    '{{"name": "root", "private": true, "workspaces": ["packages/*"], "scripts": {{"test": "{script}"}}}}\n'
)
# a's jest config finds tests in checks/*.js only: jest run at the root would not find them.
A_PACKAGE = '{"name": "a", "version": "1.0.0", "scripts": {"test": "jest"}, "jest": {"testMatch": ["**/checks/*.js"]}}\n'
A_TEST = 'const { sum } = require("../sum");\n\ntest("adds", () => {\n  expect(sum(1, 2)).toBe(3);\n});\n'
B_TEST = 'test("b", () => {\n  expect(1).toBe(1);\n});\n'


def workspaces(repo: Path, modules: Path, script: str, b_package: str | None = None) -> None:
    write(repo / "package.json", ROOT.format(script=script.replace('"', '\\"')))
    write(repo / "packages" / "a" / "package.json", A_PACKAGE)
    write(repo / "packages" / "a" / "sum.js", SUM)
    write(repo / "packages" / "a" / "checks" / "sum.js", A_TEST)
    b_default = '{"name": "b", "version": "1.0.0", "scripts": {"test": "jest"}}\n'
    write(repo / "packages" / "b" / "package.json", b_package or b_default)
    write(repo / "packages" / "b" / "b.test.js", B_TEST)
    write(repo / ".gitignore", "node_modules\n")
    (repo / "node_modules").symlink_to(modules, target_is_directory=True)
    git(repo, "add", ".")


def plain_npm_test(repo: Path, tmp: Path, modules: Path, folder: str = "") -> int:
    """`cd FOLDER && npm test`'s exit code on exactly the tree the next commit records, in a folder of
    its own (``modules`` linked as FOLDER's node_modules)."""
    tree = git(repo, "write-tree").strip()
    archive = subprocess.run(["git", "archive", tree], cwd=repo, capture_output=True, check=True).stdout
    clean = tmp / "clean"
    clean.mkdir(parents=True)
    (tmp / "tree.tar").write_bytes(archive)
    with tarfile.open(tmp / "tree.tar") as tar:
        tar.extractall(clean, filter="data")
    (clean / folder / "node_modules").symlink_to(modules, target_is_directory=True)
    env = {**os.environ, "npm_config_cache": str(tmp / "npm-cache")}  # its logs stay out of HOME
    run = subprocess.run(["npm", "test"], cwd=clean / folder, env=env, capture_output=True, check=False)
    return run.returncode


def break_a_staged(repo: Path) -> None:
    write(repo / "packages" / "a" / "sum.js", SUM.replace("a + b", "a - b"))
    git(repo, "add", ".")
    write(repo / "packages" / "a" / "sum.js", SUM)  # the work tree: still good


@pytest.mark.parametrize(
    "script",
    [
        "npm test --workspaces",
        "npm run test -ws",
        "npm test -w a -w packages/b",
        "npm test --workspace=packages",
    ],
)
def test_the_workspaces_tests_run_on_the_committed_bytes(
    in_git_dir: Path, tmp_path: Path, modules: Path, script: str
) -> None:
    repo = in_git_dir
    workspaces(repo, modules, script)
    assert plain_npm_test(repo, tmp_path / "good", modules) == 0
    code, record = verify(repo)
    assert code == 0, record
    assert "jest in packages/a: 1 passed" in record["steps"][0]["reason"], record
    break_a_staged(repo)
    assert plain_npm_test(repo, tmp_path / "broken", modules) == 1
    code, record = verify(repo)
    assert code == 1, f"a failing workspace suite passed: {record}"
    assert any(f.get("path") == "packages/a/checks/sum.js" for f in record["findings"]), record


def test_only_the_named_workspace_runs(in_git_dir: Path, tmp_path: Path, modules: Path) -> None:
    repo = in_git_dir
    workspaces(repo, modules, "npm test -w b")
    break_a_staged(repo)
    assert plain_npm_test(repo, tmp_path / "plain", modules) == 0
    code, record = verify(repo)
    assert code == 0, record
    assert record["steps"][0]["reason"].startswith("jest in packages/b: 1 passed"), record


@pytest.mark.parametrize(
    ("script", "b_package", "said"),
    [
        # npm fails on a workspace without the script unless --if-present says to pass over it.
        ("npm test --workspaces", '{"name": "b", "version": "1.0.0"}', "packages/b: no test script"),
        (
            "npm test -ws",
            '{"name": "b", "scripts": {"test": "mocha"}}',
            "packages/b: its test script `mocha`",
        ),
        ("npm test -w nothing", None, "names no workspace"),
        ("mocha --recursive", None, "the test script `mocha --recursive` runs no suite"),
    ],
)
def test_a_test_script_hookwright_cannot_run_is_not_a_pass(
    in_git_dir: Path, tmp_path: Path, modules: Path, script: str, b_package: str | None, said: str
) -> None:
    repo = in_git_dir
    workspaces(repo, modules, script, b_package)
    assert plain_npm_test(repo, tmp_path / "plain", modules) != 0
    code, record = verify(repo)
    assert code == 1, f"the declared tests did not run and the verdict passed: {record}"
    assert record["steps"][0]["status"] == "error", record
    assert said in record["steps"][0]["reason"], record


def test_if_present_passes_over_a_workspace_without_tests(
    in_git_dir: Path, tmp_path: Path, modules: Path
) -> None:
    repo = in_git_dir
    workspaces(repo, modules, "npm test --workspaces --if-present", '{"name": "b", "version": "1.0.0"}')
    assert plain_npm_test(repo, tmp_path / "plain", modules) == 0
    code, record = verify(repo)
    assert code == 0, record
    break_a_staged(repo)
    assert verify(repo)[0] == 1


def test_npm_init_placeholder_is_still_no_tests(in_git_dir: Path) -> None:
    """A guard (held on 998c6cc): `npm init`'s script declares no suite; the check skips as before."""
    repo = in_git_dir
    script = 'echo "Error: no test specified" && exit 1'
    write(repo / "package.json", ROOT.format(script=script.replace('"', '\\"')))
    git(repo, "add", ".")
    code, record = verify(repo)
    assert code == 0, record
    assert record["steps"][0]["status"] == "skipped", record


@pytest.mark.parametrize(
    ("script", "folders", "refused"),
    [
        # yarn 1 runs the script in every workspace and fails on one without it.
        ("yarn workspaces run test", ("packages/a",), "packages/b: no test script"),
        # yarn 2+ `foreach run` and pnpm -r pass over a workspace without the script ...
        ("yarn workspaces foreach --all run test", ("packages/a",), None),
        ("pnpm -r test", ("packages/a",), None),
        ("pnpm --recursive run test", ("packages/a",), None),
        ("yarn workspace a test", ("packages/a",), None),
        ("pnpm --filter a test", ("packages/a",), None),
        # ... but pnpm fails when none of them has it.
        ("pnpm --filter b test", (), "no workspace `pnpm --filter b test` names has a test script"),
        ("CI=1 npm test -ws --if-present && echo done", ("packages/a",), None),
    ],
)
def test_yarn_and_pnpm_forms(script: str, folders: tuple[str, ...], refused: str | None) -> None:
    """yarn and pnpm are not installed here: their forms are read from the scripts, as npm's are."""
    from hookwright.testing import js_suites

    tree = {
        "package.json": ROOT.format(script=script).replace('"workspaces": ["packages/*"], ', ""),
        "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n",
        "packages/a/package.json": A_PACKAGE,
        "packages/b/package.json": '{"name": "b", "version": "1.0.0"}\n',
    }
    if script.startswith(("yarn", "CI=1 npm")):  # yarn and npm read the workspaces from package.json
        tree["package.json"] = ROOT.format(script=script)
        del tree["pnpm-workspace.yaml"]
    plan = js_suites.plan(tree, lambda path: tree[path].encode(), root_is_jest=False)
    assert plan.folders == folders, plan
    if refused is None:
        assert not plan.refused, plan
    else:
        assert any(refused in reason for reason in plan.refused), plan


@pytest.mark.parametrize("script", ["pytest -q", "python -m pytest", "go test ./...", "echo ok"])
def test_a_script_that_runs_a_suite_hookwright_runs_itself_is_no_refusal(script: str) -> None:
    from hookwright.testing import js_suites

    tree = {"package.json": ROOT.format(script=script)}
    assert not js_suites.plan(tree, lambda path: tree[path].encode(), root_is_jest=False)
