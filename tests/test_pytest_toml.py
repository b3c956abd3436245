"""pytest 9 reads ``pytest.toml`` (and ``.pytest.toml``) before every other config file; so does hookwright.

On 119b63e hookwright's layout knew only pytest.ini, pyproject.toml, tox.ini and setup.cfg: a suite
whose ``python_files`` pytest.toml sets was "skipped: no tests found" and the verdict passed over a
failing test that plain pytest runs; with a test file it did know, pytest ran under ``-c /dev/null``,
without the tree's options. Each verdict is compared with plain pytest in the tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, hookwright, write

CHECK = "def test_x():\n    assert 1 == {}\n"


def plain_pytest(repo: Path) -> int:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=repo, env=env, capture_output=True, check=False).returncode


@pytest.mark.parametrize("name", ["pytest.toml", ".pytest.toml"])
def test_a_suite_pytest_toml_configures_is_run(in_git_dir: Path, name: str) -> None:
    repo = in_git_dir
    write(repo / name, '[pytest]\npython_files = ["check_*.py"]\n')
    write(repo / "checks" / "check_x.py", CHECK.format(2))
    git(repo, "add", ".")
    assert plain_pytest(repo) == 1
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 1, f"a failing pytest.toml suite passed: {done.stdout}"
    assert "checks/check_x.py::test_x" in done.stdout, done.stdout
    write(repo / "checks" / "check_x.py", CHECK.format(1))
    git(repo, "add", ".")
    assert plain_pytest(repo) == 0
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 0, done.stdout
