"""Fragments of real code to copy (statement blocks in functions, functions, classes) and where to paste.

Standalone: imports nothing of hookwright.
"""

from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
from dataclasses import dataclass

MIN_LINES, MAX_LINES, MAX_CLASS_LINES = 6, 60, 150
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BODIES = ("body", "orelse", "finalbody")
_ASYNC = (ast.Await, ast.AsyncFor, ast.AsyncWith, ast.AsyncFunctionDef)


@dataclass
class Fragment:
    kind: str  # block | function | class
    path: str
    start: int  # first line (decorators included)
    end: int
    indent: int  # columns of its first line
    code_lines: int
    shape: tuple[str, ...] = ()  # statement kinds in order, with depth: for look-alikes
    leaves: frozenset[str] = frozenset()


def code_rows(source: str, tree: ast.AST) -> set[int]:
    """Rows holding code: not blank, not comments, not docstrings."""
    rows: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
        ):
            rows.update(range(tok.start[0], tok.end[0] + 1))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Module)):
            first = body[0]
            docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            if docstring and isinstance(first.value.value, str):
                rows -= set(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return rows


def _first(node: ast.stmt) -> int:
    return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])


def _shape(nodes: list[ast.stmt]) -> tuple[str, ...]:
    found = []
    stack = [(n, 0) for n in reversed(nodes)]
    while stack:
        node, depth = stack.pop()
        found.append(f"{depth}{type(node).__name__}")
        for name in (*_BODIES, "handlers"):
            stack.extend((c, depth + 1) for c in reversed(getattr(node, name, None) or []))
    return tuple(found)


def _leaves(nodes: list[ast.stmt]) -> frozenset[str]:
    found = set()
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add("." + node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str | int | float):
                found.add(repr(node.value))
    return frozenset(found - {"self", "cls", "None", "True", "False"})


def _movable(nodes: list[ast.stmt]) -> bool:
    """No construct that would stop parsing or compiling elsewhere (await, break, global...)."""
    for top in nodes:
        for node in ast.walk(top):
            if isinstance(node, (*_ASYNC, ast.Global, ast.Nonlocal, ast.Match)):
                return False
    loops = (ast.For, ast.While)
    for top in nodes:
        stack: list[tuple[ast.AST, bool]] = [(top, False)]
        while stack:
            node, in_loop = stack.pop()
            if isinstance(node, ast.Break | ast.Continue) and not in_loop:
                return False
            if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)) and node is not top:
                continue
            inner = in_loop or isinstance(node, loops)
            stack.extend((c, inner) for c in ast.iter_child_nodes(node))
    return True


def fragments(path: str, source: str) -> list[Fragment]:
    """Every function, class and statement block of one file that could be copied."""
    tree = ast.parse(source)
    rows = code_rows(source, tree)
    found: list[Fragment] = []

    def lines(nodes: list[ast.stmt]) -> int:
        return len([r for r in rows if _first(nodes[0]) <= r <= (nodes[-1].end_lineno or 0)])

    def add(kind: str, nodes: list[ast.stmt]) -> None:
        count = lines(nodes)
        top = MAX_CLASS_LINES if kind == "class" else MAX_LINES
        if MIN_LINES <= count <= top and _movable(nodes):
            first = nodes[0]
            found.append(
                Fragment(
                    kind,
                    path,
                    _first(first),
                    nodes[-1].end_lineno or 0,
                    first.col_offset,
                    count,
                    _shape(nodes),
                    _leaves(nodes),
                )
            )

    for node in tree.body:
        if isinstance(node, ast.ClassDef) and len(node.body) >= 2:
            add("class", [node])
    functions = [n for n in ast.walk(tree) if isinstance(n, _FUNCTIONS)]
    nested = {
        id(inner)
        for f in functions
        for inner in ast.walk(f)
        if inner is not f and isinstance(inner, _FUNCTIONS)
    }
    for function in functions:
        if id(function) in nested:
            continue
        if sum(isinstance(n, ast.stmt) for n in ast.walk(function)) >= 4:
            add("function", [function])
        for owner in ast.walk(function):
            for name in _BODIES:
                body = getattr(owner, name, None)
                if not isinstance(body, list) or (
                    owner is not function and isinstance(owner, (*_FUNCTIONS, ast.ClassDef))
                ):
                    continue
                for i in range(len(body)):
                    for j in range(i + 2, len(body) + 1):
                        run = body[i:j]
                        if owner is function and i == 0 and j == len(body):
                            continue  # the whole body: that is the function
                        if isinstance(run[0], ast.Expr) and isinstance(run[0].value, ast.Constant):
                            continue
                        count = lines(run)
                        if count > MAX_LINES:
                            break
                        if count >= MIN_LINES:
                            add("block", run)
                            break  # one block per start: the shortest that is long enough
    return found


