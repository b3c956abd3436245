"""``--no-cache``: the file checks skip their cache keys entirely, and say what a cached run says.

A run that remembers nothing hashes no key and builds no row (issue 22: ~10,000 digests on a cold run
of 5,000 files); these tests hold that its findings are the cached run's, file for file, and that the
syntax check's plans, kept from choosing the files, are those of the tree it checks.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git, hookwright, write

# One of everything the file checks report: compile errors ruff does not see, a YAML and a TOML
# mistake, a conflict marker, a lint finding, and a shebang-only Python file (its tags need its bytes).
FILES: dict[str, str | bytes] = {
    "pkg/loop.py": "break\n",
    "pkg/braces.py": "from __future__ import braces\n",
    "pkg/unused.py": "import os\n",
    "pkg/fine.py": "def f(x: int) -> int:\n    return x\n",
    "conf/bad.yaml": "a: [1, 2\n",
    "conf/dup.yaml": "a: 1\na: 2\n",
    "conf/bad.toml": "x = \n",
    "notes.txt": "<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n",
    "bin/tool": "#!/usr/bin/env python3\ndef g(:\n",
}


def findings(repo: Path, *flags: str) -> list[tuple[str, str, str, int | None]]:
    result = hookwright("verify", "--all-files", "--only", "syntax,lint", *flags, cwd=repo)
    assert result.returncode == 1, result.stdout + result.stderr
    record = json.loads(sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))[-1].read_text())
    return sorted((f["step"], f["path"], f["code"], f["line"]) for f in record["findings"])


def test_a_no_cache_run_finds_what_a_cached_run_finds(committed_repo: Path) -> None:
    for name, text in FILES.items():
        write(committed_repo / name, text)
    (committed_repo / "bin" / "tool").chmod(0o755)
    git(committed_repo, "add", ".")
    uncached = findings(committed_repo, "--no-cache")
    assert not (committed_repo / ".git" / "hookwright" / "cache" / "results.sqlite").exists()
    filled = findings(committed_repo)  # fills the cache
    replayed = findings(committed_repo)  # answered from it
    assert uncached == filled == replayed
    failed = {(step, path) for step, path, _, _ in uncached}
    assert {
        ("syntax", "pkg/loop.py"),
        ("syntax", "pkg/braces.py"),
        ("syntax", "conf/bad.yaml"),
        ("syntax", "conf/dup.yaml"),
        ("syntax", "conf/bad.toml"),
        ("syntax", "notes.txt"),
        ("syntax", "bin/tool"),
        ("lint", "pkg/unused.py"),
    } <= failed
    assert not {path for _, path in failed} & {"pkg/fine.py", "README.md"}


def test_a_file_that_becomes_python_by_its_shebang_is_planned_from_the_verified_tree(
    committed_repo: Path,
) -> None:
    """A range whose base holds the file as a shell script: the plan (its tags) is the new tree's."""
    write(committed_repo / "tool", "#!/bin/sh\necho hi\n")
    (committed_repo / "tool").chmod(0o755)
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "a shell script")
    first = git(committed_repo, "rev-parse", "HEAD").strip()
    write(committed_repo / "tool", "#!/usr/bin/env python3\ndef g(:\n")  # now Python, by its shebang
    git(committed_repo, "commit", "-qam", "the script becomes Python")
    argv = ["verify", "--from-ref", first, "--to-ref", "HEAD", "--only", "syntax", "--no-cache"]
    result = hookwright(*argv, cwd=committed_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tool" in result.stdout + result.stderr
