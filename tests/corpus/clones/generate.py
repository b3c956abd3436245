"""Inject labelled clones into real code, deterministically: ``python generate.py OUT_DIR [--check]``.

Copies base/ to OUT_DIR and appends, to chosen files, edited copies of chosen functions (the
*originals*, left where they are): PER_TYPE clones of each type and NEGATIVES look-alikes, then
writes OUT_DIR/labels.json. ``--check`` also compares it with the committed labels.json.

Every edit is made on the original's source text (never by reprinting its syntax tree), so a copy
differs from its original exactly as the type says and in no other token:

* T1  -- comments and blank lines added, the docstring rewritten (or added).
* T2c -- consistent renaming: one word of the function's own names swapped everywhere it appears
  in an identifier (``user`` -> ``order`` in ``user_id``, ``self.users``, ``get_user``), and a few
  local names replaced by synonyms. Literals untouched.
* T2  -- T2c plus 1 to 3 literals changed (never more than a quarter of the calls and literals), and
  possibly one attribute name changed at one place.
* T3  -- T2c plus statements inserted, deleted or replaced: at least one edit, at most 30% of the
  original's code lines.
* negative -- the same shape with different behaviour: at least half (and at least 3) of the calls
  and literals replaced by other calls and literals; only the function's own name is renamed.

Originals have 8 to 60 code lines, at least 3 statements that do work (not imports, ``pass``,
plain assignments: the issue rules out reporting field lists and boilerplate), no twin elsewhere in
base/ (no function of the same shape, none sharing half its token 4-grams, no shared run of 6 lines
with names and literals blinded: so that no unlabelled clone of a copy exists), and no ``global``,
``nonlocal`` or ``match``.
"""

from __future__ import annotations

import ast
import builtins
import io
import json
import keyword
import random
import re
import shutil
import sys
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
SHARED = HERE.parent / "self_heal" / "pre-commit" / "pre_commit"
LABELS = HERE / "labels.json"
SEED = 11
PER_TYPE = 50
NEGATIVES = 50
TYPES = ("T1", "T2c", "T2", "T3")
NEW_WORDS = [
    "order",
    "invoice",
    "widget",
    "ticket",
    "account",
    "packet",
    "channel",
    "asset",
    "member",
    "parcel",
]
SYNONYMS = {
    "result": "outcome", "data": "payload", "value": "item_value", "i": "idx", "key": "k", "name": "label",
    "path": "location", "args": "arguments", "kwargs": "options", "line": "row", "text": "content",
    "msg": "message", "e": "exc", "f": "fh", "fn": "func", "x": "elem", "item": "element", "items": "elements",
    "cmd": "command", "config": "settings", "ret": "retval", "out": "output", "s": "string", "n": "count",
    "it": "iterator", "obj": "target", "rv": "return_value", "ctx": "context", "param": "parameter",
    "option": "opt", "values": "vals", "parts": "pieces", "index": "position", "start": "begin", "stop": "finish",
}  # fmt: skip
STOP_WORDS = {"self", "cls", "get", "set", "is", "has", "the", "to", "of", "and", "or", "not", "in", "for"}
BUILTIN_NAMES = set(dir(builtins))
WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


@dataclass
class Function:
    path: str  # relative to base/
    start: int  # first line (decorators included) in the base file
    end: int
    text: str  # dedented source


# -- finding originals ------------------------------------------------------------------------------


def shape(node: ast.AST) -> str:
    """The syntax tree without names and literals: equal shapes are what a clone detector pairs."""
    parts = []
    for child in ast.walk(node):
        parts.append(type(child).__name__)
    return " ".join(parts)


def code_lines(text: str) -> int:
    """Lines holding code: not blank, not only a comment, not part of a docstring."""
    tree = ast.parse(text)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and is_docstring_stmt(node):
            docstrings.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return len(set(blind_lines(text)) - docstrings)


def is_docstring_stmt(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def substantive(function: ast.AST) -> int:
    """Statements doing work: not imports, pass, docstrings, plain assignments or returns of a name.

    The issue rules out reporting the rest (field lists, dunder boilerplate, lone signatures).
    """
    count = 0
    for node in ast.walk(function):
        if not isinstance(node, ast.stmt) or node is function or is_docstring_stmt(node):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass):
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(
            node.value, ast.Name | ast.Constant | ast.Attribute
        ):
            continue
        if isinstance(node, ast.Return) and (
            node.value is None or isinstance(node.value, ast.Name | ast.Constant)
        ):
            continue
        count += 1
    return count


