"""One-token repairs where CPython points: a misspelt keyword (``retrun``, ``esle``), a missing comma
between two items on one line (``f(a b)``), a dict item's missing colon (``{'a': 1, 'b' 2}``).

The candidates come from the tokens of the lines CPython's error spans: each name one typo away from
a keyword (a swapped, dropped, doubled or wrong letter; two-letter keywords only by a swapped or a
doubled letter), and each place between two items on the error's line where CPython's position says
a comma may be missing.
Each candidate is compiled; the repair is made only when exactly one of them compiles (or moves the
first error past this statement), so
``print(a fro b)``, which no single edit saves, and a line two edits could save are left alone.
"""

from __future__ import annotations

import itertools
import keyword
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
from hookwright.heal.fix_syntax import ends_item, starts_item

KEYWORDS = tuple(k for k in keyword.kwlist if k.islower())
MAX_CANDIDATES = 12  # each costs a compile of the whole file


def _one_typo(word: str, target: str) -> bool:
    """``word`` is ``target`` with one letter swapped with its neighbour, dropped, doubled or replaced."""
    if word == target or abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        swapped = len(diffs) == 2 and diffs[1] == diffs[0] + 1 and word[diffs[0]] == target[diffs[1]]
        swapped = swapped and word[diffs[1]] == target[diffs[0]]
        return swapped or (len(diffs) == 1 and len(target) > 3)
    if len(target) <= 2:
        # `i` for `if`/`in`/`is`, `eif` for `if`/`elif`: too many readings; a doubled letter has one.
        return word in (target[0] + target, target + target[-1])
    longer, shorter = (word, target) if len(word) > len(target) else (target, word)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _one_letter_from_if(word: str) -> bool:
    return len(word) == 2 and word != "if" and (word[0] == "i" or word[1] == "f")


def _statement(toks: list[tokenize.TokenInfo], first: int, last: int) -> list[tokenize.TokenInfo]:
    """The significant tokens of the lines ``first``..``last`` and of the statement they are in."""
    found: list[tokenize.TokenInfo] = []
    current: list[tokenize.TokenInfo] = []
    for token in toks:
        if token.type == tokenize.NEWLINE:
            if current and current[0].start[0] <= last and current[-1].end[0] >= first:
                found += current
            current = []
        elif token.type not in SIGNIFICANT_SKIP and token.type != tokenize.ENDMARKER:
            current.append(token)
    if current and current[0].start[0] <= last:
        found += current  # the statement the tokenizer stopped in
    return found


def _candidates(text: str, error: SyntaxError) -> tuple[list[Edit], int]:
    """The one-token edits to try, and the last line of the statement they are in."""
    toks, _ = tokens(text)
    first, last = error.lineno or 0, error.end_lineno or error.lineno or 0
    statement = _statement(toks, first, last)
    starts = line_starts(lines_of(text))
    edits = []
    words = [t.string for t in statement if t.type == tokenize.NAME]
    # `a is b else c`: an `else` in an expression needs an `if` before it; a two-letter word one letter
    # from `if` (a keyword too: `is`, `in`) may be that `if`.
    if_missing = words.count("else") > words.count("if") and words[:1] != ["else"]
    for token in statement:
        if token.type != tokenize.NAME or not first <= token.start[0] <= last:
            continue
        at = starts[token.start[0] - 1] + token.start[1]
        if if_missing and _one_letter_from_if(token.string):
            edits.append(Edit(at, at + 2, "if"))
        if not keyword.iskeyword(token.string):
            for word in KEYWORDS:
                if _one_typo(token.string, word):
                    edits.append(Edit(at, at + len(token.string), word))
    if first == last:
        edits += _commas(statement, error, starts[first - 1])
    return edits, max([last, *(t.end[0] for t in statement)])


def _commas(statement: list[tokenize.TokenInfo], error: SyntaxError, line_start: int) -> list[Edit]:
    """Places for a comma between two items on the error's line: inside the range CPython gives when
    it suggests a comma; before the token it rejects otherwise (``def f(a b)``, ``import os sys``),
    inside brackets or in the statements whose names a comma separates."""
    row, offset, end = error.lineno, (error.offset or 0) - 1, (error.end_offset or 0) - 1
    suggested = "forgot a comma" in (error.msg or "")
    # `-> tuple[int str]:` and `{C(a=1 b=2): v}` are reported as a missing ':' somewhere on the line.
    anywhere = (error.msg or "") == "expected ':'" or (error.msg or "").startswith("':' expected")
    listing = bool(statement) and statement[0].string in ("import", "from", "global", "nonlocal", "lambda")
    # "':' expected after dictionary key": the key's colon may be the one missing (`'b' 2` in a dict
    # display); a comma there compiles only when the braces hold no `key: value` item, so at most one
    # of the two does.
    dict_key = "dictionary key" in (error.msg or "")
    # `assert size == 1 "one size only"`: an assert's test and its message are the two items a comma
    # separates, so the first comma at its top level is a place too.
    asserting = bool(statement) and statement[0].string == "assert"
    edits = []
    open_brackets: list[str] = []
    for token, following in itertools.pairwise(statement):
        if token.type == tokenize.OP and token.string in OPENERS:
            open_brackets.append(token.string)
        elif token.type == tokenize.OP and token.string in CLOSERS and open_brackets:
            open_brackets.pop()
        elif token.type == tokenize.OP and token.string == "," and not open_brackets:
            asserting = False  # the message is there already
        depth = len(open_brackets)
        if not token.start[0] == following.start[0] == row or not (
            ends_item(token) and starts_item(following)
        ):
            continue
        if dict_key and open_brackets[-1:] == ["{"]:
            edits.append(Edit(line_start + token.end[1], line_start + token.end[1], ":"))
        if anywhere:
            place = depth > 0
        elif suggested:
            place = depth > 0 and offset <= token.start[1] and following.end[1] <= end + 1
        else:
            place = following.start[1] == offset and (depth > 0 or listing or asserting)
        if place:
            edits.append(Edit(line_start + token.end[1], line_start + token.end[1], ","))
    return edits


def repair_token(text: str, ctx: FixContext) -> str | None:
    error = compile_error(text, ctx.path)
    if type(error) is not SyntaxError or error.lineno is None:
        return None
    if ctx.line is not None and error.lineno != ctx.line:
        return None
    edits, end = _candidates(text, error)
    if not edits or len(edits) > MAX_CANDIDATES:
        return None
    repaired = set()
    for edit in edits:
        fixed = apply_edits(text, [edit])
        after = compile_error(fixed, ctx.path)
        if after is None or (after.lineno or 0) > end:
            repaired.add(fixed)
    return repaired.pop() if len(repaired) == 1 else None
