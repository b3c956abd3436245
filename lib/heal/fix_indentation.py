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

from hookwright.heal.fix_base import (
    FixContext,
    compile_error,
    compiles_past,
    indent_of,
    is_code,
    lines_of,
    statement_starts,
    tokens,
)
from hookwright.heal.fix_tabs import tab_run_repair
from hookwright.heal.indent_astray import definition_astray, under_its_own_comment
from hookwright.heal.indent_clause import CLAUSES, clause_too_shallow, left_before_clause
from hookwright.heal.indent_decorator import decorators_to_their_definition
from hookwright.heal.indent_expected import first_word, fits_after, runs_at, sibling_definition
from hookwright.heal.indent_handler import handler_back_to_its_try
from hookwright.heal.indent_lines import (
    body_end,
    header_steps,
    logical_extent,
    next_code_indent,
    opens_block,
    reindent,
    siblings_end,
    width,
)
from hookwright.heal.indent_odd_first import first_statement_to_its_block, odd_first_statement
from hookwright.heal.indent_ranking import fewest_undefined
from hookwright.heal.indent_return import outside_function, return_to_its_function
from hookwright.heal.indent_run import run_left_behind

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
    """The file's indentation step: a tab when most indented lines start with one, else the commonest
    number of spaces a block adds (one mistyped line does not change what the file is written in)."""
    lines = [x for x in lines_of(text) if is_code(x)]
    tabbed = sum(x.startswith("\t") for x in lines)
    spaced = sum(x.startswith(" ") for x in lines)
    if tabbed > spaced:
        return "\t"
    toks, complete = tokens(text)
    steps: Counter[str] = Counter()
    stack = [""]
    for token in toks:
        if token.type == tokenize.INDENT:
            step = token.string[len(stack[-1]) :] if token.string.startswith(stack[-1]) else ""
            if step and step.strip(" ") == "":
                steps[step] += 1
            stack.append(token.string)
        elif token.type == tokenize.DEDENT and len(stack) > 1:
            stack.pop()
    if not complete:  # the tokens stop at the broken line: the headers after it count too
        steps.update(header_steps(lines_of(text), toks[-1].end[0] if toks else 0))
    if not steps:
        return _DEFAULT_UNIT
    return max(steps, key=lambda s: (steps[s], -len(s)))


def _error(text: str, ctx: FixContext, kind: type[SyntaxError], words: str) -> SyntaxError | None:
    """The compile error of ``text`` if it is the one the rule was chosen for."""
    error = compile_error(text, ctx.path)
    if error is None or type(error) is not kind or words not in (error.msg or ""):
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    return error


def _choose(
    fits: list[str], state: BlockState, lines: list[str], number: int, last: int, unit: str, same: bool = True
) -> str | None:
    """The one level among ``fits`` that the lines around the broken one agree on."""
    following = next_code_indent(lines, last)
    if following is not None and opens_block(lines, number, last):
        # A header (else:, except:, def ...): its body says where it stands.
        headers = [s for s in fits if s + unit == following]
        if len(headers) == 1:
            return headers[0]
    elif following is not None and following in fits:
        return following  # the next statement stands where this one does (the usual case)
    if same and len(fits) > 1 and state.stack[-1] in fits:
        return state.stack[-1]  # a statement after a statement: the same level, more often than not
    return fits[0] if len(fits) == 1 else None


def _statement_starts(text: str, before: int) -> list[int]:
    """First lines of the logical lines before line ``before`` (as far as the text tokenizes)."""
    return statement_starts("".join(lines_of(text)[: before - 1]))


def _odd_line(text: str, lines: list[str], number: int, unit: str) -> int | None:
    """The line whose indentation mixes in the other character: the error line or the nearest one before.

    CPython often reports a tab a few lines late: at the next line whose indentation it cannot compare.
    """
    other = " " if unit == "\t" else "\t"
    if other in indent_of(lines[number - 1]):
        return number
    for start in reversed(_statement_starts(text, number)[-50:]):
        if other in indent_of(lines[start - 1]):
            return start
    return None


