"""A ``return`` that slipped out of the function it ends: back to that function's body.

``def find(self, name):`` / ``        for path in paths:`` / ``            ...`` / ``    return name``:
the last line of a method, one step too shallow, stands in the class body, where CPython calls it
"'return' outside function". The statement before it at its level is the ``def`` whose body it
ended: it goes back to that body's level, the least move that puts it in the function and the
only one that keeps it after every block it stood after (deeper, it would join the last loop or
``if``). history11 (Diamond ``collector.py``) and history10 (reviewboard ``auth_backends.py``).
"""

from __future__ import annotations

from hookwright.heal.fix_base import compiles_past, indent_of, statement_starts
from hookwright.heal.indent_lines import logical_extent, reindent, width

_OUTSIDE = ("'return' outside function", "'yield' outside function")
_DEFINITION = ("def ", "async def ")


def outside_function(message: str) -> bool:
    return message in _OUTSIDE


def return_to_its_function(text: str, lines: list[str], number: int) -> str | None:
    """``text`` with the statement at ``number`` moved into the body of the ``def`` just before it."""
    current = indent_of(lines[number - 1])
    starts = statement_starts("".join(lines[: number - 1]))
    columns = width(current, 8)
    at_level = [s for s in starts if width(indent_of(lines[s - 1]), 8) <= columns]
    if not at_level or not lines[at_level[-1] - 1].lstrip().startswith(_DEFINITION):
        return None  # the statement before it at its level is no function it could have ended
    definition = at_level[-1]
    inner = [s for s in starts if s > definition]
    if not inner:
        return None
    level = indent_of(lines[inner[0] - 1])
    if not level.startswith(current) or width(level, 8) <= columns:
        return None  # a one-line `def f(): pass`, or a body written in other whitespace
    extent = logical_extent(lines, number)
    fixed = reindent(lines, number, extent, current, level, extent)
    return fixed if fixed is not None and compiles_past(fixed, extent) else None
