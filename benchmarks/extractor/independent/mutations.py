"""The editing operators of Roy, Cordy & Koschke's clone taxonomy, applied to Python source text.

Standalone on purpose: nothing here imports hookwright, so the clones made are not shaped by the
detector they measure. Every operator edits the fragment's text token by token (the syntax tree is
never reprinted), and each clone type is checked after editing:

* T1  mCW (whitespace inside lines), mCC (comments added, removed), mCF (lines broken inside
      brackets, blank lines): the syntax tree must be unchanged.
* T2c mSRI: names the fragment binds (parameters, locals, the def or class name) renamed
      consistently, on top of T1 edits: equal once bound names are blinded.
* T2  mARI, mRL, attribute and type changes: single occurrences of identifiers, literals, attribute
      names and annotations replaced independently of one another, on top of T2c edits: equal once
      every identifier, attribute name and literal is blinded.
* T3  T2 edits plus mIL, mDL, mML (statements inserted, deleted, replaced) and mSIL, mSDL (an
      argument added to or removed from a call): it must still parse.
"""

from __future__ import annotations

import ast
import io
import random
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

WORDS = (
    "amber", "badge", "cable", "delta", "ember", "fable", "gamma", "harbor", "ivory", "jolly", "kettle",
    "lumen", "maple", "nectar", "orbit", "pebble", "quartz", "ripple", "saddle", "tundra", "umber",
    "velvet", "willow", "xenon", "yonder", "zephyr", "anchor", "beacon", "cinder", "dune", "easel",
    "falcon", "garnet", "hollow", "inlet", "juniper", "kelp", "lantern", "meadow", "nimbus", "oasis",
    "prism", "quill", "rivet", "summit", "thistle", "upland", "vortex", "wharf", "yarrow", "zenith",
    "alder", "bramble", "copper", "drift", "ferry", "glacier", "heron", "island", "jasper", "knoll",
    "ledger", "marsh", "nugget", "onyx", "pylon", "quarry", "reed", "spindle", "timber", "vessel",
)  # fmt: skip
COMMENTS = (
    "keep this in step with the caller", "see above", "the common case first", "TODO: simplify",
    "order matters here", "fast path", "copied from the original helper", "NOTE: not thread safe",
    "edge case", "defensive", "this mirrors the other branch", "checked by the tests",
)  # fmt: skip
TYPES = ("int", "str", "float", "bytes", "bool", "list", "dict", "tuple", "object")
UNTOUCHED = frozenset({"self", "cls", "super", "True", "False", "None"})
Edit = tuple[int, int, str]  # [start, end) character offsets of the text, replacement


@dataclass
class Result:
    text: str
    edits: dict[str, int]  # operator -> times applied


def offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def at(text: str, starts: list[int], row: int, byte_col: int) -> int:
    """Character offset of an ``ast`` position (its column counts UTF-8 bytes)."""
    line = text[starts[row - 1] : starts[row] if row < len(starts) else len(text)]
    return starts[row - 1] + len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))


def apply(text: str, edits: list[Edit]) -> str:
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def tokens(text: str) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(text).readline))


def fresh_name(rng: random.Random, taken: set[str], model: str) -> str:
    while True:
        word = rng.choice(WORDS)
        if rng.random() < 0.4:
            word += "_" + rng.choice(WORDS)
        if model[:1].isupper():
            word = "".join(part.capitalize() for part in word.split("_"))
        if model.startswith("_"):
            word = "_" + word
        if word not in taken:
            taken.add(word)
            return word


