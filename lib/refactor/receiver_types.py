"""What the object before ``.name`` is, where the code says so: for renaming a method or attribute.

A rename of ``Cart.total`` must rename ``cart.total()`` when ``cart`` is a Cart and must leave
``{}.get`` or ``parser.get_usage()`` alone when the code says they are something else. We read what
the code states, no inference: a constructor call (``Cart()``, ``dict()``, a literal), an annotation
(``cart: Cart``, ``Optional[Cart]``, ``Cart | None``, ``"Cart"``), ``isinstance`` narrowing, the
attributes a class gives ``self`` (``self.cart = Cart()``). Each answer is ``FAMILY`` (an instance of
the class or a subclass), ``OTHER`` (known to be another type: not renamed, not even with
``--include-unsure``) or ``UNKNOWN``, with the reason a user reads. A type that is an ancestor of the
class (its base, ``object``, ``Any``, a protocol we cannot check) could hold either: UNKNOWN.

jedi was measured for this and left out: ``import jedi`` alone took 0.43 s and each ``goto`` about
0.3 s on Flask's app.py, against 0.36 s for a whole median rename (benchmarks/refactor_patch).
"""

from __future__ import annotations

import builtins
import importlib
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from hookwright.refactor.container_items import Read

FAMILY, OTHER, UNKNOWN = "family", "other", "unknown"


class Declared(Protocol):
    """What the project declares elsewhere (declarations.Declarations, through the rename's index)."""

    virtual: bool  # the family is registered with an ABC it does not derive from

    def lacks(self, name: str) -> bool: ...
    def has_none_of_its_own(self, cls: str) -> bool: ...
    def variable(self, qualified: str) -> list[str] | None: ...
    def attribute(self, cls: str, attr: str) -> list[str] | None: ...
    def is_module(self, qualified: str) -> bool: ...
    def forwards(self, cls: str) -> bool: ...
    def forwarded(self, cls: str) -> list[str] | None: ...
    def makes_its_own(self, cls: str) -> bool: ...
    def class_parameter(self, function: str, on_instance: bool) -> tuple[str, int | None] | None: ...
    def built_bases(self, function: str) -> list[str] | None: ...
    def new_gives(self, cls: str) -> list[str] | None: ...
    def class_lacks(self, cls: str) -> bool: ...
    def fixture(self, path: str, cls: str | None, name: str) -> list[str] | None: ...
    def module_level(self, path: str, name: str) -> str | None: ...
    def passed(self, function: str, param: str) -> list[str] | None: ...
    def factory(self, path: str, cls: str | None, name: str) -> list[str] | None: ...
    def iterated(self, function: str) -> list[str] | None: ...
    def iteration_items(self, cls: str, asynchronous: bool) -> list[str] | None: ...
    def subscript_gives(self, cls: str, keys: list[str] | None) -> list[str] | None: ...
    def class_alias(self, qualified: str) -> str | None: ...
    def parameter(self, cls: str, method: str, name: str) -> list[str] | None: ...
    def member_items(self, cls: str, attr: str, read: Read, then: Read | None = None) -> list[str] | None: ...
    def returned_items(self, function: str, read: Read) -> list[str] | None: ...


Verdict = tuple[str, str]  # (FAMILY | OTHER | UNKNOWN, why)

_LITERALS = {
    "SimpleString": "str",
    "ConcatenatedString": "str",
    "FormattedString": "str",
    "Integer": "int",
    "Float": "float",
    "Imaginary": "complex",
    "List": "list",
    "ListComp": "list",
    "Dict": "dict",
    "DictComp": "dict",
    "Set": "set",
    "SetComp": "set",
    "Tuple": "tuple",
}
_WRAPPERS = {"Optional", "ClassVar", "Final", "Annotated", "Required", "NotRequired", "ReadOnly"}
_OPAQUE = {"typing.Any", "builtins.object", "typing_extensions.Any", "typing.Self", "typing_extensions.Self"}
_CASTS = {"typing.cast", "typing_extensions.cast"}
_NEVER_IMPORTED = {"antigravity", "this", "tkinter", "turtle", "turtledemo", "idlelib", "webbrowser"}


def is_stdlib_class(qualified: str) -> bool:
    """``collections.OrderedDict``, ``builtins.dict``: a class of the standard library (import to see)."""
    return stdlib_class(qualified) is not None


def stdlib_defines(qualified_class: str, name: str) -> bool:
    """Whether a standard-library class (``threading.Thread``; a typing alias such as ``typing.MutableSet``
    stands for the class it names) has an attribute ``name``."""
    found = stdlib_class(qualified_class, aliases=True)
    return found is not None and hasattr(found, name)


