"""A package.json in a sub-folder (not a workspace the root's script runs) declares a suite of its own.

A CI job runs it as ``cd web && npm test``: that script, in that folder, with that folder's
node_modules and jest config. On 119b63e a tree whose only suite was ``web/`` was "skipped: no tests
found" and the verdict passed with a failing test unrun; one whose script hookwright cannot run
(mocha) passed the same way. Each verdict is compared with plain ``npm test`` in the folder of
``git archive`` of the tree the commit records.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, write
from test_js_workspaces import plain_npm_test
from test_verify_jest import FAILING, PASSING, SUM, modules, verify

from hookwright.testing import js_suites

__all__ = ["modules"]  # the fixture, imported for these tests

WEB = '{"name": "web", "version": "1.0.0", "scripts": {"test": "%s"}}\n'


def web_project(repo: Path, modules: Path, test: str, script: str = "jest") -> None:
    """A Python-free tree whose one suite is web/, its node_modules installed there (not at the root)."""
    write(repo / "web" / "package.json", WEB % script)
    write(repo / "web" / "sum.js", SUM)
    write(repo / "web" / "sum.test.js", test)
    write(repo / ".gitignore", "node_modules\n")
    (repo / "web" / "node_modules").symlink_to(modules, target_is_directory=True)
    git(repo, "add", ".")


def test_a_folder_suite_runs_on_the_committed_bytes(in_git_dir: Path, tmp_path: Path, modules: Path) -> None:
    repo = in_git_dir
    web_project(repo, modules, FAILING)
    write(repo / "web" / "sum.test.js", PASSING)  # the work tree: passing; the index: failing
    assert plain_npm_test(repo, tmp_path / "bad", modules, "web") != 0
    code, record = verify(repo)
    assert code == 1, record
    assert record["steps"][0]["status"] == "failed", record
    assert "jest in web: 0 passed, 1 failed" in record["steps"][0]["reason"], record

    git(repo, "add", ".")  # (plain npm test passes on this tree: test_verify_jest's tests, in a folder)
    code, record = verify(repo)
    assert code == 0, record
    assert "jest in web: 1 passed" in record["steps"][0]["reason"], record


def test_a_folder_script_hookwright_cannot_run_is_an_error(
    in_git_dir: Path, tmp_path: Path, modules: Path
) -> None:
    repo = in_git_dir
    web_project(repo, modules, PASSING, script="mocha")
    assert plain_npm_test(repo, tmp_path / "run", modules, "web") != 0  # (mocha is not installed here)
    code, record = verify(repo)
    assert (code, record["steps"][0]["status"]) == (1, "error"), record
    assert "web/package.json: the test script `mocha`" in record["steps"][0]["reason"], record


def _plan(files: dict[str, str], root_is_jest: bool = False) -> js_suites.JsSuites:
    return js_suites.plan(files, lambda path: files[path].encode(), root_is_jest)


@pytest.mark.parametrize("folder", ["node_modules/dep", "tests/fixtures/app", "testdata/app", ".github/x"])
def test_installed_packages_and_test_data_declare_no_suite(folder: str) -> None:
    assert not _plan({f"{folder}/package.json": WEB % "mocha"})


def test_the_roots_script_governs_its_workspaces_and_only_them() -> None:
    root = '{"workspaces": ["packages/*"], "scripts": {"test": "npm test -w packages/a"}}'
    files = {
        "package.json": root,
        "packages/a/package.json": WEB % "jest",
        "packages/b/package.json": WEB % "mocha",  # a workspace the root's `npm test` leaves out
        "web/package.json": WEB % "jest --ci",
        "tools/package.json": WEB % "mocha",
        "docs/package.json": WEB % 'echo \\"Error: no test specified\\" && exit 1',
        "py/package.json": WEB % "pytest",
    }
    suites = _plan(files)
    assert suites.folders == ("packages/a", "web")
    assert [r.split(":")[0] for r in suites.refused] == ["tools/package.json"]
    # With no test script at the root, nothing there chooses: each workspace's own script counts.
    files["package.json"] = '{"workspaces": ["packages/*"]}'
    suites = _plan(files)
    assert suites.folders == ("packages/a", "web")
    assert [r.split(":")[0] for r in suites.refused] == ["packages/b/package.json", "tools/package.json"]
