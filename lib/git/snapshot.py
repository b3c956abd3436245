"""One private copy of the tree under verification per run, held for the whole run.

Checks read what is being committed, never the live work tree: an editor save or a second run must
not change the bytes a verdict is about. Copies live in numbered slots under the git common dir;
a run locks a free slot (``flock``, so a crashed run frees it) and keeps the lock until its checks
are done. Two runs at once get two slots: neither can see, or rewrite, the other's files.

A slot is filled in as checks ask: a file check asks for its files (``ensure``), a test run for the
whole tree (``whole``), and a run the cache answers asks for nothing. Only entries whose blob, mode or
file changed since the slot last held them are rewritten, and files nobody exported (a test's output)
are removed before a whole-tree check runs. The user's work tree and index are never touched
(pre-commit stashes and restores the work tree instead, which has lost users' work when interrupted).
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.filetypes import SYMLINK_MODE
from hookwright.git import slot_groups
from hookwright.git.repo import IndexEntry, Repo
from hookwright.lazy_regex import compile_lazily

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import IO

_ATTRIBUTES = (".gitattributes",)  # (a path ending so: a file of that name, or `x.gitattributes`)
_SKIP_MODES = {"160000"}  # submodules: a gitlink has no blob; a whole copy gets its commit's files
# What test tools write beside the tests for themselves (caches, coverage data): no test reads it.
# (A cache answers as its tool would without it. Not here: `.tox` and `*.egg-info`, environments and
# metadata a later test may import or read through; reports only as the run's options name them.)
_TOOL_OUTPUT = compile_lazily(
    r"__pycache__|\.pytest_cache|\.hypothesis|\.mypy_cache|\.ruff_cache|\.coverage(\..*)?|.*\.py[co]"
)
_MAX_SLOTS = 16  # beyond this many runs at once, the extra ones export into a throw-away directory


def _stamp(path: str) -> tuple[int, int, int, int] | None:
    """What tells us a file is still the one we wrote: any write, chmod or replace changes it."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def bytecode_prefix(repo: Repo) -> Path:
    """Where the tests of a slot keep their compiled modules (PYTHONPYCACHEPREFIX), run after run."""
    return repo.state_dir / "pycache"


def _forget_bytecode(root: Path, prefix: Path, paths: Iterable[str]) -> None:
    """Remove the compiled copies of Python files just rewritten in the slot.

    Python trusts a compiled module whose recorded source mtime (whole seconds) and size match:
    ``x * 3`` -> ``x * 4`` written in the same second as the last run's copy ran the old code, and
    the tests passed. What changed is compiled afresh; the rest keeps its bytecode. Both places
    count: ``__pycache__`` beside the source and the prefix tree (``prefix/<absolute folder>/``).
    """
    for path in paths:
        folder, _, name = path.rpartition("/")
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix not in ("py", "pyw"):
            continue
        source_dir = root / folder if folder else root
        spellings = {source_dir.absolute(), source_dir.resolve()}  # as sys.path names it, or resolved
        mirrored = [prefix / d.relative_to(d.anchor) for d in spellings]
        for cache in (source_dir / "__pycache__", *mirrored):
            if cache.is_dir():
                for compiled in cache.glob(f"{glob.escape(stem)}.*.pyc"):
                    _remove(compiled)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        import shutil  # here, not at import: it brings bz2 and lzma; most commits remove no folder

        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            path.unlink()


