"""Editable installs in every form a build backend writes, each built with real pip from its backend.

setuptools maps a namespace's sub-package (``MAPPING = {'myns.sub': .../lib/sub}``, ``NAMESPACES``),
hatchling's ``dev-mode-exact`` installs ``editables``' redirecting finder (``_editable_impl_*.py``),
meson-python a loader that goes first on ``sys.meta_path`` and rebuilds from the source folder on
import, scikit-build-core's redirect mode a finder first there too. None of them was read: the tests imported the work tree's bytes, not the committed ones.
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_editable_installs import BROKEN, GOOD, editable_venv

BUILD = "[build-system]\nrequires = [{requires!r}]\nbuild-backend = {backend!r}\n\n"
PROJECT = "[project]\nname = {name!r}\nversion = '0.1'\n\n"
FORMS = {
    "setuptools-namespace": (
        {
            "pyproject.toml": BUILD.format(requires="setuptools", backend="setuptools.build_meta")
            + PROJECT.format(name="nspkg")
            + "[tool.setuptools]\npackage-dir = {'myns' = 'lib'}\npackages = ['myns.sub']\n",
            "lib/sub/__init__.py": "",
        },
        "lib/sub/core.py",
        "myns.sub.core",
    ),
    "hatch-pth": (
        {
            "pyproject.toml": BUILD.format(requires="hatchling", backend="hatchling.build")
            + PROJECT.format(name="hpkg")
            + "[tool.hatch.build.targets.wheel]\npackages = ['src/hpkg']\n",
            "src/hpkg/__init__.py": "",
        },
        "src/hpkg/core.py",
        "hpkg.core",
    ),
    "hatch-exact": (
        {
            "pyproject.toml": BUILD.format(requires="hatchling", backend="hatchling.build")
            + PROJECT.format(name="hpkg")
            + "[tool.hatch.build]\ndev-mode-exact = true\n\n"
            + "[tool.hatch.build.targets.wheel]\npackages = ['python/hpkg']\n",
            "python/hpkg/__init__.py": "",
        },
        "python/hpkg/core.py",
        "hpkg.core",
    ),
    "scikit-build-core": (
        {
            "pyproject.toml": BUILD.format(requires="scikit-build-core", backend="scikit_build_core.build")
            + PROJECT.format(name="spkg")
            + "[tool.scikit-build]\neditable.mode = 'redirect'\nwheel.packages = ['python/spkg']\n",
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.15)\nproject(spkg LANGUAGES NONE)\n",
            "python/spkg/__init__.py": "",
        },
        "python/spkg/core.py",
        "spkg.core",
    ),
    "meson-python": (
        {
            "pyproject.toml": BUILD.format(requires="meson-python", backend="mesonpy")
            + PROJECT.format(name="mpkg"),
            "meson.build": "project('mpkg', version: '0.1')\npy = import('python').find_installation()\n"
            "py.install_sources('mpkg/__init__.py', 'mpkg/core.py', subdir: 'mpkg')\n",
            "mpkg/__init__.py": "",
        },
        "mpkg/core.py",
        "mpkg.core",
    ),
}


def run(repo: Path) -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode


@pytest.mark.parametrize("form", sorted(FORMS))
def test_tests_import_the_committed_package_whatever_installed_it(
    in_git_dir: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    files, core, module = FORMS[form]
    repo = in_git_dir
    for path, text in files.items():
        write(repo / path, text)
    write(repo / core, GOOD)
    write(
        repo / "tests" / "test_core.py",
        f"from {module} import value\n\n\ndef test_value():\n    assert value() == 1\n",
    )
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n/build/\n")
    # meson-python runs `meson` from the path, as a user's activated environment has it.
    monkeypatch.setenv("PATH", os.pathsep.join([sysconfig.get_path("scripts"), os.environ["PATH"]]))
    python = editable_venv(repo, repo / ".venv")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    assert run(repo) == 0
    write(repo / core, BROKEN)
    git(repo, "add", ".")
    write(repo / core, GOOD)  # the work tree, which the editable install reads: still good
    assert run(repo) == 1, f"{form}: the work tree's module was tested, not the staged one"
