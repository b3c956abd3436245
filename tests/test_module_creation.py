"""module_creation: a module, its tests and its package wiring, kept only when the tests pass."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import files_of as tree
from conftest import git, hookwright, write
from conftest import run_cli as run

from hookwright.hooks import module_creation
from hookwright.templates.package_wiring import add_exports

COLORS = [
    "--var", "function=color_code", "--var", "values={red: 1, blue: 2}", "--var", "value_type=int",
    "--var", "cases=[{args: [red], expected: 1}, {kwargs: {key: blue}, expected: 2}]",
    "--var", "raises=[{args: [green], exception: ValueError, match: unknown key}]",
]  # fmt: skip


@pytest.fixture
def package_repo(committed_repo: Path) -> Path:
    write(
        committed_repo / "pkg/__init__.py",
        '"""A package that keeps __all__."""\n\nfrom .mod import add\n\n__all__ = ["add"]\n',
    )
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-q", "-m", "__all__")
    return committed_repo


def test_module_tests_and_wiring_are_kept_when_the_tests_pass(package_repo: Path) -> None:
    result = hookwright("module", "pkg.colors", *COLORS, cwd=package_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (package_repo / "pkg/__init__.py").read_text() == (
        '"""A package that keeps __all__."""\n\nfrom .mod import add\nfrom .colors import color_code\n\n'
        '__all__ = ["add", "color_code"]\n'
    )
    assert "def color_code(key: str) -> int:" in (package_repo / "pkg/colors.py").read_text()
    assert "from pkg.colors import color_code" in (package_repo / "tests/test_colors.py").read_text()
    record = json.loads(next((package_repo / ".git/hookwright/records").glob("*.json")).read_text())
    assert record["tests"] == {
        "ran": True,
        "path": "tests/test_colors.py",
        "passed": 3,
        "failed": 0,
        "errors": 0,
        "skipped": 0,
    }
    assert sorted(record["files"]["created"]) == ["pkg/colors.py", "tests/test_colors.py"]
    assert record["files"]["modified"] == ["pkg/__init__.py"] and not record["rolled_back"]
    assert not [p for p in package_repo.rglob("__pycache__")], "the test run leaves no bytecode behind"


def test_failing_generated_tests_roll_everything_back(
    package_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(package_repo)
    wrong = [*COLORS[:6], "--var", "cases=[{args: [red], expected: 2}]"]
    result = run(capsys, "module", "pkg.colors", *wrong)
    assert result.returncode == 1
    assert "tests/test_colors.py:" in result.stdout and "assert 1 == 2" in result.stdout
    assert tree(package_repo) == before
    assert git(package_repo, "status", "--porcelain") == ""
    record = json.loads(next((package_repo / ".git/hookwright/records").glob("*.json")).read_text())
    assert record["rolled_back"] and record["tests"]["failed"] == 1 and record["files"]["created"] == []


def test_the_generated_tests_run_with_the_python_the_tests_check_uses(
    package_repo: Path, tmp_path: Path
) -> None:
    """checks.tests.python (else the project's venv), as verify's tests check: not hookwright's own."""
    marker = tmp_path / "ran-with"
    write(package_repo / "tools" / "py", f'#!/bin/sh\necho "$@" >> {marker}\nexec {sys.executable} "$@"\n')
    (package_repo / "tools" / "py").chmod(0o755)
    write(package_repo / ".hookwright.yaml", "checks:\n  tests: {python: tools/py}\n")
    result = hookwright("module", "pkg.colors", *COLORS, cwd=package_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "-m pytest" in marker.read_text()


def test_no_pytest_for_the_project_python_is_said_and_nothing_kept(
    package_repo: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    write(package_repo / ".hookwright.yaml", f"checks:\n  tests: {{python: {bare / 'bin' / 'python'}}}\n")
    git(package_repo, "add", ".hookwright.yaml")
    git(package_repo, "commit", "-qm", "config")
    before = tree(package_repo)
    result = hookwright("module", "pkg.colors", *COLORS, cwd=package_repo)
    assert result.returncode == 1
    assert f"no pytest for {bare / 'bin' / 'python'}: set checks.tests.python" in result.stdout
    assert tree(package_repo) == before


def test_src_layout_with_new_packages(committed_repo: Path) -> None:
    report = module_creation.run_instance(
        {
            "module": "shop.data.sizes",
            "source_root": "src",
            "tests_dir": "tests/unit",
            "variables": {
                "function": "size_label",
                "values": {"s": "small", "m": "medium"},
                "cases": [{"args": ["s"], "expected": "small"}],
            },
        },
        root=committed_repo,
    )
    assert report.outcome == "passed", [s.to_dict() for s in report.steps]
    assert set(report.files_created) == {
        "src/shop/__init__.py", "src/shop/data/__init__.py", "src/shop/data/sizes.py", "tests/unit/test_sizes.py",
    }  # fmt: skip
    assert report.extra["tests"]["passed"] == 1


def test_dry_run_shows_the_plan_and_runs_nothing(
    package_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(package_repo)
    result = run(capsys, "module", "pkg.colors", *COLORS, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "create    pkg/colors.py  (lookup/lookup.py.j2)",
        "create    tests/test_colors.py  (test/test_module.py.j2)",
        "modify    pkg/__init__.py  (package wiring)",
    ]
    assert "+from .colors import color_code\n" in result.stdout
    assert tree(package_repo) == before


@pytest.mark.parametrize(
    ("module", "message"),
    [
        pytest.param(
            "pkg.my-colors", "'my-colors' has a hyphen; a module name cannot (use 'my_colors')", id="hyphen"
        ),
        pytest.param("pkg.class", "'class' is a Python keyword", id="keyword"),
        pytest.param("pkg.2colors", "'2colors' starts with a digit", id="digit"),
        pytest.param("pkg.__colors__", "'__colors__' is a dunder name", id="dunder"),
    ],
)
def test_bad_module_names_exit_2(
    package_repo: Path, module: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(package_repo)
    result = run(capsys, "module", module, *COLORS)
    assert result.returncode == 2
    assert result.stderr.startswith(f"hookwright: error: module {module!r}: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert tree(package_repo) == before


def test_variables_neither_pack_declares_are_refused(
    package_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "module", "pkg.colors", *COLORS, "--var", "colour=red")
    assert result.returncode == 2
    assert "variable colour: declared by neither lookup nor test" in result.stderr


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param('__all__ = ["a"]\n', 'from .new import f\n__all__ = ["a", "f"]\n', id="list"),
        pytest.param("from .a import a\n__all__ = ('a',)\n", "from .a import a\nfrom .new import f\n__all__ = (\"a\", \"f\")\n", id="tuple"),
        pytest.param('"""Doc."""\n\n__all__ = [\n    "a",\n]\n', '"""Doc."""\n\nfrom .new import f\n__all__ = [\n    "a",\n    "f",\n]\n', id="multi-line"),
        pytest.param('__all__ = ["f"]\n', '__all__ = ["f"]\n', id="already-there"),
        pytest.param("X = 1\n", None, id="no-all"),
        pytest.param("__all__ = [n for n in dir()]\n", None, id="computed-all"),
    ],
)  # fmt: skip
def test_add_exports(source: str, expected: str | None) -> None:
    assert add_exports(source, "new", ["f"]) == expected
