from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import git, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hookwright.errors import GitError
from hookwright.git.parsing import parse_added_lines, unquote_path
from hookwright.git.repo import EMPTY_TREE, Repo

AWKWARD = [
    "with space.py",
    "new\nline.py",
    "ünïcödé.py",
    "-leading-dash.py",
    'quote"d.py',
    "tab\there.py",
]


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="not a git repository"):
        Repo.discover(tmp_path)


def test_bare_repository_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "b.git")
    with pytest.raises(GitError, match="bare"):
        Repo.discover(tmp_path / "b.git")


def test_empty_repository(in_git_dir: Path) -> None:
    repo = Repo.discover()
    assert repo.head is None
    assert repo.branch == "main"
    assert repo.staged_changes() == []
    assert repo.write_tree() == EMPTY_TREE
    write(in_git_dir / "a.py", "x = 1\n")
    git(in_git_dir, "add", "a.py")
    changes = Repo.discover().staged_changes()
    assert [(c.status, c.path) for c in changes] == [("A", "a.py")]
    assert Repo.discover().added_lines_staged() == {"a.py": frozenset({1})}


def test_detached_head(detached_head: Path) -> None:
    repo = Repo.discover()
    assert repo.branch is None
    assert repo.head is not None


def test_merge_in_progress(in_merge_conflict: Path) -> None:
    repo = Repo.discover()
    assert repo.in_progress() == ["merge"]
    unmerged = {e.path for e in repo.index_entries() if e.stage}
    assert unmerged == {"pkg/mod.py"}
    assert repo.status().unmerged == {"pkg/mod.py"}


@pytest.mark.parametrize("name", AWKWARD)
def test_awkward_file_names_round_trip(committed_repo: Path, name: str) -> None:
    write(committed_repo / "dir" / name, "a = 1\nb = 2\n")
    git(committed_repo, "add", "--", f"dir/{name}")
    repo = Repo.discover()
    changes = repo.staged_changes()
    assert [(c.status, c.path) for c in changes] == [("A", f"dir/{name}")]
    assert repo.added_lines_staged() == {f"dir/{name}": frozenset({1, 2})}
    assert f"dir/{name}" in {e.path for e in repo.index_entries()}
    out = committed_repo.parent / "export"
    repo.checkout_index(out, [f"dir/{name}"])
    assert (out / "dir" / name).read_text() == "a = 1\nb = 2\n"


def test_renames_modifications_deletions_and_type_changes(committed_repo: Path) -> None:
    git(committed_repo, "mv", "pkg/mod.py", "pkg/renamed.py")
    write(committed_repo / "README.md", "# changed\n")
    git(committed_repo, "rm", "-q", "pkg/__init__.py")
    (committed_repo / "link").symlink_to("README.md")
    git(committed_repo, "add", "-A")
    changes = {c.path: c for c in Repo.discover().staged_changes()}
    assert changes["pkg/renamed.py"].status == "R"
    assert changes["pkg/renamed.py"].old_path == "pkg/mod.py"
    assert changes["README.md"].status == "M"
    assert changes["pkg/__init__.py"].status == "D"
    assert changes["link"].new_mode == "120000"


def test_status_separates_unstaged_untracked(committed_repo: Path) -> None:
    write(committed_repo / "README.md", "# edited but not staged\n")
    write(committed_repo / "scratch.txt", "x")
    git(committed_repo, "mv", "pkg/mod.py", "pkg/moved.py")
    status = Repo.discover().status()
    assert status.unstaged == {"README.md"}
    assert status.untracked == {"scratch.txt"}
    assert not status.clean


def test_write_tree_never_touches_the_index(committed_repo: Path) -> None:
    write(committed_repo / "new.py", "y = 2\n")
    git(committed_repo, "add", "new.py")
    index = committed_repo / ".git" / "index"
    before = index.read_bytes()
    tree = Repo.discover().write_tree()
    assert index.read_bytes() == before
    assert git(committed_repo, "ls-tree", "--name-only", tree).split() == [
        "README.md",
        "new.py",
        "pkg",
    ]


