"""A cached pass is replayed only in the environment it was earned in.

The tests check's key holds the tree's bytes and the interpreter's identity. A dependency the
project's interpreter installs changes what the same tree's tests run: upgraded in the virtualenv,
or installed editable from a folder outside the repository whose files then changed.
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_committed_bytes import verify
from test_editable_installs import BROKEN, GOOD, PYPROJECT, editable_venv, pip_install

TEST = "from dep import value\n\n\ndef test_value():\n    assert value() == 1\n"


def dependency(folder: Path, text: str, version: str = "0.1") -> Path:
    """A project ``dep`` (one module) in ``folder``, outside the repository."""
    write(
        folder / "setup.cfg", f"[metadata]\nname = dep\nversion = {version}\n\n[options]\npy_modules = dep\n"
    )
    write(folder / "pyproject.toml", PYPROJECT)
    write(folder / "dep.py", text)
    return folder


def project(repo: Path, python: Path) -> None:
    write(repo / "tests" / "test_dep.py", TEST)
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")


def test_a_dependency_upgraded_in_the_virtualenv_runs_the_tests_again(
    in_git_dir: Path, tmp_path: Path
) -> None:
    repo = in_git_dir
    python = editable_venv(dependency(tmp_path / "dep1", GOOD), tmp_path / "venv")
    pip_install(python, tmp_path / "dep1")  # a plain install, over the editable one
    project(repo, python)
    assert verify(repo, "--only", "tests").returncode == 0
    pip_install(python, dependency(tmp_path / "dep2", BROKEN, version="0.2"))
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass with the old dependency was replayed: {result.stdout}"


def test_an_editable_dependency_outside_the_repository_that_changed_runs_the_tests_again(
    in_git_dir: Path, tmp_path: Path
) -> None:
    repo = in_git_dir
    outside = dependency(tmp_path / "dep", GOOD)
    python = editable_venv(outside, tmp_path / "venv")
    project(repo, python)
    assert verify(repo, "--only", "tests").returncode == 0
    write(outside / "dep.py", BROKEN)  # `git pull` in the sibling project
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass with the dependency's old code was replayed: {result.stdout}"


SYSTEM_PYTHON = Path("/usr/bin/python3")


@pytest.mark.skipif(not SYSTEM_PYTHON.exists(), reason="no system interpreter at /usr/bin/python3")
def test_a_dependency_upgraded_in_the_user_site_runs_the_tests_again(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """No virtualenv: the project's packages are the user's (``pip install --user``) and the system's."""
    repo = in_git_dir
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTHONUSERBASE"] = str(tmp_path / "user")
    where = [str(SYSTEM_PYTHON), "-c", "import site; print(site.getusersitepackages())"]
    user_site = Path(subprocess.check_output(where, text=True, env=env).strip())
    # pytest for that interpreter, from this environment (the same Python minor version, or skipped).
    write(user_site / "00-test-environment.pth", f"{sysconfig.get_paths()['purelib']}\n")
    write(user_site / "dep.py", GOOD)
    project(repo, SYSTEM_PYTHON)
    probe = [str(SYSTEM_PYTHON), "-c", "import pytest, dep"]
    if subprocess.run(probe, env=env, capture_output=True, check=False).returncode:
        pytest.skip("the system interpreter cannot import this environment's pytest")
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    (user_site / "dep.py").unlink()  # as pip replaces it: version 2 in its place
    write(user_site / "dep.py", BROKEN)
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"a pass with the old dependency was replayed: {result.stdout}"
