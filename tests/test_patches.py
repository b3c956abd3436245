"""Reading unified diffs: git-style and plain, every file operation, and the refusals (one line, exit 2)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import git, hookwright, write

from hookwright.errors import BadInput
from hookwright.hooks import refactor_patch
from hookwright.refactor import patches

GIT_STYLE = b"""\
diff --git a/src/app.py b/src/app.py
index 83db48f..bf269f4 100644
--- a/src/app.py
+++ b/src/app.py
@@ -1,3 +1,3 @@
 import os
-print(os.name)
+print(os.sep)
 # end
diff --git a/tools/run.sh b/tools/run.sh
new file mode 100755
index 0000000..e69de29
--- /dev/null
+++ b/tools/run.sh
@@ -0,0 +1,2 @@
+#!/bin/sh
+echo hi
diff --git a/old.txt b/old.txt
deleted file mode 100644
index 4c5fd91..0000000
--- a/old.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/docs/a.md b/docs/b.md
similarity index 90%
rename from docs/a.md
rename to docs/b.md
index 1111111..2222222 100644
--- a/docs/a.md
+++ b/docs/b.md
@@ -1,2 +1,2 @@
 title
-body
+Body
diff --git "a/caf\\303\\251 menu.txt" "b/caf\\303\\251 menu.txt"
index 3333333..4444444 100644
--- "a/caf\\303\\251 menu.txt"
+++ "b/caf\\303\\251 menu.txt"
@@ -1 +1,2 @@
 espresso
