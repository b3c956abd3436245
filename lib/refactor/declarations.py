"""The declarations one member rename asks about, each read once: ``receiver_types.Declared``.

symbol_types reads what a declaration says (an annotation, a constructor call, a literal); this holds
the answers for one rename and hands the questions that need more than a declaration (fixtures,
untyped parameters, forwarding ``__getattr__``, stubs, container items) to the modules that answer them.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from hookwright.refactor.symbol_types import METHODS, annotation, instance_attribute, module_variable

if TYPE_CHECKING:
    from hookwright.refactor.container_items import Read
    from hookwright.refactor.symbol_index import Index

# Annotations whose first parameter is what a for loop over the value gives
_ITERABLES = {
    "Iterator",
    "Iterable",
    "Generator",
    "Collection",
    "Sequence",
    "MutableSequence",
    "List",
    "list",
}
_ITERABLES |= {"Set", "set", "AbstractSet", "MutableSet", "FrozenSet", "frozenset", "Reversible", "KeysView"}
_ITERABLES |= {"Mapping", "MutableMapping", "Dict", "dict"}


def registers_virtually(index: Index, family: set[str]) -> bool:
    """``Mapping.register(Cls)`` or ``@Mapping.register`` makes the family an ABC's without deriving it."""
    shorts = sorted({cls.rsplit(".", 1)[-1] for cls in family})
    if not shorts:
        return False
    names = b"|".join(short.encode() for short in shorts)
    call = re.compile(rb"\.register\(\s*(?:[\w.]+\.)?(?:" + names + rb")\s*\)")
    decorator = re.compile(
        rb"@[\w.]+\.register\s*\n(?:[ \t]*@[^\n]*\n)*[ \t]*class[ \t]+(?:" + names + rb")\b"
    )
    return any(
        call.search(index.data(path)) or decorator.search(index.data(path))
        for path in index.containing("register")
    )


