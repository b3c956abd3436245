"""Line-level helpers the indentation fixers share: widths, logical lines, blocks, moving lines.

Kept apart from the fixers so that the modules that choose a repair (``indent_*``) can use them
without importing ``fix_indentation``, which imports them.
"""

from __future__ import annotations

import itertools
import tokenize

from hookwright.heal.fix_base import body, end_of_code, indent_of, is_code, tokens


def width(indent: str, tabsize: int) -> int:
    return len(indent.expandtabs(tabsize))


def logical_extent(lines: list[str], line: int) -> int:
    """The last physical line of the logical line starting at ``line`` (brackets, backslashes)."""
    toks, _ = tokens("".join(lines[line - 1 :]))
    for token in toks:
        if token.type == tokenize.NEWLINE:
            return line + token.start[0] - 1
    return line


def inside_strings(lines: list[str], first: int, last: int) -> set[int]:
    """Lines first..last that continue a string literal begun on an earlier line: their leading
    whitespace is the string's content, not indentation."""
    toks, _ = tokens("".join(lines[first - 1 : last]))
    inner: set[int] = set()
    for token in toks:
        if token.type == tokenize.STRING and token.end[0] > token.start[0]:
            inner.update(range(first + token.start[0], first + token.end[0]))
    return inner


def reindent(
    lines: list[str], first: int, last: int, old: str, new: str, extent: int | None = None
) -> str | None:
    """Replace the leading ``old`` of lines first..last with ``new``; None if a statement does not start so.

    Lines first+1..extent continue the first line's statement (inside brackets): they move with it
    when all of them can, and otherwise stay where they are (their indentation does not matter).
    The lines inside a string literal that line opens stay as they are when their margin already
    is the new level: their whitespace is part of the string (a docstring whose first line slipped
    keeps its text); a string whose lines stood with its first line moves with it.
    """
    extent = first if extent is None else extent
    out = list(lines)
    strings = inside_strings(lines, first, extent) if extent > first else set()
    if _margin(lines, strings) != width(new, 8):
        strings = set()  # the string's lines were written with the statement: they move with it
    following = range(first + 1, min(extent, last) + 1)
    continuation = [n for n in following if is_code(out[n - 1]) and n not in strings]
    move_continuation = all(out[n - 1].startswith(old) for n in continuation)
    for number in range(first, last + 1):
        text = out[number - 1]
        if first < number <= extent and (not move_continuation or number in strings):
            continue
        if not body(text) or (not is_code(text) and not text.startswith(old)):
            continue  # a blank or comment line inside the range keeps its own whitespace (an empty one, none)
        if not text.startswith(old):
            return None
        out[number - 1] = new + text[len(old) :]
    return "".join(out)


def _margin(lines: list[str], numbers: set[int]) -> int | None:
    """The least indentation of the non-blank lines ``numbers`` (None when there are none)."""
    widths = [width(indent_of(lines[n - 1]), 8) for n in numbers if lines[n - 1].strip()]
    return min(widths) if widths else None


def body_end(lines: list[str], header_end: int, header_indent: str, tabsize: int) -> int:
    """The last line of the block a header opens: the run of lines indented deeper than it."""
    last = header_end
    for number in range(header_end + 1, len(lines) + 1):
        text = lines[number - 1]
        if not is_code(text):
            continue
        if width(indent_of(text), tabsize) <= width(header_indent, tabsize):
            break
        last = number
    return last


def siblings_end(lines: list[str], after: int, indent: str) -> int:
    """The last line of the run of code lines after line ``after`` that stand at ``indent`` or deeper
    (at its level: the statements that follow it in its block, with their bodies)."""
    last = after
    for number in range(after + 1, len(lines) + 1):
        text = lines[number - 1]
        if not is_code(text):
            continue
        if width(indent_of(text), 8) < width(indent, 8) or not text.startswith(indent):
            break
        last = number
    return last


def opens_block(lines: list[str], first: int, last: int) -> bool:
    text = body(lines[last - 1])
    return text[: end_of_code(text)].endswith(":") and any(is_code(x) for x in lines[first - 1 : last])


def next_code_indent(lines: list[str], after: int) -> str | None:
    for number in range(after + 1, len(lines) + 1):
        if is_code(lines[number - 1]):
            return indent_of(lines[number - 1])
    return None


def header_steps(lines: list[str], after: int) -> list[str]:
    """The spaces each header after line ``after`` adds for the line under it (read from the lines
    alone, where the tokenizer stopped at a broken line)."""
    found = []
    code = [line for line in lines[after:] if is_code(line)]
    for header, under in itertools.pairwise(code):
        text = body(header)
        if not text[: end_of_code(text)].endswith(":"):
            continue
        outer, inner = indent_of(header), indent_of(under)
        if inner.startswith(outer) and len(inner) > len(outer) and not inner[len(outer) :].strip(" "):
            found.append(inner[len(outer) :])
    return found
