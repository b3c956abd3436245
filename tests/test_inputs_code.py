"""`checks.tests.inputs` narrows what else counts, never the code and the runners' config.

On 119b63e `inputs: ["src/**"]` made only src/ the cache key: a test file changed to fail replayed the
pass made before it ("1 from cache"), a pass for other bytes than the committed ones.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, hookwright, write

TEST = 'import sys\n\nsys.path.insert(0, "src")\nfrom m import V\n\n\ndef test_v():\n    assert V == {}\n'


def test_a_changed_test_file_outside_the_inputs_runs_again(in_git_dir: Path) -> None:
    repo = in_git_dir
    write(repo / "src" / "m.py", "V = 1\n")
    write(repo / "tests" / "test_v.py", TEST.format(1))
    write(repo / ".hookwright.yaml", 'checks:\n  tests:\n    inputs: ["src/**"]\n')
    git(repo, "add", ".")
    assert hookwright("verify", "--all-files", "--only", "tests", cwd=repo).returncode == 0
    write(repo / "tests" / "test_v.py", TEST.format(2))
    git(repo, "add", ".")
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 1, f"the pass of another test file was replayed: {done.stdout}"