def behaviour_sites(tree: ast.AST) -> tuple[list[ast.AST], list[ast.Constant]]:
    """(calls whose callee is a name or attribute, simple one-token literals)."""
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.stmt) and is_docstring_stmt(n)}
    calls = [
        n.func
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name | ast.Attribute)
    ]
    literals = []
    inside_fstring = {id(c) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for c in ast.walk(j)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in docs or id(node) in inside_fstring:
            continue
        if isinstance(node.value, bool) or node.value is None or node.lineno != node.end_lineno:
            continue
        if isinstance(node.value, int | float | str):
            literals.append(node)
    return calls, literals


def blind_lines(text: str) -> dict[int, str]:
    """Each code line as its tokens, names and literals blinded: what makes two lines look alike."""
    lines: dict[int, list[str]] = {}
    skip = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type in skip:
            continue
        if token.type == tokenize.NAME:
            word = token.string if keyword.iskeyword(token.string) else "N"
        elif token.type in (tokenize.NUMBER, tokenize.STRING):
            word = "L"
        else:
            word = token.string
        lines.setdefault(token.start[0], []).append(word)
    return {line: " ".join(words) for line, words in lines.items()}


def natural_twins(sources: dict[str, str], functions: list[Function], window: int = 6) -> set[int]:
    """Functions with a near twin already in base/: a shared run of ``window`` blinded lines, or most
    of their 4-grams of blinded tokens in common with another function. Copies of those would have
    unlabelled clones."""
    runs: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    per_file = {path: blind_lines(text) for path, text in sources.items()}
    for path, lines in per_file.items():
        numbers = sorted(lines)
        for i in range(len(numbers) - window + 1):
            key = tuple(lines[n] for n in numbers[i : i + window])
            runs.setdefault(key, []).append((path, numbers[i]))
    twins: set[int] = set()
    grams: list[set[tuple[str, ...]]] = []
    for index, function in enumerate(functions):
        lines = per_file[function.path]
        numbers = [n for n in sorted(lines) if function.start <= n <= function.end]
        for i in range(len(numbers) - window + 1):
            key = tuple(lines[n] for n in numbers[i : i + window])
            if any(p != function.path or not function.start <= n <= function.end for p, n in runs[key]):
                twins.add(index)
                break
        tokens = " ".join(lines[n] for n in numbers).split()
        grams.append({tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)})
    postings: dict[tuple[str, ...], list[int]] = {}
    for index, bag in enumerate(grams):
        for gram in bag:
            postings.setdefault(gram, []).append(index)
    for index, bag in enumerate(grams):
        shared: Counter[int] = Counter()
        for gram in bag:
            if len(postings[gram]) <= 50:
                shared.update(o for o in postings[gram] if o != index)
        for other in shared:
            if len(bag & grams[other]) >= 0.5 * len(bag | grams[other]):
                twins.update((index, other))
    return twins


def find_originals(sources: dict[str, str]) -> list[Function]:
    found: list[tuple[Function, str]] = []
    shapes: Counter[str] = Counter()
    for path, text in sorted(sources.items()):
        tree = ast.parse(text)
        lines = text.splitlines(keepends=True)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            key = shape(node)
            shapes[key] += 1
            if isinstance(node, ast.ClassDef) or node.name.startswith("__"):
                continue  # dunder methods: the issue rules out reporting their boilerplate
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            body = lines[start - 1 : node.end_lineno]
            indent = body[0][: len(body[0]) - len(body[0].lstrip())]
            if any(line.strip() and not line.startswith(indent) for line in body):
                continue
            dedented = "".join(line[len(indent) :] if line.strip() else line for line in body)
            try:
                copy = ast.parse(dedented)
            except SyntaxError:
                continue
            if ast.dump(copy.body[0]) != ast.dump(node):
                continue
            if any(isinstance(n, ast.Global | ast.Nonlocal | ast.Match) for n in ast.walk(node)):
                continue
            if not 8 <= code_lines(dedented) <= 60 or substantive(node) < 3:
                continue
            found.append((Function(path, start, node.end_lineno or start, dedented), key))
    # Functions nested in an original are left alone; so are functions with a twin in base/.
    chosen = [f for f, key in found if shapes[key] == 1]
    twins = natural_twins(sources, chosen)
    chosen = [f for i, f in enumerate(chosen) if i not in twins]
    chosen.sort(key=lambda f: (f.path, f.start))
    disjoint: list[Function] = []
    for function in chosen:
        if disjoint and disjoint[-1].path == function.path and function.start <= disjoint[-1].end:
            continue
        disjoint.append(function)
    return disjoint


