"""Read files of a project at a commit straight from its git directory (a bare clone is enough).

The held-out sets name real projects by repository and commit only; their code is read from a git
directory given on the command line (``--git owner/name=PATH``) and never copied into this repository.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitSource:
    """One ``git cat-file --batch`` process per repository: thousands of blobs without a process each."""

    def __init__(self, git_dir: Path) -> None:
        self.git_dir = git_dir
        self._batch: subprocess.Popen[bytes] | None = None
        self._trees: dict[str, list[str]] = {}

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", f"--git-dir={self.git_dir}", *args], capture_output=True, check=True)
        return result.stdout.decode("utf-8", "surrogateescape")

    def read(self, commit: str, path: str) -> bytes | None:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", f"--git-dir={self.git_dir}", "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(f"{commit}:{path}\n".encode("utf-8", "surrogateescape"))
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) < 3 or header[-1] == b"missing":
            return None
        data = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)  # the newline after each object
        return data

    def text(self, commit: str, path: str) -> str | None:
        data = self.read(commit, path)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def python_files(self, commit: str) -> list[str]:
        if commit not in self._trees:
            listing = self.git("ls-tree", "-r", "-z", "--name-only", commit)
            self._trees[commit] = sorted(p for p in listing.split("\0") if p.endswith(".py"))
        return self._trees[commit]

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None


def parse_git_args(values: list[str]) -> dict[str, Path]:
    """``owner/name=PATH`` pairs from the command line."""
    found = {}
    for value in values:
        name, _, path = value.partition("=")
        if not path:
            raise SystemExit(f"--git wants owner/name=PATH, got {value!r}")
        found[name] = Path(path)
    return found
