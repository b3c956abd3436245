"""What the items of a container another module declares are (ast): ``p.conns`` where ``conns`` is a
property annotated ``-> ValuesView[Connection]``, ``p.conn[k]`` where ``__init__`` sets ``self.conn =
{CLIENT: Connection(CLIENT), ...}``, what unpacking a call of ``def make() -> tuple[A, B]`` gives.

Each answer is the qualified types an item may be, or None when a declaration does not say. A literal
is read only when the class never fills it afterwards (``self.conn[k] = ...``, ``.append(...)``,
``.update(...)`` in any of its methods): a later item could be of any type.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.container_items import ITER, Read, ast_shape, items
from hookwright.refactor.symbol_facts import FileFacts, class_members, dotted_ast
from hookwright.refactor.symbol_types import (
    METHODS,
    annotation,
    bound_value,
    class_declarations,
    is_property,
    value,
)

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

_ADDING = {"append", "add", "appendleft"}  # self.attr.append(x): x is an item
_FILLING = {"extend", "update", "setdefault", "__setitem__", "insert"}  # items we do not read


def member_items(index: Index, cls: str, attr: str, read: Read, then: Read | None = None) -> list[str] | None:
    """What ``read`` gives from ``x.attr`` on an instance of ``cls`` (a property or an attribute); with
    ``then``, what that gives from each item (``x.transitions[k]`` iterated), by annotations only."""
    from hookwright.refactor.stub_declarations import stub_attribute
    from hookwright.refactor.symbol_index import ancestors

    for owner in [cls, *sorted(ancestors(index, cls))]:
        located = index.located(owner)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        member = (class_members(statement) or {}).get(attr)
        if isinstance(member, METHODS):
            return annotated_items(facts, member.returns, read, then) if is_property(member) else None
        found = class_declarations(statement, attr)
        stub = stub_attribute(index, owner, attr)  # conditions: List[Condition] in the module's .pyi
        if not found and stub is None:
            continue
        if then is None:
            answers = [_bound_items(index, facts, node, attr, params, read) for node, params, _ in found]
            answers.append(_added(index, (facts, owner), statement, attr, read))
        else:  # the items of items: only an annotation says them
            answers = [_annotated(facts, node, read, then) for node, _, _ in found]
        said = None if any(a is None for a in answers) else sorted({n for a in answers for n in a or ()})
        if not said and stub is not None:  # only empty literals, or what the module does is not read
            return annotated_items(stub[0], stub[1], read, then)
        return said or None
    return None


def returned_items(index: Index, function: str, read: Read) -> list[str] | None:
    """What ``read`` gives from calling ``function``, by its return annotation."""
    from hookwright.refactor.stub_declarations import stub_returns

    located = index.located(function)
    if located is None or not isinstance(located[1], METHODS):
        return None
    stub = stub_returns(index, function) if located[1].returns is None else None
    if stub is not None:
        return annotated_items(stub[0], stub[1], read)
    return annotated_items(located[0], located[1].returns, read)


def iteration_items(index: Index, cls: str, asynchronous: bool) -> list[str] | None:
    """What ``for x in obj`` (``async for``) gives on an instance of ``cls``: the items its ``__iter__``
    (``__aiter__``) is annotated to give (``-> Iterator[X]``), or, when it returns an iterator object
    (``-> Self``, ``-> "AsyncRetrying"``), what that object's ``__next__`` (``__anext__``) returns."""
    from hookwright.refactor.symbol_index import located_member, returned
    from hookwright.refactor.symbol_types import runtime_name

    first, then = ("__aiter__", "__anext__") if asynchronous else ("__iter__", "__next__")
    located = located_member(index, f"{cls}.{first}")
    if located is None or not isinstance(located[1], METHODS) or located[1].returns is None:
        return None
    said = annotated_items(located[0], located[1].returns, ITER)
    if said is not None:
        return said
    iterators = returned(index, f"{cls}.{first}")
    if not iterators or not all(index.is_class(name) for name in iterators):
        return None
    found = [returned(index, f"{name}.{then}") for name in sorted(iterators)]
    return None if any(not f for f in found) else sorted({runtime_name(n) for f in found for n in f or ()})


