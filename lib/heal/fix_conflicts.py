"""Leftover merge-conflict markers: what git would have resolved on its own is resolved; the rest is left.

A stray marker line (``<<<<<<<``, ``|||||||``, ``=======``, ``>>>>>>>`` with nothing around it to
pair with) is dropped. A complete block is resolved only when the answer is not a choice: both
sides are the same, or (in diff3 style) one side kept the base, so the other side's change wins.
A real conflict is left to a person, and so is a marker inside a multi-line string.
"""

from __future__ import annotations

import re
import tokenize

from hookwright.heal.fix_base import FixContext, body, compile_error, lines_of, tokens

_MARKER = re.compile(r"^(?P<kind><{7}|\|{7}|={7}|>{7})(?:[ \t].*)?$")


def remove_conflict_markers(text: str, ctx: FixContext) -> str | None:
    """Leftover merge markers: a block whose sides agree (or a 3-way block one side left) is resolved."""
    error = compile_error(text, ctx.path)
    lines = lines_of(text)
    if error is None or error.lineno is None or error.lineno > len(lines):
        return None
    if not _MARKER.match(body(lines[error.lineno - 1])):
        return None
    in_string = _string_lines(text)
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _MARKER.match(body(lines[i]))
        if match is None or (i + 1) in in_string:
            out.append(lines[i])
            i += 1
            continue
        if match["kind"] == "<" * 7:
            block = _block(lines, i)
            if block is not None:
                resolved, i = block
                if resolved is None:
                    return None  # a real conflict: a person has to choose
                out.extend(resolved)
                continue
        i += 1  # a stray marker line on its own: drop it
    fixed = "".join(out)
    if fixed == text:
        return None
    after = compile_error(fixed, ctx.path)
    if (
        after is not None
        and after.lineno
        and _MARKER.match(
            body(lines_of(fixed)[after.lineno - 1] if after.lineno <= len(lines_of(fixed)) else "")
        )
    ):
        return None
    return fixed


def _block(lines: list[str], start: int) -> tuple[list[str] | None, int] | None:
    """Resolve ``<<<<<<<`` ours [``|||||||`` base] ``=======`` theirs ``>>>>>>>``; None if incomplete."""
    parts: dict[str, list[str]] = {"ours": [], "base": [], "theirs": []}
    section = "ours"
    has_base = False
    for i in range(start + 1, len(lines)):
        match = _MARKER.match(body(lines[i]))
        kind = match["kind"] if match else None
        if kind == "|" * 7 and section == "ours":
            section, has_base = "base", True
        elif kind == "=" * 7 and section in ("ours", "base"):
            section = "theirs"
        elif kind == ">" * 7 and section == "theirs":
            ours, base, theirs = parts["ours"], parts["base"], parts["theirs"]
            if _same(ours, theirs):
                return ours, i + 1
            if has_base and _same(ours, base):
                return theirs, i + 1
            if has_base and _same(theirs, base):
                return ours, i + 1
            return None, i + 1
        elif kind is not None:
            return None
        else:
            parts[section].append(lines[i])
    return None


def _same(a: list[str], b: list[str]) -> bool:
    return [body(x) for x in a] == [body(x) for x in b]


def _string_lines(text: str) -> set[int]:
    """Lines that start inside a multi-line string (a marker there is text, not a leftover)."""
    toks, _ = tokens(text)
    inside: set[int] = set()
    for token in toks:
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            inside.update(range(token.start[0] + 1, token.end[0] + 1))
    return inside
