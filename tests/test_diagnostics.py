"""hookwright.heal.diagnostics on output produced by running the real tools: CPython, pytest, ruff and mypy.

A session fixture builds one small project of broken files and runs every tool over it once; each
case then parses what a tool printed. mypy comes from this venv (pip install mypy); without it its
cases skip locally and fail under CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hookwright.heal import diagnostics
from hookwright.heal.diagnostics import Diagnostic

FILES = {
    "colon.py": "def f(x)\n    return x\n",
    "block.py": "def f(x):\nreturn x\n",
    "tabs.py": "def f(x):\n\tif x:\n        return 1\n",
    "names.py": "import os\n\nprint(sys.argv)\n",
    "missing.py": "import no_such_module_here\n",
    "attr.py": "import os\n\nos.no_such_function()\n",
    "deep.py": "import json\n\n\ndef load():\n    return json.loads('{')\n\n\nload()\n",
    "pkg/__init__.py": "",
    "pkg/broken.py": "x = [1,\n  2\ny = 3\n",
    "test_collect.py": "from pkg import broken\n",
    "test_fail.py": "def test_name():\n    assert os.sep\n\n\ndef test_assert():\n    assert 1 == 2\n",
    "typed.py": 'import os\n\nos.getcwdx()\nprint(undefined_thing)\nx: int = "a"\n',
}


RUFF_FORMATS = ("full", "concise", "grouped", "json", "json-lines", "github", "pylint")


def run(argv: list[str], cwd: Path) -> str:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    return result.stdout + result.stderr


@pytest.fixture(scope="session")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("broken")
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    python = [sys.executable]
    found: dict[str, object] = {"root": root}
    for name in ("colon.py", "block.py", "tabs.py", "pkg/broken.py"):
        found[f"compile:{name}"] = run([*python, "-m", "py_compile", name], root)
    for name in ("names.py", "missing.py", "attr.py", "deep.py"):
        found[f"run:{name}"] = run([*python, name], root)
    found["compileall"] = run([*python, "-m", "compileall", "-q", "."], root)
    found["pytest"] = run([*python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_collect.py"], root)
    found["pytest-fail"] = run(
        [*python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_fail.py"], root
    )
    found["pytest-color"] = run(
        [*python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--color=yes", "test_fail.py"], root
    )
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    select = ["--isolated", "--no-cache", "--select", "F821,F401"]
    found["ruff-json"] = run(
        [ruff, "check", *select, "--output-format", "json", "names.py", "colon.py"], root
    )
    found["ruff-concise"] = run([ruff, "check", *select, "--output-format", "concise", "names.py"], root)
    for output_format in RUFF_FORMATS:
        found[f"ruff:{output_format}"] = run(
            [ruff, "check", *select, f"--output-format={output_format}", "names.py", "colon.py"], root
        )
    found["ruff:clean"] = run([ruff, "check", *select, "deep.py"], root)
    mypy = shutil.which("mypy") or str(Path(sys.executable).parent / "mypy")
    if Path(mypy).exists():
        argv = [mypy, "--cache-dir", os.devnull, "--show-column-numbers", "--no-error-summary"]
        found["mypy"] = run([*argv, "typed.py", "names.py"], root)
        found["mypy-syntax"] = run([*argv, "colon.py"], root)
    return found


def parse(outputs: dict[str, object], key: str, tool: str = "auto") -> list[Diagnostic]:
    text = outputs[key]
    assert isinstance(text, str)
    return diagnostics.parse(text, outputs["root"], tool)  # type: ignore[arg-type]


def shape(found: list[Diagnostic]) -> list[tuple[str | None, int | None, str, str]]:
    return [(d.path, d.line, d.error_type, d.tool) for d in found]


@pytest.mark.parametrize(
    ("key", "expected", "message"),
    [
        pytest.param("compile:colon.py", ("colon.py", 1, "SyntaxError", "python"), "expected ':'", id="syntax"),
        pytest.param(
            "compile:block.py", ("block.py", 2, "IndentationError", "python"), "expected an indented block",
            id="indentation-sorry-form",
        ),
        pytest.param("compile:tabs.py", ("tabs.py", 3, "TabError", "python"), "inconsistent use", id="tab"),
        pytest.param(
            "compile:pkg/broken.py", ("pkg/broken.py", 1, "SyntaxError", "python"), "was never closed",
            id="unclosed-bracket",
        ),
        pytest.param("run:names.py", ("names.py", 3, "NameError", "python"), "name 'sys'", id="name-error"),
        pytest.param(
            "run:missing.py", ("missing.py", 1, "ModuleNotFoundError", "python"), "no_such_module_here",
            id="module-not-found",
        ),
        pytest.param(
            "run:attr.py", ("attr.py", 3, "AttributeError", "python"), "module 'os' has no attribute",
            id="attribute-on-module",
        ),
        pytest.param(
            "run:deep.py", ("deep.py", 5, "JSONDecodeError", "python"), "Expecting property name",
            id="deepest-own-frame",
        ),
    ],
)  # fmt: skip
def test_python_output(
    outputs: dict[str, object], key: str, expected: tuple[object, ...], message: str
) -> None:
    found = parse(outputs, key)
    assert shape(found) == [expected]
    assert message in found[0].message


def test_syntax_error_column_is_the_caret_in_the_real_line(outputs: dict[str, object]) -> None:
    (found,) = parse(outputs, "compile:colon.py")
    assert (found.line, found.column) == (1, 9)
    assert found.location() == "colon.py:1:9"


def test_compileall_names_the_full_path_of_an_indentation_error(outputs: dict[str, object]) -> None:
    found = {(d.path, d.error_type) for d in parse(outputs, "compileall")}
    assert {
        ("colon.py", "SyntaxError"),
        ("block.py", "IndentationError"),
        ("pkg/broken.py", "SyntaxError"),
    } <= found


def test_pytest_collection_error_blames_the_broken_module(outputs: dict[str, object]) -> None:
    assert shape(parse(outputs, "pytest")) == [("pkg/broken.py", 1, "SyntaxError", "pytest")]


@pytest.mark.parametrize("key", ["pytest-fail", "pytest-color"])
def test_pytest_failures(outputs: dict[str, object], key: str) -> None:
    found = parse(outputs, key)
    assert shape(found) == [
        ("test_fail.py", 2, "NameError", "pytest"),
        ("test_fail.py", 6, "AssertionError", "pytest"),
    ]
    assert found[0].message == "name 'os' is not defined"


def test_ruff_json(outputs: dict[str, object]) -> None:
    found = parse(outputs, "ruff-json")
    assert sorted(shape(found)) == [
        ("colon.py", 1, "invalid-syntax", "ruff"),
        ("names.py", 1, "F401", "ruff"),
        ("names.py", 3, "F821", "ruff"),
    ]
    assert "Undefined name `sys`" in {d.message for d in found}


def test_ruff_concise_is_read_by_the_generic_parser(outputs: dict[str, object]) -> None:
    found = parse(outputs, "ruff-concise")
    assert sorted((d.path, d.line, d.column, d.error_type) for d in found) == [
        ("names.py", 1, 8, "F401"),
        ("names.py", 3, 7, "F821"),
    ]
    assert all(not d.message.startswith("[*]") for d in found)


@pytest.mark.parametrize("output_format", RUFF_FORMATS)
def test_every_ruff_output_format_names_the_same_places(
    outputs: dict[str, object], output_format: str
) -> None:
    """ruff's default (full) output among them: a log of it once healed nothing and said "passed"."""
    found = parse(outputs, f"ruff:{output_format}")
    places = {(d.path, d.line, d.error_type, d.message) for d in found}
    assert places == {(d.path, d.line, d.error_type, d.message) for d in parse(outputs, "ruff:json")}
    assert ("names.py", 3, "F821", "Undefined name `sys`") in places
    assert ("names.py", 1, "F401", "`os` imported but unused") in places
    assert any(d.path == "colon.py" and d.error_type == "invalid-syntax" for d in found)
    if output_format != "pylint":  # the one format without columns
        assert ("names.py", 3, 7) in {(d.path, d.line, d.column) for d in found}


