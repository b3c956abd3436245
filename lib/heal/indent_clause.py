"""The statement before an ``elif``/``else``/``except`` that left its block for the clause's level.

``if a:`` / ``    x = 1`` / ``y = 2`` / ``elif b:``: the clause now follows a plain statement, and
CPython reports "invalid syntax" at the clause, the line after the one that moved. The clause is
where it belongs (the ``if`` it continues stands at its level); the statement before it sits at
that level too, between the block's body and the clause: it goes back to the body's level.
"""

from __future__ import annotations

from hookwright.heal.fix_base import (
    body,
    compiles_past,
    end_of_code,
    indent_of,
    is_code,
    lines_of,
    statement_starts,
)

CLAUSES = {
    "elif": ("if", "elif"),
    "else": ("if", "elif", "for", "while", "try", "except", "async"),
    "except": ("try", "except"),
    "finally": ("try", "except", "else"),
}


def _columns(line: str) -> int:
    return len(indent_of(line).expandtabs(8))


def _word(line: str) -> str:
    stripped = line.lstrip()
    return stripped[: len(stripped) - len(stripped.lstrip("abcdefghijklmnopqrstuvwxyz"))]


def _header(line: str) -> bool:
    text = body(line)
    return text[: end_of_code(text)].rstrip().endswith(":")


def left_before_clause(text: str, number: int) -> str | None:
    """``text`` with the statement before the clause at line ``number`` back in the clause's block."""
    lines = lines_of(text)
    clause = lines[number - 1]
    word = _word(clause)
    if word not in CLAUSES:
        return None
    level = _columns(clause)
    starts = statement_starts("".join(lines[: number - 1]))
    if len(starts) < 3 or _columns(lines[starts[-1] - 1]) != level:
        return None
    moved = starts[-1]
    opener = next((s for s in reversed(starts[:-1]) if _columns(lines[s - 1]) <= level), None)
    if opener is None or _columns(lines[opener - 1]) != level:
        return None
    if _word(lines[opener - 1]) not in CLAUSES[word]:
        return None  # the clause continues nothing at its level: not this slip
    inner = starts[starts.index(opener) + 1]
    if inner == moved or _columns(lines[inner - 1]) <= level or _header(lines[moved - 1]):
        return None
    old, new = indent_of(lines[moved - 1]), indent_of(lines[inner - 1])
    out = list(lines)
    for index in range(moved - 1, number - 1):
        if is_code(out[index]) and out[index].startswith(old):
            out[index] = new + out[index][len(old) :]
    fixed = "".join(out)
    return fixed if compiles_past(fixed, number) else None
