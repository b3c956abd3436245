"""Indentation fixers: a must-fix and a must-not-touch table per rule, and round trips over real code."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_indentation import (
    fix_expected_block,
    fix_mixed_indentation,
    fix_unexpected_indent,
    fix_unindent,
    indent_unit,
)
from hookwright.heal.fix_tabs import fix_tab_run

CORPUS = Path(__file__).parent / "corpus" / "self_heal"
FIXERS = [fix_mixed_indentation, fix_unexpected_indent, fix_unindent, fix_expected_block]
CTX = FixContext("mod.py", None, None, "IndentationError", "")

Fixer = Callable[[str, FixContext], "str | None"]


@pytest.mark.parametrize(
    ("fixer", "text", "expected"),
    [
        pytest.param(
            fix_mixed_indentation,
            "def f(x):\n    if x:\n\treturn 1\n    return 2\n",
            "def f(x):\n    if x:\n        return 1\n    return 2\n",
            id="tab-opening-a-body",
        ),
        pytest.param(
            fix_mixed_indentation,
            "class A:\n    def f(self):\n        q = 1\n\tprint(q)\n\n    def g(self):\n        return 2\n",
            "class A:\n    def f(self):\n        q = 1\n        print(q)\n\n    def g(self):\n        return 2\n",
            id="a-functions-last-statement-keeps-its-locals",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def f(x):\n    y = 1\n\ty += 1\n    return y\n",
            "def f(x):\n    y = 1\n    y += 1\n    return y\n",
            id="tab-for-one-level",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def f(tokens, idx):\n    if idx:\n        hms = 1\n    else:\n        if tokens:\n"
            "            # Looking backwards, increment one.\n\thms = tokens[idx] + 1\n            new_idx = idx\n"
            "    return hms\n",
            "def f(tokens, idx):\n    if idx:\n        hms = 1\n    else:\n        if tokens:\n"
            "            # Looking backwards, increment one.\n            hms = tokens[idx] + 1\n"
            "            new_idx = idx\n    return hms\n",
            id="one-tab-for-three-levels-where-both-neighbours-stand",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def spew(fn):\n    if fn:\n        try:\n\tsys.settrace(fn)\n            fn()\n        finally:\n"
            "            sys.settrace(None)\n",
            "def spew(fn):\n    if fn:\n        try:\n            sys.settrace(fn)\n            fn()\n"
            "        finally:\n            sys.settrace(None)\n",
            id="one-tab-for-a-headers-body",
        ),
        pytest.param(
            fix_mixed_indentation,
            'def f():\n\t"""Doc.\n\n    More.\n    """\n    return 1\n',
            'def f():\n    """Doc.\n\n    More.\n    """\n    return 1\n',
            id="reported-lines-later",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def f(x):\n\tif x:\n\t\treturn 1\n    return 2\n",
            "def f(x):\n\tif x:\n\t\treturn 1\n\treturn 2\n",
            id="spaces-in-a-tab-file",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f():\n    y = 1\n        z = 2\n    return z\n",
            "def f():\n    y = 1\n    z = 2\n    return z\n",
            id="one-line-too-deep",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f(y):\n    y = 1\n        if y:\n            return 2\n    return 3\n",
            "def f(y):\n    y = 1\n    if y:\n        return 2\n    return 3\n",
            id="header-and-body-too-deep",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f(y):\n    x = 1\n        call(\n        y)\n    return x\n",
            "def f(y):\n    x = 1\n    call(\n    y)\n    return x\n",
            id="continuation-lines-move-along",
        ),
        pytest.param(
            fix_unexpected_indent,
            "try:\n    x = 1\n    except ValueError:\n    x = 2\n",
            "try:\n    x = 1\nexcept ValueError:\n    x = 2\n",
            id="clause-too-deep",
        ),
        pytest.param(
            fix_unindent,
            "def f(x):\n    if x:\n        y = 1\n      z = 2\n        return z\n",
            "def f(x):\n    if x:\n        y = 1\n        z = 2\n        return z\n",
            id="between-two-lines-of-a-block",
        ),
        pytest.param(
            fix_unindent,
            "def f(x):\n    if x:\n        y = 1\n      else:\n        y = 2\n    return y\n",
            "def f(x):\n    if x:\n        y = 1\n    else:\n        y = 2\n    return y\n",
            id="a-header-by-its-body",
        ),
        pytest.param(
            fix_unindent,
            "def f(x):\n    if x:\n        x = 1\n  return x\n",
            "def f(x):\n    if x:\n        x = 1\n    return x\n",
            id="not-out-of-the-function",
        ),
        pytest.param(
            fix_expected_block,
            "def f(x):\n    if x:\n    y = 1\n    return 2\n",
            "def f(x):\n    if x:\n        y = 1\n    return 2\n",
            id="body-line-not-indented",
        ),
        pytest.param(
            fix_expected_block,
            'def test():\n    """doc"""\n\n    class C(Base):\n    def save(self):\n            pass\n\n'
            "        def open(self):\n            return 1\n    return C\n",
            'def test():\n    """doc"""\n\n    class C(Base):\n        def save(self):\n            pass\n\n'
            "        def open(self):\n            return 1\n    return C\n",
            id="body-in-rather-than-header-out-when-only-that-compiles",
        ),
        pytest.param(
            fix_expected_block,
            "def f(x):\r\n    if x:\r\n    y = 1\r\n    return 2\r\n",
            "def f(x):\r\n    if x:\r\n        y = 1\r\n    return 2\r\n",
            id="crlf",
        ),
        pytest.param(
            fix_expected_block,
            "class A:\n    def a(self):\n        if self:\n            pass\n\n        def b(self):\n        return 1\n",
            "class A:\n    def a(self):\n        if self:\n            pass\n\n    def b(self):\n        return 1\n",
            id="a-method-indented-into-the-one-before",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def f(a):\n    if a:\n\t\tx = 1\n\t\ty = 2\n    return 1\n",
            "def f(a):\n    if a:\n        x = 1\n        y = 2\n    return 1\n",
            id="tab-run-four-columns",
        ),
        pytest.param(
            fix_mixed_indentation,
            "def f(a):\n    b = 1\n    c = 2\n    if a:\n\t\t\t\tx = 1\n\t\t\t\ty = [\n\t\t\t\t\t1]\n    return 1\n",
            "def f(a):\n    b = 1\n    c = 2\n    if a:\n        x = 1\n        y = [\n          1]\n    return 1\n",
            id="tab-run-two-columns-with-a-continuation",
        ),
        pytest.param(
            fix_mixed_indentation,
            "class A:\n    y = 0\n    z = 1\n\n    def f(self):\n\tx = 1\n\treturn x\n",
            "class A:\n    y = 0\n    z = 1\n\n    def f(self):\n        x = 1\n        return x\n",
            id="tab-run-eight-columns",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f(a):\n    if a:\n        x = 1\n    y = 2\n        z = 3\n        w = 4\n    return w\n",
            "def f(a):\n    if a:\n        x = 1\n        y = 2\n        z = 3\n        w = 4\n    return w\n",
            id="the-line-before-left-its-block",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f(a):\n    if a:\n        x = 1\n    y = 2\n        z = 3\n    return z\n",
            "def f(a):\n    if a:\n        x = 1\n        y = 2\n        z = 3\n    return z\n",
            id="the-line-before-left-its-block-as-its-last-but-one",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def f(a):\n    x = 1\n    y = 2\n        z = 3\n    return z\n",
            "def f(a):\n    x = 1\n    y = 2\n    z = 3\n    return z\n",
            id="no-block-before-so-this-line-moved",
        ),
        pytest.param(
            fix_unexpected_indent,
            "def serve(port):\n    return port\n\n\nclass Factory(ClientFactory):\n\n   __implements__ = IFactory,\n\n"
            "    protocol = Bot\n    nickname = None\n\n    def __init__(self, service):\n        self.service = service\n",
            "def serve(port):\n    return port\n\n\nclass Factory(ClientFactory):\n\n    __implements__ = IFactory,\n\n"
            "    protocol = Bot\n    nickname = None\n\n    def __init__(self, service):\n        self.service = service\n",
            id="a-blocks-first-statement-off-the-files-step",  # twisted's finger19.py, 2004
        ),
    ],
)
def test_must_fix(fixer: Fixer, text: str, expected: str) -> None:
    assert fixer(text, CTX) == expected
    compile(expected, "<expected>", "exec")


@pytest.mark.parametrize(
    ("fixer", "text"),
    [
        pytest.param(fix_mixed_indentation, "def f(x):\n    y = 1\n\t\t\ty = 2\n", id="tab-fits-no-level"),
        pytest.param(fix_mixed_indentation, "def f():\n  return 1\n        x = 2\n", id="no-tab-at-all"),
        pytest.param(fix_unexpected_indent, "def f():\n    return 1\n", id="compiles"),
        pytest.param(fix_unexpected_indent, "x = 1\ny = (\n", id="another-error"),
        pytest.param(fix_unexpected_indent, "if x:\n    pass\nelse\n    pass\n", id="not-a-clause-problem"),
        pytest.param(fix_unindent, "if x:\n    y = 1\n  return 2\n", id="no-level-compiles"),
        pytest.param(fix_expected_block, "def f():\n", id="nothing-after-the-header"),
        pytest.param(fix_expected_block, "def f():\n# only a comment\n", id="only-a-comment"),
        pytest.param(fix_expected_block, "x = [\n    1,\n", id="a-different-error"),
    ],
)  # fmt: skip
def test_must_not_touch(fixer: Fixer, text: str) -> None:
    assert fixer(text, CTX) is None


def test_the_context_line_must_be_the_error_line() -> None:
    text = "def f():\n    y = 1\n        z = 2\n"
    assert fix_unexpected_indent(text, FixContext("mod.py", 2, None, "IndentationError", "")) is None
    assert fix_unexpected_indent(text, FixContext("mod.py", 3, None, "IndentationError", "")) is not None


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("def f():\n    return 1\n", "    "),
        ("def f():\n  if x:\n    return 1\n", "  "),
        ("def f():\n\treturn 1\n", "\t"),
        ("def f():\n    a = 1\n\tb = 2\n    c = 3\n", "    "),
        ("x = 1\n", "    "),
    ],
)
def test_indent_unit(text: str, unit: str) -> None:
    assert indent_unit(text) == unit


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.py")), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_round_trip_real_code_is_left_alone(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for fixer in FIXERS:
        assert fixer(text, CTX) is None
    crlf = text.replace("\n", "\r\n")
    lines = crlf.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if (
            line.startswith("        ")
            and line.strip()
            and not line.lstrip().startswith(("#", ")", "]", "}"))
        ):
            mutant = "".join([*lines[:number], "\t" + line[4:], *lines[number + 1 :]])
            fixed = fix_mixed_indentation(mutant, CTX)
            assert fixed in (None, crlf), f"line {number + 1}"  # back exactly, CRLF kept, or declined
            break


def _tabbed(text: str, first: int, count: int, width: int) -> str:
    """Lines first..first+count-1 re-indented with tabs of ``width`` columns (an editor's doing)."""
    lines = text.splitlines(keepends=True)
    for number in range(first, first + count):
        line = lines[number - 1]
        indent = len(line) - len(line.lstrip(" "))
        lines[number - 1] = "\t" * (indent // width) + " " * (indent % width) + line.lstrip(" ")
    return "".join(lines)


@pytest.mark.parametrize("width", [2, 4])
def test_a_tabbed_docstring_under_a_continued_header_moves_back_as_a_block(width: int) -> None:
    # json.dump's header spans three lines; its docstring turned to tabs opens the body at 4, 8 or 16
    # columns, and CPython reports the first statement after the 40-line docstring. Dedenting that
    # statement moved the function's tail to the module level (its parameters undefined there).
    text = (CORPUS / "cpython" / "json" / "__init__.py").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines, 1) if line.startswith("def dump(")) + 3
    assert lines[first - 1].startswith('    """Serialize')
    mutant = _tabbed(text, first, 2, width)
    assert mutant != text
    assert fix_mixed_indentation(mutant, CTX) == text


