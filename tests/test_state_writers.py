"""A test that leaves state for a later one (a file written into the tree, an environment variable),
and then is changed or deleted: in a plain run the later test fails. On 4292b3f each of these passed
(selection ran the changed test alone, or nothing for a deletion: the rule held only while the
writer kept its bytes, and files written into the tree were not seen) and the pass was cached."""

from __future__ import annotations

from pathlib import Path

from conftest import PYTEST_CONFIG, git, write
from test_committed_bytes import plain_pytest, verify

WRITER = "from pathlib import Path\n\n\ndef test_a():\n    Path('made.txt').write_text('x')\n"
READER = "from pathlib import Path\n\n\ndef test_b():\n    assert Path('made.txt').read_text() == 'x'\n"


def _two(repo: Path) -> None:
    """test_a writes made.txt into the tree, test_b (after it) reads it; both committed, verified."""
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "tests" / "test_a.py", WRITER)
    write(repo / "tests" / "test_b.py", READER)
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "commit", "-qm", "two tests")


def test_a_deleted_test_that_wrote_a_file_a_later_test_reads(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    _two(repo)
    git(repo, "rm", "-q", "tests/test_a.py")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


def test_a_changed_test_that_no_longer_writes_what_a_later_test_reads(
    committed_repo: Path, tmp_path: Path
) -> None:
    repo = committed_repo
    _two(repo)
    write(repo / "tests" / "test_a.py", "def test_a():\n    pass\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


def test_a_deleted_test_that_set_a_variable_a_later_test_reads(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "tests" / "test_a.py", "import os\n\n\ndef test_a():\n    os.environ['FLAG'] = '1'\n")
    write(
        repo / "tests" / "test_b.py", "import os\n\n\ndef test_b():\n    assert os.environ['FLAG'] == '1'\n"
    )
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "commit", "-qm", "two tests")
    git(repo, "rm", "-q", "tests/test_a.py")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout
