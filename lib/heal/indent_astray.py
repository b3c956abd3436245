"""Which of two lines at odds is the one astray, when an "unexpected indent" could be either.

``_line_left_behind`` in ``fix_indentation`` puts back the statement before the complaint when it
looks like it left its block; these say when the lines themselves tell otherwise.
"""

from __future__ import annotations

from hookwright.heal.fix_base import indent_of


def is_decorator(line: str) -> bool:
    return line.lstrip().startswith("@")


def under_its_own_comment(lines: list[str], moved: int) -> bool:
    """The line above the statement is a comment at the statement's own level: the two were written
    there together (``# See if a handler is attached`` over its call), so the statement did not leave
    a block; the deeper lines after it are the ones out of place (history7, CouchPotato settings.py)."""
    above = next((x for x in reversed(lines[: moved - 1]) if x.strip()), "")
    return above.lstrip().startswith("#") and indent_of(above) == indent_of(lines[moved - 1])