def stdlib_class(qualified: str, aliases: bool = False) -> type | None:
    """The standard-library class ``qualified`` names; with ``aliases``, also the class a typing alias
    stands for (a method of a ``t.MutableSet[str]`` subclass overrides collections.abc.MutableSet's)."""
    module, _, name = qualified.rpartition(".")
    top = module.split(".")[0]
    if top not in sys.stdlib_module_names or top in _NEVER_IMPORTED or not name:
        return None
    try:
        found = getattr(importlib.import_module(module), name, None)
    except Exception:  # a module that does not import here tells us nothing
        return None
    if aliases:
        found = getattr(found, "__origin__", found)
    return found if isinstance(found, type) else None


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """One verdict for a value that may be any of ``verdicts``. A known type's reason is what it is
    (``a Connection``), an unknown one's a sentence saying why, each written where it is decided:
    this only lists the types it can be and adds the sentences (``it can be a Connection, but the
    value of conn(...) is not known here``)."""
    found = list(dict.fromkeys(v for v in verdicts if v[1] != "None"))
    if not found:
        return UNKNOWN, "nothing says what it is"
    kinds = {kind for kind, _ in found}
    if len(found) == 1 or kinds == {FAMILY}:
        return found[0]
    if kinds == {OTHER}:
        return OTHER, " or ".join(why for _, why in found)
    known = " or ".join(why for kind, why in found if kind != UNKNOWN)
    unknown = "; ".join(why for kind, why in found if kind == UNKNOWN)
    return UNKNOWN, f"it can be {known}, but {unknown}" if known else unknown


