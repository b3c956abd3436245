from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import git, write

from hookwright import interrupts
from hookwright.errors import BadInput
from hookwright.git.repo import Repo
from hookwright.worktrees import create, health, isolated, remove, state
from hookwright.worktrees import model as wt


def _commit(repo: Path, name: str, text: str = "x\n") -> str:
    write(repo / name, text)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", name)
    return git(repo, "rev-parse", "HEAD").strip()


def _add(repo: Path, path: Path, *args: str) -> Path:
    git(repo, "worktree", "add", "-q", *args, str(path))
    return path


def _by_path(repo: Repo) -> dict[str, state.Health]:
    items = health.health(repo, wt.list_worktrees(repo), health.default_branch(repo))
    return {os.path.realpath(i.worktree.path): i for i in items}


def _registered(repo: Path) -> list[str]:
    out = git(repo, "worktree", "list", "--porcelain", "-z")
    return [r.removeprefix("worktree ") for r in out.split("\0") if r.startswith("worktree ")]


# -- the porcelain parser -----------------------------------------------------------------------------

PORCELAIN = (
    b"worktree /r/main\0HEAD aaaa\0branch refs/heads/main\0\0"
    b"worktree /r/dir with space/\xc3\xbcn\xc3\xaf\0HEAD bbbb\0branch refs/heads/feature/x\0locked\0\0"
    b"worktree /r/d\0HEAD cccc\0detached\0locked because: usb disk\0\0"
    b"worktree /r/gone\0HEAD dddd\0branch refs/heads/g\0prunable gitdir file points to non-existent location\0\0"
)


def test_parse_porcelain() -> None:
    main, spaced, detached, gone = wt.parse_porcelain(PORCELAIN)
    assert (main.main, main.branch, main.head) == (True, "main", "aaaa")
    assert spaced.path == Path("/r/dir with space/ünï")
    assert (spaced.branch, spaced.locked, spaced.lock_reason, spaced.main) == ("feature/x", True, "", False)
    assert (detached.detached, detached.branch, detached.lock_reason) == (True, None, "because: usb disk")
    assert gone.prunable and gone.prunable_reason.startswith("gitdir file")


def test_parse_porcelain_bare() -> None:
    (bare, linked) = wt.parse_porcelain(
        b"worktree /r.git\0bare\0\0worktree /w\0HEAD e\0branch refs/heads/b\0\0"
    )
    assert bare.bare and bare.main and bare.head is None
    assert linked.branch == "b" and not linked.main


# -- unique commits: the heart of the safety predicate ------------------------------------------------


def _unique(repo: Path, branch: str | None, head: str) -> int:
    return health.unique_commits(Repo.discover(repo), head, branch)


def test_unique_commits_on_a_branch_of_its_own(committed_repo: Path, tmp_path: Path) -> None:
    w = _add(committed_repo, tmp_path / "w", "-b", "feature/x")
    head = _commit(w, "f.txt")
    _commit(w, "g.txt")
    assert _unique(committed_repo, "feature/x", git(w, "rev-parse", "HEAD").strip()) == 2
    # The same commits on another branch, a remote-tracking branch or a tag are not unique.
    git(committed_repo, "branch", "copy", head)
    assert _unique(committed_repo, "feature/x", git(w, "rev-parse", "HEAD").strip()) == 1
    git(committed_repo, "update-ref", "refs/remotes/origin/feature/x", "feature/x")
    assert _unique(committed_repo, "feature/x", git(w, "rev-parse", "HEAD").strip()) == 0


@pytest.mark.parametrize("keep", ["tag", "merge", "other-branch-prefix"])
def test_commits_kept_elsewhere_are_not_unique(committed_repo: Path, tmp_path: Path, keep: str) -> None:
    w = _add(committed_repo, tmp_path / "w", "-b", "topic")
    head = _commit(w, "t.txt")
    if keep == "tag":
        git(committed_repo, "tag", "v1", head)
    elif keep == "merge":
        git(committed_repo, "merge", "-q", "--ff-only", "topic")
    else:
        # --exclude=topic must not also hide "topic2": the exclusion is the exact branch only.
        git(committed_repo, "branch", "topic2", head)
    assert _unique(committed_repo, "topic", head) == 0


def test_detached_commits_are_unique(committed_repo: Path, tmp_path: Path) -> None:
    w = _add(committed_repo, tmp_path / "w", "--detach")
    head = _commit(w, "d.txt")
    assert _unique(committed_repo, None, head) == 1
    assert _unique(committed_repo, None, git(committed_repo, "rev-parse", "HEAD").strip()) == 0


