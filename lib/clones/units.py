"""The statement table clone detection works on: every statement of every file, flattened, hashed.

A file becomes a pre-order list of *entries*: one per statement (a compound statement contributes its
header; its body follows one level deeper) plus one *marker* per ``else`` / ``except`` / ``finally`` /
``case`` clause. Each entry carries a hash of its own syntax that is blind to names, attribute names
and literals (equal hashes: the same shape; layout, comments and docstrings are invisible to ``ast``);
the names and literals themselves (*leaves*) are read only for candidates. Units (function and
class definitions, windows of sibling statements) are contiguous ranges of entries, so that comparing
two units is comparing two slices. Everything here iterates with explicit stacks: a file nested a
thousand levels deep must not hit Python's recursion limit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

STMT = 0  # a simple statement
COMPOUND = 1  # the header of a compound statement (def, class, if, for, with, try, match...)
MARKER = 2  # an else / except / finally / case clause
MIN_WORK = 2  # lines of real work (not imports, pass, field lists...) below which a range is trivial
DUNDER_WORK = 4  # lines of real work below which a dunder method is boilerplate

_SKIPPED_FIELDS = frozenset({"ctx", "type_comment", "kind"})
_BODY_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NAME = "$"  # the blind token of an identifier
_LITERAL = "#"  # the blind token of a literal
_NONE = "~"  # an absent optional child: keeps the serialisation unambiguous


@dataclass
class SourceFile:
    path: str  # repository-relative, with /
    tree: ast.Module


@dataclass
class Table:
    """Columns of every entry of every file (lists: a 100,000-line project has ~40,000 entries)."""

    files: list[SourceFile] = field(default_factory=list)
    file: list[int] = field(default_factory=list)
    node: list[Any] = field(default_factory=list)  # the statement, handler or match_case (marker: its clause)
    kind: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)  # first line (decorators included)
    end: list[int] = field(default_factory=list)  # last line of the whole subtree
    own: list[int] = field(default_factory=list)  # code lines that belong to this entry alone
    depth: list[int] = field(default_factory=list)
    block: list[int] = field(default_factory=list)  # the statement list it is in (-1: a marker)
    parent: list[int] = field(default_factory=list)  # the entry it is nested in (-1: top level)
    blind: list[int] = field(default_factory=list)
    key: list[int] = field(default_factory=list)  # blind hash + depth step from the previous entry
    trivial: list[bool] = field(default_factory=list)
    span_end: list[int] = field(default_factory=list)  # index just after the subtree
    file_end: list[int] = field(default_factory=list)  # index just after the file's last entry
    lines_before: list[int] = field(default_factory=list)  # prefix sums of ``own``
    blocks: int = 0  # statement lists numbered so far

    def __len__(self) -> int:
        return len(self.kind)

    def code_lines(self, a: int, b: int) -> int:
        return self.lines_before[b] - self.lines_before[a]

    def finish(self) -> None:
        total = 0
        sums = [0]
        for own in self.own:
            total += own
            sums.append(total)
        self.lines_before = sums


# -- hashing the syntax of one entry ----------------------------------------------------------------

_FIELD_CACHE: dict[type, tuple[str, ...]] = {}


def syntax_fields(cls: type) -> tuple[str, ...]:
    found = _FIELD_CACHE.get(cls)
    if found is None:
        names = getattr(cls, "_fields", ())
        body = _BODY_FIELDS if issubclass(cls, ast.stmt | ast.excepthandler | ast.match_case) else ()
        found = tuple(f for f in names if f not in _SKIPPED_FIELDS and f not in body)
        _FIELD_CACHE[cls] = found
    return found


def blind_hash(node: Any) -> int:
    """The shape of ``node`` without the statements it contains: names and literals become their kind."""
    return hash(tuple(blind_tokens(node)))


def blind_tokens(node: Any) -> list[Any]:
    """The tokens ``blind_hash`` hashes (compared one by one for a statement a T3 clone changed)."""
    tokens: list[Any] = []
    stack: list[Any] = [node]
    pop = stack.pop
    push = stack.append
    out = tokens.append
    name_cls, constant, attribute = ast.Name, ast.Constant, ast.Attribute
    while stack:
        item = pop()
        cls = item.__class__
        # The commonest nodes first, spelled out: this loop is most of the analysis time.
        if cls is name_cls:
            out(_NAME)
            continue
        if cls is constant:
            out(_LITERAL)
            continue
        if cls is attribute:
            out(cls)
            push(item.value)
            continue
        if item is None:
            out(_NONE)
            continue
        if cls is str:  # an identifier in a list field (Global.names, MatchClass.kwd_attrs)
            out(_NAME)
            continue
        out(cls)
        for name in syntax_fields(cls):
            value: Any = getattr(item, name, None)  # narrowed by class identity below (hot loop)
            vcls = value.__class__
            if vcls is str:
                out(_NAME)
            elif vcls is list:
                out(len(value))
                for child in reversed(value):
                    push(child)
            elif value is None:
                out(_NONE)
            elif vcls is int or vcls is bool:
                out(value)
            else:
                push(value)
    return tokens


# -- building the table -----------------------------------------------------------------------------


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):  # a loop: `a.b.c...` may be thousands long
        node = node.value
    return isinstance(node, ast.Name)


def _simple_value(node: ast.AST | None) -> bool:
    """A value a field list or a parameter copy holds: a name, a literal, an attribute, a plain call."""
    if node is None or isinstance(node, ast.Name | ast.Constant):
        return True
    if isinstance(node, ast.Attribute):
        return _dotted(node)
    if isinstance(node, ast.Call):
        arguments = [*node.args, *(k.value for k in node.keywords)]
        return isinstance(node.func, ast.Name | ast.Attribute) and all(
            isinstance(a, ast.Name | ast.Constant) or (isinstance(a, ast.Attribute) and _dotted(a))
            for a in arguments
        )
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.operand, ast.Constant)
    return False


def is_trivial(node: ast.AST, in_class: bool = False) -> bool:
    """Statements that repeat without being a clone: imports, ``pass``, field lists, ``__all__``...

    In a class body a call with plain arguments is a field declaration (``name = Column(String)``);
    in a function it is work.
    """
    if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass | ast.Global | ast.Nonlocal):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return True
        single = len(node.targets) == 1 and isinstance(node.targets[0], ast.Name | ast.Attribute)
        return single and _plain(node.value, in_class)
    if isinstance(node, ast.AnnAssign):
        return _plain(node.value, in_class)
    if isinstance(node, ast.Raise):
        return node.exc is None or isinstance(node.exc, ast.Name)
    if isinstance(node, ast.Return):
        return node.value is None or isinstance(node.value, ast.Name | ast.Constant)
    return False


def _plain(value: ast.AST | None, in_class: bool) -> bool:
    return _simple_value(value) and (in_class or not isinstance(value, ast.Call))


def _children(node: Any) -> list[tuple[str, Any]]:
    """The statement lists inside a compound statement, in source order, with their clause."""
    found: list[tuple[str, Any]] = []
    for name in getattr(node.__class__, "_fields", ()):
        if name not in _BODY_FIELDS:
            continue
        value = getattr(node, name, None)
        if not value:
            continue
        if name in ("handlers", "cases"):
            found.extend(("clause", clause) for clause in value)
        elif name == "body":
            found.append(("body", value))
        else:
            found.append((name, value))
    return found


class _Marker:
    """A synthetic node for ``else:`` and ``finally:``: a name for the clause, no syntax of its own."""

    __slots__ = ("body", "label", "lineno")

    def __init__(self, label: str, body: list[ast.stmt]) -> None:
        self.label = label
        self.body = body
        self.lineno = max(body[0].lineno - 1, 1)


_MARKER_HASHES: dict[str, int] = {}


def add_file(table: Table, source: SourceFile) -> None:
    """Append one parsed file's entries to ``table``."""
    file_index = len(table.files)
    table.files.append(source)
    first = len(table.kind)
    work: list[tuple[Any, ...]] = []

    def push_block(
        stmts: Sequence[ast.stmt], depth: int, docstring: bool, parent: int, in_class: bool = False
    ) -> None:
        items = list(stmts)
        if docstring and items and _is_docstring(items[0]):
            items = items[1:]
        table.blocks += 1
        block = table.blocks
        for stmt in reversed(items):
            work.append(("stmt", stmt, depth, block, in_class, parent))

    push_block(source.tree.body, 0, True, -1)
    previous_depth = 0
    while work:
        item = work.pop()
        if item[0] == "close":
            table.span_end[item[1]] = len(table.kind)
            continue
        _, node, depth, block, in_class, parent = item
        children: list[tuple[str, Any]]
        if isinstance(node, _Marker):
            kind, children = MARKER, [("body", node.body)]
            blind = _MARKER_HASHES.setdefault(node.label, hash(("else", node.label)))
            start = line = node.lineno
            stop = node.body[-1].end_lineno or line
        else:
            children = _children(node)
            kind = COMPOUND if children else STMT
            if isinstance(node, ast.excepthandler | ast.match_case):
                kind = MARKER
            blind = blind_hash(node)
            line = getattr(node, "lineno", None) or _first_line(node)
            decorators = getattr(node, "decorator_list", None)
            start = min([line, *(d.lineno for d in decorators)]) if decorators else line
            stop = getattr(node, "end_lineno", None) or _last_line(node, line)
        if children:
            first_child = children[0][1][0] if children[0][0] != "clause" else children[0][1]
            body_line = getattr(first_child, "lineno", None) or _first_line(first_child)
            own = max(body_line - start, 1)
        else:
            own = stop - start + 1
        index = len(table.kind)
        table.file.append(file_index)
        table.node.append(node)
        table.kind.append(kind)
        table.start.append(start)
        table.end.append(stop)
        table.own.append(own if kind != MARKER or not isinstance(node, _Marker) else 1)
        table.depth.append(depth)
        table.block.append(-1 if kind == MARKER else block)
        table.parent.append(parent)
        table.blind.append(blind)
        table.key.append(hash((blind, depth - previous_depth)))
        table.trivial.append(kind == STMT and is_trivial(node, in_class))
        table.span_end.append(index + 1)
        previous_depth = depth
        work.append(("close", index))
        docstring = isinstance(node, _DEFS)
        for label, value in reversed(children):
            if label == "body":
                push_block(value, depth + 1, docstring, index, isinstance(node, ast.ClassDef))
            elif label == "clause":
                work.append(("stmt", value, depth + 1, -1, False, index))
            else:
                work.append(("stmt", _Marker(label, value), depth + 1, -1, False, index))
    end = len(table.kind)
    table.file_end.extend([end] * (end - first))


