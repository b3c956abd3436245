"""What ``with`` statements and pytest's idioms say of a name (read from libcst nodes).

``with pytest.raises(MultipleInvalid) as ctx: ...`` then ``ctx.value.add(...)`` (voluptuous' tests):
``ctx`` is pytest's ``ExceptionInfo`` and its ``value`` the exception raised, an instance of the class
(or a class of the tuple) given first. ``with open(path) as f`` binds a file object, and
``with Session() as s`` what the class's ``__enter__`` returns. A test or fixture takes fixtures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hookwright.refactor.receiver_types import OTHER

if TYPE_CHECKING:
    from hookwright.refactor.receiver_types import Types, Verdict

_RAISES = frozenset({"pytest.raises", "_pytest.python_api.raises", "_pytest.raises.raises"})


def takes_fixtures(function: Any) -> bool:
    """A test (``test_*``) or a fixture: pytest fills its parameters with fixtures."""
    from hookwright.refactor.symbol_facts import dotted

    for decorator in (d.decorator for d in function.decorators):
        called = dotted(getattr(decorator, "func", decorator)) or ""
        if called.rsplit(".", 1)[-1] == "fixture":
            return True
    return bool(function.name.value.startswith("test"))


def parametrized(node: Any, cst: Any) -> set[str]:
    """The argument names ``@pytest.mark.parametrize`` gives a test function or class (``"*"``: names
    we cannot read): pytest passes those values, not the fixtures of the same names."""
    from hookwright.refactor.symbol_facts import dotted

    found: set[str] = set()
    for decorator in (d.decorator for d in node.decorators):
        func = getattr(decorator, "func", None)
        if func is None or not (dotted(func) or "").endswith("parametrize"):
            continue
        first = decorator.args[0].value if decorator.args else None
        names = [e.value for e in first.elements] if isinstance(first, (cst.List, cst.Tuple)) else [first]
        for item in names:
            text = item.evaluated_value if isinstance(item, cst.SimpleString) else None
            found |= {n.strip() for n in text.split(",")} if isinstance(text, str) else {"*"}
    return found


def raised(with_node: Any, cst: Any, qualified: Any) -> dict[int, list[Any]]:
    """id(the ``as`` name) -> the exception types of each ``with pytest.raises(E) as name:`` item."""
    found: dict[int, list[Any]] = {}
    for item in with_node.items:
        call, target = item.item, item.asname.name if item.asname else None
        if not isinstance(target, cst.Name) or not isinstance(call, cst.Call) or not call.args:
            continue
        first = call.args[0]
        if first.keyword is not None or first.star or not qualified(call.func) & _RAISES:
            continue
        kinds = first.value
        found[id(target)] = [e.value for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [kinds]
    return found


def entered(with_node: Any, cst: Any, qualified: Any, types: Types) -> dict[int, Verdict]:
    """id(the ``as`` name) -> what it holds, for ``open(...)`` and for classes whose ``__enter__`` says."""
    found: dict[int, Verdict] = {}
    for item in with_node.items:
        call, target = item.item, item.asname.name if item.asname else None
        if not isinstance(target, cst.Name) or not isinstance(call, cst.Call):
            continue
        names = qualified(call.func)
        if names == {"builtins.open"}:
            found[id(target)] = (OTHER, "a file object (open(...))")
        elif len(names) == 1 and (defined := _defined_class(min(names), types)):
            found[id(target)] = types.of_return(f"{defined}.__enter__", f"{defined.rsplit('.', 1)[-1]}")
    return found


def _defined_class(name: str, types: Types) -> str | None:
    """Where the class ``name`` is defined: itself, or for a re-export of the class being renamed
    (``mi.callback_iter`` from ``from .more import *``) the one family member of that short name."""
    if types.is_project_class(name):
        return name
    if name not in types.family:
        return None
    short = name.rsplit(".", 1)[-1]
    defined = [c for c in types.family if c.rsplit(".", 1)[-1] == short and types.is_project_class(c)]
    return defined[0] if len(defined) == 1 else None
