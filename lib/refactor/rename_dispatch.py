"""Members a class finds by a name it builds at run time: ``getattr(self, 'visit_' + kind)``.

jmespath's ``Visitor.visit`` calls ``getattr(self, 'visit_%s' % node['type'])``: no line names
``visit_field``, yet renaming it breaks every search. A rename of a member whose name starts with the
literal part of such a name, looked up on ``self`` or ``cls`` (or a local bound to them, semver's
``version = self``) in the family or a base, is refused. So is one whose name the project writes as a
string while the family looks members up on ``self`` by a name it is given (mistune's renderers find
``emphasis`` through ``token['type']``, and the inline parser makes ``{'type': 'emphasis'}``).
So is one the class collects by name from its own members and looks up by a key it is given
(markdown-it's ``self.rules[token.type]``, ``self.rules`` filled by ``inspect.getmembers(self)``).
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


def given_lookups(classes: Iterable[tuple[str, Any]], name: str) -> list[tuple[str, int]]:
    """(class, line) of each ``getattr(self, name)`` whose name a caller hands in (a parameter) or a
    record holds (``token['type']``). A name drawn from a collection (``for attr in self.__attrs__``)
    or only tested (``hasattr``) is not one: the collection says which names it can be. A lookup in a
    collection the class fills with its own members by name is one too (collected_lookups)."""
    classes = list(classes)
    found = [
        (qualified, line)
        for qualified, key, line, function, how in _self_lookups(classes)
        if how != "hasattr" and (isinstance(key, ast.Subscript) or _is_parameter(key, function))
    ]
    return found + collected_lookups(classes, name)


def collected_lookups(classes: Iterable[tuple[str, Any]], name: str) -> list[tuple[str, int]]:
    """(class, line) of each ``self.rules[key]`` / ``self.rules.get(key)`` where a method fills
    ``self.rules`` from the instance's own members by name (``inspect.getmembers(self)``, ``dir(self)``,
    ``vars(type(self))``, ``self.__class__.__dict__``): markdown-it's renderer finds its method
    ``fence`` as ``self.rules[token.type]``. A ``name.startswith(...)`` filter the filling states
    (``if not k.startswith(("render", "_"))``) leaves the names it drops out."""
    found = []
    for qualified, statement in classes:
        collections = {
            attr for node in ast.walk(statement) if (attr := _filled_from_own_members(node, name)) is not None
        }
        nodes = [node for node in ast.walk(statement) if isinstance(node, (ast.Subscript, ast.Call))]
        lines = {node.lineno for node in nodes if _looked_up_in(node) in collections}
        found += [(qualified, line) for line in sorted(lines)]
    return found


def _own_members(node: ast.expr) -> bool:
    """An expression that lists the instance's members by name: getmembers(self), dir(self), vars(...)."""
    for part in ast.walk(node):
        listed = isinstance(part, ast.Call) and ast.unparse(part.func).rsplit(".", 1)[-1] in _LISTERS
        if listed and part.args and _is_self_or_its_class(part.args[0]):  # type: ignore[attr-defined]
            return True
        if isinstance(part, ast.Attribute) and part.attr == "__dict__" and _is_self_or_its_class(part.value):
            return True
    return False


_LISTERS = {"getmembers", "dir", "vars", "getmembers_static"}


def _is_self_or_its_class(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "type" and len(node.args) == 1:
        node = node.args[0]
    if isinstance(node, ast.Attribute) and node.attr == "__class__":
        node = node.value
    return isinstance(node, ast.Name) and node.id in _SELVES


def _filled_from_own_members(node: ast.AST, name: str) -> str | None:
    """``self.rules = {k: v for k, v in inspect.getmembers(self) if ...}``: ``rules``, unless a
    ``startswith`` filter it states drops ``name``."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return None
    target = node.targets[0]
    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)):
        return None
    if target.value.id not in _SELVES or not _own_members(node.value):
        return None
    value = node.value
    if isinstance(value, (ast.DictComp, ast.ListComp, ast.SetComp)) and _dropped_by_filter(value, name):
        return None
    return target.attr


def _dropped_by_filter(comprehension: ast.DictComp | ast.ListComp | ast.SetComp, name: str) -> bool:
    """``if not k.startswith(("render", "_"))`` on the key, with ``name`` starting so: dropped."""
    for generator in comprehension.generators:
        target = generator.target.elts[0] if isinstance(generator.target, ast.Tuple) else generator.target
        for test in generator.ifs:
            call = test.operand if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) else None
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "startswith"
                and isinstance(target, ast.Name)
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == target.id
                and len(call.args) == 1
            ):
                continue
            given = call.args[0]
            prefixes = given.elts if isinstance(given, ast.Tuple) else [given]
            texts = [p.value for p in prefixes if isinstance(p, ast.Constant) and isinstance(p.value, str)]
            if len(texts) == len(prefixes) and name.startswith(tuple(texts)):
                return True
    return False


def _looked_up_in(node: ast.AST) -> str | None:
    """``self.rules[key]`` read, or ``self.rules.get(key)``: ``rules``."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        holder = node.value
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("get", "__getitem__")
        and node.args
    ):
        holder = node.func.value
    else:
        return None
    if (
        isinstance(holder, ast.Attribute)
        and isinstance(holder.value, ast.Name)
        and holder.value.id in _SELVES
    ):
        return holder.attr
    return None


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
