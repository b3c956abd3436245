"""Decorators indented apart from the ``def`` or ``class`` they decorate.

``        @staticmethod`` / ``    def size():``: a decorator is legal after a deeper block's last
statement, so CPython only complains at the ``def`` ("unexpected unindent"). A decorator belongs
to the definition under it and stands at its level; that level is the one the lines say, so the
decorators (every one in the run above the ``def``) move to it (fresh7: litestar's ``struct.py``).
"""

from __future__ import annotations

from hookwright.heal.fix_base import compiles_past, indent_of, statement_starts
from hookwright.heal.indent_lines import logical_extent, reindent

_DEFINITIONS = ("def ", "async def ", "class ")


def decorators_to_their_definition(lines: list[str], number: int) -> str | None:
    """``lines`` joined with the decorators right above the definition at ``number`` at its level."""
    if not lines[number - 1].lstrip().startswith(_DEFINITIONS):
        return None
    level = indent_of(lines[number - 1])
    decorators = []
    for start in reversed(statement_starts("".join(lines[: number - 1]))):
        if not lines[start - 1].lstrip().startswith("@") or logical_extent(lines, start) >= number:
            break
        decorators.append(start)
        number = start
    if not decorators:
        return None
    out = list(lines)
    for start in decorators:
        old = indent_of(out[start - 1])
        if old == level:
            continue
        moved = reindent(out, start, logical_extent(out, start), old, level, logical_extent(out, start))
        if moved is None:
            return None
        out = moved.splitlines(keepends=True)
    fixed = "".join(out)
    return fixed if fixed != "".join(lines) and compiles_past(fixed, number) else None
