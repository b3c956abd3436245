"""What self-heal may edit (issue 18): only the files it is given, only for errors it can confirm, never at
pre-push, and never from a log it does not understand. Real git, real ruff, real pre-commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, git, hookwright, write
from test_self_heal import self_heal_hook

# The false positive: `exceptions` is bound in the package by its own submodule import
# (ruff's F821 cannot know), and the healer rewrote `from . import operator` for it.
PACKAGE = {
    "pkg/exceptions.py": "class Error(Exception):\n    pass\n",
    "pkg/operator.py": "def op():\n    return 1\n",
    "pkg/__init__.py": "from .exceptions import Error\nfrom . import operator\n\n\ndef wrap():\n"
    "    return exceptions.Error, Error, operator\n",
}


def _package(repo: Path) -> None:
    for name, text in PACKAGE.items():
        write(repo / name, text)
    git(repo, "add", ".")


def test_a_submodule_name_in_a_package_init_is_not_rewritten(in_git_dir: Path) -> None:
    _package(in_git_dir)
    ran = subprocess.run(
        [sys.executable, "-c", "import pkg; print(pkg.wrap()[0].__name__)"],
        cwd=in_git_dir, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert ran.stdout == "Error\n"  # the code is right: the name is bound when the package runs
    result = self_heal_hook("pkg/__init__.py", cwd=in_git_dir)
    assert (result.returncode, result.stdout) == (0, "")
    assert (in_git_dir / "pkg" / "__init__.py").read_text() == PACKAGE["pkg/__init__.py"]


def test_a_real_undefined_name_in_a_package_init_is_still_fixed(in_git_dir: Path) -> None:
    _package(in_git_dir)
    write(in_git_dir / "pkg" / "__init__.py", "def here():\n    return os.getcwd()\n")
    git(in_git_dir, "add", ".")
    assert self_heal_hook("pkg/__init__.py", cwd=in_git_dir).returncode == 1
    assert (in_git_dir / "pkg" / "__init__.py").read_text().startswith("import os\n")


def test_only_the_files_it_is_given_are_edited(in_git_dir: Path) -> None:
    for name in ("given.py", "other.py", "pkg/deep.py"):
        write(in_git_dir / name, "def cwd():\n    return os.getcwd()\n")
    git(in_git_dir, "add", ".")
    assert self_heal_hook("given.py", cwd=in_git_dir).returncode == 1
    assert (in_git_dir / "given.py").read_text().startswith("import os\n")
    for name in ("other.py", "pkg/deep.py"):
        assert (in_git_dir / name).read_text() == "def cwd():\n    return os.getcwd()\n"
    assert git(in_git_dir, "status", "--porcelain") == "AM given.py\nA  other.py\nA  pkg/deep.py\n"


def test_files_of_a_commit_range_are_reported_not_written(in_git_dir: Path) -> None:
    broken = "def cwd():\n    return os.getcwd()\n"
    write(in_git_dir / "a.py", broken)
    git(in_git_dir, "add", ".")
    git(in_git_dir, "commit", "-qm", "a")
    head = git(in_git_dir, "rev-parse", "HEAD").strip()
    env = {**os.environ, "PRE_COMMIT_FROM_REF": head, "PRE_COMMIT_TO_REF": head}
    result = subprocess.run(
        [sys.executable, "-m", "hookwright.hooks.self_heal", "a.py"],
        cwd=in_git_dir, capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert result.returncode == 1 and "+import os" in result.stdout
    assert "nothing is written" in result.stderr
    assert (in_git_dir / "a.py").read_text() == broken


def _manifest_hooks_repo(where: Path) -> Path:
    """The repository's own manifest, with the console scripts of this venv as entries (no install)."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    bin_dir = Path(sys.executable).parent
    for hook in hooks:
        script, *rest = hook["entry"].split()
        hook["entry"] = " ".join([str(bin_dir / script), *rest])
        hook["language"] = "system"
    where.mkdir()
    git(where, "init", "-q")
    write(where / ".pre-commit-hooks.yaml", yaml.safe_dump(hooks, sort_keys=False))
    git(where, "add", ".")
    git(where, "commit", "-qm", "hooks")
    return where


def test_every_manifest_hook_names_its_stages_and_self_heal_only_fixes_commits() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert all(hook.get("stages") for hook in hooks.values())
    assert set(hooks["self-heal"]["stages"]) == {"pre-commit", "manual"}
    for hook in hooks.values():  # `--` ends the options: a file named like an option stays a file
        assert hook["entry"].split()[-1] == "--" or hook.get("pass_filenames") is False


