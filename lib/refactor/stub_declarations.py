"""What a module's stub says where the module itself says nothing (ast only).

transitions ships ``core.pyi`` beside ``core.py``: the code writes ``def _change_state(self,
event_data)`` and ``self.conditions = []``, the stub ``def _change_state(self, event_data: EventData)``
and ``conditions: List[Condition]``. A stub is the project's own declaration for type checkers, read
as an annotation in the module would be: a parameter's type, a class attribute's (and its items), a
function's return. Only a definition the stub makes once is read; ``@overload`` and anything else
decorated (other than the kinds of methods) says nothing here.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from hookwright.refactor.symbol_facts import class_members

if TYPE_CHECKING:
    from hookwright.refactor.symbol_facts import FileFacts
    from hookwright.refactor.symbol_index import Index

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_PLAIN = {"classmethod", "staticmethod", "property", "abstractmethod", "abc.abstractmethod"}


def stub_statement(index: Index, qualified: str) -> tuple[FileFacts, ast.AST] | None:
    """(stub file, statement) defining ``qualified`` in the ``.pyi`` of its module, if there is one."""
    parts = qualified.split(".")
    for split in range(len(parts) - 1, 0, -1):
        for path in index.modules.get(".".join(parts[:split]), ()):
            facts = index.facts(path) if path.endswith(".pyi") else None
            statement = facts.defined.get(parts[split]) if facts is not None else None
            for part in parts[split + 1 :]:
                statement = (class_members(statement) or {}).get(part)
            if facts is not None and statement is not None:
                return facts, statement
    return None


def stub_function(
    index: Index, function: str
) -> tuple[FileFacts, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    found = stub_statement(index, function)
    if found is None or not isinstance(found[1], _FUNCTIONS):
        return None
    decorators = {ast.unparse(d) for d in found[1].decorator_list}
    return (found[0], found[1]) if decorators <= _PLAIN else None


def stub_parameter(index: Index, function: str, param: str) -> list[str] | None:
    """The types the stub's annotation of ``param`` of ``function`` allows (None: it does not say)."""
    from hookwright.refactor.symbol_types import annotation

    found = stub_function(index, function)
    arguments = found[1].args if found is not None else None
    for arg in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs) if arguments else ():
        if arg.arg == param and arg.annotation is not None and found is not None:
            return annotation(found[0], arg.annotation) or None
    return None


def stub_returns(index: Index, function: str) -> tuple[FileFacts, ast.expr] | None:
    """(stub file, return annotation) of ``function`` in its module's stub."""
    found = stub_function(index, function)
    if found is None or found[1].returns is None or isinstance(found[1], ast.AsyncFunctionDef):
        return None  # calling an async def gives a coroutine, not what it returns
    return found[0], found[1].returns


def stub_attribute(index: Index, cls: str, attr: str) -> tuple[FileFacts, ast.expr] | None:
    """(stub file, annotation) of ``attr: T`` in the stub's body of the class ``cls``."""
    found = stub_statement(index, f"{cls}.{attr}")
    if found is None or not isinstance(found[1], ast.AnnAssign):
        return None
    return found[0], found[1].annotation


def unannotated_returns(
    index: Index, function: str, located: tuple[FileFacts, ast.AST], depth: int
) -> set[str] | None:
    """What calling ``function`` (no return annotation) gives: its stub's annotation (``Self`` is the
    class), else what its returns say (return_inference)."""
    from hookwright.refactor.return_inference import inferred
    from hookwright.refactor.symbol_types import annotation, runtime_name

    owner = function.rpartition(".")[0]
    found = stub_returns(index, function)
    names = annotation(*found) if found is not None else None
    if names and not isinstance(located[1], ast.AsyncFunctionDef):
        return {owner if name.rsplit(".", 1)[-1] == "Self" else runtime_name(name) for name in names}
    return inferred(index, located[0], located[1], owner if index.is_class(owner) else None, depth)
