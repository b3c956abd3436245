"""Members a class finds by a name it builds at run time: ``getattr(self, 'visit_' + kind)``.

jmespath's ``Visitor.visit`` calls ``getattr(self, 'visit_%s' % node['type'])``: no line names
``visit_field``, yet renaming it breaks every search. A rename of a member whose name starts with the
literal part of such a name, looked up on ``self`` or ``cls`` (or a local bound to them, semver's
``version = self``) in the family or a base, is refused. So is one whose name the project writes as a
string while the family looks members up on ``self`` by a name it is given (mistune's renderers find
``emphasis`` through ``token['type']``, and the inline parser makes ``{'type': 'emphasis'}``).
A name cased at run time counts too: pyflakes' ``getattr(self, node_class.__name__.upper())``
(through a local bound once) finds every upper-case member, ``GLOBAL`` among them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

LOOKUPS = frozenset({"getattr", "hasattr", "object.__getattribute__"})
_SELVES = ("self", "cls")


def literal_prefix(key: ast.expr) -> str | None:
    """The text a string built at run time starts with: 'visit_' + x, 'visit_%s' % x, f'visit_{x}'."""
    if isinstance(key, ast.BinOp) and isinstance(key.left, ast.Constant) and isinstance(key.left.value, str):
        if isinstance(key.op, ast.Add):
            return key.left.value
        if isinstance(key.op, ast.Mod):
            return key.left.value.split("%", 1)[0]
    if isinstance(key, ast.JoinedStr) and key.values and isinstance(key.values[0], ast.Constant):
        first = key.values[0].value
        return first if isinstance(first, str) else None
    if (
        isinstance(key, ast.Call)
        and isinstance(key.func, ast.Attribute)
        and key.func.attr == "format"
        and isinstance(key.func.value, ast.Constant)
        and isinstance(key.func.value.value, str)
    ):
        return key.func.value.value.split("{", 1)[0]
    return None


def built_lookups(classes: Iterable[tuple[str, Any]], name: str) -> list[tuple[str, int]]:
    """(class, line) of each ``getattr(self, KEY)`` in ``classes`` whose built KEY can be ``name``:
    its literal PREFIX begins ``name``, or it is a text upper-cased at run time and ``name`` is."""
    found = []
    for qualified, written, line, function, _ in _self_lookups(classes):
        key = _assigned_once(written, function)
        prefix = literal_prefix(key)
        if (prefix and name.startswith(prefix) and prefix != name) or _case_fits(key, name):
            found.append((qualified, line))
    return found


def _case_fits(key: ast.expr, name: str) -> bool:
    """pyflakes' ``getattr(self, node_class.__name__.upper())`` finds GLOBAL, NAME, ...: every
    upper-case member; ``.lower()`` every lower-case one (a name with letters of one case only)."""
    if not (isinstance(key, ast.Call) and isinstance(key.func, ast.Attribute) and not key.args):
        return False
    if key.func.attr == "upper":
        return name.isupper()
    if key.func.attr == "lower":
        return name.islower()
    return False


def _assigned_once(key: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr:
    """A local key stands for what the function binds it to, when it binds it once only."""
    if not isinstance(key, ast.Name):
        return key
    stores = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and node.id == key.id and isinstance(node.ctx, ast.Store)
    ]
    bound = [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.targets[0] in stores
    ]
    return bound[0] if len(stores) == 1 and len(bound) == 1 else key


def given_lookups(classes: Iterable[tuple[str, Any]]) -> list[tuple[str, int]]:
    """(class, line) of each ``getattr(self, name)`` whose name a caller hands in (a parameter) or a
    record holds (``token['type']``). A name drawn from a collection (``for attr in self.__attrs__``)
    or only tested (``hasattr``) is not one: the collection says which names it can be."""
    return [
        (qualified, line)
        for qualified, key, line, function, how in _self_lookups(classes)
        if how != "hasattr" and (isinstance(key, ast.Subscript) or _is_parameter(key, function))
    ]


def _is_parameter(key: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = function.args
    named = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    return isinstance(key, ast.Name) and key.id in named


Lookup = tuple[str, ast.expr, int, "ast.FunctionDef | ast.AsyncFunctionDef", str]  # class, key, line, in, how


def _self_lookups(classes: Iterable[tuple[str, Any]]) -> Iterator[Lookup]:
    for qualified, statement in classes:
        for function in ast.walk(statement):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            selves = {*_SELVES, *_aliases(function)}
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and ast.unparse(node.func) in LOOKUPS
                    and len(node.args) >= 2
                    and isinstance(node.args[0], ast.Name)
                    and node.args[0].id in selves
                ):
                    yield qualified, node.args[1], node.lineno, function, ast.unparse(node.func)


def _aliases(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Locals bound to ``self`` / ``cls`` / ``type(self)``: ``version = self``, ``cls = type(self)``."""
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "type" and len(value.args) == 1:
                value = value.args[0]
            if isinstance(value, ast.Name) and value.id in _SELVES:
                found.add(node.targets[0].id)
    return found


def written_as_a_string(index: Index, name: str) -> str | None:
    """The first place (path:line) the project writes ``name`` as a whole string, if any."""
    for path in index.containing(name):
        tree = index.parsed(path)
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Constant) and node.value == name:
                return f"{path}:{node.lineno}"
    return None