def _first_line(node: Any) -> int:
    pattern = getattr(node, "pattern", None)
    return getattr(pattern, "lineno", 1)


def _last_line(node: Any, line: int) -> int:
    body = getattr(node, "body", None)
    if body:
        return body[-1].end_lineno or line
    return line


def is_def(table: Table, index: int) -> bool:
    return isinstance(table.node[index], _DEFS)


def is_class(table: Table, index: int) -> bool:
    return isinstance(table.node[index], ast.ClassDef)


def is_function(table: Table, index: int) -> bool:
    return isinstance(table.node[index], _FUNCTIONS)


def def_name(table: Table, index: int) -> str:
    return getattr(table.node[index], "name", "")


def sibling_runs(table: Table, a: int, b: int) -> Iterator[tuple[int, int]]:
    """Maximal runs of complete sibling subtrees inside entries [a, b), outermost first."""
    i = a
    while i < b:
        if table.kind[i] == MARKER or table.span_end[i] > b:
            i += 1  # a clause, or a statement that ends outside the range: look inside it
            continue
        run_start = i
        block = table.block[i]
        while i < b and table.block[i] == block and table.kind[i] != MARKER and table.span_end[i] <= b:
            i = table.span_end[i]
        yield run_start, i


def substantial_lines(table: Table, a: int, b: int) -> int:
    """Code lines of [a, b) that are neither trivial statements nor def / class / clause headers."""
    total = 0
    for i in range(a, b):
        work = table.kind[i] == STMT and not table.trivial[i]
        if work or (table.kind[i] == COMPOUND and not is_def(table, i)):
            total += table.own[i]
    return total


def is_trivial_range(table: Table, a: int, b: int, min_lines: int) -> bool:
    """Import blocks, lone signatures, ``pass`` bodies, field lists and dunder boilerplate."""
    substance = substantial_lines(table, a, b)
    if substance < MIN_WORK:
        return True
    if table.span_end[a] == b and is_function(table, a):
        name = def_name(table, a)
        # `__init__` copying its parameters, `__eq__` comparing fields: a few lines of work at most.
        if name.startswith("__") and name.endswith("__") and substance < DUNDER_WORK:
            return True
    return False
