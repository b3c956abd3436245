"""Anti-unification: a clone class becomes one template whose holes are the places its members differ.

The first member is the model. Its statements are aligned with every other member's, list by list
(statements that do not line up in every member become one *block* hole); in the statements that
line up, every differing name or literal becomes a hole, and an f-string that differs anywhere
becomes one *code* hole. The model, with placeholders in the holes, is unparsed; the placeholders
become ``{{ variable | filters }}`` (hole_variables). The template is kept only when rendering it
with each member's bindings gives that member's syntax tree exactly: checked here, never assumed.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hookwright.clones.arguments import arguments
from hookwright.clones.hole_variables import Hole, Variable, assign
from hookwright.clones.units import blind_hash, syntax_fields

_HOLE = "hwHOLE{}x"
_BLOCK = "hwBLOCK{}x"
_HOLE_RE = re.compile(r"hwHOLE(\d+)x")
_BLOCK_RE = re.compile(r"^([ \t]*)hwBLOCK(\d+)x\n", re.MULTILINE)
_ESCAPE_RE = re.compile(r"\{(?=[{%#])")
_STATEMENT_LISTS = ("body", "orelse", "finalbody", "handlers", "cases")
INDENT = "    "  # what ast.unparse writes
# Caps: a template that is mostly holes is no template.
MAX_HOLE_SHARE = 0.5
MAX_BLOCK_SHARE = 0.5
MIN_VARIABLE_CAP = 4  # variables allowed however short the fragment; else one per two lines


class Decline(Exception):
    """This class does not make a template (the reason is the message)."""

    def __init__(self, message: str, holes: int = 0, arguments: int | None = None) -> None:
        super().__init__(message)
        self.holes = holes
        self.arguments = holes if arguments is None else arguments


@dataclass
class Template:
    text: str  # jinja source
    variables: list[Variable]
    bindings: list[dict[str, Any]]  # each member's variables, in member order
    compiles: bool  # the rendered fragment compiles as a module on its own
    braces: bool  # the rendered code itself holds {{, {% or {#
    arguments: int = 0  # the variables a call would pass (not the names the fragment binds)

    @property
    def holes(self) -> int:
        return len(self.variables)


@dataclass
class _Builder:
    members: Sequence[Sequence[ast.stmt]]
    holes: list[Hole] = field(default_factory=list)
    blocks: dict[int, list[list[ast.stmt]]] = field(default_factory=dict)
    undo: list[tuple[Any, str, int | None, Any]] = field(default_factory=list)
    leaves: int = 0
    hole_places: int = 0

    def _set(self, owner: Any, name: str, index: int | None, value: Any) -> None:
        current = getattr(owner, name)
        if index is None:
            self.undo.append((owner, name, None, current))
            setattr(owner, name, value)
        else:
            self.undo.append((owner, name, index, current[index]))
            current[index] = value

    def restore(self) -> None:
        for owner, name, index, value in reversed(self.undo):
            if index is None:
                setattr(owner, name, value)
            else:
                getattr(owner, name)[index] = value
        self.undo.clear()

    def _hole(self, kind: str, values: list[Any], role: str = "") -> str:
        self.holes.append(Hole(kind, values, role))
        self.hole_places += 1
        return _HOLE.format(len(self.holes) - 1)

    # -- statement lists ---------------------------------------------------------------------------

    def build(self) -> ast.Module:
        model = ast.Module(body=list(self.members[0]), type_ignores=[])
        work: list[tuple[Any, str, list[list[Any]]]] = [(model, "body", [list(m) for m in self.members[1:]])]
        while work:
            owner, name, others = work.pop()
            for node, peers in self._align(owner, name, others):
                self._unify_header(node, peers)
                for child in _STATEMENT_LISTS:
                    if isinstance(getattr(node, child, None), list):
                        work.append((node, child, [getattr(p, child) for p in peers]))
        return model

    def _align(self, owner: Any, name: str, others: list[list[Any]]) -> list[tuple[Any, list[Any]]]:
        model: list[Any] = getattr(owner, name)
        keys = [_key(n) for n in model]
        maps: list[dict[int, int]] = []
        for other in others:
            matcher = difflib.SequenceMatcher(None, keys, [_key(n) for n in other], autojunk=False)
            maps.append({b.a + k: b.b + k for b in matcher.get_matching_blocks() for k in range(b.size)})
        common = [i for i in range(len(model)) if all(i in m for m in maps)]
        clauses = name in ("handlers", "cases")
        rebuilt: list[Any] = []
        pairs: list[tuple[Any, list[Any]]] = []
        previous = [-1] * (len(others) + 1)
        for i in [*common, len(model)]:
            here = [i, *(m[i] if i < len(model) else len(o) for m, o in zip(maps, others, strict=True))]
            lists = [model, *others]
            gaps = [list(lst[previous[j] + 1 : here[j]]) for j, lst in enumerate(lists)]
            if any(gaps):
                if clauses:
                    raise Decline("except / case clauses differ")
                rebuilt.append(self._block(gaps))
            if i < len(model):
                rebuilt.append(model[i])
                pairs.append((model[i], [o[here[j + 1]] for j, o in enumerate(others)]))
            previous = here
        if rebuilt != model:
            self._set(owner, name, None, rebuilt)
        return pairs

    def _block(self, gaps: list[list[ast.stmt]]) -> ast.stmt:
        number = len(self.blocks)
        self.blocks[number] = gaps
        return ast.Expr(value=ast.Name(id=_BLOCK.format(number), ctx=ast.Load()))

    # -- names and literals ------------------------------------------------------------------------

    def _unify_header(self, node: Any, peers: list[Any]) -> None:
        stack: list[tuple[Any, list[Any]]] = [(node, peers)]
        while stack:
            item, others = stack.pop()
            for name in syntax_fields(item.__class__):
                value = getattr(item, name, None)
                values: list[Any] = [getattr(o, name, None) for o in others]
                if isinstance(value, list):
                    for index, child in enumerate(value):
                        self._child(item, name, index, child, [v[index] for v in values], stack)
                else:
                    self._child(item, name, None, value, values, stack)

    def _child(
        self, owner: Any, name: str, index: int | None, value: Any, others: list[Any], stack: list[Any]
    ) -> None:
        if isinstance(value, str):
            self.leaves += 1
            if any(o != value for o in others):
                self._set(owner, name, index, self._hole("ident", [value, *others], owner.__class__.__name__))
        elif isinstance(value, ast.Constant):
            self.leaves += 1
            values = [value.value, *(o.value for o in others)]
            if any(type(v) is not type(values[0]) or v != values[0] for v in values):
                placeholder = self._literal(values)
                self._set(owner, name, index, ast.Name(id=placeholder, ctx=ast.Load()))
        elif isinstance(value, ast.JoinedStr):
            self.leaves += 1
            model = ast.dump(value)
            if any(ast.dump(o) != model for o in others):
                placeholder = self._hole("code", [ast.unparse(n) for n in (value, *others)])
                self._set(owner, name, index, ast.Name(id=placeholder, ctx=ast.Load()))
        elif isinstance(value, ast.AST):
            stack.append((value, others))

    def _literal(self, values: list[Any]) -> str:
        if all(_json_literal(v) for v in values):
            return self._hole("literal", values)
        return self._hole("code", [_source_literal(v) for v in values])


def _key(node: Any) -> tuple[type, int]:
    return node.__class__, blind_hash(node)


def _json_literal(value: Any) -> bool:
    if value is None or isinstance(value, bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate cannot be written to YAML
            return False
        return True
    return False


def _source_literal(value: Any) -> str:
    return "..." if value is Ellipsis else repr(value)


def unparse_at(statements: Sequence[ast.stmt], levels: int) -> str:
    """Statements as source indented ``levels`` deep (wrapping keeps docstrings byte-exact)."""
    if not statements:
        return ""
    body: list[ast.stmt] = list(statements)
    for _ in range(levels):
        body = [ast.If(test=ast.Constant(value=True), body=body, orelse=[])]
    text = ast.unparse(ast.Module(body=body, type_ignores=[]))
    return "".join(line + "\n" for line in text.split("\n")[levels:])


def _dump(statements: Sequence[ast.stmt]) -> str:
    return ast.dump(ast.Module(body=list(statements), type_ignores=[]))


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub('{{ "{" }}', text)


def generalise(
    members: Sequence[Sequence[ast.stmt]], lines: int, render: Callable[[str, dict[str, Any]], str]
) -> Template:
    """The template of a clone class (``members``: each member's statements, the model first).

    ``render(template_text, variables)`` is the template engine; Decline says why there is none.
    """
    builder = _Builder(members)
    try:
        try:
            model = builder.build()
            text = ast.unparse(model)
        finally:
            builder.restore()
        expected = [_dump(m) for m in members]
    except RecursionError:
        raise Decline("nested too deeply to write as a template") from None
    if _HOLE_RE.search(ast.unparse(ast.Module(body=list(members[0]), type_ignores=[]))):
        raise Decline("the code itself uses the template's placeholder names")
    text = _escape(text + "\n")
    block_texts: dict[int, list[str]] = {}

    def block(match: re.Match[str]) -> str:
        number = int(match.group(2))
        levels = len(match.group(1)) // len(INDENT)
        block_texts[number] = [unparse_at(g, levels) for g in builder.blocks[number]]
        return _HOLE.format(len(builder.holes) + number)

    text = _BLOCK_RE.sub(block, text)
    holes = list(builder.holes)
    for number in range(len(builder.blocks)):
        if number not in block_texts:
            raise Decline("a block of differing statements has no place of its own")
        holes.append(Hole("block", block_texts[number]))
    variables, uses = assign(holes)
    passed = arguments(variables, members)
    try:
        _check_caps(builder, holes, len(variables), lines, [_line_span(m) for m in members])
    except Decline as exc:
        raise Decline(str(exc), exc.holes, passed) from None
    text = _HOLE_RE.sub(lambda m: uses[int(m.group(1))].expression(), text)
    bindings = [{v.name: v.values[i] for v in variables} for i in range(len(members))]
    rendered = ""
    for i, (context, want) in enumerate(zip(bindings, expected, strict=True)):
        out = render(text, context)
        try:
            got = _dump(ast.parse(out).body)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            raise Decline(f"rendering member {i + 1} does not parse") from None
        if got != want:
            raise Decline(f"rendering member {i + 1} does not reproduce it")
        rendered = rendered or out
    try:
        compile(rendered, "<fragment>", "exec", dont_inherit=True)
        compiles = True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        compiles = False  # e.g. a window with `return` in it: valid only inside its function
    braces = any(mark in rendered for mark in ("{{", "{%", "{#"))
    return Template(text, variables, bindings, compiles, braces, passed)


def _check_caps(
    builder: _Builder, holes: list[Hole], count: int, lines: int, member_lines: Sequence[int]
) -> None:
    places = builder.hole_places
    if places > MAX_HOLE_SHARE * max(builder.leaves, 1):
        raise Decline(f"mostly holes ({places} of {builder.leaves} names and literals differ)", count)
    # Per member: the lines of the statements its blocks hold against the lines of all its
    # statements, so the message never says that more lines differ than the member has.
    for member, size in enumerate(member_lines):
        differ = min(sum(_line_span(gaps[member]) for gaps in builder.blocks.values()), size)
        if differ > MAX_BLOCK_SHARE * max(size, 1):
            # A share: the class is listed with its code lines, these are lines of source.
            raise Decline(f"mostly holes ({differ / max(size, 1):.0%} of a member's lines differ)", count)
    if count > max(MIN_VARIABLE_CAP, lines // 2):
        raise Decline(f"too many variables ({count}) for {lines} lines", count)


def _line_span(statements: Sequence[ast.stmt]) -> int:
    """Source lines the statements cover (decorators included)."""
    total = 0
    for node in statements:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        total += (node.end_lineno or node.lineno) - first + 1
    return total
