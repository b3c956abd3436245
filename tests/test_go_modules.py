"""Every Go module of the tree is tested, each in its folder, as `go test ./...` there tests it.

`go test ./...` at the root stops at a nested module's go.mod. On 998c6cc a tree whose modules all
lie in folders (a go.work at the root, the layout Go's workspaces suggest) had no go suite at all:
"skipped: no tests found" under a passing verdict; and a nested module beside a root one was never
tested. Each verdict is compared with plain `go test ./...` in the module's folder.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_verify_go import go_env

__all__ = ["go_env"]  # the fixture, imported for these tests

VALUE = "package {name}\n\nfunc V() int {{ return 1 }}\n"
VALUE_TEST = (
    'package {name}\n\nimport "testing"\n\nfunc TestV(t *testing.T) {{\n'
    '\tif V() != 1 {{\n\t\tt.Fatal("bad")\n\t}}\n}}\n'
)


def module(repo: Path, folder: str, name: str) -> None:
    place = repo / folder if folder else repo
    write(place / "go.mod", f"module example.com/{name}\n\ngo 1.19\n")
    write(place / "v.go", VALUE.format(name=name))
    write(place / "v_test.go", VALUE_TEST.format(name=name))


def plain_go_test(folder: Path, env: dict[str, str]) -> int:
    return subprocess.run(
        ["go", "test", "./..."], cwd=folder, env=env, capture_output=True, check=False
    ).returncode


@pytest.mark.parametrize("layout", ["go.work", "nested"])
def test_each_module_is_tested(in_git_dir: Path, go_env: dict[str, str], layout: str) -> None:
    repo = in_git_dir
    if layout == "go.work":
        module(repo, "a", "a")
        write(repo / "go.work", "go 1.19\n\nuse (\n\t./a\n\t./b\n)\n")
    else:
        module(repo, "", "root")
    module(repo, "b", "b")
    git(repo, "add", ".")
    result = hookwright("verify", "--all-files", "--only", "tests", cwd=repo, env=go_env)
    assert result.returncode == 0, result.stdout
    write(repo / "b" / "v.go", VALUE.format(name="b").replace("return 1", "return 2"))
    git(repo, "add", ".")
    assert plain_go_test(repo / "b", go_env) == 1
    result = hookwright("verify", "--only", "tests", cwd=repo, env=go_env)
    assert result.returncode == 1, f"module b's failing test was never run: {result.stdout}"
    assert "b/v_test.go" in result.stdout, result.stdout


def test_go_passes_over_testdata_and_vendor(in_git_dir: Path, go_env: dict[str, str]) -> None:
    """A go.mod under testdata/ is a fixture, never a module go tests (as go itself skips it)."""
    repo = in_git_dir
    module(repo, "", "root")
    write(repo / "testdata" / "broken" / "go.mod", "module example.com/broken\n\ngo 1.19\n")
    write(repo / "testdata" / "broken" / "x_test.go", "package broken\n\nthis is not Go\n")
    git(repo, "add", ".")
    assert plain_go_test(repo, go_env) == 0
    assert hookwright("verify", "--all-files", "--only", "tests", cwd=repo, env=go_env).returncode == 0


def test_under_a_go_work_only_the_modules_it_uses(in_git_dir: Path, go_env: dict[str, str]) -> None:
    """go refuses to test a module the committed go.work does not list: that one is not run."""
    repo = in_git_dir
    module(repo, "a", "a")
    module(repo, "scratch", "scratch")
    write(repo / "go.work", "go 1.19\n\nuse ./a\n")
    git(repo, "add", ".")
    assert plain_go_test(repo / "a", go_env) == 0
    result = hookwright("verify", "--all-files", "--only", "tests", cwd=repo, env=go_env)
    assert result.returncode == 0, result.stdout
