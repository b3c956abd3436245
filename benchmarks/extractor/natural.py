"""Natural twins: two spans of real code that are clones of each other though nobody labelled them.

A copy pasted from one of a dozen near-identical methods (pyparsing's ``__rand__``, ``__rxor__``,
``__ror__`` ...) is a clone of every one of them, and the labels name one. This judge decides,
without the detector's definitions, whether a reported pair the labels do not name is such a pair.
It is the injector's own "natural twin" test (independent/fragments.py: another function holds half
of a fragment's lines with names and literals blinded), made symmetric, applied to the pair's two
spans, and made to demand the names too, so that a look-alike (the same structure with other names,
which must never be linked) is never a natural twin:

* each span's code lines (docstrings, comments and blank lines dropped) of at least 12 characters,
  names and literals blinded: at least 3 on each side, and at least half of each side's lines found
  among the other side's;
* at least half of each side's distinct names and literals found in the other side.

Standalone: imports nothing of hookwright.
"""

from __future__ import annotations

import ast
import keyword
import re
from functools import cache
from pathlib import Path

from scoring import Pair, Span

SHARE = 0.5  # the injector's TWIN_SHARE
MIN_LINES = 3
LONG = 12  # shorter lines (`else:`, `return x`) say nothing
_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|'[^']*'|\"[^\"]*\"")


@cache
def _file(path: Path) -> tuple[list[str], frozenset[int]]:
    """The file's lines and the rows of its docstrings."""
    text = path.read_text(encoding="utf-8", errors="replace")
    rows: set[int] = set()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text.splitlines(), frozenset()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                rows.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    return text.splitlines(), frozenset(rows)


def _code(folder: Path, span: Span) -> list[str]:
    lines, docstrings = _file(folder / span.path)
    out = []
    for row in range(span.start, min(span.end, len(lines)) + 1):
        line = lines[row - 1].split("#", 1)[0].strip()
        if line and row not in docstrings:
            out.append(line)
    return out


def _blinded(line: str) -> str:
    return _WORDS.sub(lambda m: m.group(0) if keyword.iskeyword(m.group(0)) else "_", line)


def _names(lines: list[str]) -> set[str]:
    return {w for line in lines for w in _WORDS.findall(line) if not keyword.iskeyword(w)}


def _holds(mine: list[str], theirs: set[str]) -> bool:
    return sum(line in theirs for line in mine) >= SHARE * len(mine)


def natural_twins(folder: Path, pair: Pair) -> bool:
    one, two = (_code(folder, span) for span in pair)
    shape_one = [_blinded(line) for line in one if len(line) >= LONG]
    shape_two = [_blinded(line) for line in two if len(line) >= LONG]
    if min(len(shape_one), len(shape_two)) < MIN_LINES:
        return False
    if not (_holds(shape_one, set(shape_two)) and _holds(shape_two, set(shape_one))):
        return False
    names_one, names_two = _names(one), _names(two)
    shared = len(names_one & names_two)
    return shared >= SHARE * len(names_one) and shared >= SHARE * len(names_two)