def test_a_tab_run_whose_width_leaves_the_next_statement_unaligned_is_declined() -> None:
    # Eight columns put the run where the header wants it, but then the statement after the run
    # matches no level the run leaves open: the run is not a block of that width, and no other
    # width fits, so the run fixer declines (the line-by-line fixer may still move the one line).
    text = 'def f(a):\n    if a:\n\t"""Doc.\n\tMore."""\n      return 1\n'
    assert fix_tab_run(text, 3, "    ") is None
    assert fix_tab_run(text.replace("      return", "    return"), 3, "    ") is not None


def test_a_tab_run_that_would_cut_its_names_off_from_their_uses_is_not_put_there() -> None:
    # tox's test_source_ini.py: a run after a nested function, tabbed; at width 4 it would join that
    # function, and `config` would be undefined where the test reads it (an import would then "find"
    # logging.config). It stands where its uses can see it, or the fixer declines.
    text = (
        "def test_custom(tox_ini_conf):\n    def check(config):\n        return Loader(\n"
        "            desc='d',\n        )\n\n\t\tconfig = tox_ini_conf('[testenv:foo]')\n"
        "\t\tknown = list(config.envs())\n    assert known\n    return config.get('x')\n"
    )
    fixed = fix_mixed_indentation(text, CTX)
    assert fixed is None or "\n    config = tox_ini_conf" in fixed


