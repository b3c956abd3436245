"""self_heal end to end: the pre-commit hook on staged files, heal -- COMMAND, --from-log, and bad input.

Real git repositories in tmp_path, the real console entry points in child processes, real pytest as
the command being healed, and the real pre-commit driving the hook.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, hookwright, write

from hookwright.errors import BadInput
from hookwright.hooks import self_heal

BROKEN = "def cwd(x)\n    return os.getcwd()\n"
FIXED = "import os\n\ndef cwd(x):\n    return os.getcwd()\n"


def self_heal_hook(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``hookwright-self-heal`` as pre-commit runs it."""
    return subprocess.run(
        [sys.executable, "-m", "hookwright.hooks.self_heal", *args],
        cwd=cwd, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def records(repo: Path) -> list[dict[str, object]]:
    return [
        json.loads(p.read_text()) for p in sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    ]


def test_the_hook_fixes_staged_files_and_exits_1(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", BROKEN)
    git(in_git_dir, "add", "a.py")
    result = self_heal_hook("a.py", cwd=in_git_dir)
    assert result.returncode == 1
    assert "+import os" in result.stdout and "+def cwd(x):" in result.stdout
    assert "a.py:1:11: fixed SyntaxError: expected ':'" in result.stdout
    assert (in_git_dir / "a.py").read_text() == FIXED
    assert git(in_git_dir, "show", ":a.py") == BROKEN  # the index is the user's to stage
    (record,) = records(in_git_dir)
    assert record["outcome"] == "passed" and record["files"]["modified"] == ["a.py"]  # type: ignore[index]
    assert [a["rule"] for a in record["attempts"] if a["result"] == "fixed"] == [  # type: ignore[union-attr]
        "add-missing-colon",
        "add-import-stdlib-module",
    ]


def test_clean_files_pass_quietly(committed_repo: Path) -> None:
    result = self_heal_hook("pkg/mod.py", "README.md", cwd=committed_repo)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_unstaged_hunks_survive_in_a_partially_staged_file(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", "import os\n\n\ndef cwd(x)\n    return os.getcwd()\n")
    git(in_git_dir, "add", "a.py")
    write(
        in_git_dir / "a.py", "import os\n\n\ndef cwd(x)\n    return os.getcwd()\n\n\nLATER = 1  # unstaged\n"
    )
    result = self_heal_hook("a.py", cwd=in_git_dir)
    assert result.returncode == 1
    assert git(in_git_dir, "show", ":a.py") == "import os\n\n\ndef cwd(x):\n    return os.getcwd()\n"
    assert (
        (in_git_dir / "a.py")
        .read_text()
        .endswith("def cwd(x):\n    return os.getcwd()\n\n\nLATER = 1  # unstaged\n")
    )
    added = [x for x in git(in_git_dir, "diff").splitlines() if x.startswith("+") and not x.startswith("+++")]
    assert added == ["+", "+", "+LATER = 1  # unstaged"]  # still unstaged, and only that


def test_a_fix_overlapping_unstaged_changes_is_not_written(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", "def f(x)\n    return x\n")
    git(in_git_dir, "add", "a.py")
    write(in_git_dir / "a.py", "def f(x, y)\n    return x\n")
    result = self_heal_hook("a.py", cwd=in_git_dir)
    assert result.returncode == 1
    assert "overlaps unstaged changes" in result.stdout
    assert (in_git_dir / "a.py").read_text() == "def f(x, y)\n    return x\n"
    assert git(in_git_dir, "show", ":a.py") == "def f(x)\n    return x\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"def f(x)\r\n    return x\r\n", b"def f(x):\r\n    return x\r\n", id="crlf"),
        pytest.param(
            b"\xef\xbb\xbfdef f(x)\n    return 1\n", b"\xef\xbb\xbfdef f(x):\n    return 1\n", id="bom"
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\nif s\n    pass\n",
            b"# -*- coding: latin-1 -*-\ns = '\xe9t\xe9'\nif s:\n    pass\n",
            id="latin-1",
        ),
    ],
)
def test_line_endings_and_encodings_are_kept(in_git_dir: Path, data: bytes, expected: bytes) -> None:
    write(in_git_dir / "a.py", data)
    assert self_heal_hook("a.py", cwd=in_git_dir).returncode == 1
    assert (in_git_dir / "a.py").read_bytes() == expected


def test_dry_run_changes_nothing(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", BROKEN)
    result = self_heal_hook("--dry-run", "a.py", cwd=in_git_dir)
    assert result.returncode == 1 and "+import os" in result.stdout
    assert (in_git_dir / "a.py").read_text() == BROKEN
    assert records(in_git_dir) == []


def test_what_cannot_be_fixed_is_escalated_as_path_line_col(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", "print(undefined_widget)\n")
    result = self_heal_hook("a.py", cwd=in_git_dir)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "a.py:1:7: F821: Undefined name `undefined_widget` (tried: add-import-from-project"
    )


PROJECT = {
    "pkg/__init__.py": "",
    "pkg/util.py": "def helper(x):\n    return x * 2\n",
    "tests/test_x.py": "def test_helper():\n    assert helper(2) == 4\n    assert json.dumps(1) == '1'\n",
}


def make_project(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        write(repo / name, text)
    git(repo, "add", ".")
    write(repo / ".hookwright.yaml", "self_heal:\n  backoff_s: 0\n")


def test_heal_a_command_until_it_passes(in_git_dir: Path) -> None:
    make_project(in_git_dir, PROJECT)
    result = hookwright(
        "heal", "--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=in_git_dir
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = (in_git_dir / "tests" / "test_x.py").read_text()
    assert text.startswith("import json\n\nfrom pkg.util import helper\n")
    (record,) = records(in_git_dir)
    assert record["mode"] == "command" and record["outcome"] == "passed"
    assert {d["error_type"] for d in record["fixed"]} == {"NameError", "F821"}  # type: ignore[union-attr]


def test_a_fix_the_command_disproves_is_rolled_back_byte_for_byte(in_git_dir: Path) -> None:
    files = {
        **PROJECT,
        "pkg/util.py": "raise RuntimeError('import me and weep')\n\ndef helper(x):\n    return x\n",
    }
    files["tests/test_x.py"] = "def test_helper():\n    assert helper(2) == 4\n"
    make_project(in_git_dir, files)
    before = (in_git_dir / "tests" / "test_x.py").read_bytes()
    result = hookwright(
        "heal", "--", sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=in_git_dir
    )
    assert result.returncode == 1
    assert (in_git_dir / "tests" / "test_x.py").read_bytes() == before
    (record,) = records(in_git_dir)
    attempt = next(a for a in record["attempts"] if a["rule"] == "add-import-defined-in-project")  # type: ignore[union-attr]
    assert attempt["result"] == "rejected" and "RuntimeError" in attempt["reason"]
    assert "tests/test_x.py:2:1: NameError: name 'helper' is not defined" in result.stdout
    assert not list((in_git_dir / ".git" / "hookwright" / "journal").iterdir())


def test_attempts_run_out_and_the_rest_is_escalated(in_git_dir: Path) -> None:
    files = {
        "lib_mod.py": "def value()\n    return 1\n",
        "main.py": "import lib_mod\n\nprint(lib_mod.value(), json.dumps(1))\n",
    }
    make_project(in_git_dir, files)
    write(in_git_dir / ".hookwright.yaml", "self_heal:\n  backoff_s: 0\n  max_attempts: 1\n")
    result = hookwright("heal", "--", sys.executable, "main.py", cwd=in_git_dir)
    assert result.returncode == 1
    assert (in_git_dir / "lib_mod.py").read_text() == "def value():\n    return 1\n"  # round 1
    assert "main.py:3:1: NameError: name 'json' is not defined (no fix rule applies)" in result.stdout
    again = hookwright("heal", "--max-attempts", "2", "--", sys.executable, "main.py", cwd=in_git_dir)
    assert again.returncode == 0
    assert (in_git_dir / "main.py").read_text().startswith("import json\n")


def test_heal_from_a_saved_log(in_git_dir: Path) -> None:
    write(in_git_dir / "b.py", "x = [1,\n  2\ny = 3\n")
    log = subprocess.run(
        [sys.executable, "-m", "py_compile", "b.py"],
        cwd=in_git_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    write(in_git_dir / "build.log", log.stderr)
    result = hookwright("heal", "--from-log", "build.log", cwd=in_git_dir)
    assert result.returncode == 0
    assert (in_git_dir / "b.py").read_text() == "x = [1,\n  2]\ny = 3\n"
    assert records(in_git_dir)[0]["mode"] == "log"


GOOD = b"def f(x)\n    return x\n"


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        pytest.param({"rules.json": b'{"rules": ['}, ["a.py"], "rules.json:1:", id="malformed-rule-file"),
        pytest.param(
            {"rules.json": b'{"rules": [{"id": "x"}]}'}, ["a.py"], "/rules/0", id="schema-invalid-rule-file"
        ),
        pytest.param(
            {"rules.json": b'{"rules": [{"id": "x", "error_types": ["E"], "message": "(", "action": "close_string",'
                           b' "priority": 1}]}'},
            ["a.py"], "/rules/0/message", id="bad-regex",
        ),
        pytest.param(
            {"rules.json": b'{"rules": [{"id": "x", "error_types": ["E"], "message": "(a)\\\\1", "action": "close_string",'
                           b' "priority": 1}]}'},
            ["a.py"], "linear time", id="backreference",
        ),
        pytest.param({"c.py": b"x = '\xff'\n"}, ["a.py", "c.py"], "c.py: not valid UTF-8", id="not-utf8"),
        pytest.param({"c.py": b"x = 1\0\n"}, ["a.py", "c.py"], "c.py: binary file", id="binary"),
        pytest.param({}, ["a.py", "../outside.py"], "outside the repository", id="outside-the-repository"),
        pytest.param({}, ["a.py", "sub/link.py"], "symlink", id="through-a-symlink"),
        pytest.param({}, ["--max-attempts", "0", "a.py"], "--max-attempts", id="zero-attempts"),
    ],
)  # fmt: skip
def test_bad_input_to_the_hook_is_one_line_exit_2_nothing_touched(
    in_git_dir: Path, setup: dict[str, bytes], args: list[str], message: str
) -> None:
    write(in_git_dir / "a.py", GOOD)
    for name, data in setup.items():
        write(in_git_dir / name, data)
    if "rules.json" in setup:
        write(in_git_dir / ".hookwright.yaml", "self_heal:\n  rules: [rules.json]\n")
    os.symlink(in_git_dir.parent, in_git_dir / "sub")
    write(in_git_dir.parent / "outside.py", GOOD)
    result = self_heal_hook(*args, cwd=in_git_dir)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("hookwright: error:") and result.stderr.count("\n") == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert (in_git_dir / "a.py").read_bytes() == GOOD
    assert (in_git_dir.parent / "outside.py").read_bytes() == GOOD


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--", "no-such-validation-command"], "no-such-validation-command: command not found", id="cmd"
        ),
        pytest.param([], "nothing to heal", id="nothing"),
        pytest.param(["--from-log", "x.log", "--", "true"], "not both", id="log-and-command"),
        pytest.param(["--from-log", "missing.log"], "the log missing.log: no such file", id="missing-log"),
    ],
)
def test_bad_input_to_heal(in_git_dir: Path, args: list[str], message: str) -> None:
    write(in_git_dir / "a.py", GOOD)
    result = hookwright("heal", *args, cwd=in_git_dir)
    assert result.returncode == 2
    assert result.stderr.startswith("hookwright: error:") and message in result.stderr
    assert (in_git_dir / "a.py").read_bytes() == GOOD


def test_run_instance_shares_the_flow(in_git_dir: Path) -> None:
    write(in_git_dir / "a.py", BROKEN)
    report = self_heal.run_instance({"files": ["a.py"]}, root=in_git_dir, dry_run=True)
    assert report.outcome == "passed" and report.extra["dry_run"] is True
    assert (in_git_dir / "a.py").read_text() == BROKEN and records(in_git_dir) == []
    report = self_heal.run_instance({"command": [sys.executable, "a.py"], "backoff_s": 0}, root=in_git_dir)
    assert report.to_dict()["mode"] == "command"
    assert (in_git_dir / "a.py").read_text() == FIXED  # the colon proven by compile, the import by the run
    assert records(in_git_dir)[0]["record_id"] == report.run_id
    with pytest.raises(BadInput, match="not found"):
        self_heal.run_instance({"command": ["no-such-thing-at-all"]}, root=in_git_dir)


def test_through_pre_commit_with_unstaged_changes(in_git_dir: Path, tmp_path: Path) -> None:
    """pre-commit stashes the unstaged hunk, runs the hook, sees the fix, and puts the hunk back."""
    hooks_repo = tmp_path / "hooks-repo"
    hooks_repo.mkdir()
    git(hooks_repo, "init", "-q")
    entry = Path(sys.executable).parent / "hookwright-self-heal"
    write(
        hooks_repo / ".pre-commit-hooks.yaml",
        f"- id: self-heal\n  name: self-heal\n  entry: {entry}\n  language: system\n  types: [python]\n",
    )
    git(hooks_repo, "add", ".")
    git(hooks_repo, "commit", "-q", "-m", "hooks")
    staged = "import os\n\n\ndef cwd(x)\n    return os.getcwd()\n" + "".join(
        f"\nX{n} = {n}\n" for n in range(6)
    )
    write(in_git_dir / "a.py", staged)
    git(in_git_dir, "add", "a.py")
    write(in_git_dir / "a.py", staged + "\n\nLATER = 1\n")  # far enough from the fix for pre-commit's patch
    pre_commit = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run(
        [str(pre_commit), "try-repo", str(hooks_repo), "self-heal"],
        cwd=in_git_dir, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "def cwd(x):" in (in_git_dir / "a.py").read_text()
    assert (in_git_dir / "a.py").read_text().endswith("LATER = 1\n")
