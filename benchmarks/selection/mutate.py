"""Mutants of a project's source files, made with the standard library's ast and nothing of hookwright's.

Each operator edits the exact source segment of one node, so the rest of the file keeps its bytes:
flip a comparison, change a constant, drop a statement, remove a re-export from an __init__.py,
change a default argument; and for data files the tests read, change one line.
"""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FLIP = {
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "==": "!=",
    "!=": "==",
    "is not": "is",
    "is": "is not",
    "not in": "in",
    "in": "not in",
}
_OP = re.compile(r"\s(is not|not in|<=|>=|==|!=|<|>|is|in)\s")


@dataclass(frozen=True)
class Mutant:
    path: str  # repository-relative
    operator: str
    where: int  # line
    text: str  # the whole mutated file

    def describe(self) -> str:
        return f"{self.path}:{self.where} {self.operator}"


def _replace(lines: list[str], node: ast.AST, new: str) -> str | None:
    """The file with one single-line node's segment replaced by ``new``."""
    if node.lineno != node.end_lineno:  # type: ignore[attr-defined]
        return None
    index = node.lineno - 1  # type: ignore[attr-defined]
    line = lines[index]
    raw = line.encode()
    start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
    changed = (raw[:start] + new.encode() + raw[end:]).decode()
    return "".join([*lines[:index], changed, *lines[index + 1 :]])


def _constant(node: ast.Constant) -> str | None:
    value = node.value
    if isinstance(value, bool):
        return repr(not value)
    if isinstance(value, int):
        return repr(value + 1)
    if isinstance(value, float):
        return repr(value * 2 + 1)
    if isinstance(value, str) and value and "\n" not in value:
        return repr(value + "x")
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        value = first.value if isinstance(first, ast.Expr) else None
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.add(id(value))
    return found


def python_mutants(path: str, source: str) -> Iterator[Mutant]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    lines = source.splitlines(keepends=True)
    docs = _docstrings(tree)
    defaults = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
                defaults.add(id(default))
                new = _constant(default) if isinstance(default, ast.Constant) else None
                text = _replace(lines, default, new) if new is not None else None
                if text is not None:
                    yield Mutant(path, "default-argument", default.lineno, text)
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and id(s.value) in docs)]
            if len(body) >= 2:
                for statement in body[:-1]:
                    if isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign, ast.Return)):
                        start, end = statement.lineno - 1, statement.end_lineno or statement.lineno
                        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
                        if lines[start].strip() and len(lines[start]) - len(indent) > 0:
                            text = "".join([*lines[:start], f"{indent}pass\n", *lines[end:]])
                            yield Mutant(path, "drop-statement", statement.lineno, text)
        elif isinstance(node, ast.Compare) and len(node.ops) == 1:
            left, right = node.left, node.comparators[0]
            if left.end_lineno == right.lineno == node.lineno:
                line = lines[node.lineno - 1].encode()
                gap = line[left.end_col_offset : right.col_offset].decode()  # type: ignore[arg-type]
                match = _OP.search(f" {gap} ")
                if match:
                    flipped = _OP.sub(f" {FLIP[match.group(1)]} ", f" {gap} ", count=1)[1:-1]
                    new = line[: left.end_col_offset] + flipped.encode() + line[right.col_offset :]
                    text = "".join([*lines[: node.lineno - 1], new.decode(), *lines[node.lineno :]])
                    yield Mutant(path, "flip-comparison", node.lineno, text)
        elif isinstance(node, ast.Constant) and id(node) not in docs and id(node) not in defaults:
            new = _constant(node)
            text = _replace(lines, node, new) if new is not None else None
            if text is not None:
                yield Mutant(path, "change-constant", node.lineno, text)
    if path.endswith("__init__.py"):
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.lineno == node.end_lineno and node.names:
                for index in range(len(node.names)):
                    kept = [*node.names[:index], *node.names[index + 1 :]]
                    new = ast.unparse(ast.ImportFrom(node.module, kept, node.level)) if kept else "pass"
                    if (text := _replace(lines, node, new)) is not None:
                        yield Mutant(path, "remove-re-export", node.lineno, text)


def data_mutants(path: str, text: str, rng: random.Random) -> Iterator[Mutant]:
    lines = text.splitlines(keepends=True)
    content = [i for i, line in enumerate(lines) if line.strip()]
    for index in rng.sample(content, min(3, len(content))):
        line = lines[index]
        changed = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), line, count=1)
        if changed == line:
            changed = line.rstrip("\n") + "x" + ("\n" if line.endswith("\n") else "")
        text = "".join([*lines[:index], changed, *lines[index + 1 :]])
        yield Mutant(path, "change-data-line", index + 1, text)


def _parses(mutant: Mutant) -> bool:
    try:
        ast.parse(mutant.text)
    except SyntaxError:
        return False
    return True


def sample(root: Path, sources: list[str], data: list[str], seed: int, per_file: int = 3) -> list[Mutant]:
    """Mutants across files and operators, in a seeded order that alternates operators."""
    rng = random.Random(seed)
    by_operator: dict[str, list[Mutant]] = {}
    for path in sources:
        found = [m for m in python_mutants(path, (root / path).read_text(encoding="utf-8")) if _parses(m)]
        rng.shuffle(found)
        for mutant in found[:per_file]:
            by_operator.setdefault(mutant.operator, []).append(mutant)
    for path in data:
        for mutant in data_mutants(path, (root / path).read_text(encoding="utf-8"), rng):
            by_operator.setdefault(mutant.operator, []).append(mutant)
    for mutants in by_operator.values():
        rng.shuffle(mutants)
    order: list[Mutant] = []
    while any(by_operator.values()):
        for operator in sorted(by_operator):
            if by_operator[operator]:
                order.append(by_operator[operator].pop())
    return order
