"""A pytest run that ran no test checked nothing: it is never "passed", and never remembered as a pass.

Plain pytest exits 5 there (a pre-commit pytest hook fails). Each verdict is compared with plain pytest
on ``git archive`` of the tree the commit records.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, git, hookwright
from test_committed_bytes import plain_pytest, verify, write

BROKEN = "def add(a, b):\n    return a - b\n"


@pytest.mark.parametrize("addopts", ["-k nothing_matches", "-p no:python", "-m not_a_marker"])
def test_options_that_leave_out_every_test_are_not_a_pass(tested_repo: Path, addopts: str) -> None:
    repo = tested_repo
    assert verify(repo, "--only", "tests").returncode == 0
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", ".")
    env = {**os.environ, "PYTEST_ADDOPTS": addopts}
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode != 0, f"passed with every test left out: {result.stdout}"
    assert "no test" in result.stdout, result.stdout
    assert "passed (" not in result.stdout, result.stdout


def test_test_files_without_a_test_are_not_a_pass(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    write(repo / "tests" / "test_mod.py", "def helper():\n    return 1\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode != 0, f"passed with no test run: {result.stdout}"
    # Nothing was remembered as a pass: the same tree says the same thing again.
    again = verify(repo, "--only", "tests")
    assert again.returncode != 0 and "from cache" not in again.stdout, again.stdout


def test_a_narrowed_run_of_no_test_asks_the_whole_suite(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    write(repo / "tests" / "test_other.py", "def test_other():\n    assert True\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "other")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    # The one selected file loses its tests: the suite still has one, and a plain run passes.
    write(repo / "tests" / "test_other.py", "def helper():\n    return 1\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") == 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 0, result.stdout
    # And the last test goes too: the whole suite has none left.
    write(repo / "tests" / "test_mod.py", "from pkg.mod import add\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain2") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode != 0, f"passed with no test left in the suite: {result.stdout}"


def test_options_that_leave_out_some_tests_still_pass(tested_repo: Path) -> None:
    repo = tested_repo
    write(repo / "tests" / "test_other.py", "def test_other():\n    assert True\n")
    git(repo, "add", ".")
    env = {**os.environ, "PYTEST_ADDOPTS": "-k other"}
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 0, result.stdout


def test_a_pytest_config_without_test_files_is_a_skip_that_says_so(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    git(repo, "add", ".")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 0, result.stdout
    assert "skipped: tests (no test files)" in result.stdout, result.stdout
