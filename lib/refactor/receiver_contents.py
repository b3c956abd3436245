"""Receivers taken out of containers and local helpers, where the code says what they hold: ``for conn
in p.conns`` (a property annotated ``-> ValuesView[Connection]``), ``sc = p.conn[SERVER]`` (a dict of
``Connection(...)`` values), ``c, data = setup(...)`` (``-> Tuple[Connection, ...]``) and ``p =
setup()`` where ``setup`` is a function defined inside the test that says, or whose every ``return``
says, what it gives. A mixin of rename_receivers.Receivers; container_items reads the annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from hookwright.refactor.container_items import ITEM, ITER, Read, items
from hookwright.refactor.receiver_types import UNKNOWN, Verdict, combine

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites

Reader = Callable[[Read], "Verdict | None"]


class ReceiverContents:
    classes: dict[int, list[str] | None]
    sites: FileSites
    cst: Any
    values: dict[int, Verdict]
    contents: dict[int, Reader]  # id(Name target or Param) -> what reading its items gives
    _returning: set[int]  # id() of helpers and names being read (a helper returning itself, a = b; b = a)
    stored: dict[int, Any]  # id(Name target) -> the value assigned to it
    looped_strings: dict[int, list[str]]  # id(Name target of a loop over literal strings) -> them
    class_bases: dict[str, list[set[str]]]
    deferred: list[Callable[[], None]]  # read once the walk has seen every binding (p = ... below)

    if TYPE_CHECKING:  # Receivers' and ReceiverClasses' methods

        def classes_of(self, node: Any) -> list[str] | None: ...
        def subscripted_instance(self, node: Any) -> list[str] | None: ...
        def callee(self, node: Any) -> set[str]: ...
        def _value(self, value: Any) -> Verdict: ...

    def holds(self, target: Any, annotation: Any = None, value: Any = None) -> None:
        """Notes where the items of what ``target`` is bound to can be read: its annotation or value."""
        if annotation is not None:
            self.contents[id(target)] = lambda read: self._annotated(annotation, read)
        elif value is not None:
            self.contents[id(target)] = lambda read: self.items_of(value, read)
            self.stored[id(target)] = value

    def unpacked(self, targets: Any, value: Any, shown: str) -> None:
        """``c, data = setup(...)``, ``for key, conn in conns.items()``: each name's verdict by position."""
        names = [element.value for element in targets.elements]
        if any(not isinstance(name, self.cst.Name) for name in names):
            return  # a starred or nested target: positions are not read
        for position, name in enumerate(names):
            why = f"{name.value} is unpacked from {shown}, and nothing says what that item is"
            self.values[id(name)] = (UNKNOWN, why)
            self.deferred.append(partial(self._unpack, name, value, Read("unpack", position, len(names))))

    def _unpack(self, name: Any, value: Any, read: Read) -> None:
        found = self.items_of(value, read)
        if found is not None:
            self.values[id(name)] = found

    def loop(self, loop: Any) -> None:
        """``for entry in iter_entries(...)``: an item of what the function's annotation returns;
        ``for conn in p.conns``, over ``conns.values()``, over a tuple: an item of the container."""
        types, cst = self.sites.target.types, self.cst
        elements = loop.iter.elements if isinstance(loop.iter, (cst.List, cst.Tuple, cst.Set)) else None
        texts = [e.value.evaluated_value for e in elements or () if isinstance(e.value, cst.SimpleString)]
        if elements and len(texts) == len(elements) and all(isinstance(t, str) for t in texts):
            self.looped_strings[id(loop.target)] = texts
        if types is None or types.declared is None:
            return
        names = sorted(self.callee(loop.iter.func)) if isinstance(loop.iter, self.cst.Call) else []
        synchronous = loop.asynchronous is None  # `async for` reads what the call gives, below
        found = types.declared.iterated(names[0]) if len(names) == 1 and synchronous else None
        if found is not None:
            self.values[id(loop.target)] = types.of_names(found, f"an item of {shown(loop.iter)}")
            self.classes[id(loop.target)] = found
            return
        self.iterated(loop.target, loop)

    def iterated(self, target: Any, loop: Any) -> None:
        """``for conn in p.conns``: an item of the container, once every binding of ``p`` is known."""

        def read() -> None:
            found = self.items_of(loop.iter, ITER)
            if found is not None:
                self.values[id(target)] = found
            names, types = self.declared_items(loop.iter, ITER), self.sites.target.types
            if found is None and names is None:  # for attempt in Retrying(...): what its __iter__ gives
                names = self._instance_items(loop)
                if names is not None and types is not None:
                    self.values[id(target)] = types.of_names(names, f"an item of {shown(loop.iter)}")
            if names and types is not None and all(types.is_project_class(n) for n in names):
                self.classes[id(target)] = names  # for t in m.events[k].transitions: t.conditions too

        self.deferred.append(read)

    def _instance_items(self, loop: Any) -> list[str] | None:
        """What ``for x in obj`` / ``async for x in obj`` gives when ``obj`` is an instance of classes of
        the project: what their ``__iter__`` / ``__aiter__`` say (declared_items.iteration_items)."""
        types = self.sites.target.types
        owners = self.classes_of(loop.iter)
        if types is None or types.declared is None or not owners:
            return None
        if not all(types.is_project_class(cls) for cls in owners):
            return None
        found = [types.declared.iteration_items(cls, loop.asynchronous is not None) for cls in owners]
        return None if any(f is None for f in found) else sorted({n for f in found for n in f or ()})

    def assigned(self, target: Any, value: Any) -> None:
        """``sc = p.conn[SERVER]``: decided again once every binding of ``p`` is known."""
        if isinstance(value, self.cst.Subscript):
            self.deferred.append(lambda: self.values.__setitem__(id(target), self._value(value)))

    def subscripted(self, node: Any) -> Verdict | None:
        """``p.conn[SERVER]``: an item of the container (not a slice, which is a container again)."""
        parts, types = node.slice, self.sites.target.types
        if len(parts) != 1 or not isinstance(parts[0].slice, self.cst.Index):
            return None
        found = self.items_of(node.value, ITEM)
        names = self.subscripted_instance(node) if found is None and types is not None else None
        return found if names is None or types is None else types.of_names(names, f"what {shown(node)} gives")

    def items_of(self, node: Any, read: Read) -> Verdict | None:
        """What ``read`` gives from the value of ``node``; None when the code does not say."""
        cst, types = self.cst, self.sites.target.types
        if types is None:
            return None
        if isinstance(node, cst.Name):
            scope = self.sites.scopes.get(node)
            bound = [getattr(a, "node", None) for a in (scope[node.value] if scope is not None else ())]
            readers = [self.contents.get(id(n)) for n in bound]
            if not bound or None in readers or id(node) in self._returning:
                return None  # tmp = a; a = b; b = tmp: a name read again while it is being read
            self._returning.add(id(node))
            try:
                found = [verdict for r in readers if r is not None and (verdict := r(read)) is not None]
            finally:
                self._returning.discard(id(node))
            return combine(found) if len(found) == len(bound) else None
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            names = self.declared_items(node, read)
            return None if names is None else types.of_names(names, "an item of it")
        if isinstance(node, cst.Tuple) and read.how == "unpack" and len(node.elements) == read.size:
            element = node.elements[read.position]
            return None if isinstance(element, cst.StarredElement) else self._value(element.value)
        if isinstance(node, cst.Call) and self._got(node):
            names = self.declared_items(node, read)
            return None if names is None else types.of_names(names, "an item of it")
        if isinstance(node, cst.Call):
            return self._called_items(node, read)
        return None

    def declared_items(self, node: Any, read: Read) -> list[str] | None:
        """The types ``read`` gives from ``x.attr``, or from an item of it (``x.attr[k]``), by what the
        classes ``x`` may be declare (declared_items)."""
        cst, types = self.cst, self.sites.target.types
        if types is None or types.declared is None:
            return None
        reads: tuple[Read, ...] = (read,)
        if isinstance(node, cst.Subscript):
            parts = node.slice
            if len(parts) != 1 or not isinstance(parts[0].slice, cst.Index):
                return None  # a slice is a container again
            node, reads = node.value, (ITEM, read)
        elif self._got(node):
            node, reads = node.func.value, (ITEM, read)
        if not isinstance(node, cst.Attribute):
            return None
        owners = self.classes_of(node.value)
        declared = [types.declared.member_items(cls, node.attr.value, *reads) for cls in owners or ()]
        if not owners or any(d is None for d in declared):
            return None
        return sorted({n for d in declared for n in d or ()})

    def _got(self, call: Any) -> bool:
        """``x.attr.get(k)`` / ``x.attr.get(k, [])``: an item of ``x.attr``, or an empty container."""
        cst = self.cst
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return False
        args = call.args
        if call.func.attr.value != "get" or not 1 <= len(args) <= 2 or any(a.keyword or a.star for a in args):
            return False
        default = args[1].value if len(args) == 2 else None
        return default is None or (
            isinstance(default, (cst.List, cst.Tuple, cst.Dict)) and not default.elements
        )

    def _called_items(self, call: Any, read: Read) -> Verdict | None:
        cst, types = self.cst, self.sites.target.types
        assert types is not None
        func = call.func
        view = func.attr.value if isinstance(func, cst.Attribute) else None
        if view in ("keys", "values", "items") and not call.args:  # for conn in conns.values()
            if view == "items":
                mapped = Read("items", read.position, read.size) if read.how == "unpack" else None
            else:
                mapped = Read(view) if read.how == "iter" else None
            return None if mapped is None else self.items_of(func.value, mapped)
        local = self.local_def(func)
        if local is not None:
            return self._local_items(local, read)
        names = sorted(self.callee(func)) if isinstance(func, (cst.Name, cst.Attribute)) else []
        found = types.declared.returned_items(names[0], read) if len(names) == 1 and types.declared else None
        return None if found is None else types.of_names(found, "an item of it")

    def copied(self, call: Any) -> Any | None:
        """``copy.copy(x)``, ``copy.deepcopy(x)``, ``pickle.loads(pickle.dumps(x))`` (or of a name bound
        once to ``pickle.dumps(x)``): a copy of ``x``, of its type. The expression copied, or None."""
        first = self._only_argument(call)
        if first is None:
            return None
        called = self.sites.qualified(call.func)
        if called & {"copy.copy", "copy.deepcopy"}:
            return first
        if called != {"pickle.loads"}:
            return None
        dumped = self._bound_once(first) if isinstance(first, self.cst.Name) else first
        if not isinstance(dumped, self.cst.Call) or self.sites.qualified(dumped.func) != {"pickle.dumps"}:
            return None
        return dumped.args[0].value if dumped.args and not dumped.args[0].keyword else None

    def _only_argument(self, call: Any) -> Any | None:
        if not isinstance(call, self.cst.Call) or len(call.args) != 1:
            return None
        argument = call.args[0]
        return None if argument.keyword is not None or argument.star else argument.value

    def _bound_once(self, name: Any) -> Any | None:
        """The value a name is assigned, when that is its one binding."""
        scope = self.sites.scopes.get(name)
        bound = list(scope[name.value]) if scope is not None else []
        return self.stored.get(id(getattr(bound[0], "node", None))) if len(bound) == 1 else None

    def inherited(self, param: Any, function: str) -> None:
        """``def parse(self, parser)`` overriding ``Extension.parse(self, parser: "Parser")``: what the
        base's annotation says callers pass, when every base that has the method says one."""
        types, name = self.sites.target.types, param.name.value
        owner, _, method = function.rpartition(".")
        bases = self.class_bases.get(owner)
        if (
            types is None
            or types.declared is None
            or not bases
            or self.sites.first_params.get(function) == name
        ):
            return
        found: list[str] = []
        for base in bases:
            said = types.declared.parameter(min(base), method, name) if len(base) == 1 else None
            if said is None:
                return
            found += said
        self.values[id(param)] = types.of_names(found, f"what {owner.rsplit('.', 1)[-1]}'s base takes")
        self.classes[id(param)] = [cls for cls in found if types.is_project_class(cls)] or None

    def local_def(self, func: Any) -> Any | None:
        """The function a called name is bound to, when its one binding is an undecorated ``def``
        inside a function (a helper of a test: the index of module-level names does not reach it)."""
        if not isinstance(func, self.cst.Name):
            return None
        scope = self.sites.scopes.get(func)
        bound = list(scope[func.value]) if scope is not None else []
        if len(bound) != 1 or type(bound[0].scope).__name__ != "FunctionScope":
            return None
        node = getattr(bound[0], "node", None)
        return node if isinstance(node, self.cst.FunctionDef) and not node.decorators else None

    def local_returns(self, function: Any) -> Verdict | None:
        """What calling a local helper gives: its return annotation, else what every ``return`` gives."""
        types = self.sites.target.types
        if types is None:
            return None
        if function.returns is not None:
            return types.of_annotation(function.returns.annotation, self.sites.qualified)
        returned = self._returned(function)
        if not returned or id(function) in self._returning:
            return None
        self._returning.add(id(function))
        try:
            return combine(self._value(value) for value in returned)
        finally:
            self._returning.discard(id(function))

    def _local_items(self, function: Any, read: Read) -> Verdict | None:
        if function.returns is not None:
            return self._annotated(function.returns.annotation, read)
        returned = self._returned(function)
        if not returned or read.how != "unpack" or id(function) in self._returning:
            return None
        self._returning.add(id(function))
        try:  # return c, d: each position from each return
            found = [self.items_of(value, read) for value in returned]
        finally:
            self._returning.discard(id(function))
        return None if any(f is None for f in found) else combine(f for f in found if f is not None)

    def _returned(self, function: Any) -> list[Any] | None:
        """The values of the function's own ``return`` statements; None when one returns nothing."""
        cst, found = self.cst, []

        class Returns(cst.CSTVisitor):  # type: ignore[misc,name-defined]
            def visit_Return(self, node: Any) -> None:
                found.append(node.value)

            def visit_FunctionDef(self, node: Any) -> bool:
                return node is function  # a nested def's returns are not this function's

            def visit_Lambda(self, node: Any) -> bool:
                return False

        function.visit(Returns())
        return None if not found or any(value is None for value in found) else found

    def _annotated(self, annotation: Any, read: Read) -> Verdict | None:
        types = self.sites.target.types
        found = items(annotation, read, self._shape) if types is not None else None
        if not found or types is None:
            return None
        return combine(types.of_annotation(element, self.sites.qualified) for element in found)

    def _shape(self, node: Any) -> tuple[str, list[Any]]:
        cst = self.cst
        if isinstance(node, cst.Name) and node.value == "None":
            return "None", []
        if isinstance(node, cst.Ellipsis):
            return "...", []
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return "|", [node.left, node.right]
        if isinstance(node, cst.Subscript):
            head = node.value.attr.value if isinstance(node.value, cst.Attribute) else None
            head = node.value.value if isinstance(node.value, cst.Name) else head
            args = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
            return (head or ""), args
        return "", []


def shown(node: Any) -> str:
    """``p.conn[...]``, ``setup(...)``: how a site's text names the object before ``.name``."""
    kind = type(node).__name__
    if kind == "Name":
        return str(node.value)
    if kind == "Attribute":
        return f"{shown(node.value)}.{node.attr.value}"
    if kind == "Call":
        return f"{shown(node.func)}(...)"
    return f"{shown(node.value)}[...]" if kind == "Subscript" else kind.lower()
