"""A run of lines indented with the other character (tabs in a space file, spaces in a tab file).

Editors that turn spaces into tabs do it to a stretch of lines at once, at one tab width, and the
width is what has to be guessed: 8 (the terminal's), 4 or 2. Every width is tried on the whole run;
a width is a candidate when the file then compiles past the run, the run's first line stands where
the lines around it say it should (after a header, one step deeper than the header's first line;
else an open level), and the first statement after the run lines up with a level the run leaves
open. The run moves as one block: a docstring turned to tabs is the first line of a body, and the
lines after it must still close that body where they did. One candidate: it is the repair. Several
that disagree: the one that leaves strictly fewer names undefined, else none.
"""

from __future__ import annotations

import ast

from hookwright.heal.fix_base import (
    body,
    compile_error,
    indent_of,
    is_code,
    lines_of,
    statement_starts,
    undefined_names,
)

WIDTHS = (4, 8, 2)


def _run(lines: list[str], number: int, other: str) -> tuple[int, int] | None:
    """The first and last line of the stretch around ``number`` whose code lines all hold ``other``."""

    def odd(n: int) -> bool:
        return other in indent_of(lines[n - 1])

    if not odd(number):
        return None
    first = last = number
    n = number - 1
    while n >= 1 and (not is_code(lines[n - 1]) or odd(n)):
        if is_code(lines[n - 1]):
            first = n
        n -= 1
    n = number + 1
    while n <= len(lines) and (not is_code(lines[n - 1]) or odd(n)):
        if is_code(lines[n - 1]):
            last = n
        n += 1
    return first, last


