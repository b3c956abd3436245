"""What calling an instance gives: its class's ``__call__`` return (ast only).

tinydb's tests build their storage as ``CachingMiddleware(MemoryStorage)()``: the first call makes a
``CachingMiddleware``, the second calls that instance, and ``Middleware.__call__`` ends in ``return
self``. The value is what ``__call__`` returns for each class the instance may be (annotation, or its
returns as return_inference reads them, ``self`` being the instance's own class); one class without a
``__call__`` we can read makes the whole answer unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index


def called_instance(index: Index, classes: set[str] | list[str] | None, depth: int = 0) -> set[str] | None:
    """The types calling an instance of one of ``classes`` (qualified, the repository's) gives."""
    from hookwright.refactor.symbol_index import returned
    from hookwright.refactor.symbol_types import runtime_name

    if not classes or not all(index.is_class(cls) for cls in classes):
        return None
    found: set[str] = set()
    for cls in classes:
        answer = returned(index, f"{cls}.__call__", depth)
        if not answer:
            return None
        found |= {runtime_name(name) for name in answer}
    return found
