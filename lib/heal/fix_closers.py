"""A bracket left open inside a statement: its closer put back where exactly one place compiles.

CPython reports such a bracket at the first token that cannot continue it, not at the bracket: a
closer of another kind (``s[len(x:]``: "closing parenthesis ']' does not match opening parenthesis
'('") or a compound header's colon (``def f(a, b=1:``: "invalid syntax"). The missing closer belongs
somewhere between the opener and that token. Every place between two tokens there is tried; the
repair is made when exactly one of them compiles, so ``f(a, g(b, c:`` (two readings) is left alone,
or when exactly one of them does not part a name from the trailer typed right after it.
A mismatched closer is the one piece of evidence that decides between readings: whoever typed ``]``
in ``join(base, 'db.mtn'],`` believed the ``(`` closed by then, so the latest place before it that
compiles (after an item) is taken.
"""

from __future__ import annotations

import tokenize

from hookwright.heal.fix_base import (
    CLOSERS,
    OPENERS,
    SIGNIFICANT_SKIP,
    Edit,
    FixContext,
    apply_edits,
    compile_error,
    line_starts,
    lines_of,
    tokens,
)

MAX_PLACES = 24  # each place costs a compile of the whole file; a bracket open longer is not one slip
_MISMATCH = "does not match opening parenthesis"


def _open_at(
    toks: list[tokenize.TokenInfo], where: tuple[int, int]
) -> tuple[list[tokenize.TokenInfo], tokenize.TokenInfo] | None:
    """The statement's significant tokens from the innermost bracket still open at ``where`` up to the
    token there (excluded), and that token; None when no bracket is open there."""
    stack: list[int] = []
    statement: list[tokenize.TokenInfo] = []
    for token in toks:
        if token.type == tokenize.NEWLINE:
            stack, statement = [], []
            continue
        if token.type in SIGNIFICANT_SKIP or token.type == tokenize.ENDMARKER:
            continue
        if token.start == where:
            return (statement[stack[-1] :], token) if stack else None
        if token.type == tokenize.OP and token.string in OPENERS:
            stack.append(len(statement))
        elif token.type == tokenize.OP and token.string in CLOSERS and stack:
            stack.pop()
        statement.append(token)
    return None


def _splits_trailer(
    token: tokenize.TokenInfo, inside: list[tokenize.TokenInfo], stopper: tokenize.TokenInfo
) -> bool:
    """A closer right after ``token`` would part it from the ``.attr``, ``(args)`` or ``[key]`` after it."""
    following = [*inside, stopper]
    after = following[following.index(token) + 1]
    if after.type != tokenize.OP:
        return False
    return after.string == "." or (after.string in "([" and after.start == token.end)


def insert_closer(text: str, ctx: FixContext) -> str | None:
    error = compile_error(text, ctx.path)
    if type(error) is not SyntaxError or error.lineno is None or error.offset is None:
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    message = error.msg or ""
    if message != "invalid syntax" and _MISMATCH not in message:
        return None
    toks, _ = tokens(text)
    found = _open_at(toks, (error.lineno, error.offset - 1))
    if found is None:
        return None
    inside, stopper = found
    mismatch = _MISMATCH in message
    if len(inside) > MAX_PLACES:
        # A long bracket (a matrix of rows): the places nearest the typed closer, latest first.
        return _latest_place(text, ctx, inside, stopper, inside[-MAX_PLACES:]) if mismatch else None
    if not mismatch and stopper.string != ":":
        return None  # "invalid syntax" elsewhere is not this slip: other rules read it
    repaired = _places(text, ctx, inside, stopper, inside)
    if len(repaired) == 1:
        return next(iter(repaired))
    whole = {fixed for fixed, token in repaired.items() if not _splits_trailer(token, inside, stopper)}
    if len(whole) == 1:
        # `if isinstance(x, type(y.Z):` also compiles as `type(y).Z)` and `type)(y.Z)`: a closer that
        # makes the group the target of a trailer typed right after it re-reads the trailer, where
        # closing before the colon keeps every bracket as typed.
        return next(iter(whole))
    return _latest_place(text, ctx, inside, stopper, inside) if mismatch else None


def _places(
    text: str,
    ctx: FixContext,
    inside: list[tokenize.TokenInfo],
    stopper: tokenize.TokenInfo,
    after: list[tokenize.TokenInfo],
) -> dict[str, tokenize.TokenInfo]:
    """Each text with the closer after one token of ``after`` that compiles past ``stopper``."""
    closer = OPENERS[inside[0].string]
    starts = line_starts(lines_of(text))
    repaired: dict[str, tokenize.TokenInfo] = {}
    for token in after:
        at = starts[token.end[0] - 1] + token.end[1]
        fixed = apply_edits(text, [Edit(at, at, closer)])
        error = compile_error(fixed, ctx.path)
        if error is None or (error.lineno or 0) > stopper.end[0]:
            repaired.setdefault(fixed, token)
    return repaired


def _latest_place(
    text: str,
    ctx: FixContext,
    inside: list[tokenize.TokenInfo],
    stopper: tokenize.TokenInfo,
    tried: list[tokenize.TokenInfo],
) -> str | None:
    """The closer at the latest place of ``tried`` that compiles, after an item, keeping trailers.

    Whoever typed ``]`` in ``join(base, 'db.mtn'],`` believed the ``(`` closed by then: what they typed
    after the opener belongs inside it as far as the grammar lets it, so the place right before the
    typed closer, or, when what stands there cannot be inside (``np.array([[0, 1], [2, 3], dtype=t)``:
    a keyword argument is no list item), the latest place before it that compiles. Closing earlier
    would move items the author wrote inside the bracket out of it.
    """
    if len(inside) < 2:
        return None
    vertical = inside[-1].string == "," and inside[0].end[0] < inside[1].start[0]
    if inside[-1].end[0] != stopper.start[0] and not vertical:
        # A closer on a line of its own: the lines between may be what is missing (`[f(a,` / `]`),
        # unless the bracket ends its line and its last item ends with a comma: its items one a line
        # after it, each with its comma, the list was written whole (history10 sos `x11.py`).
        return None
    for token in reversed(tried):
        if token is inside[0] or token.string in OPENERS or _splits_trailer(token, inside, stopper):
            continue
        placed = _places(text, ctx, inside, stopper, [token])
        if placed and token is inside[-1] and token.end[0] != stopper.start[0]:
            # the same program with the closer on the typed closer's line, where its author put closers
            at = line_starts(lines_of(text))[stopper.start[0] - 1] + stopper.start[1]
            placed = {apply_edits(text, [Edit(at, at, OPENERS[inside[0].string])]): token}
        if placed:
            # `[(a % b for r in rs]` (fresh8 ZODB): closed at the end, the `(` takes the outer bracket's
            # `for` and becomes a generator; closed before the `for`, a comprehension. Two programs.
            # (A `[` or `{` with a `for` is its own comprehension: history7 pyload ZeveraCom.py.)
            taken = inside[0].string == "(" and _comprehension_taken(inside, token)
            return None if taken else next(iter(placed))
    return None


def _comprehension_taken(inside: list[tokenize.TokenInfo], last: tokenize.TokenInfo) -> bool:
    """A ``for`` at the bracket's own depth between its opener and ``last``."""
    depth = 0
    for token in inside[1 : inside.index(last) + 1]:
        if token.type == tokenize.OP and token.string in OPENERS:
            depth += 1
        elif token.type == tokenize.OP and token.string in CLOSERS:
            depth -= 1
        elif depth == 0 and token.type == tokenize.NAME and token.string == "for":
            return True
    return False


__all__ = ["insert_closer"]
