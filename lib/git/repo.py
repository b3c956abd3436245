"""Every git operation goes through here: defensive flags, NUL-separated output, no inherited GIT_* leaks.

Plumbing commands through ``hookwright.parallel``, not GitPython: each operation hookwright needs is one
``-z`` plumbing call that GitPython would itself spawn, and importing GitPython costs ~56 ms, more than a
whole hook run with nothing to check. Repository discovery reads ``.git`` directly (gitlayout.py).
"""

from __future__ import annotations

import contextlib
import os
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path

from hookwright import parallel
from hookwright.errors import GitError
from hookwright.frozen import Frozen
from hookwright.git.layout import read_layout
from hookwright.git.objects import ObjectReads
from hookwright.git.parsing import Change, parse_added_lines, parse_raw_diff, split_z
from hookwright.git.scratch import scratch_file
from hookwright.hashing import sha256

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
NULL_SHA = "0" * 40

# Variables that point git at another repository, index or object store. Inherited from a hook's
# environment they silently redirect every command we run (pre-commit learned this the hard way).
_REDIRECTING = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_PREFIX",
        "GIT_NAMESPACE",
        "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    }
)
_GIT = ("git", "-c", "core.quotepath=false", "-c", "color.ui=false")


def no_git_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    for name in _REDIRECTING:
        env.pop(name, None)
    return env


class IndexEntry(namedtuple("IndexEntry", "mode blob stage path")):
    """One line of ``git ls-files -s``: mode, blob, stage (int), path.

    A tuple, not a dataclass: thousands are made on every commit (and typing.NamedTuple would put
    the typing module on the hook's start-up path).
    """

    __slots__ = ()

    if TYPE_CHECKING:
        mode: str
        blob: str
        stage: int
        path: str


class WorkingTreeStatus(Frozen):
    _fields = ("unstaged", "untracked", "unmerged")
    __slots__ = _fields
    unstaged: frozenset[str]
    untracked: frozenset[str]
    unmerged: frozenset[str]

    def __init__(self, unstaged: frozenset[str], untracked: frozenset[str], unmerged: frozenset[str]) -> None:
        self._fill(unstaged, untracked, unmerged)

    @property
    def clean(self) -> bool:
        return not (self.unstaged or self.untracked or self.unmerged)


def _index_path(value: str | None, root: Path) -> Path | None:
    """GIT_INDEX_FILE as git reads it: a relative path is relative to the top of the work tree."""
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else root / path


