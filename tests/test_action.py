"""The GitHub Action end to end with a real runner (act), real webhook payloads, and the linters GitHub's
own tooling uses (check-jsonschema's vendored schemas, actionlint, zizmor)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, git, write
from test_github import need, pull_request_payload, push_payload, rev, validate_sarif, webhook_examples

__all__ = ["webhook_examples"]  # a session fixture, shared with test_github

# act skips a checkout of the repository under test and copies the work tree instead: offline.
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
WORKFLOW = f"""\
name: hookwright
on:
  pull_request:
  push:
permissions: {{}}
jobs:
  verify:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - id: hw
        uses: ./ # zizmor: ignore[self-repository] the action under test
        with:
          skip: tests
          sarif: ${{{{ vars.HW_SARIF }}}}
"""
PACKAGE = (
    "setup.cfg", "pyproject.toml", "README.md", "LICENSE", "action.yml", "action-requirements.txt", "lib", "hooks", "schemas",
)  # fmt: skip
ACT_TIMEOUT = 180
SETUP_PYTHON_STUB = """\
name: setup-python stand-in
description: fails if it ever runs
inputs:
  python-version: {description: version}
  update-environment: {description: update PATH}
outputs:
  python-path: {description: python, value: ""}
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "the action ran setup-python without python-version" >&2; exit 1
"""


@dataclass
class ActRun:
    returncode: int
    job: str | None = None
    annotations: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    log: list[str] = field(default_factory=list)
    stderr: str = ""

    def annotated(self, level: str) -> list[tuple[str, str, str]]:
        return [
            (kv.get("file", ""), kv.get("line", ""), kv.get("title", ""))
            for lv, kv, _ in self.annotations
            if lv == level
        ]


def parse_act_log(stdout: str) -> ActRun:
    """act --json: one object per line; commands carry the step they came from."""
    run = ActRun(0)
    for line in stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        command, step = record.get("command"), record.get("stepID") or []
        if command in ("error", "warning", "notice"):
            run.annotations.append((command, record.get("kvPairs") or {}, record.get("arg", "")))
        elif command == "set-output" and step == ["hw"]:  # the action's own outputs
            run.outputs[record["name"]] = record["arg"]
        elif command == "summary" and len(step) == 2:  # the inner step's (the outer one repeats it)
            run.summary += record["content"]
        elif record.get("raw_output"):
            run.log.append(record.get("msg", "").rstrip("\n"))
        if "jobResult" in record:
            run.job = record["jobResult"]
    return run


@pytest.fixture(scope="session")
def act(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """act, with a stand-in for actions/setup-python: the action skips it unless python-version is
    given, but act still resolves every action of a composite for its post phase, from github.com."""
    pinned = re.search(r"uses: (actions/setup-python@[0-9a-f]{40})", (ROOT / "action.yml").read_text())
    assert pinned, "action.yml pins actions/setup-python by commit"
    stub = tmp_path_factory.mktemp("setup-python-stub")
    write(stub / "action.yml", SETUP_PYTHON_STUB)
    return [need("act"), "--local-repository", f"{pinned.group(1)}={stub}"]


@pytest.fixture(scope="session")
def prepared_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """HOOKWRIGHT_VENV for the action: sees this environment's packages, so it installs offline."""
    missing = [m for m in ("pip", "setuptools", "wheel") if not _importable(m)]
    if missing:
        pytest.fail(f"the test environment needs {', '.join(missing)} to build hookwright without isolation")
    venv = tmp_path_factory.mktemp("action-venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = Path(
        subprocess.check_output(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # After the venv's own site-packages: its hookwright (installed by the action) wins over ours.
    (purelib / "test-environment.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    return venv


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def make_repository(root: Path) -> Path:
    """A repository holding hookwright (the action installs from its own checkout) and a small app."""
    repo = root / "repo"
    repo.mkdir()
    for name in PACKAGE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, repo / name)
        else:
            write(repo / name, "hookwright\n")  # README.md before the lead merges it
    write(repo / ".github" / "workflows" / "hookwright.yml", WORKFLOW)
    # The app has its own ruff settings, so hookwright's (in pyproject.toml) do not apply to it.
    write(repo / "app" / "ruff.toml", '[lint]\nselect = ["E", "F"]\n')
    write(repo / "app" / "legacy.py", "import os\n")  # a problem nobody touches in the pull request
    write(repo / "app" / "core.py", "def add(a, b):\n    return a + b\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "remote", "add", "origin", "https://github.com/acme/widget")  # never contacted
    return repo


def commit_change(repo: Path, files: Mapping[str, str], branch: str = "feature") -> None:
    git(repo, "checkout", "-q", "-B", branch)
    for name, text in files.items():
        write(repo / name, text)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "change")


def run_act(
    act: list[str],
    venv: Path,
    repo: Path,
    event: str,
    payload: Mapping[str, Any],
    extra: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> ActRun:
    work = repo.parent
    home = work / "act-home"  # no spaces: act does not quote its script paths
    event_path = work / "event.json"
    event_path.write_text(json.dumps(payload))
    child_env = {
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "ACT_DISABLE_VERSION_CHECK": "1",
        "HOOKWRIGHT_VENV": str(venv),
        "GIT_CONFIG_NOSYSTEM": "1",
        "LANG": "C.UTF-8",
        "NO_COLOR": "1",
        **(env or {}),
    }
    argv = [
        *act, event, "-e", str(event_path), "-W", ".github/workflows/hookwright.yml",
        "-P", "ubuntu-latest=-self-hosted", "--no-cache-server", "--json",
        "--env-file", "/dev/null", "--secret-file", "/dev/null", "--var-file", "/dev/null",
        "--input-file", "/dev/null", *extra,
    ]  # fmt: skip
    done = subprocess.run(
        argv,
        cwd=repo,
        env=child_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=ACT_TIMEOUT,
        check=False,
    )
    run = parse_act_log(done.stdout)
    run.returncode, run.stderr = done.returncode, done.stderr
    return run


def added_lines(repo: Path, base: str, head: str) -> set[tuple[str, str]]:
    """(path, line) of every line the change adds, from git itself."""
    added: set[tuple[str, str]] = set()
    path = ""
    for line in git(repo, "diff", "-U0", "--no-color", f"{base}...{head}").splitlines():
        if line.startswith("+++ "):
            path = line[6:]
        elif line.startswith("@@"):
            start, _, count = line.split("+", 1)[1].split(" ", 1)[0].partition(",")
            for n in range(int(start), int(start) + int(count or 1)):
                added.add((path, str(n)))
    return added


def test_passing_pull_request(
    act: list[str], prepared_venv: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    repo = make_repository(tmp_path)
    commit_change(repo, {"app/extra.py": "def sub(a, b):\n    return a - b\n"})
    base, head = rev(repo, "main"), rev(repo, "feature")
    run = run_act(
        act, prepared_venv, repo, "pull_request", pull_request_payload(webhook_examples, "opened", base, head)
    )
    assert run.returncode == 0, run.stderr + "\n".join(run.log)
    assert run.job == "success"
    assert run.outputs["status"] == "passed" and run.outputs["failed-checks"] == ""
    assert (run.outputs["base"], run.outputs["head"]) == (base, head)
    assert run.outputs["record"].endswith(".json")
    assert not [a for a in run.annotations if a[0] in ("error", "warning")]
    assert "## ✅ hookwright verify_commit: passed" in run.summary
    assert "Verified 1 changed file between" in run.summary


def test_failing_pull_request(
    act: list[str], prepared_venv: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    repo = make_repository(tmp_path)
    commit_change(
        repo,
        {
            "app/bad.py": "X = 1\n\n\ndef broken(:\n    pass\n",
            "app/core.py": "def add(a, b):\n    return a + b\n\n\n# TODO: subtract too\n",
        },
    )
    base, head = rev(repo, "main"), rev(repo, "feature")
    sarif = tmp_path / "hookwright.sarif"
    payload = pull_request_payload(webhook_examples, "synchronize", base, head)
    run = run_act(act, prepared_venv, repo, "pull_request", payload, ["--var", f"HW_SARIF={sarif}"])
    assert run.returncode == 1 and run.job == "failure"
    assert run.annotated("error") == [("app/bad.py", "4", "SyntaxError (syntax)")]
    assert run.annotated("warning") == [("app/core.py", "5", "TODO (todo)")]
    # Findings only on what the pull request changed, on the lines it added.
    changed = added_lines(repo, base, head)
    assert {(kv["file"], kv["line"]) for _, kv, _ in run.annotations if "file" in kv} <= changed
    assert "legacy.py" not in run.summary
    assert run.outputs["status"] == "failed" and run.outputs["failed-checks"] == "syntax"
    assert "## ❌ hookwright verify_commit: failed" in run.summary
    assert f"[`app/bad.py:4:12`](https://github.com/acme/widget/blob/{head}/app/bad.py#L4)" in run.summary
    validate_sarif(json.loads(sarif.read_text()))


def test_push(
    act: list[str], prepared_venv: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    repo = make_repository(tmp_path)
    commit_change(repo, {"app/extra.py": "VALUE = 1\n"}, branch="main")
    before, after = rev(repo, "main~1"), rev(repo, "main")
    run = run_act(act, prepared_venv, repo, "push", push_payload(webhook_examples, before, after))
    assert run.returncode == 0, run.stderr + "\n".join(run.log)
    assert (run.outputs["base"], run.outputs["head"], run.outputs["status"]) == (before, after, "passed")
    assert "## ✅ hookwright verify_commit: passed" in run.summary


def test_nothing_from_the_pull_request_reaches_a_shell(
    act: list[str], prepared_venv: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    canary = tmp_path / "canary"
    canary.mkdir()
    pwned = tmp_path / "pwned"
    hostile = [
        "$(touch pwned)",
        "$(touch $HW_PWNED)",
        "`touch $HW_PWNED`",
        '"; touch $HW_PWNED; rm -rf $HW_CANARY; "',
    ]
    repo = make_repository(tmp_path)
    files = {f"app/{text}.py": "def f(:\n" for text in hostile}
    files["app/${{ github.token }}.py"] = "X = 1\n"
    commit_change(repo, files)
    base, head = rev(repo, "main"), rev(repo, "feature")
    payload = pull_request_payload(
        webhook_examples, "opened", base, head, head_ref=hostile[2], title=" ".join(hostile)
    )
    payload["pull_request"]["body"] = hostile[3]
    run = run_act(
        act,
        prepared_venv,
        repo,
        "pull_request",
        payload,
        env={"HW_PWNED": str(pwned), "HW_CANARY": str(canary)},
    )
    assert not pwned.exists() and canary.is_dir()
    assert not list(tmp_path.rglob("pwned"))
    assert run.returncode == 1 and run.outputs["status"] == "failed"  # and it still reports
    assert sorted(file for file, _, _ in run.annotated("error")) == sorted(
        f"app/{text}.py" for text in hostile
    )
    for text in hostile:
        assert github_code(f"app/{text}.py:1:7") in run.summary


TARGET_WORKFLOW = f"""\
name: hookwright
on:
  pull_request_target:
permissions: {{}}
jobs:
  verify:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - id: hw
        uses: ./
        with:
          args: --only tests
"""
PR_CODE = "import pathlib\n\npathlib.Path({marker!r}).write_text('the pull request ran')\n"


def test_pull_request_target_args_cannot_run_the_pull_requests_code(
    act: list[str], prepared_venv: Path, tmp_path: Path, webhook_examples: list[dict[str, Any]]
) -> None:
    marker = tmp_path / "pr-code-ran"
    repo = make_repository(tmp_path)
    write(repo / ".github" / "workflows" / "hookwright.yml", TARGET_WORKFLOW)
    git(repo, "commit", "-qam", "a pull_request_target workflow passing --only tests")
    code = PR_CODE.format(marker=str(marker))
    commit_change(repo, {"conftest.py": code, "tests/test_pr.py": code, "app/extra.py": "X = 1\n"})
    git(repo, "checkout", "-q", "main")  # the base, as actions/checkout does under pull_request_target
    base, head = rev(repo, "main"), rev(repo, "feature")
    payload = pull_request_payload(webhook_examples, "opened", base, head)
    run = run_act(act, prepared_venv, repo, "pull_request_target", payload)
    assert not marker.exists(), "the pull request's code ran with the base repository's token in reach"
    assert run.outputs.get("status") == "error", run.stderr + "\n".join(run.log)
    assert any("would run the code under review" in message for _, _, message in run.annotations)


def github_code(text: str) -> str:
    from hookwright.renderers import code_span

    return code_span(text)


# -- linting the action and the workflows as GitHub's tooling would ---------------------------------------


@pytest.fixture(scope="module")
def workflows(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    tree = tmp_path_factory.mktemp("lint")
    shutil.copy2(ROOT / "action.yml", tree / "action.yml")
    write(tree / ".github" / "workflows" / "test.yml", WORKFLOW)
    shutil.copytree(ROOT / ".github" / "workflows", tree / ".github" / "workflows", dirs_exist_ok=True)
    return sorted((tree / ".github" / "workflows").glob("*.yml"))


def _tool(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_action_matches_the_github_action_schema() -> None:
    done = _tool(
        need("check-jsonschema"), "--builtin-schema", "vendor.github-actions", "action.yml", cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_match_the_github_workflow_schema(workflows: list[Path]) -> None:
    done = _tool(
        need("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, workflows),
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pass_actionlint(workflows: list[Path]) -> None:
    # Run from the tree that holds action.yml: actionlint checks `uses: ./` inputs against it.
    tree = workflows[0].parent.parent.parent
    done = _tool(need("actionlint"), "-no-color", *(str(w.relative_to(tree)) for w in workflows), cwd=tree)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing(workflows: list[Path]) -> None:
    tree = workflows[0].parent.parent.parent
    done = _tool(need("zizmor"), "--offline", "--no-progress", "action.yml", *map(str, workflows), cwd=tree)
    assert done.returncode == 0, done.stdout + done.stderr
