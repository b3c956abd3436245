from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import git, hookwright, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hookwright.hooks import worktree_lifecycle as lifecycle

OLD = "2001-01-01T00:00:00"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where verification worktrees go, so a test can see that none is left behind."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def _registered(repo: Path) -> list[str]:
    out = git(repo, "worktree", "list", "--porcelain", "-z")
    return [r.removeprefix("worktree ") for r in out.split("\0") if r.startswith("worktree ")]


def _records(repo: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((repo / ".git/hookwright/records").glob("*.json"))]


def _config(repo: Path, text: str) -> None:
    write(repo / ".hookwright.yaml", text)


def _slow_check(marker: Path) -> str:
    code = (
        "import os,pathlib,sys,time; pathlib.Path(sys.argv[1]).write_text(str(os.getpid())); time.sleep(60)"
    )
    argv = json.dumps([sys.executable, "-c", code, str(marker)])
    return (
        f"commands:\n  - {{name: slow, argv: {argv}, pass_filenames: false, always_run: true}}\n"
        "worktree:\n  checks: [slow]\n"
    )


# -- create -------------------------------------------------------------------------------------------


def test_create_a_path_with_spaces_and_unicode(committed_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "dir with space" / "ünïcødé"
    assert lifecycle.main(["create", "feature/ü", str(target), "--no-verify"]) == 0
    assert (target / "pkg" / "mod.py").is_file()
    assert git(target, "symbolic-ref", "--short", "HEAD").strip() == "feature/ü"
    (record,) = _records(committed_repo)
    assert record["operation"] == "create" and record["worktree"]["branch_created"] is True
    assert lifecycle.main(["remove", str(target)]) == 0
    assert not target.exists() and len(_registered(committed_repo)) == 1


def test_create_runs_setup_and_checks_then_keeps_it(committed_repo: Path, tmp_path: Path) -> None:
    _config(committed_repo, "worktree:\n  setup: [[git, config, --worktree, x.y, z]]\n  checks: [syntax]\n")
    git(committed_repo, "config", "extensions.worktreeConfig", "true")
    assert lifecycle.main(["create", "topic", str(tmp_path / "topic")]) == 0
    assert git(tmp_path / "topic", "config", "x.y").strip() == "z"
    record = _records(committed_repo)[-1]
    assert [s["name"] for s in record["steps"]] == [
        "validate",
        "add",
        "setup: git config --worktree x.y z",
        "syntax",
    ]
    assert record["worktree"]["verified"] is True


@pytest.mark.parametrize("failure", ["setup", "checks"])
def test_create_rolls_back_on_failure(committed_repo: Path, tmp_path: Path, failure: str) -> None:
    write(committed_repo / "broken.py", "def f(:\n")
    git(committed_repo, "add", "broken.py")
    git(committed_repo, "commit", "-q", "-m", "broken")
    setup = "[[git, no-such-command]]" if failure == "setup" else "[]"
    _config(committed_repo, f"worktree:\n  setup: {setup}\n  checks: [syntax]\n")
    result = hookwright("worktree", "create", "doomed", str(tmp_path / "a" / "doomed"), cwd=committed_repo)
    assert result.returncode == 1, result.stderr
    assert "rolled back" in result.stdout
    assert not (tmp_path / "a").exists()
    assert len(_registered(committed_repo)) == 1
    assert git(committed_repo, "branch", "--list", "doomed") == ""
    record = _records(committed_repo)[-1]
    assert record["outcome"] == "failed" and record["rolled_back"] is True


def test_create_checks_out_an_existing_branch(committed_repo: Path, tmp_path: Path) -> None:
    git(committed_repo, "branch", "existing")
    assert lifecycle.main(["create", "existing", str(tmp_path / "e"), "--no-verify"]) == 0
    assert git(tmp_path / "e", "symbolic-ref", "--short", "HEAD").strip() == "existing"


def test_dry_run_instance_changes_nothing(committed_repo: Path, tmp_path: Path) -> None:
    inputs = {"operation": "create", "branch": "dry", "path": "../dry"}
    report = lifecycle.run_instance(inputs, root=committed_repo, dry_run=True)
    assert report.outcome == "passed" and report.extra["worktree"]["path"] == str(tmp_path / "dry")
    assert not (tmp_path / "dry").exists() and len(_registered(committed_repo)) == 1
    assert not _records(committed_repo)


# -- bad input: one line, exit 2, nothing changed -----------------------------------------------------


def _snapshot(root: Path) -> tuple[object, ...]:
    files = sorted(str(p) for p in root.rglob("*") if ".git" not in p.parts and "home" not in p.parts)
    repos = sorted(p.parent for p in root.rglob("HEAD") if p.parent.name in (".git", "b.git"))
    state = [git(r, "for-each-ref") + git(r, "worktree", "list", "--porcelain") for r in repos]
    return files, state


def _submodule(repo: Path, tmp_path: Path) -> Path:
    sub = tmp_path / "subsrc"
    sub.mkdir()
    git(sub, "init", "-q")
    git(sub, "commit", "-q", "--allow-empty", "-m", "s")
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "sub")
    git(repo, "commit", "-q", "-m", "submodule")
    return repo / "sub"