def block_hosts(path: str, source: str) -> list[tuple[int, int, int, int]]:
    """(function start, function end, anchor row, indent): where a pasted block can go."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        if len(body) < 2 or body[0].lineno == node.lineno:
            continue
        anchor = body[len(body) // 2]
        found.append((_first(node), node.end_lineno or 0, _first(anchor), anchor.col_offset))
    return found


def top_level_gaps(source: str) -> list[int]:
    """Rows before which a new top-level definition can go (after the imports at the top)."""
    tree = ast.parse(source)
    body = tree.body
    first = 0
    while first < len(body) and isinstance(body[first], ast.Import | ast.ImportFrom | ast.Expr):
        first += 1
    return [(body[i].end_lineno or 0) + 1 for i in range(first, len(body))]


_WORDS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|'[^']*'|\"[^\"]*\"")
TWIN_SHARE = 0.5  # an original with this share of its lines in one other function has a natural twin
COMMON = 10  # a line found in more functions than this says nothing (`return result`, `else:`)
WINDOW, WINDOW_SHARE = 6, 0.75  # nor may most of any six lines in a row be found in one other function


def _blinded(line: str) -> str:
    """A line with names and literals blinded: copies renamed consistently or not look the same."""
    return _WORDS.sub(lambda m: m.group(0) if keyword.iskeyword(m.group(0)) else "_", line.strip())


class Twins:
    """Which function or class each line of the project is in, by blinded line."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.where: dict[str, set[tuple[str, int, int]]] = {}
        for path, source in sources.items():
            tree = ast.parse(source)
            owner: dict[int, tuple[int, int]] = {}
            for node in ast.walk(tree):  # outer definitions first: inner ones overwrite their rows
                if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                    for row in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                        owner[row] = (node.lineno, node.end_lineno or node.lineno)
            for row, line in enumerate(source.splitlines(), 1):
                if len(line.strip()) >= 12 and row in owner:
                    self.where.setdefault(_blinded(line), set()).add((path, *owner[row]))

    def has_twin(self, fragment: Fragment, source: str) -> bool:
        """Some other function holds most of it, or most of some six of its lines in a row."""
        lines = source.splitlines()[fragment.start - 1 : fragment.end]
        holders = []
        for line in lines:
            found = self.where.get(_blinded(line), set()) if len(line.strip()) >= 12 else set()
            others = {
                h for h in found if h[0] != fragment.path or h[2] < fragment.start or fragment.end < h[1]
            }  # neither the fragment itself nor the function around it (a block's own function)
            holders.append(None if len(found) > COMMON or len(line.strip()) < 12 else others)
        if self._shared(holders) >= TWIN_SHARE:
            return True
        return any(
            self._shared(holders[i : i + WINDOW]) >= WINDOW_SHARE for i in range(len(holders) - WINDOW + 1)
        )

    @staticmethod
    def _shared(holders: list[set[tuple[str, int, int]] | None]) -> float:
        informative = [h for h in holders if h is not None]
        if len(informative) < 3:
            return 0.0
        counts: dict[tuple[str, int, int], int] = {}
        for found in informative:
            for holder in found:
                counts[holder] = counts.get(holder, 0) + 1
        return max(counts.values(), default=0) / len(informative)