# -- editing source text ----------------------------------------------------------------------------


def apply_edits(text: str, edits: list[tuple[int, int, int, int, str]]) -> str:
    """Replace (line, byte col, end line, end byte col) spans; lines count from 1, as in ``ast``."""
    lines = [line.encode() for line in text.splitlines(keepends=True)]
    lines.append(b"")  # an edit may end at the start of the line after the last
    for line, col, end_line, end_col, new in sorted(edits, reverse=True):
        head = lines[line - 1][:col]
        tail = lines[end_line - 1][end_col:]
        lines[line - 1 : end_line] = [head + new.encode() + tail]
    return b"".join(lines).decode()


def _name_position(text_lines: list[str], node: ast.AST, name: str, pattern: str) -> tuple[int, int] | None:
    line = text_lines[node.lineno - 1].encode()
    match = re.compile(pattern.format(re.escape(name)).encode()).search(line, node.col_offset)
    return (node.lineno, match.start(1)) if match else None


def identifier_sites(text: str, tree: ast.AST) -> list[tuple[str, str, int, int]]:
    """(role, name, line, byte col) of every identifier a rename may touch."""
    text_lines = text.splitlines(keepends=True)
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    sites = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            role = "call" if id(node) in called else "store" if isinstance(node.ctx, ast.Store) else "name"
            sites.append((role, node.id, node.lineno, node.col_offset))
        elif isinstance(node, ast.arg):
            sites.append(("param", node.arg, node.lineno, node.col_offset))
        elif isinstance(node, ast.Attribute):
            role = "callattr" if id(node) in called else "attr"
            sites.append(
                (
                    role,
                    node.attr,
                    node.end_lineno or node.lineno,
                    (node.end_col_offset or 0) - len(node.attr.encode()),
                )
            )
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            where = _name_position(text_lines, node, node.name, r"(?:def|class)\s+({})\b")
            if where:
                sites.append(("def", node.name, *where))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            where = _name_position(text_lines, node, node.name, r"\bas\s+({})\b")
            if where:
                sites.append(("store", node.name, *where))
    return sites


def match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def swap_word(identifier: str, old: str, new: str) -> str:
    """``old`` -> ``new`` where it is a whole word of ``identifier`` (``user_id``, ``Users``; not ``username``)."""
    pieces = []
    last = 0
    for match in WORD.finditer(identifier):
        word = match.group(0)
        if word.lower() in (old, old + "s"):
            pieces.append(identifier[last : match.start()] + match_case(new + word[len(old) :].lower(), word))
            last = match.end()
    return "".join(pieces) + identifier[last:]


VARIABLE_ROLES = ("store", "param", "def", "name", "call")


