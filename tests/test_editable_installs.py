"""False passes through an editable install: the project installed from its own work tree.

setuptools maps a ``package_dir`` alias (``mypkg = lib``) onto the work tree with an import hook that
the private copy's place on PYTHONPATH cannot shadow (the copy holds ``lib/``, not ``mypkg/``): the
tests imported the work tree's bytes, not the committed ones. Each verdict is compared with pytest on
``git archive`` of the tree, installed the same way from there.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from test_committed_bytes import plain_pytest, verify

SETUP_CFG = (
    "[metadata]\nname = mypkg\nversion = 0.1\n\n[options]\npackage_dir =\n{mapping}\npackages = {packages}\n"
)
PYPROJECT = (
    "[build-system]\nrequires = ['setuptools']\nbuild-backend = 'setuptools.build_meta'\n\n"
    "[tool.pytest.ini_options]\ntestpaths = ['tests']\n"
)
GOOD = "def value():\n    return 1\n"
BROKEN = "def value():\n    return 2\n"
TEST = "from mypkg.core import value\n\n\ndef test_value():\n    assert value() == 1\n"
# A src layout: the editable install's .pth names the work tree's src/.
SRC_LAYOUT = {
    "setup.cfg": SETUP_CFG.format(mapping="    = src", packages="mypkg"),
    "src/mypkg/__init__.py": "",
}
# A package mapped onto lib/: the install's finder maps mypkg to the work tree's lib/.
MAPPED_LAYOUT = {
    "setup.cfg": SETUP_CFG.format(mapping="    mypkg = lib", packages="mypkg"),
    "lib/__init__.py": "",
}


def aliased_package(repo: Path, with_tests: bool = False) -> None:
    """hookwright's own layout: package ``mypkg`` lives in ``lib/`` (``package_dir``), core.py good."""
    for path, text in {**MAPPED_LAYOUT, "pyproject.toml": PYPROJECT, "lib/core.py": GOOD}.items():
        write(repo / path, text)
    if with_tests:
        write(repo / "tests" / "test_core.py", TEST)


