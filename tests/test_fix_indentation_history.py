"""Indentation repairs of history10/history11's real repairs (h20o), each in the case's shape written
afresh (no project's code): the broken text, the fixer, and the one repair the lines around it leave;
and the near shapes where the lines leave more than one, which are declined."""

from __future__ import annotations

from pathlib import Path

from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.fix_base import FixContext, compile_error
from hookwright.heal.fix_indentation import (
    fix_expected_block,
    fix_mixed_indentation,
    fix_unexpected_indent,
    fix_unindent,
)
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


def test_two_lines_that_left_a_method_body_together_go_back_together() -> None:
    broken = (
        "class Averager:\n"
        "    def average(self, data):\n"
        "        values = data.values\n"
        "\n"
        "        # room for the results\n"
        "    sums = [0] * self.bins\n"
        "    counts = [0] * self.bins\n"
        "        errors = [0] * self.bins\n"
        "        for i, value in enumerate(values):\n"
        "            sums[i % self.bins] += value\n"
        "            counts[i % self.bins] += 1\n"
        "        return sums, counts, errors\n"
    )
    fixed = broken.replace("\n    sums", "\n        sums").replace("\n    counts", "\n        counts")
    assert fix_unexpected_indent(broken, CTX) == fixed


def test_a_block_moved_out_of_a_tab_indented_method_goes_back_with_its_body() -> None:
    broken = (
        "class Chooser:\n"
        "\tdef run(self):\n"
        "\t\tf = os.popen('choose')\n"
        "\t\tnames = f.read().split('|')\n"
        "\n"
        "rv = f.close()\n"
        "if rv:\n"
        "    raise Exception(rv)\n"
        "\n"
        "\t\treturn names\n"
    )
    fixed = (
        broken.replace("\nrv", "\n\t\trv")
        .replace("\nif", "\n\t\tif")
        .replace("\n    raise", "\n\t\t    raise")
    )
    error = compile_error(broken)
    assert isinstance(error, TabError)
    assert fix_mixed_indentation(broken, FixContext("mod.py", None, None, "TabError", error.msg)) == fixed


def test_lines_that_compile_both_inside_and_after_the_block_are_not_moved_as_a_run() -> None:
    broken = "def f(x):\n    if x:\n        a = 1\n    b = 2\n    c = 3\n        d = 4\n    return d\n"
    assert fix_unexpected_indent(broken, CTX) == broken.replace("        d = 4", "    d = 4")


def test_a_handler_one_step_out_passes_an_inner_try_that_has_its_own() -> None:
    broken = (
        "def fetch(items):\n"
        "    for item in items:\n"
        "        try:\n"
        "            try:\n"
        "                item.load()\n"
        "            except KeyError:\n"
        "                item.title = ''\n"
        "            yield item\n"
        "    except Exception as e:\n"
        "        log(e)\n"
        "        return\n"
    )
    error = compile_error(broken)
    assert error is not None and error.msg == "expected 'except' or 'finally' block"
    fixed = broken.replace("    except Exception", "        except Exception").replace(
        "        log", "            log"
    )
    fixed = fixed.replace("        return", "            return")
    ctx = FixContext("mod.py", None, None, "SyntaxError", error.msg)
    assert fix_unexpected_indent(broken, ctx) == fixed


def test_a_tab_line_ending_a_method_is_not_put_where_it_leaves_the_class_body_unreachable() -> None:
    broken = (
        "class Transform:\n"
        "    def log_jacobian(self, x):\n"
        '        """The log of the jacobian."""\n'
        "\traise NotImplementedError\n"
        "    def gradient(self, x):\n"
        '        """Its gradient."""\n'
        "\traise NotImplementedError\n"
        "    def name(self):\n"
        "        return 'transform'\n"
    )
    error = compile_error(broken)
    assert isinstance(error, TabError)
    fixed = fix_mixed_indentation(broken, FixContext("mod.py", None, None, "TabError", error.msg))
    assert fixed == broken.replace("\traise", "        raise", 1)


def test_a_block_s_first_statement_a_space_too_deep_moves_alone_when_it_is_a_header() -> None:
    broken = (
        "def find(w, names):\n"
        "    found = {}\n"
        "    while w is not None:\n"
        "         for c in w.children:\n"
        "            if c.name in names:\n"
        "                found[c.name] = c\n"
        "        w = w.parent\n"
        "    return found\n"
    )
    ctx = FixContext(
        "mod.py", None, None, "IndentationError", "unindent does not match any outer indentation level"
    )
    assert fix_unindent(broken, ctx) == broken.replace("         for", "        for")


def test_lines_after_a_raise_are_not_a_run_that_left_its_block() -> None:
    # (history10 pylearn2's shape: the one line too deep is the slip, not the three before it)
    broken = (
        "def test_monitor(n):\n"
        "    if n:\n"
        "        raise SkipTest()\n"
        "    batch = matrix()\n"
        "    mean = batch.mean()\n"
        "        monitor(mean)\n"
        "    assert mean\n"
    )
    ctx = FixContext("mod.py", None, None, "IndentationError", "unexpected indent")
    assert fix_mixed_indentation(broken, ctx) is None  # no tab, no TabError: not the tab fixer's
    assert fix_unexpected_indent(broken, ctx) == broken.replace("        monitor", "    monitor")


def test_an_else_one_step_too_shallow_goes_to_the_if_its_body_is_one_step_in_from() -> None:
    broken = (
        "class Shell:\n"
        "    def __init__(self, sock=None):\n"
        "        if sock is not None:\n"
        "            self.sock = sock\n"
        "    else:\n"
        "            self.sock = None\n"
        "\n"
        "        self.prompt = '# '\n"
    )
    ctx = FixContext("mod.py", None, None, "SyntaxError", "invalid syntax")
    assert fix_unexpected_indent(broken, ctx) == broken.replace("    else:", "        else:")


def test_an_else_whose_body_is_one_step_in_from_no_open_if_is_left() -> None:
    broken = (
        "def f(a, b):\n    if a:\n        if b:\n            x = 1\n  else:\n          x = 2\n    return x\n"
    )
    ctx = FixContext("mod.py", None, None, "SyntaxError", "invalid syntax")
    assert fix_unexpected_indent(broken, ctx) is None


def test_the_lines_after_an_empty_else_go_in_when_outside_they_would_throw_a_branch_s_value_away() -> None:
    broken = (
        "def decode(self, data, icmp):\n"
        "    if icmp:\n"
        "        self.decoder = IPDecoder()\n"
        "        packet = self.decoder.decode(data)\n"
        "    else:\n"
        "    self.decoder = DataDecoder()\n"
        "    packet = self.decoder.decode(data)\n"
        "    return packet\n"
    )
    fixed = broken.replace("else:\n    self.decoder", "else:\n        self.decoder")
    fixed = fixed.replace(
        "    packet = self.decoder.decode(data)\n    return",
        "        packet = self.decoder.decode(data)\n    return",
    )
    ctx = FixContext("mod.py", None, None, "IndentationError", "expected an indented block")
    assert fix_expected_block(broken, ctx) == fixed
