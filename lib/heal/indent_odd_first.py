"""A block's first statement at an odd level, the rest of the block one file step in.

``class C:`` / ``   x = 1`` (three spaces) / ``    y = 2`` (four, the file's step): CPython calls the
*second* line an "unexpected indent", since the first one set the block's level. The lines agree
with the header and the file's own step; the first one does not. Putting it back moves one line,
where dedenting the rest would move the whole block off the file's step (twisted's finger
listings, reindented in 2004, lost exactly this to a partial revert).
"""

from __future__ import annotations

from hookwright.heal.fix_base import body, end_of_code, indent_of, is_code


def odd_first_statement(lines: list[str], header: int, first: int, current: str, unit: str) -> bool:
    """Line ``first`` is the first statement of the block line ``header`` opens, at a level off the
    file's step, and ``current`` (the line after it) is one step in from the header."""
    code = [line for line in lines[header - 1 : first - 1] if is_code(line)]
    text = body(code[-1]) if code else ""
    if not text[: end_of_code(text)].rstrip().endswith(":") or unit == "\t":
        return False  # the statement before is not a header whose block this line starts
    step = indent_of(lines[header - 1]) + unit
    return current == step and indent_of(lines[first - 1]) != step