def subscript_gives(index: Index, cls: str, keys: list[str] | None) -> list[str] | None:
    """What ``obj[key]`` gives on an instance of ``cls``, by its ``__getitem__`` (or the first base's):
    its return annotation; of ``@overload``-ed signatures, for each key the code states (a string
    literal, a loop over literal strings) the first whose key parameter takes it (``Literal[...]``
    naming it, ``str``, or none said), and for a key not stated the returns of every overload."""
    from hookwright.refactor.symbol_index import OVERLOAD, ancestors

    for owner in [cls, *sorted(ancestors(index, cls))]:
        located = index.located(owner)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        defined = [m for m in statement.body if isinstance(m, METHODS) and m.name == "__getitem__"]
        if not defined:
            continue
        overloads = [m for m in defined if any(dotted_ast(d) in OVERLOAD for d in m.decorator_list)]
        chosen: list[ast.FunctionDef | ast.AsyncFunctionDef | None] = [*overloads] if keys is None else []
        if not overloads:
            chosen = [defined[-1]]
        elif keys is not None:
            chosen = [next((m for m in overloads if _takes(facts, m, key)), None) for key in keys]
        answers = [annotation(facts, m.returns) if m is not None else None for m in chosen]
        return None if any(not a for a in answers) else sorted({n for a in answers for n in a or ()})
    return None


def _takes(facts: FileFacts, method: ast.FunctionDef | ast.AsyncFunctionDef, key: str) -> bool:
    """An overload's key parameter takes the string ``key``: ``Literal["key", ...]``, ``str``, or unsaid."""
    arguments = [*method.args.posonlyargs, *method.args.args]
    said = arguments[1].annotation if len(arguments) == 2 else None
    if said is None:
        return len(arguments) == 2
    if isinstance(said, ast.Subscript) and ast.unparse(said.value).rsplit(".", 1)[-1] == "Literal":
        given = said.slice.elts if isinstance(said.slice, ast.Tuple) else [said.slice]
        return any(isinstance(g, ast.Constant) and g.value == key for g in given)
    return annotation(facts, said) in (["builtins.str"], ["typing.Any"], ["builtins.object"])


def annotated_items(
    facts: FileFacts, node: ast.expr | None, read: Read, then: Read | None = None
) -> list[str] | None:
    found = items(node, read, ast_shape) if node is not None else None
    if then is not None and found is not None:  # DefaultDict[str, List[T]]: an item's items are Ts
        nested = [items(element, then, ast_shape) for element in found]
        found = None if any(n is None for n in nested) else [x for n in nested for x in n or ()]
    names = [annotation(facts, element) for element in found or ()]
    if not names or any(n is None for n in names):
        return None  # nothing said, or only None: no item to judge by
    return sorted({name for n in names for name in n or ()}) or None


def _annotated(facts: FileFacts, node: ast.stmt, read: Read, then: Read) -> list[str] | None:
    return annotated_items(facts, node.annotation, read, then) if isinstance(node, ast.AnnAssign) else None


def _bound_items(
    index: Index, facts: FileFacts, node: ast.stmt, attr: str, params: dict[str, ast.arg], read: Read
) -> list[str] | None:
    if isinstance(node, ast.AnnAssign):
        return annotated_items(facts, node.annotation, read)
    stored = bound_value(node, attr) if isinstance(node, ast.Assign) else None
    return _stored_items(index, facts, stored, params, read) if stored is not None else None


def _stored_items(
    index: Index, facts: FileFacts, stored: ast.expr, params: dict[str, ast.arg], read: Read
) -> list[str] | None:
    """The items of a stored value: a literal's, an annotated parameter's (``errors[:]`` too), either
    branch of ``a if c else b``; an empty literal has none (what is added later is read apart)."""
    if isinstance(stored, ast.IfExp):
        branches = [_stored_items(index, facts, b, params, read) for b in (stored.body, stored.orelse)]
        return None if any(b is None for b in branches) else [n for b in branches for n in b or ()]
    if isinstance(stored, ast.Subscript) and isinstance(stored.slice, ast.Slice):
        stored = stored.value  # a copy: the same items
    if isinstance(stored, ast.Name) and stored.id in params:
        return annotated_items(facts, params[stored.id].annotation, read)
    chosen = _literal_items(stored, read)
    if chosen is None:
        return None
    answers = [value(index, facts, element, params) for element in chosen]
    return None if any(a is None for a in answers) else [n for a in answers for n in a or ()]