BAD_INPUT = [
    ("invalid-branch", ["create", "bad..name", "{tmp}/x"], "invalid branch name"),
    ("path-exists", ["create", "fresh", "{tmp}/exists"], "already exists"),
    ("checked-out-elsewhere", ["create", "main", "{tmp}/x"], "already checked out"),
    ("unknown-base", ["create", "fresh", "{tmp}/x", "--base", "nope"], "does not exist"),
    ("bare-repository", ["list"], "bare repository"),
    ("locked-worktree", ["remove", "{tmp}/locked"], "is locked"),
    ("submodule", ["create", "fresh", "{tmp}/x"], "is a submodule"),
    ("not-a-worktree", ["remove", "{tmp}/exists"], "is not a worktree"),
    ("main-worktree", ["remove", "."], "main worktree"),
    ("from-ref-alone", ["verify", "--from-ref", "HEAD"], "--from-ref needs --ref"),
    ("unknown-check", ["verify", "--only", "nope"], "unknown check"),
    ("no-operation", [], "required"),
]


@pytest.mark.parametrize(("argv", "message"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input(committed_repo: Path, tmp_path: Path, argv: list[str], message: str) -> None:
    (tmp_path / "exists").mkdir()
    git(committed_repo, "worktree", "add", "-q", "--lock", "--detach", str(tmp_path / "locked"))
    cwd = committed_repo
    if "bare repository" in message:
        git(tmp_path, "init", "-q", "--bare", "b.git")
        cwd = tmp_path / "b.git"
    elif "submodule" in message:
        cwd = _submodule(committed_repo, tmp_path)
    before = _snapshot(tmp_path)
    result = hookwright("worktree", *(a.format(tmp=tmp_path) for a in argv), cwd=cwd)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hookwright: error:") and message in lines[0], lines
    assert _snapshot(tmp_path) == before


# -- verify in an isolated worktree -------------------------------------------------------------------


def test_verify_staged_ignores_unstaged_edits(committed_repo: Path, private_tmp: Path) -> None:
    write(committed_repo / "pkg" / "mod.py", "def add(:\n")
    git(committed_repo, "add", "pkg/mod.py")
    write(committed_repo / "pkg" / "mod.py", "def add(a, b):\n    return b + a\n")  # fixed, not staged
    _config(committed_repo, "worktree:\n  checks: [syntax]\n")
    result = hookwright(
        "worktree", "verify", cwd=committed_repo, env={**os.environ, "TMPDIR": str(private_tmp)}
    )
    assert result.returncode == 1 and "pkg/mod.py:1" in result.stdout
    git(committed_repo, "add", "pkg/mod.py")
    write(committed_repo / "pkg" / "mod.py", "def add(:\n")  # broken, not staged
    assert lifecycle.main(["verify", "--staged"]) == 0
    record = _records(committed_repo)[-1]
    assert record["target"]["mode"] == "staged" and record["target"]["files"] == 1
    assert [s["name"] for s in record["steps"]][-1] == "teardown"
    assert len(_registered(committed_repo)) == 1 and not list(private_tmp.iterdir())


def test_verify_a_ref_and_a_range(committed_repo: Path, private_tmp: Path) -> None:
    first = git(committed_repo, "rev-parse", "HEAD").strip()
    write(committed_repo / "bad.py", "def f(:\n")
    git(committed_repo, "add", "bad.py")
    git(committed_repo, "commit", "-q", "-m", "bad")
    _config(committed_repo, "worktree:\n  checks: [syntax]\n")
    assert lifecycle.main(["verify", "--ref", first]) == 0
    assert lifecycle.main(["verify", "--ref", "HEAD", "--from-ref", first]) == 1
    assert _records(committed_repo)[-1]["target"]["mode"] == "range"
    assert len(_registered(committed_repo)) == 1 and not list(private_tmp.iterdir())


def test_verify_timeout_tears_down(committed_repo: Path, private_tmp: Path, tmp_path: Path) -> None:
    _config(committed_repo, _slow_check(tmp_path / "started"))
    assert lifecycle.main(["verify", "--ref", "HEAD", "--timeout", "1"]) == 1
    record = _records(committed_repo)[-1]
    assert "timeout" in record["decision"]["failed_steps"]
    assert len(_registered(committed_repo)) == 1 and not list(private_tmp.iterdir())


def test_sigint_during_verify_leaves_no_worktree(
    committed_repo: Path, private_tmp: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    _config(committed_repo, _slow_check(marker))
    child = subprocess.Popen(
        [sys.executable, "-m", "hookwright", "worktree", "verify", "--ref", "HEAD"],
        cwd=committed_repo,
        env={**os.environ, "TMPDIR": str(private_tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    give_up = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()) and child.poll() is None:
        assert time.monotonic() < give_up, "the check never started"
        time.sleep(0.05)
    assert len(_registered(committed_repo)) == 2  # the verification worktree exists now
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert _registered(committed_repo) == [str(committed_repo)]
    assert not list(private_tmp.iterdir())
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)  # the check's process went with it
    assert _records(committed_repo)[-1]["outcome"] == "error"


# -- list, status, remove, prune ----------------------------------------------------------------------


def test_list_and_status_json(committed_repo: Path, tmp_path: Path) -> None:
    git(committed_repo, "worktree", "add", "-q", "-b", "ahead", str(tmp_path / "ahead"))
    git(tmp_path / "ahead", "branch", "-q", "--set-upstream-to=main")
    write(tmp_path / "ahead" / "n.txt", "n")
    git(tmp_path / "ahead", "add", "n.txt")
    git(tmp_path / "ahead", "commit", "-q", "-m", "n")
    write(tmp_path / "ahead" / "u.txt", "u")
    result = hookwright("worktree", "list", "--format", "json", cwd=committed_repo)
    assert result.returncode == 0, result.stderr
    rows = {Path(r["path"]).name: r for r in json.loads(result.stdout)["worktrees"]}
    assert rows["repo"]["main"] and rows["repo"]["clean"]
    ahead = rows["ahead"]
    assert (ahead["branch"], ahead["ahead"], ahead["behind"], ahead["merged"]) == ("ahead", 1, 0, False)
    assert (ahead["clean"], ahead["untracked"], ahead["unique_commits"]) == (False, 1, 1)
    text = hookwright("worktree", "status", str(tmp_path / "ahead"), cwd=committed_repo).stdout
    assert "dirty (1 untracked)" in text and "holds 1 untracked file(s); 1 commit(s)" in text


def test_remove_refuses_work_unless_forced(committed_repo: Path, tmp_path: Path) -> None:
    w = tmp_path / "w"
    git(committed_repo, "worktree", "add", "-q", "-b", "w", str(w))
    write(w / "README.md", "edited\n")
    assert lifecycle.main(["remove", str(w)]) == 1
    assert (w / "README.md").read_text() == "edited\n"
    assert lifecycle.main(["remove", "--dry-run", "--force", str(w)]) == 0 and w.exists()
    assert lifecycle.main(["remove", "--force", str(w)]) == 0
    assert not w.exists() and git(committed_repo, "branch", "--list", "w").strip() == "w"


def test_remove_a_worktree_whose_directory_is_gone(committed_repo: Path, tmp_path: Path) -> None:
    git(committed_repo, "worktree", "add", "-q", "-b", "gone", str(tmp_path / "gone"))
    subprocess.run(["rm", "-rf", str(tmp_path / "gone")], check=True)
    assert lifecycle.main(["remove", str(tmp_path / "gone")]) == 0
    assert len(_registered(committed_repo)) == 1


def test_prune(committed_repo: Path, tmp_path: Path) -> None:
    for name in ("merged", "gone", "dirty", "unmerged", "locked"):
        git(committed_repo, "worktree", "add", "-q", "-b", name, str(tmp_path / name))
    subprocess.run(["rm", "-rf", str(tmp_path / "gone")], check=True)
    write(tmp_path / "dirty" / "u.txt", "u")
    write(tmp_path / "unmerged" / "n.txt", "n")
    git(tmp_path / "unmerged", "add", "n.txt")
    git(tmp_path / "unmerged", "commit", "-q", "-m", "n")
    git(committed_repo, "worktree", "lock", str(tmp_path / "locked"))
    before = _registered(committed_repo)
    assert lifecycle.main(["prune", "--merged", "--delete-branches", "--dry-run"]) == 0
    assert _registered(committed_repo) == before
    assert lifecycle.main(["prune", "--merged", "--delete-branches"]) == 0
    left = sorted(Path(p).name for p in _registered(committed_repo))
    assert left == ["dirty", "locked", "repo", "unmerged"]
    branches = git(committed_repo, "branch", "--format=%(refname:short)").split()
    assert "merged" not in branches and "gone" not in branches and "unmerged" in branches
    actions = {(Path(a["path"]).name, a["action"]) for a in _records(committed_repo)[-1]["actions"]}
    assert {("dirty", "skipped"), ("locked", "skipped"), ("merged", "removed")} <= actions
    assert {("merged", "branch-deleted"), ("gone", "removed")} <= actions
    assert not any(name == "unmerged" for name, _ in actions)  # not merged: not a candidate


def test_prune_older_than(committed_repo: Path, tmp_path: Path) -> None:
    for name in ("old", "new"):
        git(committed_repo, "worktree", "add", "-q", "-b", name, str(tmp_path / name))
        write(tmp_path / name / "f.txt", name)
        git(tmp_path / name, "add", "f.txt")
        env = {**os.environ, "GIT_COMMITTER_DATE": OLD} if name == "old" else None
        subprocess.run(["git", "commit", "-q", "-m", name], cwd=tmp_path / name, env=env, check=True)
        git(committed_repo, "branch", f"keep-{name}", name)  # pushed elsewhere: nothing unique
    assert lifecycle.main(["prune", "--older-than", "30"]) == 0
    assert sorted(Path(p).name for p in _registered(committed_repo)) == ["new", "repo"]


# -- the pre-commit hook ------------------------------------------------------------------------------


def test_hook_post_checkout_warns_and_passes(committed_repo: Path, tmp_path: Path) -> None:
    git(committed_repo, "worktree", "add", "-q", "-b", "gone", str(tmp_path / "gone"))
    subprocess.run(["rm", "-rf", str(tmp_path / "gone")], check=True)
    env = {**os.environ, "PRE_COMMIT_CHECKOUT_TYPE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "hookwright.hooks.worktree_lifecycle", "hook"],
        cwd=committed_repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert f"{tmp_path / 'gone'}: prunable: directory is missing" in result.stderr
    assert _records(committed_repo)[-1]["stage"] == "post-checkout"


@pytest.mark.parametrize("block", [True, False])
def test_hook_pre_push_blocks_a_failing_push(committed_repo: Path, private_tmp: Path, block: bool) -> None:
    base = git(committed_repo, "rev-parse", "HEAD").strip()
    write(committed_repo / "bad.py", "def f(:\n")
    git(committed_repo, "add", "bad.py")
    git(committed_repo, "commit", "-q", "-m", "bad")
    head = git(committed_repo, "rev-parse", "HEAD").strip()
    _config(committed_repo, f"worktree:\n  checks: [syntax]\n  block_push_on_failure: {str(block).lower()}\n")
    env = {
        **os.environ,
        "TMPDIR": str(private_tmp),
        "PRE_COMMIT_REMOTE_NAME": "origin",
        "PRE_COMMIT_FROM_REF": base,
        "PRE_COMMIT_TO_REF": head,
    }
    result = hookwright("worktree", "hook", cwd=committed_repo, env=env)
    assert result.returncode == (1 if block else 0), result.stderr
    assert ("bad.py:1" in result.stderr) is block
    assert len(_registered(committed_repo)) == 1 and not list(private_tmp.iterdir())


def test_real_pre_commit_runs_the_hook_on_checkout_and_push(
    committed_repo: Path, tmp_path: Path, private_tmp: Path
) -> None:
    hook = (
        "repos:\n  - repo: local\n    hooks:\n      - id: worktree-lifecycle\n        name: worktrees\n"
        f"        entry: {sys.executable} -m hookwright.hooks.worktree_lifecycle hook\n"
        "        language: system\n        pass_filenames: false\n        always_run: true\n"
        "        verbose: true\n        stages: [post-checkout, pre-push]\n"
    )
    write(committed_repo / ".pre-commit-config.yaml", hook)
    _config(committed_repo, "worktree:\n  checks: [syntax]\n  block_push_on_failure: true\n")
    git(committed_repo, "add", ".")
    git(committed_repo, "commit", "-qm", "hooks")
    env = {**os.environ, "TMPDIR": str(private_tmp)}
    install = ["pre-commit", "install", "--hook-type", "post-checkout", "--hook-type", "pre-push"]
    subprocess.run(install, cwd=committed_repo, env=env, check=True, capture_output=True)
    git(committed_repo, "worktree", "add", "-q", "-b", "gone", str(tmp_path / "gone"))
    subprocess.run(["rm", "-rf", str(tmp_path / "gone")], check=True)

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=committed_repo, env=env, capture_output=True, text=True, check=False)

    checkout = run("git", "checkout", "-b", "topic")
    assert (
        checkout.returncode == 0
        and "gone: prunable: directory is missing" in checkout.stdout + checkout.stderr
    )
    git(tmp_path, "init", "-q", "--bare", "remote.git")
    git(committed_repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    write(committed_repo / "bad.py", "def f(:\n")
    git(committed_repo, "add", "bad.py")
    git(committed_repo, "commit", "-qm", "bad")
    push = run("git", "push", "-q", "origin", "topic")
    assert push.returncode != 0 and "bad.py:1" in push.stdout + push.stderr
    assert git(tmp_path / "remote.git", "branch", "--list") == ""
    assert len(_registered(committed_repo)) == 2 and not list(private_tmp.iterdir())  # main and "gone"


def test_example_instance_runs(committed_repo: Path) -> None:
    from hookwright import strict_yaml, validation

    example = Path(__file__).resolve().parent.parent / "examples" / "worktree_lifecycle.yaml"
    document = strict_yaml.load_path(example).data
    assert not validation.schema_issues("worktree_lifecycle", document["inputs"], "inputs")
    report = lifecycle.run_instance(document["inputs"], root=committed_repo)
    assert report.outcome == "passed" and report.extra["worktree"]["verified"] is True
    made = committed_repo.parent / "example-worktree"
    assert (made / "README.md").is_file() and str(made) in _registered(committed_repo)


# -- the property: no operation without --force loses work --------------------------------------------

STATE = st.fixed_dictionaries(
    {
        "detached": st.booleans(),
        "merged_commit": st.booleans(),
        "unmerged_commit": st.booleans(),
        "staged": st.booleans(),
        "dirty": st.booleans(),
        "untracked": st.booleans(),
        "locked": st.booleans(),
        "missing": st.booleans(),
    }
)
OPERATIONS = {
    "remove": None,
    "prune": ["prune"],
    "prune-merged": ["prune", "--merged", "--delete-branches"],
    "prune-old": ["prune", "--older-than", "30", "--delete-branches"],
}
_examples = itertools.count()


def _build(base: Path, states: list[dict[str, bool]]) -> tuple[Path, list[Path], dict[str, object]]:
    repo = base / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    write(repo / "README.md", "# r\n")
    git(repo, "add", "README.md")
    subprocess.run(
        ["git", "commit", "-qm", "i"], cwd=repo, env={**os.environ, "GIT_COMMITTER_DATE": OLD}, check=True
    )
    paths, work = [], {}
    for i, state in enumerate(states):
        path = base / f"w {i}"
        git(
            repo,
            "worktree",
            "add",
            "-q",
            *(["--detach"] if state["detached"] else ["-b", f"b{i}"]),
            str(path),
        )
        if state["merged_commit"]:
            write(path / f"m{i}.txt", "m")
            git(path, "add", ".")
            git(path, "commit", "-qm", "m")
            git(repo, "merge", "-q", "--no-edit", git(path, "rev-parse", "HEAD").strip())
        if state["unmerged_commit"]:
            write(path / f"u{i}.txt", "u")
            git(path, "add", ".")
            git(path, "commit", "-qm", "u")
            work[f"commit {i}"] = git(path, "rev-parse", "HEAD").strip()
        if state["staged"]:
            write(path / "staged.txt", f"staged {i}")
            git(path, "add", "staged.txt")
        if state["dirty"]:
            write(path / "README.md", f"dirty {i}")
        if state["untracked"]:
            write(path / "untracked.txt", f"untracked {i}")
        if state["locked"]:
            git(repo, "worktree", "lock", str(path))
        if state["missing"]:
            subprocess.run(["rm", "-rf", str(path)], check=True)
        elif state["staged"] or state["dirty"] or state["untracked"]:
            work[f"files {i}"] = {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()}
        paths.append(path)
    return repo, paths, work


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    states=st.lists(STATE, min_size=1, max_size=3),
    ops=st.lists(st.sampled_from(sorted(OPERATIONS)), max_size=2),
)
def test_no_operation_without_force_loses_work(
    tmp_path: Path, states: list[dict[str, bool]], ops: list[str]
) -> None:
    repo, paths, work = _build(tmp_path / f"example {next(_examples)}", states)
    codes, cwd = [], os.getcwd()
    os.chdir(repo)
    try:
        for op in ["remove", *ops]:
            for argv in [["remove", str(p)] for p in paths] if op == "remove" else [OPERATIONS[op]]:
                codes.append(lifecycle.main(argv))
    finally:
        os.chdir(cwd)
    assert set(codes) <= {0, 1, 2}, codes  # refused or done; never an internal error
    reachable = git(repo, "rev-list", "--all")
    for key, value in work.items():
        i = int(key.split()[1])
        if key.startswith("commit"):
            assert value in reachable, f"worktree {i} lost its commit ({states[i]})"
        else:
            files = (
                {p.name: p.read_bytes() for p in paths[i].iterdir() if p.is_file()}
                if paths[i].exists()
                else {}
            )
            assert files == value, f"worktree {i} lost files ({states[i]})"
    for i, state in enumerate(states):
        holds_nothing = not any(
            state[k] for k in ("unmerged_commit", "staged", "dirty", "untracked", "locked")
        )
        if holds_nothing:  # the safety is not vacuous: what holds no work does go
            assert not paths[i].exists() and str(paths[i]) not in _registered(repo)