class Export:
    """The private copy of one tree, brought up to date path by path as checks ask for them."""

    def __init__(
        self, repo: Repo, root: Path, entries: Sequence[IndexEntry], index_file: Path | None
    ) -> None:
        self.root = root
        self._repo = repo
        self._index_file = index_file
        self._wanted = {e.path: e for e in entries if e.stage == 0 and e.mode not in _SKIP_MODES}
        self._gitlinks = {e.path: e.blob for e in entries if e.stage == 0 and e.mode in _SKIP_MODES}
        self._manifest_path = root.with_name(f"{root.name}.manifest")
        self._conversion_path = root.with_name(f"{root.name}.conversion")
        # Present from a test run on until a sweep: the copy may hold files the tree does not.
        self._dirty_path = root.with_name(f"{root.name}.dirty")
        self._swept = False
        self._conversion_checked = False
        known = read_snapshot(self._manifest_path)
        # path -> (mode and blob, stamp) as this slot last held it; anything else is started over.
        self._manifest: dict[str, tuple[str, tuple[int, ...] | None]] = (
            known if isinstance(known, dict) else {}
        )
        if not self._manifest:
            _remove(root)
        root.mkdir(parents=True, exist_ok=True)
        self._ready: set[str] = set()
        self._whole = False
        self._changed = False
        self._lock = threading.Lock()
        self._prefix = f"{root}{os.sep}"  # plain strings: this stats every entry a check asks for
        self._work_tree = os.path.realpath(repo.root)

    def _identity(self, entry: IndexEntry) -> str:
        """What a slot's file stands for: a link out of the tree also for the work tree it leads from
        (work trees of one repository share the slots)."""
        if entry.mode == SYMLINK_MODE:
            return f"{entry.mode} {entry.blob} {self._work_tree}"
        return f"{entry.mode} {entry.blob}"

    def ensure(self, paths: Iterable[str]) -> Path:
        """The root, with at least these paths exactly as in the tree (other paths may be stale)."""
        with self._lock:
            if not self._whole:
                if not self._swept:
                    self._sweep()
                todo = [p for p in paths if p in self._wanted and p not in self._ready]
                if todo:  # a file check reads its files one by one after one ensure of them all
                    self._bring(todo)
        return self.root

    def whole(self) -> Path:
        """The root, holding exactly the tree: every entry, and nothing else."""
        with self._lock:
            if not self._whole:
                with contextlib.suppress(OSError):  # (unwritable: the slot's next run sweeps anyway)
                    open(self._dirty_path, "a").close()  # a test run may write anywhere in it
                self._drop_deleted()
                self._bring([p for p in self._wanted if p not in self._ready])
                self._remove_extras()
                if self._gitlinks:  # (what a test wrote into them went with the extras)
                    from hookwright.git import submodules

                    submodules.export(self._repo, self.root, self._gitlinks)
                self._whole = True
                self._swept = True
        return self.root

    def _drop_deleted(self) -> None:
        for path in [p for p in self._manifest if p not in self._wanted]:
            _remove(self.root / path)
            del self._manifest[path]
            self._changed = True

    def _sweep(self) -> None:
        """Before a run's first file check: nothing the tree does not hold stays in the copy.

        ruff reads configurations and packages from the disk around the files it checks: a
        ``pkg/ruff.toml`` the index deletes, or an ``__init__.py`` a test run wrote, left in the
        slot by an earlier run, decided findings (a lenient config passed, INP001 did not fire).
        """
        self._swept = True
        self._drop_deleted()
        if os.path.exists(self._dirty_path):
            self._remove_extras()
            with contextlib.suppress(OSError):
                os.unlink(self._dirty_path)

    def restored(self) -> Path:
        """``whole`` again after a test run: what the run wrote, changed or removed is undone."""
        with self._lock:
            self._whole = False
            self._ready.clear()
        return self.whole()

    def _check_conversion(self) -> None:
        """Start over when the copy was written under other attributes or line-ending settings.

        A blob's bytes on disk depend on them (``eol=crlf``): same blob, same stamp, other bytes.
        """
        from hookwright.git.conversion import checkout_fingerprint

        self._conversion_checked = True
        attributes = [(p, e.blob) for p, e in self._wanted.items() if p.endswith(_ATTRIBUTES)]
        wanted = checkout_fingerprint(self._repo, attributes)
        try:
            held = self._conversion_path.read_text()
        except OSError:
            held = None
        if held == wanted:
            return
        # The manifest goes first: a run killed half-way through leaves a copy that starts over.
        self._manifest_path.unlink(missing_ok=True)
        self._manifest.clear()
        # Emptied, not removed: a pytest started early already has it as its working directory.
        for item in list(self.root.iterdir()):
            _remove(item)
        self._ready.clear()
        self._changed = True
        with contextlib.suppress(OSError):  # unwritten: the next run starts over too (slower, never wrong)
            self._conversion_path.write_text(wanted)

    def _bring(self, paths: list[str]) -> None:
        if not self._conversion_checked:
            self._check_conversion()
        todo = []
        for path in paths:
            entry = self._wanted[path]
            known = self._manifest.get(path)
            if (
                known is None
                or known[0] != self._identity(entry)
                or known[1] != _stamp(f"{self._prefix}{path}")
            ):
                todo.append(path)
        for path in todo:
            target = self.root / path
            if target.is_dir() and not target.is_symlink():
                _remove(target)  # a folder in the way of a file
            # ... or a file in the way of a folder.
            parent = target.parent
            while parent != self.root and not parent.is_dir():
                if parent.exists() or parent.is_symlink():
                    parent.unlink()
                    self._manifest.pop(parent.relative_to(self.root).as_posix(), None)
                    break
                parent = parent.parent
        self._repo.checkout_index(self.root, todo, self._index_file)
        self._link_out([p for p in todo if self._wanted[p].mode == SYMLINK_MODE])
        _forget_bytecode(self.root, bytecode_prefix(self._repo), todo)
        for path in todo:
            entry = self._wanted[path]
            self._manifest[path] = (self._identity(entry), _stamp(f"{self._prefix}{path}"))
        self._ready.update(paths)
        self._changed = self._changed or bool(todo)

    def _link_out(self, links: list[str]) -> None:
        """Point each link that climbs out of the tree where it leads from the user's work tree.

        ``../shared/x`` followed from the copy under ``.git/hookwright/`` reached another place (or
        nothing) than from the checkout: a test that skips without its data passed there.
        """
        if not links:
            return
        from hookwright.git import symlinks

        every = {p: e.blob for p, e in self._wanted.items() if e.mode == SYMLINK_MODE}
        contents = self._repo.read_blobs(set(every.values()))
        texts = {p: contents.get(b, b"").decode("utf-8", "surrogateescape") for p, b in every.items()}
        folders = symlinks.directories(self._wanted)
        for link in links:
            outside = symlinks.leaves_to(link, self._wanted, folders, texts)
            if outside is not None and not outside.startswith("/"):
                place = self.root / link
                place.unlink()
                place.symlink_to(os.path.join(self._work_tree, outside))

    def written(self, most: int = 3, reports: Callable[[str, str], bool] | None = None) -> list[str]:
        """Up to ``most`` paths a test run wrote, changed, removed or added in the whole copy.

        A later test of a plain run may read them (a file one test writes, another reads): a run
        that wrote into its tree is not one selection may narrow. Empty when the copy is not whole.
        ``reports(path, full path)``: the file or folder is what the run's tools write once every test ran.
        """
        found: list[str] = []
        with self._lock:
            if not self._whole:
                return found
            for path in self._wanted:
                known = self._manifest.get(path)
                if known is None or known[1] != _stamp(f"{self._prefix}{path}"):
                    found.append(path)
                    if len(found) >= most:
                        return found
            for path, full in self._extras():
                if path in self._gitlinks or _TOOL_OUTPUT.fullmatch(path.rpartition("/")[2]):
                    continue  # (a submodule's files were exported there on purpose)
                if reports is None or not reports(path, full):
                    found.append(path)
                    if len(found) >= most:
                        break
        return found

    def _extras(self) -> Iterator[tuple[str, str]]:
        """(path, full path) of each file or folder in the copy that the tree does not hold."""
        needed_dirs = {"/".join(p.split("/")[:i]) for p in self._wanted for i in range(1, p.count("/") + 1)}
        stack = [("", str(self.root))]
        while stack:
            rel, full = stack.pop()
            try:
                items = list(os.scandir(full))
            except OSError:
                continue
            for item in items:
                path = f"{rel}{item.name}"
                if path in self._wanted:
                    continue
                if path in needed_dirs and item.is_dir(follow_symlinks=False):
                    stack.append((f"{path}/", item.path))
                else:
                    yield path, item.path

    def _remove_extras(self) -> None:
        """Files a previous run left (a test's output) are not part of the tree: they go."""
        for _, full in list(self._extras()):
            _remove(Path(full))

    def close(self) -> None:
        if self._changed:
            write_snapshot(self._manifest_path, self._manifest)


