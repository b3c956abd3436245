"""A verdict reached under one test-runner environment is never reused under another.

pytest reads PYTEST_ADDOPTS from the environment hookwright runs in: a run that deselected the failing
tests passes, and that pass must not answer for a run that selects them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import git, hookwright, write


def verify_tests(repo: Path, **extra: str) -> tuple[int, dict]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"} | extra
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    record = json.loads(sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))[-1].read_text())
    return result.returncode, record["steps"][0]


def test_a_pass_under_pytest_addopts_is_not_reused_without_them(committed_repo: Path) -> None:
    repo = committed_repo
    write(repo / "pytest.ini", "[pytest]\nmarkers =\n    slow: a slow test\n")
    write(
        repo / "tests" / "test_mod.py",
        "import pytest\n\nfrom pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\n"
        "@pytest.mark.slow\ndef test_slow():\n    assert add(2, 2) == 5\n",
    )
    git(repo, "add", ".")
    filtered, step = verify_tests(repo, PYTEST_ADDOPTS="-m 'not slow'")
    assert filtered == 0, json.dumps(step)
    whole, step = verify_tests(repo)
    assert whole == 1 and step["status"] == "failed", json.dumps(step)
    again, step = verify_tests(repo, PYTEST_ADDOPTS="-m 'not slow'")
    assert again == 0, json.dumps(step)


def test_a_variable_the_config_names_is_part_of_the_key(committed_repo: Path) -> None:
    """The suite reads MYAPP_MODE; a pass under one value must not answer for another."""
    repo = committed_repo
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    environment: [MYAPP_*]\n")
    write(
        repo / "tests" / "test_mode.py",
        "import os\n\n\ndef test_mode():\n    assert os.environ.get('MYAPP_MODE', 'fast') == 'fast'\n",
    )
    git(repo, "add", ".")
    fast, step = verify_tests(repo, MYAPP_MODE="fast")
    assert fast == 0, json.dumps(step)
    other, step = verify_tests(repo, MYAPP_MODE="full")
    assert other == 1 and step["status"] == "failed" and not step.get("cached"), json.dumps(step)


def test_a_malformed_variable_pattern_is_bad_input(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", "checks:\n  tests:\n    environment: ['A B']\n")
    git(committed_repo, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=committed_repo)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "environment" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("variable", "passing", "failing", "test"),
    [
        # No line of the tests names these: the C library and the interpreter read them.
        (
            "TZ",
            "UTC0",
            "ABC-5",
            "import time\n\n\ndef test_epoch():\n    assert time.localtime(0).tm_hour == 0\n",
        ),
        (
            "PYTHONUTF8",
            "1",
            "0",
            "import locale\n\n\ndef test_utf8():\n    assert locale.getpreferredencoding(False).lower() == 'utf-8'\n",
        ),
    ],
)
def test_what_the_interpreter_and_libc_read_is_part_of_the_key(
    committed_repo: Path, variable: str, passing: str, failing: str, test: str
) -> None:
    repo = committed_repo
    write(repo / "tests" / "test_env.py", test)
    git(repo, "add", ".")
    # (LC_ALL=C: the locale leaves the encoding to PYTHONUTF8.)
    first, step = verify_tests(repo, **{variable: passing, "LC_ALL": "C"})
    assert first == 0, json.dumps(step)
    other, step = verify_tests(repo, **{variable: failing, "LC_ALL": "C"})
    assert other == 1 and not step.get("cached"), json.dumps(step)
