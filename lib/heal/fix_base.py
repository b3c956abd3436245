"""What every fixer shares: its context, line and token helpers that round-trip the source exactly.

A fixer is pure: ``fix(text, ctx) -> str | None``. ``text`` is the file decoded as-is (``\\r\\n`` kept,
no BOM); it returns the new text, or None when it is not sure. Edits are offsets into ``text``,
applied from the end so that earlier offsets stay valid.
"""

from __future__ import annotations

import io
import re
import tokenize
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookwright.heal.project_names import ProjectIndex


@dataclass(frozen=True)
class FixContext:
    """Where the error is, what the rule's regex captured, and the rule's parameters."""

    path: str
    line: int | None
    column: int | None
    error_type: str
    message: str
    groups: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    project: ProjectIndex | None = None


Fixer = Callable[[str, FixContext], "str | None"]


@dataclass(frozen=True, order=True)
class Edit:
    start: int
    end: int
    text: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits, last first, so that each offset still means what it meant."""
    ordered = sorted(edits, reverse=True)
    for before, after in zip(ordered[1:], ordered, strict=False):
        if before.end > after.start:
            raise ValueError("overlapping edits")
    for edit in ordered:
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def lines_of(text: str) -> list[str]:
    """Physical lines with their endings; only \\n, \\r\\n and \\r end a line (as in Python source)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def newline_of(text: str) -> str:
    match = re.search(r"\r\n|\r|\n", text)
    return match.group() if match else "\n"


def line_starts(lines: list[str]) -> list[int]:
    """Offset of each line's start; index 0 is line 1."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    starts.append(offset)
    return starts


def body(line: str) -> str:
    """A line without its ending."""
    return line.rstrip("\r\n")


def indent_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t\f"))]


def is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def compile_error(text: str, filename: str = "<fix>") -> SyntaxError | None:
    """The first error CPython reports compiling ``text``, or None when it compiles."""
    if text.count("\n") > 20_000:  # large_source.LARGE_LINES; importing it here would be circular
        from hookwright.heal import large_source

        return large_source.compile_error(text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences are a lint's business
        try:
            compile(text, filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            return exc
        except (ValueError, MemoryError, RecursionError) as exc:  # NUL bytes, absurd nesting
            error = SyntaxError(str(exc))
            error.lineno = 1
            return error
    return None


def compiles_past(text: str, line: int) -> bool:
    """``text`` compiles, or its first error is after ``line`` (a fix there made progress)."""
    error = compile_error(text)
    return error is None or (error.lineno or 0) > line


def tokens(text: str) -> tuple[list[tokenize.TokenInfo], bool]:
    """The tokens of ``text`` up to the first lexical error, and whether the whole text tokenized."""
    found: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            found.append(token)
    except (tokenize.TokenError, SyntaxError):
        return found, False
    return found, True


def statement_starts(text: str) -> list[int]:
    """First lines of the logical lines of ``text``, as far as it tokenizes."""
    starts, fresh = [], True
    for token in tokens(text)[0]:
        if token.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            fresh = True
        elif token.type not in (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER) and fresh:
            starts.append(token.start[0])
            fresh = False
    return starts


SIGNIFICANT_SKIP = frozenset(
    {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
)
COMPOUND_KEYWORDS = frozenset(
    {
        "if",
        "elif",
        "else",
        "for",
        "while",
        "def",
        "class",
        "try",
        "except",
        "finally",
        "with",
        "async",
        "match",
        "case",
    }
)
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {")": "(", "]": "[", "}": "{"}


def comment_start(line: str) -> int | None:
    """Index of the ``#`` that starts a comment on this line, skipping ``#`` inside strings."""
    quote: str | None = None
    i = 0
    while i < len(line):
        char = line[i]
        if quote is not None:
            if char == "\\":
                i += 2
                continue
            if line.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
        elif char in "'\"":
            quote = line[i : i + 3] if line.startswith(char * 3, i) else char
            i += len(quote)
            continue
        elif char == "#":
            return i
        i += 1
    return None


def end_of_code(line: str) -> int:
    """Index in ``line`` just after its last code character (before a comment and trailing blanks)."""
    text = body(line)
    cut = comment_start(text)
    return len(text[: len(text) if cut is None else cut].rstrip(" \t\f"))


_MODULE_NAMES = frozenset(
    {"__name__", "__file__", "__doc__", "__spec__", "__loader__", "__package__", "__builtins__", "__path__",
     "__annotations__", "__dict__", "__debug__", "__cached__", "__all__", "__class__"}
)  # fmt: skip


def undefined_names(text: str) -> set[str] | None:
    """Names read somewhere that nothing defines (CPython's own scope analysis); None if it does not parse.

    Fixers use it to choose between repairs that both compile: the one that leaves fewer names
    undefined kept the code in the scopes it was written for.
    """
    import builtins
    import symtable

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            table = symtable.symtable(text, "<fix>", "exec")
        except (SyntaxError, ValueError, RecursionError):
            return None
    module = {
        s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()
    }
    if any(s.get_name() == "*" for s in table.get_symbols()):
        return set()  # a star import defines names nobody can see
    known = module | set(dir(builtins)) | _MODULE_NAMES
    found: set[str] = set()
    pending = [table]
    while pending:
        current = pending.pop()
        for symbol in current.get_symbols():
            name = symbol.get_name()
            if not symbol.is_referenced() or name in known:
                continue
            if current is table or symbol.is_global():
                found.add(name)
        pending.extend(current.get_children())
    return found