def rename(function: Function, rng: random.Random) -> tuple[str, dict[str, str]] | None:
    """Consistent renaming (T2c): an entity word swapped everywhere, plus synonyms for some locals.

    Variables and attributes are separate namespaces: renaming the local ``name`` leaves ``x.name``.
    """
    tree = ast.parse(function.text)
    sites = identifier_sites(function.text, tree)
    existing = {name for _, name, _, _ in sites}
    bound = {name for role, name, _, _ in sites if role in ("store", "param", "def")} - {"self", "cls"}
    words = Counter(
        w.lower() for name in bound for w in WORD.findall(name) if len(w) >= 3 and w.lower() not in STOP_WORDS
    )
    variables: dict[str, str] = {}
    attributes: dict[str, str] = {}
    if words:
        top = max(words.items(), key=lambda kv: (kv[1], kv[0]))[0]
        fresh = [w for w in NEW_WORDS if w not in function.text.lower()]
        if fresh:
            new = rng.choice(fresh)
            for role, name, _, _ in sites:
                swapped = swap_word(name, top, new)
                if swapped != name and not (name.startswith("__") and name.endswith("__")):
                    (variables if role in VARIABLE_ROLES else attributes)[name] = swapped
    for name in sorted(bound):
        if name not in variables and name in SYNONYMS and rng.random() < 0.7:
            variables[name] = SYNONYMS[name]
    definition = next(name for role, name, _, _ in sites if role == "def")
    if definition not in variables and not definition.startswith("__"):
        variables[definition] = definition + rng.choice(["_v2", "_alt", "_legacy", "_copy"])
    for mapping in (variables, attributes):
        targets = list(mapping.values())
        if len(set(targets)) != len(targets) or set(targets) & (existing - set(mapping)):
            return None
        if any(keyword.iskeyword(t) or t in BUILTIN_NAMES or not t.isidentifier() for t in targets):
            return None
    if len(variables) < 2:
        return None
    edits = []
    for role, name, line, col in sites:
        mapping = variables if role in VARIABLE_ROLES else attributes
        if name in mapping:
            edits.append((line, col, line, col + len(name.encode()), mapping[name]))
    return apply_edits(function.text, edits), {**variables, **attributes}


def new_literal(segment: str, value: object, rng: random.Random) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value + rng.choice([1, 2, 10]))
    if isinstance(value, float):
        return repr(value * 2 + 1)
    if isinstance(value, str):
        tokens = list(tokenize.generate_tokens(io.StringIO(segment).readline))
        if sum(t.type == tokenize.STRING for t in tokens) != 1:
            return None
        quote_at = min(i for i in (segment.find('"'), segment.find("'")) if i >= 0)
        body = segment[quote_at + 1 :]
        word = re.search(r"[A-Za-z]{3,}", body)
        if word:
            return (
                segment[: quote_at + 1]
                + body[: word.start()]
                + rng.choice(["alpha", "bravo", "delta"])
                + body[word.end() :]
            )
        return segment[: quote_at + 1] + "zz" + body
    return None


def literal_edit(text: str, node: ast.Constant, rng: random.Random) -> tuple[int, int, int, int, str] | None:
    line = text.splitlines(keepends=True)[node.lineno - 1].encode()
    segment = line[node.col_offset : node.end_col_offset].decode()
    new = new_literal(segment, node.value, rng)
    if new is None or new == segment:
        return None
    return (node.lineno, node.col_offset, node.lineno, node.end_col_offset or 0, new)


# -- the clone types --------------------------------------------------------------------------------


def make_t1(function: Function, rng: random.Random) -> str | None:
    tree = ast.parse(function.text)
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef)
    lines = function.text.splitlines(keepends=True)
    first = definition.body[0]
    indent = " " * first.col_offset
    edits: list[tuple[int, int, int, int, str]] = []
    if is_docstring_stmt(first):
        quote = lines[first.lineno - 1].encode()[first.col_offset : first.col_offset + 3].decode()
        quote = quote if quote in ('"""', "'''") else '"""'
        edits.append(
            (
                first.lineno,
                first.col_offset,
                first.end_lineno or first.lineno,
                first.end_col_offset or 0,
                f"{quote}Same as the original, documented differently.{quote}",
            )
        )
    else:
        edits.append(
            (first.lineno, 0, first.lineno, 0, f'{indent}"""A copy kept for the old interface."""\n')
        )
    starts = sorted(
        {
            n.lineno
            for n in ast.walk(definition)
            if isinstance(n, ast.stmt) and n is not first and n is not definition
        }
    )
    for line in rng.sample(starts, k=min(len(starts), rng.randint(1, 3))):
        text = lines[line - 1]
        pad = text[: len(text) - len(text.lstrip())]
        comment = rng.choice(
            ["# copied from upstream", "# keep in step with the original", "# see the original"]
        )
        edits.append((line, 0, line, 0, f"{pad}{comment}\n" + ("\n" if rng.random() < 0.3 else "")))
    return apply_edits(function.text, edits)


def make_t2c(function: Function, rng: random.Random) -> str | None:
    renamed = rename(function, rng)
    return renamed[0] if renamed else None


