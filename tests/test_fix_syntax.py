"""Syntax fixers (and conflict markers): a must-fix and a must-not-touch table per rule, and round trips."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hookwright.heal.fix_base import FixContext, compile_error
from hookwright.heal.fix_conflicts import remove_conflict_markers
from hookwright.heal.fix_syntax import add_missing_colon, close_bracket, close_string, insert_comma
from hookwright.heal.fix_typos import repair_token

CORPUS = Path(__file__).parent / "corpus" / "self_heal"
FIXERS = [add_missing_colon, close_bracket, insert_comma, close_string, remove_conflict_markers, repair_token]
CTX = FixContext("mod.py", None, None, "SyntaxError", "")

Fixer = Callable[[str, FixContext], "str | None"]

MUST_FIX = [
    pytest.param(add_missing_colon, "def f(x)\n    return x\n", "def f(x):\n    return x\n", id="colon-def"),
    pytest.param(
        add_missing_colon, "if x:\n    pass\nelse  # why\n    pass\n", "if x:\n    pass\nelse:  # why\n    pass\n",
        id="colon-before-a-comment",
    ),
    pytest.param(
        add_missing_colon, "def f(\n    a,\n    b\n)\n    pass\n", "def f(\n    a,\n    b\n):\n    pass\n",
        id="colon-multi-line-header",
    ),
    pytest.param(
        add_missing_colon, "for k in {1: 2}\n    pass\n", "for k in {1: 2}:\n    pass\n", id="colon-dict-in-header"
    ),
    pytest.param(
        add_missing_colon, "class A(B)\r\n    pass\r\n", "class A(B):\r\n    pass\r\n", id="colon-crlf"
    ),
    pytest.param(close_bracket, "x = [1,\n  2\ny = 3\n", "x = [1,\n  2]\ny = 3\n", id="bracket-continuation"),
    pytest.param(close_bracket, "print(len(x), y\nz = 1\n", "print(len(x), y)\nz = 1\n", id="bracket-call"),
    pytest.param(
        close_bracket, "x = foo(a, b  # c\r\ny = 2\r\n", "x = foo(a, b)  # c\r\ny = 2\r\n", id="bracket-comment-crlf"
    ),
    pytest.param(
        close_bracket, "x = call(\n    a,\n    b,\n\ny = 2\n", "x = call(\n    a,\n    b,)\n\ny = 2\n",
        id="bracket-on-its-own-line-dropped",
    ),
    pytest.param(
        close_bracket, "def f():\n    print('%s' % (\n    a,\n    b)\n    return 1\n",
        "def f():\n    print('%s' % (\n    a,\n    b))\n    return 1\n", id="bracket-continued-at-its-own-level",
    ),
    pytest.param(
        close_bracket, "if x:\n    if (a and\n        b:\n        pass\n", "if x:\n    if (a and\n        b):\n        pass\n",
        id="bracket-header-over-lines-before-its-colon",
    ),
    pytest.param(
        insert_comma, "x = [\n    1,\n    2\n    3,\n]\n", "x = [\n    1,\n    2,\n    3,\n]\n", id="comma-list"
    ),
    pytest.param(insert_comma, "f(\n    a=1\n    b=2)\n", "f(\n    a=1,\n    b=2)\n", id="comma-keywords"),
    pytest.param(
        insert_comma, "d = {\n    'a': '1'\n    'b': '2',\n}\n", "d = {\n    'a': '1',\n    'b': '2',\n}\n",
        id="comma-dict-strings",
    ),
    pytest.param(
        insert_comma, "def f() -> tuple[\n    int\n    str,\n]:\n    pass\n",
        "def f() -> tuple[\n    int,\n    str,\n]:\n    pass\n", id="comma-subscript",
    ),
    pytest.param(close_string, 'x = "abc\ny = 1\n', 'x = "abc"\ny = 1\n', id="string-end-of-line"),
    pytest.param(close_string, 'print("hello, world)\n', 'print("hello, world")\n', id="string-in-a-call"),
    pytest.param(
        close_string, "f('a', 'b, 'c')\n", "f('a', 'b', 'c')\n", id="string-later-quotes-re-paired"
    ),
    pytest.param(close_string, "x = 'abc  # note\n", "x = 'abc'  # note\n", id="string-before-a-comment"),
    pytest.param(close_string, "d = {'k: 1}\n", "d = {'k': 1}\n", id="string-dict-key"),
    pytest.param(close_string, "x = 1\nprint(x, end=')\n", "x = 1\nprint(x, end='')\n", id="string-empty"),
    pytest.param(
        remove_conflict_markers, "x = 1\n<<<<<<< HEAD\ny = 2\n=======\ny = 2\n>>>>>>> br\n", "x = 1\ny = 2\n",
        id="markers-sides-agree",
    ),
    pytest.param(remove_conflict_markers, "x = 1\n>>>>>>> main\ny = 2\n", "x = 1\ny = 2\n", id="markers-stray"),
    pytest.param(
        remove_conflict_markers,
        "x = 1\n<<<<<<< HEAD\ny = 2\n||||||| base\ny = 1\n=======\ny = 1\n>>>>>>> br\n", "x = 1\ny = 2\n",
        id="markers-diff3-one-side-kept-the-base",
    ),
    pytest.param(
        remove_conflict_markers, "if x:\n    y = 1\n=======\n    z = 2\n", "if x:\n    y = 1\n    z = 2\n",
        id="markers-stray-separator",
    ),
    pytest.param(repair_token, "def f(x):\n    retrun x\n", "def f(x):\n    return x\n", id="keyword-swapped-letters"),
    pytest.param(repair_token, "imoprt os\n", "import os\n", id="keyword-import"),
    pytest.param(repair_token, "from os improt path\n", "from os import path\n", id="keyword-inside-a-statement"),
    pytest.param(
        repair_token, "if x:\n    pass\nesle:\n    pass\n", "if x:\n    pass\nelse:\n    pass\n", id="keyword-else"
    ),
    pytest.param(
        repair_token, "try:\n    pass\nexcpet ValueError:\n    pass\n", "try:\n    pass\nexcept ValueError:\n    pass\n",
        id="keyword-except",
    ),
    pytest.param(repair_token, "x = [a fro a in b]\n", "x = [a for a in b]\n", id="keyword-where-a-comma-is-suggested"),
    pytest.param(repair_token, "x = 1 if y ese 2\n", "x = 1 if y else 2\n", id="keyword-dropped-letter"),
    pytest.param(repair_token, "x = lamda: 1\n", "x = lambda: 1\n", id="keyword-lambda"),
    pytest.param(repair_token, "f(a, b c)\n", "f(a, b, c)\n", id="inline-comma-call"),
    pytest.param(repair_token, "d = {'a': 1 'b': 2}\n", "d = {'a': 1, 'b': 2}\n", id="inline-comma-dict"),
    pytest.param(repair_token, "f(x=1 y=2)\r\n", "f(x=1, y=2)\r\n", id="inline-comma-keywords-crlf"),
    pytest.param(repair_token, "class A(B C):\n    pass\n", "class A(B, C):\n    pass\n", id="inline-comma-bases"),
    pytest.param(
        repair_token, 'iif __name__ == "__main__":\n    main()\n', 'if __name__ == "__main__":\n    main()\n',
        id="keyword-two-letters-doubled-if",
    ),
    pytest.param(
        repair_token, "for fntd iin fn_typedefs:\n    print(fntd)\n", "for fntd in fn_typedefs:\n    print(fntd)\n",
        id="keyword-two-letters-doubled-in",
    ),
    # history8 (tuning): a dict item whose colon was lost; a conditional expression's `if` typed `is`.
    pytest.param(
        repair_token, "labels = {\n    'name': t('Name'),\n    'size' t('Size'),\n    'kind': t('Kind'),\n}\n",
        "labels = {\n    'name': t('Name'),\n    'size': t('Size'),\n    'kind': t('Kind'),\n}\n",
        id="dict-item-colon",
    ),
    pytest.param(
        repair_token, "def f(n):\n    assert n.size == 1 'one size only'\n", "def f(n):\n    assert n.size == 1, 'one size only'\n",
        id="comma-between-an-assert-and-its-message",
    ),
    pytest.param(
        repair_token, "def f(a):\n    x = a.color is a.has_color else None\n    return x\n",
        "def f(a):\n    x = a.color if a.has_color else None\n    return x\n", id="keyword-is-for-the-if-of-an-else",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("fixer", "text", "expected"), MUST_FIX)
def test_must_fix(fixer: Fixer, text: str, expected: str) -> None:
    assert fixer(text, CTX) == expected
    assert compile_error(expected) is None


@pytest.mark.parametrize(
    ("fixer", "text"),
    [
        pytest.param(add_missing_colon, "x = 1\n", id="colon-compiles"),
        pytest.param(add_missing_colon, "print(x y)\n", id="colon-not-a-header"),
        pytest.param(add_missing_colon, "if x:\n    pass\nelse:\n  pass\n   x = 1\n", id="colon-other-error"),
        pytest.param(close_bracket, "foo(a b\n", id="bracket-closing-does-not-help"),
        pytest.param(close_bracket, "x = [1, 2\\\n", id="bracket-backslash"),
        pytest.param(close_bracket, "x = 1)\n", id="bracket-extra-closer"),
        pytest.param(
            close_bracket, "def f():\n    print('%s' % (\n    a),\n    b\n    return 1\n", id="bracket-two-lines-compile"
        ),
        pytest.param(insert_comma, "x = [1 2]\n", id="comma-same-line"),
        pytest.param(insert_comma, "x = (\n    'a'\n    'b'\n)\n", id="comma-strings-concatenate"),
        pytest.param(insert_comma, "x = 1 +\n", id="comma-not-in-brackets"),
        pytest.param(close_string, 'x = """abc\n', id="string-triple-quoted"),
        pytest.param(close_string, "x = 'abc\\\n", id="string-continued-by-backslash"),
        pytest.param(close_string, 'x = "a" if "b\n', id="string-nowhere-parses"),
        pytest.param(
            remove_conflict_markers, "x = 1\n<<<<<<< HEAD\ny = 2\n=======\ny = 3\n>>>>>>> br\n", id="markers-real"
        ),
        pytest.param(remove_conflict_markers, "x = (\n", id="markers-none"),
        pytest.param(remove_conflict_markers, 's = """\n=======\n"""\nx = (\n', id="markers-inside-a-string"),
        pytest.param(repair_token, "print(a fro b)\n", id="token-no-single-edit-compiles"),
        pytest.param(repair_token, "x = f(a, b c d)\n", id="token-two-commas-missing"),
        pytest.param(repair_token, "x = y i not None\n", id="token-one-letter-has-three-readings"),
        pytest.param(repair_token, "assert n, 'size' n.size\n", id="token-assert-has-its-message"),
        pytest.param(repair_token, "x = 1\n", id="token-compiles"),
        pytest.param(repair_token, "x = (1,\n", id="token-another-error"),
        pytest.param(repair_token, "def f():\n  x = 1\n    y = 2\n", id="token-indentation-error"),
        pytest.param(repair_token, "if a:\n    pass\nelse b:\n    pass\n", id="token-only-names-near-keywords"),
    ],
)  # fmt: skip
def test_must_not_touch(fixer: Fixer, text: str) -> None:
    assert fixer(text, CTX) is None


def test_a_fixer_declines_when_the_error_moved() -> None:
    text = "def f(x)\n    return x\n"
    assert add_missing_colon(text, FixContext("mod.py", 2, None, "SyntaxError", "")) is None
    assert add_missing_colon(text, FixContext("mod.py", 1, None, "SyntaxError", "")) is not None


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.py")), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_round_trip_real_code(path: Path) -> None:
    """Working code is left alone; a dropped colon comes back byte for byte, CRLF and all."""
    text = path.read_text(encoding="utf-8")
    for fixer in FIXERS:
        assert fixer(text, CTX) is None
    crlf = text.replace("\n", "\r\n")
    at = -1
    while (at := crlf.find(":\r\n", at + 1)) >= 0:
        line_start = crlf.rfind("\n", 0, at) + 1
        if crlf[line_start:at].lstrip().startswith(("def ", "if ", "for ", "while ", "with ", "class ")):
            mutant = crlf[:at] + crlf[at + 1 :]
            if compile_error(mutant) is not None:
                assert add_missing_colon(mutant, CTX) == crlf
                break
