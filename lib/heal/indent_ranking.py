"""Choosing between indentation repairs that all compile past the broken line: by what they leave undefined.

A statement moved to the wrong level usually still compiles, but out of the block it was written in
it loses that block's names (a function's locals); CPython's own scope analysis counts them. When
the names do not tell, a repair that leaves a statement after a ``return``/``raise``/``break``/
``continue`` of its own block (code no one can reach) ranks after one that does not: the lines around
a slipped line were written to run; then one that leaves a value assigned and thrown away unread.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator

from hookwright.heal.fix_base import compiles_past, indent_of, lines_of, undefined_names


def fewest_undefined(candidates: list[str], line: int, tabsize: int | None = None) -> str | None:
    """Of repairs that make progress, the first of those leaving the fewest names undefined.

    One that makes the whole file compile comes before one that only moves the error further down
    (a header moved out can compile past its line and break the block structure below it).
    ``tabsize``: names and unreachable statements are counted with the tabs still left in other lines'
    indentation expanded (other stray tabs keep the file from compiling, and a count needs it to).
    """
    scored: list[tuple[bool, int, int, int, int, str]] = []
    for candidate in candidates:
        if not compiles_past(candidate, line):
            continue
        # (the statements left unreachable too: history11 GPy, `\traise NotImplementedError` ending a
        # method, was put in the class body while another such line kept the file from parsing)
        expanded = candidate if tabsize is None else _tabs_expanded(candidate, tabsize)
        names = undefined_names(expanded)
        dead = unreachable_statements(expanded)
        scored.append(
            (names is None, len(names or ()), dead, overwritten_stores(expanded), len(scored), candidate)
        )
    return min(scored)[-1] if scored else None


_ENDS_BLOCK = (ast.Return, ast.Raise, ast.Break, ast.Continue)
_COMPOUND = (ast.If, ast.For, ast.While, ast.Try, ast.With)


def unreachable_statements(text: str) -> int:
    """Statements after a return/raise/break/continue in the same block; 0 if ``text`` does not parse."""
    count = 0
    for block in _blocks(text):
        ends = [i for i, statement in enumerate(block) if isinstance(statement, _ENDS_BLOCK)]
        if ends:
            count += len(block) - ends[0] - 1
    return count


def _blocks(text: str) -> Iterator[list[ast.stmt]]:
    """Every statement list of ``text`` (bodies, else and finally blocks); none if it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                yield block


def _tabs_expanded(text: str, tabsize: int) -> str:
    lines = lines_of(text)
    out = []
    for line in lines:
        indent = indent_of(line)
        out.append(indent.expandtabs(tabsize) + line[len(indent) :] if "\t" in indent else line)
    return "".join(out)


def overwritten_stores(text: str) -> int:
    """Names a compound statement assigns and never reads that the statement right after it assigns
    again without reading them: values no one can use. 0 if ``text`` does not parse.

    ``if icmp:`` / ``    packet = ip.decode(b)`` / ``else:`` / ``    self.data = Data()`` /
    ``packet = self.data.decode(b)``: the ``if`` branch's ``packet`` is thrown away, where with the
    last line in the ``else`` (history10 impacket ``ImpactDecoder.py``) every value is used.
    """
    count = 0
    for block in _blocks(text):
        for first, second in itertools.pairwise(block):
            if isinstance(first, _COMPOUND) and isinstance(second, ast.Assign):
                count += len(_stored_unread(first) & _assigned_unread(second))
    return count


def _stored_unread(statement: ast.stmt) -> set[str]:
    names = [n for n in ast.walk(statement) if isinstance(n, ast.Name)]
    stored = {n.id for n in names if isinstance(n.ctx, ast.Store)}
    return stored - {n.id for n in names if isinstance(n.ctx, ast.Load)}


def _assigned_unread(statement: ast.Assign) -> set[str]:
    targets = {t.id for t in statement.targets if isinstance(t, ast.Name)}
    return targets - {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
