"""verify on a Go module, each verdict as plain ``go test ./...`` gives it on a clean checkout."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import git, hookwright, write

GO_MOD = "module example.com/m\n\ngo 1.19\n"
ADD = "package calc\n\nfunc Add(a, b int) int { return a + b }\n"
ADD_TEST = (
    'package calc\n\nimport "testing"\n\nfunc TestAdd(t *testing.T) {\n'
    '\tif Add(1, 2) != 3 {\n\t\tt.Fatal("bad")\n\t}\n}\n'
)


@pytest.fixture
def go_env(tmp_path: Path) -> dict[str, str]:
    if shutil.which("go") is None:
        if os.environ.get("CI"):
            pytest.fail("go is not installed: CI must provide it")
        pytest.skip("go is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "PYTEST_ADDOPTS"))}
    env.update(GOCACHE=str(tmp_path / "gocache"), GOPATH=str(tmp_path / "gopath"), GOPROXY="off")
    return {**env, "GOENV": "off", "GOFLAGS": "", "GOTOOLCHAIN": "local", "GOTELEMETRY": "off"}


def test_an_untracked_go_work_above_the_copy_is_not_read(in_git_dir: Path, go_env: dict[str, str]) -> None:
    """go.work is mostly left uncommitted (as Go's documentation advises): go looks for one in every
    folder above the one it runs in, and the private copy lies inside the work tree. It found the
    work tree's, and every run of a passing module failed."""
    repo = in_git_dir
    write(repo / "go.mod", GO_MOD)
    write(repo / "calc" / "add.go", ADD)
    write(repo / "calc" / "add_test.go", ADD_TEST)
    git(repo, "add", ".")
    write(repo / "go.work", "go 1.19\n\nuse .\n")
    write(repo / ".git" / "info" / "exclude", "go.work\n")
    result = hookwright("verify", "--only", "tests", cwd=repo, env=go_env)
    assert result.returncode == 0, result.stdout
