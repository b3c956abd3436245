"""Hold the line: a change is judged on what it breaks, not on what was broken before it (issue 15.8).

A failing test or a lint finding that exists at the base (HEAD for a commit) is reported as a
warning and does not block; a new one blocks; ``baseline: none`` makes everything block again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, hookwright, write

PASSING = "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
OFFLINE = "def test_download():\n    raise OSError('no network here')\n"


def verify(repo: Path, *args: str) -> tuple[int, str, dict]:
    result = hookwright("verify", *args, cwd=repo)
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    return result.returncode, result.stdout, json.loads(records[-1].read_text())


@pytest.fixture
def failing_at_head(committed_repo: Path) -> Path:
    """HEAD holds a test that fails (offline, say): the kind of debt a real project carries."""
    write(committed_repo / "tests" / "test_mod.py", PASSING)
    write(committed_repo / "tests" / "test_net.py", OFFLINE)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests, one failing offline")
    return committed_repo


def test_a_failure_already_at_the_base_is_a_warning_and_a_new_one_blocks(failing_at_head: Path) -> None:
    repo = failing_at_head
    write(repo / "pkg" / "mod.py", "def add(a, b):\n    # documented\n    return a + b\n")
    git(repo, "add", ".")
    code, out, record = verify(repo, "--only", "tests")
    step = record["steps"][0]
    assert code == 0 and step["status"] == "warning", step
    assert "tests/test_net.py::test_download" in out and "fails at the base too" in out
    assert [f["severity"] for f in record["findings"]] == ["warning"]

    write(repo / "pkg" / "mod.py", "def add(a, b):\n    return a - b\n")
    git(repo, "add", ".")
    code, out, record = verify(repo, "--only", "tests")
    severities = {f["message"].split(": ")[0]: f["severity"] for f in record["findings"]}
    assert code == 1
    assert severities == {
        "tests/test_mod.py::test_add": "error",
        "tests/test_net.py::test_download": "warning",
    }


def test_baseline_none_makes_every_failure_block(failing_at_head: Path) -> None:
    write(failing_at_head / ".hookwright.yaml", "baseline: none\n")
    git(failing_at_head, "add", ".")
    code, _, record = verify(failing_at_head, "--only", "tests")
    assert code == 1 and record["steps"][0]["status"] == "failed"


def test_the_base_answer_comes_from_the_cache_when_the_base_was_verified(failing_at_head: Path) -> None:
    repo = failing_at_head
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing")
    assert verify(repo, "--only", "tests")[0] == 0  # HEAD itself: the same inputs as its base
    write(repo / "pkg" / "extra.py", "X = 1\n")
    git(repo, "add", ".")
    code, _, record = verify(repo, "--only", "tests")
    assert code == 0 and "(cache)" in record["steps"][0]["reason"], record["steps"][0]["reason"]


UNUSED_DEBT = "import os\nimport sys\n\n\ndef f():\n    return os.sep\n"


def test_lint_debt_at_the_base_does_not_block_and_a_new_finding_anywhere_does(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pkg" / "debt.py", UNUSED_DEBT)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "old debt: sys is unused")
    code, out, _ = verify(repo, "--all-files", "--only", "lint")
    assert code == 0, out
    assert "F401" in out and "at the base too" in out, "old findings are reported, as warnings"
    # Deleting `import os` adds no line, yet breaks an untouched one: that finding is new.
    write(repo / "pkg" / "debt.py", UNUSED_DEBT.replace("import os\n", ""))
    git(repo, "add", ".")
    code, out, _ = verify(repo, "--only", "lint")
    assert code == 1 and "F821" in out and "F401" not in out, out


def test_lint_baseline_none_blocks_on_old_debt(committed_repo: Path) -> None:
    write(committed_repo / "pkg" / "debt.py", UNUSED_DEBT)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "old debt")
    write(committed_repo / ".hookwright.yaml", "baseline: none\n")
    git(committed_repo, "add", ".")
    assert verify(committed_repo, "--all-files", "--only", "lint")[0] == 1


def test_a_worktree_of_a_branch_with_old_debt_can_be_created(committed_repo: Path, tmp_path: Path) -> None:
    write(committed_repo / "pkg" / "debt.py", UNUSED_DEBT)
    write(committed_repo / "tests" / "test_net.py", OFFLINE)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "old debt and an offline test")
    result = hookwright("worktree", "create", "feature", str(tmp_path / "feature"), cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "feature" / "pkg" / "debt.py").is_file()
