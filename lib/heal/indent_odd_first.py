"""A block's first statement at an odd level, the rest of the block one file step in.

``class C:`` / ``   x = 1`` (three spaces) / ``    y = 2`` (four, the file's step): CPython calls the
*second* line an "unexpected indent", since the first one set the block's level. The lines agree
with the header and the file's own step; the first one does not. Putting it back moves one line,
where dedenting the rest would move the whole block off the file's step (twisted's finger
listings, reindented in 2004, lost exactly this to a partial revert).
"""

from __future__ import annotations

from hookwright.heal.fix_base import body, compiles_past, end_of_code, indent_of, is_code, statement_starts
from hookwright.heal.indent_lines import (
    body_end,
    logical_extent,
    next_code_indent,
    opens_block,
    reindent,
    width,
)


def odd_first_statement(lines: list[str], header: int, first: int, current: str, unit: str) -> bool:
    """Line ``first`` is the first statement of the block line ``header`` opens, at a level off the
    file's step, and ``current`` (the line after it) is one step in from the header."""
    code = [line for line in lines[header - 1 : first - 1] if is_code(line)]
    text = body(code[-1]) if code else ""
    if not text[: end_of_code(text)].rstrip().endswith(":") or unit == "\t":
        return False  # the statement before is not a header whose block this line starts
    step = indent_of(lines[header - 1]) + unit
    return current == step and indent_of(lines[first - 1]) != step


def first_statement_to_its_block(lines: list[str], number: int, unit: str) -> str | None:
    """ "Unindent does not match" at ``number``: the block's first statement stands deeper than the rest.

    ``class C:`` / (many spaces) ``x: int`` / ``    y: str``: the first line set the block's level, so
    CPython finds the second one matching no open level. The rest of the block agrees on a level
    (one file step in from the header, or two statements standing there); the line before does
    not. Moving it there repairs the block in one line, where dedenting the rest would empty the
    block line by line (history7: pexpect's ``expect.py``, pyload's ``data.py``).
    """
    starts = statement_starts("".join(lines[: number - 1]))
    if len(starts) < 2:
        return None
    header, first = _block_start(lines, starts, indent_of(lines[number - 1]))
    if not _ends_with_colon(lines[logical_extent(lines, header) - 1]):
        return None  # the line before is not the header of the block this one starts
    current, moved = indent_of(lines[number - 1]), indent_of(lines[first - 1])
    if not width(indent_of(lines[header - 1]), 8) < width(current, 8) < width(moved, 8):
        return None
    if current != indent_of(lines[header - 1]) + unit and not _next_agrees(lines, number, current):
        return None  # one line against one: nothing says which of them the block is at
    extent = logical_extent(lines, first)
    if extent >= number:
        return None
    if opens_block(lines, first, extent) and body_end(lines, extent, moved, 8) < _last_code(lines, number):
        return None  # the lines between are not all the body of the first statement
    fixed = reindent(lines, first, extent, moved, current, extent)
    return fixed if fixed is not None and compiles_past(fixed, number) else None


def _block_start(lines: list[str], starts: list[int], current: str) -> tuple[int, int]:
    """The header and first statement of the block the line at ``current`` would continue: the
    statement before the line, or, when that is inside a block, the block's header (``while x:`` /
    `` `` 5 spaces ``for c in w.children:`` / its body / ``    w = w.parent``: history10 veusz).
    The header moves alone; its body stays deeper than it."""
    for index in range(len(starts) - 1, 0, -1):
        if width(indent_of(lines[starts[index] - 1]), 8) <= width(current, 8):
            break
        header = starts[index - 1]
        shallower = width(indent_of(lines[header - 1]), 8) < width(current, 8)
        if shallower and _ends_with_colon(lines[logical_extent(lines, header) - 1]):
            return header, starts[index]
    return starts[-2], starts[-1]


def _last_code(lines: list[str], number: int) -> int:
    """The last code line before line ``number``."""
    return max((n for n in range(1, number) if is_code(lines[n - 1])), default=0)


def _ends_with_colon(line: str) -> bool:
    text = body(line)
    return text[: end_of_code(text)].rstrip().endswith(":")


def _next_agrees(lines: list[str], number: int, current: str) -> bool:
    """The statement after the one at ``number`` (and its block) stands at ``current`` too."""
    end = logical_extent(lines, number)
    if opens_block(lines, number, end):
        end = body_end(lines, end, current, 8)
    return next_code_indent(lines, end) == current