@pytest.mark.parametrize(
    ("key", "clean"),
    [
        pytest.param("ruff:clean", True, id="ruff-all-checks-passed"),
        pytest.param("ruff:full", False, id="ruff-findings"),
        pytest.param("pytest-fail", False, id="pytest-failures"),
    ],
)
def test_a_clean_run_is_told_from_an_unread_one(outputs: dict[str, object], key: str, clean: bool) -> None:
    text = outputs[key]
    assert isinstance(text, str)
    assert diagnostics.says_clean(text) is clean


@pytest.mark.parametrize(
    ("clean", "not_clean"),
    [
        pytest.param("===== 3 passed, 1 skipped in 0.12s =====\n", "=== 1 failed, 3 passed in 0.12s ===\n", id="pytest"),
        pytest.param("5 passed in 0.03s\n", "1 error in 0.03s\n", id="pytest-q"),
        pytest.param(
            "Success: no issues found in 4 source files\n", "Found 1 error in 1 file (checked 4 source files)\n",
            id="mypy",
        ),
        pytest.param("[]\n", "[\n", id="ruff-json"),
    ],
)  # fmt: skip
def test_clean_summaries_of_pytest_mypy_and_ruff_json(clean: str, not_clean: str) -> None:
    assert diagnostics.says_clean(clean)
    assert not diagnostics.says_clean(not_clean)


