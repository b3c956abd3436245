"""`hookwright install`: native git hooks, driven through real `git commit` and `git push`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import git, hookwright, write

BROKEN = "def add(a, b):\n    return a +\n"
FIXED = "def add(a, b):\n    return a + b\n"


def commit(
    repo: Path, message: str = "change", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-m", message], cwd=repo, capture_output=True, text=True, env=env, check=False
    )


def install(repo: Path, *args: str) -> str:
    result = hookwright("install", *args, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result.stdout


def hook_bytes(directory: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mode) for p in sorted(directory.iterdir()) if p.is_file()}


def records(repo: Path) -> list[dict]:
    found = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"), key=os.path.getmtime)
    return [json.loads(p.read_text()) for p in found]


def test_a_broken_commit_is_blocked_and_a_good_one_passes(committed_repo: Path) -> None:
    out = install(committed_repo)
    assert "pre-commit: installed" in out
    hook = committed_repo / ".git" / "hooks" / "pre-commit"
    assert hook.stat().st_mode & stat.S_IXUSR
    write(committed_repo / "pkg" / "mod.py", BROKEN)
    git(committed_repo, "add", ".")
    blocked = commit(committed_repo)
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "pkg/mod.py:2:" in blocked.stderr  # git shows a hook's output on stderr
    write(committed_repo / "pkg" / "mod.py", FIXED + "\n")
    git(committed_repo, "add", ".")
    assert commit(committed_repo).returncode == 0
    assert records(committed_repo)[-1]["outcome"] == "passed"


def test_a_partially_staged_file_keeps_its_bytes_and_mtime(committed_repo: Path) -> None:
    install(committed_repo)
    path = committed_repo / "pkg" / "mod.py"
    for staged, code in ((BROKEN, 1), (FIXED + "# staged\n", 0)):
        write(path, staged)
        git(committed_repo, "add", "pkg/mod.py")
        write(path, staged + "# unstaged, mine\n")
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        before = (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino)
        result = commit(committed_repo)
        assert result.returncode == code, result.stdout + result.stderr
        assert (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert git(committed_repo, "show", "HEAD:pkg/mod.py") == FIXED + "# staged\n"


@pytest.mark.parametrize("overwrite", [False, True], ids=["chained", "overwritten"])
def test_an_existing_hook_is_never_lost(committed_repo: Path, tmp_path: Path, overwrite: bool) -> None:
    hooks = committed_repo / ".git" / "hooks"
    marker = tmp_path / "hand-written-ran"
    write(hooks / "pre-commit", f"#!/bin/sh\ntouch '{marker}'\n")
    os.chmod(hooks / "pre-commit", 0o750)
    before = hook_bytes(hooks)
    install(committed_repo, *(["--overwrite"] if overwrite else []))
    write(committed_repo / "pkg" / "mod.py", FIXED + "# x\n")
    git(committed_repo, "add", ".")
    assert commit(committed_repo).returncode == 0
    assert marker.exists() is not overwrite  # chained: the old hook ran first; overwritten: not at all
    uninstalled = hookwright("uninstall", cwd=committed_repo)
    assert uninstalled.returncode == 0
    assert hook_bytes(hooks) == before


def test_pre_commits_own_hook_is_chained_and_restored(committed_repo: Path) -> None:
    write(committed_repo / ".pre-commit-config.yaml", "repos: []\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "pre-commit config")
    subprocess.run(["pre-commit", "install"], cwd=committed_repo, check=True, capture_output=True)
    hooks = committed_repo / ".git" / "hooks"
    before = hook_bytes(hooks)
    install(committed_repo)
    write(committed_repo / "pkg" / "mod.py", BROKEN)
    git(committed_repo, "add", ".")
    assert commit(committed_repo).returncode == 1
    hookwright("uninstall", cwd=committed_repo)
    assert hook_bytes(hooks) == before


def test_core_hooks_path_is_where_the_hooks_go(committed_repo: Path) -> None:
    git(committed_repo, "config", "core.hooksPath", ".githooks")
    install(committed_repo)
    assert (committed_repo / ".githooks" / "pre-commit").is_file()
    assert not (committed_repo / ".git" / "hooks" / "pre-commit").exists()
    write(committed_repo / "pkg" / "mod.py", BROKEN)
    git(committed_repo, "add", "pkg")
    assert commit(committed_repo).returncode == 1


def test_linked_worktrees_share_the_installed_hooks(committed_repo: Path, tmp_path: Path) -> None:
    linked = tmp_path / "linked"
    git(committed_repo, "worktree", "add", "-q", str(linked), "-b", "feature")
    install(linked)
    assert (committed_repo / ".git" / "hooks" / "pre-commit").is_file()
    write(linked / "pkg" / "mod.py", BROKEN)
    git(linked, "add", ".")
    assert commit(linked).returncode == 1


def test_a_submodule_gets_its_own_hooks(committed_repo: Path, tmp_path: Path) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q")
    write(inner / "lib.py", FIXED)
    git(inner, "add", ".")
    git(inner, "commit", "-qm", "inner")
    git(committed_repo, "submodule", "add", "-q", str(inner), "sub")
    sub = committed_repo / "sub"
    install(sub)
    assert (committed_repo / ".git" / "modules" / "sub" / "hooks" / "pre-commit").is_file()
    write(sub / "lib.py", BROKEN)
    git(sub, "add", ".")
    assert commit(sub).returncode == 1


def test_a_missing_hookwright_blocks_loudly_unless_allowed(committed_repo: Path) -> None:
    install(committed_repo)
    hook = committed_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(hook.read_text().replace("HOOKWRIGHT_PYTHON=", "HOOKWRIGHT_PYTHON=/gone/python #"))
    env = {**os.environ, "PATH": "/usr/bin:/bin"}  # git and sh, no hookwright
    write(committed_repo / "pkg" / "mod.py", FIXED + "# y\n")
    git(committed_repo, "add", ".")
    refused = commit(committed_repo, env=env)
    assert refused.returncode == 1
    assert "hookwright: not found" in refused.stderr
    allowed = commit(committed_repo, env={**env, "HOOKWRIGHT_ALLOW_MISSING": "1"})
    assert allowed.returncode == 0
    assert "NOT RUN" in allowed.stderr


def test_skipping_checks_for_one_commit_is_on_the_record(committed_repo: Path) -> None:
    install(committed_repo)
    write(committed_repo / "pkg" / "mod.py", "import os\n" + FIXED)
    git(committed_repo, "add", ".")
    assert commit(committed_repo).returncode == 1  # F401: os imported but unused
    skipped = commit(committed_repo, env={**os.environ, "HOOKWRIGHT_SKIP": "lint"})
    assert skipped.returncode == 0, skipped.stdout
    steps = {s["name"]: s for s in records(committed_repo)[-1]["steps"]}
    assert steps["lint"]["status"] == "skipped"
    assert steps["lint"]["reason"] == "HOOKWRIGHT_SKIP"


def test_push_commit_msg_and_post_commit_hooks(committed_repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(committed_repo, "remote", "add", "origin", str(remote))
    git(committed_repo, "push", "-q", "origin", "main")
    write(
        committed_repo / ".hookwright.yaml",
        "hooks:\n  pre-commit: []\n  pre-push: [verify]\n  commit-msg: [commit_msg]\n  post-commit: [note]\n"
        "commit_msg:\n  pattern: '^(feat|fix): '\nrecords:\n  git_notes: true\n",
    )
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "feat: config", "--no-verify")
    out = install(committed_repo)
    assert {"pre-push: installed", "commit-msg: installed", "post-commit: installed"} <= set(out.splitlines())
    write(committed_repo / "pkg" / "mod.py", BROKEN)
    git(committed_repo, "add", ".")
    bad_message = commit(committed_repo, "broke it")
    assert bad_message.returncode == 1
    assert "does not match" in bad_message.stderr
    assert commit(committed_repo, "fix: break it").returncode == 0  # no pre-commit step configured
    pushed = subprocess.run(
        ["git", "push", "origin", "main"], cwd=committed_repo, capture_output=True, text=True, check=False
    )
    assert pushed.returncode != 0, pushed.stderr
    assert "pkg/mod.py:2:" in pushed.stdout + pushed.stderr
    write(committed_repo / "pkg" / "mod.py", FIXED)
    git(committed_repo, "add", ".")
    assert commit(committed_repo, "fix: repair").returncode == 0
    pushed = subprocess.run(
        ["git", "push", "origin", "main"], cwd=committed_repo, capture_output=True, text=True, check=False
    )
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_commits_made_with_no_verify_are_pointed_out(committed_repo: Path) -> None:
    install(committed_repo)
    base = git(committed_repo, "rev-parse", "HEAD").strip()
    write(committed_repo / "pkg" / "mod.py", FIXED + "# verified\n")
    git(committed_repo, "add", ".")
    assert commit(committed_repo, "verified").returncode == 0
    write(committed_repo / "pkg" / "mod.py", FIXED + "# not verified\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "skipped the hook", "--no-verify")
    result = hookwright("records", "unverified", f"{base}..HEAD", cwd=committed_repo)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{git(committed_repo, 'rev-parse', 'HEAD').strip()[:12]} skipped the hook: no passing verification record"
    ]
