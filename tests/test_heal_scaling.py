"""Healing a file costs work in proportion to its size (issue 16: a 300k-line file took 30 s and 1.3 GB).

Work is counted, not timed: every Python and C function call made while healing, through
``sys.setprofile``. A quadratic step (SequenceMatcher over a whole file of repeated lines, a
tokenize per line) makes the count of a file twice as long four times as large; here it may only
double, with room for noise. Files above large_source.LARGE_LINES are compiled piece by piece and
fixed through a window, so both sides of that line are measured. ``benchmarks/self_heal/scale.py``
reports the seconds and megabytes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest

from hookwright.heal import large_source
from hookwright.heal import rules as error_rules
from hookwright.heal.engine import Detector, heal_text
from hookwright.heal.fix_base import compile_error

BLOCK = "def f{n}(a, b):\n    x = a + b\n    if x > {n}:\n        return [x, a,\n                b]\n    return x\n\n\n"


def source(lines: int, breakage: Callable[[list[str]], None]) -> str:
    """Repetitive code (the worst case for line matching) of about ``lines`` lines, broken near the end."""
    out: list[str] = []
    n = 0
    while len(out) < lines:
        out += BLOCK.format(n=n).splitlines(keepends=True)
        n += 1
    breakage(out)
    return "".join(out)


def drop_colon(lines: list[str]) -> None:
    at = max(i for i, line in enumerate(lines) if line.lstrip().startswith("if "))
    lines[at] = lines[at].replace(":", "", 1)


def tab_line(lines: list[str]) -> None:
    at = max(i for i, line in enumerate(lines) if line.startswith("    x = "))
    lines[at] = "\t" + lines[at][4:]


def calls(text: str) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    registry = error_rules.load_builtin()
    detect = Detector(None, codes=())  # compile only: no ruff process, whose polling depends on time
    sys.setprofile(profile)
    try:
        healed = heal_text("big.py", text, error_rules.Registry(tuple(registry)), detect, max_rounds=3)
    finally:
        sys.setprofile(None)
    assert healed.changed and compile_error(healed.text) is None
    return count


@pytest.mark.parametrize("breakage", [drop_colon, tab_line], ids=["colon", "tab"])
@pytest.mark.parametrize(
    "size",
    [4_000, large_source.LARGE_LINES + 5_000],
    ids=["whole-file", "piece-by-piece"],
)
def test_twice_the_lines_is_at_most_twice_the_work(size: int, breakage: Callable[[list[str]], None]) -> None:
    small, large = calls(source(size, breakage)), calls(source(2 * size, breakage))
    assert large < 2.6 * small, (small, large)


def test_a_large_file_compiled_in_pieces_reports_what_compiling_it_whole_reports() -> None:
    lines = source(large_source.LARGE_LINES + 5_000, lambda out: None).splitlines(keepends=True)
    for at, broken in [(100, "x = (\n"), (len(lines) // 2, 'y = """\n'), (len(lines) - 50, "else:\n")]:
        text = "".join([*lines[:at], broken, *lines[at:]])
        whole = None
        try:
            compile(text, "<whole>", "exec", dont_inherit=True)
        except SyntaxError as exc:
            whole = exc
        pieces = large_source.compile_error(text)
        assert whole is not None and pieces is not None
        assert (pieces.msg, pieces.lineno) == (whole.msg, whole.lineno)
    assert large_source.compile_error("".join(lines)) is None
