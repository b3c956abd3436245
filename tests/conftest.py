"""Hermetic harness: real git, real tools, nothing written outside tmp_path.

Every test gets its own HOME, temp directory and git identity; a test that writes to HOME fails. Every record any test
writes is validated against its pattern's outputs schema, so no test can forget the contract.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str, check: bool = True, input: bytes | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, input=input, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {result.stderr.decode()}")
    return result.stdout.decode()


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """The CLI in this process: the same entry point and error funnel, without a child's start-up."""
    from hookwright.commands import table as cli

    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under root but .git, with its bytes: what 'nothing changed' is checked against."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def hookwright(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a child process, as a user or pre-commit would."""
    return subprocess.run(
        [sys.executable, "-m", "hookwright", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def session_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("session")
    dirs = {name: base / name for name in ("pre-commit", "cache", "rustup")}
    for directory in dirs.values():
        directory.mkdir()
    return dirs


@pytest.fixture(autouse=True)
def hermetic(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    session_dirs: dict[str, Path],
    request: pytest.FixtureRequest,
) -> Iterator[None]:
    home = tmp_path / "home"
    home.mkdir()
    # A temp directory of its own: what a test finds there (or not) is its own doing, even while
    # another hookwright runs on the same machine.
    private_tmp = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Hook Wright\n\temail = hw@example.com\n"
        "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"
        '[protocol "file"]\n\tallow = always\n'
    )
    monkeypatch.setenv("HOME", str(home))
    # The pytest a test starts runs a project's suite, not ours: the plugins this venv has for its own
    # suite (xdist, pytest-cov, hypothesis, anyio) cost each such start ~0.3 of its ~0.5 s CPU, and no
    # test is about them. A test about plugins found by entry point is marked `plugins_autoloaded`.
    if request.node.get_closest_marker("plugins_autoloaded") is None:
        monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TEMPLATE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(session_dirs["cache"]))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("PRE_COMMIT_HOME", str(session_dirs["pre-commit"]))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)  # as on a user's machine
    # pip asks `rustc --version` for its user agent; rustup's proxy then writes ~/.rustup.
    monkeypatch.setenv("RUSTUP_HOME", str(session_dirs["rustup"]))
    for name in list(os.environ):
        if name.startswith(("GIT_", "PRE_COMMIT_")) and name not in (
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_NOSYSTEM",
            "GIT_TEMPLATE_DIR",
            "PRE_COMMIT_HOME",
        ):
            monkeypatch.delenv(name)
    yield
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert not written, f"the test wrote to HOME: {written[:5]}"


@pytest.fixture(autouse=True)
def records_are_valid(tmp_path: Path) -> Iterator[None]:
    """Every execution record written anywhere in this test validates against its pattern's schema."""
    yield
    from hookwright import validation

    for path in tmp_path.rglob("hookwright/records/*.json"):
        record = json.loads(path.read_text())
        issues = validation.schema_issues(record["pattern"], record, "outputs")
        assert not issues, f"{path.name}: {issues[0]}"


@pytest.fixture
def in_git_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def committed_repo(in_git_dir: Path) -> Path:
    write(in_git_dir / "README.md", "# demo\n")
    write(in_git_dir / "pkg" / "__init__.py", "")
    write(in_git_dir / "pkg" / "mod.py", "def add(a, b):\n    return a + b\n")
    git(in_git_dir, "add", ".")
    git(in_git_dir, "commit", "-q", "-m", "initial")
    return in_git_dir


# A repository whose one test passes: what the verdict tests break and compare with plain pytest.
TEST_ADD = "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
PYTEST_CONFIG = "[tool.pytest.ini_options]\ntestpaths = ['tests']\n"


@pytest.fixture
def tested_repo(committed_repo: Path) -> Path:
    write(committed_repo / "tests" / "test_mod.py", TEST_ADD)
    write(committed_repo / "pyproject.toml", PYTEST_CONFIG)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests")
    return committed_repo


@pytest.fixture
def detached_head(committed_repo: Path) -> Path:
    git(committed_repo, "checkout", "-q", "--detach")
    return committed_repo


@pytest.fixture
def in_merge_conflict(committed_repo: Path) -> Path:
    git(committed_repo, "checkout", "-q", "-b", "other")
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    return b + a\n")
    git(committed_repo, "commit", "-q", "-am", "other")
    git(committed_repo, "checkout", "-q", "main")
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    return a + b + 0\n")
    git(committed_repo, "commit", "-q", "-am", "main")
    git(committed_repo, "merge", "-q", "other", check=False)
    return committed_repo