def _convert(indent: str, unit: str, width: int) -> str | None:
    columns = len(indent.expandtabs(width))
    if unit != "\t":
        return " " * columns
    if columns % width:
        return None
    return "\t" * (columns // width)


def _retab(lines: list[str], first: int, last: int, unit: str, width: int) -> list[str] | None:
    out = list(lines)
    for number in range(first, last + 1):
        line = out[number - 1]
        if not body(line).strip():
            continue
        indent = indent_of(line)
        new = _convert(indent, unit, width)
        if new is None:
            return None
        out[number - 1] = new + line[len(indent) :]
    return out


def _open(lines: list[str], first: int, level: int, width: int) -> bool:
    """``level`` is still open at line ``first``: a line before stands there, none shallower between."""
    for line in reversed(lines[: first - 1]):
        if not is_code(line):
            continue
        columns = len(indent_of(line).expandtabs(width))
        if columns == level:
            return True
        if columns < level:
            return False
    return level == 0


def _agrees(lines: list[str], first: int, width: int, unit: str) -> bool:
    """The run's first line lines up with its neighbours: one step deeper than the header before it
    (its first line: parameters continued on more lines do not count), else at an open level."""
    level = len(indent_of(lines[first - 1]))
    before = [n for n in range(1, first) if is_code(lines[n - 1])]
    if before and body(lines[before[-1] - 1]).split("#")[0].rstrip().endswith(":"):
        header = lines[statement_starts("".join(lines[: before[-1]]))[-1] - 1]
        return level == len(indent_of(header).expandtabs(width)) + len(unit)
    return _open(lines, first, level, width)


def _closes_where_it_did(candidate: str, last: int) -> bool:
    """The statement after the run still stands at a level the run left open: the file compiles, or
    its first error is past that statement or not about indentation (a docstring run is followed by
    string lines, so the statement is found from the tokens, not from the lines)."""
    error = compile_error(candidate)
    if error is None or not isinstance(error, IndentationError):
        return True
    following = next((n for n in statement_starts(candidate) if n > last), None)
    return following is not None and (error.lineno or 0) > following


def _cuts_off(text: str, first: int, last: int) -> bool:
    """The run assigns a name left undefined where it is read: the run moved out of its uses' scope
    (into a nested ``def`` before it, say), which an import of that name would only hide."""
    names = undefined_names(text)
    if not names:
        return False
    return any(
        isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and first <= node.lineno <= last
        for node in ast.walk(ast.parse(text))
        if getattr(node, "id", None) in names
    )


def fix_tab_run(text: str, number: int, unit: str) -> str | None:
    """Re-indent the run of odd lines around ``number`` at the one tab width the file agrees with."""
    return tab_run_repair(text, number, unit)[0]


def tab_run_repair(text: str, number: int, unit: str) -> tuple[str | None, int]:
    """``fix_tab_run``'s repair, and whether the run is two code lines or more with the same whitespace
    that two widths read as different programs with nothing to choose between them. Repaired one by
    one, each would be put at the level its own neighbours suggest, and two lines with the same
    whitespace could land at two levels (history8 dipy ``rng.py``, fresh7
    eventlet ``hub_timers.py``): then the run's last line (else 0), for the caller to keep them at
    one level."""
    lines = lines_of(text)
    other = " " if unit == "\t" else "\t"
    span = _run(lines, number, other)
    if span is None:
        return None, 0
    first, last = span
    results: set[str] = set()
    cut_off: set[str] = set()  # agree, compile, leave a name the run assigns undefined
    off_step: list[str] = []  # compile, but the run's first line is off the file's step
    for width in WIDTHS:
        candidate = _retab(lines, first, last, unit, width)
        if candidate is None:
            continue
        new = "".join(candidate)
        error = compile_error(new)
        if (error is not None and (error.lineno or 0) <= last) or not _closes_where_it_did(new, last):
            continue
        cuts = error is None and _cuts_off(new, first, last)
        if unit != "\t" and not _agrees(candidate, first, width, unit):
            if error is None and not cuts:
                off_step.append(new)
            continue
        (cut_off if cuts else results).add(new)
    if not results and len(cut_off) > 1:
        # Every width leaves the name undefined (dipy's rng.py reads `s2` in a function that never
        # assigns it): that is the file's, not a width's doing, and tells the widths nothing.
        results = cut_off
    if not results and len(off_step) >= 2 and len({ast.dump(ast.parse(t)) for t in off_step}) == 1:
        # `\t\t  item.setForeground(...)` under an `if` at 8 spaces: 10 columns at width 4, 18 at 8,
        # neither the file's step, and both the same program: the widths do not disagree.
        return off_step[0], 0
    if len(results) == 1:
        return results.pop(), 0
    if not (results or cut_off or off_step) and first == last:
        return _between_equals(lines, first), 0
    chosen = _fewest_undefined(sorted(results))
    code = [line for line in lines[first - 1 : last] if is_code(line)]
    alike = len(code) > 1 and len({indent_of(line) for line in code}) == 1
    return chosen, last if chosen is None and alike and len(results) > 1 and first == number else 0


def _between_equals(lines: list[str], number: int) -> str | None:
    """One line that no width puts at an open level, between two statements at one level, neither
    of them a header (scapy's ``isotp.py``: ``\tassert ...`` in a loop body at 20 spaces): at any
    other level the statement after it would open or close a block, so it stands at theirs."""
    code = [n for n in range(1, len(lines) + 1) if is_code(lines[n - 1])]
    place = code.index(number)
    if place == 0 or place + 1 == len(code):
        return None
    text = "".join(lines)
    starts = statement_starts("".join(lines[: number - 1]))
    previous, following = code[place - 1], code[place + 1]
    if not starts or body(lines[previous - 1]).split("#")[0].rstrip().endswith(":"):
        return None
    level = indent_of(lines[starts[-1] - 1])
    if level != indent_of(lines[following - 1]) or body(lines[number - 1]).split("#")[0].rstrip().endswith(
        ":"
    ):
        return None
    candidate = list(lines)
    candidate[number - 1] = level + lines[number - 1].lstrip(" \t\f")
    new = "".join(candidate)
    error = compile_error(new)
    if (error is not None and (error.lineno or 0) <= following) or following not in statement_starts(new):
        return None
    if new == text or (error is None and _cuts_off(new, number, number)):
        return None
    return new


def _fewest_undefined(candidates: list[str]) -> str | None:
    """Of widths that disagree, the one program that leaves strictly fewer names undefined.

    boto's ``ses/connection.py`` (2011): ``\tif(not (html_body and text_body)):`` in a method at
    8 spaces. At width 8 it is the method's next statement; at width 4 it stands in the class body,
    where ``html_body`` is nobody's name. A tie is still two readings.
    """
    counts = [undefined_names(c) for c in candidates]
    if not candidates or any(n is None for n in counts):
        return None
    sizes = [len(n or ()) for n in counts]
    best = min(sizes)
    return candidates[sizes.index(best)] if sizes.count(best) == 1 else None