def test_self_heal_does_not_run_at_pre_push_through_pre_commit(in_git_dir: Path, tmp_path: Path) -> None:
    hooks_repo = _manifest_hooks_repo(tmp_path / "hooks-repo")
    rev = git(hooks_repo, "rev-parse", "HEAD").strip()
    config = f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n      - id: self-heal\n"
    write(in_git_dir / ".pre-commit-config.yaml", config)
    _package(in_git_dir)
    git(in_git_dir, "commit", "-qm", "package")  # no hooks installed yet
    install = ["pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "pre-push"]
    subprocess.run(install, cwd=in_git_dir, check=True, capture_output=True)
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(in_git_dir, "remote", "add", "origin", str(tmp_path / "remote.git"))
    write(
        in_git_dir / "pkg" / "__init__.py",
        PACKAGE["pkg/__init__.py"] + "\n\ndef cwd():\n    return os.getcwd()\n",
    )
    git(in_git_dir, "commit", "-qam", "needs an import", "--no-verify")
    before = (in_git_dir / "pkg" / "__init__.py").read_bytes()
    push = subprocess.run(
        ["git", "push", "-q", "origin", "main"], cwd=in_git_dir, capture_output=True, text=True, check=False
    )
    assert push.returncode == 0, push.stdout + push.stderr
    assert (in_git_dir / "pkg" / "__init__.py").read_bytes() == before
    assert git(in_git_dir, "status", "--porcelain") == ""
    # At pre-commit it runs, on what is committed, and fixes the real error only.
    write(in_git_dir / "pkg" / "__init__.py", before.decode() + "\n")
    git(in_git_dir, "add", ".")
    commit = subprocess.run(
        ["git", "commit", "-qm", "x"], cwd=in_git_dir, capture_output=True, text=True, check=False
    )
    assert commit.returncode != 0 and "files were modified by this hook" in commit.stdout + commit.stderr
    fixed = (in_git_dir / "pkg" / "__init__.py").read_text()
    assert fixed.startswith("import os\n") and "from . import operator\n" in fixed


# -- heal --from-log ---------------------------------------------------------------------------------


def _ruff(repo: Path, *args: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--select", "F821", *args],
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return done.stdout


@pytest.mark.parametrize(
    "output_format", ["full", "concise", "grouped", "json", "json-lines", "github", "pylint"]
)
def test_heal_from_a_ruff_log_in_any_format_and_not_twice(in_git_dir: Path, output_format: str) -> None:
    write(in_git_dir / "a.py", "def f():\n    return json.dumps(1)\n")
    write(in_git_dir / "ci.log", _ruff(in_git_dir, f"--output-format={output_format}", "a.py"))
    first = hookwright("heal", "--from-log", "ci.log", cwd=in_git_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "a.py:2:" in first.stdout and "fixed F821: Undefined name `json`" in first.stdout
    fixed = (in_git_dir / "a.py").read_text()
    assert fixed == "import json\n\ndef f():\n    return json.dumps(1)\n"
    again = hookwright("heal", "--from-log", "ci.log", cwd=in_git_dir)  # the log is older than the file now
    assert (again.returncode, again.stdout) == (0, "")
    assert (in_git_dir / "a.py").read_text() == fixed


def test_a_stale_traceback_adds_no_second_import(in_git_dir: Path) -> None:
    code = "import json\n\n\ndef f():\n    return json.dumps(1)\n\n\nf()\n"
    write(in_git_dir / "a.py", code.replace("import json\n", ""))
    run = subprocess.run(
        [sys.executable, "a.py"], cwd=in_git_dir, capture_output=True, text=True, check=False
    )
    assert "NameError: name 'json' is not defined" in run.stderr
    write(in_git_dir / "run.log", run.stderr)
    write(in_git_dir / "a.py", code)  # fixed by hand since the log was saved
    result = hookwright("heal", "--from-log", "run.log", cwd=in_git_dir)
    assert (result.returncode, result.stdout) == (0, "")
    assert (in_git_dir / "a.py").read_text() == code


@pytest.mark.parametrize(
    "log",
    [
        pytest.param("", id="empty"),
        pytest.param("Compiling...\nDone, everything fine probably.\n", id="prose"),
        pytest.param("\x00\x01binary\n", id="binary"),
    ],
)
def test_a_log_with_nothing_recognised_is_bad_input(in_git_dir: Path, log: str) -> None:
    write(in_git_dir / "a.py", "x = 1\n")
    write(in_git_dir / "odd.log", log)
    result = hookwright("heal", "--from-log", "odd.log", cwd=in_git_dir)
    assert result.returncode == 2
    assert result.stderr.startswith("hookwright: error: odd.log: nothing recognised")
    assert result.stderr.count("\n") == 1


def test_a_clean_run_log_passes(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", "import json\n\nprint(json.dumps(1))\n")
    write(in_git_dir / "test_a.py", "def test_one():\n    assert 1\n")
    logs = {
        "ruff.log": _ruff(in_git_dir, "a.py"),
        "ruff-json.log": _ruff(in_git_dir, "--output-format=json", "a.py"),
        "pytest.log": subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_a.py"],
            cwd=in_git_dir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout,
    }
    for name, text in logs.items():
        write(in_git_dir / name, text)
        result = hookwright("heal", "--from-log", name, cwd=in_git_dir)
        assert (result.returncode, result.stderr) == (0, ""), (name, text)