def test_a_tab_run_off_the_step_at_every_width_is_repaired_when_the_widths_agree() -> None:
    # electrum's history_widget.py (2012): `\t\t  item.setForeground(...)` under an `if` at eight
    # spaces is 10 columns at width 4 and 18 at width 8, neither the file's step; both are the
    # same program, which the commit wrote at 10.
    text = (
        "class HistoryWidget:\n    def append(self, amount, item):\n        if float(amount) < 0:\n"
        '\t\t  item.setForeground(0, "#BC1E1E")\n        self.insertTopLevelItem(0, item)\n'
    )
    assert fix_tab_run(text, 4, "    ") == text.replace("\t\t  item", "          item")


def test_a_tab_run_off_the_step_is_declined_when_the_widths_disagree() -> None:
    # Two lines: at width 4 the second closes the `if` (12 then 8), at width 8 it stays in (18, 16).
    text = (
        "def f(a, item):\n    if a:\n        if a > 1:\n\t\t  item.x = 1\n\t\titem.y = 2\n    return item\n"
    )
    assert fix_tab_run(text, 4, "    ") is None


def test_a_statement_left_before_an_elif_goes_back_into_the_if_s_body() -> None:
    # kivy's tuio.py (2012): the last line of an `if` body at the `if`'s own level, and CPython
    # reports "invalid syntax" at the `elif` after it.
    text = (
        "class Tuio2dObjTouch:\n    def depack(self, args):\n        if len(args) < 5:\n"
        "            self.sx, self.sy = args[0:2]\n            self.profile = ('pos', )\n"
        "        self.fid, self.sx = args[:2]\n        elif len(args) == 9:\n"
        "            self.A = args[6]\n        else:\n            self.profile = ()\n"
    )
    ctx = FixContext("tuio.py", 7, None, "SyntaxError", "invalid syntax")
    expected = text.replace("        self.fid, self.sx", "            self.fid, self.sx")
    assert fix_unexpected_indent(text, ctx) == expected


