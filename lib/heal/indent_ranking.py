"""Choosing between indentation repairs that all compile past the broken line: by what they leave undefined.

A statement moved to the wrong level usually still compiles, but out of the block it was written in
it loses that block's names (a function's locals); CPython's own scope analysis counts them.
"""

from __future__ import annotations

from hookwright.heal.fix_base import compiles_past, indent_of, lines_of, undefined_names


def fewest_undefined(candidates: list[str], line: int, tabsize: int | None = None) -> str | None:
    """Of repairs that make progress, the first of those leaving the fewest names undefined.

    One that makes the whole file compile comes before one that only moves the error further down
    (a header moved out can compile past its line and break the block structure below it).
    ``tabsize``: names are counted with the tabs still left in other lines' indentation expanded
    (other stray tabs keep the file from compiling, and a count needs it to compile).
    """
    scored: list[tuple[bool, int, int, str]] = []
    for candidate in candidates:
        if not compiles_past(candidate, line):
            continue
        names = undefined_names(candidate if tabsize is None else _tabs_expanded(candidate, tabsize))
        scored.append((names is None, len(names or ()), len(scored), candidate))
    return min(scored)[3] if scored else None


def _tabs_expanded(text: str, tabsize: int) -> str:
    lines = lines_of(text)
    out = []
    for line in lines:
        indent = indent_of(line)
        out.append(indent.expandtabs(tabsize) + line[len(indent) :] if "\t" in indent else line)
    return "".join(out)
