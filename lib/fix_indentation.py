"""Indentation fixers: mixed tabs and spaces, unexpected indent, a dedent to no outer level, a missing block.

Each reads the indentation levels that are open at the broken line from the tokens before it (the
same INDENT/DEDENT bookkeeping CPython does), picks the one level the context allows, and rewrites
only the leading whitespace of the broken logical line (and of the block it opens when that moved
with it). When more than one level fits, it declines.
"""

from __future__ import annotations

import tokenize
from collections import Counter
from dataclasses import dataclass

from hookwright.fix_base import (
    FixContext,
    body,
    compile_error,
    end_of_code,
    indent_of,
    is_code,
    lines_of,
    tokens,
)

_DEFAULT_UNIT = "    "


@dataclass(frozen=True)
class BlockState:
    """The indentation levels open before a line, and whether the line before opens a block."""

    stack: tuple[str, ...]  # outermost first; "" is the module level
    opens_block: bool


def block_state(lines: list[str], line: int) -> BlockState | None:
    """The state before physical line ``line`` (1-based); None inside a bracket or after a bad line."""
    prefix = "".join(lines[: line - 1])
    toks, complete = tokens(prefix)
    if not complete:
        return None
    stack = [""]
    opens = False
    last = None
    for token in toks:
        if token.start[0] >= line:
            break  # the DEDENTs tokenize adds at the end of the prefix are not real
        if token.type == tokenize.INDENT:
            stack.append(token.string)
        elif token.type == tokenize.DEDENT:
            stack.pop()
        elif token.type == tokenize.NEWLINE:
            opens = last is not None and last.type == tokenize.OP and last.string == ":"
        if token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.NEWLINE):
            last = token
    return BlockState(tuple(stack), opens)


def indent_unit(text: str) -> str:
    """The file's indentation step: a tab, or the commonest number of spaces a block adds."""
    toks, _ = tokens(text)
    steps: Counter[str] = Counter()
    stack = [""]
    for token in toks:
        if token.type == tokenize.INDENT:
            if token.string.startswith(stack[-1]):
                steps[token.string[len(stack[-1]) :]] += 1
            stack.append(token.string)
        elif token.type == tokenize.DEDENT and len(stack) > 1:
            stack.pop()
    if not steps:
        return _DEFAULT_UNIT
    tabs = sum(n for step, n in steps.items() if "\t" in step)
    spaces = sum(n for step, n in steps.items() if "\t" not in step)
    if tabs > spaces:
        return "\t"
    return max((s for s in steps if "\t" not in s), key=lambda s: (steps[s], -len(s)), default=_DEFAULT_UNIT)


def _width(indent: str, tabsize: int) -> int:
    return len(indent.expandtabs(tabsize))


def logical_extent(lines: list[str], line: int) -> int:
    """The last physical line of the logical line starting at ``line`` (brackets, backslashes)."""
    toks, _ = tokens("".join(lines[line - 1 :]))
    for token in toks:
        if token.type == tokenize.NEWLINE:
            return line + token.start[0] - 1
    return line


def _reindent(lines: list[str], first: int, last: int, old: str, new: str) -> str | None:
    """Replace the leading ``old`` of lines first..last with ``new``; None if a line does not start so."""
    out = list(lines)
    for number in range(first, last + 1):
        text = out[number - 1]
        if not is_code(text) and not text.startswith(old):
            continue  # a blank or comment line inside the range keeps its own whitespace
        if not text.startswith(old):
            return None
        out[number - 1] = new + text[len(old) :]
    return "".join(out)


def _body_end(lines: list[str], header_end: int, header_indent: str, tabsize: int) -> int:
    """The last line of the block a header opens: the run of lines indented deeper than it."""
    last = header_end
    for number in range(header_end + 1, len(lines) + 1):
        text = lines[number - 1]
        if not is_code(text):
            continue
        if _width(indent_of(text), tabsize) <= _width(header_indent, tabsize):
            break
        last = number
    return last


def _opens_block(lines: list[str], first: int, last: int) -> bool:
    text = body(lines[last - 1])
    return text[: end_of_code(text)].endswith(":") and any(is_code(x) for x in lines[first - 1 : last])


