"""The edits the new-change scenarios make: each round a different one, as a user's commits are."""

from __future__ import annotations

import ast


def in_a_body(text: str, statement: str) -> str:
    """``statement`` added before the last statement of the module's first function that allows it."""
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        last = node.body[-1]
        docstring = isinstance(last, ast.Expr) and isinstance(last.value, ast.Constant)
        nested = isinstance(last, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if docstring or nested or last.lineno == node.lineno:
            continue
        lines = text.splitlines(keepends=True)
        lines.insert(last.lineno - 1, " " * last.col_offset + statement + "\n")
        return "".join(lines)
    return text + f"\n\ndef bench() -> None:\n    {statement}\n"
