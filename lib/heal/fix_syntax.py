"""Syntax fixers: missing colon, unclosed bracket, missing comma, unterminated string, conflict markers.

Each starts from CPython's own compile error for the text (the one the rule was chosen for), finds
the place on the tokens, makes one small edit there, and declines when the place is not certain.
"""

from __future__ import annotations

import io
import itertools
import re
import tokenize

from hookwright.heal.fix_base import (
    CLOSERS,
    COMPOUND_KEYWORDS,
    OPENERS,
    SIGNIFICANT_SKIP,
    Edit,
    FixContext,
    apply_edits,
    body,
    comment_start,
    compile_error,
    compiles_past,
    end_of_code,
    indent_of,
    is_code,
    line_starts,
    lines_of,
    tokens,
    undefined_names,
)

_SOFT_HEADERS = frozenset({"match", "case"})
# Tokens that cannot end or start an item in a list of items: they continue an expression.
_CONTINUING = frozenset(
    {"and", "or", "not", "in", "is", "if", "else", "for", "async", "lambda", "from", "as", "yield", "await"}
)


def _error(text: str, ctx: FixContext, *messages: str) -> SyntaxError | None:
    """The compile error of ``text`` when its message starts with one of ``messages``."""
    error = compile_error(text, ctx.path)
    if error is None or error.lineno is None or not (error.msg or "").startswith(messages):
        return None
    if type(error) is not SyntaxError:
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    return error


def _logical_lines(toks: list[tokenize.TokenInfo]) -> list[list[tokenize.TokenInfo]]:
    """Significant tokens grouped by logical line (what NEWLINE ends)."""
    groups: list[list[tokenize.TokenInfo]] = [[]]
    for token in toks:
        if token.type == tokenize.NEWLINE:
            groups.append([])
        elif token.type not in SIGNIFICANT_SKIP and token.type != tokenize.ENDMARKER:
            groups[-1].append(token)
    return [g for g in groups if g]


def _offset(starts: list[int], position: tuple[int, int]) -> int:
    return starts[position[0] - 1] + position[1]


# -- missing colon -----------------------------------------------------------------------------------


def _is_header(group: list[tokenize.TokenInfo]) -> bool:
    first = group[0]
    if first.type != tokenize.NAME or first.string not in COMPOUND_KEYWORDS:
        return False
    if first.string in _SOFT_HEADERS:
        # `match x` / `case y` are statements only as headers; `match = 1` is an assignment.
        return len(group) > 1 and not (group[1].type == tokenize.OP and group[1].string in "=.([,:")
    return True


def add_missing_colon(text: str, ctx: FixContext) -> str | None:
    """``if x`` -> ``if x:`` on the compound-statement header the error points into."""
    error = _error(text, ctx, "expected ':'", "invalid syntax")
    if error is None:
        return None
    toks, _ = tokens(text)
    for group in _logical_lines(toks):
        if not group[0].start[0] <= error.lineno <= group[-1].end[0]:  # type: ignore[operator]
            continue
        last = group[-1]
        if not _is_header(group) or (last.type == tokenize.OP and last.string == ":"):
            return None
        colon = any(t.type == tokenize.OP and t.string == ":" for t in group)
        if colon and not _colon_only_inside_brackets(group):
            return None  # a colon at the top level already (a lambda): the header is broken elsewhere
        at = _offset(line_starts(lines_of(text)), last.end)
        fixed = apply_edits(text, [Edit(at, at, ":")])
        return fixed if compiles_past(fixed, error.lineno) else None  # type: ignore[arg-type]
    return None


def _colon_only_inside_brackets(group: list[tokenize.TokenInfo]) -> bool:
    depth = 0
    for token in group:
        if token.type == tokenize.OP and token.string in OPENERS:
            depth += 1
        elif token.type == tokenize.OP and token.string in CLOSERS:
            depth -= 1
        elif token.type == tokenize.OP and token.string == ":" and depth == 0:
            if token is not group[-1]:
                return False
        elif token.type == tokenize.NAME and token.string == "lambda" and depth == 0:
            return False
    return True


# -- unclosed bracket --------------------------------------------------------------------------------

_NEVER_CLOSED = re.compile(r"^'(?P<char>[(\[{])' was never closed")


def close_bracket(text: str, ctx: FixContext) -> str | None:
    """Close a bracket that was never closed at the end of the last line of its statement."""
    error = _error(text, ctx, "'(' was never closed", "'[' was never closed", "'{' was never closed")
    if error is None or error.offset is None:
        return None
    match = _NEVER_CLOSED.match(error.msg)
    assert match is not None
    opener = match["char"]
    lines = lines_of(text)
    number = error.lineno
    assert number is not None
    toks, _ = tokens(text)
    start = _statement_start(toks, (number, error.offset - 1))
    if start is None:
        return None
    base = indent_of(lines[start - 1]).expandtabs(8)
    # A string's later lines are text, whatever their indentation; where it ends, code resumes.
    inside = {row for t in toks if t.type == tokenize.STRING for row in range(t.start[0] + 1, t.end[0] + 1)}
    last = number
    for candidate in range(number + 1, len(lines) + 1):
        line = lines[candidate - 1]
        if candidate in inside:
            last = candidate
            continue
        if not is_code(line):
            continue
        stripped = line.lstrip()
        if len(indent_of(line).expandtabs(8)) <= len(base) and stripped[0] not in CLOSERS:
            break
        last = candidate
    fixed = _closed_at(text, lines, toks, start, last, opener)
    if fixed is not None and compiles_past(fixed, last):
        return fixed
    return _closed_where_one_line_compiles(text, lines, toks, start, number, opener)