def names_in(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
    return found


# -- T1: layout and comments --------------------------------------------------------------------------


def layout_edits(text: str, rng: random.Random, count: int) -> tuple[list[Edit], dict[str, int]]:
    """``count`` whitespace, comment and line-break edits that leave the syntax tree alone."""
    starts = offsets(text)
    toks = tokens(text)
    depth = 0
    logical_starts: list[int] = []  # rows where a logical line begins
    newline_ends: list[int] = []  # offsets of code ends that close a logical line (no comment there)
    breaks: list[tuple[int, str]] = []  # commas inside brackets, with the line's indentation
    gaps: list[tuple[int, int]] = []  # whitespace between two tokens on one line, next to a bracket
    comments: list[tokenize.TokenInfo] = []
    commented_rows = set()
    at_line_start = True
    for i, tok in enumerate(toks):
        off = starts[tok.start[0] - 1] + tok.start[1]
        if tok.type == tokenize.COMMENT:
            comments.append(tok)
            commented_rows.add(tok.start[0])
            continue
        if tok.type in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
            continue
        if tok.type == tokenize.NEWLINE:
            if tok.start[0] not in commented_rows and tok.string:
                newline_ends.append(off)
            at_line_start = True
            continue
        if at_line_start and depth == 0:
            logical_starts.append(tok.start[0])
            at_line_start = False
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.OP and tok.string == "," and depth > 0:
            following = toks[i + 1]
            if following.start[0] == tok.start[0] and following.type not in (tokenize.COMMENT, tokenize.NL):
                line = text[starts[tok.start[0] - 1] :].split("\n", 1)[0]
                indent = line[: len(line) - len(line.lstrip())]
                breaks.append((starts[tok.end[0] - 1] + tok.end[1], indent))
        following = toks[i + 1] if i + 1 < len(toks) else None
        if (
            following is not None
            and following.start[0] == tok.end[0]
            and following.type not in (tokenize.NEWLINE, tokenize.COMMENT, tokenize.NL)
            and (tok.string in ",([{" or following.string in ")]},")
        ):
            gaps.append(
                (starts[tok.end[0] - 1] + tok.end[1], starts[following.start[0] - 1] + following.start[1])
            )

    def add_comment() -> Edit | None:
        row = rng.choice(logical_starts)
        line = text[starts[row - 1] :].split("\n", 1)[0]
        indent = line[: len(line) - len(line.lstrip())]
        return starts[row - 1], starts[row - 1], f"{indent}# {rng.choice(COMMENTS)}\n"

    def end_comment() -> Edit | None:
        if not newline_ends:
            return None
        where = rng.choice(newline_ends)
        return where, where, f"  # {rng.choice(COMMENTS)}"

    def drop_comment() -> Edit | None:
        if not comments:
            return None
        tok = rng.choice(comments)
        row_start = starts[tok.start[0] - 1]
        line = text[row_start:].split("\n", 1)[0]
        if not line[: tok.start[1]].strip():
            return row_start, row_start + len(line) + 1, ""
        code_end = row_start + len(line[: tok.start[1]].rstrip())
        return code_end, row_start + tok.end[1], ""

    def break_line() -> Edit | None:
        if not breaks:
            return None
        where, indent = rng.choice(breaks)
        gap_end = where + len(text[where:]) - len(text[where:].lstrip(" "))
        return where, gap_end, "\n" + indent + "        "

    def respace() -> Edit | None:
        if not gaps:
            return None
        start, end = rng.choice(gaps)
        width = rng.choice([w for w in (0, 1, 2) if w != end - start])
        return start, end, " " * width

    def blank_line() -> Edit | None:
        row = rng.choice(logical_starts[1:] or logical_starts)
        return starts[row - 1], starts[row - 1], "\n"

    operators: list[tuple[str, Callable[[], Edit | None]]] = [
        ("mCC-add", add_comment), ("mCC-eol", end_comment), ("mCC-remove", drop_comment),
        ("mCF-break", break_line), ("mCW", respace), ("mCF-blank", blank_line),
    ]  # fmt: skip
    chosen: list[Edit] = []
    applied: dict[str, int] = {}
    for _ in range(count * 4):
        if len(chosen) >= count:
            break
        name, operator = rng.choice(operators)
        edit = operator()
        if edit is None or any(edit[0] <= e[1] and e[0] <= edit[1] for e in chosen):
            continue
        chosen.append(edit)
        applied[name] = applied.get(name, 0) + 1
    return chosen, applied