def test_commit_range_and_merge_base(committed_repo: Path) -> None:
    base = git(committed_repo, "rev-parse", "HEAD").strip()
    write(
        committed_repo / "pkg" / "mod.py",
        "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n",
    )
    git(committed_repo, "commit", "-qam", "sub")
    repo = Repo.discover()
    assert repo.merge_base(base, "HEAD") == base
    assert repo.added_lines_range(base, "HEAD") == {"pkg/mod.py": frozenset({3, 4, 5, 6})}
    assert [c.path for c in repo.range_changes(base, "HEAD")] == ["pkg/mod.py"]
    with pytest.raises(GitError, match="unknown revision"):
        repo.resolve("no-such-branch")


def test_worktree_shares_the_common_dir(committed_repo: Path, tmp_path: Path) -> None:
    git(committed_repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "feature")
    main, linked = Repo.discover(committed_repo), Repo.discover(tmp_path / "wt")
    assert linked.common_dir.resolve() == main.common_dir.resolve()
    assert linked.git_dir != main.git_dir
    assert linked.worktree_key != main.worktree_key
    assert linked.branch == "feature"


def test_submodule_is_listed_not_exported(committed_repo: Path, tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    git(sub, "init", "-q")
    write(sub / "s.txt", "s")
    git(sub, "add", ".")
    git(sub, "commit", "-qm", "s")
    git(
        committed_repo,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(sub),
        "vendored",
    )
    repo = Repo.discover()
    modes = {c.path: c.new_mode for c in repo.staged_changes()}
    assert modes["vendored"] == "160000"


def test_notes_round_trip(committed_repo: Path) -> None:
    repo = Repo.discover()
    assert repo.head is not None
    repo.add_note(repo.head, "record\n")
    assert repo.show_note(repo.head) == "record\n"


def test_read_blobs_and_sizes(committed_repo: Path) -> None:
    repo = Repo.discover()
    entries = {e.path: e.blob for e in repo.index_entries()}
    blob = entries["pkg/mod.py"]
    assert repo.read_blobs([blob]) == {blob: b"def add(a, b):\n    return a + b\n"}
    assert repo.blob_sizes([blob]) == {blob: 32}


def test_a_blob_read_once_is_not_asked_of_git_again(committed_repo: Path) -> None:
    # An id names its bytes: the planning steps of one commit asked `git cat-file` for the same three
    # blobs five times. Names that can mean other bytes later (`HEAD:path`) are asked every time.
    repo = Repo.discover(committed_repo)
    asked: list[bytes] = []
    real_check = repo.check

    def counted(*args: str, **kwargs: object) -> bytes:
        asked.append(kwargs.get("input", b""))  # type: ignore[arg-type]
        return real_check(*args, **kwargs)

    repo.check = counted  # type: ignore[method-assign]
    write(committed_repo / "one.txt", "one\n")
    write(committed_repo / "two.txt", "two\n")
    one = git(committed_repo, "hash-object", "-w", "one.txt").strip()
    two = git(committed_repo, "hash-object", "-w", "two.txt").strip()
    absent = "0" * 40
    assert repo.read_blobs([one, absent]) == {one: b"one\n"}
    assert repo.read_blobs([two, one, absent]) == {two: b"two\n", one: b"one\n"}
    assert list(repo.read_blobs([two, one])) == [two, one]  # in the order asked
    assert asked == [f"{one}\n{absent}\n".encode(), f"{two}\n{absent}\n".encode()]
    asked.clear()
    git(committed_repo, "add", "one.txt")
    git(committed_repo, "commit", "-qm", "one")
    assert repo.read_blobs(["HEAD:one.txt"]) == {"HEAD:one.txt": b"one\n"}
    write(committed_repo / "one.txt", "changed\n")
    git(committed_repo, "commit", "-qam", "changed")
    assert repo.read_blobs(["HEAD:one.txt"]) == {"HEAD:one.txt": b"changed\n"}
    assert len(asked) == 2


def test_unquote_and_added_line_parsing() -> None:
    assert unquote_path('"new\\nline.py"') == "new\nline.py"
    assert unquote_path('"\\303\\274.py"') == "ü.py"
    assert unquote_path("plain.py") == "plain.py"
    patch = (
        b'diff --git a/x b/x\n--- a/x\n+++ "b/sp\\tace"\n@@ -1,0 +2,3 @@\n+a\n+b\n+c\n@@ -9 +12 @@\n-q\n+r\n'
    )
    assert parse_added_lines(patch) == {"sp\tace": frozenset({2, 3, 4, 12})}


def _asked_git(path: Path) -> tuple[str, str, str, str | None, str | None]:
    out = git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir").splitlines()
    common = Path(out[2]) if Path(out[2]).is_absolute() else (path / out[2])
    head = git(path, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() or None
    branch = git(path, "symbolic-ref", "-q", "--short", "HEAD", check=False).strip() or None
    return out[0], out[1], str(common.resolve()), head, branch


def _read(path: Path) -> tuple[str, str, str, str | None, str | None]:
    from hookwright.git.layout import read_layout

    layout = read_layout(path)
    assert layout is not None, f"the fast path gave up on {path}"
    return str(layout.root), str(layout.git_dir), str(layout.common_dir.resolve()), layout.head, layout.branch


def test_reading_dot_git_agrees_with_git(
    committed_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    states = []
    states.append(committed_repo)
    (committed_repo / "pkg").mkdir(exist_ok=True)
    states.append(committed_repo / "pkg")  # from a subdirectory
    git(committed_repo, "worktree", "add", "-q", str(tmp_path / "wt"), "-b", "feature/slashed")
    states.append(tmp_path / "wt")
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    states.append(empty)  # unborn branch: no HEAD commit
    for state in states:
        assert _read(state) == _asked_git(state), state
    git(committed_repo, "pack-refs", "--all")
    assert _read(committed_repo) == _asked_git(committed_repo), "packed refs"
    git(committed_repo, "checkout", "-q", "--detach")
    assert _read(committed_repo) == _asked_git(committed_repo), "detached HEAD"
    sub = tmp_path / "sub"
    sub.mkdir()
    git(sub, "init", "-q")
    write(sub / "s.txt", "s")
    git(sub, "add", ".")
    git(sub, "commit", "-qm", "s")
    git(committed_repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendored")
    # A submodule's git directory sets core.worktree: the fast path steps aside and git answers.
    from hookwright.git.layout import read_layout

    assert read_layout(committed_repo / "vendored") is None
    assert Repo.discover(committed_repo / "vendored").root == (committed_repo / "vendored").resolve()


def test_reading_dot_git_gives_way_to_git_when_unusual(
    committed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hookwright.git.layout import read_layout

    monkeypatch.setenv("GIT_DIR", str(committed_repo / ".git"))
    assert read_layout(committed_repo) is None
    monkeypatch.delenv("GIT_DIR")
    git(committed_repo, "config", "core.worktree", str(committed_repo))
    assert read_layout(committed_repo) is None
    assert Repo.discover(committed_repo).root == committed_repo.resolve()


def test_blobs_larger_than_any_output_bound_are_read_whole(committed_repo: Path) -> None:
    # 3 x 4 MB: more than parallel's 8 MB bound for output shown to people. Parsed data is never cut.
    blobs = {}
    for number in range(3):
        data = bytes([65 + number]) * (4 * 1024 * 1024) + b"\nrecord 1 2\n"
        write(committed_repo / f"big{number}.bin", data)
        blobs[git(committed_repo, "hash-object", "-w", f"big{number}.bin").strip()] = data
    repo = Repo.discover(committed_repo)
    assert repo.read_blobs(blobs) == blobs
    git(committed_repo, "add", ".")
    assert repo.read_paths(["big2.bin", "missing.txt"]) == {"big2.bin": blobs[list(blobs)[2]]}


_LAYOUT_STEPS = (
    "commit",
    "branch",
    "switch",
    "detach",
    "pack",
    "alias",
    "alias_to_alias",
    "alias_unborn",
    "orphan",
    "worktree",
    "loose_again",
)


def _apply_layout_step(repo: Path, step: str, number: int) -> Path:
    """One change to the repository's refs; returns the folder to look from next."""
    has_commit = git(repo, "rev-parse", "-q", "--verify", "HEAD", check=False).strip() != ""
    if step == "commit" or not has_commit:
        write(repo / f"f{number}.txt", str(number))
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"c{number}")
    elif step == "branch":
        git(repo, "branch", f"b{number}")
    elif step == "switch":
        git(repo, "checkout", "-q", "-B", f"s{number}")
    elif step == "detach":
        git(repo, "checkout", "-q", "--detach")
    elif step == "pack":
        git(repo, "pack-refs", "--all")
    elif step == "alias":  # HEAD -> alias -> a branch with a commit (the chain issue 17 found)
        git(repo, "branch", "-f", f"t{number}")
        git(repo, "symbolic-ref", f"refs/heads/alias{number}", f"refs/heads/t{number}")
        git(repo, "symbolic-ref", "HEAD", f"refs/heads/alias{number}")
    elif step == "alias_to_alias":
        git(repo, "branch", "-f", f"u{number}")
        git(repo, "symbolic-ref", f"refs/heads/mid{number}", f"refs/heads/u{number}")
        git(repo, "symbolic-ref", f"refs/heads/top{number}", f"refs/heads/mid{number}")
        git(repo, "symbolic-ref", "HEAD", f"refs/heads/top{number}")
    elif step == "alias_unborn":
        git(repo, "symbolic-ref", f"refs/heads/dangling{number}", f"refs/heads/nothing{number}")
        git(repo, "symbolic-ref", "HEAD", f"refs/heads/dangling{number}")
    elif step == "orphan":
        git(repo, "symbolic-ref", "HEAD", f"refs/heads/orphan{number}")
    elif step == "worktree":
        where = repo.parent / f"wt{number}"
        git(repo, "worktree", "add", "-q", "--detach", str(where))
        return where
    elif step == "loose_again":
        git(repo, "update-ref", f"refs/heads/l{number}", "HEAD")
        git(repo, "symbolic-ref", "HEAD", f"refs/heads/l{number}")
    return repo


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(_LAYOUT_STEPS), min_size=1, max_size=6))
def test_reading_dot_git_never_disagrees_with_git(steps: list[str]) -> None:
    # Whatever refs look like (packed, loose, symbolic chains, unborn targets, linked worktrees),
    # the fast path either answers exactly what git answers or steps aside.
    from hookwright.git.layout import read_layout

    with tempfile.TemporaryDirectory(prefix="hookwright-layout-") as temp:
        repo = Path(temp, "repo")
        repo.mkdir()
        git(repo, "init", "-q", "-b", "main")
        looking_from = repo
        for number, step in enumerate(steps):
            looking_from = _apply_layout_step(repo, step, number)
            for place in {repo, looking_from}:
                if read_layout(place) is not None:
                    assert _read(place) == _asked_git(place), (steps[: number + 1], place)


def test_a_symbolic_ref_chain_is_resolved_as_git_resolves_it(committed_repo: Path) -> None:
    # `HEAD -> refs/heads/alias -> refs/heads/master`: git says HEAD is the commit; reading the alias
    # file as an unborn branch made hookwright see an empty repository.
    branch = git(committed_repo, "symbolic-ref", "HEAD").strip()
    git(committed_repo, "symbolic-ref", "refs/heads/alias", branch)
    git(committed_repo, "symbolic-ref", "HEAD", "refs/heads/alias")
    head = git(committed_repo, "rev-parse", "HEAD").strip()
    assert Repo.discover(committed_repo).head == head
