"""setuptools' strict editable mode (`pip install -e . --config-settings editable_mode=strict`),
built with real pip: a `.pth` names `build/__editable__.NAME-*`, a tree of links to the sources.

The links lead to the work tree, and the copy has no `build/` (it is ignored). On 998c6cc, with
`package-dir = {mypkg = 'lib'}`, the staged broken module passed here (the links were imported),
and in a venv of its own without this environment's packages the passing suite failed ("No module
named 'mypkg'": the work tree's folder hidden, the copy's missing). The flat layout held (the copy's
root is first on the path): kept as a guard.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_editable_installs import BROKEN, GOOD, editable_venv

PYPROJECT = (
    "[build-system]\nrequires = ['setuptools']\nbuild-backend = 'setuptools.build_meta'\n\n"
    "[project]\nname = 'mypkg'\nversion = '0.1'\n\n"
)
LAYOUTS = {
    "package-dir": ("[tool.setuptools]\npackage-dir = {mypkg = 'lib'}\npackages = ['mypkg']\n", "lib"),
    "flat": ("[tool.setuptools]\npackages = ['mypkg']\n", "mypkg"),
}


def run(repo: Path) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_strict_editable_install_imports_the_committed_package(in_git_dir: Path, layout: str) -> None:
    repo = in_git_dir
    config, folder = LAYOUTS[layout]
    write(repo / "pyproject.toml", PYPROJECT + config)
    write(repo / folder / "__init__.py", "")
    write(repo / folder / "core.py", GOOD)
    write(
        repo / "tests" / "test_core.py",
        "from mypkg.core import value\n\n\ndef test_value():\n    assert value() == 1\n",
    )
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n/build/\n")
    python = editable_venv(repo, repo / ".venv", "--config-settings", "editable_mode=strict")
    assert any((repo / "build").glob("__editable__.mypkg-*")), "not setuptools' strict mode"
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    assert run(repo) == 0, "a passing suite failed"
    write(repo / folder / "core.py", BROKEN)
    git(repo, "add", ".")
    write(repo / folder / "core.py", GOOD)  # the work tree, which the links lead to: still good
    assert run(repo) == 1, "the work tree's module was tested, not the staged one"
