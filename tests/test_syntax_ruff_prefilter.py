"""The syntax check: no ruff config, no noqa comment and no compile error ruff cannot see hides a file
that does not compile.

Each repository holds a dozen clean modules (once enough for a ruff prefilter to pick the suspects) and
files CPython will not compile. Any ruff call that decides which files CPython compiles (a prefilter, or a
call shared with lint) turns such a file into a false pass; these tests hold that door shut.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import git, hookwright, write

CLEAN_MODULES = 12  # well above the count under which the syntax check compiles every file itself


def syntax_failures(repo: Path, files: dict[str, str | bytes]) -> set[str]:
    """Stage ``files`` beside clean modules, verify syntax and lint, and return the files syntax failed."""
    for index in range(CLEAN_MODULES):
        write(repo / "pkg" / f"clean_{index}.py", f"def f{index}(x: int) -> int:\n    return x + {index}\n")
    for name, text in files.items():
        write(repo / name, text)
    git(repo, "add", ".")
    result = hookwright("verify", "--only", "syntax,lint", cwd=repo)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    record = json.loads(sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))[-1].read_text())
    return {f["path"] for f in record["findings"] if f["step"] == "syntax" and f["severity"] == "error"}


@pytest.mark.parametrize(
    "config",
    [
        pytest.param('[tool.ruff]\nexclude = ["pkg/broken.py"]\n', id="exclude"),
        pytest.param('[tool.ruff]\nextend-exclude = ["pkg/broken.py"]\n', id="extend-exclude"),
        pytest.param('[tool.ruff.lint]\nexclude = ["pkg/broken.py"]\n', id="lint-exclude"),
    ],
)
def test_a_file_the_project_excludes_from_ruff_still_fails_the_syntax_check(
    committed_repo: Path, config: str
) -> None:
    files = {"pyproject.toml": config, "pkg/broken.py": "def f(:\n    pass\n"}
    assert syntax_failures(committed_repo, files) == {"pkg/broken.py"}


def test_per_file_ignores_and_a_narrow_select_hide_no_compile_time_error(committed_repo: Path) -> None:
    config = (
        "[tool.ruff.lint]\n"
        'select = ["E501"]\n'
        'ignore = ["F7", "PLE"]\n'
        'per-file-ignores = {"pkg/*.py" = ["F701", "F706", "E999", "PLE1142"]}\n'
    )
    files = {
        "pyproject.toml": config,
        "pkg/loop.py": "break\n",
        "pkg/ret.py": "def g():\n    pass\nreturn 1\n",
        "pkg/parse.py": "x = (\n",
    }
    assert syntax_failures(committed_repo, files) == {"pkg/loop.py", "pkg/ret.py", "pkg/parse.py"}


def test_noqa_comments_hide_no_compile_time_error(committed_repo: Path) -> None:
    files = {
        "pkg/loop.py": "break  # noqa: F701\n",
        "pkg/cont.py": "# ruff: noqa\ncontinue\n",
        "pkg/ret.py": "return 1  # noqa\n",
    }
    assert syntax_failures(committed_repo, files) == {"pkg/loop.py", "pkg/cont.py", "pkg/ret.py"}


def test_a_file_ruff_cannot_read_fails_the_syntax_check(committed_repo: Path) -> None:
    # Not UTF-8 and no coding cookie: ruff cannot read it (E902), CPython will not compile it.
    files = {
        "pkg/latin.py": b"name = 'caf\xe9'\n",
        "pkg/cookie.py": b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
    }
    assert syntax_failures(committed_repo, files) == {"pkg/latin.py"}


def test_compile_errors_ruff_reports_only_as_rules_or_not_at_all_fail(committed_repo: Path) -> None:
    # Each compiles in no CPython, and ruff parses each without an error: only a rule, or nothing, says so.
    files = {
        "pkg/star.py": "def f():\n    from os import *\n",  # F406
        "pkg/starred.py": "a, *b, *c = d\n",  # F622
        "pkg/yield_from.py": "async def f():\n    yield from x\n",  # PLE1700
        "pkg/async_gen.py": "async def f():\n    yield 1\n    return 2\n",  # no stable ruff rule
        "pkg/fine_gen.py": "async def f():\n    yield 1\n    return\n",  # compiles: must pass
    }
    expected = set(files) - {"pkg/fine_gen.py"}
    assert syntax_failures(committed_repo, files) == expected


def test_compile_errors_ruff_does_not_see_at_all_fail(committed_repo: Path) -> None:
    # Found by trying CPython's compile-time errors one by one against ruff 0.17 (rule-selected or not):
    # ruff parses each of these without complaint. The prefilter that trusted ruff passed all of them.
    nested = "def f():\n" + "".join("    " * (level + 1) + "for x in y:\n" for level in range(21))
    files = {
        "pkg/braces.py": "from __future__ import braces\n",
        "pkg/late_future.py": "import os\nfrom __future__ import annotations\n",
        "pkg/bare_except.py": "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
        "pkg/nested.py": nested + "    " * 22 + "pass\n",
        "pkg/nonlocal_after.py": "def f():\n    x = 1\n    def g():\n        x = 2\n        nonlocal x\n",
        "pkg/brackets.py": "x = " + "(" * 201 + "1" + ")" * 201 + "\n",
        "pkg/starred.py": "*a\n",
        "pkg/with_items.py": "with " + ", ".join(f"a{i}" for i in range(25)) + ":\n    pass\n",
    }
    assert syntax_failures(committed_repo, files) == set(files)
