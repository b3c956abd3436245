"""Identifier and literal operators: mSRI (systematic renaming), mARI (arbitrary renaming), mRL.

Positions come from ``ast`` and are turned into character offsets of the fragment's text; every
edit replaces exactly one token. Standalone: imports nothing of hookwright.
"""

from __future__ import annotations

import ast
import random
import tokenize
from dataclasses import dataclass

from mutations import TYPES, UNTOUCHED, Edit, at, fresh_name, names_in, offsets, tokens


@dataclass
class Occurrence:
    kind: str  # bound | name | attr | literal | type
    name: str  # the identifier, or the literal's repr
    start: int
    end: int
    value: object = None


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            found.add(id(body[0].value))
    return found


def _annotations(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        for name in ("annotation", "returns"):
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                found.update(id(n) for n in ast.walk(value))
    return found


def occurrences(text: str) -> list[Occurrence]:
    """Every identifier, attribute name and literal token of ``text``, with what it is."""
    tree = ast.parse(text)
    starts = offsets(text)
    toks = tokens(text)
    bound: set[str] = set()
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) or (
            isinstance(node, ast.ExceptHandler) and node.name
        ):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            imported.add((node.asname or node.name).split(".")[0])
    bound -= imported | UNTOUCHED
    docstrings, annotations = _docstrings(tree), _annotations(tree)
    # The pieces of an f-string carry the whole f-string's position: not tokens of their own.
    docstrings.update(id(n) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for n in ast.walk(j))
    found: list[Occurrence] = []

    def token_at(row: int, keyword: str, name: str) -> Occurrence | None:
        after = False
        for tok in toks:
            if tok.start[0] < row:
                continue
            if tok.type == tokenize.NAME and tok.string == keyword:
                after = True
            elif after and tok.type == tokenize.NAME and tok.string == name:
                begin = starts[tok.start[0] - 1] + tok.start[1]
                return Occurrence("bound", name, begin, begin + len(name))
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in UNTOUCHED and node.id not in imported:
            begin = at(text, starts, node.lineno, node.col_offset)
            kind = "type" if id(node) in annotations else "bound" if node.id in bound else "name"
            found.append(Occurrence(kind, node.id, begin, begin + len(node.id)))
        elif isinstance(node, ast.arg) and node.arg in bound:
            begin = at(text, starts, node.lineno, node.col_offset)
            found.append(Occurrence("bound", node.arg, begin, begin + len(node.arg)))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            keyword = "class" if isinstance(node, ast.ClassDef) else "def"
            hit = token_at(node.lineno, keyword, node.name)
            if hit is not None:
                found.append(hit)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            hit = token_at(node.lineno, "as", node.name)
            if hit is not None:
                found.append(hit)
        elif isinstance(node, ast.Attribute):
            end = at(text, starts, node.end_lineno or node.lineno, node.end_col_offset or 0)
            if text[end - len(node.attr) : end] == node.attr:
                found.append(Occurrence("attr", node.attr, end - len(node.attr), end))
        elif isinstance(node, ast.Constant) and id(node) not in docstrings:
            value = node.value
            if isinstance(value, bool) or value is None or value is Ellipsis or isinstance(value, bytes):
                continue
            begin = at(text, starts, node.lineno, node.col_offset)
            end = at(text, starts, node.end_lineno or node.lineno, node.end_col_offset or 0)
            source = text[begin:end]
            if "\n" in source or (isinstance(value, str) and len(tokens(source)) > 3):
                continue  # implicit concatenation or a multi-line string: not one token
            found.append(Occurrence("literal", source, begin, end, value))
    return found


def leaf_count(text: str) -> int:
    return len(occurrences(text))


def systematic_renames(text: str, rng: random.Random, share: float) -> tuple[list[Edit], int]:
    """mSRI: a share (at least one) of the bound names, each renamed everywhere it occurs."""
    found = occurrences(text)
    names = sorted({o.name for o in found if o.kind == "bound"})
    if not names:
        return [], 0
    chosen = rng.sample(names, max(1, round(share * len(names))))
    taken = names_in(ast.parse(text))
    new = {name: fresh_name(rng, taken, name) for name in chosen}
    return [(o.start, o.end, new[o.name]) for o in found if o.kind == "bound" and o.name in new], len(new)


def _new_literal(occurrence: Occurrence, rng: random.Random) -> str:
    value = occurrence.value
    if isinstance(value, int):
        return str(rng.choice([v for v in (0, 1, 2, 3, 5, 8, 10, 16, 64, 100, 1024) if v != value]))
    if isinstance(value, float):
        return repr(round(rng.uniform(0.1, 100.0), 2))
    if isinstance(value, complex):
        return f"{rng.randint(1, 9)}j"
    quote = next((q for q in ('"""', "'''", '"', "'") if occurrence.name.endswith(q)), '"')
    prefix = occurrence.name[: occurrence.name.index(quote)]
    words = " ".join(rng.choice(WORDS_FOR_STRINGS) for _ in range(rng.randint(1, 3)))
    if "f" in prefix.lower():
        prefix = prefix.replace("f", "").replace("F", "")
    return f"{prefix}{quote}{words}{quote}"


WORDS_FOR_STRINGS = ("value", "missing", "item", "error", "name", "data", "key", "id", "path", "mode")


def independent_edits(text: str, rng: random.Random, count: int) -> tuple[list[Edit], dict[str, int]]:
    """``count`` single-token changes, each independent of the others: mARI, mRL, attributes, types."""
    found = [o for o in occurrences(text) if o.kind != "bound" or rng.random() < 0.5]
    rng.shuffle(found)
    taken = names_in(ast.parse(text))
    edits: list[Edit] = []
    applied: dict[str, int] = {}
    for occurrence in found[:count]:
        if occurrence.kind == "literal":
            new, operator = _new_literal(occurrence, rng), "mRL"
        elif occurrence.kind == "type":
            new = rng.choice([t for t in TYPES if t != occurrence.name])
            operator = "type"
        elif occurrence.kind == "attr":
            new, operator = fresh_name(rng, taken, occurrence.name), "attribute"
        else:
            new, operator = fresh_name(rng, taken, occurrence.name), "mARI"
        edits.append((occurrence.start, occurrence.end, new))
        applied[operator] = applied.get(operator, 0) + 1
    return edits, applied
