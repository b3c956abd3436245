"""Is a mutated copy really of the type it is labelled? Checked on syntax trees, by the taxonomy's terms.

Standalone: imports nothing of hookwright.
"""

from __future__ import annotations

import ast
import copy
import difflib


def dedent(text: str, indent: int) -> str | None:
    """``text`` moved ``indent`` columns left, or None when a line is indented less."""
    out = []
    for line in text.splitlines(keepends=True):
        if not line.strip():
            out.append(line.lstrip(" \t"))
        elif line[:indent].strip(" ") or len(line) - len(line.lstrip(" ")) < indent:
            return None
        else:
            out.append(line[indent:])
    return "".join(out)


def reindent(text: str, indent: int) -> str:
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def _renamed(tree: ast.AST, identifiers: bool, attributes: bool, literals: bool) -> str:
    """The tree's dump with identifiers numbered in order of appearance (or blinded)."""
    tree = copy.deepcopy(tree)
    numbers: dict[str, str] = {}

    def name(value: str) -> str:
        return numbers.setdefault(value, f"v{len(numbers)}") if identifiers else "_"

    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = name(node.id)
        elif isinstance(node, ast.arg):
            node.arg = name(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
            isinstance(node, ast.ExceptHandler) and node.name
        ):
            node.name = name(node.name)
        elif isinstance(node, ast.Attribute) and attributes:
            node.attr = "_"
        elif isinstance(node, ast.Constant) and literals and not isinstance(node.value, bool | type(None)):
            node.value = "_"
    return ast.dump(tree)


def same_type(original: str, text: str, clone_type: str, applied: dict[str, int]) -> bool:
    """``text`` differs from ``original`` exactly as ``clone_type`` allows, and in some way it names."""
    try:
        one, two = ast.parse(original), ast.parse(text)
    except SyntaxError:
        return False
    exact = ast.dump(one) == ast.dump(two)
    if clone_type == "T1":
        return exact and bool(applied) and original != text
    consistent = _renamed(one, True, False, False) == _renamed(two, True, False, False)
    blind = _renamed(one, False, True, True) == _renamed(two, False, True, True)
    if clone_type == "T2c":
        return consistent and not exact
    if clone_type == "T2":
        return blind and not exact and not consistent
    return not blind and any(k.startswith(("mIL", "mDL", "mML", "mSIL", "mSDL")) for k in applied)


def similarity(original: str, text: str) -> float:
    """Share of code lines in common (layout and comments aside), as difflib counts it."""

    def lines(source: str) -> list[str]:
        return [" ".join(line.split("#", 1)[0].split()) for line in source.splitlines() if line.strip()]

    return difflib.SequenceMatcher(None, lines(original), lines(text), autojunk=False).ratio()
