from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import ROOT, git, hookwright, write

PASSING_TEST = "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
FAILING_TEST = "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 4\n"


def verify(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return hookwright("verify", *args, cwd=repo)


def snapshot(repo: Path) -> tuple[bytes, dict[str, bytes]]:
    files = {
        str(p.relative_to(repo)): p.read_bytes()
        for p in repo.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(repo).parts
    }
    return (repo / ".git" / "index").read_bytes(), files


def last_record(repo: Path) -> dict:
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    return json.loads(records[-1].read_text())


def steps(record: dict) -> dict[str, dict]:
    return {step["name"]: step for step in record["steps"]}


@pytest.fixture
def python_project(committed_repo: Path) -> Path:
    write(committed_repo / "tests" / "test_mod.py", PASSING_TEST)
    write(committed_repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "tests")
    return committed_repo


def test_a_clean_commit_passes_with_one_quiet_line(python_project: Path) -> None:
    write(python_project / "pkg" / "extra.py", "def sub(a, b):\n    return a - b\n")
    git(python_project, "add", "pkg/extra.py")
    result = verify(python_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("\n") == 1
    assert "passed" in result.stdout
    record = last_record(python_project)
    assert record["outcome"] == "passed"
    assert steps(record)["tests"]["status"] == "passed"
    assert record["target"]["files"] == ["pkg/extra.py"]
    assert not list(python_project.rglob("__pycache__")), "bytecode goes under .git/hookwright, not the tree"
    assert list((python_project / ".git" / "hookwright" / "pycache").rglob("*.pyc"))


def test_a_broken_staged_file_fails_with_its_exact_position(python_project: Path) -> None:
    write(python_project / "pkg" / "broken.py", "def f(:\n    pass\n")
    git(python_project, "add", ".")
    result = verify(python_project)
    assert result.returncode == 1
    assert "pkg/broken.py:1:7: SyntaxError" in result.stdout
    assert "syntax" in last_record(python_project)["decision"]["failed_steps"]


def test_unstaged_edits_never_change_the_verdict_nor_the_files(python_project: Path) -> None:
    # Staged: a good change. Unstaged on top: a syntax error and a failing test. Untracked: junk.
    write(python_project / "pkg" / "mod.py", "def add(a, b):\n    return b + a\n")
    git(python_project, "add", "pkg/mod.py")
    write(python_project / "pkg" / "mod.py", "def add(a, b:\n")
    write(python_project / "tests" / "test_mod.py", FAILING_TEST)
    write(python_project / "tests" / "test_untracked.py", "def test_x():\n    assert False\n")
    before = snapshot(python_project)
    result = verify(python_project)
    assert result.returncode == 0, result.stdout
    assert snapshot(python_project) == before
    assert last_record(python_project)["target"]["shadow"] is True

    # The other way round: the staged content is broken, the working tree is fixed.
    write(python_project / "pkg" / "mod.py", "def add(a, b:\n")
    git(python_project, "add", "pkg/mod.py")
    write(python_project / "pkg" / "mod.py", "def add(a, b):\n    return a + b\n")
    before = snapshot(python_project)
    result = verify(python_project)
    assert result.returncode == 1
    assert "pkg/mod.py:1:" in result.stdout
    assert snapshot(python_project) == before


def test_failing_test_is_reported_at_its_line(python_project: Path) -> None:
    write(python_project / "tests" / "test_mod.py", FAILING_TEST)
    git(python_project, "add", ".")
    result = verify(python_project)
    assert result.returncode == 1
    assert "tests/test_mod.py:5: test-failure" in result.stdout


def test_the_cache_replays_passes_and_never_hides_a_failure(python_project: Path) -> None:
    write(python_project / "pkg" / "extra.py", "X = 1\n")
    git(python_project, "add", ".")
    assert verify(python_project).returncode == 0
    first = steps(last_record(python_project))
    assert verify(python_project).returncode == 0
    second = last_record(python_project)
    assert all(s["cached"] for s in second["steps"] if s["name"] in ("syntax", "lint", "tests"))
    assert second["cache"]["hits"] >= 3
    assert not first["tests"]["cached"]

    # A README change touches nothing the tests read: still a lookup.
    write(python_project / "README.md", "# docs only\n")
    git(python_project, "add", "README.md")
    verify(python_project)
    assert steps(last_record(python_project))["tests"]["cached"]

    write(python_project / "tests" / "test_mod.py", FAILING_TEST)
    git(python_project, "add", ".")
    assert verify(python_project).returncode == 1
    assert verify(python_project).returncode == 1, "a failure is never served from the cache as a pass"
    assert steps(last_record(python_project))["tests"]["cached"] is False

    assert verify(python_project, "--no-cache").returncode == 1
    assert last_record(python_project)["cache"]["enabled"] is False


def test_all_files_and_explicit_filenames(python_project: Path) -> None:
    write(python_project / "old_broken.json", "{")
    git(python_project, "add", ".")
    git(python_project, "commit", "-qm", "broken json", "--no-verify")
    assert verify(python_project).returncode == 0  # nothing staged: nothing to blame
    result = verify(python_project, "--all-files", "--skip", "tests")
    assert result.returncode == 1
    assert "old_broken.json:1:2: json" in result.stdout
    assert verify(python_project, "pkg/mod.py", "--skip", "tests").returncode == 0
    assert verify(python_project, "old_broken.json", "--skip", "tests").returncode == 1


def test_commit_range_from_refs_and_pre_commit_environment(python_project: Path) -> None:
    base = git(python_project, "rev-parse", "HEAD").strip()
    write(python_project / "pkg" / "bad.yaml", "a: [\n")
    git(python_project, "add", ".")
    git(python_project, "commit", "-qm", "bad yaml")
    result = verify(python_project, "--from-ref", base, "--to-ref", "HEAD", "--skip", "tests")
    assert result.returncode == 1
    assert "pkg/bad.yaml" in result.stdout
    record = last_record(python_project)
    assert record["target"]["mode"] == "range"
    assert record["target"]["files"] == ["pkg/bad.yaml"]
    env = {**os.environ, "PRE_COMMIT_FROM_REF": base, "PRE_COMMIT_TO_REF": "HEAD"}
    via_env = hookwright("verify", "--skip", "tests", cwd=python_project, env=env)
    assert via_env.returncode == 1
    assert last_record(python_project)["target"]["mode"] == "range"


@pytest.mark.parametrize("fmt", ["json", "yaml", "junit", "sarif", "markdown"])
def test_output_formats(python_project: Path, fmt: str, tmp_path: Path) -> None:
    write(python_project / "x.py", "import os\n")
    git(python_project, "add", ".")
    out = tmp_path / f"report.{fmt}"
    result = verify(python_project, "--format", fmt, "--output", str(out), "--skip", "tests")
    assert result.returncode == 1
    text = out.read_text()
    if fmt == "json":
        assert json.loads(text)["outcome"] == "failed"
    elif fmt == "yaml":
        import yaml

        assert yaml.safe_load(text)["outcome"] == "failed"
    elif fmt == "junit":
        from xml.etree import ElementTree

        suite = ElementTree.fromstring(text)
        assert suite.get("failures") == "1"
    elif fmt == "sarif":
        sarif = json.loads(text)
        assert sarif["version"] == "2.1.0"
        assert sarif["runs"][0]["results"][0]["ruleId"] == "lint/F401"
    else:
        assert "| lint |" in text and "F401" in text


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param("checks: [", ".hookwright.yaml:1:", id="malformed-yaml"),
        pytest.param(
            "checks:\n  lint:\n    selct: [F]\n",
            ".hookwright.yaml:3:5: /checks/lint/selct: unknown key",
            id="typo",
        ),
        pytest.param("checks:\n  nope: {}\n", "/checks/nope", id="unknown-check"),
        pytest.param("fail_on: [sometimes]\n", "/fail_on/0", id="bad-enum"),
        pytest.param("jobs: two\n", "/jobs: 'two' is not of type 'integer'", id="wrong-type"),
        pytest.param("checks:\n  todo:\n    allow: '('\n", "/checks/todo/allow", id="bad-regex"),
        pytest.param("a: 1\na: 2\n", "duplicate key 'a'", id="duplicate-key"),
        pytest.param("- a\n", "top level must be a mapping", id="a-list"),
        pytest.param(
            "commands:\n  - name: mine\n    argv: [hookwright-no-such-tool]\n",
            "executable 'hookwright-no-such-tool' not found",
            id="missing-command",
        ),
    ],
)
def test_bad_config_is_one_line_and_exit_2(committed_repo: Path, config: str, expected: str) -> None:
    write(committed_repo / ".hookwright.yaml", config)
    git(committed_repo, "add", ".hookwright.yaml")  # the configuration is read as it is staged
    before = snapshot(committed_repo)
    result = verify(committed_repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("hookwright: error: ")
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(committed_repo)[1] == before[1]


def test_pyproject_config_and_its_errors(committed_repo: Path) -> None:
    write(committed_repo / "pyproject.toml", "[tool.hookwright.checks.todo]\npolicy = 'fail'\n")
    write(committed_repo / "t.py", "x = 1  # TODO: later\n")
    git(committed_repo, "add", ".")
    result = verify(committed_repo, "--skip", "tests")
    assert result.returncode == 1
    assert "t.py:1:" in result.stdout
    write(committed_repo / "pyproject.toml", "[tool.hookwright.checks.todo]\npolicy = 'never'\n")
    git(committed_repo, "add", "pyproject.toml")
    bad = verify(committed_repo)
    assert bad.returncode == 2
    assert "pyproject.toml:2:1: /checks/todo/policy" in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--only", "nope"], id="unknown-only"),
        pytest.param(["--jobs", "0"], id="zero-jobs"),
        pytest.param(["--from-ref", "no-such-ref"], id="unknown-ref"),
        pytest.param(["--to-ref", "HEAD"], id="to-without-from"),
        pytest.param(["--commit"], id="commit-without-message"),
        pytest.param(["--format", "pdf"], id="unknown-format"),
        pytest.param(["--config", "missing.yaml"], id="missing-config"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(committed_repo: Path, args: list[str]) -> None:
    result = verify(committed_repo, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("hookwright: error: ")
    assert result.stderr.count("\n") == 1


def test_outside_a_repository(tmp_path: Path) -> None:
    result = verify(tmp_path)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"hookwright: error: not a git repository: {tmp_path} (run `git init` to create one)\n"
    )


def test_empty_repository_and_detached_head(in_git_dir: Path) -> None:
    assert verify(in_git_dir).returncode == 0
    write(in_git_dir / "a.py", "x = 1\n")
    git(in_git_dir, "add", "a.py")
    assert verify(in_git_dir).returncode == 0
    git(in_git_dir, "commit", "-qm", "a")
    git(in_git_dir, "checkout", "-q", "--detach")
    write(in_git_dir / "b.py", "y = (\n")
    git(in_git_dir, "add", "b.py")
    result = verify(in_git_dir)
    assert result.returncode == 1
    assert last_record(in_git_dir)["target"]["branch"] is None


@pytest.mark.parametrize("name", ["with space.py", "new\nline.py", "ünïcödé.py", "-rf.py", "tab\t.py"])
def test_awkward_file_names_are_checked(committed_repo: Path, name: str) -> None:
    write(committed_repo / name, "def f(:\n")
    git(committed_repo, "add", "--", name)
    result = verify(committed_repo)
    assert result.returncode == 1
    record = last_record(committed_repo)
    assert record["target"]["files"] == [name]
    assert any(f["path"] == name and f["code"] == "SyntaxError" for f in record["findings"])


def test_binary_and_non_utf8_files(committed_repo: Path) -> None:
    write(committed_repo / "blob.bin", bytes(range(256)) * 4)
    write(committed_repo / "latin1.py", "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1"))
    write(committed_repo / "bad.json", b'{"a": "\xff"}')
    write(committed_repo / "nocookie.py", b"x = '\xe9'\n")
    git(committed_repo, "add", ".")
    result = verify(committed_repo)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failures: dict[str, set[str]] = {}
    for finding in last_record(committed_repo)["findings"]:
        if finding["severity"] != "error":
            continue
        failures.setdefault(finding["path"], set()).add(f"{finding['step']}/{finding['code']}")
    assert failures["bad.json"] == {"syntax/not-utf8"}
    assert "syntax/SyntaxError" in failures["nocookie.py"]
    assert "latin1.py" not in failures and "blob.bin" not in failures


def test_custom_command_findings_and_exit_code(committed_repo: Path) -> None:
    script = committed_repo / "check_names.py"
    write(
        script,
        "import sys\nfor p in sys.argv[1:]:\n    print(f'{p}:1:2: error: bad name')\nsys.exit(1 if sys.argv[1:] else 0)\n",
    )
    write(
        committed_repo / ".hookwright.yaml",
        f"commands:\n  - name: names\n    argv: [{sys.executable}, check_names.py]\n    files: '\\.txt$'\n",
    )
    write(committed_repo / "notes.txt", "hello\n")
    git(committed_repo, "add", ".")
    result = verify(committed_repo, "--only", "names")
    assert result.returncode == 1
    assert "notes.txt:1:2: command bad name" in result.stdout


def test_todo_policy_and_allow_pattern(committed_repo: Path) -> None:
    write(
        committed_repo / ".hookwright.yaml",
        "checks:\n  todo:\n    policy: fail\n    allow: 'TODO\\(#\\d+\\)'\n",
    )
    write(
        committed_repo / "pkg" / "mod.py",
        "def add(a, b):\n    return a + b  # TODO(#12) ok\n# FIXME: not ok\n",
    )
    git(committed_repo, "add", ".")
    result = verify(committed_repo, "--only", "todo")
    assert result.returncode == 1
    assert "pkg/mod.py:3:3: FIXME" in result.stdout
    assert "TODO(#12)" not in result.stdout


def test_git_state_findings(committed_repo: Path) -> None:
    write(
        committed_repo / ".hookwright.yaml",
        "checks:\n  git_state:\n    max_file_kb: 1\n    protected_branches: [main]\n",
    )
    write(committed_repo / "big.dat", "x" * 4096)
    write(committed_repo / "Readme.md", "clash\n")
    (committed_repo / "dangling").symlink_to("nowhere")
    key = "PRIVATE " + "KEY-----"  # split, so that this file is not itself a committed key
    write(committed_repo / "id_rsa", f"-----BEGIN RSA {key}\nabc\n-----END RSA {key}\n")
    git(committed_repo, "add", ".")
    result = verify(committed_repo, "--only", "git_state")
    assert result.returncode == 1
    codes = {f["code"] for f in last_record(committed_repo)["findings"]}
    assert {"large-file", "protected-branch", "case-conflict", "broken-symlink", "private-key"} <= codes


def test_merge_conflict_state(in_merge_conflict: Path) -> None:
    result = verify(in_merge_conflict, "--only", "git_state,syntax")
    assert result.returncode == 1
    codes = {f["code"] for f in last_record(in_merge_conflict)["findings"]}
    assert "unmerged" in codes and "merge-in-progress" in codes


def test_coverage_thresholds_on_total_and_added_lines(python_project: Path) -> None:
    write(
        python_project / ".hookwright.yaml",
        "checks:\n  coverage:\n    enabled: true\n    min_total: 50\n    min_diff: 90\n",
    )
    write(
        python_project / "pkg" / "mod.py",
        "def add(a, b):\n    return a + b\n\n\ndef untested(x):\n    if x:\n        return 1\n    return 2\n",
    )
    git(python_project, "add", ".")
    result = verify(python_project)
    assert result.returncode == 1, result.stdout
    record = last_record(python_project)
    assert steps(record)["coverage"]["status"] == "failed"
    messages = [f["message"] for f in record["findings"] if f["step"] == "coverage"]
    assert any("added lines not covered: 6-8" in m for m in messages)
    assert any("coverage of added lines" in m for m in messages)


def test_commit_mode_commits_only_when_every_check_passes(python_project: Path) -> None:
    write(python_project / "pkg" / "bad.py", "x = (\n")
    git(python_project, "add", ".")
    head = git(python_project, "rev-parse", "HEAD")
    assert verify(python_project, "--commit", "-m", "nope").returncode == 1
    assert git(python_project, "rev-parse", "HEAD") == head
    write(python_project / "pkg" / "bad.py", "x = ()\n")
    git(python_project, "add", ".")
    assert verify(python_project, "--commit", "-m", "yes").returncode == 0
    assert git(python_project, "log", "-1", "--format=%s").strip() == "yes"


def test_records_list_show_and_note(python_project: Path) -> None:
    write(python_project / ".hookwright.yaml", "records:\n  git_notes: true\n  yaml: true\n")
    git(python_project, "add", ".")
    assert verify(python_project).returncode == 0
    record_id = last_record(python_project)["record_id"]
    listing = hookwright("records", "list", cwd=python_project)
    assert record_id in listing.stdout
    shown = hookwright("records", "show", record_id[:20], cwd=python_project)
    assert json.loads(shown.stdout)["record_id"] == record_id
    assert list((python_project / ".git" / "hookwright" / "records").glob("*.yaml"))
    git(python_project, "commit", "-qm", "config")
    noted = hookwright("records", "note", cwd=python_project)
    assert noted.returncode == 0, noted.stderr
    assert record_id in git(python_project, "notes", "--ref=hookwright", "show", "HEAD")


def test_records_note_says_when_notes_are_off(python_project: Path) -> None:
    write(python_project / "pkg" / "extra.py", "def sub(a, b):\n    return a - b\n")
    git(python_project, "add", ".")
    assert verify(python_project).returncode == 0
    git(python_project, "commit", "-qm", "verified")
    off = hookwright("records", "note", cwd=python_project)
    assert off.returncode == 0  # a post-commit hook: the commit is made already, nothing to block
    assert off.stderr.startswith("hookwright: records.git_notes is off in <default>: no note attached")
    assert "git_notes: true" in off.stderr and off.stderr.count("\n") == 1
    assert git(python_project, "notes", "--ref=hookwright", "list") == ""
    forced = hookwright("records", "note", "--force", cwd=python_project)
    assert forced.returncode == 0 and git(python_project, "notes", "--ref=hookwright", "list")


def test_ctrl_c_stops_every_check_and_leaves_nothing_behind(python_project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "started"
    write(
        python_project / "tests" / "test_slow.py",
        f"import pathlib, time\n\ndef test_slow():\n    pathlib.Path({str(marker)!r}).touch()\n    time.sleep(120)\n",
    )
    git(python_project, "add", ".")
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookwright", "verify"],
        cwd=python_project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the test suite never started"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    time.sleep(0.2)
    leftover = subprocess.run(
        ["pgrep", "-f", str(python_project)], capture_output=True, text=True, check=False
    )
    assert leftover.stdout.strip() == "", "a child process outlived Ctrl-C"
    assert not list(Path(tempfile.gettempdir()).glob("hookwright-*"))


@pytest.fixture(scope="module")
def hookwright_rev() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_pre_commit_try_repo(python_project: Path) -> None:
    write(python_project / "pkg" / "broken.py", "def f(:\n")
    git(python_project, "add", ".")
    result = subprocess.run(
        ["pre-commit", "try-repo", str(ROOT), "verify-commit", "--verbose"],
        cwd=python_project,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "pkg/broken.py:1:7: SyntaxError" in result.stdout


def test_pre_commit_blocks_a_broken_commit_and_keeps_unstaged_edits(
    python_project: Path, hookwright_rev: str
) -> None:
    write(
        python_project / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {ROOT}\n    rev: {hookwright_rev}\n    hooks:\n      - id: verify-commit\n",
    )
    git(python_project, "add", ".pre-commit-config.yaml")
    git(python_project, "commit", "-qm", "pre-commit config")
    install = subprocess.run(
        ["pre-commit", "install"], cwd=python_project, capture_output=True, text=True, check=False
    )
    assert install.returncode == 0, install.stderr

    staged = "def add(a, b):\n    return a + b +\n"
    unstaged = staged + "# an unstaged edit, byte for byte\r\n"
    write(python_project / "pkg" / "mod.py", staged)
    git(python_project, "add", "pkg/mod.py")
    write(python_project / "pkg" / "mod.py", unstaged)
    blocked = subprocess.run(
        ["git", "commit", "-m", "broken"], cwd=python_project, capture_output=True, text=True, check=False
    )
    assert blocked.returncode != 0, blocked.stdout
    assert "pkg/mod.py:2:" in blocked.stdout + blocked.stderr
    assert (python_project / "pkg" / "mod.py").read_bytes() == unstaged.encode()

    fixed = "def add(a, b):\n    return a + b + 0\n"
    write(python_project / "pkg" / "mod.py", fixed)
    git(python_project, "add", "pkg/mod.py")
    unstaged = fixed + "# still mine\n"
    write(python_project / "pkg" / "mod.py", unstaged)
    passed = subprocess.run(
        ["git", "commit", "-m", "fixed"], cwd=python_project, capture_output=True, text=True, check=False
    )
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert (python_project / "pkg" / "mod.py").read_bytes() == unstaged.encode()
    assert git(python_project, "show", "HEAD:pkg/mod.py") == fixed


def test_lint_counts_the_added_lines_unless_told_the_whole_file(committed_repo: Path) -> None:
    write(committed_repo / "legacy.py", "import os\n\n\ndef f():\n    return 1\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "legacy", "--no-verify")
    write(committed_repo / "legacy.py", "import os\n\n\ndef f():\n    return 2\n")
    git(committed_repo, "add", ".")
    assert verify(committed_repo, "--only", "lint").returncode == 0, "an old unused import is not this change"
    write(committed_repo / ".hookwright.yaml", "checks:\n  lint:\n    scope: file\n")
    git(committed_repo, "add", ".hookwright.yaml")
    result = verify(committed_repo, "--only", "lint")
    assert result.returncode == 1
    assert "legacy.py:1:8: F401" in result.stdout
    git(committed_repo, "rm", "-qf", ".hookwright.yaml")
    # A file pre-commit names without a staged change (`pre-commit run --all-files`) is read whole:
    # what was there at the base is reported, and blocks only with `baseline: none`.
    git(committed_repo, "commit", "-qm", "f", "--no-verify")
    named = verify(committed_repo, "--only", "lint", "legacy.py")
    assert named.returncode == 0
    assert "legacy.py:1:8: F401 `os` imported but unused (at the base too)" in named.stdout
    write(committed_repo / ".hookwright.yaml", "baseline: none\n")
    git(committed_repo, "add", ".hookwright.yaml")
    assert verify(committed_repo, "--only", "lint", "legacy.py").returncode == 1
