"""What a verdict depends on outside the committed tree: each either joins the cache key or is kept out
of the run (t32's hostile pass).

Every case here passed once and then either passed for other bytes (a replayed pass) or passed bytes
that were never checked.
"""

from __future__ import annotations

import os
from pathlib import Path

from conftest import git, hookwright, write


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return {**env, **extra}


def test_ruff_told_to_write_its_output_elsewhere_still_reports_to_the_lint_check(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """``RUFF_OUTPUT_FILE`` in the user's environment sent ruff's JSON to that file: stdout was empty,
    read as no findings, and an unused import passed lint (and the pass was cached)."""
    repo = in_git_dir
    write(repo / "mod.py", "import os\n")
    git(repo, "add", "mod.py")
    env = environment(RUFF_OUTPUT_FILE=str(tmp_path / "ruff-output.json"))
    result = hookwright("verify", "--only", "lint", cwd=repo, env=env)
    assert result.returncode == 1, f"F401 went to RUFF_OUTPUT_FILE and lint passed: {result.stdout}"
    assert "F401" in result.stdout