# -- health -------------------------------------------------------------------------------------------


def test_health_reports_every_kind_of_work(committed_repo: Path, tmp_path: Path) -> None:
    dirty = _add(committed_repo, tmp_path / "dirty", "-b", "dirty")
    write(dirty / "README.md", "changed\n")
    write(dirty / "pkg" / "new.py", "")
    write(dirty / "staged.txt", "s\n")
    git(dirty, "add", "staged.txt")
    ahead = _add(committed_repo, tmp_path / "ahead", "-b", "ahead")
    git(ahead, "branch", "-q", "--set-upstream-to=main")
    _commit(ahead, "a1.txt")
    _commit(ahead, "a2.txt")
    _commit(committed_repo, "m.txt")  # main moves on: "ahead" is behind by one, and unmerged
    gone = _add(committed_repo, tmp_path / "gone", "-b", "gone")
    subprocess.run(["rm", "-rf", str(gone)], check=True)
    items = _by_path(Repo.discover(committed_repo))
    d = items[os.path.realpath(dirty)]
    assert (d.staged, d.modified, d.untracked, d.dirty) == (1, 1, 1, True)
    assert d.unsafe_reasons() == ["2 uncommitted change(s)", "1 untracked file(s)"]
    assert d.merged is True  # no commits of its own: nothing to lose
    a = items[os.path.realpath(ahead)]
    assert (a.upstream, a.ahead, a.behind, a.merged, a.unique_commits) == ("main", 2, 1, False, 2)
    assert a.unsafe_reasons() == ["2 commit(s) on no other branch, remote or tag"]
    g = items[os.path.realpath(gone)]
    assert g.missing and g.unsafe_reasons() == []
    main = items[os.path.realpath(committed_repo)]
    assert main.worktree.main and main.merged is None and main.age_days() is not None


def test_health_sees_a_merge_in_progress(in_merge_conflict: Path) -> None:
    (main,) = health.health(Repo.discover(), wt.list_worktrees(Repo.discover()), "main")
    assert main.conflicts == 1 and main.in_progress == ("merge",)
    assert "a merge in progress" in main.unsafe_reasons()


def test_default_branch(committed_repo: Path) -> None:
    repo = Repo.discover()
    assert health.default_branch(repo) == "main"
    git(committed_repo, "branch", "-m", "main", "trunk")
    assert health.default_branch(Repo.discover()) == "trunk"
    with pytest.raises(BadInput, match="no branch 'nope'"):
        health.default_branch(repo, "nope")


# -- create: validation before anything changes, rollback after ---------------------------------------


