"""What kind of file a path in the verified tree is: identify's tags, as pre-commit computes them.

pre-commit picks the files a hook sees with ``identify.tags_from_path`` on the work tree. Here the
file is a tree entry: its mode comes from the index, its bytes from the read root, so the tags are
the ones identify would give the committed file, not whatever the work tree holds now. identify
(~3 ms to import) is loaded only when a tag is asked for.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.target import Target

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


@functools.lru_cache(maxsize=4096)
def from_name(path: str) -> frozenset[str]:
    """Tags the name alone gives (``Pipfile``, ``x.ipynb``, ``.babelrc``): no mode, no content."""
    from identify import identify

    return frozenset(identify.tags_from_filename(path.rsplit("/", 1)[-1]))


def tags(target: Target, path: str) -> frozenset[str]:
    """identify's ``tags_from_path`` for the entry ``path`` of the verified tree."""
    entry = target.entries.get(path)
    if entry is None:  # not in the tree: nothing to cache it by
        return _tags.__wrapped__(str(target.path(path)), path, "100644", "")
    return _tags(str(target.path(path)), path, entry.mode, entry.blob)


@functools.lru_cache(maxsize=8192)
def _tags(disk_path: str, path: str, mode: str, blob: str) -> frozenset[str]:
    # The blob is part of the key: content decides a shebang and text or binary.
    if mode == SYMLINK_MODE:
        return frozenset({"symlink"})
    if mode == GITLINK_MODE:
        return frozenset({"directory"})
    from identify import identify

    executable = mode == _EXECUTABLE_MODE
    found = {"file", "executable" if executable else "non-executable"}
    by_name = from_name(path)
    found |= by_name
    try:
        # As identify does: the name wins; a shebang is read only from an executable file.
        if not by_name and executable:
            with open(disk_path, "rb") as handle:
                shebang = identify.parse_shebang(handle)
            if shebang:
                found |= identify.tags_from_interpreter(shebang[0])
        if not found & identify.ENCODING_TAGS:
            with open(disk_path, "rb") as handle:
                found.add("text" if identify.is_text(handle) else "binary")
    except OSError:
        # Unreadable here: the checks that read it report that; never guess "text" for it.
        found.add("binary")
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