def fix_mixed_indentation(text: str, ctx: FixContext) -> str | None:
    """Tabs in a space-indented file (or spaces in a tab-indented one): its style, at the level that fits."""
    error = compile_error(text, ctx.path)
    if not isinstance(error, IndentationError) or error.lineno is None:
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    fixed = _mixed_indentation(text, error.lineno)
    if type(error) is TabError and (fixed is None or not compiles_past(fixed, error.lineno)):
        # `\t\treturn x` after lines that left the tab-indented method for column 0: CPython calls
        # the first line back in the file's own style "inconsistent"; the lines before it moved.
        lines = lines_of(text)
        return run_left_behind(text, lines, min(error.lineno, len(lines)), None) or fixed
    return fixed


def _mixed_indentation(text: str, error_line: int) -> str | None:
    lines = lines_of(text)
    unit = indent_unit(text)
    number = _odd_line(text, lines, min(error_line, len(lines)), unit)
    if number is None:
        return None
    fixed, run_end = tab_run_repair(text, number, unit)
    if fixed is not None:
        return fixed
    state = block_state(lines, number)
    if state is None:
        return None
    current = indent_of(lines[number - 1])
    legal = [state.stack[-1] + unit] if state.opens_block else list(state.stack)
    tabsizes = sorted({len(unit) if unit != "\t" else 4, 8})
    fits = [
        level
        for level in legal
        if any(width(level, size) == width(current, size) for size in tabsizes)
        and ("\t" in level) == (unit == "\t")
    ]
    last = logical_extent(lines, number)
    if not fits and unit != "\t" and not current.strip("\t"):
        # Tabs standing for a whole indentation (`\t` for 12 spaces): no width fits; only a level the
        # blocks leave no choice about will do (a header's body, the level both neighbours share).
        following = next_code_indent(lines, last)
        fits = legal if state.opens_block else [level for level in legal[-1:] if level == following]
    target = _choose(fits, state, lines, number, last, unit)
    if target is None:
        return None
    # The level the neighbours agree on, unless another that fits leaves fewer names undefined: the
    # last statement of a function, before a dedent, is not at the next statement's level.
    order = list(dict.fromkeys([target, *fits]))
    candidates = [reindent(lines, number, max(last, run_end), current, level, last) for level in order]
    return fewest_undefined([c for c in candidates if c is not None], number, None if unit == "\t" else 8)


def _clause_target(text: str, lines: list[str], number: int) -> str | None:
    """An else/elif/except/finally indented too deep: the level of the statement it continues."""
    word = first_word(lines[number - 1])
    if word not in CLAUSES:
        return None
    columns = width(indent_of(lines[number - 1]), 8)
    for start in reversed(_statement_starts(text, number)):
        indent = indent_of(lines[start - 1])
        if width(indent, 8) < columns:
            return indent if first_word(lines[start - 1]) in CLAUSES[word] else None
    return None


def fix_unexpected_indent(text: str, ctx: FixContext) -> str | None:
    """A line (or an else/except clause) indented too deep: back to its level, with the block it opens."""
    error = compile_error(text, ctx.path)
    if error is None or error.lineno is None or (ctx.line is not None and error.lineno != ctx.line):
        return None
    lines = lines_of(text)
    number = error.lineno
    if number > len(lines):
        return None
    current = indent_of(lines[number - 1])
    if type(error) is IndentationError and "unexpected indent" in error.msg:
        state = block_state(lines, number)
        if state is None or state.opens_block:
            return None
        target: str | None = state.stack[-1]
    elif type(error) is SyntaxError and error.msg == "invalid syntax":
        target = _clause_target(text, lines, number)
        if target is None:
            return left_before_clause(text, number) or clause_too_shallow(text, number, indent_unit(text))
    elif type(error) is SyntaxError and error.msg == "expected 'except' or 'finally' block":
        return handler_back_to_its_try(text, lines, number)
    elif type(error) is IndentationError and error.msg == "unexpected unindent":
        return decorators_to_their_definition(lines, number)
    elif type(error) is SyntaxError and outside_function(error.msg):
        return return_to_its_function(text, lines, number)
    else:
        return None
    if target is None or not current.startswith(target) or current == target:
        return None
    extent = logical_extent(lines, number)
    last = body_end(lines, extent, current, 8) if opens_block(lines, number, extent) else extent
    dedented = reindent(lines, number, last, current, target, extent)
    if type(error) is IndentationError:
        return _line_left_behind(
            text, lines, number, last, current, _with_siblings(lines, number, last, dedented)
        )
    return dedented