def _lock_slot(base: Path, preferred: int) -> tuple[Path, IO[str]] | None:
    """Lock the first free slot, ``preferred`` first: its path and the open lock (closing frees it).
    None when no slot can be had (every one busy, or the state directory unwritable)."""
    try:
        base.mkdir(parents=True, exist_ok=True)
        for number in [preferred, *(i for i in range(_MAX_SLOTS) if i != preferred)]:
            handle = (base / f"slot-{number}.lock").open("a")
            with contextlib.suppress(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if not slot_groups.still_running(base / f"slot-{number}"):  # a killed run's pytest
                    return base / f"slot-{number}", handle
            handle.close()
    except OSError:
        pass
    return None


@contextlib.contextmanager
def exported(repo: Repo, entries: Sequence[IndexEntry], index_file: Path | None = None) -> Iterator[Export]:
    """The private copy of ``entries`` (from ``index_file``), for the caller alone until exit."""
    preferred = int(repo.worktree_key, 16) % 4  # each work tree keeps coming back to its own slot
    locked = _lock_slot(repo.common_dir / "hookwright" / "snapshots", preferred)
    if locked is None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="hookwright-tree-") as scratch:
            yield Export(repo, Path(scratch) / "tree", entries, index_file)
        return
    slot, lock = locked
    with lock, slot_groups.recorded(slot):  # closing the lock file frees the slot, also on a crash
        export = Export(repo, slot, entries, index_file)
        try:
            yield export
        finally:
            export.close()


