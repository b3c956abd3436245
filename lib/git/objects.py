"""What the object store holds, read in bulk: trees, blobs by id or by path, and exports of them.

Repo inherits these; they are apart because they share one concern (``cat-file --batch``, ``ls-tree``,
``checkout-index`` and their exact parsing) and nothing of Repo's discovery or index handling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from hookwright import parallel
from hookwright.errors import GitError

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)

# Blobs this process has read, by id. An id names its bytes (it is their hash), so a blob read once
# is the same blob wherever it is asked for again: a new-function commit read the same three blobs
# in five `git cat-file` processes (doc mentions, fresh names twice, name listers, the import scan),
# each 2-3 ms of CPU and more of wall time. Small blobs only, and a bounded total: a cold run over a
# large tree reads every blob once and keeps what fits.
_READ: dict[str, bytes] = {}
_READ_BLOB_MAX = 256 * 1024
_READ_TOTAL_MAX = 16 * 1024 * 1024
_read_total = [0]


_HEX = frozenset("0123456789abcdef")


def _remember(blobs: dict[str, bytes]) -> None:
    for blob, data in blobs.items():
        if len(blob) not in (40, 64) or not _HEX.issuperset(blob):
            continue  # a name (`HEAD:path`, an abbreviation) can mean other bytes later: not kept
        if len(data) <= _READ_BLOB_MAX and _read_total[0] + len(data) <= _READ_TOTAL_MAX:
            _READ[blob] = data
            _read_total[0] += len(data)


class ObjectReads:
    """Bulk reads of git objects; the class that mixes this in provides ``run`` and ``check``."""

    if TYPE_CHECKING:
        # Repo's own methods, named here only for their results: their signatures live once, in Repo.
        git_dir: Path

        @property
        def state_dir(self) -> Path: ...

        run: Callable[..., parallel.Completed]
        check: Callable[..., bytes]

    def tree_files(self, treeish: str) -> dict[str, str]:
        """Every file of a commit or tree: path -> blob (submodules and trees left out)."""
        files = {}
        for record in self.check("ls-tree", "-r", "-z", "--full-tree", treeish).split(b"\0"):
            meta, _, path = record.partition(b"\t")
            parts = meta.split(b" ")
            if len(parts) == 3 and parts[1] == b"blob":
                files[path.decode("utf-8", "surrogateescape")] = parts[2].decode()
        return files

    def read_tree_into(self, tree: str, index_file: Path) -> None:
        """Load a tree into a private index file (for exporting a commit without a checkout)."""
        self.check("read-tree", tree, env={"GIT_INDEX_FILE": str(index_file)})

    def checkout_index(self, prefix: Path, paths: Iterable[str], index_file: Path | None = None) -> None:
        """Write the index version of ``paths`` under ``prefix`` (never the work tree).

        Entries a sparse checkout keeps out of the work tree are part of the commit all the same.
        Line endings and filters follow the index's ``.gitattributes``, as a checkout of the commit
        would: git reads the work tree's first, so it gets an empty folder as its work tree (an
        unstaged ``eol=crlf`` line must not change the bytes a verdict is about).
        """
        from hookwright.git.scratch import empty_folder

        data = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)
        if not data:
            return
        argv = ["checkout-index", "-f", "-q", "-z", "--stdin", f"--prefix={prefix}/"]
        with empty_folder(self.state_dir) as nowhere:
            env = {"GIT_DIR": str(self.git_dir), "GIT_WORK_TREE": str(nowhere)}
            if index_file:
                env["GIT_INDEX_FILE"] = str(index_file)
            result = self.run(*argv, "--ignore-skip-worktree-bits", input=data, env=env, cwd=nowhere)
            if not result.ok and "ignore-skip-worktree-bits" in result.err:  # git before 2.36
                result = self.run(*argv, input=data, env=env, cwd=nowhere)
        if not result.ok:
            message = result.err.strip().splitlines()
            raise GitError(f"git checkout-index failed: {message[-1] if message else result.returncode}")

    def read_blobs(self, blobs: Iterable[str]) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        known = {blob: _READ[blob] for blob in wanted if blob in _READ}
        asked = [blob for blob in wanted if blob not in known]
        if not asked:
            return known
        fetched = self._fetch_blobs(asked)
        _remember(fetched)
        found = {**known, **fetched}
        return {blob: found[blob] for blob in wanted if blob in found}

    def _fetch_blobs(self, wanted: list[str]) -> dict[str, bytes]:
        out = self.check("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        result: dict[str, bytes] = {}
        pos = 0
        for blob in wanted:
            end = out.find(b"\n", pos)
            header = out[pos:end].split() if end >= 0 else []
            if len(header) == 2 and header[1] == b"missing":
                pos = end + 1
                continue
            # Every header names the object asked for and its size, and the bytes follow in full: a
            # mismatch is an error, never a guess at what a blob holds.
            if len(header) != 3 or not header[2].isdigit():
                raise GitError(f"git cat-file --batch: unexpected output for {blob}")
            size = int(header[2])
            pos = end + 1
            if out[pos + size : pos + size + 1] != b"\n":
                raise GitError(f"git cat-file --batch: {blob} is shorter than its {size} bytes")
            result[blob] = out[pos : pos + size]
            pos += size + 1
        return result

    def read_paths(self, paths: Iterable[str], where: str = ":0") -> dict[str, bytes]:
        """Files by path as the index (``:0``) or a commit (``HEAD``) holds them; absent ones left out."""
        wanted = list(paths)
        out = self.check("cat-file", "--batch", input="".join(f"{where}:{p}\n" for p in wanted).encode())
        found: dict[str, bytes] = {}
        pos = 0
        for path in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if header[-1:] == [b"missing"]:
                continue
            if len(header) != 3 or not header[2].isdigit():
                raise GitError(f"git cat-file --batch: unexpected output for {where}:{path}")
            size = int(header[2])
            if header[1] == b"blob":
                found[path] = out[pos : pos + size]
            pos += size + 1
        return found

    def blob_sizes(self, blobs: Iterable[str]) -> dict[str, int]:
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return {}
        out = self.check("cat-file", "--batch-check", input=("\n".join(wanted) + "\n").encode())
        sizes = {}
        for line in out.decode().splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob":
                sizes[parts[0]] = int(parts[2])
        return sizes
