"""Local git settings that change the bytes a checkout writes (``core.autocrlf``, a smudge filter) change
what the tests read, with the same blobs: a pass made under the old settings is not replayed.

``git archive`` applies them as a checkout does, and so does the private copy the tests run in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, git
from test_committed_bytes import plain_pytest, verify, write

READS_DATA = (
    "import pathlib\n\n\ndef test_data():\n"
    "    assert pathlib.Path(__file__).with_name('data.txt').read_bytes() == b'abc\\n'\n"
)


@pytest.fixture
def data_repo(committed_repo: Path) -> Path:
    write(committed_repo / "pyproject.toml", PYTEST_CONFIG)
    write(committed_repo / "tests" / "data.txt", "abc\n")
    write(committed_repo / "tests" / "test_data.py", READS_DATA)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "data")
    return committed_repo


def test_a_local_autocrlf_is_not_answered_by_a_pass_made_without_it(data_repo: Path, tmp_path: Path) -> None:
    repo = data_repo
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    git(repo, "config", "core.autocrlf", "true")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert "from cache" not in result.stdout, f"a pass made under other line endings: {result.stdout}"
    assert "b'abc\\r\\n'" in result.stdout, result.stdout


def test_a_changed_smudge_filter_is_not_answered_by_a_pass_made_before(
    data_repo: Path, tmp_path: Path
) -> None:
    repo = data_repo
    git(repo, "config", "filter.same.clean", "cat")
    git(repo, "config", "filter.same.smudge", "cat")
    write(repo / ".gitattributes", "tests/data.txt filter=same\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "filter")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    git(repo, "config", "filter.same.smudge", "tr a-z A-Z")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert "from cache" not in result.stdout, f"a pass made under another filter: {result.stdout}"
    assert "b'ABC\\n'" in result.stdout, result.stdout
