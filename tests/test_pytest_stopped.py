"""A pytest session stopped before its last test is no pass, whatever its exit code.

`pytest.exit("...", returncode=0)` in a test or a fixture ends the session with exit code 0 and a JUnit
report that lists only the tests before it: on 119b63e the verdict was "passed" with a failing test
never run. Plain pytest exits 0 there too; hookwright says the suite was not run to its end (a stated
failure, not a pass). os._exit(0) in a test held on 119b63e (no JUnit report): checked here so it stays
that way (a segfault, KeyboardInterrupt and a raising pytest_sessionfinish held too, probed by hand).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, hookwright, write

PASSING = "def test_a():\n    assert True\n"
FAILING = "def test_c():\n    assert 1 == 2\n"
STOPPERS = {
    "pytest.exit in a test": (
        "tests/test_b.py",
        'import pytest\n\n\ndef test_b():\n    pytest.exit("done", returncode=0)\n',
    ),
    "pytest.exit in a fixture": (
        "tests/conftest.py",
        "import pytest\n\n\n@pytest.fixture(autouse=True)\ndef stop(request):\n"
        '    if request.node.name == "test_c":\n        pytest.exit("enough", returncode=0)\n',
    ),
    "os._exit(0) in a test": ("tests/test_b.py", "import os\n\n\ndef test_b():\n    os._exit(0)\n"),
}


@pytest.mark.parametrize("case", sorted(STOPPERS))
def test_a_session_stopped_early_is_never_a_pass(in_git_dir: Path, case: str) -> None:
    repo = in_git_dir
    write(repo / "tests" / "test_a.py", PASSING)
    write(repo / "tests" / "test_c.py", FAILING)  # runs last, or never
    path, text = STOPPERS[case]
    write(repo / path, text)
    git(repo, "add", ".")
    done = hookwright("verify", "--all-files", "--only", "tests", "--format", "json", cwd=repo)
    record = json.loads(done.stdout)
    assert done.returncode == 1, f"{case}: {record['steps']}"
    assert record["steps"][0]["status"] in ("failed", "error"), record["steps"]