def test_mypy(outputs: dict[str, object]) -> None:
    if "mypy" not in outputs:
        if os.environ.get("CI"):
            pytest.fail("mypy is not installed: CI must provide it")
        pytest.skip("mypy is not installed")
    found = parse(outputs, "mypy")
    assert ("names.py", 3, "name-defined", "mypy") in shape(found)
    assert ("typed.py", 3, "attr-defined", "mypy") in shape(found)
    assert ("typed.py", 4, "name-defined", "mypy") in shape(found)
    assert ("typed.py", 5, "assignment", "mypy") in shape(found)
    assert next(d for d in found if d.error_type == "attr-defined").column == 1
    assert shape(parse(outputs, "mypy-syntax")) == [("colon.py", 1, "syntax", "mypy")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("src/a.py:3: something broke\n", [("src/a.py", 3, None, "error")], id="path-line"),
        pytest.param("src/a.py:3:7: bad thing\n", [("src/a.py", 3, 7, "error")], id="path-line-col"),
        pytest.param("a.py:2:1: E999 SyntaxError: x\n", [("a.py", 2, 1, "E999")], id="flake8-code"),
        pytest.param("a.py:4: ValueError: nope\n", [("a.py", 4, None, "ValueError")], id="typed-message"),
        pytest.param("Found 2 errors: see above\n", [], id="not-a-place"),
        pytest.param("/usr/lib/python3/json/decoder.py:3: boom\n", [], id="outside-the-repository"),
        pytest.param("../elsewhere.py:3: boom\n", [], id="escaping-path"),
    ],
)
def test_generic_lines(tmp_path: Path, text: str, expected: list[tuple[object, ...]]) -> None:
    found = diagnostics.parse(text, tmp_path)
    assert [(d.path, d.line, d.column, d.error_type) for d in found] == expected


def test_traceback_in_code_outside_the_repository_blames_nothing(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        Traceback (most recent call last):
          File "/usr/lib/python3.11/json/decoder.py", line 353, in raw_decode
            obj, end = self.scan_once(s, idx)
        StopIteration: 0
        """
    )
    assert diagnostics.parse(text, tmp_path) == []


def test_forced_tool_and_the_finding_it_makes(outputs: dict[str, object]) -> None:
    assert parse(outputs, "ruff-json", "pytest") == []
    (found,) = parse(outputs, "run:names.py", "python")
    finding = found.to_finding("heal")
    assert (finding.path, finding.line, finding.code, finding.step) == ("names.py", 3, "NameError", "heal")
    assert found.key() == ("names.py", "NameError", "name 'sys' is not defined")
    assert found.to_dict()["tool"] == "python"


def test_long_messages_are_clipped() -> None:
    found = diagnostics.parse("a.py:1: " + "x" * 5000 + "\n", None)
    assert len(found[0].message) == diagnostics.MESSAGE_LIMIT
