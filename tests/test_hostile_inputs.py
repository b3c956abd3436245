"""Hostile input ends in one line and exit 2 (or a verdict), within a memory bound and never a hang.

Each case runs the real CLI in a child process and reads its peak memory from ``wait4`` (through a
small launcher, see ``_LAUNCHER``). The time
limit is only a hang guard (tests do not measure speed; benchmarks/hostile_inputs.py does).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import git, write

MEMORY_BOUND_KB = 200 * 1024
HANG_GUARD_S = 120


@dataclass(frozen=True)
class Bounded:
    returncode: int
    stderr: str
    max_rss_kb: int


# A child started from this (large) pytest process inherits its resident pages until exec, and
# ru_maxrss keeps that high-water mark: late in a long session it alone passed the bound. So a small
# launcher starts hookwright and reports the peak of that child, which was started from a process
# of a few megabytes.
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def bounded(repo: Path, *args: str) -> Bounded:
    err = repo.parent / "stderr.txt"
    with err.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, sys.executable, "-m", "hookwright", *args],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=sink,
        )
        guard = threading.Timer(HANG_GUARD_S, proc.kill)
        guard.start()
        try:
            out, _ = proc.communicate()
        finally:
            guard.cancel()
    assert proc.returncode != -9, f"hookwright {' '.join(args)} still ran after {HANG_GUARD_S}s"
    code, max_rss_kb = (int(x) for x in out.split())
    return Bounded(code, err.read_text(), max_rss_kb)


def laughs(levels: int = 9, width: int = 9) -> str:
    """The billion-laughs document: ``width ** levels`` strings from a few hundred bytes."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 8, width: int = 9) -> str:
    lines = ["m0: &m0 {" + ", ".join(f"k{j}: {j}" for j in range(width)) + "}"]
    lines += [
        f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * width) + f"], z{i}: 1}}"
        for i in range(1, levels + 1)
    ]
    return "\n".join(lines) + "\n"


BOMBS = {"laughs": laughs(), "merge": merge_bomb()}


def one_error_line(result: Bounded) -> bool:
    return result.stderr.count("\n") == 1 and result.stderr.startswith("hookwright: error: ")


@pytest.mark.parametrize("bomb", list(BOMBS))
@pytest.mark.parametrize(
    ("where", "args"),
    [
        pytest.param(".hookwright.yaml", ["config"], id="config"),
        pytest.param("instance.yaml", ["validate", "instance.yaml"], id="instance"),
        pytest.param("instance.yaml", ["run", "instance.yaml"], id="run-instance"),
        pytest.param("rules/mine.yaml", ["heal", "--list-rules"], id="rule-registry"),
        pytest.param(
            "packs/evil/template.yaml", ["templates", "list", "--templates", "packs"], id="template-pack"
        ),
        pytest.param("vars.yaml", ["create", "model", "--vars", "vars.yaml", "--dry-run"], id="vars-file"),
    ],
)
def test_yaml_alias_bombs_are_refused_everywhere_yaml_is_read(
    committed_repo: Path, bomb: str, where: str, args: list[str]
) -> None:
    text = BOMBS[bomb]
    if where == "rules/mine.yaml":
        write(committed_repo / ".hookwright.yaml", "self_heal:\n  rules: [rules/mine.yaml]\n")
    if where.startswith("instance"):
        text = 'schema_version: "1"\npattern: verify_commit\ninputs:\n  x: &x [1]\n' + text
    write(committed_repo / where, text)
    result = bounded(committed_repo, *args)
    assert result.returncode == 2, result.stderr
    assert one_error_line(result), result.stderr
    assert result.max_rss_kb < MEMORY_BOUND_KB


@pytest.mark.parametrize(
    ("config", "line"),
    [
        pytest.param("checks:\n  todo:\n    allow: '(a+)+$'\n", "a" * 40 + "! # TODO", id="todo-allow"),
        pytest.param(
            "checks:\n  todo:\n    allow: '(x|x|xx)*y'\n", "x" * 5000 + " # TODO", id="todo-allow-alternation"
        ),
        pytest.param("checks:\n  todo:\n    files: '(a|aa)+$'\n", "# TODO", id="check-files"),
        pytest.param("checks:\n  todo:\n    exclude: '(.*a){12}'\n", "# TODO", id="check-exclude"),
    ],
)
def test_user_regexes_run_in_linear_time(committed_repo: Path, config: str, line: str) -> None:
    write(committed_repo / ".hookwright.yaml", config)
    write(committed_repo / ("a" * 60 + "b"), line + "\n")
    git(committed_repo, "add", ".")
    result = bounded(committed_repo, "verify", "--only", "todo")
    assert result.returncode in (0, 1), result.stderr
    assert result.max_rss_kb < MEMORY_BOUND_KB


