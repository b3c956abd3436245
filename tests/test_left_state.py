"""A test file that leaves state behind (an environment variable, the working directory) for later
tests: selection and splitting would then differ from a plain ``pytest`` run, so the suite runs whole,
in one process, while that file keeps its bytes. Each verdict is compared with a plain run."""

from __future__ import annotations

from pathlib import Path

from conftest import PYTEST_CONFIG, git, write
from test_committed_bytes import plain_pytest, verify

READS_MODE = "import os\n\n\ndef mode():\n    return 1\n"
TEST_MODE = "from pkg.mode import mode\n\n\ndef test_mode():\n    assert mode() == 1\n"


def test_a_changed_test_that_leaves_a_variable_for_a_later_unselected_one(
    committed_repo: Path, tmp_path: Path
) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "tests" / "test_a.py", "def test_a():\n    pass\n")
    write(repo / "tests" / "test_b.py", "import os\n\n\ndef test_b():\n    assert 'FLAG' not in os.environ\n")
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "commit", "-qm", "two tests")
    # Only test_a changed: selection runs it alone, and alone it passes.
    write(repo / "tests" / "test_a.py", "import os\n\n\ndef test_a():\n    os.environ['FLAG'] = '1'\n")
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


def test_an_unselected_earlier_test_that_leaves_state_a_changed_module_reads(
    committed_repo: Path, tmp_path: Path
) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "pkg" / "mode.py", READS_MODE)
    write(repo / "tests" / "test_a.py", "import os\n\n\ndef test_a():\n    os.environ['MODE'] = 'fast'\n")
    write(repo / "tests" / "test_b.py", TEST_MODE)
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0  # every test runs: test_a is seen leaving MODE
    git(repo, "commit", "-qm", "mode")
    # test_a does not import pkg.mode: selection alone would run test_b by itself, which passes.
    write(
        repo / "pkg" / "mode.py",
        "import os\n\n\ndef mode():\n    return 2 if os.environ.get('MODE') else 1\n",
    )
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


def test_a_session_fixture_that_restores_what_it_sets_leaves_no_state(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    conftest = (
        "import os\n\nimport pytest\n\n\n@pytest.fixture(scope='session', autouse=True)\n"
        "def settings():\n    os.environ['SETTINGS'] = 'test'\n    yield\n    del os.environ['SETTINGS']\n"
    )
    write(repo / "tests" / "conftest.py", conftest)
    write(repo / "pkg" / "mode.py", READS_MODE)
    write(repo / "tests" / "test_a.py", "def test_a():\n    pass\n")
    write(repo / "tests" / "test_b.py", TEST_MODE)
    git(repo, "add", ".")
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo, "commit", "-qm", "mode")
    write(repo / "pkg" / "mode.py", READS_MODE.replace("return 1", "return 0 + 1"))
    git(repo, "add", ".")
    result = verify(repo, "--only", "tests", "--format", "json")
    assert result.returncode == 0, result.stdout
    # Selection still narrows such a suite: test_b alone, not the whole suite in one process.
    assert "pytest: 1 passed, 0 failed" in result.stdout and "state behind" not in result.stdout


def test_a_split_run_where_one_shard_leaves_state_for_the_other(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    shards: 2\n    select: all\n")
    write(repo / "tests" / "test_a.py", "import os\n\n\ndef test_a():\n    os.environ['FLAG'] = '1'\n")
    write(repo / "tests" / "test_b.py", "import os\n\n\ndef test_b():\n    assert 'FLAG' not in os.environ\n")
    git(repo, "add", ".")
    # Each file alone, in its own process, passes; one plain pytest process does not.
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, result.stdout


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
