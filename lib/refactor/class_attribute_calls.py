"""What ``self.Cache(...)`` makes when ``Cache`` is a class attribute each subclass sets to a class.

A test mixin writes ``cache = self.Cache(maxsize=2)`` and declares ``Cache = None``; every test class
deriving from it says which class it tests (``Cache = LRUCache``). The call makes an instance of one
of the classes the mixin and its subclasses set the attribute to. We answer only when every such
assignment in the repository names a class (``None`` adds nothing: calling it would fail) and no
method rebinds ``self.Cache``; one other value and the answer is None (not known).
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING, Any

from hookwright.refactor.symbol_facts import class_members
from hookwright.refactor.symbol_types import CLASS_OF

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index


def classes_called(index: Index, owner: str, attr: str) -> set[str] | None:
    """The classes ``owner().attr`` may be in ``owner`` or any subclass of it in the repository."""
    found: set[str] = set()
    for cls in sorted(index.subclasses({owner})):
        located = index.located(cls)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        facts, statement = located
        if _rebinds_on_self(statement, attr):
            return None
        member = (class_members(statement) or {}).get(attr)
        if member is None:
            continue  # inherits it
        if not isinstance(member, ast.Assign) or len(member.targets) != 1:
            return None
        named = _class_named(index, facts, member.value)
        if named is None:
            return None
        found |= named
    return found or None


def classes_stored(index: Index, owner: str, attr: str) -> set[str] | None:
    """The classes ``self.attr(...)`` makes when the methods of ``owner``, its bases and its subclasses
    store only classes in ``self.attr``: a parameter annotated ``type[E]`` (tenacity's
    ``self.retry_error_cls = retry_error_cls``), ``self.attr: type[E] = ...`` or a class by name. An
    instance of E or of a subclass, judged as ``x: E`` is; None when one binding says something else,
    the class body binds it (classes_called) or a class found has a ``__new__`` of its own."""
    from hookwright.refactor.forwarding_classes import makes_its_own
    from hookwright.refactor.symbol_index import ancestors
    from hookwright.refactor.symbol_types import class_declarations

    found: set[str] = set()
    for cls in sorted(ancestors(index, owner) | index.subclasses({owner})):
        located = index.located(cls)
        if located is None or not isinstance(located[1], ast.ClassDef):
            continue
        if attr in (class_members(located[1]) or {}):  # a method, or a class attribute: not stored
            return None
        for statement, params, _ in class_declarations(located[1], attr):
            named = _stored_class(index, located[0], statement, attr, params)
            if named is None:
                return None
            found |= named
    if not found or any(makes_its_own(index, cls) for cls in found):
        return None
    return found


def _stored_class(
    index: Index, facts: FileFacts, statement: ast.stmt, attr: str, params: dict[str, ast.arg]
) -> set[str] | None:
    from hookwright.refactor.symbol_types import bound_value

    if isinstance(statement, ast.AnnAssign):
        return _class_of_type(index, facts, statement.annotation)
    stored = bound_value(statement, attr) if isinstance(statement, ast.Assign) else None
    if isinstance(stored, ast.Name) and stored.id in params:
        return _class_of_type(index, facts, params[stored.id].annotation)
    return _class_named(index, facts, stored) if stored is not None else None


def _class_of_type(index: Index, facts: FileFacts, annotation: ast.expr | None) -> set[str] | None:
    """``type[E]`` / ``Type["E"]``: the class E; None for any other annotation."""
    if not isinstance(annotation, ast.Subscript):
        return None
    head = ast.unparse(annotation.value)
    if (facts.resolve(head) or f"builtins.{head}") not in CLASS_OF:
        return None
    inner = annotation.slice
    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
        try:
            inner = ast.parse(inner.value, mode="eval").body
        except SyntaxError:
            return None
    named = _class_named(index, facts, inner)
    return named or None


def attribute_of_family(sites: FileSites, base: Any) -> bool:
    """``class DefaultCache(self.Cache)`` in a method: every class ``Cache`` is set to is of the family."""
    if type(base).__name__ != "Attribute" or sites.target.types is None:
        return False
    owner = sites.self_class(base.value)
    classes = sites.target.types.returns(f"{owner}.{base.attr.value}") if owner else None
    return bool(classes) and classes <= sites.target.family  # type: ignore[operator]


def _class_named(index: Index, facts: FileFacts, node: ast.expr) -> set[str] | None:
    """``LRUCache`` / ``cachetools.Cache`` when it names a class; ``None`` -> the empty set."""
    from hookwright.refactor.receiver_types import is_stdlib_class

    if isinstance(node, ast.Constant) and node.value is None:
        return set()
    if not isinstance(node, (ast.Name, ast.Attribute)):
        return None
    dotted = ast.unparse(node)
    name = facts.resolve(dotted) or (f"builtins.{dotted}" if hasattr(builtins, dotted) else None)
    if name is None:
        return None
    if index.is_class(name) or (
        name.startswith("builtins.") and isinstance(getattr(builtins, name[9:]), type)
    ):
        return {name}
    return {name} if index.is_class(name) is None and is_stdlib_class(name) else None


def _rebinds_on_self(cls: ast.ClassDef, attr: str) -> bool:
    """A method stores ``x.attr = ...`` (``self.Cache = ...``): the class attribute is not the answer."""
    return any(
        isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Store)
        for node in ast.walk(cls)
    )
