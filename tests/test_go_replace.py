"""go.mod `replace` directives that lead to a folder outside the tree, each verdict as plain
``go test ./...`` in the work tree gives it.

On 998c6cc `replace example.com/dep => ../dep` failed every passing module (the private copy has no
``../dep``), and after the sibling's code changed, a pass made with its old code was replayed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_verify_go import go_env

__all__ = ["go_env"]  # the fixture, imported for these tests

DEP = "package dep\n\nfunc Add(a, b int) int { return a + b }\n"
USE = 'package m\n\nimport "example.com/dep"\n\nfunc Sum(a, b int) int { return dep.Add(a, b) }\n'
USE_TEST = (
    'package m\n\nimport "testing"\n\nfunc TestSum(t *testing.T) {\n'
    '\tif Sum(1, 2) != 3 {\n\t\tt.Fatal("bad")\n\t}\n}\n'
)


def module_with_sibling(repo: Path, replacement: str) -> Path:
    sibling = repo.parent / "dep"
    write(sibling / "go.mod", "module example.com/dep\n\ngo 1.19\n")
    write(sibling / "dep.go", DEP)
    written = str(sibling) if replacement == "absolute" else "../dep"
    go_mod = f"module example.com/m\n\ngo 1.19\n\nrequire example.com/dep v0.0.0\n\nreplace (\n\texample.com/dep => {written} // local\n)\n"
    write(repo / "go.mod", go_mod)
    write(repo / "m.go", USE)
    write(repo / "m_test.go", USE_TEST)
    git(repo, "add", ".")
    return sibling


def plain_go_test(repo: Path, env: dict[str, str]) -> int:
    return subprocess.run(
        ["go", "test", "./..."], cwd=repo, env=env, capture_output=True, check=False
    ).returncode


@pytest.mark.parametrize("replacement", ["relative", "absolute"])
def test_a_replacement_outside_the_tree_is_the_work_trees_and_in_the_key(
    in_git_dir: Path, go_env: dict[str, str], replacement: str
) -> None:
    repo = in_git_dir
    sibling = module_with_sibling(repo, replacement)
    assert plain_go_test(repo, go_env) == 0
    result = hookwright("verify", "--only", "tests", "--all-files", cwd=repo, env=go_env)
    assert result.returncode == 0, f"a passing module failed: {result.stdout}"
    write(sibling / "dep.go", DEP.replace("a + b", "a - b"))
    assert plain_go_test(repo, go_env) == 1
    result = hookwright("verify", "--only", "tests", "--all-files", cwd=repo, env=go_env)
    assert result.returncode == 1, f"the pass made with the sibling's old code was replayed: {result.stdout}"
    assert "from cache" not in result.stdout, result.stdout
