"""A src layout is importable in the tests exactly when the user's own pytest can import it.

On 119b63e the copy's ``src`` was always on PYTHONPATH: a src-layout project that is not installed and
has no ``pythonpath`` setting passed under hookwright while plain ``pytest`` in the user's CI failed
with ModuleNotFoundError. Installed (here by real pip, not editable), the committed ``src`` is what
the tests import, never the older installed copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import git, hookwright, write
from test_editable_installs import pip_install

TEST = "from mypkg import VALUE\n\n\ndef test_value():\n    assert VALUE == 1\n"
PYPROJECT = (
    '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "mypkg"\nversion = "1"\n'
)


def src_project(repo: Path) -> None:
    write(repo / "src" / "mypkg" / "__init__.py", "VALUE = 1\n")
    write(repo / "tests" / "test_value.py", TEST)
    write(repo / "pyproject.toml", PYPROJECT)
    write(repo / ".gitignore", "/.venv/\n*.egg-info/\nbuild/\n")
    git(repo, "add", ".")


def plain_pytest(repo: Path) -> int:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=repo, env=env, capture_output=True, check=False).returncode


def test_a_src_layout_nobody_installed_fails_as_plain_pytest_does(in_git_dir: Path) -> None:
    repo = in_git_dir
    src_project(repo)
    assert plain_pytest(repo) == 2  # collection: No module named 'mypkg'
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 1, f"passed where plain pytest cannot import the package: {done.stdout}"
    assert "No module named 'mypkg'" in done.stdout, done.stdout
    # pytest's own pythonpath setting puts it there: then both pass.
    write(repo / "pyproject.toml", PYPROJECT + '\n[tool.pytest.ini_options]\npythonpath = ["src"]\n')
    git(repo, "add", ".")
    assert plain_pytest(repo) == 0
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 0, done.stdout


def test_an_installed_src_layout_is_tested_at_the_committed_bytes(in_git_dir: Path) -> None:
    repo = in_git_dir
    src_project(repo)
    venv = repo / ".venv"  # the project's interpreter, as hookwright finds it
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip()
    import sysconfig

    (Path(purelib) / "00-test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip_install(python, repo)  # a copy of VALUE = 1 in site-packages
    write(repo / "src" / "mypkg" / "__init__.py", "VALUE = 2\n")
    git(repo, "add", ".")
    done = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert done.returncode == 1, f"the installed copy was tested, not the committed one: {done.stdout}"