class Types:
    """Verdicts for one rename: the class family, its ancestors, and how to ask what a name is."""

    def __init__(
        self,
        family: set[str],
        ancestors: set[str],
        is_project_class: Callable[[str], bool | None],
        returns: Callable[[str], set[str] | None],
        declared: Declared | None = None,
    ) -> None:
        self.family = family
        self.ancestors = ancestors
        self.is_project_class = is_project_class
        self.returns = returns
        self.declared = declared
        self.short = {name.rsplit(".", 1)[-1] for name in family}
        self._forwarding: set[str] = set()  # classes whose __getattr__ target is being judged (cycles)

    def of_names(self, names: list[str] | None, shown: str) -> Verdict:
        """A value that is one of the types ``names`` (what a declaration says), None: not said."""
        if names is None:
            return UNKNOWN, f"nothing says what {shown} holds"
        if not names:
            return OTHER, "None"
        return combine(self.of_type({name}, name.rsplit(".", 1)[-1]) for name in names)

    def of_type(self, names: set[str], shown: str) -> Verdict:
        """The verdict for a value of the type named ``names`` (qualified), as the code spells it."""
        from hookwright.refactor.symbol_types import runtime_name

        names = {runtime_name(name) for name in names}  # t.Dict is a dict, t.Mapping a Mapping
        if self.declared is not None:  # OMD(...) where OMD = OrderedMultiDict
            names = {self.declared.class_alias(name) or name for name in names}
        if names & self.family:
            return FAMILY, f"a {shown}"
        if not names:
            return UNKNOWN, f"{shown} is not known here"
        if names & (self.ancestors | _OPAQUE) or (
            self.declared is not None and self.declared.virtual and min(names).startswith("collections.abc.")
        ):
            short = sorted(self.short)[0]
            return UNKNOWN, f"{_a(shown)} {shown} may be {_a(short)} {short} or not"
        name = sorted(names)[0]
        if name == "builtins.None":
            return OTHER, "None"
        if name.startswith("builtins.") and isinstance(getattr(builtins, name[9:], None), type):
            return OTHER, f"a {name[9:]}"
        if self.is_project_class(name) and self.declared is not None and self.declared.forwards(name):
            return self._forwarded(name, shown)
        if self.is_project_class(name) or is_stdlib_class(name):
            return OTHER, f"a {shown}"
        return UNKNOWN, f"{shown} is not a class we can see"

    def _forwarded(self, name: str, shown: str) -> Verdict:
        """An instance of a class that hands the member on through ``__getattr__``: what it hands to."""
        assert self.declared is not None
        target = self.declared.forwarded(name) if name not in self._forwarding else None
        if not target:
            return UNKNOWN, f"{_a(shown)} {shown} hands attributes it lacks on through __getattr__"
        self._forwarding.add(name)
        try:
            kind, why = combine(self.of_type({t}, t.rsplit(".", 1)[-1]) for t in target)
        finally:
            self._forwarding.discard(name)
        return kind, f"{_a(shown)} {shown}, which hands it on to {why}"

    def of_return(self, function: str, shown: str) -> Verdict:
        """The value of calling a function or method of the repository: its return annotation, or
        the one type its returns give; each alternative of a union judged alone (``A | B``)."""
        names = self.returns(function)
        if not names:
            return UNKNOWN, f"the value of {shown}(...) is not known here"
        return combine(self.of_type({name}, name.rsplit(".", 1)[-1]) for name in sorted(names))

    def of_value(self, node: Any, qualified: Callable[[Any], set[str]]) -> Verdict:
        """A value: a literal, or a call of a class (``Cart()``, ``dict()``)."""
        kind = type(node).__name__
        if kind in _LITERALS:
            return OTHER, f"a {_LITERALS[kind]}"
        if kind == "Name" and node.value in ("None", "True", "False"):
            return OTHER, node.value if node.value == "None" else "a bool"
        if kind == "Call":
            shown = _dotted(node.func) or "a call"
            names = qualified(node.func)
            cast_to = _cast_type(node) if names & _CASTS else None
            if cast_to is not None:  # typing.cast(T, x): the code says x is a T here
                return self.of_annotation(cast_to, qualified)
            if names == {"builtins.type"}:  # type(x) is x's class, whose members are its instances'
                return UNKNOWN, f"{shown}(...) gives a class: which one is not read here"
            made = min(names) if len(names) == 1 and self.is_project_class(min(names)) else None
            if made is not None and self.declared is not None and self.declared.makes_its_own(made):
                return self._given_by_new(made, shown)
            verdict = self.of_type(names, shown)
            if verdict[0] == UNKNOWN and len(names) == 1 and self.is_project_class(min(names)) is not True:
                # a function of ours: its return; also Sub.parse(...), inherited, which no line defines
                return self.of_return(min(names), shown)
            if verdict[0] == UNKNOWN and not (len(names) == 1 and self.is_project_class(min(names))):
                return UNKNOWN, f"the value of {shown}(...) is not known here"
            return verdict  # a class of ours: what of_type says about its instances
        return UNKNOWN, f"nothing here says what {described(node)} holds"

    def _given_by_new(self, cls: str, shown: str) -> Verdict:
        """``StringField(...)``, whose ``__new__`` gives a StringField or an UnboundField: of the classes
        it may give, those that cannot have the member are left out (the code calling it on the value
        works only with the others); what remains is judged as a union."""
        assert self.declared is not None
        gives = self.declared.new_gives(cls) or []
        kept = [name for name in gives if not self.declared.class_lacks(name)]
        if not kept:
            return UNKNOWN, f"{shown} has its own __new__: its call may give another type"
        kind, why = combine(self.of_type({name}, name.rsplit(".", 1)[-1]) for name in kept)
        lacking = sorted(set(gives) - set(kept))
        left = f" ({', '.join(n.rsplit('.', 1)[-1] for n in lacking)} has no such member)" if lacking else ""
        return kind, f"{why}, what its __new__ gives{left}"

    def of_annotation(self, node: Any, qualified: Callable[[Any], set[str]]) -> Verdict:
        kind = type(node).__name__
        if kind == "Name" and node.value == "None":
            return OTHER, "None"
        if kind == "SimpleString":
            text = str(node.evaluated_value).strip()
            last = text.rsplit(".", 1)[-1]
            return (
                (FAMILY, f"a {text}")
                if last in self.short
                else (UNKNOWN, f"the type {text!r} is not checked")
            )
        if kind == "BinaryOperation" and type(node.operator).__name__ == "BitOr":
            return combine(
                [self.of_annotation(node.left, qualified), self.of_annotation(node.right, qualified)]
            )
        if kind == "Subscript":
            head = _dotted(node.value) or ""
            inner = [element.slice.value for element in node.slice if hasattr(element.slice, "value")]
            if head.rsplit(".", 1)[-1] in _WRAPPERS and inner:
                first = inner[0]
                return self.of_annotation(first, qualified)
            if head.rsplit(".", 1)[-1] == "Union":
                return combine(self.of_annotation(element, qualified) for element in inner)
            return self.of_type(qualified(node.value), head or "generic")
        if kind in ("Name", "Attribute"):
            return self.of_type(qualified(node), _dotted(node) or "name")
        return UNKNOWN, "its annotation is not one we read"


def _cast_type(call: Any) -> Any | None:
    """The type expression of ``cast(T, x)`` / ``cast(typ=T, val=x)``; None for another shape."""
    args = [arg for arg in call.args if arg.star == ""]
    if len(args) != 2 or len(call.args) != 2:
        return None
    keywords = [arg.keyword.value if arg.keyword is not None else None for arg in args]
    if keywords in ([None, None], [None, "val"]):
        return args[0].value
    if set(keywords) == {"typ", "val"}:
        return args[keywords.index("typ")].value
    return None


def described(node: Any) -> str:
    """How a reason names an expression: ``p.conn``, ``p.conn[...]``, ``setup(...)``."""
    kind = type(node).__name__
    if kind == "Subscript":
        return f"{described(node.value)}[...]"
    if kind == "Call":
        return f"{described(node.func)}(...)"
    return _dotted(node) or "this value"


def _a(noun: str) -> str:
    return "an" if noun[:1] in "AEIOUaeiou" else "a"


def _dotted(node: Any) -> str | None:
    kind = type(node).__name__
    if kind == "Name":
        return str(node.value)
    if kind == "Attribute":
        left = _dotted(node.value)
        return f"{left}.{node.attr.value}" if left else None
    return None
