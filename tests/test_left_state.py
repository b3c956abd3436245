"""A test file that leaves state behind (an environment variable, the working directory, a file
written into the tree) for later tests: selection and splitting would then differ from a plain
``pytest`` run, so the suite runs whole, in one process, until a whole run shows it leaves none (also
after the writer changed or was deleted). Each verdict is compared with a plain run. What the test
tools write for themselves (caches, coverage data, the reports their options ask for) is no state.

On 4292b3f the deleted and changed writers passed (selection ran the changed test alone, or nothing
for a deletion: the rule held only while the writer kept its bytes, and files written into the tree
were not seen) and the pass was cached."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, git, write
from test_committed_bytes import plain_pytest, verify

WRITER = "from pathlib import Path\n\n\ndef test_a():\n    Path('made.txt').write_text('x')\n"
READER = "from pathlib import Path\n\n\ndef test_b():\n    assert Path('made.txt').read_text() == 'x'\n"
SETS_FLAG = "import os\n\n\ndef test_a():\n    os.environ['FLAG'] = '1'\n"
NO_FLAG = "import os\n\n\ndef test_b():\n    assert 'FLAG' not in os.environ\n"
PASSES = "def test_b():\n    assert True\n"
READS_MODE = "import os\n\n\ndef mode():\n    return 1\n"
TEST_MODE = "from pkg.mode import mode\n\n\ndef test_mode():\n    assert mode() == 1\n"


def _stage(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write(repo / name, text)
    git(repo, "add", "-A")


def _committed(repo: Path, files: dict[str, str]) -> None:
    """A pytest config and ``files``, verified (the suite passes) and committed."""
    _stage(repo, {"pyproject.toml": PYTEST_CONFIG, **files})
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "commit", "-qm", "suite")


def _fails_as_plain_pytest_does(repo: Path, tmp_path: Path) -> None:
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


def test_a_changed_test_that_leaves_a_variable_for_a_later_unselected_one(
    committed_repo: Path, tmp_path: Path
) -> None:
    _committed(committed_repo, {"tests/test_a.py": "def test_a():\n    pass\n", "tests/test_b.py": NO_FLAG})
    # Only test_a changed: selection runs it alone, and alone it passes.
    _stage(committed_repo, {"tests/test_a.py": SETS_FLAG})
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_an_unselected_earlier_test_that_leaves_state_a_changed_module_reads(
    committed_repo: Path, tmp_path: Path
) -> None:
    sets_mode = "import os\n\n\ndef test_a():\n    os.environ['MODE'] = 'fast'\n"
    # Every test runs: test_a is seen leaving MODE.
    _committed(
        committed_repo,
        {"pkg/mode.py": READS_MODE, "tests/test_a.py": sets_mode, "tests/test_b.py": TEST_MODE},
    )
    # test_a does not import pkg.mode: selection alone would run test_b by itself, which passes.
    _stage(committed_repo, {"pkg/mode.py": READS_MODE.replace("1\n", "2 if os.environ.get('MODE') else 1\n")})
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_session_fixture_that_restores_what_it_sets_leaves_no_state(committed_repo: Path) -> None:
    conftest = (
        "import os\n\nimport pytest\n\n\n@pytest.fixture(scope='session', autouse=True)\n"
        "def settings():\n    os.environ['SETTINGS'] = 'test'\n    yield\n    del os.environ['SETTINGS']\n"
    )
    files = {"tests/conftest.py": conftest, "pkg/mode.py": READS_MODE, "tests/test_b.py": TEST_MODE}
    _committed(committed_repo, {**files, "tests/test_a.py": "def test_a():\n    pass\n"})
    _stage(committed_repo, {"pkg/mode.py": READS_MODE.replace("return 1", "return 0 + 1")})
    result = verify(committed_repo, "--only", "tests", "--format", "json")
    assert result.returncode == 0, result.stdout
    # Selection still narrows such a suite: test_b alone, not the whole suite in one process.
    assert "pytest: 1 passed, 0 failed" in result.stdout and "state behind" not in result.stdout


def test_a_split_run_where_one_shard_leaves_state_for_the_other(committed_repo: Path, tmp_path: Path) -> None:
    split = "checks:\n  tests:\n    shards: 2\n    select: all\n"
    files = {".hookwright.yaml": split, "tests/test_a.py": SETS_FLAG, "tests/test_b.py": NO_FLAG}
    _stage(committed_repo, {"pyproject.toml": PYTEST_CONFIG, **files})
    # Each file alone, in its own process, passes; one plain pytest process does not.
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_deleted_test_that_wrote_a_file_a_later_test_reads(committed_repo: Path, tmp_path: Path) -> None:
    _committed(committed_repo, {"tests/test_a.py": WRITER, "tests/test_b.py": READER})
    git(committed_repo, "rm", "-q", "tests/test_a.py")
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_changed_test_that_no_longer_writes_what_a_later_test_reads(
    committed_repo: Path, tmp_path: Path
) -> None:
    _committed(committed_repo, {"tests/test_a.py": WRITER, "tests/test_b.py": READER})
    _stage(committed_repo, {"tests/test_a.py": "def test_a():\n    pass\n"})
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_deleted_test_that_set_a_variable_a_later_test_reads(committed_repo: Path, tmp_path: Path) -> None:
    reads_flag = "import os\n\n\ndef test_b():\n    assert os.environ['FLAG'] == '1'\n"
    _committed(committed_repo, {"tests/test_a.py": SETS_FLAG, "tests/test_b.py": reads_flag})
    git(committed_repo, "rm", "-q", "tests/test_a.py")
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_test_that_deletes_a_committed_file_a_later_test_comes_to_need(
    committed_repo: Path, tmp_path: Path
) -> None:
    deletes = "import os\n\n\ndef test_a():\n    os.remove('data.txt')\n"
    _committed(committed_repo, {"data.txt": "x\n", "tests/test_a.py": deletes, "tests/test_b.py": PASSES})
    # Only test_b changed: alone, on the tree as committed, it finds data.txt.
    _stage(
        committed_repo,
        {"tests/test_b.py": "import os\n\n\ndef test_b():\n    assert os.path.exists('data.txt')\n"},
    )
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_file_written_and_later_put_back_as_it_was_still_counts(
    committed_repo: Path, tmp_path: Path
) -> None:
    # The bytes at the end are the committed ones, but test_b ran between the write and the restore:
    # comparing contents after the run would call it no write, and let test_b run alone.
    writes = "from pathlib import Path\n\n\ndef test_a():\n    Path('data.txt').write_text('y')\n"
    restores = "from pathlib import Path\n\n\ndef test_c():\n    Path('data.txt').write_text('x')\n"
    files = {
        "data.txt": "x",
        "tests/test_a.py": writes,
        "tests/test_b.py": PASSES,
        "tests/test_c.py": restores,
    }
    _committed(committed_repo, files)
    reads = "from pathlib import Path\n\n\ndef test_b():\n    assert Path('data.txt').read_text() == 'x'\n"
    _stage(committed_repo, {"tests/test_b.py": reads})
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


def test_a_git_ignored_folder_a_test_writes_is_written_too(committed_repo: Path, tmp_path: Path) -> None:
    # A clean checkout (CI's) has no ignored files either: what a test makes there is state.
    makes = "from pathlib import Path\n\n\ndef test_a():\n    Path('out').mkdir()\n"
    _committed(committed_repo, {".gitignore": "out/\n", "tests/test_a.py": makes, "tests/test_b.py": PASSES})
    _stage(
        committed_repo,
        {"tests/test_b.py": "import os\n\n\ndef test_b():\n    assert not os.path.exists('out')\n"},
    )
    _fails_as_plain_pytest_does(committed_repo, tmp_path)


COVERED = {
    "pkg/a.py": "def a():\n    return 1\n",
    "pkg/b.py": "def b():\n    return 1\n",
    "tests/test_a.py": "from pkg.a import a\n\n\ndef test_a():\n    assert a() == 1\n",
    "tests/test_b.py": "from pkg.b import b\n\n\ndef test_b():\n    assert b() == 1\n",
}


@pytest.mark.plugins_autoloaded  # (pytest11 entry points, pytest-cov: tests/conftest.py)
@pytest.mark.parametrize(
    "addopts",
    [
        pytest.param("--cov=pkg", id="coverage-data"),
        # On d8c1084 these reports kept every run whole: "the suite wrote into its tree (coverage.xml".
        pytest.param("--cov=pkg --cov-report=xml --cov-report=html:reports/html", id="reports"),
        pytest.param("--junitxml=junit.xml", id="junit"),  # (hookwright's own --junitxml comes after)
    ],
)
def test_what_pytest_plugins_write_for_themselves_keeps_the_selection(
    committed_repo: Path, addopts: str
) -> None:
    config = f"{PYTEST_CONFIG}addopts = '{addopts}'\n"
    _committed(committed_repo, {**COVERED, "pyproject.toml": config})
    _stage(committed_repo, {"pkg/a.py": "def a():\n    return 0 + 1\n"})
    result = verify(committed_repo, "--only", "tests", "--format", "json")
    assert result.returncode == 0 and "pytest: 1 passed, 0 failed" in result.stdout, result.stdout
    _stage(committed_repo, {"pkg/a.py": "def a():\n    return 2\n"})
    result = verify(committed_repo, "--only", "tests", "--format", "json")
    assert result.returncode == 1 and "pytest: 0 passed, 1 failed" in result.stdout, result.stdout


def _sleeper(seconds: float, body: str) -> str:
    return f"import time\n\nfrom pkg import shared\n\n\ndef test_it():\n    time.sleep({seconds})\n{body}"


def test_a_trusted_split_keeps_its_cut_when_durations_change(committed_repo: Path, tmp_path: Path) -> None:
    # p22f saw click blocked once: a split that had passed before cut an order dependency (module
    # state, which the left-state plugin does not see) under another partition of the files.
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "pkg" / "shared.py", "READY = False\n")
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    shards: 2\n    select: all\n")
    sets, reads = "    shared.READY = True\n", "    assert shared.READY\n"
    # No durations yet, so sizes weigh: the longest file, b, alone; a then c together (a sets what c
    # reads). Measured afterwards: b 0.6 s, a 0.3 s, c 0.2 s, the same partition.
    write(repo / "tests" / "test_a.py", _sleeper(0.3, sets))
    write(repo / "tests" / "test_b.py", _sleeper(0.6, "# " + "weight " * 60 + "\n"))
    write(repo / "tests" / "test_c.py", _sleeper(0.2, reads))
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain1") == 0
    first = verify(repo, "--only", "tests", "--format", "json")
    assert first.returncode == 0 and "2 shards" in first.stdout, first.stdout  # trusted from now on
    write(repo / "tests" / "test_a.py", _sleeper(0.9, sets))  # measured at 0.9 s on this run
    git(repo, "add", ".")
    second = verify(repo, "--only", "tests", "--format", "json")
    assert second.returncode == 0 and "2 shards" in second.stdout, second.stdout
    write(repo / "tests" / "test_b.py", _sleeper(0.6, "    pass\n"))
    git(repo, "add", ".")
    # By the new durations a (0.9 s) would go alone and c beside b, without a: that split fails where
    # a plain run passes. The trusted cut is kept instead.
    assert plain_pytest(repo, tmp_path / "plain2") == 0
    result = verify(repo, "--only", "tests", "--format", "json")
    assert result.returncode == 0 and "2 shards" in result.stdout, result.stdout
