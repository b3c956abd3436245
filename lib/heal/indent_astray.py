"""Which of two lines at odds is the one astray, when an "unexpected indent" could be either.

``_line_left_behind`` in ``fix_indentation`` puts back the statement before the complaint when it
looks like it left its block; these say when the lines themselves tell otherwise.
"""

from __future__ import annotations

from hookwright.heal.fix_base import indent_of
from hookwright.heal.indent_lines import width

_DEFINITIONS = ("@", "def ", "async def ", "class ")


def definition_astray(lines: list[str], decorator: int, number: int) -> bool:
    """The ``def`` at ``number`` is too deep under its decorator (line ``decorator``), not the
    decorator too shallow: the next definition after it stands at the decorator's level.

    fresh11 (python-docx): ``    @property`` / ``        def spacing_before`` / … /
    ``    @spacing_before.setter``; fresh (marshmallow) has the reverse, a decorator moved out to the
    module with the methods after it at the ``def``'s level: there the decorator goes back.
    """
    if not lines[decorator - 1].lstrip().startswith("@"):
        return False
    level, deep = indent_of(lines[decorator - 1]), indent_of(lines[number - 1])
    for line in lines[number:]:
        here = indent_of(line)
        if line.lstrip().startswith(_DEFINITIONS) and width(here, 8) <= width(deep, 8):
            return here == level
    return False


def under_its_own_comment(lines: list[str], moved: int) -> bool:
    """The line above the statement is a comment at the statement's own level: the two were written
    there together (``# See if a handler is attached`` over its call), so the statement did not leave
    a block; the deeper lines after it are the ones out of place (history7, CouchPotato settings.py)."""
    above = next((x for x in reversed(lines[: moved - 1]) if x.strip()), "")
    return above.lstrip().startswith("#") and indent_of(above) == indent_of(lines[moved - 1])
