"""What the index says, not what the work tree holds: files removed from the index only, and entries
whose work-tree bytes git is told not to look at. (Each answered right today; kept, each can fail.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_committed_bytes import plain_pytest, verify

BROKEN = "def add(a, b):\n    return a - b\n"


@pytest.fixture
def verified_repo(tested_repo: Path) -> Path:
    assert verify(tested_repo, "--only", "tests", "--all-files").returncode == 0
    return tested_repo


def test_a_module_removed_from_the_index_but_not_the_work_tree(verified_repo: Path, tmp_path: Path) -> None:
    git(verified_repo, "rm", "-q", "--cached", "pkg/mod.py")
    assert (verified_repo / "pkg" / "mod.py").exists()
    assert plain_pytest(verified_repo, tmp_path / "plain") != 0
    result = verify(verified_repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's copy was read: {result.stdout}"


@pytest.mark.parametrize("bit", ["--skip-worktree", "--assume-unchanged"])
def test_a_staged_blob_the_work_tree_does_not_hold(verified_repo: Path, tmp_path: Path, bit: str) -> None:
    repo = verified_repo
    blob = git(repo, "hash-object", "-w", "--stdin", input=BROKEN.encode()).strip()
    git(repo, "update-index", "--cacheinfo", f"100644,{blob},pkg/mod.py")
    git(repo, "update-index", bit, "pkg/mod.py")
    assert "a + b" in (repo / "pkg" / "mod.py").read_text()  # the work tree still passes
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's bytes were read: {result.stdout}"