@pytest.mark.parametrize(
    ("branch", "message"),
    [
        ("bad..name", "invalid branch name"),
        ("-x", "invalid branch name"),
        ("with space", "invalid branch name"),
        ("main", "already checked out"),
    ],
)
def test_plan_create_refuses(committed_repo: Path, tmp_path: Path, branch: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        create.plan_create(Repo.discover(), branch, tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_plan_create_refuses_paths_and_bases(committed_repo: Path, tmp_path: Path) -> None:
    repo = Repo.discover()
    (tmp_path / "taken").mkdir()
    with pytest.raises(BadInput, match="already exists"):
        create.plan_create(repo, "b", tmp_path / "taken")
    with pytest.raises(BadInput, match="inside the git directory"):
        create.plan_create(repo, "b", committed_repo / ".git" / "wt")
    with pytest.raises(BadInput, match="base 'nope' does not exist"):
        create.plan_create(repo, "b", tmp_path / "n", "nope")
    git(committed_repo, "branch", "exists")
    with pytest.raises(BadInput, match="already exists; drop --base"):
        create.plan_create(repo, "exists", tmp_path / "n", "HEAD")
    plan = create.plan_create(repo, "exists", tmp_path / "ü n")
    assert not plan.new_branch and plan.path == tmp_path / "ü n"


def test_rollback_removes_worktree_branch_and_created_parents(committed_repo: Path, tmp_path: Path) -> None:
    repo = Repo.discover()
    plan = create.plan_create(repo, "temp", tmp_path / "a" / "b" / "wt")
    top = create.first_missing_ancestor(plan.path)
    assert top == tmp_path / "a"
    create.add_worktree(repo, plan)
    write(plan.path / "made-by-setup.txt", "x")
    assert create.rollback_create(repo, plan, top) == []
    assert not top.exists() and len(_registered(committed_repo)) == 1
    assert repo.rev_parse("refs/heads/temp") is None


def test_rollback_keeps_a_branch_that_moved(committed_repo: Path, tmp_path: Path) -> None:
    repo = Repo.discover()
    plan = create.plan_create(repo, "moved", tmp_path / "wt")
    create.add_worktree(repo, plan)
    new = _commit(plan.path, "work.txt")
    left = create.rollback_create(repo, plan, plan.path)
    assert left and "kept" in left[0]
    assert repo.rev_parse("refs/heads/moved") == new


# -- isolated verification worktrees ------------------------------------------------------------------


def test_isolated_staged_index_excludes_unstaged_and_untracked(committed_repo: Path) -> None:
    write(committed_repo / "pkg" / "mod.py", "staged = True\n")
    git(committed_repo, "add", "pkg/mod.py")
    write(committed_repo / "pkg" / "mod.py", "unstaged = True\n")
    write(committed_repo / "untracked.py", "nope\n")
    index_before = (committed_repo / ".git" / "index").read_bytes()
    repo = Repo.discover()
    with isolated.isolated(repo, staged_from=repo) as tree:
        root = tree.root
        assert (root / "pkg" / "mod.py").read_text() == "staged = True\n"
        assert not (root / "untracked.py").exists()
        changes = [(c.status, c.path) for c in tree.staged_changes()]
        assert changes == [("M", "pkg/mod.py")]
        assert tree.status().clean
        assert len(_registered(committed_repo)) == 2
    assert not root.exists() and len(_registered(committed_repo)) == 1
    assert (committed_repo / "pkg" / "mod.py").read_text() == "unstaged = True\n"
    assert (committed_repo / ".git" / "index").read_bytes() == index_before


def test_isolated_ref_is_torn_down_after_an_error(committed_repo: Path) -> None:
    first = git(committed_repo, "rev-parse", "HEAD").strip()
    _commit(committed_repo, "later.txt")
    with pytest.raises(RuntimeError), isolated.isolated(Repo.discover(), ref=first) as tree:
        root = tree.root
        assert not (root / "later.txt").exists()
        raise RuntimeError("a check crashed")
    assert not root.exists() and len(_registered(committed_repo)) == 1


def test_isolated_needs_a_commit(in_git_dir: Path) -> None:
    repo = Repo.discover()
    with pytest.raises(BadInput, match="no commit yet"), isolated.isolated(repo, staged_from=repo):
        pass


def test_sweep_removes_only_abandoned_verification_worktrees(committed_repo: Path, tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    reason = f"{wt.LOCK_PREFIX} pid={dead.pid} host={os.uname().nodename}"
    abandoned = _add(
        committed_repo, tmp_path / f"{isolated.TEMP_PREFIX}1", "--detach", "--lock", "--reason", reason
    )
    _add(committed_repo, tmp_path / "not-ours", "--detach", "--lock", "--reason", reason)
    live = f"{wt.LOCK_PREFIX} pid={os.getpid()} host={os.uname().nodename}"
    _add(committed_repo, tmp_path / f"{isolated.TEMP_PREFIX}2", "--detach", "--lock", "--reason", live)
    _add(committed_repo, tmp_path / "users", "--detach", "--lock", "--reason", "on a usb disk")
    assert isolated.sweep_abandoned(Repo.discover()) == [abandoned]
    assert not abandoned.exists()
    assert len(_registered(committed_repo)) == 4


def test_discard_never_prunes_someone_elses_missing_worktree(committed_repo: Path, tmp_path: Path) -> None:
    theirs = _add(committed_repo, tmp_path / "theirs", "--detach")
    _commit(theirs, "only-here.txt")  # reachable only from that worktree's HEAD
    subprocess.run(["rm", "-rf", str(theirs)], check=True)
    ours = _add(committed_repo, tmp_path / "ours", "--detach", "--lock")
    subprocess.run(["rm", "-rf", str(ours)], check=True)
    remove.discard_worktree(Repo.discover(), ours, remove_tree=ours)
    assert [Path(p).name for p in _registered(committed_repo)] == ["repo", "theirs"]


def test_deferred_signals_finish_the_cleanup_then_interrupt() -> None:
    done = []
    with pytest.raises(KeyboardInterrupt), interrupts.deferred():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("cleanup finished")
    assert done == ["cleanup finished"]
