"""What the index says, not what the work tree holds: files removed from the index only, and entries
whose work-tree bytes git is told not to look at. (Each answered right today; kept, each can fail.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_committed_bytes import PYTEST_CONFIG, TEST_ADD, plain_pytest, verify, write

BROKEN = "def add(a, b):\n    return a - b\n"


@pytest.fixture
def tested_repo(committed_repo: Path) -> Path:
    write(committed_repo / "tests" / "test_mod.py", TEST_ADD)
    write(committed_repo / "pyproject.toml", PYTEST_CONFIG)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests")
    assert verify(committed_repo, "--only", "tests", "--all-files").returncode == 0
    return committed_repo


def test_a_module_removed_from_the_index_but_not_the_work_tree(tested_repo: Path, tmp_path: Path) -> None:
    git(tested_repo, "rm", "-q", "--cached", "pkg/mod.py")
    assert (tested_repo / "pkg" / "mod.py").exists()
    assert plain_pytest(tested_repo, tmp_path / "plain") != 0
    result = verify(tested_repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's copy was read: {result.stdout}"


@pytest.mark.parametrize("bit", ["--skip-worktree", "--assume-unchanged"])
def test_a_staged_blob_the_work_tree_does_not_hold(tested_repo: Path, tmp_path: Path, bit: str) -> None:
    repo = tested_repo
    blob = git(repo, "hash-object", "-w", "--stdin", input=BROKEN.encode()).strip()
    git(repo, "update-index", "--cacheinfo", f"100644,{blob},pkg/mod.py")
    git(repo, "update-index", bit, "pkg/mod.py")
    assert "a + b" in (repo / "pkg" / "mod.py").read_text()  # the work tree still passes
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's bytes were read: {result.stdout}"