def test_a_plain_statement_before_an_else_that_continues_nothing_is_not_moved() -> None:
    text = "def f(a):\n    x = 1\n    y = 2\n    else:\n        pass\n"
    ctx = FixContext("f.py", 4, None, "SyntaxError", "invalid syntax")
    assert fix_unexpected_indent(text, ctx) is None


SES = (
    "class SESConnection:\n"
    "    def send_email(self, source, html_body=None, text_body=None, format='text'):\n"
    "        if format not in ('text', 'html'):\n"
    "            raise ValueError(\"'format' argument must be 'text' or 'html'\")\n"
    "\t\t\n"
    "\tif(not (html_body and text_body)):\n"
    '\t\traise ValueError("No text or html body found for mail")\n\n'
    "        params = {'Source': source}\n"
    "        return params\n"
)


def test_of_tab_widths_that_disagree_the_one_leaving_no_name_undefined_is_taken() -> None:
    # boto's ses/connection.py (2011): at width 8 the tabbed `if` is the method's next statement;
    # at width 4 it stands in the class body, where `html_body` is nobody's name.
    fixed = fix_mixed_indentation(SES, CTX)
    assert fixed is not None
    assert "\n        if(not (html_body and text_body)):\n                raise" in fixed


def test_a_line_moved_out_of_the_function_whose_parameter_it_reads_is_refused() -> None:
    # exaile's spydaap playlists.py (2009): `     \t self.name` and `\t self.seconds` both stand at
    # 9 columns at width 8. Read alone at width 4 the second lands at the `def`'s level, in the
    # class body, where `self` is undefined: that is a name the repair cut off, not one the syntax
    # error hid (the file binds `self` as a parameter), and the engine refuses it.
    from hookwright.heal.diagnostics import Diagnostic
    from hookwright.heal.judging import judge

    old = "class Recent:\n     def __init__(self, name):\n     \t self.name = name\n\t self.seconds = 1\n"
    new = "class Recent:\n     def __init__(self, name):\n     \t self.name = name\n     self.seconds = 1\n"
    target = Diagnostic("p.py", 4, 1, "TabError", "inconsistent use of tabs", "compile")
    found = Diagnostic("p.py", 4, 6, "F821", "Undefined name `self`", "ruff")
    assert judge(target, [target], [found], {4}, (old, new)) is not None
