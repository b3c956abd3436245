"""The no-op start: what `hookwright verify` imports and leaves behind when there is nothing to check.

No timings: the modules a run imports and the files it leaves are what decide its start-up cost.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, write

from hookwright.frozen import Frozen, Ordered, replace
from hookwright.reporting import Finding, StepResult

NOTHING_TO_CHECK = "checks:\n" + "".join(
    f"  {name}: {{enabled: false}}\n" for name in ("syntax", "lint", "tests", "git_state", "todo")
)
# A no-op run in a child, then the names of the modules it had imported (after the run's own output).
IMPORTED_AFTER_A_RUN = """\
import sys
from hookwright.commands.table import main
try:
    main(["verify"])
finally:
    import json
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def _imported_by_a_no_op(repo: Path, checks: int = 0) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED_AFTER_A_RUN], cwd=repo, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"passed ({checks} checks" in done.stdout
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def test_a_run_with_nothing_to_check_imports_none_of_the_heavy_standard_modules(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", NOTHING_TO_CHECK)
    git(committed_repo, "add", ".hookwright.yaml")
    _imported_by_a_no_op(committed_repo)  # the first run parses the config (YAML, schema) and keeps it
    imported = _imported_by_a_no_op(committed_repo)
    # dataclasses brings inspect, ast, dis, tokenize; tempfile brings random and shutil (bz2, lzma).
    assert imported & {"dataclasses", "inspect", "tempfile", "shutil", "typing"} == set()
    assert {"hookwright.reporting", "hookwright.records", "hookwright.config"} <= imported


SYNTAX_LINT_TESTS = (
    "checks:\n  syntax: {languages: [python, yaml, toml], conflict_markers: true}\n  lint: {}\n  tests: {}\n"
    "  git_state: {enabled: false}\n  todo: {enabled: false}\n"
)


def test_a_commit_that_runs_its_tests_imports_none_of_the_heavy_standard_modules(
    committed_repo: Path,
) -> None:
    """The commit people make all day (a body edit their tests import) loads no module it does not use.

    Each costs its import on every commit (dataclasses: inspect, ast, dis, tokenize and ~0.5 ms per
    class; tempfile: random and shutil; shutil: bz2 and lzma; traceback: linecache and tokenize;
    tomllib ~5-8 ms; the go and jest report parsers and the log reader ~5 ms).
    (``typing`` stays: identify and tomllib import it.)
    """
    write(committed_repo / ".hookwright.yaml", SYNTAX_LINT_TESTS)
    # lint and tests read it on every run (pytest's and ruff's settings, package-dir, entry points):
    # parsed on the first run, its document remembered by its bytes (toml_memory)
    pyproject = '[project]\nname = "pkg"\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n[tool.ruff]\n'
    write(committed_repo / "pyproject.toml", pyproject)
    write(
        committed_repo / "tests" / "test_mod.py",
        "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    )
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests")
    _imported_by_a_no_op(committed_repo, checks=1)  # the tests alone: fills the caches, as commits do
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    total = a + b\n    return total\n")
    git(committed_repo, "add", "pkg/mod.py")
    imported = _imported_by_a_no_op(committed_repo, checks=3)
    heavy = {"dataclasses", "inspect", "tempfile", "shutil", "traceback", "tokenize"}
    # tomllib: the unchanged pyproject.toml's document is remembered by its bytes (toml_memory);
    # the go, jest and saved-log parsers: a pytest run's report is JUnit XML.
    heavy |= {"tomllib", "hookwright.testing.go_reports", "hookwright.testing.jest_reports"}
    heavy |= {"hookwright.testing.logs"}
    assert imported & heavy == set()
    assert {
        "hookwright.checks.pytest_check",
        "hookwright.testing.impact",
    } <= imported  # the tests were planned


def test_the_frozen_copy_of_the_index_leaves_nothing_behind(committed_repo: Path) -> None:
    from hookwright.git.repo import Repo

    repo = Repo.discover(committed_repo)
    with repo.frozen_index() as index, repo.frozen_index() as other:
        assert index is not None and other is not None and index != other
        assert index.parent == repo.state_dir / "scratch"
        assert index.read_bytes() == (committed_repo / ".git" / "index").read_bytes()
        # git takes index.lock beside the copy to refresh it, and a killed git leaves it there.
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        subprocess.run(["git", "update-index", "--refresh"], cwd=committed_repo, env=env, check=True)
        # write-tree refreshes its copy's cache-tree: through index.lock, renamed over the copy.
        assert repo.write_tree(index) == git(committed_repo, "write-tree").strip()
        write(index.with_name(index.name + ".lock"), "left by git")
    assert list((repo.state_dir / "scratch").iterdir()) == []


def test_the_scratch_file_goes_to_the_temp_directory_where_its_folder_is_not_ours(tmp_path: Path) -> None:
    from hookwright.git.scratch import scratch_file

    not_a_folder = write(tmp_path / "state", "a file where the state directory would be")
    shared = tmp_path / "shared"
    (shared / "scratch").mkdir(parents=True, mode=0o777)
    (shared / "scratch").chmod(0o777)  # others could swap the copy between two reads
    for state_dir in (not_a_folder, shared):
        with scratch_file(state_dir, "index") as path:
            assert not path.is_relative_to(state_dir) and path.parent.is_dir()
            write(path, "copy")
        assert not path.parent.exists()


@dataclasses.dataclass(frozen=True, order=True)
class Twin:
    """What Finding was: a frozen, ordered dataclass with the same fields."""

    path: str | None
    line: int | None
    column: int | None
    code: str
    message: str
    severity: str = "error"
    step: str = ""


FINDINGS = [
    ("b.py", 3, 0, "E1", "m"),
    ("a.py", 3, 1, "E1", "m"),
    ("a.py", 3, 1, "E1", "m", "warning"),
    ("a.py", 2, 9, "E2", "n", "error", "lint"),
    ("a.py", 3, 1, "E1", "m"),
]


def test_a_frozen_class_behaves_as_the_frozen_dataclass_it_replaces() -> None:
    ours, twins = [Finding(*f) for f in FINDINGS], [Twin(*f) for f in FINDINGS]
    assert [repr(f).removeprefix("Finding") for f in ours] == [repr(t).removeprefix("Twin") for t in twins]
    # Sorted by the fields in order, stable for equal ones: the same permutation as the dataclass.
    assert [ours.index(f) for f in sorted(ours)] == [twins.index(t) for t in sorted(twins)]
    assert [o is f for o, f in zip(sorted(ours), sorted(ours, key=lambda f: f._values()), strict=True)] == [
        True
    ] * 5
    with pytest.raises(TypeError):
        sorted([*twins, Twin("a.py", None, None, "E1", "m")])  # None against an int, in both
    with pytest.raises(TypeError):
        sorted([*ours, Finding("a.py", None, None, "E1", "m")])
    assert ours[1] == ours[4] and hash(ours[1]) == hash(ours[4]) and ours[1] is not ours[4]
    assert ours[1] != ours[2] and ours[1] != twins[1]
    assert len(set(ours)) == len(set(twins)) == 4


def test_a_frozen_class_cannot_be_changed_and_copies_through_its_constructor() -> None:
    step = StepResult("lint", "failed", findings=(Finding("a.py", 1, 2, "E1", "m"),))
    with pytest.raises(AttributeError, match="frozen"):
        step.status = "passed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        del step.status  # type: ignore[misc]
    with pytest.raises(AttributeError):
        step.other = 1  # type: ignore[attr-defined]
    for again in (copy.copy(step), copy.deepcopy(step), pickle.loads(pickle.dumps(step))):
        assert again == step and again is not step
    changed = replace(step, status="passed")
    assert (changed.status, changed.findings, step.status) == ("passed", step.findings, "failed")
    with pytest.raises(TypeError, match="no field 'state'"):
        replace(step, state="passed")
    assert replace(Twin(*FINDINGS[0]), step="x") == Twin(*FINDINGS[0], "error", "x")  # a dataclass too


def test_the_light_dataclass_builds_what_the_standard_one_does_and_refuses_what_it_cannot() -> None:
    from hookwright.frozen import dataclass, field

    @dataclass(frozen=True)
    class Light:
        name: str
        tags: list[str] = field(default_factory=list)
        size: int = 0

    @dataclasses.dataclass(frozen=True)
    class Standard:
        name: str
        tags: list[str] = dataclasses.field(default_factory=list)
        size: int = 0

    light, standard = Light("a", size=2), Standard("a", size=2)
    assert repr(light).removeprefix(
        "test_the_light_dataclass_builds_what_the_standard_one_does_and_refuses_what_it_cannot.<locals>.Light"
    ) == repr(standard).removeprefix(
        "test_the_light_dataclass_builds_what_the_standard_one_does_and_refuses_what_it_cannot.<locals>.Standard"
    )
    assert light == Light("a", [], 2) and light != Light("b") and Light("a").tags is not Light("a").tags
    assert not hasattr(Light, "tags") and Light.size == 0  # as dataclasses leave the class
    with pytest.raises(AttributeError):
        light.size = 3  # type: ignore[misc]
    assert replace(light, size=5) == Light("a", [], 5)
    for body in ("x: 'ClassVar[int]' = 1", "def __post_init__(self): pass", "a: int = 1\n    b: int"):
        namespace: dict[str, object] = {}
        exec(f"class Refused:\n    {body}\n", namespace)
        with pytest.raises(TypeError):
            dataclass(namespace["Refused"])  # type: ignore[arg-type]


def test_equality_needs_the_same_class() -> None:
    class Pair(Frozen):
        _fields = ("a", "b")
        __slots__ = _fields

        def __init__(self, a: int, b: int) -> None:
            self._fill(a, b)

    class Other(Ordered):
        _fields = ("a", "b")
        __slots__ = _fields

        def __init__(self, a: int, b: int) -> None:
            self._fill(a, b)

    assert Pair(1, 2) == Pair(1, 2) and Pair(1, 2) != Pair(2, 1)
    assert Pair(1, 2) != Other(1, 2) and Pair(1, 2) != (1, 2)
    assert Other(1, 2) < Other(1, 3) <= Other(1, 3) and Other(2, 0) > Other(1, 9) >= Other(1, 9)
    with pytest.raises(TypeError):
        _ = Other(1, 2) < Pair(1, 2)  # type: ignore[operator]


def test_records_beyond_keep_are_pruned_oldest_first_with_their_yaml_twins(tmp_path: Path) -> None:
    from hookwright import records

    folder = tmp_path / "records"
    written = [
        records.write(folder, {"record_id": f"2026120{day}T000000Z-verify_commit-00000{day}"}, yaml_copy=True)
        for day in (3, 1, 4, 2)  # written out of order: the names' order (their time) decides
    ]
    write(folder / ".20261200.json.hw-0a0b.tmp", "a writer's temporary: not a record")
    records.write(folder, {"record_id": "20261205T000000Z-verify_commit-000005"}, keep=3)
    assert sorted(p.name for p in folder.iterdir()) == [
        ".20261200.json.hw-0a0b.tmp",
        "20261203T000000Z-verify_commit-000003.json",
        "20261203T000000Z-verify_commit-000003.yaml",
        "20261204T000000Z-verify_commit-000004.json",
        "20261204T000000Z-verify_commit-000004.yaml",
        "20261205T000000Z-verify_commit-000005.json",
    ]
    assert all(p is not None and p.parent == folder for p in written)
