"""Statement operators for T3: mIL, mDL, mML (whole lines) and mSIL, mSDL (inside a line).

Inserted and replacing statements come from a pool of one-line statements of the same project, so
that an added line looks like the project's own code. Each edit re-parses the text before the next.
Standalone: imports nothing of hookwright.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Sequence

from mutations import at, offsets

_BODIES = ("body", "orelse", "finalbody")


def _line_bounds(text: str, starts: list[int], node: ast.stmt) -> tuple[int, int] | None:
    """Offsets of the whole lines ``node`` fills alone, or None when it shares a line."""
    begin = at(text, starts, node.lineno, node.col_offset)
    end = at(text, starts, node.end_lineno or node.lineno, node.end_col_offset or 0)
    line_start = starts[node.lineno - 1]
    if text[line_start:begin].strip():
        return None
    rest = text[end:].split("\n", 1)[0]
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    return line_start, end + len(rest) + 1


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _places(tree: ast.Module, inner_only: bool) -> list[tuple[ast.stmt, list[ast.stmt]]]:
    """(statement, the list it is in) for every statement an edit may touch."""
    found = []
    for owner in ast.walk(tree):
        if inner_only and owner is tree:
            continue
        for name in _BODIES:
            body = getattr(owner, name, None)
            if isinstance(body, list):
                found.extend((s, body) for s in body if not _is_docstring(s))
    return found


def _indent(text: str, starts: list[int], node: ast.stmt) -> str:
    line = text[starts[node.lineno - 1] :].split("\n", 1)[0]
    return line[: len(line) - len(line.lstrip())]


def one_edit(text: str, rng: random.Random, pool: Sequence[str], inner_only: bool) -> tuple[str, str] | None:
    """One statement edit of ``text``: (operator, new text), or None when none applies."""
    tree = ast.parse(text)
    starts = offsets(text)
    places = _places(tree, inner_only)
    simple = [(s, b) for s, b in places if not hasattr(s, "body") and _line_bounds(text, starts, s)]
    calls = [
        n
        for s, _ in places
        if not hasattr(s, "body")
        for n in ast.walk(s)
        if isinstance(n, ast.Call) and not any(isinstance(a, ast.Starred) for a in n.args)
    ]
    operator = rng.choice(["mIL", "mDL", "mML", "mSIL", "mSDL"])
    if operator == "mDL":
        candidates = [s for s, body in simple if len(body) > 1]
        if not candidates:
            return None
        bounds = _line_bounds(text, starts, rng.choice(candidates))
        assert bounds is not None
        return operator, text[: bounds[0]] + text[bounds[1] :]
    if operator in ("mIL", "mML"):
        candidates = [s for s, _ in (places if operator == "mIL" else simple)]
        if not candidates or not pool:
            return None
        node = rng.choice(candidates)
        line = _indent(text, starts, node) + rng.choice(pool) + "\n"
        if operator == "mIL":
            if text[starts[node.lineno - 1] : at(text, starts, node.lineno, node.col_offset)].strip():
                return None
            where = starts[min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1]
            return operator, text[:where] + line + text[where:]
        bounds = _line_bounds(text, starts, node)
        assert bounds is not None
        return operator, text[: bounds[0]] + line + text[bounds[1] :]
    if operator == "mSIL":
        if not calls:
            return None
        call = rng.choice(calls)
        end = at(text, starts, call.end_lineno or call.lineno, call.end_col_offset or 0) - 1
        if text[end] != ")":
            return None
        added = rng.choice(["None", "True", "0", "extra", "strict=True", "default=None"])
        if call.keywords and "=" not in added:
            added = "flag=" + added
        before = text[:end].rstrip()
        separator = "" if before.endswith((",", "(")) else ", "
        return operator, before + separator + added + text[end:]
    candidates = [c for c in calls if len(c.args) >= 2 and not c.keywords]
    if not candidates:
        return None
    call = rng.choice(candidates)
    previous, last = call.args[-2], call.args[-1]
    begin = at(text, starts, previous.end_lineno or previous.lineno, previous.end_col_offset or 0)
    end = at(text, starts, last.end_lineno or last.lineno, last.end_col_offset or 0)
    return operator, text[:begin] + text[end:]


def statement_pool(sources: Sequence[str]) -> list[str]:
    """One-line statements that do something, from the project's own files."""
    pool = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        lines = source.splitlines()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign | ast.Expr | ast.AugAssign) or node.lineno != node.end_lineno:
                continue
            if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call):
                continue
            if any(isinstance(n, ast.Await | ast.Yield | ast.YieldFrom) for n in ast.walk(node)):
                continue
            line = lines[node.lineno - 1].strip()
            if 12 <= len(line) <= 72 and "#" not in line and ";" not in line:
                pool.append(line)
    return sorted(set(pool))
