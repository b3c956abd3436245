"""Several statements that left their block together: back to the block's level, as one run.

``        qy = data.qy`` / ``    bins = zeros(n)`` / ``    counts = zeros(n)`` / ``        vals = zeros(n)``:
two lines in the middle of a method moved out one step; CPython calls the line *after* them an
"unexpected indent". ``_line_left_behind`` puts back one statement; a run of them (or one that
opens a block, with its body) goes back whole: every line from the first statement shallower than
the complaint up to it, shifted by the same whitespace, so the run's own blocks keep their shape
(history11: SasView ``manipulations.py``, two lines; pytrainer ``garmingpx``, an ``if`` with its body
moved out to column 0 of a tab-indented method). The other reading, the complaint and every line
after it dedented to the run's level, is taken instead when it compiles too: then the lines alone
do not say which block moved.
"""

from __future__ import annotations

from hookwright.heal.fix_base import compile_error, indent_of, statement_starts
from hookwright.heal.indent_astray import under_its_own_comment
from hookwright.heal.indent_lines import inside_strings, reindent, width

_ENDS_BLOCK = ("return", "raise", "continue", "break")


def run_left_behind(text: str, lines: list[str], number: int, dedented: str | None) -> str | None:
    """``text`` with the statements between the block's last line at ``number``'s level and ``number``
    moved back to that level, when that compiles and ``dedented`` (the other reading) does not."""
    if dedented is not None and compile_error(dedented) is None:
        return None
    current = indent_of(lines[number - 1])
    columns = width(current, 8)
    run: list[int] = []
    for start in reversed(statement_starts(text[: sum(len(x) for x in lines[: number - 1])])):
        if width(indent_of(lines[start - 1]), 8) >= columns:
            break
        run.insert(0, start)
    else:
        return None  # no line of the complaint's block before the run: nothing it left
    if not run or lines[start - 1].split(None, 1)[0] in _ENDS_BLOCK:
        return None  # after a `return` or `raise` the run would never run: it was written after the block
    first = run[0]
    level = indent_of(lines[first - 1])
    if any(not lines[start - 1].startswith(level) for start in run) or under_its_own_comment(lines, first):
        return None
    if inside_strings(lines, first, number - 1):
        return None  # a string's lines are its text: shifting them would change it
    back = reindent(lines, first, number - 1, level, current)
    return back if back is not None and compile_error(back) is None else None
