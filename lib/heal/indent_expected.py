"""Helpers of ``fix_expected_block``: which lines after a header with no body may be that body.

Kept apart from ``fix_indentation`` (which imports them) to keep each module readable.
"""

from __future__ import annotations

import re

from hookwright.heal.fix_base import indent_of, is_code, statement_starts
from hookwright.heal.indent_clause import CLAUSES
from hookwright.heal.indent_lines import body_end, logical_extent, next_code_indent, opens_block, width


def first_word(line: str) -> str:
    match = re.match(r"\s*([A-Za-z_]\w*)", line)
    return match.group(1) if match else ""


def fits_after(lines: list[str], number: int, extent: int, level: str) -> bool:
    """With the statement at ``number`` moved to ``level``, does the next statement still line up?"""
    following = next_code_indent(lines, extent)
    if opens_block(lines, number, extent):
        return following is not None and width(following, 8) > width(level, 8)
    return following is None or width(following, 8) <= width(level, 8)


def runs_at(lines: list[str], extent: int, level: str) -> list[int]:
    """The last lines of the statements after line ``extent`` that stand at ``level``, each with its
    block, up to the first line shallower than ``level``."""
    ends, number = [], extent + 1
    while number <= len(lines):
        if not is_code(lines[number - 1]):
            number += 1
            continue
        if indent_of(lines[number - 1]) != level or first_word(lines[number - 1]) in CLAUSES:
            break
        end = logical_extent(lines, number)
        if opens_block(lines, number, end):
            end = body_end(lines, end, level, 8)
        ends.append(end)
        number = end + 1
    return ends


def sibling_definition(text: str, lines: list[str], header: int, level: str) -> bool:
    """The header is a def/class and the nearest def/class before it stands at ``level``."""
    if first_word(lines[header - 1]) not in ("def", "class", "async"):
        return False
    for start in reversed(statement_starts("".join(lines[: header - 1]))):
        if first_word(lines[start - 1]) in ("def", "class", "async"):
            return indent_of(lines[start - 1]) == level
    return False
