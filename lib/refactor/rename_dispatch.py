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
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from hookwright.refactor.built_names import bound_once, closed_texts, parts

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

LOOKUPS = frozenset({"getattr", "hasattr", "object.__getattribute__"})
_SELVES = ("self", "cls")


def built_lookups(
    classes: Iterable[tuple[str, Any]], name: str, index: Index | None = None
) -> list[tuple[str, int]]:
    """(class, line) of each ``getattr(self, KEY)`` in ``classes`` whose built KEY can be ``name``:
    its literal start and end fit ``name`` around a middle it can be (built_names), or it is a text
    upper-cased at run time and ``name`` is."""
    found = []
    for qualified, written, line, function, _ in _self_lookups(classes):
        key = bound_once(written, function)
        if _parts_fit(key, name, qualified, function, index) or _case_fits(key, name):
            found.append((qualified, line))
    return found


def _parts_fit(key: ast.expr, name: str, owner: str, function: Any, index: Index | None) -> bool:
    """Whether the built key can be ``name``: its literal texts in place, each inserted part one of the
    texts the project closes it to (built_names), or any text where it does not."""
    found = parts(key)
    if not found or not found[0]:
        return False
    located = index.located(owner) if index is not None else None
    pattern = ""
    for part in found:
        if isinstance(part, str):
            pattern += re.escape(part)
            continue
        closed = None
        if part is not None and located is not None:
            closed = closed_texts(index, located[0], (owner, located[1]), part, function)  # type: ignore[arg-type]
        texts = "|".join(re.escape(text) for text in sorted(closed or ())) or "(?!)"  # none: no name
        pattern += ".*" if closed is None else f"(?:{texts})"
    return re.fullmatch(pattern, name, re.S) is not None


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
