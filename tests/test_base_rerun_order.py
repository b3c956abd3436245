"""A failure is excused as "failing at the base too" only when the base's own run fails it.

The base was judged by running only the failing tests on its export: a test that reads what an
earlier test wrote fails alone there while the base's run passes it. On 119b63e, with test_a
changed (or deleted) so that test_b fails, the verdict was "passed" with test_b's failure a warning
("fails at the base too"); the base now runs the test files the head ran and those deleted since.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, hookwright, write

WRITER = 'from pathlib import Path\n\n\ndef test_a():\n    Path("out.txt").write_text("{}")\n'
READER = 'from pathlib import Path\n\n\ndef test_b():\n    assert Path("out.txt").read_text() == "1"\n'


@pytest.mark.parametrize("change", ["changed", "deleted"])
def test_a_failure_the_bases_run_passes_blocks(in_git_dir: Path, change: str) -> None:
    repo = in_git_dir
    write(repo / "tests" / "test_a.py", WRITER.format(1))
    write(repo / "tests" / "test_b.py", READER)
    write(repo / ".gitignore", "out.txt\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a writes, b reads")
    if change == "changed":
        write(repo / "tests" / "test_a.py", WRITER.format(2))
        git(repo, "add", ".")
    else:
        git(repo, "rm", "-q", "tests/test_a.py")
    done = hookwright("verify", "--only", "tests", "--no-cache", cwd=repo)
    assert done.returncode == 1, f"excused by a run of test_b alone at the base: {done.stdout}"
    assert "fails at the base too" not in done.stdout, done.stdout