class Repo(ObjectReads):
    """A work tree and its git directories, found once; every command runs against exactly it."""

    def __init__(self, root: Path, git_dir: Path, common_dir: Path, index_file: Path | None) -> None:
        self.root = root
        self.git_dir = git_dir
        self.common_dir = common_dir
        # Inside `git commit` the index being committed may be a temporary file (`commit -a`, `commit
        # PATH`): git passes it in GIT_INDEX_FILE, and that index is the truth for this run.
        self.index_file = index_file
        self._env = no_git_env()
        if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
            # Found through the environment (`git --git-dir=..`, a hook of such a commit): our git
            # processes, which drop GIT_* and start in ``root``, found another repository or the same
            # one from a sub-folder (its `ls-files` listed that folder alone, and no test was found).
            pinned = {"GIT_DIR": git_dir, "GIT_WORK_TREE": root, "GIT_COMMON_DIR": common_dir}
            self._env.update({name: str(path.absolute()) for name, path in pinned.items()})
        if index_file is not None:
            self._env["GIT_INDEX_FILE"] = str(index_file)

    @classmethod
    def discover(cls, path: str | os.PathLike[str] = ".") -> Repo:
        start = Path(path)
        if not start.is_dir():
            raise GitError(f"not a directory: {start}")
        index = os.environ.get("GIT_INDEX_FILE")
        fast = read_layout(start)
        if fast is not None:
            repo = cls(fast.root, fast.git_dir, fast.common_dir, _index_path(index, fast.root))
            repo.__dict__["head"] = fast.head
            repo.__dict__["branch"] = fast.branch
            return repo
        layout = ("rev-parse", "--is-bare-repository", "--absolute-git-dir", "--git-common-dir")
        # One process in the common case: the layout, HEAD and its branch together. An empty
        # repository (no HEAD) or a bare one makes it fail, and the slower path says which.
        result = parallel.run(
            (*_GIT, *layout, "--show-toplevel", "HEAD", "--symbolic-full-name", "HEAD"), cwd=start
        )
        lines = result.out.splitlines()
        head: str | None = None
        branch: str | None = None
        if result.ok and len(lines) == 6:
            bare, git_dir, common, top, head, symbolic = lines
            branch = symbolic.removeprefix("refs/heads/") if symbolic.startswith("refs/heads/") else None
        else:
            if result.missing:
                raise GitError("git is not installed or not on PATH")
            probe = parallel.run((*_GIT, *layout), cwd=start)
            if not probe.ok:
                raise GitError(f"not a git repository: {start.resolve()} (run `git init` to create one)")
            bare, git_dir, common = probe.out.splitlines()[:3]
            if bare == "true":
                raise GitError(f"{git_dir} is a bare repository: hookwright needs a work tree")
            shown = parallel.run((*_GIT, "rev-parse", "--show-toplevel"), cwd=start)
            if not shown.ok or not shown.out.strip():
                raise GitError(f"{start.resolve()} is inside a git directory, not a work tree")
            top = shown.out.strip()
        common_path = Path(common)
        if not common_path.is_absolute():
            common_path = (start / common_path).resolve()
        repo = cls(Path(top), Path(git_dir), common_path, _index_path(index, Path(top)))
        if head is not None:
            # Known already: spare the cached properties their own git processes.
            repo.__dict__["head"] = head
            repo.__dict__["branch"] = branch
        return repo

    def with_index(self, index_file: Path) -> Repo:
        """The same repository read through another index file (a frozen copy of the real one)."""
        view = Repo(self.root, self.git_dir, self.common_dir, index_file)
        for known in ("head", "branch", "state_dir", "worktree_key"):
            if known in self.__dict__:
                view.__dict__[known] = self.__dict__[known]
        return view

    # -- running git ------------------------------------------------------------------------------

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float | None = 120,
        cwd: Path | None = None,
        max_output: int | None = parallel.DEFAULT_MAX_OUTPUT,
    ) -> parallel.Completed:
        full_env = dict(self._env)
        if env:
            full_env.update(env)
        return parallel.run(
            (*_GIT, *args), cwd=cwd or self.root, env=full_env, input=input, timeout=timeout,
            max_output=max_output,
        )  # fmt: skip

    def check(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> bytes:
        """Run git and return its whole stdout (it is parsed: never cut); GitError when git fails."""
        result = self.run(*args, input=input, env=env, max_output=None)
        if not result.ok:
            message = result.err.strip().splitlines()
            raise GitError(f"git {args[0]} failed: {message[-1] if message else result.returncode}")
        return result.stdout

    @cached_property
    def state_dir(self) -> Path:
        """Where hookwright keeps records, cache and journals: shared by every worktree."""
        from hookwright.state_dirs import state_dir

        return state_dir(self.common_dir)

    @cached_property
    def worktree_key(self) -> str:
        """A short name for this work tree, so that per-worktree state does not collide."""

        return sha256(str(self.git_dir).encode()).hexdigest()[:12]

    # -- HEAD and repository state ----------------------------------------------------------------

    def rev_parse(self, ref: str) -> str | None:
        result = self.run("rev-parse", "-q", "--verify", "--end-of-options", f"{ref}^{{commit}}")
        return result.out.strip() or None if result.ok else None

    def resolve(self, ref: str) -> str:
        sha = self.rev_parse(ref)
        if sha is None:
            raise GitError(f"unknown revision: {ref!r} (is it fetched? `git fetch origin {ref}`)")
        return sha

    @cached_property
    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository with no commits yet."""
        return self.rev_parse("HEAD")

    @cached_property
    def branch(self) -> str | None:
        """The checked-out branch, or None on a detached HEAD."""
        result = self.run("symbolic-ref", "-q", "--short", "HEAD")
        return result.out.strip() or None if result.ok else None

    def in_progress(self) -> list[str]:
        """Operations git is in the middle of (merge, rebase, cherry-pick, revert, bisect)."""
        markers = {
            "MERGE_HEAD": "merge",
            "rebase-merge": "rebase",
            "rebase-apply": "rebase",
            "CHERRY_PICK_HEAD": "cherry-pick",
            "REVERT_HEAD": "revert",
            "BISECT_LOG": "bisect",
        }
        found = [name for marker, name in markers.items() if (self.git_dir / marker).exists()]
        return sorted(set(found))

    # -- the index --------------------------------------------------------------------------------

    def index_entries(self, index_file: Path | None = None) -> list[IndexEntry]:
        env = {"GIT_INDEX_FILE": str(index_file)} if index_file else None
        entries = []
        for record in self.check("ls-files", "-s", "-z", env=env).split(b"\0"):
            if record:
                meta, _, path = record.partition(b"\t")
                mode, blob, stage = meta.decode().split(" ")
                entries.append(IndexEntry(mode, blob, int(stage), path.decode("utf-8", "surrogateescape")))
        return entries

    def staged_changes(self, paths: Sequence[str] = ()) -> list[Change]:
        """What the next commit changes against HEAD (everything, in an empty repository)."""
        base = self.head or EMPTY_TREE
        raw = self.check("diff-index", "--cached", "-z", "-M", "--no-ext-diff", "--raw", base, "--", *paths)
        return parse_raw_diff(raw)

    def range_changes(self, base: str, head: str) -> list[Change]:
        raw = self.check("diff-tree", "-r", "-z", "-M", "--no-ext-diff", "--raw", base, head)
        return parse_raw_diff(raw)

    def status(self) -> WorkingTreeStatus:
        """Unstaged, untracked and unmerged paths, without taking the index lock."""
        out = self.check(
            "--no-optional-locks",
            "status",
            "--porcelain=v2",
            "-z",
            "--untracked-files=all",
            "--ignore-submodules=dirty",
        )
        unstaged: set[str] = set()
        untracked: set[str] = set()
        unmerged: set[str] = set()
        records = out.split(b"\0")
        i = 0
        while i < len(records):
            record = records[i].decode("utf-8", "surrogateescape")
            i += 1
            if not record:
                continue
            kind = record[0]
            if kind == "?":
                untracked.add(record[2:])
            elif kind == "u":
                unmerged.add(record.split(" ", 10)[10])
            elif kind in "12":
                fields = record.split(" ", 9 if kind == "2" else 8)
                path = fields[-1]
                if kind == "2":
                    i += 1  # with -z the original path of a rename follows as its own record
                if fields[1][1] != ".":
                    unstaged.add(path)
        return WorkingTreeStatus(frozenset(unstaged), frozenset(untracked), frozenset(unmerged))

    @contextlib.contextmanager
    def frozen_index(self) -> Iterator[Path | None]:
        """A private copy of the index being committed: one state, however the real one changes.

        Every read of a run (entries, changes, added lines, tree id, the export) comes from this
        copy, so they all describe the same state. None: no index yet (nothing staged).
        """
        source = self.index_file or (self.git_dir / "index")
        if self.index_file is not None and not source.is_file():
            # git reads a missing index as an empty one: verifying that would pass anything.
            raise GitError(f"GIT_INDEX_FILE names {source}, which does not exist")
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            yield None
            return
        with scratch_file(self.state_dir, "index") as copy:
            copy.write_bytes(data)
            yield copy

    def write_tree(self, index_file: Path | None = None) -> str:
        """The tree id of an index, computed on a private copy so the user's index is never written."""
        source = index_file or self.index_file or (self.git_dir / "index")
        if not source.exists():
            return EMPTY_TREE
        with scratch_file(self.state_dir, "write-tree") as copy:
            copy.write_bytes(source.read_bytes())
            result = self.run("write-tree", env={"GIT_INDEX_FILE": str(copy)})
        if not result.ok:
            if "unmerged" in result.err:
                # A conflicted index has no tree; its bytes still identify the state (cache keys,
                # records), and git_state reports the conflict itself.

                return sha256(source.read_bytes()).hexdigest()
            raise GitError(f"cannot compute the tree of the index: {result.err.strip()}")
        return result.out.strip()

    def ls_files(self, paths: Sequence[str] = ()) -> list[str]:
        return split_z(self.check("ls-files", "-z", "--", *paths))

    def config_get(self, key: str) -> str | None:
        result = self.run("config", "--get", key)
        return result.out.strip() if result.ok else None

    @cached_property
    def checkout_config(self) -> bytes:
        """The settings that decide the bytes a checkout writes (line endings, filters), read once.

        The export and the tests check's cache key both depend on them: one read makes them agree
        (and saves a git process per run).
        """
        from hookwright.git.conversion import CHECKOUT_CONFIG

        return self.run("config", "-z", "--get-regexp", CHECKOUT_CONFIG).stdout  # none set: exit 1

    # -- added lines ------------------------------------------------------------------------------

    def added_lines_staged(self, paths: Sequence[str] = ()) -> dict[str, frozenset[int]]:
        base = self.head or EMPTY_TREE
        patch = self.check(
            "diff-index",
            "--cached",
            "-p",
            "-U0",
            "--no-ext-diff",
            "--no-color",
            "-M",
            base,
            "--",
            *paths,
        )
        return parse_added_lines(patch)

    def added_lines_range(self, base: str, head: str) -> dict[str, frozenset[int]]:
        patch = self.check("diff-tree", "-r", "-p", "-U0", "--no-ext-diff", "--no-color", "-M", base, head)
        return parse_added_lines(patch)

    def merge_base(self, a: str, b: str) -> str | None:
        result = self.run("merge-base", a, b)
        return result.out.strip() or None if result.ok else None

    # -- notes ------------------------------------------------------------------------------------

    def add_note(self, commit: str, text: str, ref: str = "hookwright") -> None:
        self.check("notes", f"--ref={ref}", "add", "-f", "-F", "-", commit, input=text.encode())

    def show_note(self, commit: str, ref: str = "hookwright") -> str | None:
        result = self.run("notes", f"--ref={ref}", "show", commit, max_output=None)
        return result.out if result.ok else None