def _closed_at(
    text: str, lines: list[str], toks: list[tokenize.TokenInfo], start: int, last: int, opener: str
) -> str | None:
    """``text`` with the closer at the end of line ``last``'s code (before a header's colon)."""
    string_ends = {t.end[0]: t.end[1] for t in toks if t.type == tokenize.STRING and t.end[0] > t.start[0]}
    line = body(lines[last - 1])
    if line.endswith("\\"):
        return None
    string_end = string_ends.get(last, 0)
    cut = string_end + end_of_code(line[string_end:])
    code = line[:cut]
    header_line = lines[start - 1].lstrip()
    if code.endswith(":") and header_line.split(" ", 1)[0].rstrip(":") in COMPOUND_KEYWORDS:
        cut = len(code[:-1].rstrip())  # `if a and (b or c:` closes before the header's colon
    at = line_starts(lines)[last - 1] + cut
    return apply_edits(text, [Edit(at, at, OPENERS[opener])])


MAX_CLOSING_LINES = 30  # each line tried costs a compile of the whole file


def _closed_where_one_line_compiles(
    text: str, lines: list[str], toks: list[tokenize.TokenInfo], start: int, number: int, opener: str
) -> str | None:
    """The closer at the end of the one line, of those up to the end of the statement's block, after
    which the file compiles past that block; None when no line or more than one does.

    The statement's lines need not stand deeper than its first line: continuation lines written at
    its own level (``print("%d" % (`` / ``    a, b,`` / ``    c)``, history10 impacket), a header
    whose condition goes on over lines (``if (a and`` / ``    b and`` / ``    c:``, history11 Bcfg2).
    Every line between ends where the grammar cannot stop (``and``, ``,``, a backslash), so where
    the closer goes is the one line after which the rest of the block still reads as code.
    """
    base = len(indent_of(lines[start - 1]).expandtabs(8))
    limit = number
    for candidate in range(number + 1, min(len(lines), number + MAX_CLOSING_LINES) + 1):
        line = lines[candidate - 1]
        if is_code(line) and len(indent_of(line).expandtabs(8)) < base:
            break
        limit = candidate
    string_ends = {t.end[0] for t in toks if t.type == tokenize.STRING and t.end[0] > t.start[0]}
    inside = {row for t in toks if t.type == tokenize.STRING for row in range(t.start[0] + 1, t.end[0])}
    repaired = set()
    for last in range(number, limit + 1):
        if not is_code(lines[last - 1]) or (last in inside and last not in string_ends):
            continue
        fixed = _closed_at(text, lines, toks, start, last, opener)
        if fixed is None:
            continue
        error = compile_error(fixed)
        if error is None or (error.lineno or 0) > limit:
            repaired.add(fixed)
    return repaired.pop() if len(repaired) == 1 else None


def _statement_start(toks: list[tokenize.TokenInfo], where: tuple[int, int]) -> int | None:
    """The first line of the logical line holding the token at ``where``."""
    first = None
    for token in toks:
        if first is None and token.type not in SIGNIFICANT_SKIP:
            first = token.start[0]
        if token.start == where:
            return first
        if token.type == tokenize.NEWLINE:
            first = None
    return None


# -- missing comma -----------------------------------------------------------------------------------


def ends_item(token: tokenize.TokenInfo) -> bool:
    if token.type in (tokenize.NUMBER, tokenize.STRING):
        return True
    if token.type == tokenize.NAME:
        return token.string not in _CONTINUING
    return token.type == tokenize.OP and token.string in (*CLOSERS, "...")


def starts_item(token: tokenize.TokenInfo) -> bool:
    if token.type in (tokenize.NUMBER, tokenize.STRING):
        return True
    if token.type == tokenize.NAME:
        return token.string not in _CONTINUING or token.string in ("lambda", "await", "not")
    return token.type == tokenize.OP and token.string in (*OPENERS, "*", "**", "...", "-", "~")


