"""What a verdict depends on outside the committed tree: each either joins the cache key or is kept out
of the run (t32's hostile pass).

Every case here passed once and then either passed for other bytes (a replayed pass) or passed bytes
that were never checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import git, hookwright, run_cli, write
from test_committed_bytes import verify


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return {**env, **extra}


def test_ruff_told_to_write_its_output_elsewhere_still_reports_to_the_lint_check(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """``RUFF_OUTPUT_FILE`` in the user's environment sent ruff's JSON to that file: stdout was empty,
    read as no findings, and an unused import passed lint (and the pass was cached)."""
    repo = in_git_dir
    write(repo / "mod.py", "import os\n")
    git(repo, "add", "mod.py")
    env = environment(RUFF_OUTPUT_FILE=str(tmp_path / "ruff-output.json"))
    result = hookwright("verify", "--only", "lint", cwd=repo, env=env)
    assert result.returncode == 1, f"F401 went to RUFF_OUTPUT_FILE and lint passed: {result.stdout}"
    assert "F401" in result.stdout


DEP_TEST = "from dep import value\n\n\ndef test_value():\n    assert value() == 1\n"
GOOD = "def value():\n    return 1\n"
BROKEN = "def value():\n    return 2\n"


def suite(repo: Path, test: str = DEP_TEST, python: Path | None = None) -> None:
    write(repo / "tests" / "test_dep.py", test)
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    if python is not None:
        write(repo / ".hookwright.yaml", f"checks:\n  tests:\n    python: {python}\n")
    git(repo, "add", ".")


def venv(where: Path, *flags: str) -> tuple[Path, Path]:
    """A virtualenv (no pip) that also reads this environment's packages (pytest); its python and
    its site-packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", *flags, str(where)], check=True)
    python = where / "bin" / "python"
    ask = [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    site = Path(subprocess.check_output(ask, text=True).strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    write(site / "00-test-environment.pth", "".join(f"{p}\n" for p in sorted(ours)))
    return python, site


def replaced(path: Path, text: str) -> None:
    """As pip upgrades a module: removed, and the new version written in its place."""
    path.unlink()
    write(path, text)


def test_a_folder_on_pythonpath_outside_the_repository_is_in_the_key(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """PYTHONPATH's value was in the key, not what its folder holds: an edit there replayed the pass."""
    repo = in_git_dir
    outside = tmp_path / "outside"
    write(outside / "dep.py", GOOD)
    suite(repo)
    env = environment(PYTHONPATH=str(outside))
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    write(outside / "dep.py", BROKEN)
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"a pass with PYTHONPATH's old code was replayed: {result.stdout}"


def test_a_pth_file_edited_in_place_runs_the_tests_again(in_git_dir: Path, tmp_path: Path) -> None:
    """An edit in place (``conda develop`` appends to ``conda.pth``) leaves site-packages' mtime."""
    repo = in_git_dir
    python, site = venv(tmp_path / "venv")
    startup = write(site / "zz-settings.pth", "import builtins; builtins.HOOKWRIGHT_T32 = 1\n")
    test = "import builtins\n\n\ndef test_value():\n    assert builtins.HOOKWRIGHT_T32 == 1\n"
    suite(repo, test, python)
    assert verify(repo, "--only", "tests").returncode == 0
    with startup.open("w") as same_file:  # the same inode: no entry of the folder changes
        same_file.write("import builtins; builtins.HOOKWRIGHT_T32 = 2\n")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass made under the old .pth was replayed: {result.stdout}"


def test_a_user_package_of_a_system_site_packages_venv_is_in_the_key(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """``--system-site-packages`` lets the venv read the user's site-packages (and the base's):
    neither folder was stamped, so ``pip install --user -U dep`` replayed the old pass."""
    repo = in_git_dir
    python, _ = venv(tmp_path / "venv", "--system-site-packages")
    env = environment(PYTHONUSERBASE=str(tmp_path / "user"))
    ask = [str(python), "-c", "import site; print(site.getusersitepackages())"]
    user_site = Path(subprocess.check_output(ask, text=True, env=env).strip())
    write(user_site / "dep.py", GOOD)
    suite(repo, python=python)
    assert hookwright("verify", "--only", "tests", cwd=repo, env=env).returncode == 0
    replaced(user_site / "dep.py", BROKEN)
    result = hookwright("verify", "--only", "tests", cwd=repo, env=env)
    assert result.returncode == 1, f"a pass with the user's old package was replayed: {result.stdout}"


WALKS_UP = '''from pathlib import Path


def settings():
    """As python-dotenv's load_dotenv() finds .env: from this file's folder up."""
    for folder in Path(__file__).resolve().parents:
        if (folder / ".env").is_file():
            return dict(line.split("=", 1) for line in (folder / ".env").read_text().split())
    return {}


def test_mode():
    assert settings().get("MODE", "on") == "on"
'''


def test_an_ignored_file_a_test_finds_above_the_copy_is_in_the_key(in_git_dir: Path) -> None:
    """The copy lives under .git, inside the work tree: a walk up from it reaches the work tree's
    top, where the ignored ``.env`` the tree does not commit answered, and its edit replayed the pass."""
    repo = in_git_dir
    write(repo / ".gitignore", ".env\n")
    write(repo / ".env", "MODE=on\n")
    suite(repo, WALKS_UP)
    assert verify(repo, "--only", "tests").returncode == 0
    write(repo / ".env", "MODE=off\n")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass made under the old .env was replayed: {result.stdout}"


def test_a_pass_made_without_a_submodules_commit_is_not_replayed_once_it_is_fetched(
    in_git_dir: Path, tmp_path: Path
) -> None:
    """A staged gitlink whose commit the submodule's repository lacks is an empty folder in the copy
    (as in a clone without --recurse-submodules). Its pass was replayed after `git fetch` brought the
    commit: the same key, files the tests never saw."""
    repo = in_git_dir
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q")
    write(upstream / "dep.py", GOOD)
    git(upstream, "add", ".")
    git(upstream, "commit", "-q", "-m", "good")
    git(repo, "submodule", "add", "-q", str(upstream), "sub")
    test = 'import pytest\n\n\ndef test_value():\n    assert pytest.importorskip("sub.dep").value() == 1\n'
    suite(repo, test)
    git(repo, "commit", "-q", "-m", "with the submodule")
    write(upstream / "dep.py", BROKEN)
    git(upstream, "commit", "-q", "-am", "broken")
    broken = git(upstream, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--cacheinfo", f"160000,{broken},sub")  # not fetched into sub yet
    assert verify(repo, "--only", "tests").returncode == 0
    git(repo / "sub", "fetch", "-q")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass made without the submodule's files was replayed: {result.stdout}"


def test_a_syntax_pass_is_not_replayed_for_another_interpreter(
    in_git_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The syntax check compiles with hookwright's own interpreter: ``type X = int`` passed under
    3.12 and was replayed from the cache under a hookwright on 3.10, which rejects it. (In process:
    another interpreter is another ``sys.version``; the compile is the same, the key must not be.)"""
    write(in_git_dir / "alias.py", "type Alias = int\n")
    git(in_git_dir, "add", "alias.py")
    first = json.loads(run_cli(capsys, "verify", "--only", "syntax", "-f", "json").stdout)
    assert first["steps"][0]["status"] in ("passed", "failed")
    monkeypatch.setattr(sys, "version", "3.10.13 (main, Dec  8 2026, 03:42:00) [GCC 12.2.0]")
    second = json.loads(run_cli(capsys, "verify", "--only", "syntax", "-f", "json").stdout)
    assert second["steps"][0]["cached"] is False, "a verdict of another compiler was replayed"


def test_the_interpreter_a_shim_picks_is_in_the_key(in_git_dir: Path, tmp_path: Path) -> None:
    """pyenv's ``shims/python`` is a script that runs the interpreter ``PYENV_VERSION`` (or a
    ``.python-version``) names: the shim was stamped, not what it ran, and a pass made with one
    interpreter was replayed for another (here one without pytest: the run cannot pass)."""
    repo = in_git_dir
    bare, site = venv(tmp_path / "bare")
    (site / "00-test-environment.pth").unlink()  # no pytest there
    shim = write(tmp_path / "shims" / "python", '#!/bin/sh\nexec "$T32_CHOSEN_PYTHON" "$@"\n')
    shim.chmod(0o755)
    suite(repo, "def test_ok():\n    assert True\n", shim)
    assert (
        hookwright(
            "verify", "--only", "tests", cwd=repo, env=environment(T32_CHOSEN_PYTHON=sys.executable)
        ).returncode
        == 0
    )
    result = hookwright("verify", "--only", "tests", cwd=repo, env=environment(T32_CHOSEN_PYTHON=str(bare)))
    assert result.returncode == 1, f"a pass made with another interpreter was replayed: {result.stdout}"
