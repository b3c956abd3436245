"""No pattern writes inside .git: not in any letter case, not a submodule's, not through a symlink."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import git, hookwright, write

from hookwright.errors import PathEscape
from hookwright.safe_paths import is_git_name
from hookwright.transactions import FileTransaction

GIT_PATHS = [
    pytest.param(".git/hooks/post-checkout", id="hook"),
    pytest.param(".git/config", id="config"),
    pytest.param(".GIT/config", id="upper-case"),
    pytest.param(".Git/hooks/pre-commit", id="mixed-case"),
    pytest.param(".git./config", id="trailing-dot"),
    pytest.param(".git /config", id="trailing-space"),
    pytest.param("GIT~1/config", id="ntfs-short-name"),
    pytest.param(".g\u200cit/config", id="hfs-ignorable"),
    pytest.param("vendor/lib/.git/config", id="submodule"),
    pytest.param("./.git//config", id="not-normalised"),
    pytest.param(".git", id="the-gitfile-itself"),
]


def snapshot_git(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes()
        for p in sorted((repo / ".git").rglob("*"))
        if p.is_file() and "hookwright" not in p.parts and p.name != "index"
    }


@pytest.mark.parametrize("path", GIT_PATHS)
def test_the_transaction_layer_refuses_git_paths(tmp_path: Path, path: str) -> None:
    root = tmp_path / "root"
    (root / ".git").mkdir(parents=True)
    tx = FileTransaction(root, tmp_path / "journal")
    for stage in (tx.write, tx.create):
        with pytest.raises(PathEscape, match=r"\.git"):
            stage(path, b"pwned")
    with pytest.raises(PathEscape, match=r"\.git"):
        tx.delete(path)


def test_names_that_only_look_like_git_are_fine() -> None:
    for name in (".github", ".gitignore", ".gitattributes", "git", ".git-blame-ignore-revs", "a.git"):
        assert not is_git_name(name), name


def test_through_a_symlink_into_git_is_refused(committed_repo: Path) -> None:
    os.symlink(".git", committed_repo / "gitlink")
    before = snapshot_git(committed_repo)
    result = hookwright(
        "create", "--content", "[core]\n", "--out", "gitlink/config", "--force", cwd=committed_repo
    )
    assert result.returncode in (1, 2), result.stderr  # refused by validation or as bad input
    assert snapshot_git(committed_repo) == before


@pytest.mark.parametrize("path", [".git/hooks/post-checkout", ".GIT/config", "sub/.git/config"])
def test_create_never_writes_a_hook_or_the_config(committed_repo: Path, path: str) -> None:
    before = snapshot_git(committed_repo)
    result = hookwright(
        "create", "--content", "#!/bin/sh\ntouch pwned\n", "--out", path, "--mode", "755", "--force",
        cwd=committed_repo,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("hookwright: error: ")
    assert snapshot_git(committed_repo) == before
    assert not (committed_repo / "pwned").exists()


@pytest.mark.parametrize("path", [".GIT/config", ".git/hooks/pre-commit", ".git./info/exclude"])
def test_a_patch_into_git_is_refused_before_anything_is_written(committed_repo: Path, path: str) -> None:
    write(
        committed_repo / "evil.diff",
        f"--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a + b\n"
        f"+    return b + a\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+[core]\n",
    )
    before = snapshot_git(committed_repo)
    mod = (committed_repo / "pkg" / "mod.py").read_bytes()
    result = hookwright("patch", "apply", "evil.diff", cwd=committed_repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert snapshot_git(committed_repo) == before
    assert (committed_repo / "pkg" / "mod.py").read_bytes() == mod


def test_a_template_pack_rendering_into_git_is_refused(committed_repo: Path) -> None:
    write(
        committed_repo / "packs" / "evil" / "template.yaml",
        "name: evil\nfiles:\n  - {template: hook.j2, path: '{{ where }}/post-checkout'}\n"
        "variables:\n  properties:\n    where: {type: string}\n",
    )
    write(committed_repo / "packs" / "evil" / "hook.j2", "#!/bin/sh\ntouch pwned\n")
    write(
        committed_repo / "batch.json",
        json.dumps(
            {"templates": ["packs"], "items": [{"template": "evil", "variables": {"where": ".Git/hooks"}}]}
        ),
    )
    git(committed_repo, "add", ".")
    before = snapshot_git(committed_repo)
    result = hookwright("batch", "batch.json", "--force", cwd=committed_repo)
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert snapshot_git(committed_repo) == before
    assert not (committed_repo / "pwned").exists()


def test_self_heal_never_fixes_a_file_inside_git(
    committed_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bait = write(committed_repo / ".git" / "hooks" / "bait.py", "def f()\n    pass\n").read_bytes()
    log = write(
        committed_repo.parent / "ci.log",
        f'  File "{committed_repo}/.git/hooks/bait.py", line 1\n    def f()\n           ^\n'
        "SyntaxError: expected ':'\n",
    )
    from hookwright.commands import table as cli
    from hookwright.hooks import self_heal

    assert self_heal.main([".git/hooks/bait.py"]) == 2
    cli.main(["heal", "--from-log", str(log)])
    assert (committed_repo / ".git" / "hooks" / "bait.py").read_bytes() == bait
