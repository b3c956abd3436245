"""Classes that hand attributes they lack to another object (``__getattr__``): their instances may
answer to any name.

tinydb's ``TinyDB.__getattr__`` passes every attribute it does not have to its default ``Table``, so
``db.insert_multiple(...)`` is ``Table.insert_multiple``. Calling such a receiver "another type, left
alone" renames the method and leaves that call behind; it is unsure instead, unless the class (or a
base the repository shows) defines the member itself, which Python then finds before ``__getattr__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hookwright.refactor.symbol_facts import class_members
from hookwright.refactor.symbol_index import ancestors

if TYPE_CHECKING:
    from hookwright.refactor.symbol_index import Index

_HOOKS = ("__getattr__", "__getattribute__")


def forwards(index: Index, cls: str, member: str) -> bool:
    """An instance of ``cls`` may answer ``.member`` through ``__getattr__``/``__getattribute__``."""
    hooked = False
    for name in (cls, *sorted(ancestors(index, cls))):
        located = index.located(name)
        members = class_members(located[1]) if located is not None else None
        if not members:
            continue
        if member in members:
            return False
        hooked = hooked or any(hook in members for hook in _HOOKS)
    return hooked
