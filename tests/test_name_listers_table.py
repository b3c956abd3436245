"""The per-blob table of ``name_listers`` verdicts (``name_listers.marshal``) under runs at once.

Two verifies writing it at the same time, on two clones that share nothing and on one repository,
must each judge as a lone run does, and leave a table that loads whole; a table cut short (a crash
mid-write, a copy) is never trusted: it is rebuilt. Real git repositories, real pytest.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import git
from test_selection import make, verify_tests
from test_selection_fresh_names import MOD, PACKAGE

from hookwright.cache import read_snapshot

FRESH = {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"}
NARROWED = "1 new function that nothing else names in 1 file: 0 test files name them or list names"


def _table(repo: Path) -> Path:
    return repo / ".git" / "hookwright" / "cache" / "name_listers.marshal"


def _whole(repo: Path) -> None:
    """The table loads, and holds a row for every Python file of the index at its blob."""
    table = read_snapshot(_table(repo))
    assert isinstance(table, dict) and isinstance(table.get("files"), dict), table
    listed = git(repo, "ls-files", "-s", "--", "*.py").splitlines()
    blobs = {line.split("\t")[1]: line.split()[1] for line in listed}
    assert {p: row[0] for p, row in table["files"].items()} == blobs


def _narrowed(repo: Path) -> int:
    """How many runs recorded in ``repo`` judged the staged function fresh."""
    records = (repo / ".git" / "hookwright" / "records").glob("*.json")
    return sum(NARROWED in json.loads(r.read_text())["steps"][0].get("reason", "") for r in records)


def _verify_at_once(repos: list[Path]) -> list[subprocess.CompletedProcess[str]]:
    argv = [sys.executable, "-m", "hookwright", "verify", "--only", "tests"]
    running = [
        subprocess.Popen(argv, cwd=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for r in repos
    ]
    done = []
    for process in running:
        out, err = process.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def _known_state(repo: Path) -> None:
    """The project committed and verified, then a fresh function staged: the next run judges it."""
    assert verify_tests(repo)["exit"] == 0
    make(repo, FRESH)


def test_two_clones_that_share_nothing_judge_at_once(committed_repo: Path, tmp_path: Path) -> None:
    make(committed_repo, PACKAGE)
    git(committed_repo, "commit", "-qm", "project")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "--no-local", str(committed_repo), str(other))
    for repo in (committed_repo, other):
        _known_state(repo)
        _table(repo).unlink(missing_ok=True)  # each run fills the table from nothing, so both write it
    for result in _verify_at_once([committed_repo, other]):
        assert result.returncode == 0, result.stdout + result.stderr
    for repo in (committed_repo, other):
        _whole(repo)
        assert _narrowed(repo) == 1


def test_two_runs_on_one_repository_at_once_leave_a_whole_table(committed_repo: Path) -> None:
    make(committed_repo, PACKAGE)
    git(committed_repo, "commit", "-qm", "project")
    _known_state(committed_repo)
    _table(committed_repo).unlink(missing_ok=True)
    for result in _verify_at_once([committed_repo, committed_repo]):
        assert result.returncode == 0, result.stdout + result.stderr
    _whole(committed_repo)
    assert _narrowed(committed_repo) == 2


def test_a_table_cut_short_is_rebuilt_not_trusted(committed_repo: Path) -> None:
    make(committed_repo, PACKAGE)
    git(committed_repo, "commit", "-qm", "project")
    _known_state(committed_repo)
    assert verify_tests(committed_repo)["exit"] == 0  # fills the table at this state
    whole = _table(committed_repo).read_bytes()
    # A test that lists names, added beside the cut table: the judgement must still see it.
    make(
        committed_repo,
        {"tests/test_walk.py": "import pkg.mod as m\n\n\ndef test_walk():\n    assert 'later' in dir(m)\n"},
    )
    _table(committed_repo).write_bytes(whole[: len(whole) // 2])
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "1 test files name them or list names" in step["reason"], step
    _whole(committed_repo)