def insert_comma(text: str, ctx: FixContext) -> str | None:
    """Two items on separate lines inside brackets with no comma between: add it after the first.

    CPython says "Perhaps you forgot a comma?" for most of them, but "invalid syntax" for dict items
    and "expected ':'" in some subscripts: then the line breaks next to the reported line are tried.
    """
    error = compile_error(text, ctx.path)
    if type(error) is not SyntaxError or error.lineno is None:
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    first, end = error.lineno, error.end_lineno or error.lineno
    if not (error.msg or "").startswith("invalid syntax. Perhaps you forgot a comma?"):
        first, end = first - 2, end + 2
    toks, _ = tokens(text)
    significant = [t for t in toks if t.type not in SIGNIFICANT_SKIP and t.type != tokenize.ENDMARKER]
    depth = 0
    candidates: list[tokenize.TokenInfo] = []
    following_of: list[tokenize.TokenInfo] = []
    for token, following in itertools.pairwise(significant):
        if token.type == tokenize.OP and token.string in OPENERS:
            depth += 1
        elif token.type == tokenize.OP and token.string in CLOSERS:
            depth -= 1
        if not first <= token.end[0] < following.start[0] <= end or depth < 1:
            continue
        if ends_item(token) and starts_item(following):
            candidates.append(token)
            following_of.append(following)
    starts = line_starts(lines_of(text))
    scored = []
    for index, token in enumerate(candidates):
        at = _offset(starts, token.end)
        fixed = apply_edits(text, [Edit(at, at, ",")])
        after = compile_error(fixed, ctx.path)
        if after is not None and (after.lineno or 0) <= max(token.end[0] + 1, error.lineno):
            continue
        names = undefined_names(fixed) if after is None else None
        distance = abs(token.end[0] - error.lineno)
        # Strings on consecutive lines usually concatenate on purpose: a comma there comes last.
        strings = token.type == tokenize.STRING and following_of[index].type == tokenize.STRING
        undefined = len(names) if names is not None else _UNKNOWN
        scored.append((after is not None, undefined, strings, distance, index, fixed))
    return min(scored)[-1] if scored else None


# -- unterminated string -----------------------------------------------------------------------------

_PREFIX = re.compile(r"[rRbBuUfF]{0,2}")


def _line_tokens(line: str) -> list[tokenize.TokenInfo] | None:
    """The tokens of one line on its own, or None when it does not tokenize cleanly."""
    found: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line.strip() + "\n").readline):
            found.append(token)
    except tokenize.TokenError as exc:
        if "multi-line statement" not in str(exc):
            return None  # an unterminated string; a bracket left open is fine, the next line closes it
    except SyntaxError:
        return None
    return None if any(t.type == tokenize.ERRORTOKEN for t in found) else found


def _shape(found: list[tokenize.TokenInfo]) -> tuple[int, int]:
    """(adjacent string literals, names left as code): what a good place for the quote keeps low, high."""
    code = [t for t in found if t.type not in SIGNIFICANT_SKIP and t.type != tokenize.ENDMARKER]
    adjacent = sum(a.type == b.type == tokenize.STRING for a, b in itertools.pairwise(code))
    return adjacent, sum(t.type == tokenize.NAME for t in code)


def close_string(text: str, ctx: FixContext) -> str | None:
    """Put back the quote a one-line string lost, where the line and the file parse again.

    Dropping a closing quote re-pairs every later quote on the line, and CPython reports the last
    one; so every place on the line is a candidate. Of those where the file compiles (or its first
    error moves past this line), the one leaving fewest names undefined, then fewest adjacent string
    literals (``'a,' 'b'`` is rarely meant), then most names left as code, then the earliest.
    """
    error = _error(text, ctx, "unterminated string literal")
    if error is None or error.offset is None:
        return None
    lines = lines_of(text)
    number = error.lineno
    assert number is not None
    line = body(lines[number - 1])
    at = error.offset - 1
    at += len(_PREFIX.match(line, at).group())  # type: ignore[union-attr]
    if at >= len(line) or line[at] not in "'\"" or line.startswith(line[at] * 3, at):
        return None
    quote = line[at]
    start = line_starts(lines)[number - 1]
    scored = []
    for k in range(len(line) + 1):
        found = _line_tokens(line[:k] + quote + line[k:])
        if found is None:
            continue
        fixed = apply_edits(text, [Edit(start + k, start + k, quote)])
        after = compile_error(fixed, ctx.path)
        if after is not None and ((after.lineno or 0) <= number or not _statement_parses(fixed, number)):
            continue
        names = undefined_names(fixed) if after is None else None
        undefined = len(names) if names is not None else _UNKNOWN
        adjacent, code_names = _shape(found)
        scored.append((after is not None, undefined, adjacent, -code_names, k, fixed))
    return min(scored)[-1] if scored else None


_UNKNOWN = 1 << 20


def _statement_parses(text: str, line: int) -> bool:
    """The statement holding ``line`` parses on its own (a later error is then not this line's)."""
    toks, _ = tokens(text)
    first = None
    for token in toks:
        if first is None and token.type not in SIGNIFICANT_SKIP:
            first = token.start[0]
        if token.type == tokenize.NEWLINE:
            if first is not None and first <= line <= token.start[0]:
                source = "".join(lines_of(text)[first - 1 : token.start[0]])
                return _parses(source)
            first = None
    return False


def _parses(source: str) -> bool:
    import ast
    import textwrap

    source = textwrap.dedent(source)
    if source.rstrip().endswith(":"):
        source = source.rstrip() + " pass\n"
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


__all__ = [
    "add_missing_colon",
    "close_bracket",
    "close_string",
    "comment_start",
    "insert_comma",
]
