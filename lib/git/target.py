"""Which tree is verified and which of its files: the staged index, a commit range, or all files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from hookwright import parallel
from hookwright.errors import BadInput
from hookwright.frozen import dataclass, field
from hookwright.git import snapshot
from hookwright.git.parsing import Change
from hookwright.git.repo import EMPTY_TREE, NULL_SHA, IndexEntry, Repo

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, Literal

    Mode = Literal["staged", "all", "range", "files"]

_CONTENT_MODES = ("100644", "100755")
EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
_MANY_PATHS = 2000  # beyond this many, list the whole tree rather than name each path
_LITERAL = {"GIT_LITERAL_PATHSPECS": "1"}  # a path named `*.py` is that file, not a pattern


@dataclass(frozen=True)
class Target:
    """The tree under verification; checks read its files through it (see ``read_root``)."""

    mode: Mode
    repo: Repo
    root: Path  # where its files are read: a private copy (``export``), or a worktree made for this run
    tree: str
    files: tuple[str, ...]  # regular files under verification, repository-relative
    entries: Mapping[str, IndexEntry]  # every entry of the tree (path -> mode, blob)
    changes: tuple[Change, ...] = ()  # what the commit / range changes
    added_lines: Mapping[str, frozenset[int]] | None = None  # None: every line counts as added
    head: str | None = None
    base: str | None = None  # the commit the change is judged against (HEAD; a range's merge-base)
    branch: str | None = None
    from_ref: str | None = None
    to_ref: str | None = None
    shadow: bool = True  # read from a private copy of the tree (False: a worktree made for this run)
    unmerged: tuple[str, ...] = ()
    extra_env: Mapping[str, str] = field(default_factory=dict)
    export: snapshot.Export | None = None  # None: ``root`` holds exactly the tree already

    @property
    def read_root(self) -> Path:
        """The root with the whole tree in place, for what reads any file (a test run, a command)."""
        return self.export.whole() if self.export is not None else self.root

    def restored_root(self) -> Path:
        """``read_root`` as the tree holds it, undoing what a test run before wrote there."""
        return self.export.restored() if self.export is not None else self.root

    def ensure(self, relpaths: Iterable[str]) -> Path:
        """The root with at least ``relpaths`` in place (what a file check reads); cheaper than whole."""
        return self.export.ensure(relpaths) if self.export is not None else self.root

    def path(self, relpath: str) -> Path:
        return self.ensure((relpath,)) / relpath

    def read(self, relpath: str) -> bytes:
        return self.path(relpath).read_bytes()

    def blob(self, relpath: str) -> str | None:
        entry = self.entries.get(relpath)
        return entry.blob if entry else None

    def whole(self, relpath: str) -> bool:
        """Every line of this file counts as added (all-files mode, or a file named but not changed)."""
        return self.added_lines is None or (self.mode == "files" and relpath not in self.added_lines)

    def adds_to(self, relpath: str) -> bool:
        """The change adds at least one line to this file."""
        return self.whole(relpath) or bool(self.added_lines and self.added_lines.get(relpath))

    def is_added(self, relpath: str, line: int) -> bool:
        if self.whole(relpath):
            return True
        assert self.added_lines is not None
        return line in self.added_lines.get(relpath, ())

    def describe(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "tree": self.tree,
            "head": self.head,
            "branch": self.branch,
            "from_ref": self.from_ref,
            "to_ref": self.to_ref,
            "files": list(self.files),
            "shadow": self.shadow,
        }


def _content_files(entries: Mapping[str, IndexEntry], paths: Sequence[str]) -> tuple[str, ...]:
    return tuple(p for p in dict.fromkeys(paths) if p in entries and entries[p].mode in _CONTENT_MODES)


def tree_env(root: Path, entries: Mapping[str, IndexEntry]) -> dict[str, str]:
    """Environment for code run in a copy of the tree: its own sources first on the import path.

    An editable install points at the user's work tree; tests in a copy must import the copy.
    """
    has_src = any(p.startswith("src/") for p in entries)
    paths = [str(root / "src")] if has_src else []
    paths.append(str(root))
    existing = os.environ.get("PYTHONPATH")
    # Named apart too: a plain run has them on sys.path only after start-up, so a sitecustomize.py of
    # the tree is not the one the interpreter runs at its start (child_start/sitecustomize.py).
    return {
        "PYTHONPATH": os.pathsep.join([*paths, existing] if existing else paths),
        "HOOKWRIGHT_PYTEST_TREE_PATH": os.pathsep.join(paths),
    }


def _intent_to_add(repo: Repo, tree: str, entries: Sequence[IndexEntry]) -> frozenset[str]:
    """Paths ``git add -N`` put in the index: listed there (as empty files), absent from the commit.

    Exported, an empty ``tests/__init__.py`` the commit does not hold made two same-named test files
    importable, and the suite passed where a clean checkout fails to collect it.
    """
    empty = [e.path for e in entries if e.stage == 0 and e.blob == EMPTY_BLOB]
    if not empty:
        return frozenset()
    if len(empty) > _MANY_PATHS:
        held = set(repo.tree_files(tree))
    else:
        argv = ("ls-tree", "-r", "-z", "--full-tree", "--name-only", tree, "--", *empty)
        listed = repo.check(*argv, env=_LITERAL)
        held = {p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p}
    return frozenset(p for p in empty if p not in held)


@contextlib.contextmanager
def staged(
    repo: Repo,
    index: Path | None,
    filenames: Sequence[str] = (),
    *,
    all_files: bool = False,
    in_place: bool = False,
) -> Iterator[Target]:
    """What the next commit records: ``index``, a frozen copy of the index (``Repo.frozen_index``).

    Its tree id, entries, changes and the private export all come from that one copy, so a
    ``git add`` or an editor save during the run changes nothing the checks see.
    """
    view = repo.with_index(index) if index is not None else repo
    # Independent reads of one frozen index: started together, they cost about one
    # (write_tree works on a copy of its own, so it cannot disturb the others).
    reads: list[Callable[[], Any]] = [
        lambda: view.write_tree(index) if index is not None else EMPTY_TREE,
        lambda: view.index_entries(index) if index is not None else [],
        view.staged_changes,
        view.added_lines_staged,
    ]
    results = parallel.run_many(reads, jobs=4)
    tree: str = results[0]
    all_entries: list[IndexEntry] = results[1]
    changes: list[Change] = results[2]
    added: dict[str, frozenset[int]] | None = results[3]
    unmerged = tuple(sorted({e.path for e in all_entries if e.stage != 0}))
    if not unmerged:
        intended = _intent_to_add(view, tree, all_entries)
        all_entries = [e for e in all_entries if e.path not in intended]
        changes = [c for c in changes if c.path not in intended]
    entries = {e.path: e for e in all_entries if e.stage == 0}
    mode: Mode = "staged"
    paths: Sequence[str] = [c.path for c in changes if c.status != "D"]
    if all_files:
        mode, paths, added = "all", list(entries), None
    elif filenames:
        # pre-commit passes the staged files that match the hook's filters (all of them with
        # --all-files): verify exactly those.
        mode, paths = "files", named_paths(filenames, repo.root, entries)
    with snapshot.exported(repo, all_entries, index) if not in_place else contextlib.nullcontext() as export:
        root = export.root if export is not None else repo.root
        yield Target(
            mode=mode,
            repo=repo,
            root=root,
            tree=tree,
            files=_content_files(entries, paths),
            entries=entries,
            changes=tuple(changes),
            added_lines=added,
            head=repo.head,
            base=repo.head,
            branch=repo.branch,
            shadow=not in_place,
            unmerged=unmerged,
            extra_env=tree_env(root, entries),
            export=export,
        )


@contextlib.contextmanager
def commit_range(repo: Repo, from_ref: str | None, to_ref: str) -> Iterator[Target]:
    """What a push or a pull request adds: ``from_ref..to_ref`` read at ``to_ref``."""
    head = repo.resolve(to_ref)
    if from_ref is None or from_ref == NULL_SHA or set(from_ref) == {"0"}:
        # A new branch: what it adds over the default remote branch, else everything it holds.
        base = repo.rev_parse("origin/HEAD")
    else:
        base = repo.resolve(from_ref)
    compare = (repo.merge_base(base, head) if base else None) or EMPTY_TREE
    changes = tuple(repo.range_changes(compare, head))
    added = repo.added_lines_range(compare, head)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-index-") as tmp:
        index = Path(tmp) / "index"
        repo.read_tree_into(head, index)
        all_entries = repo.index_entries(index)
        entries = {e.path: e for e in all_entries}
        files = _content_files(entries, [c.path for c in changes if c.status != "D"])
        with snapshot.exported(repo, all_entries, index) as export:
            yield Target(
                mode="range",
                repo=repo,
                root=export.root,
                tree=repo.write_tree(index),
                files=files,
                entries=entries,
                changes=changes,
                added_lines=added,
                head=head,
                base=compare if compare != EMPTY_TREE else None,
                branch=repo.branch,
                from_ref=from_ref,
                to_ref=to_ref,
                extra_env=tree_env(export.root, entries),
                export=export,
            )


def named_paths(filenames: Sequence[str], root: Path, entries: Mapping[str, IndexEntry]) -> list[str]:
    """The index paths the user named: files, or folders standing for every file under them.

    A name that is not in the index is bad input: verifying "nothing" would pass it unchecked.
    """
    paths: list[str] = []
    for name in filenames:
        path = normalise(name, root)
        if path in entries:
            paths.append(path)
            continue
        inside = [p for p in entries if p.startswith(f"{path}/") or path in ("", ".")]
        if not inside:
            hint = ""
            if name.startswith("-"):
                hint = (
                    "; arguments after `--` are file names: put hook options in .hookwright.yaml,"
                    " or before the `--` in the hook's entry"
                )
            raise BadInput(f"{name}: not in the index (`git add` it to verify it){hint}")
        paths.extend(inside)
    return paths


def normalise(filename: str, root: Path) -> str:
    path = Path(filename)
    if path.is_absolute():
        try:
            path = path.resolve().relative_to(root.resolve())
        except ValueError:
            raise BadInput(f"{filename}: outside the repository {root}") from None
    else:
        cwd_rel = Path.cwd().resolve()
        if cwd_rel != root.resolve() and cwd_rel.is_relative_to(root.resolve()):
            path = cwd_rel.relative_to(root.resolve()) / path
    text = path.as_posix()
    if text.startswith("../") or text == "..":
        raise BadInput(f"{filename}: outside the repository {root}")
    return text.removeprefix("./")
