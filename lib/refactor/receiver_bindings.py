"""Names bound by something other than an assignment, and what each then holds: ``except E as e``, a
class as a function's decorator, ``functools.partial(Cls, ...)``, a pytest fixture parameter. A mixin
of rename_receivers.Receivers, which calls these during its walk and reads ``values``, ``classes`` and
``factories`` after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hookwright.refactor.receiver_contents import shown as _shown
from hookwright.refactor.receiver_types import Verdict, combine, is_stdlib_class
from hookwright.refactor.symbol_types import CLASS_OF

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites


class ReceiverBindings:
    sites: FileSites
    cst: Any
    values: dict[int, Verdict]  # id(Name target or Param) -> what it holds
    classes: dict[int, list[str] | None]  # id(Name target) -> the classes it may hold
    factories: dict[int, list[str]]  # id(Name target or Param) -> classes calling it makes
    _fixture_users: dict[str, str | None]  # test or fixture function -> its class
    _parametrized: dict[str, set[str]]  # test function or class -> names parametrize gives

    if TYPE_CHECKING:  # Receivers'

        def callee(self, node: Any) -> set[str]: ...

    def _caught(self, handler: Any) -> None:
        """``except er.Invalid as e``: ``e`` is an instance of the class (or one of the tuple) caught."""
        types, name = self.sites.target.types, handler.name.name
        if types is None or not isinstance(name, self.cst.Name):
            return
        caught = handler.type
        kinds = [e.value for e in caught.elements] if isinstance(caught, self.cst.Tuple) else [caught]
        self.values[id(name)] = combine(types.of_type(self.sites.qualified(k), _shown(k)) for k in kinds)

    def _decorated(self, function: Any) -> None:
        """``@curry def add(...)`` is ``add = curry(add)``: a class as the outermost decorator makes what
        the name holds. A decorator called first (``@C(...)``) is not: its instance is called with it.
        Methods are left out: a class in a class body may be a descriptor (``__get__``)."""
        types, decorator = self.sites.target.types, function.decorators[0].decorator
        if types is None or not isinstance(decorator, (self.cst.Name, self.cst.Attribute)):
            return
        names = sorted(self.sites.qualified(decorator))
        if len(names) == 1 and types.is_project_class(names[0]):
            self.values[id(function)] = types.of_type(set(names), f"{_shown(decorator)} (its decorator)")
            self.classes[id(function)] = names

    def _partial(self, target: Any, value: Any) -> None:
        """``factory = functools.partial(Serializer, key=...)``: calling ``factory`` makes a Serializer;
        ``F = make_form(...)`` (a function returning ``type(name, (Form,), ...)``) makes Forms."""
        types = self.sites.target.types
        if types is None or not isinstance(value, self.cst.Call):
            return
        called = sorted(self.callee(value.func))
        built = types.declared.built_bases(called[0]) if len(called) == 1 and types.declared else None
        if built is not None:  # F = make_form(...), returning type(name, (Form,), fields): makes Forms
            self.factories[id(target)] = built
            return
        if called != ["functools.partial"] or not value.args:
            return
        classes = sorted(self.sites.qualified(value.args[0].value))
        if len(classes) == 1 and (types.is_project_class(classes[0]) or is_stdlib_class(classes[0])):
            self.factories[id(target)] = classes

    def _made(self, call: Any) -> list[str] | None:
        """What ``name(...)`` makes when every binding of ``name`` is a factory of classes."""
        if not isinstance(call, self.cst.Call) or not isinstance(call.func, self.cst.Name):
            return None
        scope = self.sites.scopes.get(call.func)
        assignments = list(scope[call.func.value]) if scope is not None else []
        found: list[str] = []
        for assignment in assignments:
            made = self.factories.get(id(getattr(assignment, "node", None)))
            if made is None:
                return None
            found += made
        return sorted(set(found)) or None

    def _fixture(self, param: Any, function: str) -> None:
        """``def test_x(app)``: what pytest's fixture ``app`` gives, when its code says."""
        types, name = self.sites.target.types, param.name.value
        if types is None or types.declared is None or id(param) in self.values or param.default is not None:
            return
        if self.sites.first_params.get(function) == name:  # self / cls
            return
        cls = self._fixture_users[function]
        given = self._parametrized.get(function, set()) | self._parametrized.get(cls or "", set())
        if name in given or "*" in given:  # @pytest.mark.parametrize("storage", ...): not the fixture
            return
        found = types.declared.fixture(self.sites.module.path, cls, name)
        if found is not None:
            self.values[id(param)] = types.of_names(found, f"the fixture {name}")
            self.classes[id(param)] = found
        made = types.declared.factory(self.sites.module.path, cls, name)
        if made is not None:
            self.factories[id(param)] = made

    def class_given(self, param: Any, annotation: Any) -> None:
        """``lock_type: type[BaseFileLock]``: calling ``lock_type(...)`` makes an instance of the class
        or of a subclass, judged as ``lock: BaseFileLock`` is; not when the class (or one of its bases)
        has a ``__new__`` that may give another type."""
        types, cst = self.sites.target.types, self.cst
        if types is None or not isinstance(annotation, cst.Subscript) or len(annotation.slice) != 1:
            return
        head = self.sites.qualified(annotation.value)
        inner = getattr(annotation.slice[0].slice, "value", None)
        if not head & CLASS_OF or not isinstance(inner, (cst.Name, cst.Attribute)):
            return
        classes = sorted(self.sites.qualified(inner))
        if len(classes) != 1 or not (types.is_project_class(classes[0]) or is_stdlib_class(classes[0])):
            return
        if types.declared is None or not types.declared.makes_its_own(classes[0]):
            self.factories[id(param)] = classes
