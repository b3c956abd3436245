"""The files around one test run: named in hookwright's scratch folder, gone when the run ends.

Temporary folders cost an ``rmdir`` each after pytest exits (issue 22); the run's report, lists and
outcomes are files of their own instead, and the verdict still comes from them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import git, hookwright, write

# A test that writes down where the run's files are (its argv and the plugin's variables) and
# whether they exist while it runs.
WHERE_THE_FILES_ARE = """\
import json, os, sys
from pathlib import Path


def test_where_the_files_are():
    report = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--junitxml="))
    named = {k: v for k, v in os.environ.items() if k.startswith("HOOKWRIGHT_PYTEST_")}
    Path(os.environ["WHERE"]).write_text(json.dumps({"report": report, **named}))
"""
FAILING = "def test_fails():\n    assert False\n"


def _run(repo: Path, where: Path) -> tuple[int, dict[str, str]]:
    done = hookwright("verify", "--only", "tests", cwd=repo, env={**os.environ, "WHERE": str(where)})
    return done.returncode, json.loads(where.read_text())


def _left_in(scratch: Path) -> list[Path]:
    """What a run left in the scratch folder, but the empty folder kept for checkout-index (p22m)."""
    kept = scratch / "empty"
    assert not kept.exists() or list(kept.iterdir()) == []
    return [p for p in scratch.iterdir() if p != kept]


def test_a_test_run_keeps_its_files_in_the_scratch_folder_and_removes_them(
    tested_repo: Path, tmp_path: Path
) -> None:
    write(tested_repo / "tests" / "test_where.py", WHERE_THE_FILES_ARE)
    git(tested_repo, "add", ".")
    code, seen = _run(tested_repo, tmp_path / "where.json")
    assert code == 0
    scratch = tested_repo / ".git" / "hookwright" / "scratch"
    files = [Path(seen["report"]), Path(seen["HOOKWRIGHT_PYTEST_OUTCOMES"])]
    assert all(f.parent == scratch for f in files), seen
    assert _left_in(scratch) == []


def test_a_failure_is_still_read_from_the_scratch_files(tested_repo: Path, tmp_path: Path) -> None:
    write(tested_repo / "tests" / "test_where.py", WHERE_THE_FILES_ARE)
    write(tested_repo / "tests" / "test_fails.py", FAILING)
    git(tested_repo, "add", ".")
    code, seen = _run(tested_repo, tmp_path / "where.json")
    assert code == 1
    assert Path(seen["report"]).parent.name == "scratch"
    assert _left_in(tested_repo / ".git" / "hookwright" / "scratch") == []