def _literal_items(node: ast.expr, read: Read) -> list[ast.expr] | None:
    if isinstance(node, ast.Dict) and all(key is not None for key in node.keys):  # no {**other}
        keys = [key for key in node.keys if key is not None]
        if read.how == "items" and read.size == 2:
            return keys if read.position == 0 else node.values
        if read.how in ("iter", "keys"):
            return keys
        return node.values if read.how in ("item", "values") else None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)) and not any(
        isinstance(e, ast.Starred) for e in node.elts
    ):
        if read.how == "unpack" and isinstance(node, ast.Tuple):
            return [node.elts[read.position]] if len(node.elts) == read.size else None
        indexed = read.how == "item" and not isinstance(node, ast.Set)
        return node.elts if read.how == "iter" or indexed else None
    if isinstance(node, (ast.ListComp, ast.SetComp)) and isinstance(node.elt, ast.Call):
        # [Condition(c) for c in specs]: each item is what the call makes, unless the loop binds the callee
        bound = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        called = {n.id for n in ast.walk(node.elt.func) if isinstance(n, ast.Name)}
        indexed = read.how == "item" and isinstance(node, ast.ListComp)
        return [node.elt] if (read.how == "iter" or indexed) and not called & bound else None
    return None


def _added(
    index: Index, where: tuple[FileFacts, str], cls: ast.ClassDef, attr: str, read: Read
) -> list[str] | None:
    """What the class's methods put into ``self.attr``: ``self.attr.append(x)`` adds an x, ``extend``
    of a list literal its elements; a store by key (``self.attr[k] = v``), ``extend`` of anything
    else, ``update``, ``del`` are not read, and make it unknown."""
    facts, owner = where
    found: list[str] = []
    for method in (m for m in cls.body if isinstance(m, METHODS)):
        params = {a.arg: a for a in (*method.args.posonlyargs, *method.args.args, *method.args.kwonlyargs)}
        for node in ast.walk(method):
            if (
                isinstance(node, ast.Subscript)
                and not isinstance(node.ctx, ast.Load)
                and _is_attr(node.value, attr)
            ):
                return None
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if not _is_attr(node.func.value, attr):
                continue
            adding = node.func.attr in _ADDING or _extends_by_literal(node)
            if not adding or read.how not in ("iter", "item") or len(node.args) != 1:
                if adding or node.func.attr in _FILLING:
                    return None
                continue
            given = node.args[0]
            for element in given.elts if isinstance(given, (ast.List, ast.Tuple)) else [given]:
                added = _made(index, facts, (owner, method), element, params)
                if added is None:
                    return None
                found += added
    return found


def _extends_by_literal(call: ast.Call) -> bool:
    """``self.items.extend([A(), B()])``: its elements are the items added."""
    given = call.args[0] if len(call.args) == 1 and not call.keywords else None
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "extend"
        and isinstance(given, (ast.List, ast.Tuple))
        and not any(isinstance(e, ast.Starred) for e in given.elts)
    )


def _made(
    index: Index, facts: FileFacts, where: tuple[str, ast.AST], node: ast.expr, params: dict[str, ast.arg]
) -> list[str] | None:
    """An added value as a declaration reads it, else as a return would be read: ``self.condition_cls(c)``
    where the class attribute ``condition_cls = Condition`` (each subclass's value counted)."""
    from hookwright.refactor.return_inference import _Function

    found = value(index, facts, node, params)
    owner, method = where
    if found is None and isinstance(method, ast.FunctionDef) and isinstance(node, ast.Call):
        types = _Function(index, facts, method, owner).expression(node, 0, set())
        found = sorted(types) if types else None
    return found


def _is_attr(node: ast.expr, attr: str) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Name)
