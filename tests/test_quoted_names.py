"""File names as git quotes them: every scan sees every file, whatever its name holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, run_cli, write

from hookwright.git.parsing import parse_added_lines

NAMES = [
    'q"u o.py',  # a quote and a space: git quotes the name and still ends the header with a tab
    "sp ace.py",
    "back\\slash.py",
    "tab\there.py",
    "new\nline.py",
    "ünïcødé.py",
    "日本語 name.py",
    "-rf.py",
    '"quoted".py',
    "trailing space .py",
    'dir with space/inner "q".py',
]


@pytest.mark.parametrize("mode", ["staged", "range"])
def test_every_name_git_quotes_is_scanned(
    committed_repo: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    for name in NAMES:
        write(committed_repo / name, "x = 1  # TODO fix\n")
    git(committed_repo, "add", "--", *NAMES)
    args = ["verify", "--only", "todo", "--format", "json"]
    if mode == "range":
        git(committed_repo, "commit", "-qm", "names")
        args += ["--from-ref", "HEAD~1", "--to-ref", "HEAD"]
    result = run_cli(capsys, *args)
    assert result.returncode == 0, result.stderr
    import json

    found = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert found == set(NAMES)


def test_added_lines_of_a_quoted_header_with_a_tab() -> None:
    patch = b'diff --git "a/q\\"u o.py" "b/q\\"u o.py"\n--- /dev/null\n+++ "b/q\\"u o.py"\t\n@@ -0,0 +1,2 @@\n+a\n+b\n'
    assert parse_added_lines(patch) == {'q"u o.py': frozenset({1, 2})}
