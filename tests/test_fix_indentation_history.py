"""Indentation repairs of history10/history11's real repairs (h20o), each in the case's shape written
afresh (no project's code): the broken text, the fixer, and the one repair the lines around it leave;
and the near shapes where the lines leave more than one, which are declined."""

from __future__ import annotations

from pathlib import Path

from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.fix_base import FixContext, compile_error
from hookwright.heal.fix_indentation import fix_unexpected_indent
from hookwright.heal.rules import load

CTX = FixContext("mod.py", None, None, "IndentationError", "")


def test_a_return_left_in_the_class_body_goes_back_to_its_method() -> None:
    broken = (
        "class Finder:\n"
        "    def find(self, name, paths):\n"
        "        for path in paths:\n"
        "            if path.endswith(name):\n"
        "                return path\n"
        "\n"
        "    return name\n"
    )
    error = compile_error(broken)
    assert error is not None and error.msg == "'return' outside function"
    ctx = FixContext("mod.py", None, None, "SyntaxError", error.msg)
    assert fix_unexpected_indent(broken, ctx) == broken.replace("    return name", "        return name")
    diagnostic = Diagnostic("mod.py", 7, 5, "SyntaxError", error.msg, "compile")
    assert "fix-unexpected-indent" in [rule.id for rule, _ in load(Path("."), {}).candidates(diagnostic)]


def test_a_return_after_a_statement_that_is_no_function_is_left() -> None:
    broken = "def f(x):\n    return x\n\n\nif __name__ == '__main__':\n    y = f(1)\nreturn y\n"
    ctx = FixContext("mod.py", None, None, "SyntaxError", "'return' outside function")
    assert fix_unexpected_indent(broken, ctx) is None