@pytest.mark.parametrize("pattern", ["(?<=x)TODO", r"(a)\1"], ids=["lookbehind", "backreference"])
def test_a_regex_that_needs_backtracking_is_refused_as_bad_input(committed_repo: Path, pattern: str) -> None:
    write(committed_repo / ".hookwright.yaml", f"checks:\n  todo:\n    allow: '{pattern}'\n")
    git(committed_repo, "add", ".hookwright.yaml")  # verify reads the config being committed
    result = bounded(committed_repo, "verify", "--only", "todo")
    assert result.returncode == 2
    assert one_error_line(result) and "linear time" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, "over the 32 MB limit", id="dev-zero"),
        pytest.param(b"\0" * 3_000_000, "not a unified diff", id="nul-bytes"),
        pytest.param(os.urandom(200_000), "not a unified diff", id="random-bytes"),
        pytest.param(b"hello\nthis is a letter, not a patch\n" * 1000, "not a unified diff", id="prose"),
        pytest.param(
            b"--- a/x\n+++ b/x\n@@ -1,99999999 +1,99999999 @@\n-a\n+b\n", "", id="lying-hunk-header"
        ),
        pytest.param(b"", "the patch is empty", id="empty"),
    ],
)
def test_patch_apply_reads_with_a_limit_and_refuses_what_is_not_a_patch(
    committed_repo: Path, content: bytes | None, message: str
) -> None:
    source = "/dev/zero" if content is None else str(write(committed_repo.parent / "input.diff", content))
    result = bounded(committed_repo, "patch", "apply", source)
    assert result.returncode == 2, result.stderr
    assert one_error_line(result) and message in result.stderr
    assert result.max_rss_kb < MEMORY_BOUND_KB


@pytest.mark.parametrize(
    "args",
    [
        ["heal", "--from-log", "/dev/zero"],
        ["create", "model", "--vars", "/dev/zero"],
        ["validate", "/dev/zero"],
        ["verify", "--config", "/dev/zero"],
        ["records", "show", "/dev/zero"],
    ],
    ids=lambda a: f"{a[0]}-{a[1]}",
)
def test_every_file_a_user_names_is_read_with_a_limit(committed_repo: Path, args: list[str]) -> None:
    result = bounded(committed_repo, *args)
    assert result.returncode == 2, result.stderr
    assert one_error_line(result)
    assert result.max_rss_kb < MEMORY_BOUND_KB


def test_protected_branch_patterns_run_in_linear_time(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", "checks:\n  git_state:\n    protected_patterns: ['(a+)+$']\n")
    git(committed_repo, "checkout", "-q", "-b", "a" * 40 + "!")
    write(committed_repo / "pkg" / "extra.py", "X = 1\n")
    git(committed_repo, "add", ".")
    result = bounded(committed_repo, "verify", "--only", "git_state")
    assert result.returncode in (0, 1), result.stderr
    assert result.max_rss_kb < MEMORY_BOUND_KB


def test_the_commit_message_pattern_runs_in_linear_time(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", "commit_msg:\n  pattern: '^(a+)+$'\n")
    git(committed_repo, "add", ".")
    message = write(committed_repo.parent / "MSG", "a" * 40 + "!\n")
    result = bounded(committed_repo, "commit-msg", str(message))
    assert result.returncode == 1, result.stderr  # the subject does not match: reported, quickly
    assert bounded(committed_repo, "commit-msg", "/dev/zero").returncode == 2


def test_a_template_packs_pattern_runs_in_linear_time(committed_repo: Path) -> None:
    write(
        committed_repo / "packs" / "slow" / "template.yaml",
        "name: slow\nfiles:\n  - {template: a.txt.j2, path: a.txt}\n"
        "variables:\n  properties:\n    word: {type: string, pattern: '^(a+)+$'}\n",
    )
    write(committed_repo / "packs" / "slow" / "a.txt.j2", "{{ word }}\n")
    result = bounded(committed_repo, "create", "packs/slow", "--var", "word=" + "a" * 40 + "!", "--dry-run")
    assert result.returncode == 2, result.stderr  # the value does not match the pack's pattern
    assert "does not match" in result.stderr