class Declarations:
    """``receiver_types.Declared`` for one rename: answers read through its index, each once."""

    def __init__(self, index: Index, family: set[str], member: str | None = None) -> None:
        self.index = index
        self.member = member  # the member being renamed (None: a module-level name)
        self.family = family
        self.virtual = registers_virtually(index, family)
        self._variables: dict[str, list[str] | None] = {}
        self._attributes: dict[tuple[str, str], list[str] | None] = {}
        self._passed: dict[tuple[str, str], list[str] | None] = {}
        self._aliases: dict[str, str | None] = {}

    def lacks(self, name: str) -> bool:
        """No instance of the family can have an attribute ``name`` (duck_tests)."""
        from hookwright.refactor.duck_tests import family_lacks

        return family_lacks(self.index, self.family, name)

    def has_none_of_its_own(self, cls: str) -> bool:
        """Neither ``cls`` nor a base of it can have the member (duck_tests): on its ``self`` the member
        is one a subclass or a class mixing it in brings."""
        from hookwright.refactor.duck_tests import family_lacks

        return self.member is not None and family_lacks(self.index, {cls}, self.member)

    def variable(self, qualified: str) -> list[str] | None:
        if qualified not in self._variables:
            self._variables[qualified] = module_variable(self.index, qualified)
        return self._variables[qualified]

    def attribute(self, cls: str, attr: str) -> list[str] | None:
        if (cls, attr) not in self._attributes:
            self._attributes[cls, attr] = instance_attribute(self.index, cls, attr)
        return self._attributes[cls, attr]

    def is_module(self, qualified: str) -> bool:
        return qualified in self.index.modules

    def forwards(self, cls: str) -> bool:
        """An instance of ``cls`` may answer to the member through ``__getattr__`` (forwarding_classes)."""
        from hookwright.refactor.forwarding_classes import forwards

        return self.member is not None and forwards(self.index, cls, self.member)

    def makes_its_own(self, cls: str) -> bool:
        """Calling ``cls`` may give other than an instance of it (forwarding_classes.makes_its_own)."""
        from hookwright.refactor.forwarding_classes import makes_its_own

        return makes_its_own(self.index, cls)

    def new_gives(self, cls: str) -> list[str] | None:
        """What calling ``cls`` may give, by its ``__new__`` (forwarding_classes.new_gives)."""
        from hookwright.refactor.forwarding_classes import new_gives

        found = new_gives(self.index, cls)
        return sorted(found) if found else None

    def class_lacks(self, cls: str) -> bool:
        """No instance of ``cls`` (exactly) can have the member renamed (duck_tests.family_lacks)."""
        from hookwright.refactor.duck_tests import family_lacks

        return self.member is not None and family_lacks(self.index, {cls}, self.member)

    def built_bases(self, function: str) -> list[str] | None:
        """``make_form(...)`` returns ``type(name, (Form,), fields)``: the bases (class_builders)."""
        from hookwright.refactor.class_builders import bases_built_by

        found = bases_built_by(self.index, function)
        return sorted(found) if found else None

    def class_parameter(self, function: str, on_instance: bool) -> tuple[str, int | None] | None:
        """``def get(self, interface: Type[T]) -> T``: the parameter naming the class (generic_returns)."""
        from hookwright.refactor.generic_returns import class_parameter

        return class_parameter(self.index, function, on_instance)

    def forwarded(self, cls: str) -> list[str] | None:
        """The types ``cls``'s ``__getattr__`` hands attributes on to, when it says (forwarding_classes)."""
        from hookwright.refactor.forwarding_classes import forwarded_to

        return forwarded_to(self.index, cls)

    def fixture(self, path: str, cls: str | None, name: str) -> list[str] | None:
        from hookwright.refactor.symbol_fixtures import across_subclasses, fixture_types

        return across_subclasses(self.index, path, cls, name, fixture_types)

    def module_level(self, path: str, name: str) -> str | None:
        """The qualified name of a module-level definition of ``path`` (the reduced copy may drop it)."""
        facts = self.index.facts(path)
        if facts is None or name not in facts.defined or not facts.module.name:
            return None
        return f"{facts.module.name}.{name}"

    def passed(self, function: str, param: str) -> list[str] | None:
        """What the untyped ``param`` of ``function`` holds: its guard, every call or construction."""
        from hookwright.refactor.untyped_params import parameter_holds

        if (function, param) not in self._passed:
            self._passed[function, param] = parameter_holds(self.index, function, param)
        return self._passed[function, param]

    def factory(self, path: str, cls: str | None, name: str) -> list[str] | None:
        """The classes the value of the fixture ``name`` makes when a test calls it (fixture_factories)."""
        from hookwright.refactor.fixture_factories import fixture_factory
        from hookwright.refactor.symbol_fixtures import across_subclasses

        return across_subclasses(self.index, path, cls, name, fixture_factory)

    def class_alias(self, qualified: str) -> str | None:
        """``OMD = OrderedMultiDict`` at a module's top: the class another name of it stands for."""
        if qualified not in self._aliases:
            located = self.index.located(qualified)
            statement = located[1] if located is not None else None
            found = None
            if (
                located is not None
                and isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.value, (ast.Name, ast.Attribute))
            ):
                found = located[0].resolve(ast.unparse(statement.value))
            self._aliases[qualified] = found if found and self.index.is_class(found) else None
        return self._aliases[qualified]

    def parameter(self, cls: str, method: str, name: str) -> list[str] | None:
        """What the annotation of ``name`` in ``cls.method`` (or the base that defines it) allows."""
        from hookwright.refactor.symbol_index import ancestors

        for owner in [cls, *sorted(ancestors(self.index, cls))]:
            located = self.index.located(f"{owner}.{method}")
            if located is not None and isinstance(located[1], METHODS):
                arguments = located[1].args
                for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                    if arg.arg == name and arg.annotation is not None:
                        return annotation(located[0], arg.annotation) or None
                from hookwright.refactor.stub_declarations import stub_parameter  # the base's .pyi

                return stub_parameter(self.index, f"{owner}.{method}", name)
        return None

    def member_items(self, cls: str, attr: str, read: Read, then: Read | None = None) -> list[str] | None:
        from hookwright.refactor.declared_items import member_items

        return member_items(self.index, cls, attr, read, then)

    def returned_items(self, function: str, read: Read) -> list[str] | None:
        from hookwright.refactor.declared_items import returned_items

        return returned_items(self.index, function, read)

    def iteration_items(self, cls: str, asynchronous: bool) -> list[str] | None:
        from hookwright.refactor.declared_items import iteration_items

        return iteration_items(self.index, cls, asynchronous)

    def subscript_gives(self, cls: str, keys: list[str] | None) -> list[str] | None:
        from hookwright.refactor.declared_items import subscript_gives

        return subscript_gives(self.index, cls, keys)

    def iterated(self, function: str) -> list[str] | None:
        """What iterating over a call of ``function`` gives, by its return annotation (``Iterator[X]``)."""
        located = self.index.located(function)
        if located is None or not isinstance(located[1], ast.FunctionDef):
            return None
        returns = located[1].returns
        if (
            not isinstance(returns, ast.Subscript)
            or ast.unparse(returns.value).rsplit(".", 1)[-1] not in _ITERABLES
        ):
            return None
        inner = returns.slice.elts if isinstance(returns.slice, ast.Tuple) else [returns.slice]
        return annotation(located[0], inner[0])  # a Mapping's or dict's items are its keys
