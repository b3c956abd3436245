"""False passes through what a blob id does not say: a file's mode, and where a symlink leads.

Each verdict is compared with plain pytest on ``git archive`` of the tree the commit records.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import TEST_ADD, git
from test_committed_bytes import plain_pytest, verify, write

BROKEN = "def add(a, b):\n    return a - b\n"


def test_a_symlink_replaced_by_a_file_of_the_same_blob_is_not_the_same_tree(
    tested_repo: Path, tmp_path: Path
) -> None:
    repo = tested_repo
    write(repo / "tests" / "other.txt", "x\n")
    os.symlink("other.txt", repo / "tests" / "data.txt")
    write(
        repo / "tests" / "test_link.py",
        "import os, pathlib\n\n\ndef test_link():\n"
        "    assert os.path.islink(pathlib.Path(__file__).with_name('data.txt'))\n",
    )
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    # A file whose bytes are the link's text: the same blob id, mode 100644 instead of 120000.
    (repo / "tests" / "data.txt").unlink()
    write(repo / "tests" / "data.txt", "other.txt")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass for a symlink replayed for a file: {result.stdout}"


def test_an_executable_bit_taken_away_is_a_change(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    script = write(repo / "tests" / "tool.sh", "#!/bin/sh\nexit 0\n")
    script.chmod(0o755)
    write(
        repo / "tests" / "test_tool.py",
        "import pathlib, subprocess\n\n\ndef test_tool():\n"
        "    subprocess.run([str(pathlib.Path(__file__).with_name('tool.sh'))], check=True)\n",
    )
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "update-index", "--chmod=-x", "tests/tool.sh")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass for an executable replayed: {result.stdout}"


def test_a_symlink_out_of_the_tree_is_read_afresh(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    # The base (HEAD) is the same tree: without this its failure would be a warning, not blocking.
    write(repo / ".hookwright.yaml", "baseline: none\n")
    outside = write(tmp_path / "outside" / "expected.txt", "good\n")
    os.symlink(outside, repo / "tests" / "expected.txt")
    write(
        repo / "tests" / "test_expected.py",
        "import pathlib\n\n\ndef test_expected():\n"
        "    assert pathlib.Path(__file__).with_name('expected.txt').read_text() == 'good\\n'\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "link")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    # The committed tree is the same; what the link leads to is not.
    outside.write_text("bad\n")
    assert plain_pytest(repo, tmp_path / "plain", links_out=True) != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert result.returncode == 1, f"a pass replayed for other bytes behind a link: {result.stdout}"
    outside.write_text("good\n")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0


def test_a_symlinked_test_folder_is_seen_by_selection(tested_repo: Path, tmp_path: Path) -> None:
    repo = tested_repo
    git(repo, "mv", "tests", "real_tests")
    os.symlink("real_tests", repo / "tests")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "linked tests")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the tests behind a linked folder were left out: {result.stdout}"


def test_a_module_symlinked_under_another_name_is_seen_by_selection(
    tested_repo: Path, tmp_path: Path
) -> None:
    repo = tested_repo
    os.symlink("mod.py", repo / "pkg" / "alias.py")
    write(repo / "tests" / "test_alias.py", TEST_ADD.replace("pkg.mod", "pkg.alias"))
    # test_mod.py imports pkg.mod by its own name: the graph sees an importer, and no unseen file.
    write(repo / "tests" / "test_mod.py", TEST_ADD.replace("== 3", "is not None"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "alias")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    write(repo / "pkg" / "mod.py", BROKEN)
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the importer of a linked module was left out: {result.stdout}"


def test_a_symlink_to_a_data_file_still_lets_selection_narrow(tested_repo: Path) -> None:
    repo = tested_repo
    write(repo / "tests" / "other.txt", "x\n")
    os.symlink("other.txt", repo / "tests" / "data.txt")
    write(repo / "pkg" / "extra.py", "def one():\n    return 1\n")
    write(
        repo / "tests" / "test_extra.py",
        "from pkg.extra import one\n\n\ndef test_one():\n    assert one() == 1\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "data link")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    write(repo / "pkg" / "extra.py", "def one():\n    return 1 + 0\n")
    git(repo, "add", ".")
    result = verify(repo, "--only", "tests", "--format", "json")
    assert result.returncode == 0, result.stdout
    assert "1 of 2 test files" in result.stdout, result.stdout


def work_tree_pytest(repo: Path) -> int:
    """pytest's exit code in the work tree itself (it holds exactly the staged tree here): where a
    relative link out of the tree leads from the user's checkout."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=repo, env=env, capture_output=True, check=False).returncode


def test_a_relative_link_out_of_the_tree_leads_where_it_does_in_the_work_tree(
    tested_repo: Path, tmp_path: Path
) -> None:
    repo = tested_repo  # tmp_path/repo: `../../shared` from its tests/ folder is tmp_path/shared
    write(repo / ".hookwright.yaml", "baseline: none\n")
    shared = write(tmp_path / "shared" / "expected.txt", "good\n")
    os.symlink("../../shared/expected.txt", repo / "tests" / "expected.txt")
    write(
        repo / "tests" / "test_expected.py",
        "import pathlib\n\nimport pytest\n\n\ndef test_expected():\n"
        "    data = pathlib.Path(__file__).with_name('expected.txt')\n"
        "    if not data.exists():\n        pytest.skip('no shared data here')\n"
        "    assert data.read_text() == 'good\\n'\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "link")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    shared.write_text("bad\n")
    assert work_tree_pytest(repo) != 0
    result = verify(repo, "--only", "tests", "--all-files")
    assert result.returncode == 1, f"the link read another place than the work tree's: {result.stdout}"
    shared.write_text("good\n")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
