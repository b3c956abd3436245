"""Deciding ``x.name`` sites of a member rename by what ``x`` is (see receiver_types for the verdicts).

While rename_sites walks a file, this notes what the code says about names (parameters, assignments,
annotations, ``self.attr = ...`` in methods, ``isinstance`` tests) and keeps the attribute sites it
could not decide on the spot. Once the walk is over every assignment has been seen, so a name is
judged by all of its assignments, not only those above the site: an instance of the class is
renamed, another type is left alone for good (not even ``--include-unsure`` renames it), and the rest
stay unsure, each with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hookwright.refactor.duck_tests import tested_together
from hookwright.refactor.generic_returns import given_instance
from hookwright.refactor.isinstance_tests import narrowed_after, rebound
from hookwright.refactor.pytest_idioms import entered, parametrized, raised, takes_fixtures
from hookwright.refactor.reaching_assignments import FunctionFlow
from hookwright.refactor.receiver_bindings import ReceiverBindings
from hookwright.refactor.receiver_classes import ReceiverClasses
from hookwright.refactor.receiver_contents import ReceiverContents
from hookwright.refactor.receiver_contents import shown as _shown
from hookwright.refactor.receiver_types import FAMILY, OTHER, UNKNOWN, Verdict, combine

if TYPE_CHECKING:
    from hookwright.refactor.rename_sites import FileSites


class Receivers(ReceiverBindings, ReceiverClasses, ReceiverContents):
    def __init__(self, sites: FileSites) -> None:
        self.sites = sites
        self.cst = sites.cst
        self.values: dict[int, Verdict] = {}  # id(Name target or Param) -> what it holds
        self.attributes: dict[tuple[str, str], list[Verdict]] = {}  # (class, attr) -> what self.attr holds
        self.narrowing: list[tuple[int, str, list[Any] | None]] = []  # (id(block), name, types or None)
        self._blocks: dict[int, tuple[str, list[Any]]] = {}
        self.waiting: list[tuple[Any, dict[str, list[Any]]]] = []
        self.classes: dict[int, list[str] | None] = {}  # id(Name target) -> the classes it may hold
        self.looped_strings: dict[int, list[str]] = {}  # id(Name target) -> the literal strings it loops over
        self._fixture_users: dict[str, str | None] = {}  # test or fixture function -> its class
        self._parametrized: dict[str, set[str]] = {}  # test function or class -> names parametrize gives
        self._params: dict[int, str] = {}  # id(Param without a type) -> the function it belongs to
        self.factories: dict[int, list[str]] = {}  # id(Name target or Param) -> classes calling it makes
        self._declarations: set[int] = set()  # id(Name) of `x: T` without a value
        self.raised: dict[int, list[Any]] = {}  # id(Name) of `with pytest.raises(E) as name` -> [E]
        self.lookups: list[tuple[Any, Any, str, dict[str, list[Any]]]] = []  # (string, object, how, narrowed)
        self.contents, self._returning, self.deferred, self.stored = {}, set(), [], {}
        self.class_bases: dict[str, list[set[str]]] = {}  # a class of this file -> its bases' names
        self.together: dict[int, set[str]] = {}  # id(string of a hasattr) -> names `and` asks the object
        self._flows: dict[int, FunctionFlow] = {}  # id(FunctionDef) -> its tree, read once
        self._statement_blocks: list[int] = []  # id of each block of statements we are in

    # -- during the walk ---------------------------------------------------------------------------

    def enter(self, node: Any, owner: str | None, function: str | None) -> None:
        types = self.sites.target.types
        if id(node) in self._blocks:
            self.narrowing.append((id(node), *self._blocks[id(node)]))
        self._unnarrow(rebound(node, self.cst, entering=True))
        if isinstance(node, (self.cst.Module, self.cst.IndentedBlock, self.cst.SimpleStatementSuite)):
            self._statement_blocks.append(id(node))
        if types is None:
            return
        cst, qualified = self.cst, self.sites.qualified
        if isinstance(node, cst.BooleanOperation):  # an outer `and` is entered first: it has them all
            for string, names in tested_together(cst, node).items():
                self.together[string] = self.together.get(string, set()) | names
        if isinstance(node, cst.FunctionDef) and node.decorators and function not in self.sites.first_params:
            self._decorated(node)
        if isinstance(node, cst.FunctionDef) and function is not None and takes_fixtures(node):
            method = function in self.sites.first_params
            self._fixture_users[function] = function.rsplit(".", 1)[0] if method else None
            self._parametrized[function] = parametrized(node, cst)
        elif isinstance(node, cst.Param) and node.annotation is None and function in self._fixture_users:
            self._fixture(node, function)
        if isinstance(node, cst.Param) and node.annotation is None and function is not None:
            self._params[id(node)] = function
            self.inherited(node, function)
        if isinstance(node, cst.ClassDef) and owner is not None:
            self.class_bases[owner] = [self.sites.qualified(arg.value) for arg in node.bases]
            self._parametrized[owner] = parametrized(node, cst)
        if isinstance(node, cst.Parameters):  # **kwargs is a dict and *args a tuple, whatever they hold
            if isinstance(node.star_kwarg, cst.Param):
                self.values[id(node.star_kwarg)] = (OTHER, f"a dict (**{node.star_kwarg.name.value})")
            if isinstance(node.star_arg, cst.Param):
                self.values[id(node.star_arg)] = (OTHER, f"a tuple (*{node.star_arg.name.value})")
        elif isinstance(node, cst.Param) and node.annotation is not None and id(node) not in self.values:
            self.class_given(node, node.annotation.annotation)
            self.values[id(node)] = types.of_annotation(node.annotation.annotation, qualified)
            self.classes[id(node)] = self._annotated_classes(node.annotation.annotation)
            self.holds(node, annotation=node.annotation.annotation)
        elif isinstance(node, cst.Assign):
            verdict = self._value(node.value)
            for target in (t.target for t in node.targets):
                self._bind(target, verdict, owner, function)
                if isinstance(target, cst.Name):
                    self.classes[id(target)] = self.classes_of(node.value)
                    self._partial(target, node.value)
                    self.holds(target, value=node.value)
                    self.assigned(target, node.value)
                elif isinstance(target, cst.Tuple):
                    self.unpacked(target, node.value, _shown(node.value))
        elif isinstance(node, cst.AnnAssign):
            self._bind(
                node.target, types.of_annotation(node.annotation.annotation, qualified), owner, function
            )
            if isinstance(node.target, cst.Name):
                self.classes[id(node.target)] = self._annotated_classes(node.annotation.annotation)
                self.holds(node.target, annotation=node.annotation.annotation)
                if node.value is None:  # `entry: os.DirEntry` declares every binding of the scope
                    self._declarations.add(id(node.target))
        elif isinstance(node, cst.ExceptHandler) and node.type is not None and node.name is not None:
            self._caught(node)
        elif isinstance(node, cst.If):
            self._narrows(node)
        elif isinstance(node, cst.With):
            self.raised |= raised(node, cst, qualified)
            self.values |= entered(node, cst, qualified, types)
        elif isinstance(node, (cst.For, cst.CompFor)) and isinstance(node.target, cst.Name):
            self.loop(node)  # `for c in ...`, `async for` and `... for c in ...` in a comprehension alike
        elif (
            isinstance(node, (cst.For, cst.CompFor))
            and isinstance(node.target, cst.Tuple)
            and not node.asynchronous
        ):
            self.unpacked(node.target, node.iter, f"an item of {_shown(node.iter)}")

    def _value(self, value: Any) -> Verdict:
        """What an assigned value is; a plain name passes on what is known of it so far."""
        types = self.sites.target.types
        assert types is not None
        if isinstance(value, self.cst.Name) and value.value not in ("None", "True", "False"):
            if self.sites.qualified(value) & self.sites.target.family:  # res = Response: the class itself
                return FAMILY, f"{value.value} is the class itself"
            return self._name(value)
        if self._is_type_of(value):  # cls = type(self): the class has the members its instances have
            return self._class_of(value.args[0].value, {})
        made = self._made(value)
        if made is not None:
            return types.of_names(made, f"what {_shown(value)} makes")
        if self.copied(value) is not None:  # copy.deepcopy(omd): an OMD as omd is
            return self._value(self.copied(value))
        local = self.local_def(value.func) if isinstance(value, self.cst.Call) else None
        found = self.local_returns(local) if local is not None else None
        found = self.subscripted(value) if isinstance(value, self.cst.Subscript) else found
        if found is not None:
            return found
        if isinstance(value, self.cst.Call) and isinstance(value.func, self.cst.Attribute):
            # self.make_config(...), self.app.test_client(...): what the method says it returns
            classes = self.classes_of(value.func.value)
            if classes:
                method = value.func.attr.value
                return combine(self._call_gives(value, f"{cls}.{method}", True) for cls in classes)
        called = sorted(self.callee(value.func)) if isinstance(value, self.cst.Call) else []
        one = called[0] if len(called) == 1 else None  # make(A) where make(cls: Type[T]) -> T
        given = given_instance(self.sites, value, one, False, self._bound_once) if one else None
        return given or types.of_value(value, self.callee)

    def _call_gives(self, call: Any, function: str, on_instance: bool) -> Verdict:
        """What a call of a function gives: an instance of the class passed, if its signature says
        (``get(self, interface: Type[T]) -> T``), else its return (receiver_types.of_return)."""
        given = given_instance(self.sites, call, function, on_instance, self._bound_once)
        types = self.sites.target.types
        assert types is not None
        return given or types.of_return(function, _shown(call.func))

    def callee(self, node: Any) -> set[str]:
        """Qualified names of a called name; a function of this module the reduced copy left out
        (it does not mention the name) has no assignment there, but it is still the module's."""
        found = self.sites.qualified(node)
        declared = self.sites.target.types.declared if self.sites.target.types else None
        if found or declared is None or not isinstance(node, self.cst.Name):
            return found
        scope = self.sites.scopes.get(node)
        if scope is None or scope[node.value]:
            return found
        module_level = declared.module_level(self.sites.module.path, node.value)
        return {module_level} if module_level else found

    def leave(self, node: Any) -> None:
        while self.narrowing and self.narrowing[-1][0] == id(node):  # an if's test and asserts in it
            self.narrowing.pop()
        if self._statement_blocks and self._statement_blocks[-1] == id(node):
            self._statement_blocks.pop()
        self._unnarrow(rebound(node, self.cst, entering=False))
        found = narrowed_after(node, self.cst) if self._statement_blocks else None
        if found is not None:  # `assert isinstance(x, T)`: x is a T in the rest of the block
            self.narrowing.append((self._statement_blocks[-1], *found))

    def _unnarrow(self, names: set[str]) -> None:
        """A name bound again no longer holds what the enclosing ``isinstance`` tests said (None)."""
        if names:
            self.narrowing = [(block, n, None if n in names else t) for block, n, t in self.narrowing]

    def _narrowed(self) -> dict[str, list[Any]]:
        found = {name: types for _, name, types in self.narrowing}  # the innermost test wins
        return {name: types for name, types in found.items() if types is not None}

    def _bind(self, target: Any, verdict: Verdict, owner: str | None, function: str | None) -> None:
        cst = self.cst
        if isinstance(target, cst.Name):
            self.values[id(target)] = verdict
            if owner is not None and function is None:  # `attr: Cart` in a class body
                self.attributes.setdefault((owner, target.value), []).append(verdict)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            cls = self.sites.self_class(target.value)
            if cls is not None:
                self.attributes.setdefault((cls, target.attr.value), []).append(verdict)

    def _narrows(self, node: Any) -> None:
        from hookwright.refactor.isinstance_tests import narrowed_by

        found = narrowed_by(node.test, self.cst)
        if found is not None:
            self._blocks[id(node.body)] = found

    def later(self, attribute: Any, function: str | None) -> None:
        narrowed = self._narrowed()
        self.waiting.append((attribute, narrowed))

    def later_lookup(self, string: Any, receiver: Any, how: str) -> None:
        """``hasattr(result, "NAME")``: the string names the member of whatever ``result`` is."""
        narrowed = self._narrowed()
        self.lookups.append((string, receiver, how, narrowed))

    # -- after the walk ----------------------------------------------------------------------------

    def decide(self) -> None:
        for deferred in self.deferred:
            deferred()
        for string, receiver, how, narrowed in self.lookups:
            self._decide_lookup(string, receiver, f"{how}({_shown(receiver)}, {string.value})", narrowed)
        types = self.sites.target.types
        for attribute, narrowed in self.waiting:
            owner = self.sites.self_class(attribute.value)
            if types is not None and owner in types.ancestors:
                # _TimedCache.__repr__ calling self.expire(): the base calls the family's method by name
                self.sites.note(attribute.attr, "base-call", self.sites.base_calls, f"{owner}")
                continue
            kind, why = self.verdict(attribute.value, narrowed)
            text = f"{_shown(attribute.value)}.{attribute.attr.value}: {why}"
            if kind == UNKNOWN and self.sites.target.unique:
                kind, text = (
                    FAMILY,
                    f"{text}; but no other class here and no built-in type has a {attribute.attr.value}",
                )
            if kind == FAMILY:
                self.sites.rename(attribute.attr, "typed", why=text)
            elif kind == OTHER:
                self.sites.note(attribute.attr, "other-type", self.sites.others, text)
            else:
                self.sites.rename(attribute.attr, "attribute", sure=False, why=text)

    def _decide_lookup(self, string: Any, receiver: Any, shown: str, narrowed: dict[str, list[Any]]) -> None:
        """A name looked up by a string: renamed on the family, left alone on another type, and on an
        object of unknown type the rename is refused. Leaving the string would break the lookup if it
        is ours, renaming it would break another type's: a lookup by name is duck typing, so not even a
        name no other class here has says whose it is (tabulate's tests ask
        ``hasattr(result, "_repr_html_")``, the name Jupyter looks up)."""
        sites, types = self.sites, self.sites.target.types
        owner = sites.self_class(receiver)
        if owner is not None and owner in sites.target.family:
            sites.rename_string(string, "getattr", sure=True)
            return
        if types is not None and owner in types.ancestors:
            sites.note(string, "base-call", sites.base_calls, f"{owner}")
            return
        kind, why = self.verdict(receiver, narrowed)
        lacked = sorted(
            n
            for n in self.together.get(id(string), ())
            if types and types.declared and types.declared.lacks(n)
        )
        if kind == UNKNOWN and lacked:  # hasattr(o, 'write') and hasattr(o, 'flush'): False on ours
            kind, why = OTHER, f"{why}; it is also asked for {lacked[0]}, which the class has not got"
        if kind == FAMILY:
            sites.rename_string(string, "getattr", sure=True)
        elif kind == OTHER:
            sites.note(string, "other-type", sites.others, f"{shown}: {why}")
        else:
            sites.note(string, "lookup", sites.lookups, f"{shown}: {why}")

    def verdict(self, base: Any, narrowed: dict[str, list[Any]]) -> Verdict:
        types, cst, qualified = self.sites.target.types, self.cst, self.sites.qualified
        if types is None:
            return UNKNOWN, "its type is not known here"
        owner = self.sites.self_class(base)
        if owner is not None and types.declared is not None and types.declared.has_none_of_its_own(owner):
            # a mixin's self.NAME: the member comes with a class that mixes it in, maybe one of ours
            shown = owner.rsplit(".", 1)[-1]
            return UNKNOWN, f"{_shown(base)} is a {shown}, which has no such member of its own"
        if owner is not None:
            return OTHER, f"{_shown(base)} is a {owner.rsplit('.', 1)[-1]} here"
        if isinstance(base, cst.Name):
            if base.value in narrowed:
                return combine(types.of_type(qualified(t), _shown(t)) for t in narrowed[base.value])
            return self._name(base)
        if isinstance(base, cst.Attribute) and base.attr.value == "__class__":
            return self._class_of(base.value, narrowed)
        on_value = isinstance(base, cst.Attribute) and base.attr.value == "value"
        errors = self._raised(base.value) if on_value else None
        if errors:  # ctx.value of `with pytest.raises(E) as ctx`: an E
            return combine(types.of_type(qualified(t), _shown(t)) for t in errors)
        if isinstance(base, cst.Attribute):
            cls = self.sites.self_class(base.value)
            found = self.attributes.get((cls, base.attr.value)) if cls else None
            if found:
                return combine(found)
            declared = types.declared
            modules = sorted(name for name in qualified(base) if declared and declared.is_module(name))
            if modules:
                return OTHER, f"the module {modules[0]}"
            classes = self.classes_of(base)
            if classes is not None:
                return types.of_names(classes, _shown(base))
            return UNKNOWN, f"nothing in sight says what {_shown(base)} holds"
        if isinstance(base, cst.Call) and (isinstance(base.func, cst.Attribute) or self._made(base)):
            return self._value(base)
        if isinstance(base, cst.Subscript) or (isinstance(base, cst.Call) and self.local_def(base.func)):
            return self._value(base)
        return types.of_value(base, self.callee)

    def _is_type_of(self, value: Any) -> bool:
        return (
            isinstance(value, self.cst.Call)
            and len(value.args) == 1
            and value.args[0].keyword is None
            and not value.args[0].star
            and self.sites.qualified(value.func) == {"builtins.type"}
        )

    def _class_of(self, instance: Any, narrowed: dict[str, list[Any]]) -> Verdict:
        """``type(x)`` / ``x.__class__``: a member found on the class is the one ``x`` has."""
        types = self.sites.target.types
        owner = self.sites.self_class(instance)
        if owner is not None and types is not None:
            return types.of_type({owner}, owner.rsplit(".", 1)[-1])
        return self.verdict(instance, narrowed)

    def _raised(self, name: Any) -> list[Any] | None:
        scope = self.sites.scopes.get(name) if isinstance(name, self.cst.Name) else None
        nodes = [id(getattr(a, "node", None)) for a in scope[name.value]] if scope is not None else []
        if not nodes or any(n not in self.raised for n in nodes):
            return None
        return [kind for n in nodes for kind in self.raised[n]]

    def _name(self, base: Any) -> Verdict:
        scope = self.sites.scopes.get(base)
        assignments = list(scope[base.value]) if scope is not None else []
        if not assignments:
            return UNKNOWN, f"{base.value} is not assigned in sight"
        declared = [key for a in assignments if (key := id(getattr(a, "node", None))) in self._declarations]
        if declared:
            return combine(self.values[key] for key in declared if key in self.values)
        flow = self._flow(scope)
        if flow is not None and base.value in flow.outside:
            return UNKNOWN, f"{base.value} is bound by global or nonlocal too"
        if flow is not None and len(assignments) > 1:  # only those the flow lets reach this use
            nodes = [getattr(a, "node", None) for a in assignments]
            reached = {id(node) for node in flow.reaching(base, nodes) or nodes}
            assignments = [a for a, node in zip(assignments, nodes, strict=True) if id(node) in reached]
        verdicts = []
        for assignment in assignments:
            node = getattr(assignment, "node", None)
            if id(node) in self.values:
                verdicts.append(self.values[id(node)])
            elif isinstance(node, self.cst.Import):
                verdicts.append((OTHER, f"the module {base.value}"))
            elif isinstance(node, self.cst.ImportFrom) and self._imported(base) is not None:
                verdicts.append(self._imported(base))  # type: ignore[arg-type]
            elif isinstance(node, self.cst.Param):
                passed = self._passed(node)
                if passed is None:
                    return UNKNOWN, f"{base.value} is a parameter without a type"
                verdicts.append(passed)
            else:
                return UNKNOWN, f"{base.value} is assigned something whose type is not said"
        return combine(verdicts)

    def _flow(self, scope: Any) -> FunctionFlow | None:
        function = getattr(scope, "node", None)
        if not isinstance(function, self.cst.FunctionDef):
            return None
        if id(function) not in self._flows:
            self._flows[id(function)] = FunctionFlow(function, self.cst)
        return self._flows[id(function)]

    def _passed(self, param: Any) -> Verdict | None:
        """``def check(self, cache)``: what every call of the function passes, when all say it."""
        types, function = self.sites.target.types, self._params.get(id(param))
        if types is None or types.declared is None or function is None or "<locals>" in function:
            return None
        found = types.declared.passed(function, param.name.value)
        return (
            None if found is None else types.of_names(found, f"what every call passes as {param.name.value}")
        )