def _outside_git_dirs() -> str | None:
    """The temporary folder, or when TMPDIR lies inside a ``.git`` (a per-repository one) the
    system's: there too every test would be skipped, and the suite failed with none found."""
    import tempfile

    chosen = tempfile.gettempdir()
    if ".git" not in Path(chosen).resolve().parts:
        return None
    for folder in ("/tmp", "/var/tmp", "/usr/tmp"):
        usable = os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK)
        if usable and ".git" not in Path(folder).resolve().parts:
            return folder
    return None  # nowhere else to go: jest then says it found no test, a failure, never a pass


@contextlib.contextmanager
def elsewhere(export: Export) -> Iterator[Path]:
    """The same tree, whole, in a throw-away directory of this run's own (removed on exit).

    For a tool that skips every file with a ``.git`` part in its path: jest's file finder does
    (and resolves a symlink to the slot first), so under ``.git/hookwright/`` it found no test.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-tree-", dir=_outside_git_dirs()) as scratch:
        copy = Export(export._repo, Path(scratch) / "tree", list(export._wanted.values()), export._index_file)
        yield copy.whole()


@contextlib.contextmanager
def exported_tree(repo: Repo, treeish: str) -> Iterator[Path]:
    """The whole of a commit or tree (a base to compare with), exported through a private index."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-index-") as tmp:
        index = Path(tmp) / "index"
        repo.read_tree_into(treeish, index)
        with exported(repo, repo.index_entries(index), index) as export:
            yield export.whole()