def _error(text: str, ctx: FixContext, kind: type[SyntaxError], words: str) -> SyntaxError | None:
    """The compile error of ``text`` if it is the one the rule was chosen for."""
    error = compile_error(text, ctx.path)
    if error is None or type(error) is not kind or words not in (error.msg or ""):
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    return error


def _next_code_indent(lines: list[str], after: int) -> str | None:
    for number in range(after + 1, len(lines) + 1):
        if is_code(lines[number - 1]):
            return indent_of(lines[number - 1])
    return None


def _choose(
    fits: list[str], state: BlockState, lines: list[str], number: int, last: int, unit: str
) -> str | None:
    """The one level among ``fits`` that the lines around the broken one agree on."""
    following = _next_code_indent(lines, last)
    if following is not None and _opens_block(lines, number, last):
        # A header (else:, except:, def ...): its body says where it stands.
        headers = [s for s in fits if s + unit == following]
        if len(headers) == 1:
            return headers[0]
    elif following is not None and following == state.stack[-1] and following in fits:
        return following  # in the middle of a block: the lines before and after agree
    return fits[0] if len(fits) == 1 else None


def fix_mixed_indentation(text: str, ctx: FixContext) -> str | None:
    """TabError: re-express the line's tabs in the file's own style, at the one level that fits."""
    error = _error(text, ctx, TabError, "inconsistent use of tabs")
    if error is None or error.lineno is None:
        return None
    lines = lines_of(text)
    number = error.lineno
    state = block_state(lines, number)
    if state is None:
        return None
    unit = indent_unit(text)
    current = indent_of(lines[number - 1])
    legal = [state.stack[-1] + unit] if state.opens_block else list(state.stack)
    tabsizes = sorted({len(unit) if unit != "\t" else 4, 8})
    fits = [
        level
        for level in legal
        if any(_width(level, size) == _width(current, size) for size in tabsizes)
        and ("\t" in level) == (unit == "\t")
    ]
    last = logical_extent(lines, number)
    target = _choose(fits, state, lines, number, last, unit)
    return None if target is None else _reindent(lines, number, last, current, target)


def fix_unexpected_indent(text: str, ctx: FixContext) -> str | None:
    """Unexpected indent: back to the level of the statement before, with the block it opens."""
    error = _error(text, ctx, IndentationError, "unexpected indent")
    if error is None or error.lineno is None:
        return None
    lines = lines_of(text)
    number = error.lineno
    state = block_state(lines, number)
    if state is None or state.opens_block:
        return None
    current, target = indent_of(lines[number - 1]), state.stack[-1]
    if not current.startswith(target) or current == target:
        return None
    last = logical_extent(lines, number)
    if _opens_block(lines, number, last):
        last = _body_end(lines, last, current, 8)
    return _reindent(lines, number, last, current, target)


def fix_unindent(text: str, ctx: FixContext) -> str | None:
    """A dedent that matches no outer level: to the open level the lines around it agree on."""
    error = _error(text, ctx, IndentationError, "unindent does not match")
    if error is None or error.lineno is None:
        return None
    lines = lines_of(text)
    number = error.lineno
    state = block_state(lines, number)
    if state is None or state.opens_block:
        return None
    current = indent_of(lines[number - 1])
    unit = indent_unit(text)
    last = logical_extent(lines, number)
    width = _width(current, 8)
    target = _choose(list(state.stack), state, lines, number, last, unit)
    if target is None:
        by_distance = sorted(state.stack, key=lambda s: abs(_width(s, 8) - width))
        best = abs(_width(by_distance[0], 8) - width)
        nearest = [s for s in by_distance if abs(_width(s, 8) - width) == best]
        if len(nearest) != 1:
            return None
        target = nearest[0]
    return _reindent(lines, number, last, current, target)


def fix_expected_block(text: str, ctx: FixContext) -> str | None:
    """Expected an indented block: indent the line after the header one step deeper than the header."""
    error = _error(text, ctx, IndentationError, "expected an indented block")
    if error is None or error.lineno is None:
        return None
    lines = lines_of(text)
    number = error.lineno
    if number > len(lines) or not is_code(lines[number - 1]):
        return None
    state = block_state(lines, number)
    if state is None or not state.opens_block:
        return None
    current = indent_of(lines[number - 1])
    target = state.stack[-1] + indent_unit(text)
    if _width(current, 8) > _width(state.stack[-1], 8):
        return None
    return _reindent(lines, number, logical_extent(lines, number), current, target)