def editable_venv(project: Path, venv: Path, *flags: str) -> Path:
    """A virtualenv with ``project`` installed editable (``pip install FLAGS -e``), offline; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
    ).strip()
    # This environment's packages (pytest, pip, setuptools) after the venv's own; read before the
    # other .pth files, which may import from them (hatch's `import _editable_impl_mypkg` needs editables).
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "00-test-environment.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    pip_install(python, project, *flags, "-e")
    return python


def pip_install(python: Path, project: Path, *flags: str) -> None:
    """``project`` installed into ``python``'s environment by real pip, offline, with this one's tools."""
    argv = [
        str(python),
        "-m",
        "pip",
        "install",
        "-q",
        "--no-build-isolation",
        "--no-deps",
        *flags,
        str(project),
    ]
    subprocess.run(argv, check=True, capture_output=True, timeout=300)


def archived_pytest(repo: Path, tmp: Path) -> int:
    """pytest on ``git archive`` of the staged tree, installed editable from there as a checkout would be."""
    tree = git(repo, "write-tree").strip()
    clean = tmp / "clean"
    clean.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", tree], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(clean)], input=archive, check=True)
    python = editable_venv(clean, tmp / "venv")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    argv = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=clean, env=env, capture_output=True, check=False).returncode


@pytest.mark.parametrize(
    ("mapping", "packages", "folder"),
    [
        pytest.param("    mypkg = lib", "mypkg", "lib", id="named-folder"),
        pytest.param("    = python", "mypkg", "python/mypkg", id="root-folder"),
    ],
)
def test_tests_import_the_committed_package_not_the_editable_install(
    in_git_dir: Path, tmp_path: Path, mapping: str, packages: str, folder: str
) -> None:
    repo = in_git_dir
    write(repo / "setup.cfg", SETUP_CFG.format(mapping=mapping, packages=packages))
    write(repo / "pyproject.toml", PYPROJECT)
    write(repo / folder / "__init__.py", "")
    write(repo / folder / "core.py", GOOD)
    write(repo / "tests" / "test_core.py", TEST)
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")  # found by hookwright as the project's interpreter
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    assert verify(repo, "--only", "tests").returncode == 0
    # Staged: broken. The work tree (what the editable install reads): still good.
    write(repo / folder / "core.py", BROKEN)
    git(repo, "add", ".")
    write(repo / folder / "core.py", GOOD)
    assert archived_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's module was tested, not the staged one: {result.stdout}"


def test_a_command_imports_the_committed_package_not_the_editable_install(in_git_dir: Path) -> None:
    repo = in_git_dir
    aliased_package(repo)
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")
    check = "import sys; from mypkg.core import value; sys.exit(value() != 1)"
    write(
        repo / ".hookwright.yaml",
        f"commands:\n  - name: selfcheck\n    argv: [{str(python)!r}, '-c', {check!r}]\n"
        "    pass_filenames: false\n    always_run: true\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    assert verify(repo, "--only", "selfcheck").returncode == 0
    write(repo / "lib" / "core.py", BROKEN)
    git(repo, "add", ".")
    write(repo / "lib" / "core.py", GOOD)
    result = verify(repo, "--only", "selfcheck")
    assert result.returncode == 1, f"the command ran the work tree's module: {result.stdout}"


def test_a_sub_package_mapped_onto_its_own_folder_is_the_committed_one(in_git_dir: Path) -> None:
    repo = in_git_dir  # as hookwright's own layout: hookwright = lib, hookwright.hooks = hooks
    mapping = "    mypkg = lib\n    mypkg.extra = extra"
    write(repo / "setup.cfg", SETUP_CFG.format(mapping=mapping, packages="mypkg, mypkg.extra"))
    write(repo / "pyproject.toml", PYPROJECT)
    write(repo / "lib" / "__init__.py", "")
    write(repo / "extra" / "__init__.py", "")
    write(repo / "extra" / "core.py", GOOD)
    write(repo / "tests" / "test_core.py", TEST.replace("mypkg.core", "mypkg.extra.core"))
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    assert verify(repo, "--only", "tests").returncode == 0
    write(repo / "extra" / "core.py", BROKEN)
    git(repo, "add", ".")
    write(repo / "extra" / "core.py", GOOD)
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the work tree's sub-package was tested: {result.stdout}"


def test_a_mapped_package_nobody_installed_stays_unimportable(in_git_dir: Path, tmp_path: Path) -> None:
    """The copy adds nothing the interpreter does not install: a plain run cannot import ``mypkg``."""
    repo = in_git_dir
    aliased_package(repo, with_tests=True)
    git(repo, "add", ".")
    assert plain_pytest(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"an uninstalled package was made importable: {result.stdout}"


PLUGIN = (
    "import pytest\n\nfrom myplugin.values import VALUE\n\n\n"
    "@pytest.fixture\ndef answer():\n    return VALUE\n"
)
PLUGIN_PROJECT = (
    "[build-system]\nrequires = ['setuptools']\nbuild-backend = 'setuptools.build_meta'\n\n"
    "[project]\nname = 'myplugin'\nversion = '0.1'\n\n"
    "[project.entry-points.pytest11]\nanswers = 'myplugin.plugin'\n"
)


@pytest.fixture
def plugin_repo(tested_repo: Path) -> Path:
    """A sub-project, installed editable, whose pytest11 plugin hands a test its fixture."""
    repo = tested_repo
    write(repo / "plugin" / "pyproject.toml", PLUGIN_PROJECT)
    write(repo / "plugin" / "src" / "myplugin" / "__init__.py", "")
    write(repo / "plugin" / "src" / "myplugin" / "plugin.py", PLUGIN)
    write(repo / "plugin" / "src" / "myplugin" / "values.py", "VALUE = 42\n")
    write(repo / "tests" / "test_answer.py", "def test_answer(answer):\n    assert answer == 42\n")
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo / "plugin", repo / ".venv")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "plugin")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    return repo


@pytest.mark.plugins_autoloaded  # (pytest11 entry points, pytest-cov: tests/conftest.py)
def test_what_a_sub_projects_pytest_plugin_imports_reaches_every_test(plugin_repo: Path) -> None:
    repo = plugin_repo
    write(repo / "plugin" / "src" / "myplugin" / "values.py", "VALUE = 41\n")
    git(repo, "add", ".")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the test using the plugin's fixture was left out: {result.stdout}"


@pytest.mark.plugins_autoloaded  # (pytest11 entry points, pytest-cov: tests/conftest.py)
def test_a_sub_projects_plugin_is_imported_from_the_committed_tree(plugin_repo: Path) -> None:
    repo = plugin_repo
    write(repo / "plugin" / "src" / "myplugin" / "values.py", "VALUE = 41\n")
    git(repo, "add", ".")
    write(repo / "plugin" / "src" / "myplugin" / "values.py", "VALUE = 42\n")
    result = verify(repo, "--only", "tests", "--all-files")
    assert result.returncode == 1, f"the work tree's plugin was loaded: {result.stdout}"


def test_an_install_from_another_work_tree_of_the_repository_is_not_tested(
    in_git_dir: Path, tmp_path: Path
) -> None:
    repo = in_git_dir
    aliased_package(repo, with_tests=True)
    write(repo / ".git" / "info" / "exclude", "*.egg-info/\n")
    python = tmp_path / "venv" / "bin" / "python"
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    # The interpreter was installed from a second work tree (as each engineer's own worktree).
    other = tmp_path / "other"
    git(repo, "worktree", "add", "-q", "-b", "other", str(other))
    editable_venv(other, tmp_path / "venv")
    assert verify(repo, "--only", "tests").returncode == 0
    write(repo / "lib" / "core.py", BROKEN)
    git(repo, "add", ".")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"the other work tree's module was tested: {result.stdout}"


def test_worktree_verify_tests_the_staged_package_not_the_editable_install(
    in_git_dir: Path, tmp_path: Path
) -> None:
    repo = in_git_dir
    aliased_package(repo, with_tests=True)
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    write(repo / "lib" / "core.py", BROKEN)
    git(repo, "add", ".")
    write(repo / "lib" / "core.py", GOOD)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    result = hookwright(
        "worktree", "verify", "--staged", "--only", "tests", cwd=repo, env={**env, "TMPDIR": str(private_tmp)}
    )
    assert result.returncode == 1, f"the work tree's module was tested: {result.stdout}"


def test_a_work_tree_folder_on_pythonpath_is_read_from_the_copy(in_git_dir: Path, tmp_path: Path) -> None:
    repo = in_git_dir
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    write(repo / "libs" / "foo" / "foo.py", GOOD)
    write(repo / "tests" / "test_foo.py", TEST.replace("mypkg.core", "foo"))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a folder the environment puts on the path")
    # As an .envrc or an editor sets it: the work tree's folder, by absolute path.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo / "libs" / "foo"), env.get("PYTHONPATH")]))
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    write(repo / "libs" / "foo" / "foo.py", BROKEN)
    git(repo, "add", ".")
    write(repo / "libs" / "foo" / "foo.py", GOOD)
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"the work tree's folder was imported: {result.stdout}"


@pytest.mark.parametrize(
    ("layout", "untracked", "test"),
    [
        pytest.param(
            SRC_LAYOUT,
            "src/helpers.py",
            "from helpers import value\n",
            id="src-folder-on-the-path",
        ),
        pytest.param(
            MAPPED_LAYOUT,
            "lib/new.py",
            "from mypkg.new import value\n",
            id="sub-module-of-a-mapped-package",
        ),
    ],
)
def test_a_module_never_added_is_not_imported_from_the_work_tree(
    in_git_dir: Path, tmp_path: Path, layout: dict[str, str], untracked: str, test: str
) -> None:
    repo = in_git_dir
    for path, text in {**layout, "pyproject.toml": PYPROJECT}.items():
        write(repo / path, text)
    write(repo / ".git" / "info" / "exclude", "/.venv/\n*.egg-info/\n")
    python = editable_venv(repo, repo / ".venv")
    write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "package")
    # The classic slip: the new module works in the work tree and was never `git add`-ed.
    write(repo / untracked, GOOD)
    write(repo / "tests" / "test_new.py", f"{test}\n\ndef test_value():\n    assert value() == 1\n")
    git(repo, "add", "tests")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a module the commit lacks was imported: {result.stdout}"


def test_a_module_never_added_is_not_imported_through_pythonpath(in_git_dir: Path) -> None:
    repo = in_git_dir
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    write(
        repo / "tests" / "test_helpers.py",
        "from helpers import value\n\n\ndef test_value():\n    assert value() == 1\n",
    )
    git(repo, "add", ".")
    write(repo / "helpers.py", GOOD)  # never added
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"a module the commit lacks was imported: {result.stdout}"