+latte
"""


def test_git_style_patch_reads_every_file_operation() -> None:
    files = patches.parse(GIT_STYLE)
    assert [(f.path, f.old_path, f.status) for f in files] == [
        ("src/app.py", "src/app.py", "modified"),
        ("tools/run.sh", None, "created"),
        ("old.txt", "old.txt", "deleted"),
        ("docs/b.md", "docs/a.md", "renamed"),
        ("café menu.txt", "café menu.txt", "modified"),
    ]
    assert files[1].new_mode == 0o755
    app = files[0].hunks[0]
    assert (app.old_start, app.old_len, app.new_start, app.new_len) == (1, 3, 1, 3)
    assert app.old == [b"import os\n", b"print(os.name)\n", b"# end\n"]
    assert app.new == [b"import os\n", b"print(os.sep)\n", b"# end\n"]


def test_plain_diff_names_lose_their_first_directory_like_git_apply_p1() -> None:
    patch = b"--- orig/pkg/mod.py\t2024-01-01 10:00:00\n+++ new/pkg/mod.py\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n"
    assert patches.parse(patch)[0].path == "pkg/mod.py"
    assert patches.parse(b"--- mod.py\n+++ mod.py\n@@ -1 +1 @@\n-a\n+b\n")[0].path == "mod.py"


def test_bytes_survive_exactly_crlf_latin1_and_missing_final_newlines() -> None:
    patch = (
        b"--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n caf\xe9\r\n-last\n\\ No newline at end of file\n"
        b"+last\r\n"
    )
    hunk = patches.parse(patch)[0].hunks[0]
    assert hunk.old == [b"caf\xe9\r\n", b"last"]
    assert hunk.new == [b"caf\xe9\r\n", b"last\r\n"]


def test_a_rejected_hunk_renders_as_a_patch_git_can_apply(tmp_path: Path) -> None:
    files = patches.parse(GIT_STYLE)
    text = patches.render(files[0], files[0].hunks)
    assert text.startswith("diff --git a/src/app.py b/src/app.py\n") and text.endswith("# end\n")
    write(tmp_path / "src" / "app.py", "import os\nprint(os.name)\n# end\n")
    result = subprocess.run(
        ["git", "apply", "-"], cwd=tmp_path, input=text.encode(), capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "src" / "app.py").read_text() == "import os\nprint(os.sep)\n# end\n"


def test_format_patch_mail_with_signature_is_read() -> None:
    mail = (
        b"From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] fix\n\n---\n f.txt | 2 +-\n\n"
        b"diff --git a/f.txt b/f.txt\nindex 1..2 100644\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n"
        b"-- \n2.39.5\n\n"
    )
    assert [f.path for f in patches.parse(mail)] == ["f.txt"]


BAD = {
    "empty": (b"", "the patch is empty"),
    "blank": (b"\n \n", "the patch is empty"),
    "not a diff": (b"hello, this is a letter\n", "not a unified diff"),
    "context diff": (b"*** a.txt\n--- a.txt\n***************\n*** 1 ****\n! a\n--- 1 ----\n! b\n", "not a"),
    "utf-16": ("--- a/a.txt\n+++ b/a.txt\n".encode("utf-16"), "UTF-16"),
    "binary": (
        b"diff --git a/img.png b/img.png\nindex 1..2 100644\nBinary files a/img.png and b/img.png differ\n",
        "binary patches",
    ),
    "git binary patch": (
        b"diff --git a/a.txt b/a.txt\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZ?wbN>Aa1\n\n",
        "binary patches",
    ),
    "mode change": (b"diff --git a/a.txt b/a.txt\nold mode 100644\nnew mode 100755\n", "file mode"),
    "symlink": (
        b"diff --git a/link b/link\nnew file mode 120000\nindex 0000000..1\n--- /dev/null\n+++ b/link\n"
        b"@@ -0,0 +1 @@\n+a.txt\n\\ No newline at end of file\n",
        "a symlink",
    ),
    "submodule": (
        b"diff --git a/sub b/sub\nnew file mode 160000\nindex 0000000..1234567\n--- /dev/null\n+++ b/sub\n"
        b"@@ -0,0 +1 @@\n+Subproject commit 1234567890123456789012345678901234567890\n",
        "a submodule",
    ),
    "outside": (b"--- a/../outside.txt\n+++ b/../outside.txt\n@@ -1 +1 @@\n-a\n+b\n", "leave the repository"),
    "absolute": (b"--- /etc/hosts\n+++ /etc/hosts\n@@ -1 +1 @@\n-a\n+b\n", "absolute path"),
    "through a symlink": (b"--- a/linked/a.txt\n+++ b/linked/a.txt\n@@ -1 +1 @@\n-a\n+b\n", "symlink"),
    "into .git": (b"--- a/.git/config\n+++ b/.git/config\n@@ -1 +1 @@\n-a\n+b\n", "inside .git"),
    "hunk too long": (b"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\n+b\n+c\n", "more lines than"),
    "hunk too short": (b"--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n-a\n+b\n", "disagrees with"),
    "no lines": (b"--- a/a.txt\n+++ b/a.txt\n@@ -1,0 +1,0 @@\n", "announces no lines"),
    "misplaced no-newline": (
        b"--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-a\n\\ No newline at end of file\n-b\n+c\n+d\n",
        "only allowed on the last line",
    ),
    "converted to CRLF": (b"--- a/a.txt\r\n+++ b/a.txt\r\n@@ -1 +1 @@\r\n-a\r\n+b\r\n", "end in CRLF"),
}


def snapshot(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and "hookwright" not in p.parts
    }


@pytest.fixture
def repo_with_files(committed_repo: Path) -> Path:
    write(committed_repo / "a.txt", "a\nb\n")
    (committed_repo / "real").mkdir()
    write(committed_repo / "real" / "a.txt", "a\n")
    os.symlink("real", committed_repo / "linked")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "files")
    return committed_repo


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_patches_are_refused_in_one_line_and_change_nothing(
    repo_with_files: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data, message = BAD[case]
    (repo_with_files.parent / "in.diff").write_bytes(data)
    before = snapshot(repo_with_files)
    code = refactor_patch.main(["patch", "apply", "../in.diff"])
    out, err = capsys.readouterr()
    assert code == 2, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hookwright: error:"), err
    assert message in lines[0]
    assert "Traceback" not in err + out
    assert snapshot(repo_with_files) == before
    assert git(repo_with_files, "status", "--porcelain") == ""


@pytest.mark.parametrize("case", ["binary", "through a symlink"])
def test_the_real_command_line_refuses_the_same_way(repo_with_files: Path, case: str) -> None:
    (repo_with_files.parent / "in.diff").write_bytes(BAD[case][0])
    before = snapshot(repo_with_files)
    result = hookwright("patch", "apply", "../in.diff", cwd=repo_with_files)
    assert result.returncode == 2
    assert result.stderr.startswith("hookwright: error:") and result.stderr.count("\n") == 1
    assert BAD[case][1] in result.stderr
    assert snapshot(repo_with_files) == before


@pytest.mark.parametrize("case", ["empty", "hunk too long", "binary", "mode change", "outside"])
def test_bad_patches_raise_bad_input(case: str) -> None:
    with pytest.raises(BadInput):
        patches.parse(BAD[case][0])
