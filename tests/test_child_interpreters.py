"""False passes through a Python child a test starts: ``subprocess.run([sys.executable, ...])``.

The child inherits PYTHONPATH (the private copy first) but its ``site`` reads the project's
interpreter's ``.pth`` files again: the work tree's ``src/`` and setuptools' editable finder are back
on its path after the copy's. A module never ``git add``-ed, imported only in the child, was found
there and the test passed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_committed_bytes import verify
from test_editable_installs import GOOD, MAPPED_LAYOUT, PYPROJECT, SRC_LAYOUT, editable_venv

CHILD_TEST = (
    "import os\nimport subprocess\nimport sys\n\n\n"
    "def test_value_in_a_child():\n"
    "    subprocess.run([sys.executable, {args}], check=True{env})\n"
)


IMPORT_HELPERS = "'-c', 'from helpers import value; assert value() == 1'"


def installed(repo: Path, layout: dict[str, str], config: str = "") -> Path:
    """``layout`` in ``repo``, installed editable into ``repo/.venv``; that venv's python is the
    project's, unless ``config`` (a .hookwright.yaml) is given."""
    for path, text in {**layout, "pyproject.toml": PYPROJECT}.items():
        write(repo / path, text)
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")
    write(repo / ".hookwright.yaml", config or f"checks:\n  tests:\n    python: {python}\n")
    return python


@pytest.mark.parametrize(
    ("layout", "untracked", "args"),
    [
        pytest.param(
            SRC_LAYOUT,
            "src/helpers.py",
            IMPORT_HELPERS,
            id="src-folder-in-a-child",
        ),
        pytest.param(
            MAPPED_LAYOUT,
            "lib/new.py",
            "'-m', 'mypkg.new'",
            id="mapped-package-run-with-dash-m",
        ),
        pytest.param(
            SRC_LAYOUT,
            "src/helpers.py",
            IMPORT_HELPERS,
            id="child-with-an-environment-of-its-own",
        ),
        pytest.param(SRC_LAYOUT, "src/helpers.py", f"'-I', {IMPORT_HELPERS}", id="isolated-child"),
    ],
)
def test_a_module_never_added_is_not_imported_by_a_child_interpreter(
    in_git_dir: Path, request: pytest.FixtureRequest, layout: dict[str, str], untracked: str, args: str
) -> None:
    repo = in_git_dir
    installed(repo, layout)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    # Works in the work tree, never `git add`-ed; only a child process imports it.
    write(repo / untracked, GOOD + "\n\nif __name__ == '__main__':\n    assert value() == 1\n")
    # A test that gives its child a clean environment: no PYTHONPATH of the run's.
    env = ", env={'PATH': os.environ['PATH']}" if "own" in request.node.name else ""
    write(repo / "tests" / "test_child.py", CHILD_TEST.format(args=args, env=env))
    git(repo, "add", "tests")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a module the commit lacks was imported in a child: {result.stdout}"


def test_a_module_never_added_is_not_imported_by_a_command(in_git_dir: Path) -> None:
    repo = in_git_dir
    python = installed(repo, SRC_LAYOUT)
    check = "import sys; from helpers import value; sys.exit(value() != 1)"
    write(
        repo / ".hookwright.yaml",
        f"commands:\n  - name: selfcheck\n    argv: [{str(python)!r}, '-c', {check!r}]\n"
        "    pass_filenames: false\n    always_run: true\n",
    )
    git(repo, "add", ".")
    write(repo / "src" / "helpers.py", GOOD)  # never added
    result = verify(repo, "--only", "selfcheck")
    assert result.returncode == 1, f"the command imported a module the commit lacks: {result.stdout}"


def test_the_users_own_sitecustomize_still_runs(in_git_dir: Path, tmp_path: Path) -> None:
    """hookwright's ``sitecustomize`` comes first on the path; the one it shadows runs after it."""
    repo = in_git_dir
    installed(repo, SRC_LAYOUT)
    # In pytest and in a child it starts: the child's own process ran it.
    child = "import os; assert os.environ.get('FROM_SITECUSTOMIZE') == str(os.getpid())"
    ran = (
        "import os\nimport subprocess\nimport sys\n\n\ndef test_site():\n"
        "    assert os.environ.get('FROM_SITECUSTOMIZE') == str(os.getpid())\n"
        f"    subprocess.run([sys.executable, '-c', {child!r}], check=True)\n"
    )
    write(repo / "tests" / "test_site.py", ran)
    git(repo, "add", ".")
    site = write(
        tmp_path / "site" / "sitecustomize.py",
        "import os\nos.environ['FROM_SITECUSTOMIZE'] = str(os.getpid())\n",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site.parent), env.get("PYTHONPATH")]))
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 0, result.stdout
