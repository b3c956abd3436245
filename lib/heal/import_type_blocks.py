"""Whether a type-only standard-library name goes to the top or into the file's ``if TYPE_CHECKING:``.

Projects differ, and each is consistent: virtualenv's blocks hold a standard-library import in 69 of
its 78 files with one (ruff's TC003), litestar's in 129 of 297, xarray's in 3 of 69 and
prompt_toolkit's in none of 29 (their files import ``datetime`` and ``Callable`` at the top even
where only annotations read them). A block that holds only the project's own modules, in a project
whose blocks almost never hold the standard library, says the top; otherwise the block, as before.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable

from hookwright.heal.import_stdlib import CLEAR_MARGIN
from hookwright.heal.import_usage import type_checking_block
from hookwright.heal.project_names import STDLIB, ProjectIndex

_MIN_BLOCKS = 3  # fewer files with a block than this: no habit to read
# per project: (keeps the standard library at the top, keeps `typing` names in its blocks)
_HABITS: weakref.WeakKeyDictionary[ProjectIndex, tuple[bool, bool]] = weakref.WeakKeyDictionary()


def _tops(block: list[ast.stmt]) -> list[str | None]:
    """The top-level package of each import in ``block`` (None: relative)."""
    tops: list[str | None] = []
    for node in block:
        if isinstance(node, ast.ImportFrom):
            tops.append(None if node.level else (node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            tops += [alias.name.split(".")[0] for alias in node.names]
    return tops


def _holds_stdlib(block: list[ast.stmt]) -> bool:
    return any(top in STDLIB and top not in ("typing", "__future__") for top in _tops(block))


def _holds_typing(block: list[ast.stmt]) -> bool:
    return "typing" in _tops(block)


def _habits(index: ProjectIndex) -> tuple[bool, bool]:
    """Of the project's files whose ``TYPE_CHECKING`` block imports anything: fewer than one in
    ``CLEAR_MARGIN`` import the standard library (other than ``typing``) there; and all but one in
    ``CLEAR_MARGIN`` import from ``typing`` there (sentry-python: 157 of 164 blocks; pip 33 of 136,
    scrapy 72 of 251, flask 1 of 19 do not)."""
    if index not in _HABITS:
        blocks = with_stdlib = with_typing = 0
        for relpath in index.files:
            text = index.text(relpath)
            if text is None or "TYPE_CHECKING" not in text:
                continue
            try:
                block = type_checking_block(ast.parse(text))
            except (SyntaxError, ValueError):
                continue
            if block is None or not _tops(block.body):
                continue
            blocks += 1
            with_stdlib += _holds_stdlib(block.body)
            with_typing += _holds_typing(block.body)
        enough = blocks >= _MIN_BLOCKS
        _HABITS[index] = (
            enough and with_stdlib * CLEAR_MARGIN < blocks,
            enough and (blocks - with_typing) * CLEAR_MARGIN < blocks,
        )
    return _HABITS[index]


def typing_names_in_blocks(index: ProjectIndex | None) -> bool:
    """The project imports ``typing``'s names inside its ``TYPE_CHECKING`` blocks, file after file,
    even beside ``from typing import TYPE_CHECKING`` at the top."""
    return index is not None and _habits(index)[1]


def stdlib_types_at_top(index: ProjectIndex | None) -> Callable[[list[ast.stmt]], bool]:
    """For a file's block: whether a type-only standard-library name goes to the top instead."""

    def at_top(block: list[ast.stmt]) -> bool:
        tops = _tops(block)
        first_party = index.top_level_names if index is not None else frozenset()
        own_only = bool(tops) and all(top is None or top in first_party for top in tops)
        return own_only and index is not None and _habits(index)[0]

    return at_top