def make_t2(function: Function, rng: random.Random) -> str | None:
    renamed = rename(function, rng)
    if not renamed:
        return None
    text = renamed[0]
    tree = ast.parse(text)
    calls, literals = behaviour_sites(tree)
    budget = min(3, max(1, (len(calls) + len(literals)) // 4))
    edits = []
    for node in rng.sample(literals, k=len(literals)):
        if len(edits) >= budget:
            break
        edit = literal_edit(text, node, rng)
        if edit:
            edits.append(edit)
    if not edits:
        return None
    attributes = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n not in calls]
    if attributes and len(edits) < budget and rng.random() < 0.5:
        node = rng.choice(attributes)
        end = node.end_col_offset or 0
        edits.append(
            (
                node.end_lineno or node.lineno,
                end - len(node.attr.encode()),
                node.end_lineno or node.lineno,
                end,
                node.attr + "_alt",
            )
        )
    return apply_edits(text, edits)


INSERTS = ["log.debug('checkpoint %r', {v})", "{v} = normalise({v})", "assert {v} is not None", "_trace({v})"]


def make_t3(function: Function, rng: random.Random) -> str | None:
    renamed = rename(function, rng)
    if not renamed:
        return None
    text = renamed[0]
    tree = ast.parse(text)
    definition = tree.body[0]
    budget = int(0.3 * code_lines(function.text))
    if budget < 1:
        return None
    names = sorted(
        {n.id for n in ast.walk(definition) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        | {a.arg for a in ast.walk(definition) if isinstance(a, ast.arg)} - {"self", "cls"}
    )
    if not names:
        return None
    per_line = Counter(
        line
        for n in ast.walk(definition)
        if isinstance(n, ast.stmt)
        for line in range(n.lineno, (n.end_lineno or n.lineno) + 1)
        if not _compound(n)
    )
    simple = []
    for owner in ast.walk(definition):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(owner, field, None)
            if not isinstance(block, list):
                continue
            for stmt in block:
                if _compound(stmt) or is_docstring_stmt(stmt) or stmt.lineno == definition.lineno:
                    continue
                if all(
                    per_line[line] == 1 for line in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
                ):
                    simple.append((stmt, block))
    if not simple:
        return None
    lines = text.splitlines(keepends=True)
    edits = []
    used_lines: set[int] = set()
    spent = 0
    for stmt, block in rng.sample(simple, k=len(simple)):
        size = (stmt.end_lineno or stmt.lineno) - stmt.lineno + 1
        if spent >= budget or any(line in used_lines for line in range(stmt.lineno, stmt.lineno + size)):
            continue
        pad = " " * stmt.col_offset
        new = pad + rng.choice(INSERTS).format(v=rng.choice(names)) + "\n"
        action = rng.choice(["insert", "delete", "change"])
        if action == "delete" and (len(block) < 2 or spent + size > budget):
            action = "insert"
        if action == "change" and spent + size > budget:
            action = "insert"
        if action == "insert":
            edits.append((stmt.lineno, 0, stmt.lineno, 0, new))
            spent += 1
        elif action == "delete":
            edits.append((stmt.lineno, 0, stmt.lineno + size, 0, ""))
            block.remove(stmt)
            spent += size
        else:
            edits.append((stmt.lineno, 0, stmt.lineno + size, 0, new))
            spent += size
        used_lines.update(range(stmt.lineno - 1, stmt.lineno + size + 1))
        if rng.random() < 0.5:
            break
    if not edits:
        return None
    del lines
    return apply_edits(text, edits)


def _compound(node: ast.stmt) -> bool:
    return any(isinstance(getattr(node, f, None), list) for f in ("body", "orelse", "finalbody", "handlers"))


def make_negative(function: Function, rng: random.Random, pools: tuple[list[str], list[str]]) -> str | None:
    tree = ast.parse(function.text)
    definition = tree.body[0]
    assert isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef)
    calls, literals = behaviour_sites(tree)
    total = len(calls) + len(literals)
    need = max(3, -(-total // 2))
    if total < 6:
        return None
    functions, methods = pools
    lines = function.text.splitlines(keepends=True)
    edits = []
    for site in rng.sample([*calls, *literals], k=total):
        if len(edits) >= need:
            break
        if isinstance(site, ast.Name):
            new = rng.choice([f for f in functions if f != site.id])
            edits.append((site.lineno, site.col_offset, site.lineno, site.end_col_offset or 0, new))
        elif isinstance(site, ast.Attribute):
            new = rng.choice([m for m in methods if m != site.attr])
            end = site.end_col_offset or 0
            edits.append(
                (
                    site.end_lineno or site.lineno,
                    end - len(site.attr.encode()),
                    site.end_lineno or site.lineno,
                    end,
                    new,
                )
            )
        elif isinstance(site, ast.Constant):
            edit = literal_edit(function.text, site, rng)
            if edit:
                edits.append(edit)
    if len(edits) < need:
        return None
    where = _name_position(lines, definition, definition.name, r"def\s+({})\b")
    if where:
        line, col = where
        edits.append((line, col, line, col + len(definition.name.encode()), definition.name + "_other"))
    return apply_edits(function.text, edits)


def call_pools(sources: dict[str, str]) -> tuple[list[str], list[str]]:
    functions: Counter[str] = Counter()
    methods: Counter[str] = Counter()
    for text in sources.values():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                functions[node.func.id] += 1
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                methods[node.func.attr] += 1
    return sorted(n for n, c in functions.items() if c >= 5), sorted(n for n, c in methods.items() if c >= 5)


# -- putting it together ----------------------------------------------------------------------------


def generate(out: Path) -> dict[str, object]:
    found = {p.relative_to(BASE).as_posix(): p for p in BASE.rglob("*.py")}
    # pre-commit's package is shared with the self_heal corpus: one copy in the repository.
    found.update({f"pre_commit/{p.relative_to(SHARED).as_posix()}": p for p in SHARED.rglob("*.py")})
    sources = {rel: found[rel].read_text(encoding="utf-8") for rel in sorted(found, key=PurePosixPath)}
    originals = find_originals(sources)
    rng = random.Random(SEED)
    rng.shuffle(originals)
    pools = call_pools(sources)
    makers = {"T1": make_t1, "T2c": make_t2c, "T2": make_t2, "T3": make_t3}
    plan = [kind for _ in range(max(PER_TYPE, NEGATIVES)) for kind in (*TYPES, "negative")]
    wanted = Counter({**dict.fromkeys(TYPES, PER_TYPE), "negative": NEGATIVES})
    hosts = sorted(sources)
    appended = dict.fromkeys(hosts, "")
    labels: list[dict[str, object]] = []
    pending = iter(originals)
    for kind in plan:
        if wanted[kind] == 0:
            continue
        for function in pending:
            copy = make_negative(function, rng, pools) if kind == "negative" else makers[kind](function, rng)
            if copy is None:
                continue
            ast.parse(copy)  # every copy is valid Python
            host = rng.choice(hosts)
            before = sources[host] + appended[host]
            if not before.endswith("\n"):
                before += "\n"
            start = before.count("\n") + 3
            appended[host] = before[len(sources[host]) :] + "\n\n" + copy
            end = start + copy.count("\n") - (0 if not copy.endswith("\n") else 1)
            labels.append(
                {
                    "id": len(labels) + 1,
                    "type": kind,
                    "original": {
                        "path": function.path,
                        "start_line": function.start,
                        "end_line": function.end,
                    },
                    "copy": {"path": host, "start_line": start, "end_line": end},
                }
            )
            wanted[kind] -= 1
            break
    if any(wanted.values()):
        raise SystemExit(f"not enough originals: still wanted {dict(wanted)}")
    if out.exists():
        shutil.rmtree(out)
    for path, text in sources.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + appended[path], encoding="utf-8")
        ast.parse(target.read_bytes())
    for licence in BASE.glob("*/LICENSE*"):
        shutil.copy(licence, out / licence.relative_to(BASE))
    shutil.copy(SHARED.parent / "LICENSE", out / "pre_commit" / "LICENSE")
    document = {"seed": SEED, "python": f"{sys.version_info[0]}.{sys.version_info[1]}", "pairs": labels}
    (out / "labels.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return document


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    document = generate(Path(argv[0]))
    if "--check" in argv:
        committed = json.loads(LABELS.read_text(encoding="utf-8"))
        if committed != document:
            print("labels differ from the committed labels.json", file=sys.stderr)
            return 1
    if "--update" in argv:
        LABELS.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