def _with_siblings(lines: list[str], number: int, last: int, dedented: str | None) -> str | None:
    """The statements after the one too deep that stand at its level move with it, keeping siblings.

    Moved one by one, a run of statements one step too deep is read wrong as soon as one of them opens
    a block: once it is back, its body stands where the next sibling does, which then compiles as that
    body's last line (history8, dipy: two ``print`` calls after a ``for`` pulled into its loop).
    """
    current = indent_of(lines[number - 1])
    run = siblings_end(lines, last, current)
    if dedented is None or run == last:
        return dedented
    target = indent_of(lines_of(dedented)[number - 1])
    whole = reindent(lines, number, run, current, target, logical_extent(lines, number))
    return whole if whole is not None and compiles_past(whole, run) else dedented


def _line_left_behind(
    text: str, lines: list[str], number: int, last: int, current: str, dedented: str | None
) -> str | None:
    """ "Unexpected indent" at ``number`` when it is the statement before that left its block.

    A statement moved out to its parent's level, with the rest of its block after it, makes CPython
    complain about the *next* line. Dedenting that line would start a cascade down the block (and
    leave names undefined), so when the statement before it sits between two lines of this line's
    block (the one before it at least as deep), it is put back instead. The same text can come from
    a line indented one step too deep after a block ended; on the tuning corpus the statement that
    left its block is three times as common, and putting it back never cascades.
    """
    starts = _statement_starts(text, number)
    if len(starts) < 2:
        return dedented
    moved, before = starts[-1], starts[-2]
    moved_end = logical_extent(lines, moved)
    if (
        opens_block(lines, moved, moved_end)
        or under_its_own_comment(lines, moved)
        or definition_astray(lines, moved, number)
    ):
        return dedented  # (a def too deep under its decorator is the line astray: indent_astray)
    left = width(indent_of(lines[before - 1]), 8) >= width(current, 8)
    if not left and not odd_first_statement(lines, before, moved, current, indent_unit(text)):
        # the statement before it did not leave this line's block alone: a run of them may have
        return run_left_behind(text, lines, number, dedented) or dedented
    back = reindent(lines, moved, moved_end, indent_of(lines[moved - 1]), current, moved_end)
    return back if back is not None and compiles_past(back, last) else dedented


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
    extent = logical_extent(lines, number)
    first_back = first_statement_to_its_block(lines, number, unit)
    if first_back is not None:
        return first_back
    columns = width(current, 8)
    chosen = _choose(list(state.stack), state, lines, number, extent, unit, same=False)
    # The level the neighbours agree on, then the open levels nearest first; of those that compile,
    # the one leaving fewest names undefined (a statement moved out of its function loses its locals).
    by_distance = sorted(state.stack, key=lambda s: (abs(width(s, 8) - columns), -len(s)))
    order = list(dict.fromkeys([*([chosen] if chosen is not None else []), *by_distance]))
    candidates = [reindent(lines, number, extent, current, level, extent) for level in order]
    return fewest_undefined([c for c in candidates if c is not None], number)


def fix_expected_block(text: str, ctx: FixContext) -> str | None:
    """Expected an indented block: the line one step deeper than its header, or the header one step out.

    The second reading is for a header that was indented too deep next to a deeper block (so it was
    legal) over a body that stayed where it was: the body's level says where the header belongs.
    """
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
    if width(current, 8) > width(state.stack[-1], 8):
        return None
    unit = indent_unit(text)
    extent = logical_extent(lines, number)
    deeper = state.stack[-1] + unit
    candidates, runs = [], []
    if fits_after(lines, number, extent, deeper):
        candidates.append(reindent(lines, number, extent, current, deeper, extent))
        # More of the lines at the header's level may be its body: each longer run is a candidate
        # after the two readings below, taken only when they leave code after a break or return.
        runs = [
            reindent(lines, number, end, current, deeper, extent)
            for end in runs_at(lines, extent, current)[:5]
        ]
    header = _statement_starts(text, number)[-1:]
    outer = [level for level in state.stack[:-1] if level + unit == current]
    if header and len(outer) == 1 and fits_after(lines, number, extent, current):
        header_end = logical_extent(lines, header[0])
        header_indent = indent_of(lines[header[0] - 1])
        candidates.append(reindent(lines, header[0], header_end, header_indent, outer[0], header_end))
        if len(candidates) == 2 and sibling_definition(text, lines, header[0], outer[0]):
            candidates.reverse()  # a def or class belongs beside the definitions before it
    candidates += runs
    return fewest_undefined([c for c in candidates if c is not None], number)
