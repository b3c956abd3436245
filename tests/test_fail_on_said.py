"""A fail_on that lets the verdict pass over a failed or broken check says so, in the summary and the record.

On 119b63e `fail_on: []` (or `[warning]`) printed "passed (1 checks)" over a failing check, showed none of
its findings, and the record's decision listed no failed step: a pass indistinguishable from a real one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import git, hookwright, write

CONFIG = "fail_on: {policy}\ncommands:\n  - name: mine\n    argv: [{python}, check.py]\n"
CHECK = "import sys\nprint('data.txt:1: not good')\nsys.exit({code})\n"


@pytest.mark.parametrize("policy", ["[]", "[warning]"])
def test_a_failing_check_the_policy_passes_over_is_named(in_git_dir: Path, policy: str) -> None:
    repo = in_git_dir
    write(repo / ".hookwright.yaml", CONFIG.format(policy=policy, python=sys.executable))
    write(repo / "check.py", CHECK.format(code=1))
    write(repo / "data.txt", "x\n")
    git(repo, "add", ".")
    done = hookwright("verify", "--all-files", "--only", "mine", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr  # the policy is the user's to choose ...
    summary = done.stdout.splitlines()[0]
    assert "not blocking by fail_on: mine failed" in summary, done.stdout  # ... and it is said
    assert "data.txt:1" in done.stdout, done.stdout
    record = json.loads(next((repo / ".git" / "hookwright" / "records").glob("*.json")).read_text())
    assert record["outcome"] == "passed"
    assert record["decision"]["not_blocking"] == ["mine"], record["decision"]


def test_a_real_pass_names_nothing(in_git_dir: Path) -> None:
    repo = in_git_dir
    write(repo / ".hookwright.yaml", CONFIG.format(policy="[]", python=sys.executable))
    write(repo / "check.py", CHECK.format(code=0).replace("print('data.txt:1: not good')\n", ""))
    git(repo, "add", ".")
    done = hookwright("verify", "--all-files", "--only", "mine", cwd=repo)
    assert done.returncode == 0 and "not blocking" not in done.stdout, done.stdout
    record = json.loads(next((repo / ".git" / "hookwright" / "records").glob("*.json")).read_text())
    assert "not_blocking" not in record["decision"]
