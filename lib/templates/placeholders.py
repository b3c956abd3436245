"""Leftover template markers (``{{``, ``{%``, ``{#``) in rendered files, found token by token.

A syntax check alone lets them through: ``x = {{ name }}`` parses (a set in a set) and so does
``"{{ name }}"`` in a string or ``# {% if x %}`` in a comment. Every marker in the text is reported;
Python files are tokenized so a finding says whether it sits in code, a string or a comment, and so
that the one legitimate ``{{`` in Python, a brace escaped inside an f-string, is not an alarm unless
it wraps a jinja-looking expression. A pack that writes markers on purpose sets ``braces: true``.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections.abc import Iterator

from hookwright.reporting import Finding

CODE = "leftover-placeholder"
MARKER = re.compile(r"\{[{%#]")
# What a forgotten `{{ var }}` looks like, as opposed to an f-string's escaped brace: f"{{literal}}".
_JINJA_EXPRESSION = re.compile(r"\{\{-?\s*[A-Za-z_][\w.]*\s*(?:\|[^{}]*)?-?\}\}")
_FSTRING_PREFIX = re.compile(r"^[rRbBuU]*[fF][rRbBuU]*['\"]")
_KIND = {"{{": "an expression", "{%": "a statement", "{#": "a comment"}


def _offsets(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def _python_spans(text: str, starts: list[int]) -> Iterator[tuple[int, int, str]]:
    """(start offset, end offset, "string" | "f-string" | "comment") for Python source."""

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    fstring_stack: list[int] = []
    fstring_start = getattr(tokenize, "FSTRING_START", -1)  # Python 3.12+ splits f-strings up
    fstring_end = getattr(tokenize, "FSTRING_END", -1)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == fstring_start:
                fstring_stack.append(offset(token.start))
            elif token.type == fstring_end and fstring_stack:
                begin = fstring_stack.pop()
                if not fstring_stack:
                    yield begin, offset(token.end), "f-string"
            elif token.type == tokenize.STRING and not fstring_stack:
                kind = "f-string" if _FSTRING_PREFIX.match(token.string) else "string"
                yield offset(token.start), offset(token.end), kind
            elif token.type == tokenize.COMMENT:
                yield offset(token.start), offset(token.end), "comment"
    except (tokenize.TokenError, SyntaxError):
        return  # the syntax check reports the file; markers after this point count as code


def scan(path: str, data: bytes, *, python: bool) -> list[Finding]:
    """Every leftover marker in ``data`` as a Finding at its line and column."""
    text = data.decode("utf-8", "replace")
    if MARKER.search(text) is None:
        return []  # the common case: one regex pass, no tokenizing
    starts = _offsets(text)
    spans = sorted(_python_spans(text, starts)) if python else []
    span_starts = [s[0] for s in spans]
    findings = []
    for match in MARKER.finditer(text):
        where = "code" if python else "text"
        index = bisect.bisect_right(span_starts, match.start()) - 1
        if index >= 0 and spans[index][0] <= match.start() < spans[index][1]:
            where = spans[index][2]
        if where == "f-string" and match.group() == "{{" and not _JINJA_EXPRESSION.match(text, match.start()):
            continue  # an escaped brace in an f-string: real Python
        line = bisect.bisect_right(starts, match.start())
        column = match.start() - starts[line - 1] + 1
        snippet = text[match.start() : match.start() + 24].split("\n", 1)[0]
        kind = _KIND[match.group()]
        message = f"leftover template marker {match.group()!r} ({kind}) in {where}: {snippet!r}"
        findings.append(Finding(path, line, column, CODE, message))
    return findings
