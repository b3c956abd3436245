"""What kind of file a path in the verified tree is: identify's tags, as pre-commit computes them.

pre-commit picks the files a hook sees with ``identify.tags_from_path`` on the work tree. Here the
file is a tree entry: its mode comes from the index, its first bytes from its blob, so the tags are
the ones identify would give the committed file, not whatever the work tree holds now. identify
(~3 ms to import) is loaded only when a tag is asked for.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Collection, Iterable, Mapping, Sequence

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.git.target import Target

SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"
_EXECUTABLE_MODE = "100755"

# identify's tag -> the parser the syntax check runs. `.pyi` stubs are tagged `pyi` only; they are
# Python all the same, and CPython's compiler checks them.
LANGUAGES = {"python": "python", "pyi": "python", "json": "json", "yaml": "yaml", "toml": "toml"}


def language(tags: Collection[str]) -> str | None:
    for tag, name in LANGUAGES.items():
        if tag in tags:
            return name
    return None


# Sized past a large repository's file count: a cache smaller than the paths it cycles through
# (5,306 in the 5,000-module benchmark, each asked for three times) misses on every lookup.
@functools.lru_cache(maxsize=1 << 17)
def from_name(path: str) -> frozenset[str]:
    """Tags the name alone gives (``Pipfile``, ``x.ipynb``, ``.babelrc``): no mode, no content."""
    from identify import identify

    return frozenset(identify.tags_from_filename(path.rsplit("/", 1)[-1]))


_HEAD = 8192  # enough for a shebang (nix-shell's continuation lines too) and identify's 1 KB text test
_heads: dict[str, bytes] = {}  # blob id -> its first bytes; a blob id names its content for good
_REGULAR = ("100644", _EXECUTABLE_MODE)


def _needs_content(path: str, mode: str) -> bool:
    by_name = from_name(path)
    if not by_name and mode == _EXECUTABLE_MODE:
        return True  # a shebang may say what it is
    return not by_name & {"text", "binary"}


def prefetch(target: Target, paths: Iterable[str]) -> None:
    """Read, in one git call, the first bytes of every blob among ``paths`` whose tags need them.

    From the object store, not the checks' copy of the tree: choosing files must not export any.
    """
    wanted = set()
    for path in paths:
        entry = target.entries.get(path)
        if entry is None or entry.mode not in _REGULAR or entry.blob in _heads:
            continue
        if _needs_content(path, entry.mode):
            wanted.add(entry.blob)
    if not wanted:
        return
    if len(_heads) > 100_000:
        _heads.clear()
    contents = target.repo.read_blobs(wanted)
    for blob in wanted:
        _heads[blob] = contents.get(blob, b"")[:_HEAD]


def tags(target: Target, path: str) -> frozenset[str]:
    """identify's ``tags_from_path`` for the entry ``path`` of the verified tree."""
    entry = target.entries.get(path)
    if entry is None:
        return frozenset()
    if entry.mode in _REGULAR and entry.blob not in _heads and _needs_content(path, entry.mode):
        prefetch(target, (path,))
    return _tags(path, entry.mode, entry.blob)


@functools.lru_cache(maxsize=1 << 17)
def _tags(path: str, mode: str, blob: str) -> frozenset[str]:
    if mode == SYMLINK_MODE:
        return frozenset({"symlink"})
    if mode == GITLINK_MODE:
        return frozenset({"directory"})
    from identify import identify

    executable = mode == _EXECUTABLE_MODE
    found = {"file", "executable" if executable else "non-executable"}
    by_name = from_name(path)
    found |= by_name
    # As identify does: the name wins; a shebang is read only from an executable file.
    if not by_name and executable:
        shebang = identify.parse_shebang(io.BytesIO(_heads.get(blob, b"")))
        if shebang:
            found |= identify.tags_from_interpreter(shebang[0])
    if not found & identify.ENCODING_TAGS:
        found.add("text" if identify.is_text(io.BytesIO(_heads.get(blob, b""))) else "binary")
    return frozenset(found)


def unknown_tags(tags_: Sequence[str]) -> list[str]:
    from identify import identify

    return [t for t in tags_ if t not in identify.ALL_TAGS]


class TypeFilter:
    """``types`` (all of), ``types_or`` (any of), ``exclude_types`` (none of), as in pre-commit."""

    def __init__(self, types: Sequence[str], types_or: Sequence[str], exclude_types: Sequence[str]) -> None:
        self.types = frozenset(types)
        self.types_or = frozenset(types_or)
        self.exclude_types = frozenset(exclude_types)
        # Every regular file carries `file`: with nothing else asked, no tag needs computing.
        self.trivial = self.types <= {"file"} and not self.types_or and not self.exclude_types

    @classmethod
    def from_options(cls, options: Mapping[str, Any], name: str, default: Sequence[str]) -> TypeFilter:
        from hookwright.errors import ConfigError

        types = options.get("types")
        chosen = cls(
            default if types is None else types,
            options.get("types_or") or (),
            options.get("exclude_types") or (),
        )
        asked = [*chosen.types, *chosen.types_or, *chosen.exclude_types]
        if not chosen.trivial:
            unknown = unknown_tags(asked)
            if unknown:
                raise ConfigError(
                    f"checks: {name}: unknown type tag {unknown[0]!r} (the tags are identify's, as in "
                    "pre-commit: python, yaml, text, binary, executable, symlink, ...)"
                )
        return chosen

    def matches(self, target: Target, path: str) -> bool:
        entry = target.entries.get(path)
        if self.trivial and (entry is None or entry.mode not in (SYMLINK_MODE, GITLINK_MODE)):
            return True
        found = tags(target, path)
        return (
            self.types <= found
            and (not self.types_or or bool(self.types_or & found))
            and not self.exclude_types & found
        )
