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


def clause_too_shallow(text: str, number: int, unit: str) -> str | None:
    """``text`` with the clause at line ``number``, one step too shallow, back at the level of the
    statement it continues, its body left where it is.

    ``        if shell:`` / its body / ``    else:`` / ``            shell = None``: the ``else`` stands
    in the class body, where nothing it can continue is open (history10 impacket ``smbclient.py``).
    Its body says where it belongs: one step in from it stands the ``if`` still open before it, with
    nothing at its level or shallower between them. Exactly one such statement, or none is taken.
    """
    lines = lines_of(text)
    clause = lines[number - 1]
    word = _word(clause)
    following = next((x for x in lines[number:] if is_code(x)), None)
    if word not in CLAUSES or not _header(clause) or following is None:
        return None
    level, inner = _columns(clause), _columns(following)
    floor: int | None = None
    found = []
    for start in reversed(statement_starts("".join(lines[: number - 1]))):
        columns = _columns(lines[start - 1])
        if columns <= level:
            break
        still_open = floor is None or columns < floor
        if (
            still_open
            and _word(lines[start - 1]) in CLAUSES[word]
            and columns + len(unit.expandtabs(8)) == inner
        ):
            found.append(start)
        floor = columns if floor is None else min(floor, columns)
    if len(found) != 1:
        return None
    out = list(lines)
    out[number - 1] = indent_of(lines[found[0] - 1]) + clause.lstrip(" \t")
    fixed = "".join(out)
    return fixed if compiles_past(fixed, number + 1) else None
