"""What a container's items are, where its annotation says so: ``for conn in p.conns`` over a property
annotated ``-> ValuesView[Connection]``, ``p.conn[k]``, ``c, data = setup()`` of ``-> tuple[A, B]``.

One reading of the annotation serves both trees (libcst for the file being renamed, ast for the
declarations of other modules): ``shape`` tells the head and the arguments of a node. A read is what
the code does with the container: iterate over it, subscript it, iterate over its ``keys()``,
``values()`` or ``items()``, or unpack it into ``size`` names. The answer is the annotations of the
items (one per alternative), or None when the annotation does not say: a bare ``list``, a ``str``
alternative, a slice, an ``ItemsView`` iterated without unpacking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Read(NamedTuple):
    how: str  # "iter", "item" (c[k]), "keys", "values", "items" (unpacked), "unpack"
    position: int = 0
    size: int = 0  # how many names an unpacking binds


ITER, ITEM = Read("iter"), Read("item")
Shape = Callable[[Any], tuple[str, list[Any]]]  # head ("list", "None", "|", "...", "" for others), args

_WRAPPERS = {"Optional", "Union", "|", "Final", "ClassVar", "Annotated", "Required", "NotRequired"}
_INDEXED = {"list", "List", "Sequence", "MutableSequence", "deque", "Deque"}
_ITERATED = _INDEXED | {"Iterable", "Iterator", "Generator", "Collection", "Reversible", "AsyncIterator"}
_ITERATED |= {"AsyncIterable", "AsyncGenerator"}
_ITERATED |= {"set", "Set", "frozenset", "FrozenSet", "AbstractSet", "MutableSet", "KeysView", "ValuesView"}
_MAPPINGS = {"dict", "Dict", "Mapping", "MutableMapping", "defaultdict", "DefaultDict", "OrderedDict"}
_MAPPINGS |= {"ChainMap"}
_FROM_MAPPING = {"iter": 0, "keys": 0, "item": 1, "values": 1}


def items(node: Any, read: Read, shape: Shape) -> list[Any] | None:
    """The annotations of what ``read`` gives from a value annotated ``node``; None: not said."""
    head, args = shape(node)
    if head == "None":  # Optional[list[T]]: None has no items (the code would fail first)
        return []
    if head in _WRAPPERS and args:
        alternatives = args if head in ("Optional", "Union", "|") else args[:1]
        found = [items(arg, read, shape) for arg in alternatives]
        return None if any(f is None for f in found) else [x for f in found for x in f or ()]
    if head in ("tuple", "Tuple") and args:
        return _of_tuple(args, read, shape)
    if head in _MAPPINGS and len(args) == 2:
        if read.how == "items" and read.size == 2:
            return [args[read.position]]
        chosen = _FROM_MAPPING.get(read.how)
        return None if chosen is None else [args[chosen]]
    indexed = read.how == "item" and head in _INDEXED
    if head in _ITERATED and len(args) >= 1 and (read.how == "iter" or indexed):
        return [args[0]]
    return None


def _of_tuple(args: list[Any], read: Read, shape: Shape) -> list[Any] | None:
    open_ended = len(args) == 2 and shape(args[1])[0] == "..."  # tuple[T, ...]
    if read.how == "unpack":
        if open_ended:
            return [args[0]]
        return [args[read.position]] if len(args) == read.size else None
    if read.how in ("iter", "item"):
        return args[:1] if open_ended else list(args)  # c[0]: the index is not read, any of them
    return None


def ast_shape(node: Any) -> tuple[str, list[Any]]:
    """``shape`` for Python's ast (a string annotation is parsed)."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return ast_shape(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return "", []
    if isinstance(node, ast.Constant):
        return ("None" if node.value is None else "..." if node.value is Ellipsis else ""), []
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return "|", [node.left, node.right]
    if isinstance(node, ast.Subscript):
        args = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return ast.unparse(node.value).rsplit(".", 1)[-1], list(args)
    return "", []
