"""An ``except``/``finally`` clause that slipped out of the ``try`` it belongs to.

``try:`` at 20 columns, its body, then ``except:`` at 16: CPython reports "expected 'except' or
'finally' block" at the clause. The ``try`` still open at that point, the innermost one without a
handler, is the only statement the clause can continue, so the clause (with its body and the
clauses chained after it) moves to that ``try``'s level. The lines around check the repair: the
file must then compile past the moved clauses, so a clause that was an outer ``try``'s handler is
never taken from it (history7: orange3's ``scaling.py``, CouchPotato's ``bithdtv/main.py``).
"""

from __future__ import annotations

from hookwright.heal.fix_base import body, compiles_past, end_of_code, indent_of, is_code, statement_starts
from hookwright.heal.indent_lines import width

_CHAINED = ("except", "else", "finally")


def _word(line: str) -> str:
    stripped = line.lstrip()
    return stripped[: len(stripped) - len(stripped.lstrip("abcdefghijklmnopqrstuvwxyz"))]


def _open_try(lines: list[str], number: int, clause: int) -> str | None:
    """The indentation of the innermost ``try:`` whose block is still open at line ``number``."""
    floor: int | None = None  # the shallowest statement seen after the candidate
    for start in reversed(statement_starts("".join(lines[: number - 1]))):
        columns = width(indent_of(lines[start - 1]), 8)
        if columns <= clause:
            return None
        text = body(lines[start - 1])
        opens_try = _word(text) == "try" and text[: end_of_code(text)].rstrip().endswith(":")
        if opens_try and (floor is None or columns < floor):
            return indent_of(lines[start - 1])
        # a `try` with its handler at its level after it is closed: the one the clause continues is
        # further out (history10 calibre-web: `except` one step out, after an inner try/except that
        # ends the outer `try`'s body)
        floor = columns if floor is None else min(floor, columns)
    return None


def _chain_end(lines: list[str], number: int, indent: str) -> int:
    """The last line of the clause at ``number``, its body and the clauses chained after it."""
    last = number
    for index in range(number, len(lines)):
        text = lines[index]
        if not is_code(text):
            continue
        deeper = width(indent_of(text), 8) > width(indent, 8)
        if not deeper and not (indent_of(text) == indent and _word(text) in _CHAINED):
            break
        last = index + 1
    return last


def handler_back_to_its_try(text: str, lines: list[str], number: int) -> str | None:
    """``text`` with the clause at line ``number`` moved to the open ``try``'s level, or None."""
    clause = lines[number - 1]
    if _word(clause) not in ("except", "finally"):
        return None
    old = indent_of(clause)
    new = _open_try(lines, number, width(old, 8))
    if new is None:
        return None
    last = _chain_end(lines, number, old)
    out = list(lines)
    for index in range(number - 1, last):
        line = out[index]
        if line.startswith(old):
            out[index] = new + line[len(old) :]
        elif is_code(line):
            return None
    fixed = "".join(out)
    return fixed if compiles_past(fixed, last) else None
