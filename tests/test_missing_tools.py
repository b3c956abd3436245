"""A check whose tool is missing is no pass when there is something for it to check.

pre-commit fails a hook whose executable is missing, and skips one with no files to check. On 998c6cc
`lint` without ruff was "skipped: ruff is not installed" and the verdict passed with every staged
Python file unlinted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from conftest import git, hookwright, write


def without_ruff(tmp_path: Path) -> Path:
    """This interpreter's environment seen from a folder with no ruff beside the interpreter."""
    here = Path(sys.prefix)
    place = tmp_path / "env-without-ruff"
    (place / "bin").mkdir(parents=True)
    (place / "bin" / "python").symlink_to(Path(sys.executable))
    (place / "pyvenv.cfg").write_bytes((here / "pyvenv.cfg").read_bytes())
    (place / "lib").symlink_to(here / "lib", target_is_directory=True)
    return place / "bin" / "python"


def verify_without_ruff(repo: Path, python: Path) -> tuple[int, dict[str, object]]:
    import subprocess

    env = {
        **os.environ,
        "PATH": os.pathsep.join(p for p in ("/usr/bin", "/bin") if not Path(p, "ruff").exists()),
    }
    argv = [str(python), "-m", "hookwright", "verify", "--all-files", "--only", "lint", "--format", "json"]
    done = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.startswith("{"), done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout)


def test_python_files_and_no_ruff_is_not_a_pass(in_git_dir: Path, tmp_path: Path) -> None:
    repo = in_git_dir
    write(repo / "mod.py", "import os\n")  # F401 under ruff's defaults
    git(repo, "add", ".")
    code, record = verify_without_ruff(repo, without_ruff(tmp_path))
    assert code == 1, f"the staged Python file went unlinted and the verdict passed: {record}"
    step = record["steps"][0]  # type: ignore[index]
    assert step["status"] == "error" and "ruff is not installed" in step["reason"], record


def test_nothing_to_lint_and_no_ruff_is_still_a_skip(in_git_dir: Path, tmp_path: Path) -> None:
    repo = in_git_dir
    write(repo / "notes.txt", "no Python here\n")
    git(repo, "add", ".")
    code, record = verify_without_ruff(repo, without_ruff(tmp_path))
    assert code == 0, record
    assert record["steps"][0]["status"] == "skipped", record  # type: ignore[index]


def test_tests_inputs_that_match_no_file_are_not_a_pass(in_git_dir: Path) -> None:
    """`inputs: [src/*]` in a flat layout: the key held none of the code, and a pass made once was
    replayed for a broken module on 998c6cc."""
    repo = in_git_dir
    write(repo / "m.py", "def add(a, b):\n    return a + b\n")
    write(repo / "tests" / "test_m.py", "from m import add\n\n\ndef test_a():\n    assert add(1, 2) == 3\n")
    write(repo / ".hookwright.yaml", "checks:\n  tests:\n    inputs: ['src/*', 'tests/*']\n")
    git(repo, "add", ".")
    first = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    write(repo / "m.py", "def add(a, b):\n    return a - b\n")
    git(repo, "add", ".")
    second = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert second.returncode == 1, f"a broken module passed: {first.stdout}{second.stdout}"
    assert "'src/*' matches no file of the tree" in second.stdout, second.stdout
